"""Report budgets on 1,000,000 sale lines: every report for a year <= 1 s, for a day <= 100 ms.

    python bench/reports.py            # the reports
    python bench/reports.py --commit   # and the till's sale commit with the roll-up triggers on this store

Each report runs once to warm the page cache, then RUNS times; the budget is
judged on the slowest run. Prints a table, writes bench/results/reports-<time>.json,
exits 1 when a budget is missed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from report_store import report_store  # noqa: E402

RUNS = 5
YEAR = ("2025-11-01", "2026-11-01")
DAY = ("2026-10-14", "2026-10-15")
BUDGETS = {"year": 1.0, "day": 0.100}


def scenarios():
    from pos_tui.services.reports import costs, customers, sales, turnover

    for by in sales.SALES_BY:
        yield f"sales --by {by}", lambda actor, period, by=by: sales.sales_report(actor, period, by)
    yield "sales --by product --category", lambda a, p: sales.sales_report(a, p, "product", category="Dairy")
    yield "sales --by day + chart series", lambda a, p: sales.sales_report(a, p, "day", with_series=True)
    for by in turnover.TURNOVER_BY:
        yield f"turnover --by {by}", lambda actor, period, by=by: turnover.turnover_report(actor, period, by)
    yield "customers", lambda actor, period: customers.customers_report(actor, period)
    for by in costs.COSTS_BY:
        yield f"costs --by {by}", lambda actor, period, by=by: costs.costs_report(actor, period, by)


def main() -> int:
    from zoneinfo import ZoneInfo

    from pos_tui.config import load_settings
    from pos_tui.db.models import database
    from pos_tui.services.context import Actor
    from pos_tui.services.reports import rollups
    from pos_tui.services.reports.periods import make_period
    from pos_tui.services.store import open_store

    home = report_store()
    settings = load_settings(home)
    open_store(settings)
    lines = database.execute_sql("SELECT COUNT(*) FROM sale_line").fetchone()[0]
    start = time.perf_counter()
    rollups.ready(ZoneInfo(settings.get("store.timezone")))  # a rebuild when stale (first run after building)
    print(f"{lines:,} sale lines; roll-ups ready in {time.perf_counter() - start:.2f} s (a rebuild if it was stale)")
    actor = Actor.cli()
    results, failed = [], False
    print(f"{'report':<32} {'span':<5} {'median':>8} {'max':>8}  budget   result")
    for name, run in scenarios():
        for span, (first, last) in (("year", YEAR), ("day", DAY)):
            period = make_period(first, last)
            run(actor, period)
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                run(actor, period)
                times.append(time.perf_counter() - t)
            times.sort()
            ok = times[-1] <= BUDGETS[span]
            failed |= not ok
            results.append({"report": name, "span": span, "median_s": times[len(times) // 2], "max_s": times[-1],
                            "budget_s": BUDGETS[span], "passed": ok})
            print(f"{name:<32} {span:<5} {times[len(times) // 2]:>8.3f} {times[-1]:>8.3f}  <= {BUDGETS[span]:.3f}  "
                  f"{'pass' if ok else 'FAIL'}")
    if "--commit" in sys.argv:
        from harness import median, p99
        from till_paths import measure

        times, floor = measure(home, runs=150)["commit"]
        print(f"sale commit (5 lines, 2 tenders, roll-up triggers): median {median(times):.4f} s, "
              f"p99 {p99(times):.4f} s (budget p99 <= 0.010 s); raw-insert floor p99 {p99(floor):.4f} s")
        results.append({"report": "commit with triggers", "span": "sale", "median_s": median(times),
                        "max_s": p99(times), "budget_s": 0.010, "passed": p99(times) <= 0.010})
    out = ROOT / "results" / f"reports-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
