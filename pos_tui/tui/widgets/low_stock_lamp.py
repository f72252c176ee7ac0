"""The status line's low-stock item, shown to those who can reorder."""

from __future__ import annotations

from textual.widgets import Static


class LowStockLamp(Static):
    """"7 products low on stock (F12 > Purchasing)", or nothing."""

    DEFAULT_CSS = """
    LowStockLamp { width: auto; height: 1; padding: 0 1; }
    LowStockLamp.low { background: $warning; color: $text; text-style: bold; }
    """

    def show(self, text: str) -> None:
        self.update(text)
        self.set_class(bool(text), "low")
