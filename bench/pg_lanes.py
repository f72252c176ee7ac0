"""Four lane processes on one PostgreSQL store, each committing 500 sales of the same two products.

The budget is correctness under load: no lost stock update, no repeated receipt
number, the audit chain unbroken. Throughput is reported beside one lane
committing the same sales on SQLite (the floor). Needs PostgreSQL's initdb and
pg_ctl (scripts/ensure-test-tools installs them); without them the scenario is
reported as skipped, not failed.

    python bench/pg_lanes.py [SALES_PER_LANE]
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LANES = ["1", "2", "3", "4"]


def _store(url: str, home: Path) -> None:
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.services.store import init_store

    init_store(load_settings(home, db=url), "owner", "bench-pw-123")
    close_database()


def _check(url: str, lanes: list[str], sales: int, run) -> list[str]:
    """What went wrong, if anything: errors, lost updates, repeated receipts, a broken chain."""
    from pos_tui.config import load_settings
    from pos_tui.db.database import close_database
    from pos_tui.db.models import Product
    from pos_tui.services.integrity import check_store
    from pos_tui.services.store import open_store
    from tests.pg_lanes import MILK, START_STOCK, TEA

    problems = list(run.errors)
    sold = len(lanes) * sales
    if run.sales != sold:
        problems.append(f"{run.sales} sales committed, not {sold}")
    repeated = [no for no, n in Counter(run.receipts).items() if n > 1]
    if repeated:
        problems.append(f"receipt numbers repeated: {repeated[:5]}")
    open_store(load_settings(db=url))
    for code in (TEA, MILK):
        stock = Product.get(Product.barcode == code).stock
        if stock != START_STOCK - sold:
            problems.append(f"stock of {code} is {stock}, not {START_STOCK - sold}: updates were lost")
    problems += [f"{v.kind} {v.where}: {v.message}" for v in check_store()]
    close_database()
    return problems


def measure(sales: int = 500) -> dict:
    """{'pg_s', 'pg_rate', 'sqlite_s', 'sqlite_rate', 'problems'} or {'skipped': reason}."""
    from tests.pg_lanes import prepare, run_lanes
    from tests.pg_server import PgCluster, PgUnavailable

    with tempfile.TemporaryDirectory(prefix="pos-bench-") as tmp:
        home = Path(tmp)
        sqlite_url = f"sqlite:///{home / 'single' / 'pos.db'}"
        _store(sqlite_url, home / "single")
        prepare(sqlite_url, ["1"])
        single = run_lanes(sqlite_url, ["1"], sales)
        problems = _check(sqlite_url, ["1"], sales, single)

        cluster = PgCluster()
        try:
            cluster.start()
        except PgUnavailable as exc:
            cluster.stop()
            return {"skipped": str(exc)}
        try:
            url = cluster.create_database()
            _store(url, home / "lanes")
            prepare(url, LANES)
            lanes = run_lanes(url, LANES, sales)
            problems += _check(url, LANES, sales, lanes)
        finally:
            cluster.stop()
    return {"pg_s": lanes.seconds, "pg_rate": lanes.sales / lanes.seconds,
            "sqlite_s": single.seconds, "sqlite_rate": single.sales / single.seconds, "problems": problems}


def main() -> int:
    sales = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    found = measure(sales)
    if "skipped" in found:
        print(f"skipped: {found['skipped']}")
        return 0
    print(f"4 lanes x {sales} sales on PostgreSQL: {found['pg_s']:.2f} s, {found['pg_rate']:.0f} sales/s")
    print(f"1 lane  x {sales} sales on SQLite:     {found['sqlite_s']:.2f} s, {found['sqlite_rate']:.0f} sales/s")
    for problem in found["problems"]:
        print(f"FAIL: {problem}")
    return 1 if found["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
