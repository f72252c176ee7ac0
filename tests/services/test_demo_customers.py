"""The demo's customers shop like people do: regulars weekly, some new this week, some gone quiet."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pos_tui.db.models import Customer, Sale
from pos_tui.services.customer_history import customer_detail

from tests.conftest import DEMO_TODAY

LONDON = ZoneInfo("Europe/London")


def _visit_days(customer_id: int) -> list:
    rows = Sale.select(Sale.created_at).where((Sale.customer == customer_id) & (Sale.status == "completed"))
    return sorted({row.created_at.astimezone(LONDON).date() for row in rows})


def test_demo_customers_are_new_regular_and_lapsed(demo_store):
    days = {c.id: _visit_days(c.id) for c in Customer.select()}
    week_ago = DEMO_TODAY - timedelta(days=7)
    new = [c for c, d in days.items() if d and d[0] >= week_ago]
    lapsed = [c for c, d in days.items() if d and d[-1] <= DEMO_TODAY - timedelta(days=60)]
    regular = [c for c, d in days.items()
               if len(d) >= 10 and max(b - a for a, b in zip(d, d[1:])) <= timedelta(days=14) and d[-1] >= week_ago]
    assert len(new) >= 2 and len(lapsed) >= 2 and len(regular) >= 5, (new, lapsed, regular)
    assert all(d for d in days.values()), "every sample customer has bought something"
    detail = customer_detail(regular[0])
    assert detail.visits == len(_visit_days(regular[0])) and detail.spent > 0
    assert detail.last_visit.astimezone(LONDON).date() >= week_ago


def test_most_sales_stay_anonymous_and_returns_keep_the_buyer(demo_store):
    total = Sale.select().count()
    named = Sale.select().where(Sale.customer.is_null(False)).count()
    assert 0.05 * total < named < 0.5 * total
    for ret in Sale.select().where(Sale.status == "return"):
        assert ret.customer_id == ret.original.customer_id, ret.receipt_no
