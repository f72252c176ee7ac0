"""The checkout's shift: open it with a counted float, cash in and out, the X report (F11 menu).

A mixin for the checkout screen. After login the till looks for the lane's
open shift; without one it asks for the float at once, and refuses to take
payment until a shift is open. Every database and drawer call runs in a
thread worker; the services check the rights (a cashier's cash in/out goes
to a supervisor in OverrideModal) and audit.
"""

from __future__ import annotations

import logging

from textual import work

from pos_tui.domain.money import format_money
from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.shifts import ShiftInfo
from pos_tui.tui.modals.cash_movement import KIND_TITLES, CashMove, CashMovementModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import MONEY, CountFormModal, CountRow, denomination_rows
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.shift_report import ShiftReportModal

log = logging.getLogger(__name__)
MOVE_LETTERS = {"I": "paid_in", "O": "paid_out", "D": "safe_drop"}
# What the drawer opened for, in a notice when it did not (kind: open, close).
COUNT_WHAT = {"open": N_("shift open"), "close": N_("shift close")}
# What shift_ready() is asked about by the checkout (translated in its notice).
NEEDS_A_SHIFT = (N_("sales"), N_("refunds"), N_("no-sale"))


def _title(kind: str) -> str:
    """Paid in, paid out or safe drop, in the till's language."""
    title = KIND_TITLES[kind]
    return _(title)


def count_rows(settings, what: str) -> list[CountRow]:
    """By denomination when the shop counts note by note, else one amount."""
    from pos_tui.services.cash_count import denominations

    if settings.get("shift.count_by_denomination"):
        return denomination_rows(denominations(settings))
    return [CountRow("amount", what, MONEY)]


def as_counts(values: dict[object, int | None]) -> dict:
    """The form's answer as the services' keywords: counts= or amount=."""
    if "amount" in values:
        return {"amount": values["amount"] or 0}
    return {"counts": {d: n for d, n in values.items() if n}}


