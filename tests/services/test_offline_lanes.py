"""A lane keeps selling when the network to its PostgreSQL server drops, and nothing is lost or counted twice.

The network is a forwarder the test cuts and restores (tests/net_cut.py); the
shop's server keeps running, and is read directly to see what it really holds.
"""

from __future__ import annotations

import shutil
import threading

import pytest

from pos_tui.db.database import close_database
from pos_tui.db.models import database
from pos_tui.errors import StoreError
from pos_tui.services import offline_send, offline_store
from pos_tui.services.offline_lane import server_database
from pos_tui.services.offline_start import OfflineAvailable, start_lane, stop_lane
from tests.pg_lanes import START_STOCK, TEA
from tests.services.offline_helpers import LaneRig, lane_rig, login

pytestmark = pytest.mark.pg


@pytest.fixture
def rig(pg_url, pg_cluster, tmp_path):
    with lane_rig(pg_url, pg_cluster, tmp_path / "lane") as rig:
        yield rig


def _server_sales(rig: LaneRig) -> list[tuple[str, str | None]]:
    return rig.server_rows("SELECT receipt_no, offline_id FROM sale ORDER BY receipt_no")


def _stock(rig: LaneRig) -> int:
    milli = rig.server_rows("SELECT stock FROM product WHERE barcode = %s", TEA)[0][0]
    return milli // 1000


def _stop_the_server_sessions(rig: LaneRig) -> None:
    """What the lane sees of a server going down (pg_ctl stop -m fast): its sessions end (57P01)."""
    rig.server_rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.mark.parametrize("fault", ["network cut", "server stops"])
def test_the_server_lost_mid_sale_leaves_the_sale_in_the_queue_only_and_then_on_the_server_once(
        rig, monkeypatch, fault):
    lane = start_lane(rig.settings)
    actor = login()
    assert rig.sell(lane, actor).receipt_no == "1-000001"
    from pos_tui.services import held_carts

    real, cuts = held_carts.clear_open, []

    def cut_inside_the_sale(name):  # runs inside commit_sale's transaction, after the sale row was written
        if not cuts:
            cuts.append(1)
            rig.net.cut() if fault == "network cut" else _stop_the_server_sessions(rig)
        return real(name)

    monkeypatch.setattr(held_carts, "clear_open", cut_inside_the_sale)

    sale = rig.sell(lane, actor)

    assert sale.receipt_no == "1-000002"  # the lane's own next number, from its local copy
    assert not lane.online and lane.pending == 1
    assert [no for no, _ in _server_sales(rig)] == ["1-000001"]  # not on the server ...
    with database.routed(lane.local):
        queued = [row.receipt_no for row in offline_store.OfflineQueue.select()]
    assert queued == ["1-000002"]  # ... but in the queue

    rig.net.restore()
    report = lane.pass_once()

    assert report.sent == ["1-000002"] and report.error is None
    assert lane.online and lane.pending == 0
    sales = _server_sales(rig)
    assert [no for no, _ in sales] == ["1-000001", "1-000002"]
    assert len({oid for _, oid in sales}) == 2  # each under its own lane-made id
    assert _stock(rig) == START_STOCK - 2
    moves = rig.server_rows("SELECT count(*) FROM stock_move WHERE reference = '1-000002' AND reason = 'sale'")
    audits = rig.server_rows("SELECT count(*) FROM audit_log WHERE action = 'sale.commit' AND target = '1-000002'")
    assert moves == [(1,)] and audits == [(1,)]
    assert rig.sell(lane, actor).receipt_no == "1-000003"  # online again, the series goes on


def test_a_commit_whose_reply_is_lost_is_queued_and_then_recognised_not_duplicated(rig, monkeypatch):
    lane = start_lane(rig.settings)
    actor = login()
    import psycopg2

    real_commit = lane.server.commit

    def commit_then_lose_the_reply():
        real_commit()
        rig.net.cut()
        raise psycopg2.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(lane.server, "commit", commit_then_lose_the_reply)
    sale = rig.sell(lane, actor)
    monkeypatch.undo()

    assert sale.receipt_no == "1-000001" and lane.pending == 1  # the lane cannot know: it keeps it
    rig.net.restore()
    report = lane.pass_once()

    assert report.already == ["1-000001"] and report.sent == []
    assert [no for no, _ in _server_sales(rig)] == ["1-000001"]  # once
    assert _stock(rig) == START_STOCK - 1
    assert lane.online and lane.pending == 0


