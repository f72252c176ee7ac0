"""Demo delivery orders in every status, some late, for the demo customers.

Built through the order services (create_order, apply_change) so stock,
reservations, timelines and messages agree, and seeded so the same day
gives the same orders. Past orders are pay on delivery (a past day's shift
is closed and immutable) and carry the history's own times; orders taken
today are paid in today's open shift, so their money counts in its cash.
What shipped orders took away was received before the history began, so
every product still ends at its catalogue stock.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Callable
from zoneinfo import ZoneInfo

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Customer, CustomerAddress, DeliveryOrder, Product, User
from pos_tui.services import audit, orders
from pos_tui.services.context import Actor
from pos_tui.services.order_info import order_row
from pos_tui.services.stock_moves import move

STREETS = ("High Street", "Church Road", "Station Road", "Mill Lane", "Park Avenue", "Victoria Road", "Green Lane",
           "Manor Way", "Queens Road", "Kings Close")
TOWNS = (("Leeds", "LS"), ("York", "YO"), ("Harrogate", "HG"), ("Wakefield", "WF"), ("Bradford", "BD"))


@dataclass(frozen=True)
class Plan:
    """One demo order: its life as (days before today, status) steps after it is taken."""

    taken: int  # days before today; 0 is today (paid in today's shift)
    steps: tuple[tuple[int, str], ...]
    payment: str = "on_delivery"
    fulfilment: str = "delivery"
    expected: int | None = None  # days from today (negative: past, so late while open)
    big: bool = False  # enough to go to review
    submit: bool = True


PLANS = (
    Plan(12, ((11, "packed"), (11, "shipped"), (7, "returned")), expected=-9),
    Plan(10, ((9, "packed"), (9, "shipped"), (7, "delivered")), expected=-7),
    Plan(9, ((8, "packed"), (8, "shipped"), (0, "delivered")), expected=-6),  # paid to the driver, handed in today
    Plan(8, ((7, "packed"), (7, "shipped")), expected=-3),  # late on the road
    Plan(6, ((5, "packed"),), expected=-1),  # late: never handed to the carrier
    Plan(5, (), expected=-2),  # late: approved, not packed
    Plan(4, ((3, "cancelled"),)),
    Plan(3, ((2, "rejected"),), big=True),
    Plan(2, ((1, "packed"), (1, "shipped")), expected=2),
    Plan(1, (), expected=3),
    Plan(1, (), big=True),  # waiting for review
    Plan(0, (), payment="paid"),
    Plan(0, ((0, "packed"),), payment="paid", fulfilment="pickup"),
    Plan(0, (), payment="deposit", big=True),
    Plan(0, (), submit=False, fulfilment="pickup"),  # a phone order not finished yet
)
NOTES = {"returned": "refused at the door", "cancelled": "customer changed their mind",
         "rejected": "could not reach the customer to confirm", "approved": "checked stock and address"}


def _actor(username: str) -> Actor:
    user = User.get(User.username == username)
    return Actor(user.username, user.role, user.id, os_user=Actor.cli().os_user)


def _addresses(customers: list[Customer], rng: random.Random) -> None:
    rows = []
    for c in customers:
        if CustomerAddress.select().where(CustomerAddress.customer == c.id).exists():
            continue
        town, area = rng.choice(TOWNS)
        rows.append(dict(customer=c.id, label="home", recipient=c.name, phone=c.phone,
                         street=f"{rng.randint(1, 120)} {rng.choice(STREETS)}", city=town,
                         postcode=f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
                                  f"{rng.choice('LNPQRSTUWXYZ')}", is_default=True))
    if rows:
        CustomerAddress.insert_many(rows).execute()


def build_demo_orders(settings: Settings, *, today: date, opening: datetime, seed: int = 92) -> int:
    """Write the demo orders; `opening` is when the history's opening stock was received."""
    rng = random.Random(seed)
    zone = ZoneInfo(str(settings.get("store.timezone")))
    cashier, supervisor = _actor("cashier"), _actor("supervisor")
    customers = rng.sample(list(Customer.select().order_by(Customer.id)), len(PLANS))
    products = [p.barcode for p in Product.select(Product.barcode).where(
        (Product.unit == "each") & (Product.archived == False) & (Product.stock >= 20)  # noqa: E712
    ).order_by(Product.id)]
    with write_transaction():
        _addresses(customers, rng)
    carts = []
    for plan in PLANS:
        codes = rng.sample(products, rng.randint(1, 4))
        lines = [(code, Decimal(rng.randint(1, 3))) for code in codes]
        if plan.big:
            lines = [(code, Decimal(20)) for code in codes]
        carts.append(lines)
    # What leaves with the shipped orders was received with the opening stock.
    taken: dict[str, Decimal] = defaultdict(Decimal)
    for plan, lines in zip(PLANS, carts):
        statuses = [s for _, s in plan.steps]
        if "shipped" in statuses and "returned" not in statuses:
            for code, qty in lines:
                taken[code] += qty
    with write_transaction():
        for code, qty in sorted(taken.items()):
            move(Product.get(Product.barcode == code).id, qty, "receive", "DEMO-ORDERS", Actor.cli(), at=opening)

    def at(days_before: int, index: int, step: int) -> datetime | None:
        if days_before == 0:
            return None  # today: in the open shift, as it happens
        hour = 9 + index % 4 + step  # later steps later in the day: 9:00 to 17:59
        return datetime.combine(today - timedelta(days=days_before), time(hour, 7 * index % 60), tzinfo=zone)

    for index, (plan, lines, customer) in enumerate(zip(PLANS, carts, customers)):
        cart = orders.cart_from_lines(settings, lines)
        cart.customer_id, cart.customer_name = customer.id, customer.name
        total = cart.totals().total
        made = orders.create_order(
            cashier, settings, cart, fulfilment=plan.fulfilment, payment=plan.payment,
            deposit=total // 4 if plan.payment == "deposit" else None, tender=rng.choice(("cash", "card")),
            expected_date=today + timedelta(days=plan.expected) if plan.expected is not None else None,
            source="demo", submit=plan.submit, at=at(plan.taken, index, 0),
        )
        if made.status == "pending_review" and plan.steps and plan.steps[0][1] != "rejected":
            _step(supervisor, settings, made.number, "approved", at(plan.steps[0][0], index, 1), NOTES["approved"])
        for step, (days_before, status) in enumerate(plan.steps, start=2):
            when = at(days_before, index, step)
            if status == "rejected":  # reject's own change, at the history's time
                _step(supervisor, settings, made.number, "cancelled", when, NOTES["rejected"], review=NOTES["rejected"])
            elif status == "shipped":
                carrier = rng.choice(orders.carriers(settings))
                tracking = f"{carrier[:3].upper()}{rng.randint(10**8, 10**9 - 1)}"
                _step(supervisor, settings, made.number, "shipped", when, f"{carrier} {tracking}",
                      ship=(carrier, tracking, rng.choice(("standard", "next-day")), rng.choice((395, 495, 650))))
            elif status == "delivered" and when is None:
                orders.deliver(supervisor, settings, made.number, tender="cash", note="cash from the driver",
                               source="demo")
            else:
                _step(supervisor, settings, made.number, status, when, NOTES.get(status, ""))
    with write_transaction():
        audit.record("demo.orders", Actor.cli(), "", orders=len(PLANS), seed=seed)
    return DeliveryOrder.select().count()


def _step(actor: Actor, settings: Settings, number: str, target: str, when: datetime | None, note: str, *,
          review: str = "", ship: tuple[str, str, str, int] | None = None) -> None:
    """One change at the history's own time, through the services' own change."""
    before: Callable[[DeliveryOrder], None] | None = None
    if target == "approved" or review:
        def before(row: DeliveryOrder) -> None:
            row.reviewed_by, row.review_note = actor.username, review or note
    elif ship is not None:
        def before(row: DeliveryOrder) -> None:
            row.carrier, row.tracking_number, row.service, row.shipping_cost = ship
    with write_transaction():
        orders.apply_change(actor, settings, order_row(number), target, note=note, source="demo",
                            at=when or utc_now(), before=before)
