"""What the cashier types into the scan field besides a code: `3*` sets the quantity."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.domain.quantity import parse_qty
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

MAX_MULTIPLIER = Decimal(9999)


def split_multiplier(text: str) -> tuple[Decimal | None, str]:
    """"3*4010079190010" -> (3, "4010079190010"); a code alone -> (None, code)."""
    if "*" not in text:
        return None, text.strip()
    head, _sep, code = text.partition("*")
    qty = parse_qty(head, what=_("quantity before *"))
    if qty <= 0:
        raise ValidationError(_("the quantity before * must be more than zero"))
    if qty > MAX_MULTIPLIER:
        raise ValidationError(_("the quantity before * is more than {MAX_MULTIPLIER}; check the number").format(MAX_MULTIPLIER=MAX_MULTIPLIER))
    if not code.strip():
        raise ValidationError(_("scan or type the code after {head}*").format(head=head.strip()))
    return qty, code.strip()
