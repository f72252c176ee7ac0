"""Park and resume (F6): park the cart under a label; with an empty cart, resume one.

A mixin for the checkout screen. Parked carts live in the database, so they
survive a restart and any lane may resume them.
"""

from __future__ import annotations

from functools import partial
from string import ascii_uppercase

from textual import work

from pos_tui.domain.cart import Cart
from pos_tui.domain.money import format_money
from pos_tui.errors import PosError
from pos_tui.i18n import _
from pos_tui.services.context import Actor
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal


class Parking:
    """Needs from the screen: cart, actor, app, new_cart(), show_cart(), notice()."""

    cart: Cart
    actor: Actor

    def action_park(self) -> None:
        if not self.cart.is_empty:
            self.app.push_screen(AskModal(_("Park this cart"), _("A label to find it again (a name or a number)")),
                                 self._park_labelled)
            return
        self._list_parked()

    @work(thread=True, group="park")
    def _list_parked(self) -> None:
        from pos_tui.services.held_carts import parked
        from pos_tui.services.store import thread_session

        with thread_session():
            waiting = parked()[: len(ascii_uppercase)]
        self.app.call_from_thread(self._offer_parked, waiting)

    def _offer_parked(self, waiting) -> None:
        if not waiting:
            self.notice(_("No parked carts"))
            return
        choices = {
            letter: _("{label}  ({n} lines, {total}, lane {lane}, {cashier})").format(
                label=held.label, n=held.lines, total=format_money(held.total), lane=held.lane, cashier=held.cashier)
            for letter, held in zip(ascii_uppercase, waiting)
        }
        ids = {letter: held.id for letter, held in zip(ascii_uppercase, waiting)}
        self.app.push_screen(ChooseModal(_("Resume a parked cart"), choices), partial(self._resume_chosen, ids))

    def _park_labelled(self, label: str | None) -> None:
        if label is None:
            return
        self._park(self.cart, label)

    @work(thread=True, group="park")
    def _park(self, cart: Cart, label: str) -> None:
        from pos_tui.services.held_carts import park
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                park(self.actor, self.app.settings.get("lane"), label, cart)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self._parked, cart, label)

    def _parked(self, cart: Cart, label: str) -> None:
        if self.cart is cart:
            self.cart = self.new_cart()
            self.show_cart(save=False)  # parking cleared the open cart in its transaction
        self.notice(_("Parked as {label}; F6 with an empty cart resumes it").format(label=repr(label)))

    def _resume_chosen(self, ids: dict[str, int], letter: str | None) -> None:
        if letter is not None:
            self._resume(ids[letter])

    @work(thread=True, group="park")
    def _resume(self, held_id: int) -> None:
        from pos_tui.services.held_carts import resume
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                cart = resume(self.actor, held_id, self.app.settings.get("lane"))
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self._resumed, cart)

    def _resumed(self, cart: Cart) -> None:
        if not self.cart.is_empty:  # scanned meanwhile: keep both
            cart.lines.extend(self.cart.lines)
        self.cart = cart
        self.show_cart()
        self.notice(_("Resumed a parked cart ({n} lines)").format(n=len(cart.lines)))
