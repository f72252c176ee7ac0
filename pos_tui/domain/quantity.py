"""Quantities: whole items or weights with up to three decimals (kg).

The database keeps quantities as integer thousandths so sums stay exact;
code works with Decimal.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pos_tui.errors import ValidationError
from pos_tui.i18n import _

QTY_PLACES = 3
_MILLI = 10**QTY_PLACES
_QTY_RE = re.compile(r"^(-)?\d{1,9}(?:\.\d{1,3})?$", re.ASCII)


def parse_qty(text: str, *, allow_negative: bool = False, what: str | None = None) -> Decimal:
    """Parse "3" or "1.250" into a Decimal; refuse more than 3 decimals."""
    what = what or _("quantity")
    cleaned = text.strip()
    if not _QTY_RE.match(cleaned):
        raise ValidationError(
            _("{what} {cleaned!r} is not a number; use digits like 3 or 1.250").format(what=what, cleaned=cleaned)
        )
    value = Decimal(cleaned)
    if value < 0 and not allow_negative:
        raise ValidationError(_("{what} {cleaned!r} must not be negative").format(what=what, cleaned=cleaned))
    return value


def qty_to_milli(qty: Decimal) -> int:
    """Decimal quantity -> integer thousandths, exactly."""
    milli = qty * _MILLI
    if milli != milli.to_integral_value():
        raise ValidationError(_("quantity {qty} has more than {QTY_PLACES} decimals").format(qty=qty, QTY_PLACES=QTY_PLACES))
    return int(milli)


def milli_to_qty(milli: int) -> Decimal:
    """Integer thousandths -> Decimal quantity, normalised (2000 -> 2, 1500 -> 1.5)."""
    value = Decimal(milli).scaleb(-QTY_PLACES)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def format_qty(qty: Decimal) -> str:
    """Show whole quantities without decimals and weights with three."""
    if qty == qty.to_integral_value():
        return str(int(qty))
    return f"{qty:.{QTY_PLACES}f}"


def format_stock(on_hand: Decimal, held: Decimal = Decimal(0)) -> str:
    """Stock on hand, and what is still available when orders hold some: "12 (9 av)"."""
    if not held:
        return format_qty(on_hand)
    return _("{format_qty} ({format_qty2} av)").format(format_qty=format_qty(on_hand), format_qty2=format_qty(on_hand - held))
