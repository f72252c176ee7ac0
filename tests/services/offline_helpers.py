"""A lane on a PostgreSQL store behind a network the test can cut (tests/net_cut.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pos_tui.config import Settings, load_settings, save_settings
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services.catalog import scan
from pos_tui.services.sales import SaleInfo
from tests.net_cut import NetCut
from tests.pg_lanes import PASSWORD, TEA, prepare


@dataclass
class LaneRig:
    settings: Settings
    net: NetCut
    direct_url: str  # the server without the forwarder: what the shop really has

    def sell(self, lane, actor, code: str = TEA) -> SaleInfo:
        cart = Cart()
        cart.add(scan(code, self.settings.tax_rates()))
        return lane.commit(actor, cart, [Tender("cash", cart.totals().total)], settings=self.settings)

    def server_rows(self, sql: str, *params) -> list[tuple]:
        """Read (or change) the server directly, not through the lane's network."""
        import psycopg2  # only once PostgreSQL is there (the pg fixtures skip, saying why, without it)

        parts = self.direct_url.rsplit("/", 1)
        host_port = parts[0].rsplit("@", 1)[1]
        host, port = host_port.split(":")
        conn = psycopg2.connect(dbname=parts[1], user="postgres", host=host, port=int(port))
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()


def lane_settings(home: Path, url: str) -> Settings:
    from pos_tui.services.store import make_home

    settings = load_settings(home)
    make_home(home)
    settings.set("database.url", url)
    save_settings(settings)
    return settings


def login():
    from pos_tui.services.auth import authenticate

    return authenticate("lanes", PASSWORD)


@contextmanager
def lane_rig(pg_url: str, pg_cluster, home: Path) -> Iterator[LaneRig]:
    """Lane 1 on the server at `pg_url` (its products, a user `lanes`, an open shift), reached through a
    forwarder the test can cut; the lane is stopped and the store closed afterwards."""
    from pos_tui.db.database import close_database
    from pos_tui.services.offline_start import stop_lane

    prepare(pg_url, ["1"])
    close_database()
    net = NetCut(pg_cluster.port).start()
    try:
        yield LaneRig(lane_settings(home, net.url(pg_url)), net, pg_url)
    finally:
        stop_lane()
        net.stop()
        close_database()
