"""`pos lane status|sync`: what a shop owner sees of a lane's link to its server, and sending its queue by hand."""

from __future__ import annotations

import json

import pytest

from pos_tui.db.database import close_database
from pos_tui.services.offline_start import start_lane, stop_lane
from tests.cli.conftest import check_error
from tests.services.offline_helpers import lane_rig, login


@pytest.fixture
def rig(pg_url, pg_cluster, tmp_path):
    with lane_rig(pg_url, pg_cluster, tmp_path / "lane") as rig:
        yield rig


def _status(cli, rig) -> dict:
    result = cli("--home", str(rig.settings.home), "lane", "status", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.pg
def test_lane_status_and_sync_show_the_queue_and_send_it(cli, rig):
    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()
    rig.sell(lane, actor)
    rig.sell(lane, actor)
    stop_lane()
    close_database()

    offline = _status(cli, rig)
    assert offline["online"] is False and offline["pending"] == 2 and offline["synced_at"]
    assert "cannot reach the database server" in offline["problem"]
    refused = cli("--home", str(rig.settings.home), "lane", "sync")
    check_error(refused, "cannot reach the database server", "pos run --offline")

    rig.net.restore()
    text = cli("--home", str(rig.settings.home), "lane", "status")
    assert "lane 1: online" in text.stdout and "2 offline sales waiting to be sent" in text.stdout
    sent = cli("--home", str(rig.settings.home), "lane", "sync")

    assert sent.exit_code == 0, sent.stderr
    assert "sent 2 offline sales; catalogue synced" in sent.stdout
    assert _status(cli, rig)["pending"] == 0
    assert [no for (no,) in rig.server_rows("SELECT receipt_no FROM sale ORDER BY id")] == ["1-000001", "1-000002"]


def test_lane_commands_on_a_sqlite_store_say_there_is_no_server(cli, store):
    result = cli("--home", str(store.home), "lane", "status")
    check_error(result, "SQLite file on this machine", "offline lanes are for a store on PostgreSQL")
