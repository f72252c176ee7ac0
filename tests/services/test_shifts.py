"""Shifts and cash control: the float, cash in and out, the X and Z reports, the blind count."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from peewee import IntegrityError

from pos_tui.db.models import AuditLog, CashMovement, PrintJob, Sale, Shift, database
from pos_tui.domain.cart import Cart, CartLine
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, NotFound, StoreError, ValidationError
from pos_tui.services import audit, auth, drawer as drawer_service, returns, sales, shifts
from pos_tui.services.catalog import scan
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.shift_reports import x_report
from tests.services.conftest import TEA, import_catalog

FLOAT = {"20.00": 5, "10.00": 4, "1.00": 10}  # 150.00


class FakeDrawer:
    def __init__(self) -> None:
        self.kicks: list[str] = []

    def open(self, reason: str) -> None:
        self.kicks.append(reason)


@pytest.fixture
def shop(store, admin_actor):
    import_catalog(store)
    auth.add_user(admin_actor, "cathy", "pw-cathy-1", "cashier")
    auth.add_user(admin_actor, "sam", "pw-sam-12", "supervisor")
    store.set("backup.on_shift_close", "false")
    return store


@pytest.fixture
def cathy(shop):
    return auth.authenticate("cathy", "pw-cathy-1")


@pytest.fixture
def sam(shop):
    return auth.authenticate("sam", "pw-sam-12")


def _written() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Shift, CashMovement, Sale, AuditLog, PrintJob))


def _sell(store, actor, *tenders: Tender, lane: str = "1", code: str | None = None):
    cart = Cart()
    cart.add(scan(code or TEA, store.tax_rates()))
    return sales.commit_sale(actor, cart, list(tenders), lane=lane, settings=store)


def _line(store, price: int) -> CartLine:
    """Tea at `price` (what a sale or refund of any amount needs)."""
    return replace(scan(TEA, store.tax_rates()), unit_price=price)


# -- opening ---------------------------------------------------------------------
def test_a_shift_opens_with_the_float_counted_note_by_note(shop, cathy):
    drawer = FakeDrawer()
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT, drawer=drawer)
    assert opened.shift.float_amount == 15000 and opened.shift.number == 1 and opened.shift.opened_by == "cathy"
    assert dict(opened.shift.float_counts) == {2000: 5, 1000: 4, 100: 10}
    assert shifts.current_shift("1") == opened.shift
    assert opened.drawer.opened and drawer.kicks  # drawer.rules.shift_open is on by default
    (row,) = audit.entries("shift.open")
    assert (row.target, row.username, row.details["float"]) == ("1", "cathy", 15000)


def test_a_second_open_shift_on_a_lane_is_refused_and_changes_nothing(shop, cathy, sam):
    shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    before = _written()
    with pytest.raises(ValidationError, match="lane 1 already has shift 1 open"):
        shifts.open_shift(sam, shop, lane="1", counts=FLOAT)
    assert _written() == before
    assert shifts.open_shift(sam, shop, lane="2", counts=FLOAT).shift.number == 1  # another lane is its own


def test_the_database_itself_refuses_a_second_open_shift(shop, cathy):
    shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    with pytest.raises(IntegrityError), database.atomic():
        Shift.create(lane="1", number=2, opened_by="x", float_amount=0)


@pytest.mark.parametrize("counts, message", [
    ({"5.00": -1}, "whole number, 0 or more"),
    ({"5.00": "2.5"}, "whole number, 0 or more"),
    ({"5.00": True}, "whole number, 0 or more"),
    ({"5.00": "ten"}, "whole number, 0 or more"),
    ({"3.00": 1}, "not one of the notes and coins"),
    ({"fiver": 1}, "not a money amount"),
    ({"5.00": 10**9}, "recount"),
])
def test_bad_counts_are_refused_and_change_nothing(shop, cathy, counts, message):
    before = _written()
    with pytest.raises(ValidationError, match=message):
        shifts.open_shift(cathy, shop, lane="1", counts=counts)
    assert _written() == before and shifts.current_shift("1") is None


def test_a_typed_total_needs_the_shop_to_allow_it(shop, cathy):
    with pytest.raises(ValidationError, match="note by note"):
        shifts.open_shift(cathy, shop, lane="1", amount=15000)
    shop.set("shift.count_by_denomination", "false")
    assert shifts.open_shift(cathy, shop, lane="1", amount=15000).shift.float_amount == 15000


def test_denominations_follow_the_currency_unless_the_shop_lists_its_own(shop):
    assert shifts.denominations(shop)[:2] == (10000, 5000)  # USD
    shop.set("store.currency", "GBP")
    assert 200 in shifts.denominations(shop) and 10000 not in shifts.denominations(shop)
    shop.set("shift.denominations", "0.50,1.00,5.00")
    assert shifts.denominations(shop) == (500, 100, 50)


# -- enforcement -----------------------------------------------------------------
def test_no_sale_refund_or_no_sale_opening_without_an_open_shift(shop, cathy, sam):
    before = _written()
    with pytest.raises(ValidationError, match="lane 1 has no open shift"):
        _sell(shop, cathy, Tender("cash", 500))
    with pytest.raises(ValidationError, match="lane 1 has no open shift"):
        returns.commit_return_without_receipt(sam, _line(shop, 250), tender="cash", restock=False, lane="1",
                                              settings=shop)
    with pytest.raises(ValidationError, match="lane 1 has no open shift"):
        drawer_service.no_sale(sam, shop, FakeDrawer(), "check the float", "1")
    assert _written() == before


def test_a_sale_records_its_shift_and_a_closed_shift_takes_no_more(shop, cathy):
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    sale = _sell(shop, cathy, Tender("cash", 500))
    assert Sale.get(Sale.receipt_no == sale.receipt_no).shift_id == opened.shift.id
    shifts.close_shift(cathy, shop, lane="1", counts={"20.00": 5, "10.00": 4, "1.00": 12, "0.25": 2})
    with pytest.raises(ValidationError, match="no open shift"):
        _sell(shop, cathy, Tender("cash", 500))


# -- cash in and out -------------------------------------------------------------
def test_cash_in_and_out_needs_the_permission_or_a_supervisor(shop, cathy, sam):
    shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    before = _written()
    with pytest.raises(NeedsApproval) as refused:
        shifts.cash_movement(cathy, shop, "paid_in", 2000, "change for the till", lane="1")
    assert refused.value.cash_in_out
    with pytest.raises(AuthError, match=r"\[cash.in_out\]"):
        shifts.cash_movement(cathy, shop, "paid_in", 2000, "change for the till", lane="1", approver=cathy)
    assert _written() == before
    drawer = FakeDrawer()
    moved = shifts.cash_movement(cathy, shop, "paid_in", 2000, "change for the till", lane="1", approver=sam,
                                 note="from the safe", drawer=drawer)
    assert (moved.expected_after, moved.movement.approver, moved.drawer.opened) == (17000, "sam", True)
    (row,) = audit.entries("cash.movement")
    assert (row.username, row.details["approver"], row.details["note"]) == ("cathy", "sam", "from the safe")


@pytest.mark.parametrize("kind, amount, reason, message", [
    ("paid_in", 0, "tips", "more than 0.00"),
    ("paid_in", -100, "tips", "more than 0.00"),
    ("refund", 100, "tips", "not a cash movement"),
    ("paid_out", 100, "lunch", "not a reason"),
])
def test_bad_cash_movements_are_refused_and_change_nothing(shop, sam, kind, amount, reason, message):
    shifts.open_shift(sam, shop, lane="1", counts=FLOAT)
    before = _written()
    with pytest.raises(ValidationError, match=message):
        shifts.cash_movement(sam, shop, kind, amount, reason, lane="1")
    assert _written() == before


def test_a_cash_out_past_the_expected_cash_needs_a_supervisor(shop, admin_actor, sam):
    from pos_tui.services import permissions

    permissions.create_role(admin_actor, "floor")
    permissions.grant(admin_actor, "floor", ["cash.in_out"])
    auth.add_user(admin_actor, "fran", "pw-fran-12", "floor")
    fran = auth.authenticate("fran", "pw-fran-12")
    shifts.open_shift(fran, shop, lane="1", counts=FLOAT)
    shifts.cash_movement(fran, shop, "safe_drop", 10000, "safe drop", lane="1")  # within what the drawer holds
    before = _written()
    with pytest.raises(NeedsApproval, match="more than the 50.00 the drawer should hold") as refused:
        shifts.cash_movement(fran, shop, "paid_out", 6000, "supplier paid", lane="1")
    assert refused.value.cash_over
    assert _written() == before
    moved = shifts.cash_movement(fran, shop, "paid_out", 6000, "supplier paid", lane="1", approver=sam)
    assert moved.expected_after == -1000


# -- X report --------------------------------------------------------------------
def test_the_x_report_counts_by_tender_and_resets_nothing(shop, cathy, sam):
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    _sell(shop, cathy, Tender("cash", 1000))  # tea 2.50: change 7.50
    _sell(shop, cathy, Tender("card", 250))
    returns.commit_return_without_receipt(sam, _line(shop, 250), tender="cash", restock=False, lane="1",
                                          settings=shop)
    trainee = replace(cathy, training=True)
    _sell(shop, trainee, Tender("cash", 250))  # training: never counted
    audit.record_now("sale.void_line", cathy, "1")
    drawer_service.no_sale(sam, shop, FakeDrawer(), "check the float", "1")
    shifts.cash_movement(sam, shop, "paid_in", 1000, "change for the till", lane="1")
    shifts.cash_movement(sam, shop, "safe_drop", 5000, "safe drop", lane="1")
    first = x_report(opened.shift.id)
    tenders = {t.tender: t for t in first.tenders}
    assert (tenders["cash"].sales, tenders["cash"].refunds, tenders["card"].sales) == (250, -250, 250)
    assert (first.sales_count, first.sales_total, first.refunds_count, first.refunds_total) == (2, 500, 1, -250)
    assert (first.voids, first.no_sales, first.paid_in, first.safe_drops) == (1, 1, 1000, 5000)
    assert first.expected_cash == 15000 + 250 - 250 + 1000 - 5000
    assert x_report(opened.shift.id).expected_cash == first.expected_cash  # an X resets nothing
    lines = shifts.print_x(cathy, shop, lane="1")
    assert "X REPORT" in lines[1] and PrintJob.get().kind == "report"
    assert shifts.current_shift("1").is_open


# -- closing ---------------------------------------------------------------------
def test_a_close_records_the_blind_count_then_says_the_over_short(shop, cathy):
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    _sell(shop, cathy, Tender("cash", 500))  # expected: 152.50
    closed = shifts.close_shift(cathy, shop, lane="1", counts={"20.00": 5, "10.00": 4, "1.00": 12},
                                batch_totals={"card": 0})
    assert (closed.shift.counted, closed.shift.expected, closed.over_short) == (15200, 15250, -50)
    assert not closed.shift.is_open and closed.shift.closed_by == "cathy"
    assert Shift.get_by_id(opened.shift.id).z_report == "\n".join(closed.z_lines)
    job = PrintJob.get()
    assert (job.kind, job.name, json.loads(job.lines)) == ("report", "Z-1-0001", list(closed.z_lines))
    assert any("Over/short" in line and "-0.50" in line for line in closed.z_lines)
    (row,) = audit.entries("shift.close")
    assert (row.target, row.details["over_short"]) == ("1", -50)


def test_the_till_can_ask_whether_a_count_needs_a_note_without_learning_the_figure(shop, cathy):
    shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    _sell(shop, cathy, Tender("cash", 500))  # expected: 152.50; the limit is 5.00
    assert not shifts.count_needs_note(shop, lane="1", counts={"20.00": 5, "10.00": 4, "1.00": 12})  # 0.50 short
    assert shifts.count_needs_note(shop, lane="1", counts={"20.00": 5, "10.00": 4})  # 12.50 short
    assert shifts.current_shift("1").is_open  # asking changes nothing


def test_closing_twice_is_refused_and_a_closed_shift_never_changes(shop, cathy, sam):
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    shifts.close_shift(cathy, shop, lane="1", counts=FLOAT)
    before, z = _written(), Shift.get_by_id(opened.shift.id).z_report
    with pytest.raises(ValidationError, match="shift 1 is already closed"):
        shifts.close_shift(cathy, shop, lane="1", counts=FLOAT)
    with pytest.raises(ValidationError, match="no open shift"):
        shifts.cash_movement(sam, shop, "paid_in", 100, "tips", lane="1")
    with pytest.raises(Exception, match="a closed shift never changes"):
        Shift.update(counted=1).where(Shift.id == opened.shift.id).execute()
    with pytest.raises(Exception, match="a closed shift never changes"):
        CashMovement.create(shift=opened.shift.id, kind="paid_in", amount=1, reason="tips", user="x")
    assert _written() == before and Shift.get_by_id(opened.shift.id).z_report == z


def test_an_over_short_past_the_limit_needs_a_supervisor_and_a_note(shop, cathy, sam):
    shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    short = {"20.00": 5, "10.00": 4}  # 140.00: 10.00 short, past the 5.00 limit
    before = _written()
    with pytest.raises(NeedsApproval, match="off by more than the 5.00 limit") as refused:
        shifts.close_shift(cathy, shop, lane="1", counts=short)
    assert refused.value.cash_over and "10.00" not in str(refused.value)  # a blind count: no figure shown
    with pytest.raises(AuthError, match=r"\[shift.close_over_limit\]"):
        shifts.close_shift(cathy, shop, lane="1", counts=short, approver=cathy, note="x")
    with pytest.raises(ValidationError, match="write a note"):
        shifts.close_shift(cathy, shop, lane="1", counts=short, approver=sam)
    assert _written() == before and shifts.current_shift("1") is not None
    closed = shifts.close_shift(cathy, shop, lane="1", counts=short, approver=sam, note="a 10 given as change")
    assert (closed.over_short, closed.shift.approver, closed.shift.note) == (-1000, "sam", "a 10 given as change")


def test_z_numbers_run_per_lane_without_gaps(shop, sam):
    numbers = []
    for lane in ("1", "1", "2", "1", "2"):
        numbers.append((lane, shifts.open_shift(sam, shop, lane=lane, counts=FLOAT).shift.number))
        shifts.close_shift(sam, shop, lane=lane, counts=FLOAT)
    assert numbers == [("1", 1), ("1", 2), ("2", 1), ("1", 3), ("2", 2)]


def test_a_z_report_reprints_byte_for_byte(shop, cathy, sam):
    opened = shifts.open_shift(cathy, shop, lane="1", counts=FLOAT)
    _sell(shop, cathy, Tender("card", 250))
    closed = shifts.close_shift(cathy, shop, lane="1", counts=FLOAT, batch_totals={"card": 240})
    first = "\n".join(closed.z_lines)
    assert any("difference" in line and "-0.10" in line for line in closed.z_lines)
    shop.set("store.name", "Renamed Shop")  # later settings never change a stored Z
    shop.set("printer.width", "32")
    again = shifts.reprint_z(sam, shop, opened.shift.id)
    assert again.encode("utf-8") == first.encode("utf-8")
    assert shifts.report_text(shop, opened.shift.id) == first
    copy = PrintJob.select().order_by(PrintJob.id.desc()).first()
    assert (copy.kind, "\n".join(json.loads(copy.lines))) == ("copy", first)
    with pytest.raises(Exception):  # report.view
        shifts.reprint_z(cathy, shop, opened.shift.id)
    with pytest.raises(NotFound):
        shifts.reprint_z(sam, shop, 999)


@pytest.mark.sqlite_only("a lane backs up a SQLite file; PostgreSQL is backed up on its server")
def test_the_close_backs_up_and_a_failed_backup_does_not_undo_it(shop, sam, monkeypatch):
    shop.set("backup.on_shift_close", "true")
    shifts.open_shift(sam, shop, lane="1", counts=FLOAT)
    closed = shifts.close_shift(sam, shop, lane="1", counts=FLOAT)
    assert closed.backup_path and closed.backup_error == ""
    shifts.open_shift(sam, shop, lane="1", counts=FLOAT)

    def broken(*args, **kwargs):
        raise StoreError("cannot write the backup: disk full")

    monkeypatch.setattr("pos_tui.services.backup.backup_at_shift_close", broken)
    closed = shifts.close_shift(sam, shop, lane="1", counts=FLOAT)
    assert closed.backup_error == "cannot write the backup: disk full" and not closed.shift.is_open
    assert shifts.current_shift("1") is None


# -- the arithmetic --------------------------------------------------------------
_LANES = count(1)
_STEPS = st.lists(st.one_of(
    st.tuples(st.just("cash_sale"), st.integers(1, 50_000), st.integers(0, 5_000)),
    st.tuples(st.just("card_sale"), st.integers(1, 50_000), st.just(0)),
    st.tuples(st.just("cash_refund"), st.integers(1, 20_000), st.just(0)),
    st.tuples(st.sampled_from(("paid_in", "paid_out", "safe_drop")), st.integers(1, 30_000), st.just(0)),
), max_size=12)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(float_pieces=st.integers(0, 40), steps=_STEPS)
def test_expected_cash_is_float_plus_cash_sales_minus_refunds_plus_in_minus_out(shop, admin_actor, float_pieces,
                                                                               steps):
    lane = f"h{next(_LANES)}"
    opened = shifts.open_shift(admin_actor, shop, lane=lane, counts={"5.00": float_pieces})
    expected = float_pieces * 500
    for kind, amount, extra in steps:
        if kind in ("cash_sale", "card_sale"):
            cart = Cart()
            cart.add(_line(shop, amount))
            tender = Tender("cash", amount + extra) if kind == "cash_sale" else Tender("card", amount)
            sales.commit_sale(admin_actor, cart, [tender], lane=lane, settings=shop)
            expected += amount if kind == "cash_sale" else 0
        elif kind == "cash_refund":
            refund = returns.commit_return_without_receipt(admin_actor, _line(shop, amount), tender="cash",
                                                           restock=False, lane=lane, settings=shop)
            expected += refund.total
        else:
            shifts.cash_movement(admin_actor, shop, kind, amount, "tips", lane=lane)
            expected += amount if kind == "paid_in" else -amount
    assert x_report(opened.shift.id).expected_cash == expected
    if expected >= 0:
        shop.set("shift.count_by_denomination", "false")
        closed = shifts.close_shift(admin_actor, shop, lane=lane, amount=expected)
        shop.set("shift.count_by_denomination", "true")
        assert (closed.shift.expected, closed.over_short, closed.report.expected_cash) == (expected, 0, expected)
