"""The till on a lane whose server goes away: the status line says OFFLINE and counts the sales to send."""

from __future__ import annotations

import pytest

from pos_tui.services.offline_start import start_lane
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.payment import PaymentModal
from tests.pg_lanes import PASSWORD, TEA
from tests.services.offline_helpers import lane_rig
from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until

pytestmark = pytest.mark.pg


@pytest.fixture
def rig(pg_url, pg_cluster, tmp_path):
    with lane_rig(pg_url, pg_cluster, tmp_path / "lane") as rig:
        yield rig


async def _sell_one(pilot, app) -> None:
    await scan(pilot, TEA)
    await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one cart line")
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
    await pilot.press("enter")


async def test_the_status_line_shows_offline_and_the_sales_to_send_until_none_are(rig):
    lane = start_lane(rig.settings)
    app = PosApp(rig.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "lanes", PASSWORD)
        assert shown(app, "#lane-lamp") == ""  # online: nothing to say
        rig.net.cut()  # the network drops with a customer at the till
        await _sell_one(pilot, app)
        await wait_until(pilot, lambda: "saved" in shown(app, "#notice"), "the sale saved (offline)")
        await wait_until(pilot, lambda: shown(app, "#lane-lamp") == "OFFLINE: 1 sale to send", "the offline lamp")
        await _sell_one(pilot, app)
        await wait_until(pilot, lambda: shown(app, "#lane-lamp") == "OFFLINE: 2 sales to send", "two to send")

        rig.net.restore()
        lane.start()  # the sender the till runs: it finds the server and sends both
        await wait_until(pilot, lambda: shown(app, "#lane-lamp") == "", "the lamp clear once all are sent")
        await settle_workers(app)

    assert lane.online and lane.pending == 0
    assert [no for (no,) in rig.server_rows("SELECT receipt_no FROM sale ORDER BY id")] == ["1-000001", "1-000002"]
