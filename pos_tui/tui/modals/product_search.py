"""Product search (F2): part of a name, category or tag; Enter adds the highlighted one."""

from __future__ import annotations

from rich.text import Text

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.tui.modals.lookup import LookupModal

RESULTS = 50


class ProductSearchModal(LookupModal):
    """Returns the barcode picked, or None when cancelled."""

    TITLE_TEXT = "Find a product: name, category or tag"
    COLUMNS = (("Item", 34), ("Price", 8), ("Stock", 8), ("Category", 14))
    LIMIT = RESULTS

    def find(self, text: str):
        from pos_tui.services.catalog import list_products

        return list_products(text, limit=RESULTS)

    def cells(self, product):
        return (product.name, Text(format_money(product.price), justify="right"),
                Text(format_qty(product.stock), justify="right"), product.category)

    def picked(self, product) -> str:
        return product.barcode

    @property
    def barcodes(self) -> list[str]:
        return [p.barcode for p in self.rows]
