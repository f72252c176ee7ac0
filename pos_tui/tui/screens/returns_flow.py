"""Returns (F7): find the sale by its receipt number, choose lines, refund, restock or write off;
or, typing N, take one item back without a receipt at today's price (cash only).

A mixin for the checkout screen. The refund limit and the no-receipt
permission are the services'; past them a supervisor approves.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import partial

from textual import work

from pos_tui.domain.money import format_money
from pos_tui.domain.tender import CARD, CASH
from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval, check_no_receipt, check_refund
from pos_tui.services.returns import ReturnableSale, no_receipt_refund, refund_total, returnable
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.return_lines import ReturnLinesModal

# The tenders the catalogue names (the receipt prints the same words); a shop's own tender keeps its name.
_TENDER_LABELS = {CASH: N_("Cash"), CARD: N_("Card"), "voucher": N_("Voucher"), "mobile": N_("Mobile")}
# What the supervisor approves, in the audit's words (English, like the action codes).
_APPROVES_REFUND, _APPROVES_NO_RECEIPT = "refund", "return without a receipt"


def tender_label(kind: str) -> str:
    """A tender as a label: "Card" ("银行卡" in Chinese)."""
    label = _TENDER_LABELS.get(kind)
    return _(label) if label else kind.capitalize()


def tender_word(kind: str) -> str:
    """A tender inside a sentence: "card" in English, as the till has always written it."""
    label = tender_label(kind)
    return kind if label == kind.capitalize() else label


class Returns:
    """Needs from the screen: actor, app, notice(), tax_rates, templates, _drawer_outcome() (till_devices.py)."""

    actor: Actor

    def action_return(self) -> None:
        self.app.push_screen(
            AskModal(_("Return"), _("Receipt number (type it or scan the receipt), or N if there is no receipt")),
            self._receipt_typed)

    def _receipt_typed(self, receipt_no: str | None) -> None:
        if receipt_no is None:
            return
        if receipt_no.strip().upper() == "N":
            self.app.push_screen(AskModal(_("Return without a receipt"),
                                          _("Scan or type the item's barcode (3* for three)")),
                                 self._no_receipt_item)
        else:
            self._find_sale(receipt_no)

    # -- without a receipt --------------------------------------------------
    def _no_receipt_item(self, code: str | None) -> None:
        from pos_tui.services.catalog import scan

        if code is None:
            return
        try:
            line = scan(code, self.tax_rates, templates=self.templates)  # an indexed read, like a scan
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        refund, _tax = no_receipt_refund(line, prices_include_tax=self.app.settings.get("tax.included"))
        self.app.push_screen(
            ChooseModal(_("Refund {amount} in cash for {item}").format(amount=format_money(refund), item=line.name),
                        {"S": _("the goods go back on the shelf (restock)"), "W": _("the goods are written off")}),
            partial(self._no_receipt_stock, line, refund))

    def _no_receipt_stock(self, line, refund: int, letter: str | None) -> None:
        if letter is None:
            self.notice(_("Return cancelled; nothing changed"))
            return
        restock = letter == "S"
        try:
            check_no_receipt(self.app.settings, self.actor, refund)
        except NeedsApproval as request:
            def approved(approver: Actor | None) -> None:
                if approver is None:
                    self.notice(_("The return was not approved; nothing changed"))
                else:
                    self._refund_without_receipt(line, restock, approver)

            self.app.push_screen(OverrideModal(self.actor, request, _APPROVES_NO_RECEIPT), approved)
            return
        self._refund_without_receipt(line, restock, None)

    @work(thread=True, group="sale")
    def _refund_without_receipt(self, line, restock: bool, approver: Actor | None) -> None:
        from pos_tui.services.returns import commit_return_without_receipt
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                done = commit_return_without_receipt(self.actor, line, tender=CASH, restock=restock,
                                                     lane=self.app.settings.get("lane"), approver=approver,
                                                     settings=self.app.settings)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(
            self.notice, _("Return {number} (no receipt): refund {amount} in cash").format(
                number=done.receipt_no, amount=format_money(-done.total)))

    # -- with a receipt ---------------------------------------------------

    @work(thread=True, group="returns")
    def _find_sale(self, receipt_no: str) -> None:
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                sale = returnable(receipt_no)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.app.push_screen, ReturnLinesModal(sale), partial(self._lines_chosen, sale))

    def _lines_chosen(self, sale: ReturnableSale, items: dict[int, Decimal] | None) -> None:
        if items is None:
            self.notice(_("Return cancelled; nothing changed"))
            return
        original = next((t for t in sale.tenders if t != CASH), CASH)
        choices = {"C": _("refund in cash")}
        if original != CASH:
            choices["O"] = _("refund to the original tender ({tender})").format(tender=tender_word(original))
        title = _("Refund {amount}").format(amount=format_money(refund_total(sale, items)))
        self.app.push_screen(ChooseModal(title, choices),
                             partial(self._tender_chosen, sale, items, original))

    def _tender_chosen(self, sale, items, original: str, letter: str | None) -> None:
        if letter is None:
            return
        tender = original if letter == "O" else CASH
        self.app.push_screen(ChooseModal(_("The goods"), {"S": _("go back on the shelf (restock)"),
                                                          "W": _("are written off (damaged, expired)")}),
                             partial(self._stock_chosen, sale, items, tender))

    def _stock_chosen(self, sale, items, tender: str, letter: str | None) -> None:
        if letter is None:
            return
        restock = letter == "S"
        try:
            check_refund(self.app.settings, self.actor, refund_total(sale, items))
        except NeedsApproval as request:
            def approved(approver: Actor | None) -> None:
                if approver is None:
                    self.notice(_("The refund was not approved; nothing changed"))
                else:
                    self._refund(sale.receipt_no, items, tender, restock, approver)

            self.app.push_screen(OverrideModal(self.actor, request, _APPROVES_REFUND), approved)
            return
        self._refund(sale.receipt_no, items, tender, restock, None)

    @work(thread=True, group="sale")
    def _refund(self, receipt_no: str, items, tender: str, restock: bool, approver: Actor | None) -> None:
        from pos_tui.services.returns import commit_return
        from pos_tui.services.store import thread_session

        from pos_tui.services.drawer import open_for_refund

        try:
            with thread_session():
                done = commit_return(self.actor, receipt_no, items, tender=tender, restock=restock,
                                     lane=self.app.settings.get("lane"), approver=approver,
                                     settings=self.app.settings)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(
            self.notice, _("Return {number}: refund {amount} by {tender}").format(
                number=done.receipt_no, amount=format_money(-done.total), tender=tender_word(tender)))
        try:  # after the commit: a cash refund opens the drawer, by the shop's rules; a drawer that did not
            # open says so last (naming the refund), not covered by the line above
            with thread_session():
                outcome = open_for_refund(self.actor, self.app.settings, self.app.drawer, tender, -done.total,
                                          lane=self.app.settings.get("lane"), receipt=done.receipt_no)
            self.app.call_from_thread(self._drawer_outcome, _("refund {number}").format(number=done.receipt_no), outcome)
        except Exception:  # the refund is saved; a drawer or audit fault must not hide that
            logging.getLogger(__name__).exception("drawer after refund failed")
