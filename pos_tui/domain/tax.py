"""Tax per line, rounded half up to the cent.

Shops either show prices with tax included (the shelf price is what the
customer pays; the tax is the part of it) or added at the till.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pos_tui.domain.money import round_minor
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

HUNDRED = Decimal(100)


def parse_rate(text: str) -> Decimal:
    """A tax rate in percent ("20", "5.5"); 0 <= rate < 100."""
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValidationError(_("tax rate {text!r} is not a number; use a percent like 20 or 5.5").format(text=text)) from None
    if not rate.is_finite() or rate < 0 or rate >= HUNDRED:
        raise ValidationError(_("tax rate {text!r} must be a percent from 0 up to 100").format(text=text))
    return rate


def line_tax(amount_minor: int, rate: Decimal, *, included: bool) -> int:
    """The tax on one line's amount, in minor units."""
    if rate == 0:
        return 0
    if included:
        return round_minor(Decimal(amount_minor) * rate / (HUNDRED + rate))
    return round_minor(Decimal(amount_minor) * rate / HUNDRED)
