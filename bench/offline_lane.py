"""What an offline-capable lane costs per sale, and how fast its queue drains (issue 13).

One lane on a throwaway PostgreSQL cluster: sales committed straight with
commit_sale, then through the lane online (its id on the sale and the local
counter following), then offline into the local queue, then the queue sent.
Not a test: numbers to read beside bench/pg_lanes.py. Needs initdb/pg_ctl.

    python bench/offline_lane.py [SALES]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def measure(sales: int = 200) -> dict:
    from pos_tui.config import load_settings, save_settings
    from pos_tui.db.database import close_database
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services.auth import authenticate
    from pos_tui.services.catalog import scan
    from pos_tui.services.offline_start import start_lane, stop_lane
    from pos_tui.services.sales import commit_sale
    from pos_tui.services.store import init_store, make_home
    from tests.net_cut import NetCut
    from tests.pg_lanes import MILK, PASSWORD, TEA, prepare
    from tests.pg_server import PgCluster, PgUnavailable

    cluster = PgCluster()
    try:
        cluster.start()
    except PgUnavailable as exc:
        cluster.stop()
        return {"skipped": str(exc)}
    net = None
    try:
        url = cluster.create_database()
        with tempfile.TemporaryDirectory() as folder:
            init_store(load_settings(Path(folder) / "init", db=url), "owner", "bench-pw-123")
            prepare(url, ["1"])
            close_database()
            net = NetCut(cluster.port).start()
            settings = load_settings(Path(folder) / "lane")
            make_home(settings.home)
            settings.set("database.url", net.url(url))
            save_settings(settings)
            lane = start_lane(settings)
            actor = authenticate("lanes", PASSWORD)
            rates = settings.tax_rates()

            def cart() -> Cart:
                c = Cart()
                for code in (TEA, MILK):
                    c.add(scan(code, rates))
                return c

            def timed(sell) -> float:
                began = time.perf_counter()
                for _ in range(sales):
                    c = cart()
                    sell(c, [Tender("cash", c.totals().total)])
                return time.perf_counter() - began

            direct = timed(lambda c, t: commit_sale(actor, c, t, lane="1", settings=settings))
            online = timed(lambda c, t: lane.commit(actor, c, t, settings=settings))
            net.cut()
            lane.pass_once()
            offline = timed(lambda c, t: lane.commit(actor, c, t, settings=settings))
            net.restore()
            began = time.perf_counter()
            report = lane.pass_once()
            drain = time.perf_counter() - began
            stop_lane()
            problems = [] if report.error is None and len(report.sent) == sales else [repr(report.error)]
        return {"sales": sales, "direct_ms": 1000 * direct / sales, "lane_online_ms": 1000 * online / sales,
                "lane_offline_ms": 1000 * offline / sales, "drain_per_s": sales / drain, "problems": problems}
    finally:
        if net is not None:
            net.stop()
        close_database()
        cluster.stop()


if __name__ == "__main__":
    result = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    if "skipped" in result:
        print(f"skipped: {result['skipped']}")
        sys.exit(0)
    print(f"{result['sales']} two-line sales on one lane (per sale): commit_sale {result['direct_ms']:.1f} ms, "
          f"through the lane online {result['lane_online_ms']:.1f} ms, offline {result['lane_offline_ms']:.1f} ms; "
          f"queue sent at {result['drain_per_s']:.0f} sales/s")
    sys.exit(1 if result["problems"] else 0)
