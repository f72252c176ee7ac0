"""Closing the shift at the till: a blind count, the card terminal's totals, then the over/short and the Z.

A mixin for the checkout screen (with ShiftActions). The count is typed
without the expected figure anywhere on screen; the over/short is shown
only once the service has recorded the close. Past shift.over_short_limit
a supervisor approves (OverrideModal) and a note says why. Afterwards the
Z report shows (it is already queued to print) and the till offers the
next shift.
"""

from __future__ import annotations

from functools import partial

from textual import work

from pos_tui.domain.money import format_money
from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import _
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.shifts import Closed
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import MONEY, CountFormModal, CountRow
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.shift_report import ShiftReportModal
from pos_tui.tui.screens.returns_flow import tender_label
from pos_tui.tui.screens.shift_actions import as_counts, count_rows


def over_short_text(closed: Closed) -> str:
    shift = closed.shift
    diff = closed.over_short
    if diff > 0:
        template = _("Counted {counted}, expected {expected}: over {diff}")
    elif diff < 0:
        template = _("Counted {counted}, expected {expected}: short {diff}")
    else:
        template = _("Counted {counted}, expected {expected}: exact")
    text = template.format(counted=format_money(shift.counted or 0), expected=format_money(shift.expected or 0),
                           diff=format_money(abs(diff)))
    if shift.approver:
        text = _("{summary} (approved by {name})").format(summary=text, name=shift.approver)
    for problem in (closed.print_error, closed.backup_error):
        if problem:
            text += f"\n{problem}"
    return text


class ShiftClose:
    """Needs from the screen: actor, app, notice(), shift, devices, _drawer_for_count(), load_shift()."""

    actor: Actor

    def begin_close_shift(self) -> None:
        self._drawer_for_count("close", self._ask_blind_count)

    def _ask_blind_count(self, values: dict | None = None) -> None:
        number = self.shift.number if self.shift else ""
        self.app.push_screen(CountFormModal(
            _("Close shift {number}: count the cash in the drawer").format(number=number),
            count_rows(self.app.settings, _("Cash counted")), confirm=_("Record this count"), values=values),
            self._blind_counted)

    def _blind_counted(self, values: dict | None) -> None:
        if values is None:
            self.notice(_("Close cancelled; the shift stays open"))
            return
        from pos_tui.domain.tender import CASH
        from pos_tui.services.tenders import tender_choices

        rows = [CountRow(c.kind, _("{tender} terminal").format(tender=tender_label(c.kind)), MONEY, optional=True)
                for c in tender_choices(self.app.settings) if c.kind != CASH]
        if not rows:
            self._close(values, {})
            return
        self.app.push_screen(CountFormModal(
            _("The card terminal's batch totals (blank if not known)"), rows, confirm=_("Close the shift"),
            show_total=False), partial(self._batch_typed, values))

    def _batch_typed(self, values: dict, batch: dict | None) -> None:
        if batch is None:
            self.notice(_("Close cancelled; the shift stays open"))
            return
        self._close(values, {k: v for k, v in batch.items() if v is not None})

    @work(thread=True, group="shift")
    def _close(self, values: dict, batch: dict, note: str = "", approver: Actor | None = None) -> None:
        from pos_tui.services.shifts import close_shift, current_shift
        from pos_tui.services.store import thread_session

        settings = self.app.settings
        self.app.call_from_thread(self.notice, _("Closing the shift…"))
        try:
            with thread_session():
                closed = close_shift(self.actor, settings, **as_counts(values), batch_totals=batch, note=note,
                                     approver=approver)
        except NeedsApproval as request:
            self.app.call_from_thread(self._close_approval, values, batch, request)
            return
        except PosError as exc:
            with thread_session():
                needs_note = isinstance(exc, ValidationError) and not note and self._past_limit(values)
                still_open = current_shift(settings.get("lane"))
            self.app.call_from_thread(self._close_refused, values, batch, str(exc), needs_note, approver,
                                      still_open is not None)
            return
        self.devices.worker.wake()
        self.app.call_from_thread(self._shift_closed, closed)

    def _past_limit(self, values: dict) -> bool:
        """A supervisor closing past the limit themselves still owes a note (the service said so)."""
        from pos_tui.services.shifts import count_needs_note

        typed = as_counts(values)
        try:
            return count_needs_note(self.app.settings, counts=typed.get("counts"), amount=typed.get("amount"))
        except PosError:
            return False

    def _close_approval(self, values: dict, batch: dict, request: NeedsApproval) -> None:
        def approved(approver: Actor | None) -> None:
            if approver is None:
                self.notice(_("The close was not approved; the shift stays open. Recount or ask a supervisor"))
            else:
                self._ask_note(values, batch, approver, str(request))

        self.app.push_screen(OverrideModal(self.actor, request, "shift close"), approved)  # the audit's words

    def _ask_note(self, values: dict, batch: dict, approver: Actor | None, why: str) -> None:
        def noted(note: str | None) -> None:
            if note is None:
                self.notice(_("The close needs a note; the shift stays open"))
            else:
                self._close(values, batch, note, approver)

        self.app.push_screen(AskModal(_("Why is the count off?"), _("{why}. A note for the Z report:").format(why=why)),
                             noted)

    def _close_refused(self, values: dict, batch: dict, why: str, needs_note: bool, approver: Actor | None,
                       still_open: bool) -> None:
        if needs_note:
            self._ask_note(values, batch, approver, why.split(";")[0])
            return
        self.notice(_("The shift was not closed: {why}").format(why=why), error=True)
        if still_open:
            self._ask_blind_count(values)
        else:
            self.shift = None

    def _shift_closed(self, closed: Closed) -> None:
        self.shift = None
        summary = over_short_text(closed)
        number = closed.shift.number
        self.notice(_("Shift {number} closed. {summary}").format(number=number, summary=summary.splitlines()[0]))
        self.app.push_screen(ShiftReportModal(_("Z report: shift {number} closed").format(number=number),
                                              list(closed.z_lines), summary), lambda _shown: self._after_close())

    def _after_close(self) -> None:
        def chosen(letter: str | None) -> None:
            if letter == "O":
                self.begin_open_shift()
            elif letter == "Q":
                self.app.exit()
            else:
                self.notice(_("No shift open: payments are refused until one is (F11, O opens one)"), error=True)

        self.app.push_screen(ChooseModal(_("The shift is closed. Next?"), {
            "O": _("open the next shift (count the float)"), "Q": _("quit the till (log out)")}), chosen)
