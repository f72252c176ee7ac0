"""Every binding a cashier can reach, pressed as a cashier: past their rights the till asks a
supervisor, and nothing gated happens without one."""

from __future__ import annotations

from pos_tui.db.models import AuditLog
from pos_tui.services import permissions
from pos_tui.services.auth import authenticate
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.cash_movement import CashMovementModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.customer_detail import CustomerDetailModal
from pos_tui.tui.modals.customer_form import CustomerFormModal
from pos_tui.tui.modals.customer_search import CustomerSearchModal
from pos_tui.tui.modals.help import HelpModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.product_search import ProductSearchModal
from pos_tui.tui.modals.return_lines import ReturnLinesModal
from pos_tui.tui.screens.checkout import CheckoutScreen

from tests.tui.pilot_helpers import login, scan, settle_workers, wait_until

BREAD, HALLOUMI = "4010079190010", "9313246790415"
GATED_ACTIONS = ("sale.discount", "sale.price_override", "sale.void_line", "sale.void_cart", "sale.refund",
                 "drawer.open", "role.", "setting.change", "user.", "cash.movement")


def _key(binding) -> str:
    return binding.key.split(",")[0].strip()


async def _until(pilot, app, kind, what: str) -> None:
    await wait_until(pilot, lambda: isinstance(app.screen, kind), what)


async def _back_to_checkout(pilot, app) -> None:
    for _ in range(5):
        if isinstance(app.screen, CheckoutScreen):
            return
        await pilot.press("escape")
        await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen), type(app.screen).__name__


# What pressing a binding leads to for a cashier: a modal's class, or a walk further in.
async def _discount_past_limit(pilot, app):
    await _until(pilot, app, ChooseModal, "the discount choice")
    await pilot.press("l")
    await _until(pilot, app, AskModal, "the discount prompt")
    await pilot.press(*"50%", "enter")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _price_override(pilot, app):
    await _until(pilot, app, ChooseModal, "the discount choice")
    await pilot.press("p")
    await _until(pilot, app, AskModal, "the price prompt")
    await pilot.press(*"0.10", "enter")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _void_without_the_right(pilot, app):
    await _until(pilot, app, ChooseModal, "the void choice")
    await pilot.press("s")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _refund_past_limit(pilot, app):
    await _until(pilot, app, AskModal, "the receipt prompt")
    await pilot.press(*"1-000005", "enter")
    await _until(pilot, app, ReturnLinesModal, "the receipt's lines")
    await pilot.press(*"1", "enter", "f10")
    await _until(pilot, app, ChooseModal, "the refund tender")
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "goods" in app.screen.title_text,
                     "restock or write off")
    await pilot.press("s")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _menu_lists_only_the_checkout(pilot, app):
    await _until(pilot, app, ChooseModal, "the menu")
    assert app.screen.choices == {"C": "Checkout (here)", "O": "Orders"}


async def _quit_asks_first(pilot, app):
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "Quit" in app.screen.title_text,
                     "the quit question")
    await pilot.press("n")


async def _reprint_has_nothing_yet(pilot, app):
    await wait_until(pilot, lambda: "No receipt to reprint" in str(app.screen.query_one("#notice").render()),
                     "the notice")


async def _no_sale_needs_a_supervisor(pilot, app):
    await _until(pilot, app, ChooseModal, "the no-sale reasons")
    await pilot.press("a")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _retry_has_nothing_failed(pilot, app):
    await wait_until(pilot, lambda: "No failed receipts" in str(app.screen.query_one("#notice").render()),
                     "the notice")


async def _training_waits_for_an_empty_cart(pilot, app):
    await wait_until(pilot, lambda: "the cart has 2 line(s)" in str(app.screen.query_one("#notice").render()),
                     "the notice")
    assert not app.actor.training


async def _paid_out_needs_a_supervisor(pilot, app):
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "O" in app.screen.choices
                     and "X" in app.screen.choices, "the shift menu")
    await pilot.press("o")
    await _until(pilot, app, CashMovementModal, "the paid-out form")
    await pilot.press(*"5.00", "enter", "a", *"float", "enter")
    await _until(pilot, app, OverrideModal, "a supervisor's approval")


