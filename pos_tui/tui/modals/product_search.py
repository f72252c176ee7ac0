"""Product search (F2): part of a name, category or tag; Enter adds the highlighted one.

Stock shows what is on hand and, when orders hold some of it, what is still
available ("12 (9 av)"): one extra read per search, none on the scan path.
"""

from __future__ import annotations

from rich.text import Text

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_stock
from pos_tui.i18n import N_
from pos_tui.tui.modals.lookup import LookupModal

RESULTS = 50


class ProductSearchModal(LookupModal):
    """Returns the barcode picked, or None when cancelled."""

    HELP_TITLE = N_("Find a product")
    HOWTO = N_("Type part of a product's name, its category or a tag.\n"
               "Up/Down picks a row, Enter takes it (at the checkout: into the cart).\n"
               "Stock is what is on hand; when orders hold some, also what is free.\n"
               "{lookup.cancel} closes.")

    TITLE_TEXT = N_("Find a product: name, category or tag")
    COLUMNS = ((N_("Item"), 30), (N_("Price"), 8), (N_("Stock"), 12), (N_("Category"), 14))
    LIMIT = RESULTS

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.reserved: dict[int, object] = {}  # product id -> qty held by approved and packed orders

    def find(self, text: str):
        from pos_tui.services.catalog import list_products
        from pos_tui.services.order_stock import reserved

        found = list_products(text, limit=RESULTS)
        held = reserved([p.id for p in found])
        self.reserved.update(held)  # ids map to the same figures whichever search read them
        return found

    def cells(self, product):
        stock = format_stock(product.stock, self.reserved.get(product.id, 0))
        return (product.name, Text(format_money(product.price), justify="right"),
                Text(stock, justify="right"), product.category)

    def picked(self, product) -> str:
        return product.barcode

    @property
    def barcodes(self) -> list[str]:
        return [p.barcode for p in self.rows]
