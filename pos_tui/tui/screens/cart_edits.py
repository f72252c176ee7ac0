"""Changing the cart before payment: quantity (F3), discounts and price (F4), voids (F8).

A mixin for the checkout screen. Limits are the services' (services/limits.py);
past them a supervisor approves in OverrideModal. Voids, discounts and price
overrides are audited.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import partial

from textual import work

from pos_tui.domain.cart import Cart
from pos_tui.domain.discount import parse_discount, percent_of
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval, check_discount, check_price_override, check_void
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.money_text import money

MAX_QTY = Decimal(9999)
# What a supervisor approves: English in the audit row (`what`), translated where the cashier reads it.
DISCOUNT, PRICE_OVERRIDE, VOID = N_("discount"), N_("price override"), N_("void")


class CartEdits:
    """Needs from the screen: cart, actor, app, selected_index(), show_cart(), notice()."""

    cart: Cart
    actor: Actor

    # -- quantity ---------------------------------------------------------
    def action_quantity(self) -> None:
        index = self._line_or_notice()
        if index is None:
            return
        line = self.cart.lines[index]
        self.app.push_screen(
            AskModal(_("Quantity"), _("New quantity for {name}").format(name=line.name), value=format_qty(line.qty)),
            partial(self._quantity_typed, index),
        )

    def _quantity_typed(self, index: int, text: str | None) -> None:
        if text is None:
            return
        try:
            qty = parse_qty(text)
            if qty > MAX_QTY:
                raise ValidationError(_("quantity {text} is more than {max}; check the number").format(
                    text=text, max=MAX_QTY))
            line = self.cart.set_qty(index, qty)
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        self.show_cart(index)
        self.notice(_("{name}: quantity {qty}").format(name=line.name, qty=format_qty(qty)))

    # -- discounts and price override ---------------------------------------
    def action_discount(self) -> None:
        index = self._line_or_notice()
        if index is None:
            return
        name = self.cart.lines[index].name
        self.app.push_screen(
            ChooseModal(_("Discount or price"), {"L": _("discount this line ({name})").format(name=name),
                                                 "S": _("discount the whole sale"),
                                                 "P": _("a new price for {name}").format(name=name)}),
            partial(self._discount_scope, index),
        )

    def _discount_scope(self, index: int, letter: str | None) -> None:
        if letter == "P":
            line = self.cart.lines[index]
            self.app.push_screen(AskModal(_("Price override"), _("New unit price for {name}").format(name=line.name),
                                          value=format_money(line.unit_price)), partial(self._price_typed, index))
        elif letter in ("L", "S"):
            question = (_("Discount off this line: a percent like 10% or an amount like 1.50") if letter == "L"
                        else _("Discount off the whole sale: a percent like 10% or an amount like 1.50"))
            self.app.push_screen(AskModal(_("Discount"), question), partial(self._discount_typed, index, letter))

    def _discount_typed(self, index: int, scope: str, text: str | None) -> None:
        if text is None:
            return

        def trial_by(by: str) -> tuple[Cart, int, Decimal]:
            trial = replace(self.cart, lines=list(self.cart.lines))
            if scope == "L":
                off = trial.discount_line(index, discount, by=by)
                return trial, off, percent_of(off, trial.lines[index].gross)
            base = sum(line.total for line in trial.lines)
            off = trial.discount_cart(discount, by=by)
            return trial, off, percent_of(off, base)

        try:
            discount = parse_discount(text)
            trial, off, percent = trial_by(self.actor.username)
            check_discount(self.app.settings, self.actor, trial.deepest_discount())
        except NeedsApproval as request:
            def approved(approver: Actor) -> None:
                self._apply(trial_by(approver.username)[0], "sale.discount", off, percent, approver)

            self._ask_supervisor(request, DISCOUNT, approved)
            return
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        self._apply(trial, "sale.discount", off, percent, None)

    def _price_typed(self, index: int, text: str | None) -> None:
        if text is None:
            return

        def trial_by(by: str) -> Cart:
            trial = replace(self.cart, lines=list(self.cart.lines))
            trial.set_price(index, price, by=by)
            return trial

        try:
            old = self.cart.lines[index].unit_price
            price = parse_money(text, what=_("price"))
            trial = trial_by(self.actor.username)
            check_price_override(self.actor)
        except NeedsApproval as request:
            self._ask_supervisor(request, PRICE_OVERRIDE, lambda approver: self._apply(
                trial_by(approver.username), "sale.price_override", price, None, approver, old_price=old))
            return
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        self._apply(trial, "sale.price_override", price, None, None, old_price=old)

    def _ask_supervisor(self, request: NeedsApproval, what: str, then) -> None:
        def approved(approver: Actor | None) -> None:
            if approver is None:
                self.notice(_("The {what} was not approved; nothing changed").format(what=_(what)))
            else:
                then(approver)

        self.app.push_screen(OverrideModal(self.actor, request, what), approved)

    def _apply(self, trial: Cart, action: str, amount: int, percent: Decimal | None, approver: Actor | None,
               *, old_price: int | None = None) -> None:
        self.cart = trial
        self.show_cart(self.selected_index())
        by = _(" (approved by {user})").format(user=approver.username) if approver else ""
        if action == "sale.discount":
            self.notice(_("Discount {amount} ({percent}%)").format(amount=money(amount), percent=f"{percent:.1f}") + by)
        else:
            self.notice(_("New price {amount}").format(amount=money(amount)) + by)
        details = {"amount": amount, "approver": approver.username if approver else None}
        if percent is not None:
            details["percent"] = f"{percent:.2f}"
        if old_price is not None:
            details["old_price"] = old_price
        self.audit(action, **details)

    # -- voids ------------------------------------------------------------
    def action_void(self) -> None:
        index = self._line_or_notice()
        if index is None:
            return
        line = self.cart.lines[index]
        self.app.push_screen(
            ChooseModal(_("Void"), {"L": _("void this line: {name} {total}").format(name=line.name, total=money(line.total)),
                                    "S": _("void the whole sale ({n} lines)").format(n=len(self.cart.lines))}),
            partial(self._void_chosen, index),
        )

    def _void_chosen(self, index: int, letter: str | None) -> None:
        if letter not in ("L", "S"):
            return
        try:
            check_void(self.actor)
        except NeedsApproval as request:
            self._ask_supervisor(request, VOID, lambda approver: self._void(index, letter, approver))
            return
        self._void(index, letter, None)

    def _void(self, index: int, letter: str, approver: Actor | None) -> None:
        approved = {"approver": approver.username} if approver else {}
        if letter == "L":
            line = self.cart.remove(index)
            self.show_cart(min(index, len(self.cart.lines) - 1) if self.cart.lines else None)
            self.notice(_("Voided {name}").format(name=line.name))
            self.audit("sale.void_line", barcode=line.barcode, name=line.name, qty=str(line.qty), total=line.total,
                       **approved)
        else:
            totals = self.cart.totals()
            count = len(self.cart.lines)
            self.cart.clear()
            self.show_cart()
            self.notice(_("Voided the sale ({n} lines)").format(n=count))
            self.audit("sale.void_cart", lines=count, total=totals.total, **approved)

    # -- shared -----------------------------------------------------------
    def _line_or_notice(self) -> int | None:
        if self.cart.is_empty:
            self.notice(_("The cart is empty; scan an item first"), error=True)
            return None
        return self.selected_index()

    @work(thread=True, group="audit")
    def audit(self, action: str, **details) -> None:
        from pos_tui.services.audit import record_now
        from pos_tui.services.store import thread_session

        if self.actor.training:  # the shift's X/Z report counts live voids only
            details["training"] = True
        with thread_session():
            record_now(action, self.actor, self.app.settings.get("lane"), **details)
