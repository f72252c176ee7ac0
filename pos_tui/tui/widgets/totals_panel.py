"""Items, subtotal, discounts, tax and the total due; the last sale's change."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from pos_tui.domain.cart import Totals
from pos_tui.domain.quantity import format_qty
from pos_tui.i18n import _
from pos_tui.tui.money_text import money
from pos_tui.tui.widgets.text_lines import TextLines

LABEL_CELLS = VALUE_CELLS = 12


def _row(label: str, value: str) -> str:
    """A label and a right-aligned value, counted in cells: a Chinese character takes two."""
    return f"{label}{' ' * max(LABEL_CELLS - cell_len(label), 0)}{value:>{VALUE_CELLS}}"


class TotalsPanel(TextLines):
    """What the customer owes, at a glance.

    Its size is set by the checkout's CSS, never by its text, and a scan draws again only the lines
    whose figures changed.
    """

    def show(self, totals: Totals, *, tax_included: bool, customer: str = "") -> None:
        tax_label = _("Tax (incl.)") if tax_included else _("Tax")
        rows = [
            (_("Items"), format_qty(totals.items)),
            (_("Subtotal"), money(totals.subtotal)),
            (_("Discounts"), money(-totals.discount)),
            (tax_label, money(totals.tax)),
        ]
        lines = [(_row(label, value), "") for label, value in rows]
        lines += [("", ""), (_row(_("TOTAL"), money(totals.total)), "strong")]
        if customer:
            name = customer if cell_len(customer) <= 24 else set_cell_size(customer, 24)
            lines += [("", ""), (_("Customer:"), ""), (name, "")]
        self.set_lines(lines)

    def show_change(self, receipt_no: str, total: int, change: int) -> None:
        self.set_lines([
            (_("Sale {receipt}").format(receipt=receipt_no), ""),
            (_row(_("Paid"), money(total)), ""),
            ("", ""),
            (_row(_("CHANGE"), money(change)), "strong"),
        ])
