"""Demo customers with believable habits, drawn onto the demo history's sales.

The sample customers are split, seeded, into regulars (about one visit a
week on their own weekday), occasional shoppers (every couple of weeks),
new faces (first seen in the last week) and lapsed ones (not seen for 60+
days). Each visit takes one of that day's completed sales; a return carries
its original sale's customer, as the till does. Sales stay as they were in
every other way, so the history's totals and stock are untouched.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Customer, Sale
from pos_tui.services import audit
from pos_tui.services.context import Actor

# Share of the customers in each group, in the order they are dealt.
GROUPS = (("regular", 0.35), ("new", 0.15), ("lapsed", 0.2), ("occasional", 0.3))
LAPSED_DAYS = 60


@dataclass(frozen=True)
class DemoCustomersResult:
    groups: dict[str, int]
    sales: int


def _visit_days(kind: str, first: date, last: date, rng: random.Random) -> list[date]:
    span = (last - first).days
    if kind == "regular":
        weekday = rng.randrange(7)
        start = first + timedelta(days=(weekday - first.weekday()) % 7)
        days = [start + timedelta(weeks=n) for n in range(span // 7 + 1)]
        return [d for d in days if d <= last and rng.random() < 0.9] or [days[0]]
    if kind == "new":
        return sorted(rng.sample([last - timedelta(days=n) for n in range(7)], rng.randint(1, 3)))
    if kind == "lapsed":
        stop = last - timedelta(days=LAPSED_DAYS)  # the last day before their 60+ days away
        days, day = [], first + timedelta(days=rng.randrange(7))
        while day <= stop:
            days.append(day)
            day += timedelta(days=rng.randint(5, 12))
        return days or [first]
    days, day = [], first + timedelta(days=rng.randrange(14))
    while day <= last:
        days.append(day)
        day += timedelta(days=rng.randint(10, 20))
    return days


def attach_demo_customers(first_day: date, last_day: date, tz: str, *, seed: int = 91) -> DemoCustomersResult:
    """Give a share of the history's sales (first_day..last_day, the shop's days) to the sample customers."""
    rng = random.Random(seed)
    zone = ZoneInfo(tz)
    customers = [c.id for c in Customer.select(Customer.id).order_by(Customer.id)]
    by_day: dict[date, list[int]] = defaultdict(list)
    originals: list[tuple[int, int]] = []
    for sale_id, at, status, original in (Sale.select(Sale.id, Sale.created_at, Sale.status, Sale.original)
                                          .where(Sale.training == False).order_by(Sale.id).tuples()):  # noqa: E712
        if status == "completed":
            by_day[at.astimezone(zone).date()].append(sale_id)
        elif status == "return" and original is not None:
            originals.append((sale_id, original))
    order = customers[:]
    rng.shuffle(order)
    groups: dict[str, int] = {}
    chosen: dict[int, list[int]] = defaultdict(list)
    start = 0
    for index, (kind, share) in enumerate(GROUPS):
        end = len(order) if index == len(GROUPS) - 1 else start + round(share * len(order))
        groups[kind] = end - start
        for customer in order[start:end]:
            for day in _visit_days(kind, first_day, last_day, rng):
                free = by_day.get(day)
                if free:
                    chosen[customer].append(free.pop(rng.randrange(len(free))))
        start = end
    owner = {sale: customer for customer, sales in chosen.items() for sale in sales}
    for sale, original in originals:
        if original in owner:
            owner[sale] = owner[original]
    with write_transaction():
        for customer in customers:
            mine = [sale for sale, who in owner.items() if who == customer]
            for chunk in range(0, len(mine), 500):
                Sale.update(customer=customer).where(Sale.id.in_(mine[chunk:chunk + 500])).execute()
        audit.record("demo.customers", Actor.cli(), "", sales=len(owner), seed=seed, **groups)
    return DemoCustomersResult(groups, len(owner))
