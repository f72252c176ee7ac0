"""Money as integer minor units (cents); never a float.

Amounts travel as `int` minor units. These helpers turn what people type
("12.50", "3") into minor units and back, exactly.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from pos_tui.errors import ValidationError
from pos_tui.i18n import _

MINOR_DIGITS = 2
_SCALE = 10**MINOR_DIGITS
_MONEY_RE = re.compile(r"^(-)?(\d{1,12})(?:\.(\d{1,2}))?$", re.ASCII)


def parse_money(text: str, *, allow_negative: bool = False, what: str | None = None) -> int:
    """Parse a typed amount like "12.50" into minor units.

    Accepts at most two decimals; refuses thousands separators, exponents and
    anything that would need rounding, so a typo never becomes a price.
    """
    what = what or _("amount")
    cleaned = text.strip()
    match = _MONEY_RE.match(cleaned)
    if match is None:
        raise ValidationError(
            _("{what} {text!r} is not a money amount; use digits like 12.50").format(what=what, text=text.strip())
        )
    sign, whole, frac = match.groups()
    minor = int(whole) * _SCALE + int((frac or "").ljust(MINOR_DIGITS, "0"))
    if sign:
        if not allow_negative:
            raise ValidationError(_("{what} {cleaned!r} must not be negative").format(what=what, cleaned=cleaned))
        minor = -minor
    return minor


def format_money(minor: int) -> str:
    """Format minor units as a plain decimal string: 1250 -> "12.50"."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise TypeError(f"money must be int minor units, not {type(minor).__name__}")
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), _SCALE)
    return f"{sign}{whole}.{frac:0{MINOR_DIGITS}d}"


def to_decimal(minor: int) -> Decimal:
    """Minor units as an exact Decimal in major units (1250 -> Decimal('12.50'))."""
    return Decimal(minor).scaleb(-MINOR_DIGITS)


def round_minor(value: Decimal) -> int:
    """Round a Decimal amount of minor units to whole minor units, half up."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
