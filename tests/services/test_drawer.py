"""The drawer service: every opening or try is audited with its outcome; no-sales obey the rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from pos_tui.db.models import AuditLog
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, ValidationError
from pos_tui.hardware.base import HardwareError
from pos_tui.services import audit, auth, sales, shifts
from pos_tui.services import drawer as drawer_service
from pos_tui.services.catalog import scan
from pos_tui.services.drawer_rules import ShiftEvent
from pos_tui.services.limits import NeedsApproval
from tests.conftest import open_test_shift

NOON = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)  # store.timezone is UTC by default


class FakeDrawer:
    def __init__(self, error: str | None = None) -> None:
        self.error, self.kicks = error, []

    def open(self, reason: str) -> None:
        if self.error:
            raise HardwareError(self.error)
        self.kicks.append(reason)


@pytest.fixture
def people(store, admin_actor):
    auth.add_user(admin_actor, "cathy", "pw-cathy-1", "cashier")
    auth.add_user(admin_actor, "sam", "pw-sam-12", "supervisor")
    open_test_shift(store, "1")
    open_test_shift(store, "2")
    return auth.authenticate("cathy", "pw-cathy-1"), auth.authenticate("sam", "pw-sam-12")


def _sale(catalog, store, actor, *tenders: Tender):
    cart = Cart()
    cart.add(scan(catalog.tea, store.tax_rates()))
    return sales.commit_sale(actor, cart, list(tenders), lane="1", settings=store)


def test_a_cash_sale_opens_and_the_opening_is_audited(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor, Tender("cash", 500))
    drawer = FakeDrawer()
    outcome = drawer_service.open_for_sale(admin_actor, store, drawer, sale, lane="1")
    assert outcome.opened and drawer.kicks == [f"sale {sale.receipt_no}"]
    (row,) = audit.entries("drawer.open")
    assert (row.target, row.username) == ("1", "owner")
    assert row.details | {} == {"why": "sale", "reason": "sale: cash", "outcome": "opened", "receipt": sale.receipt_no}


def test_a_card_sale_neither_opens_nor_writes_an_audit_row(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor, Tender("card", 250))
    drawer = FakeDrawer()
    assert not drawer_service.open_for_sale(admin_actor, store, drawer, sale, lane="1").opened
    assert drawer.kicks == [] and audit.entries("drawer.open") == []


def test_a_drawer_that_fails_is_recorded_with_its_error_and_never_raises(catalog, store, admin_actor):
    sale = _sale(catalog, store, admin_actor, Tender("cash", 500))
    outcome = drawer_service.open_for_sale(admin_actor, store, FakeDrawer("the drawer is not connected"), sale,
                                           lane="1")
    assert not outcome.opened and outcome.outcome == "the drawer is not connected"
    assert audit.entries("drawer.open")[0].details["outcome"] == "the drawer is not connected"


def test_training_never_kicks_the_drawer_but_says_so_in_the_audit(catalog, store, admin_actor):
    trainee = replace(admin_actor, training=True)
    sale = _sale(catalog, store, trainee, Tender("cash", 500))
    drawer = FakeDrawer()
    outcome = drawer_service.open_for_sale(trainee, store, drawer, sale, lane="1")
    assert drawer.kicks == [] and not outcome.opened and outcome.decision.would == "open"
    assert audit.entries("drawer.open")[0].details["outcome"] == "training: not opened"


def test_a_cash_amount_outside_the_range_asks_the_cashier_first(catalog, store, admin_actor):
    store.set("drawer.rules.cash_range", "0.01-2.00")
    sale = _sale(catalog, store, admin_actor, Tender("cash", 5000))
    drawer = FakeDrawer()
    asked = drawer_service.open_for_sale(admin_actor, store, drawer, sale, lane="1")
    assert asked.asks and drawer.kicks == [] and audit.entries("drawer.open") == []
    declined = drawer_service.open_for_sale(admin_actor, store, drawer, sale, lane="1", answer=False)
    assert declined.outcome == "not opened: cashier declined" and drawer.kicks == []
    assert drawer_service.open_for_sale(admin_actor, store, drawer, sale, lane="1", answer=True).opened
    assert [e.details["outcome"] for e in audit.entries("drawer.open")] == ["opened", "not opened: cashier declined"]


def test_a_cash_refund_opens_and_a_card_refund_does_not(store, admin_actor):
    drawer = FakeDrawer()
    assert drawer_service.open_for_refund(admin_actor, store, drawer, "cash", 320, lane="1", receipt="1-000009").opened
    assert not drawer_service.open_for_refund(admin_actor, store, drawer, "card", 320, lane="1",
                                              receipt="1-000010").opened
    assert [e.details["why"] for e in audit.entries("drawer.open")] == ["refund"]


def test_shift_close_follows_its_setting(store, admin_actor):
    drawer = FakeDrawer()
    store.set("drawer.rules.shift_close", "false")
    assert not drawer_service.open_drawer(admin_actor, store, drawer, ShiftEvent("close"), lane="1").opened
    assert drawer_service.open_drawer(admin_actor, store, drawer, ShiftEvent("open"), lane="1").opened
    assert audit.entries("drawer.open")[0].details["why"] == "shift_open"


def test_the_drawer_test_needs_settings_edit(store, admin_actor, people):
    cashier, _ = people
    with pytest.raises(AuthError):
        drawer_service.check_drawer(cashier, store, FakeDrawer(), lane="1")
    assert drawer_service.check_drawer(admin_actor, store, FakeDrawer(), lane="1").opened


# -- no-sale ------------------------------------------------------------------
def test_a_supervisor_opens_a_no_sale_with_a_listed_reason(store, people):
    _, supervisor = people
    drawer = FakeDrawer()
    outcome = drawer_service.no_sale(supervisor, store, drawer, "check the float", "1", now=NOON)
    assert outcome.opened and drawer.kicks == ["no sale: check the float"]
    details = audit.entries("drawer.open")[0].details
    assert details["why"] == "no_sale" and details["no_sale_reason"] == "check the float"


def _written() -> int:
    return AuditLog.select().count()


def test_a_cashier_needs_a_supervisor_for_a_no_sale(store, people):
    cashier, supervisor = people
    drawer = FakeDrawer()
    before = _written()
    with pytest.raises(NeedsApproval) as asked:
        drawer_service.no_sale(cashier, store, drawer, "check the float", "1", now=NOON)
    assert asked.value.no_sale and drawer.kicks == [] and _written() == before
    with pytest.raises(AuthError, match="drawer.no_sale"):
        drawer_service.no_sale(cashier, store, drawer, "check the float", "1", approver=cashier, now=NOON)
    assert drawer.kicks == [] and _written() == before
    outcome = drawer_service.no_sale(cashier, store, drawer, "check the float", "1", approver=supervisor, now=NOON)
    assert outcome.opened
    row = audit.entries("drawer.open")[0]
    assert row.username == "cathy" and row.details["approver"] == "sam"


@pytest.mark.parametrize("setting, value, reason, says", [
    (None, None, "because", "not a no-sale reason"),
    ("drawer.rules.no_sale_hours", "08:00-11:00", "check the float", "allowed 08:00-11:00 only"),
    ("drawer.rules.no_sale_reasons", "give change", "check the float", "not a no-sale reason"),
])
def test_a_refused_no_sale_changes_nothing(store, people, setting, value, reason, says):
    _, supervisor = people
    if setting:
        store.set(setting, value)
    drawer = FakeDrawer()
    before = _written()
    with pytest.raises(ValidationError, match=says):
        drawer_service.no_sale(supervisor, store, drawer, reason, "1", now=NOON)
    assert drawer.kicks == [] and _written() == before


def test_no_sales_stop_at_the_maximum_counted_since_midnight_or_the_last_shift_close(store, people):
    _, supervisor = people
    store.set("drawer.rules.no_sale_max", "2")
    drawer = FakeDrawer()
    for _ in range(2):
        drawer_service.no_sale(supervisor, store, drawer, "check the float", "1")
    with pytest.raises(ValidationError, match="its 2 no-sale openings"):
        drawer_service.no_sale(supervisor, store, drawer, "check the float", "1")
    assert drawer_service.no_sale_count(store, "2") == 0  # another lane counts its own
    assert drawer_service.no_sale(supervisor, store, drawer, "check the float", "2").opened
    store.set("backup.on_shift_close", "false")
    shifts.close_shift(supervisor, store, lane="1", counts=shifts.break_down(store, 10000))
    open_test_shift(store, "1")  # a new shift on lane 1
    assert drawer_service.no_sale(supervisor, store, drawer, "check the float", "1").opened
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    assert drawer_service.no_sale_count(store, "1", now=tomorrow) == 0
    assert len(drawer.kicks) == 4


def test_a_training_no_sale_is_audited_but_never_kicks_nor_counts(store, people):
    _, supervisor = people
    trainee = replace(supervisor, training=True)
    drawer = FakeDrawer()
    outcome = drawer_service.no_sale(trainee, store, drawer, "check the float", "1", now=NOON)
    assert outcome.outcome == "training: not opened" and drawer.kicks == []
    assert drawer_service.no_sale_count(store, "1") == 0


def test_a_no_sale_needs_the_lane_s_open_shift_and_changes_nothing_without_one(store, people):
    _, supervisor = people
    drawer = FakeDrawer()
    with pytest.raises(ValidationError, match="lane 3 has no open shift"):
        drawer_service.no_sale(supervisor, store, drawer, "check the float", "3", now=NOON)
    assert drawer.kicks == [] and audit.entries("drawer.open") == []
