"""What the cashier types into the scan field besides a code: `3*` sets the quantity."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.domain.quantity import parse_qty
from pos_tui.errors import ValidationError

MAX_MULTIPLIER = Decimal(9999)


def split_multiplier(text: str) -> tuple[Decimal | None, str]:
    """"3*4010079190010" -> (3, "4010079190010"); a code alone -> (None, code)."""
    if "*" not in text:
        return None, text.strip()
    head, _, code = text.partition("*")
    qty = parse_qty(head, what="quantity before *")
    if qty <= 0:
        raise ValidationError("the quantity before * must be more than zero")
    if qty > MAX_MULTIPLIER:
        raise ValidationError(f"the quantity before * is more than {MAX_MULTIPLIER}; check the number")
    if not code.strip():
        raise ValidationError(f"scan or type the code after {head.strip()}*")
    return qty, code.strip()
