"""A drawer that does not open after a paid in or a cash refund: the cashier is told, after the line
saying the money was recorded, not covered by it."""

from __future__ import annotations

from pos_tui.db.models import CashMovement
from pos_tui.hardware.base import HardwareError
from pos_tui.services import audit
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.cash_movement import CashMovementModal
from pos_tui.tui.modals.choose import ChooseModal

from tests.tui.pilot_helpers import login, settle_workers, shown, wait_until


class UnpluggedDrawer:
    """A drawer whose cable is out: every kick fails the way the hardware layer says."""

    def __init__(self) -> None:
        self.tries = 0

    def open(self, reason: str) -> None:
        self.tries += 1
        raise HardwareError("drawer not connected; check its cable to the printer")

    def is_open(self) -> bool | None:
        return None


async def test_a_paid_in_whose_drawer_fails_says_the_drawer_did_not_open(demo_store):
    app = PosApp(demo_store)
    app.drawer = UnpluggedDrawer()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        checkout = app.screen
        await wait_until(pilot, lambda: checkout.shift is not None, "the open shift")
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "I" in app.screen.choices,
                         "the shift menu")
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, CashMovementModal), "the paid-in form")
        await pilot.press(*"15", "enter", "a", "enter")
        await wait_until(pilot, lambda: CashMovement.select().count() == 1 and app.drawer.tries == 1, "the paid in")
        await settle_workers(app)
        await pilot.pause()
        notice = shown(app, "#notice")
        assert "the drawer did not open" in notice and "not connected" in notice
        assert checkout.query_one("#notice").error
    assert CashMovement.get().amount == 1500  # recorded all the same
    assert "not connected" in audit.entries("drawer.open")[0].details["outcome"]  # the trail says why


async def test_a_cash_refund_whose_drawer_fails_says_so_naming_the_refund(demo_store):
    from pos_tui.db.models import Sale
    from tests.tui.test_returns import _return_one_for_cash

    app = PosApp(demo_store)
    app.drawer = UnpluggedDrawer()
    async with app.run_test(size=(80, 24)) as pilot:
        before = Sale.select().where(Sale.status == "return").count()
        await _return_one_for_cash(pilot, app, "s")
        await wait_until(pilot, lambda: app.drawer.tries == 1, "the drawer tried")
        await settle_workers(app)
        await pilot.pause()
        refund = Sale.select().where(Sale.status == "return").order_by(Sale.id.desc()).first()
        assert Sale.select().where(Sale.status == "return").count() == before + 1  # the refund is saved
        notice = shown(app, "#notice")
        assert f"refund {refund.receipt_no}: the drawer did not open" in notice and "not connected" in notice
