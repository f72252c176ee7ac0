"""The cart: lines being rung up and their totals, all in minor units."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from pos_tui.domain.discount import Discount, percent_of, share
from pos_tui.domain.money import round_minor
from pos_tui.domain.tax import line_tax
from pos_tui.errors import ValidationError
from pos_tui.i18n import _


@dataclass(frozen=True)
class CartLine:
    """One product on the cart; `qty` may be a weight in kg."""

    product_id: int
    barcode: str
    name: str
    unit_price: int
    qty: Decimal
    tax_class: str
    tax_rate: Decimal
    unit_cost: int = 0
    weighed: bool = False
    discount: int = 0
    list_price: int | None = None  # the price as scanned, once an override changed unit_price
    approved_by: str = ""  # who covered this line's price change or discount

    @property
    def gross(self) -> int:
        return round_minor(Decimal(self.unit_price) * self.qty)

    @property
    def total(self) -> int:
        return self.gross - self.discount


@dataclass(frozen=True)
class Totals:
    """What the totals panel shows and what a sale records."""

    items: Decimal
    subtotal: int
    discount: int
    tax: int
    total: int


@dataclass
class Cart:
    """Lines in the order they were rung up."""

    prices_include_tax: bool = True
    lines: list[CartLine] = field(default_factory=list)
    merge_repeats: bool = True
    customer_id: int | None = None
    customer_name: str = ""

    def add(self, line: CartLine) -> int:
        """Add a line, merging repeat scans of a counted item (if the shop wants); returns its index."""
        if line.qty <= 0:
            raise ValidationError(_("quantity must be more than zero"))
        if self.merge_repeats and not line.weighed:
            for index, existing in enumerate(self.lines):
                if (
                    existing.product_id == line.product_id
                    and not existing.weighed
                    and existing.unit_price == line.unit_price
                    and existing.discount == 0
                    and line.discount == 0
                ):
                    self.lines[index] = replace(existing, qty=existing.qty + line.qty)
                    return index
        self.lines.append(line)
        return len(self.lines) - 1

    def remove(self, index: int) -> CartLine:
        return self.lines.pop(index)

    def set_qty(self, index: int, qty: Decimal) -> CartLine:
        """A new quantity for one line; its discount is dropped (it was for the old quantity)."""
        if qty <= 0:
            raise ValidationError(_("quantity must be more than zero"))
        line = self.lines[index]
        if not line.weighed and qty != qty.to_integral_value():
            raise ValidationError(_("{name} is sold by the piece; use a whole number").format(name=line.name))
        self.lines[index] = replace(line, qty=qty, discount=0)
        return self.lines[index]

    def set_price(self, index: int, unit_price: int, by: str = "") -> CartLine:
        """A price override for one line (its discount is dropped); `by` authorised it."""
        if unit_price < 0:
            raise ValidationError(_("a price cannot be negative"))
        line = self.lines[index]
        listed = line.unit_price if line.list_price is None else line.list_price
        self.lines[index] = replace(line, unit_price=unit_price, discount=0, list_price=listed, approved_by=by)
        return self.lines[index]

    def discount_line(self, index: int, discount: Discount, by: str = "") -> int:
        """Replace one line's discount; returns the amount off."""
        line = self.lines[index]
        off = discount.off(line.gross)
        self.lines[index] = replace(line, discount=off, approved_by=by or line.approved_by)
        return off

    def discount_cart(self, discount: Discount, by: str = "") -> int:
        """Add a discount off the whole cart, shared across the lines; returns the amount off."""
        totals = [line.total for line in self.lines]
        off = discount.off(sum(totals))
        for index, part in enumerate(share(off, totals)):
            line = self.lines[index]
            self.lines[index] = replace(line, discount=line.discount + part,
                                        approved_by=(by or line.approved_by) if part else line.approved_by)
        return off

    def deepest_discount(self) -> Decimal:
        """The largest share of any line's price taken off, in percent (what limits are checked against)."""
        return max((percent_of(line.discount, line.gross) for line in self.lines if line.gross > 0),
                   default=Decimal(0))

    def clear(self) -> None:
        self.lines.clear()
        self.customer_id, self.customer_name = None, ""

    @property
    def is_empty(self) -> bool:
        return not self.lines

    def line_tax(self, line: CartLine) -> int:
        return line_tax(line.total, line.tax_rate, included=self.prices_include_tax)

    def totals(self) -> Totals:
        subtotal = sum(line.gross for line in self.lines)
        discount = sum(line.discount for line in self.lines)
        tax = sum(self.line_tax(line) for line in self.lines)
        net = subtotal - discount
        total = net if self.prices_include_tax else net + tax
        items = sum((Decimal(1) if line.weighed else line.qty for line in self.lines), Decimal(0))
        return Totals(items=items, subtotal=subtotal, discount=discount, tax=tax, total=total)
