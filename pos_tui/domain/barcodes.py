"""GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) check digits and in-store barcodes.

In-store variable-measure codes (EAN-13 starting with 2) carry a weight or a
price: `21IIIIIWWWWWC` is item IIIII weighing WWWWW grams, `22IIIIIPPPPPC` is
item IIIII priced PPPPP minor units. The catalogue holds the item's base code
with the value zeroed (`21IIIII00000C`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos_tui.errors import ValidationError

GTIN_LENGTHS = (8, 12, 13, 14)
WEIGHT_PREFIX = "21"
PRICE_PREFIX = "22"


def check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (any GTIN length)."""
    if not (body.isascii() and body.isdigit()):
        raise ValidationError(f"barcode body {body!r} must be digits")
    total = 0
    for position, char in enumerate(reversed(body)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    """True when `code` is 8, 12, 13 or 14 digits with a correct check digit."""
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and check_digit(code[:-1]) == int(code[-1])
    )


def validate_gtin(code: str) -> str:
    """Return the stripped code, or raise a message naming what is wrong."""
    cleaned = code.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValidationError(f"barcode {cleaned!r} must contain digits only")
    if len(cleaned) not in GTIN_LENGTHS:
        raise ValidationError(
            f"barcode {cleaned!r} has {len(cleaned)} digits; expected 8, 12, 13 or 14"
        )
    expected = check_digit(cleaned[:-1])
    if expected != int(cleaned[-1]):
        raise ValidationError(
            f"barcode {cleaned!r} has a wrong check digit (expected {expected})"
        )
    return cleaned


def with_check_digit(body: str) -> str:
    """Append the check digit to a 7, 11, 12 or 13 digit body."""
    return body + str(check_digit(body))


@dataclass(frozen=True)
class EmbeddedBarcode:
    """An in-store code split into the catalogue code and its embedded value."""

    base_code: str
    grams: int | None = None
    price_minor: int | None = None

    @property
    def weight_kg(self) -> Decimal | None:
        return None if self.grams is None else Decimal(self.grams).scaleb(-3)


def parse_embedded(code: str) -> EmbeddedBarcode | None:
    """Split a valid 21/22-prefixed EAN-13 into base code and value, else None."""
    if len(code) != 13 or not is_valid_gtin(code):
        return None
    prefix, item, value = code[:2], code[2:7], code[7:12]
    if prefix not in (WEIGHT_PREFIX, PRICE_PREFIX):
        return None
    base = with_check_digit(prefix + item + "00000")
    if prefix == WEIGHT_PREFIX:
        return EmbeddedBarcode(base, grams=int(value))
    return EmbeddedBarcode(base, price_minor=int(value))
