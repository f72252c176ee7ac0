"""Items, subtotal, discounts, tax and the total due; the last sale's change."""

from __future__ import annotations

from textual.widgets import Static

from pos_tui.domain.cart import Totals
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty


class TotalsPanel(Static):
    """What the customer owes, at a glance."""

    def show(self, totals: Totals, *, tax_included: bool, customer: str = "") -> None:
        tax_label = "Tax (incl.)" if tax_included else "Tax"
        rows = [
            ("Items", format_qty(totals.items)),
            ("Subtotal", format_money(totals.subtotal)),
            ("Discounts", format_money(-totals.discount)),
            (tax_label, format_money(totals.tax)),
        ]
        body = "\n".join(f"{label:<12}{value:>12}" for label, value in rows)
        who = f"\n\nCustomer:\n{customer[:24]}" if customer else ""
        self.update(f"{body}\n\n[b]{'TOTAL':<12}{format_money(totals.total):>12}[/b]{who}")

    def show_change(self, receipt_no: str, total: int, change: int) -> None:
        self.update(
            f"Sale {receipt_no}\n{'Paid':<12}{format_money(total):>12}\n\n"
            f"[b]{'CHANGE':<12}{format_money(change):>12}[/b]"
        )
