"""The demo store: the sample shop, its users and 90 days of history."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.models import Customer
from pos_tui.resources import data_dir
from pos_tui.services import audit, auth, product_import
from pos_tui.services.context import Actor
from pos_tui.services.demo_history import DEMO_FLOAT, HistoryResult, generate_history
from pos_tui.services.demo_users import demo_users
from pos_tui.services.store import init_store

DEMO_SETTINGS = {
    "store.name": "Corner Shop (demo)",
    "store.currency": "GBP",
    "store.timezone": "Europe/London",
    "store.demo": True,
    "lane": "1",
}


def load_customers(actor: Actor, path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [
            {**row, "loyalty_code": row["loyalty_code"] or None}
            for row in csv.DictReader(handle)
        ]
    with write_transaction():
        Customer.insert_many(rows).execute()
        audit.record("customer.import", actor, path.name, count=len(rows))
    return len(rows)


def build_demo_store(settings: Settings, *, today: date, with_history: bool = True) -> HistoryResult | None:
    """Fill a new store at `settings.home` with the sample shop."""
    for key, value in DEMO_SETTINGS.items():
        settings.set(key, value)
    users = demo_users()
    admin = next(u for u in users if u.role == "admin")
    init_store(settings, admin.username, admin.password, force=True)
    actor = Actor.cli()
    for user in users:
        if user.username != admin.username:
            auth.add_user(actor, user.username, user.password, user.role, full_name=user.full_name)
    samples = data_dir("sample_data")
    products_csv = samples / "products.csv"
    rows = product_import.parse_products(product_import.read_csv(products_csv), set(settings.tax_rates()))
    product_import.import_products(actor, rows, source="sample_data/products.csv")
    load_customers(actor, samples / "customers.csv")
    history = None
    if with_history:
        from pos_tui.services.shifts import z_report_lines

        history = generate_history(
            settings.tax_rates(), end=today, tz=settings.get("store.timezone"),
            prices_include_tax=settings.get("tax.included"), lane=settings.get("lane"),
            z_layout=lambda report: z_report_lines(settings, report),
        )
        from pos_tui.services.demo_customers import attach_demo_customers

        attach_demo_customers(history.first_day, history.last_day, settings.get("store.timezone"))
    open_demo_shift(settings)
    return history


def open_demo_shift(settings: Settings) -> None:
    """Today's shift on the demo lane, open with its float, so a trainee can sell straight after logging in."""
    from pos_tui.db.models import User
    from pos_tui.services import shifts

    opener = User.select().where(User.role == "supervisor").order_by(User.id).first()
    actor = Actor(opener.username, opener.role, opener.id, os_user=Actor.cli().os_user) if opener else Actor.cli()
    shifts.open_shift(actor, settings, lane=str(settings.get("lane")),
                      counts=shifts.break_down(settings, DEMO_FLOAT))  # 150.00, counted by denomination