def test_the_server_coming_back_while_the_queue_is_sent_keeps_order_and_sends_each_once(rig, monkeypatch):
    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()  # the sender's probe finds the server gone before anyone scans
    assert not lane.online
    sold = [rig.sell(lane, actor).receipt_no for _ in range(3)]
    assert sold == ["1-000001", "1-000002", "1-000003"] and lane.pending == 3
    rig.net.restore()
    real, calls = offline_send.write_on_server, []

    def network_drops_again_after_the_first(queued):
        calls.append(queued.sale["receipt_no"])
        if len(calls) == 2:
            rig.net.cut()
        return real(queued)

    monkeypatch.setattr(offline_send, "write_on_server", network_drops_again_after_the_first)
    report = lane.pass_once()
    monkeypatch.undo()

    assert report.sent == ["1-000001"] and report.error is not None
    assert not lane.online and lane.pending == 2
    assert rig.sell(lane, actor).receipt_no == "1-000004"  # selling goes on meanwhile, behind the queue
    rig.net.restore()
    report = lane.pass_once()

    assert report.sent == ["1-000002", "1-000003", "1-000004"]
    assert [no for no, _ in _server_sales(rig)] == ["1-000001", "1-000002", "1-000003", "1-000004"]
    assert _stock(rig) == START_STOCK - 4
    assert rig.server_rows("SELECT value FROM setting WHERE key = 'receipt_seq.1'") == [("4",)]
    assert lane.online and lane.pending == 0
    assert rig.sell(lane, actor).receipt_no == "1-000005"


def test_two_lanes_sending_the_same_offline_sale_make_one_sale(rig, tmp_path):
    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()
    rig.sell(lane, actor)
    stop_lane()
    lane.local.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    # A second till holding the same queue (a copy of the lane's file, say after a restore).
    shutil.copy(offline_store.local_path(rig.settings.home, "1"), offline_store.local_path(tmp_path, "x"))
    locals_ = [lane.local, offline_store.open_local(tmp_path, "x")]
    assert [offline_store.pending(db) for db in locals_] == [1, 1]
    servers = [server_database(rig.direct_url), server_database(rig.direct_url)]
    start, reports = threading.Barrier(2), [None, None]

    def send(i):
        start.wait()
        reports[i] = offline_send.send_pending(locals_[i], servers[i])
        servers[i].drop_connection()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert all(r is not None and r.error is None for r in reports)
    assert sorted(len(r.sent) for r in reports) == [0, 1]  # one wrote it, the other found it there
    assert sorted(len(r.already) for r in reports) == [0, 1]
    assert [no for no, _ in _server_sales(rig)] == ["1-000001"]
    assert _stock(rig) == START_STOCK - 1
    assert [offline_store.pending(db) for db in locals_] == [0, 0]


def test_an_unreachable_server_at_start_without_a_synced_catalogue_cannot_start(rig):
    rig.net.cut()

    with pytest.raises(StoreError) as caught:
        start_lane(rig.settings, offline=True)

    message = str(caught.value)
    assert "cannot reach the database server" in message and "\n" not in message
    assert "no synced catalogue, so it cannot start without the server" in message
    assert not isinstance(caught.value, OfflineAvailable)
    assert not offline_store.local_path(rig.settings.home, "1").exists()


def test_an_unreachable_server_at_start_offers_offline_mode_with_a_synced_catalogue(rig):
    start_lane(rig.settings)  # online once: the catalogue is synced
    stop_lane()
    close_database()
    rig.net.cut()

    with pytest.raises(OfflineAvailable) as caught:
        start_lane(rig.settings)
    message = str(caught.value)
    assert "cannot reach the database server" in message and "pos run --offline" in message
    assert "\n" not in message

    lane = start_lane(rig.settings, offline=True)
    actor = login()  # the user and the password hash came with the catalogue
    sale = rig.sell(lane, actor)

    assert not lane.online and lane.pending == 1 and sale.receipt_no == "1-000001"
    assert _server_sales(rig) == []


def test_a_wrong_password_at_start_is_one_clear_line(rig, pg_cluster, pg_url):
    # The throwaway cluster trusts every local login; this one role must give a password.
    hba, rule = pg_cluster.folder / "data" / "pg_hba.conf", "host all pw_lane 127.0.0.1/32 scram-sha-256\n"
    if rule not in hba.read_text():
        hba.write_text(rule + hba.read_text())
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE pw_lane LOGIN PASSWORD 'right-one'; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    pg_cluster.execute("SELECT pg_reload_conf()")
    url = rig.net.url(pg_url).replace("postgres@", "pw_lane:wrong-one@")
    _wait_until_refused(url)
    rig.settings.set("database.url", url)

    with pytest.raises(StoreError) as caught:
        start_lane(rig.settings)

    message = str(caught.value)
    assert "refused the login" in message and "password authentication failed" in message
    assert "wrong-one" not in message and "\n" not in message  # the password is never shown
    assert "cannot start without the server" in message


def _wait_until_refused(url: str) -> None:
    """pg_reload_conf() signals the server; wait until it has read the new rule."""
    import time

    import psycopg2

    deadline = time.monotonic() + 10
    while True:
        try:
            psycopg2.connect(url).close()
        except psycopg2.OperationalError as exc:
            if "password authentication failed" in str(exc):
                return
        if time.monotonic() > deadline:
            raise AssertionError("the server never read the new pg_hba.conf")
        time.sleep(0.05)


