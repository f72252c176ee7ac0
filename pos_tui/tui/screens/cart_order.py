"""Ctrl+O at the checkout: the cart becomes a delivery or pickup order.

The customer is the cart's (F5) or found now; the form gathers the rest;
money due now (in full or a deposit) goes through the payment modal as one
tender and is an OrderPayment in the lane's open shift. The order is saved
in a worker; the cart is cleared only once it is, and kept on any refusal.
"""

from __future__ import annotations

from textual import work

from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import PosError
from pos_tui.i18n import _
from pos_tui.services.order_info import OrderInfo
from pos_tui.tui.modals.order_form import OrderRequest
from pos_tui.tui.money_text import money


class CartToOrder:
    """Mixed into CheckoutScreen (which gives cart, actor, notice, show_cart, new_cart)."""

    def action_order(self) -> None:
        from pos_tui.tui.modals.customer_search import CustomerSearchModal

        if self.cart.is_empty:
            self.notice(_("The cart is empty; scan the items of the order first"), error=True)
            return
        if self.cart.customer_id is not None:
            self._order_form(self.cart.customer_id, self.cart.customer_name)
            return

        def picked(customer) -> None:
            if customer is None:
                self._order_form(None, "")
            else:
                self._order_form(customer.id, customer.name)

        self.notice(_("Who is the order for? (Esc: no customer)"))
        self.app.push_screen(CustomerSearchModal(), picked)

    def _order_form(self, customer_id: int | None, name: str) -> None:
        from pos_tui.tui.modals.order_form import OrderFormModal

        self.app.push_screen(OrderFormModal(self.cart.totals().total, customer_id, name), self._order_asked)

    def _order_asked(self, request: OrderRequest | None) -> None:
        from pos_tui.services.tenders import cash_step, tender_choices
        from pos_tui.tui.modals.payment import PaymentModal

        if request is None:
            self.notice(_("No order taken; the cart is kept"))
            return
        if request.payment == "on_delivery":
            self._order_paid(request, None)
            return
        due = self.cart.totals().total if request.payment == "paid" else request.deposit
        settings = self.app.settings
        self.app.push_screen(PaymentModal(due, tender_choices(settings), cash_step(settings)),
                             lambda tenders: self._order_paid(request, tenders))

    def _order_paid(self, request: OrderRequest, tenders: list[Tender] | None) -> None:
        if request.payment != "on_delivery":
            if tenders is None:
                self.notice(_("Payment cancelled; no order taken, the cart is kept"))
                return
            if len(tenders) != 1:
                self.notice(_("An order is paid with one tender; take it again in one"), error=True)
                return
        tender = tenders[0] if tenders else None
        snapshot, self.cart = self.cart, self.new_cart()
        self.show_cart(save=False)
        self.notice(_("Saving the order…"))
        self._save_order(snapshot, request, tender)

    @work(thread=True, group="order")
    def _save_order(self, cart: Cart, request: OrderRequest, tender: Tender | None) -> None:
        from pos_tui.services import orders
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                made = orders.create_order(
                    self.actor, self.app.settings, cart, customer_id=request.customer_id,
                    fulfilment=request.fulfilment, payment=request.payment, deposit=request.deposit,
                    tender=tender.kind if tender else "cash", tendered=tender.tendered if tender else None,
                    delivery=orders.Delivery(request.recipient, request.phone, request.address),
                    expected_date=request.expected, note=request.note, source="till",
                )
        except Exception as exc:  # any failure gives the cart back
            self.app.call_from_thread(self._order_failed, cart, exc)
            return
        self.app.call_from_thread(self._order_saved, made)

    def _order_saved(self, made: OrderInfo) -> None:
        from pos_tui.tui.screens.orders import wake_outbox

        self.last_order = made
        self.show_cart()  # the empty cart replaces the saved open one
        change = sum(p.change for p in made.payments)
        owed = _(", {amount} owed").format(amount=money(made.balance)) if made.balance > 0 else ""
        paid = _(", change due {amount}").format(amount=money(change)) if change else ""
        self.notice(_("Order {number} taken: {status}").format(number=made.number, status=made.status) + owed + paid)
        wake_outbox(self.app)

    def _order_failed(self, cart: Cart, exc: Exception) -> None:
        cart.lines.extend(self.cart.lines)
        self.cart = cart
        self.show_cart()
        message = str(exc) if isinstance(exc, PosError) else _("the order was not saved ({kind}: {why})").format(
            kind=type(exc).__name__, why=exc)
        self.notice(_("{why}; the cart is kept").format(why=message), error=True)
