"""Items, subtotal, discounts, tax and the total due; the last sale's change."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.widgets import Static

from pos_tui.domain.cart import Totals
from pos_tui.domain.quantity import format_qty
from pos_tui.i18n import _
from pos_tui.tui.money_text import money

LABEL_CELLS = VALUE_CELLS = 12


def _row(label: str, value: str) -> str:
    """A label and a right-aligned value, counted in cells: a Chinese character takes two."""
    return f"{label}{' ' * max(LABEL_CELLS - cell_len(label), 0)}{value:>{VALUE_CELLS}}"


class TotalsPanel(Static):
    """What the customer owes, at a glance.

    Its size is set by the checkout's CSS, never by its text, so a change repaints it without a layout
    of the whole screen (that layout was a large share of each scan's redraw).
    """

    def show(self, totals: Totals, *, tax_included: bool, customer: str = "") -> None:
        tax_label = _("Tax (incl.)") if tax_included else _("Tax")
        rows = [
            (_("Items"), format_qty(totals.items)),
            (_("Subtotal"), money(totals.subtotal)),
            (_("Discounts"), money(-totals.discount)),
            (tax_label, money(totals.tax)),
        ]
        body = "\n".join(_row(label, value) for label, value in rows)
        name = customer if cell_len(customer) <= 24 else set_cell_size(customer, 24)
        who = f"\n\n{_('Customer:')}\n{name}" if customer else ""
        self.update(f"{body}\n\n[b]{_row(_('TOTAL'), money(totals.total))}[/b]{who}", layout=False)

    def show_change(self, receipt_no: str, total: int, change: int) -> None:
        self.update(
            f"{_('Sale {receipt}').format(receipt=receipt_no)}\n{_row(_('Paid'), money(total))}\n\n"
            f"[b]{_row(_('CHANGE'), money(change))}[/b]", layout=False
        )