def test_the_pending_count_goes_down_to_zero_as_the_queue_is_sent(rig):
    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()
    for _ in range(3):
        rig.sell(lane, actor)
    seen: list[tuple[bool, int]] = []
    lane.on_change = lambda: seen.append((lane.online, lane.status().pending))
    rig.net.restore()

    lane.start()  # the sender thread, as the till runs it
    lane.wake()
    _wait_for(lambda: (True, 0) in seen)  # online, nothing pending: what the status line shows last

    shown = seen[:seen.index((True, 0)) + 1]
    counts = [n for _, n in shown]
    assert counts == sorted(counts, reverse=True)  # never up again while it sends
    assert {2, 1, 0} <= set(counts)  # one by one, down to none
    assert all(not online for online, n in shown if n > 0)  # offline until the queue is empty
    assert lane.online and lane.pending == 0


def _wait_for(condition, timeout: float = 15.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def test_while_offline_only_sales_are_taken_and_the_rest_is_refused_saying_why(rig):
    from peewee import IntegrityError

    from pos_tui.db.models import CashMovement, Shift
    from pos_tui.services import shifts

    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()
    assert not lane.online

    with pytest.raises(IntegrityError, match="this lane is offline: cash in and out need the server"):
        shifts.cash_movement(actor, rig.settings, "paid_in", 500, "change for the till", lane="1")
    with pytest.raises(IntegrityError, match="this lane is offline: closing a shift needs the server"):
        shifts.close_shift(actor, rig.settings, lane="1", counts=shifts.break_down(rig.settings, 10000),
                           note="offline close")

    with database.routed(lane.local):
        assert CashMovement.select().count() == 0
        assert Shift.get(Shift.lane == "1").closed_at is None
    assert rig.sell(lane, actor).receipt_no == "1-000001"  # sales still go on


def test_a_sale_whose_shift_was_closed_on_the_server_meanwhile_still_arrives_once(rig):
    lane = start_lane(rig.settings)
    actor = login()
    rig.net.cut()
    lane.pass_once()
    rig.sell(lane, actor)
    # Meanwhile, at the office, the lane's shift is closed on the server (by hand, as a supervisor might).
    rig.server_rows("UPDATE shift SET closed_at = '2026-11-27T18:00:00.000000+00:00', closed_by = 'office' "
                    "WHERE lane = '1' RETURNING id")
    rig.net.restore()

    report = lane.pass_once()

    assert report.sent == ["1-000001"] and lane.pending == 0
    assert rig.server_rows("SELECT shift_id FROM sale WHERE receipt_no = '1-000001'") == [(None,)]
    details = rig.server_rows("SELECT details FROM audit_log WHERE action = 'sale.commit' AND target = '1-000001'")
    assert '"shift_closed": true' in details[0][0]
    from pos_tui.db.models import Shift

    with database.routed(lane.local):  # the sync closed the lane's copy of the shift too
        assert Shift.get(Shift.lane == "1").closed_at is not None


def test_an_offline_number_the_server_already_used_is_renumbered_not_refused_forever(rig):
    from pos_tui.db.models import Setting

    lane = start_lane(rig.settings)
    actor = login()
    assert rig.sell(lane, actor).receipt_no == "1-000001"
    with database.routed(lane.local):  # as if the lane crashed before noting its last online number
        Setting.update(value="0").where(Setting.key == "receipt_seq.1").execute()
    rig.net.cut()
    lane.pass_once()
    assert rig.sell(lane, actor).receipt_no == "1-000001"  # printed with the number it believed was next
    rig.net.restore()

    report = lane.pass_once()

    assert report.error is None and lane.pending == 0 and lane.online
    assert [no for no, _ in _server_sales(rig)] == ["1-000001", "1-000002"]
    details = rig.server_rows("SELECT details FROM audit_log WHERE action = 'sale.commit' AND target = '1-000002'")
    assert '"renumbered_from": "1-000001"' in details[0][0]
    moves = rig.server_rows("SELECT reference FROM stock_move WHERE reason = 'sale' ORDER BY id")
    assert moves == [("1-000001",), ("1-000002",)]
    assert rig.sell(lane, actor).receipt_no == "1-000003"


def test_a_sale_with_a_customer_caught_by_the_outage_arrives_with_its_customer(rig):
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services.catalog import scan

    (customer_id,) = rig.server_rows("INSERT INTO customer (name, phone, email, notes, created_at) VALUES "
                                     "('Ada', '', '', '', '2026-11-27T09:00:00.000000+00:00') RETURNING id")[0]
    lane = start_lane(rig.settings)
    actor = login()
    cart = Cart()
    cart.add(scan(TEA, rig.settings.tax_rates()))
    cart.customer_id, cart.customer_name = customer_id, "Ada"
    rig.net.cut()  # between the scan and the payment

    sale = lane.commit(actor, cart, [Tender("cash", cart.totals().total)], settings=rig.settings)

    assert sale.customer == "Ada" and lane.pending == 1  # the receipt still names the customer
    rig.net.restore()
    assert lane.pass_once().sent == ["1-000001"]
    assert rig.server_rows("SELECT customer_id FROM sale WHERE receipt_no = '1-000001'") == [(customer_id,)]