class ShiftActions:
    """Needs from the screen: actor, app, notice(), devices, _drawer_outcome()."""

    actor: Actor
    shift: ShiftInfo | None = None
    shift_known = False  # False until the first look at the lane's shift

    # -- is a shift open? -------------------------------------------------------
    @work(thread=True, group="shift")
    def load_shift(self, offer: bool = True) -> None:
        from pos_tui.services.shifts import current_shift
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                info = current_shift(self.app.settings.get("lane"))
        except PosError as exc:
            self.app.call_from_thread(self.notice, _("The shift could not be read: {why}").format(why=exc), error=True)
            return
        self.app.call_from_thread(self._shift_loaded, info, offer)

    def _shift_loaded(self, info: ShiftInfo | None, offer: bool) -> None:
        self.shift, self.shift_known = info, True
        if info is None and offer:
            self.begin_open_shift()

    def shift_ready(self, what: str) -> bool:
        """Before a payment, a return or a no-sale: say so and offer to open a shift when none is open."""
        if self.shift is not None or not self.shift_known:
            return True  # while still looking, the service refuses if need be
        lane = self.app.settings.get("lane")
        self.notice(_("No shift is open on lane {lane}: no {what} until one is (F11, O opens one)").format(
            lane=lane, what=_(what)), error=True)
        self.app.push_screen(ChooseModal(_("No shift is open on lane {lane}").format(lane=lane), {
            "O": _("open a shift now (count the float)"), "N": _("not now")}),
            lambda letter: self.begin_open_shift() if letter == "O" else None)
        return False

    # -- F11: the shift menu ----------------------------------------------------
    def action_shift(self) -> None:
        """F11: open a shift, or cash in/out, the X report and the close of the open one."""
        if self.shift is None:
            choices = {"O": _("open a shift (count the float)")}
            title = _("No shift open on lane {lane}").format(lane=self.app.settings.get("lane"))
        else:
            choices = {"I": _("paid in"), "O": _("paid out"), "D": _("safe drop"), "X": _("X report (resets nothing)"),
                       "C": _("close the shift (count the cash)")}
            title = _("Shift {number} (opened by {name})").format(number=self.shift.number,
                                                                  name=self.shift.opened_by)
        self.app.push_screen(ChooseModal(title, choices), self._shift_chosen)

    def _shift_chosen(self, letter: str | None) -> None:
        if letter is None:
            return
        if self.shift is None:
            self.begin_open_shift()
        elif letter in MOVE_LETTERS:
            from pos_tui.services.shifts import movement_reasons

            kind = MOVE_LETTERS[letter]
            self.app.push_screen(CashMovementModal(kind, movement_reasons(self.app.settings)), self._move_asked)
        elif letter == "X":
            self._x_report()
        elif letter == "C":
            self.begin_close_shift()

    # -- opening --------------------------------------------------------------
    def begin_open_shift(self) -> None:
        """The drawer opens for the count (drawer.rules.shift_open), then the float is counted."""
        self._drawer_for_count("open", self._ask_float)

    @work(thread=True, group="devices")
    def _drawer_for_count(self, kind: str, then) -> None:
        from pos_tui.services.shifts import open_for_count
        from pos_tui.services.store import thread_session

        outcome = None
        if self.app.drawer is not None:
            try:
                with thread_session():
                    outcome = open_for_count(self.actor, self.app.settings, self.app.drawer, kind)
            except Exception as exc:  # the count goes on with the drawer shut; say why
                log.exception("drawer for the %s count", kind)
                self.app.call_from_thread(
                    self.notice, _("The drawer did not open for the count: {why}").format(why=exc), error=True)
        if outcome is not None:
            what = COUNT_WHAT[kind]
            self.app.call_from_thread(self._drawer_outcome, _(what), outcome)
        self.app.call_from_thread(then)

    def _ask_float(self, values: dict | None = None) -> None:
        self.app.push_screen(CountFormModal(
            _("Open a shift on lane {lane}: count the float").format(lane=self.app.settings.get("lane")),
            count_rows(self.app.settings, _("Float counted")), confirm=_("Open the shift with this float"),
            values=values), self._float_counted)

    def _float_counted(self, values: dict | None) -> None:
        if values is None:
            self.notice(_("No shift open: payments are refused until one is (F11, O opens one)"), error=True)
            return
        self.notice(_("Opening the shift…"))
        self._open(values)

    @work(thread=True, group="shift")
    def _open(self, values: dict) -> None:
        from pos_tui.services.shifts import current_shift, open_shift
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                opened = open_shift(self.actor, self.app.settings, **as_counts(values))
        except PosError as exc:
            with thread_session():  # opened meanwhile on another till or by `pos`: take that one
                other = current_shift(self.app.settings.get("lane"))
            self.app.call_from_thread(self._open_refused, values, str(exc), other)
            return
        self.app.call_from_thread(self._opened, opened.shift)

    def _open_refused(self, values: dict, why: str, other: ShiftInfo | None) -> None:
        self.notice(_("The shift was not opened: {why}").format(why=why), error=True)
        if other is not None:
            self.shift = other
        else:
            self._ask_float(values)  # the count as typed, to correct

    def _opened(self, shift: ShiftInfo) -> None:
        self.shift, self.shift_known = shift, True
        self.notice(_("Shift {number} open with a float of {amount}").format(
            number=shift.number, amount=format_money(shift.float_amount)))

    # -- cash in and out ------------------------------------------------------
    def _move_asked(self, move: CashMove | None) -> None:
        if move is not None:
            self._move(move)

    @work(thread=True, group="shift")
    def _move(self, move: CashMove, approver: Actor | None = None) -> None:
        from pos_tui.services.shifts import cash_movement
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                moved = cash_movement(self.actor, self.app.settings, move.kind, move.amount, move.reason,
                                      note=move.note, approver=approver, drawer=self.app.drawer)
        except NeedsApproval as request:
            self.app.call_from_thread(self._move_approval, move, request)
            return
        except PosError as exc:
            self.app.call_from_thread(
                self.notice, _("{what} refused: {why}").format(what=_title(move.kind), why=exc), error=True)
            return
        title = _title(move.kind)
        amount = format_money(move.amount)
        if approver:
            text = _("{what} {amount} ({reason}, approved by {name})").format(
                what=title, amount=amount, reason=move.reason, name=approver.username)
        else:
            text = _("{what} {amount} ({reason})").format(what=title, amount=amount, reason=move.reason)
        self.app.call_from_thread(self.notice, text)
        if moved.drawer is not None:  # after the line saying it is recorded: a drawer that did not open says so last
            self.app.call_from_thread(self._drawer_outcome, title.lower(), moved.drawer)

    def _move_approval(self, move: CashMove, request: NeedsApproval) -> None:
        def approved(approver: Actor | None) -> None:
            if approver is None:
                self.notice(_("{what} not approved; nothing recorded").format(what=_title(move.kind)))
            else:
                self._move(move, approver)

        # `what` is the audit's record of the approval: English, like the action codes
        self.app.push_screen(OverrideModal(self.actor, request, KIND_TITLES[move.kind].lower()), approved)

    # -- X report -------------------------------------------------------------
    @work(thread=True, group="shift")
    def _x_report(self) -> None:
        from pos_tui.services.shifts import print_x
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                lines = print_x(self.actor, self.app.settings)
        except PosError as exc:
            self.app.call_from_thread(self.notice, _("No X report: {why}").format(why=exc), error=True)
            return
        self.devices.worker.wake()
        self.app.call_from_thread(self.app.push_screen, ShiftReportModal(_("X report (nothing is reset)"), lines))