async def _line_moves(pilot, app):
    await pilot.pause()


async def _customer_new_form(pilot, app):
    await _until(pilot, app, CustomerSearchModal, "the customer search")
    await pilot.press("f2")
    await _until(pilot, app, CustomerFormModal, "the new-customer form")


async def _customer_details(pilot, app):
    await _until(pilot, app, CustomerSearchModal, "the customer search")
    await pilot.press(*"LC000101")
    await wait_until(pilot, lambda: len(app.screen.rows) == 1, "the customer found")
    await pilot.press("f3")
    await _until(pilot, app, CustomerDetailModal, "the customer's details")


async def _park_asks_a_label(pilot, app):
    await _until(pilot, app, AskModal, "the park label")


async def _order_form_for_a_customer(pilot, app):
    from pos_tui.tui.modals.order_form import OrderFormModal

    await _until(pilot, app, CustomerSearchModal, "who the order is for")
    await pilot.press(*"LC000101")
    await wait_until(pilot, lambda: len(app.screen.rows) == 1, "the customer found")
    await pilot.press("enter")
    await _until(pilot, app, OrderFormModal, "the order form (a cashier takes orders)")


WALK = {
    "app.help": HelpModal,
    "checkout.search": ProductSearchModal,
    "checkout.quantity": AskModal,
    "checkout.discount": _discount_past_limit,
    "checkout.customer": CustomerSearchModal,
    "checkout.park": _park_asks_a_label,
    "checkout.return": _refund_past_limit,
    "checkout.void": _void_without_the_right,
    "checkout.pay": PaymentModal,
    "checkout.shift": _paid_out_needs_a_supervisor,
    "checkout.reprint": _reprint_has_nothing_yet,
    "checkout.no_sale": _no_sale_needs_a_supervisor,
    "checkout.retry_print": _retry_has_nothing_failed,
    "till.training": _training_waits_for_an_empty_cart,
    "checkout.order": _order_form_for_a_customer,
    "checkout.line_up": _line_moves,
    "checkout.line_down": _line_moves,
    "app.quit": _quit_asks_first,
    "app.menu": _menu_lists_only_the_checkout,
}
EXTRA = {"checkout.discount": [("checkout.discount", _price_override)],
         "checkout.customer": [("checkout.customer", _customer_new_form), ("checkout.customer", _customer_details)]}


def _bindings() -> dict[str, object]:
    found = {b.id: b for b in PosApp.BINDINGS if b.id}
    found.update({b.id: b for b in CheckoutScreen.BINDINGS if b.id})
    return found


def test_the_walk_covers_every_binding_a_cashier_can_reach():
    assert set(_bindings()) == set(WALK), "walk the new binding as a cashier in WALK"


async def test_a_cashier_pressing_every_binding_gets_no_gated_action_without_a_supervisor(demo_store):
    demo_store.set("limits.cashier.refund_max", "0.10")
    permissions.revoke(authenticate("admin", "admin"), "cashier", ["sale.void"])
    first_row = AuditLog.select().order_by(AuditLog.id.desc()).first().id
    bindings = _bindings()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "the basket")
        steps = [(binding_id, WALK[binding_id]) for binding_id in WALK]
        steps += [step for binding_id in WALK for step in EXTRA.get(binding_id, [])]
        for binding_id, walk in steps:
            await pilot.press(_key(bindings[binding_id]))
            if isinstance(walk, type):
                await _until(pilot, app, walk, f"{walk.__name__} after {binding_id}")
            else:
                await walk(pilot, app)
            await _back_to_checkout(pilot, app)
        assert [(line.barcode, line.discount, line.unit_price) for line in app.screen.cart.lines] == [
            (BREAD, 0, 320), (HALLOUMI, 0, 275)]
        await settle_workers(app)
    rows = list(AuditLog.select().where(AuditLog.id > first_row))
    done = [row.action for row in rows if row.action.startswith(GATED_ACTIONS)]
    assert done == [], f"gated actions went through without a supervisor: {done}"
    assert not [row for row in rows if row.action == "override.approved"]
