"""Training mode at the till: the banner on every screen, switched per user or by a supervisor."""

from __future__ import annotations

from pos_tui.db.models import Sale
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor
from pos_tui.services.shift_reports import x_report
from pos_tui.services.shifts import current_shift
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.receipt_view import ReceiptModal
from pos_tui.tui.widgets.training_banner import TrainingBanner

from tests.tui.pilot_helpers import login, scan, settle_workers, wait_until


def _banner_on_top(app) -> bool:
    """The current screen shows the banner on its first row, across the screen."""
    banners = [b for b in app.screen.query(TrainingBanner) if b.display]
    return bool(banners) and banners[0].region.y == 0 and banners[0].region.width == app.size.width \
        and "TRAINING" in str(banners[0].render())


async def test_a_training_user_sees_the_banner_on_checkout_and_other_areas_and_cannot_leave(demo_store):
    auth.set_training(Actor.cli(), "cashier", True)
    demo_store.set("keys.till.training", "ctrl+y")  # remapped like any till key
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await wait_until(pilot, lambda: _banner_on_top(app), "the banner on checkout")
        assert app.actor.training and app.screen.actor.training

        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: "training user" in str(app.screen.query_one("#notice").render()),
                         "the refusal")
        assert app.actor.training

        await pilot.press("f12", "o")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "OrdersScreen", "the Orders area")
        await wait_until(pilot, lambda: _banner_on_top(app), "the banner on Orders")
        await settle_workers(app)


async def test_a_supervisor_approves_training_for_a_cashier_and_the_receipt_says_so(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        assert not app.actor.training and not _banner_on_top(app)

        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "the supervisor's approval")
        await pilot.press(*"supervisor", "enter", *"2222", "enter")
        await wait_until(pilot, lambda: _banner_on_top(app), "the banner after the approval")
        assert app.screen.actor.training
        assert audit.entries("training.on")[0].details == {"approver": "supervisor"}

        voids = x_report(current_shift(demo_store.get("lane")).id).voids
        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a line")
        await pilot.press("f8", "l")  # a training void: audited as training, not one of the shift's voids
        await wait_until(pilot, lambda: app.screen.cart.is_empty, "the line voided")
        await settle_workers(app)
        assert audit.entries("sale.void_line")[0].details["training"] is True
        assert x_report(current_shift(demo_store.get("lane")).id).voids == voids

        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a line")
        await pilot.press("ctrl+t")  # a cart is open: refused
        await wait_until(pilot, lambda: "the cart has 1 line" in str(app.screen.query_one("#notice").render()),
                         "the refusal with a cart open")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        await pilot.press("enter")
        await wait_until(pilot, lambda: Sale.select().where(Sale.training == True).count() == 1,  # noqa: E712
                         "the training sale")
        await settle_workers(app)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiptModal), "the receipt on screen")
        banner = app.screen.query_one("#receipt-training", TrainingBanner)
        assert banner.display and "TRAINING - NOT A RECEIPT" in str(banner.render())
        await settle_workers(app)
