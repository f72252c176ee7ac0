"""Every report, for a day and for a year, on the large store's 1,000,000 sale lines.

Each report (every --by of it) runs once to warm the page cache, then `runs`
times; a family's times are pooled, so its figure is its slowest grouping.
The floor is the family's aggregate as one hand-written SQL query on the raw
rows (UTC day bounds), run as many times, interleaved with its first grouping.
"""

from __future__ import annotations

import time
from pathlib import Path

SPANS = {"year": ("2025-11-01", "2026-11-01"), "day": ("2026-10-14", "2026-10-15")}

LIVE = "s.created_at >= ? AND s.created_at < ? AND s.status IN ('completed', 'return') AND NOT s.training"
FLOORS = {
    "sales": f"SELECT substr(s.created_at, 1, 10), COUNT(*), SUM(s.total) FROM sale s WHERE {LIVE} GROUP BY 1",
    "turnover": f"SELECT l.product_id, SUM(l.qty), SUM(l.total) FROM sale s JOIN sale_line l ON l.sale_id = s.id"
                f" WHERE {LIVE} GROUP BY l.product_id",
    "customers": f"SELECT s.customer_id, COUNT(*), SUM(s.total) FROM sale s WHERE {LIVE}"
                 f" AND s.customer_id IS NOT NULL GROUP BY s.customer_id",
    "costs": f"SELECT l.product_id, SUM(l.qty * l.unit_cost), SUM(l.total) FROM sale s JOIN sale_line l"
             f" ON l.sale_id = s.id WHERE {LIVE} GROUP BY l.product_id",
}


def variants():
    """(family, name, run(actor, period)) for every report and grouping a shop can ask for."""
    from pos_tui.services.reports import costs, customers, sales, turnover

    for by in sales.SALES_BY:
        yield "sales", f"--by {by}", lambda actor, period, by=by: sales.sales_report(actor, period, by)
    yield "sales", "--by product --category", lambda a, p: sales.sales_report(a, p, "product", category="Dairy")
    yield "sales", "--by day + chart", lambda a, p: sales.sales_report(a, p, "day", with_series=True)
    for by in turnover.TURNOVER_BY:
        yield "turnover", f"--by {by}", lambda actor, period, by=by: turnover.turnover_report(actor, period, by)
    yield "customers", "", lambda actor, period: customers.customers_report(actor, period)
    for by in costs.COSTS_BY:
        yield "costs", f"--by {by}", lambda actor, period, by=by: costs.costs_report(actor, period, by)


def measure(home: Path, runs: int = 5) -> dict[tuple[str, str], tuple[list[float], list[float], str]]:
    """{(family, span): (seconds of every run of every grouping, floor seconds, the slowest grouping)}."""
    import sqlite3
    from zoneinfo import ZoneInfo

    from pos_tui.config import load_settings
    from pos_tui.services.context import Actor
    from pos_tui.services.reports import rollups
    from pos_tui.services.reports.periods import make_period
    from pos_tui.services.store import open_store

    settings = load_settings(home)
    open_store(settings)
    rollups.ready(ZoneInfo(settings.get("store.timezone")))  # built with the store; a no-op unless stale
    raw = sqlite3.connect(f"file:{home / 'pos.db'}?mode=ro", uri=True)
    actor = Actor.cli()
    out: dict[tuple[str, str], tuple[list[float], list[float], str]] = {}
    try:
        for span, (first, last) in SPANS.items():
            period = make_period(first, last)
            for family, name, run in variants():
                times, floor, slowest = out.setdefault((family, span), ([], [], ""))
                run(actor, period)
                with_floor = not floor  # the family's floor beside its first grouping only
                if with_floor:
                    raw.execute(FLOORS[family], (first, last)).fetchall()
                mine = []
                for _ in range(runs):  # interleaved, so machine noise hits both alike
                    start = time.perf_counter()
                    run(actor, period)
                    mine.append(time.perf_counter() - start)
                    if with_floor:
                        start = time.perf_counter()
                        raw.execute(FLOORS[family], (first, last)).fetchall()
                        floor.append(time.perf_counter() - start)
                if not times or max(mine) > max(times):
                    slowest = name
                times += mine
                out[(family, span)] = (times, floor, slowest)
    finally:
        raw.close()
    return out
