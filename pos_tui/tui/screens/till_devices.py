"""The checkout's devices: receipts through the print queue, the drawer by the shop's rules, F9 no-sale.

A mixin for the checkout screen. Every device and database call runs in a
thread worker; a device fault becomes a notice or a status-line warning,
never a crash or a frozen till. The status line shows the print worker's
and the drawer sensor's last word, refreshed twice a second.
"""

from __future__ import annotations

import logging
from functools import partial
from string import ascii_uppercase

from textual import work

from pos_tui.errors import PosError
from pos_tui.i18n import _, ngettext
from pos_tui.services.context import Actor
from pos_tui.services.drawer_rules import DrawerRules, before_cash_sale_warning, left_open_warning
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.sales import SaleInfo
from pos_tui.tui.devices import TillDevices
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.receipt_view import ReceiptModal
from pos_tui.tui.widgets.device_status import DeviceWarnings, DrawerLamp

log = logging.getLogger(__name__)
REFRESH_S = 0.5
TRAINING_LAMP_S = 5.0


def _short(problem: str) -> str:
    """The status line has room for what is wrong, not the advice after it."""
    return problem.split(";", 1)[0].strip()


class DeviceActions:
    """Needs from the screen: actor, app, notice(), last_sale."""

    actor: Actor
    last_sale: SaleInfo | None

    @property
    def drawer_rules(self) -> DrawerRules:
        """Read each time: the settings screen may have changed them."""
        return DrawerRules.from_settings(self.app.settings)

    # -- status line ----------------------------------------------------------
    def start_devices(self) -> None:
        self.devices = TillDevices.of(self.app)
        self.set_interval(REFRESH_S, self.refresh_devices)
        self.refresh_devices()

    def device_warnings(self) -> list[str]:
        status = self.devices.status
        warnings = [self.app.device_error] if self.app.device_error else []
        if self.devices.scanner_problem:
            warnings.append(_short(self.devices.scanner_problem))
        if status.problem:
            warnings.append(_short(status.problem))
        if status.waiting:
            warnings.append(ngettext("{n} receipt waiting", "{n} receipts waiting", status.waiting).format(
                n=status.waiting))
        left_open = left_open_warning(self.drawer_rules, self.devices.open_seconds())
        if left_open:
            warnings.append(left_open)
        return warnings

    def refresh_devices(self) -> None:
        self.query_one(DeviceWarnings).show(self.device_warnings())
        self.query_one(DrawerLamp).show(self.devices.drawer_open, training_would_open=self.devices.would_open,
                                        last_opened=self.devices.last_opened)

    def warn_if_drawer_open(self) -> bool:
        """Before a payment: say so when the drawer is still open (the sale goes on)."""
        warning = before_cash_sale_warning(self.drawer_rules, self.devices.drawer_open)
        if warning:
            self.notice(warning, error=True)
        return warning is not None

    # -- after the sale ---------------------------------------------------------
    @work(thread=True, group="devices")
    def after_sale(self, sale: SaleInfo, answer: bool | None = None) -> None:
        """Queue the receipt (unless asked again for the drawer), wake the printer, open the drawer by the rules."""
        from pos_tui.services import print_queue
        from pos_tui.services.drawer import open_for_sale
        from pos_tui.services.store import thread_session

        settings = self.app.settings
        lane = settings.get("lane")
        try:
            with thread_session():
                if answer is None and self.app.printer is not None:  # printer.type none: no receipts
                    try:
                        print_queue.enqueue_sale(settings, sale)
                    except Exception:  # recover() queues it at the next start
                        log.exception("queueing receipt %s failed", sale.receipt_no)
                        self.app.call_from_thread(
                            self.notice,
                            _("Sale {number} saved; its receipt prints after a restart").format(number=sale.receipt_no),
                            error=True)
                    self.devices.worker.wake()
                outcome = open_for_sale(self.actor, settings, self.app.drawer, sale, lane=lane, answer=answer)
        except Exception as exc:  # never let a device or audit fault take the till down
            log.exception("after-sale drawer failed")
            self.app.call_from_thread(
                self.notice, _("Sale {number} saved; the drawer: {why}").format(number=sale.receipt_no, why=exc),
                error=True)
            return
        self.app.call_from_thread(self._drawer_outcome, _("sale {number}").format(number=sale.receipt_no), outcome,
                                  partial(self.after_sale, sale))

    def _drawer_outcome(self, what: str, outcome, ask_again=None) -> None:
        from pos_tui.services.drawer import OPENED, TRAINING

        if outcome.asks and ask_again is not None:
            self.app.push_screen(ChooseModal(_("Open the drawer? {why}").format(why=outcome.decision.why), {
                "Y": _("yes, open it"), "N": _("no, leave it shut")}), lambda letter: ask_again(letter == "Y"))
            return
        if outcome.outcome == OPENED:
            self.devices.kicked()
        elif outcome.outcome == TRAINING:
            self.devices.would_open = True
            self.set_timer(TRAINING_LAMP_S, self._training_lamp_off)
        elif outcome.outcome and not outcome.opened and "declined" not in outcome.outcome:
            self.notice(_("{what}: the drawer did not open: {why}").format(what=what, why=_short(outcome.outcome)),
                        error=True)
        self.refresh_devices()

    def _training_lamp_off(self) -> None:
        self.devices.would_open = False
        self.refresh_devices()

    # -- reprint and retry ------------------------------------------------------
    def action_reprint(self) -> None:
        """Ctrl+P: the last receipt again, marked COPY, through the print queue."""
        if self.last_sale is None:
            self.notice(_("No receipt to reprint yet on this till"), error=True)
            return
        self._reprint(self.last_sale.receipt_no)

    @work(thread=True, group="devices")
    def _reprint(self, receipt_no: str) -> None:
        from pos_tui.services.print_queue import reprint
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                job = reprint(self.actor, self.app.settings, receipt_no)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.devices.worker.wake()
        self.app.call_from_thread(self.app.push_screen, ReceiptModal(list(job.lines)))

    def action_retry_print(self) -> None:
        """Print the failed receipts now (after loading paper or plugging the printer in)."""
        self._retry_print()

    @work(thread=True, group="devices")
    def _retry_print(self) -> None:
        from pos_tui.services.print_queue import retry_failed
        from pos_tui.services.store import thread_session

        with thread_session():
            count = retry_failed(self.app.settings.get("lane"))
        self.devices.worker.wake()
        if count:
            text = ngettext("Printing {n} failed receipt again", "Printing {n} failed receipts again", count).format(
                n=count)
        else:
            text = _("No failed receipts")
        self.app.call_from_thread(self.notice, text)

    # -- F9 no-sale -------------------------------------------------------------
    def action_no_sale(self) -> None:
        """F9: open the drawer without a sale, for a reason from the shop's list."""
        reasons = self.drawer_rules.no_sale_reasons
        choices = dict(zip(ascii_uppercase, reasons))
        self.app.push_screen(ChooseModal(_("No sale: why open the drawer?"), choices),
                             lambda letter: self._no_sale(choices[letter]) if letter else None)

    @work(thread=True, group="devices")
    def _no_sale(self, reason: str, approver: Actor | None = None) -> None:
        from pos_tui.services.drawer import no_sale
        from pos_tui.services.store import thread_session

        settings = self.app.settings
        try:
            with thread_session():
                outcome = no_sale(self.actor, settings, self.app.drawer, reason, settings.get("lane"), approver)
        except NeedsApproval as request:
            self.app.call_from_thread(self._no_sale_approval, reason, request)
            return
        except PosError as exc:
            self.app.call_from_thread(self.notice, _("No sale refused: {why}").format(why=exc), error=True)
            return
        self.app.call_from_thread(self._drawer_outcome, _("no sale ({reason})").format(reason=reason), outcome)
        if outcome.opened:
            if approver:
                text = _("Drawer opened: no sale ({reason}, approved by {name})").format(
                    reason=reason, name=approver.username)
            else:
                text = _("Drawer opened: no sale ({reason})").format(reason=reason)
            self.app.call_from_thread(self.notice, text)

    def _no_sale_approval(self, reason: str, request: NeedsApproval) -> None:
        def approved(approver: Actor | None) -> None:
            if approver is None:
                self.notice(_("The no-sale was not approved; the drawer stays shut"))
            else:
                self._no_sale(reason, approver)

        self.app.push_screen(OverrideModal(self.actor, request, "no-sale"), approved)  # "no-sale": the audit's words
