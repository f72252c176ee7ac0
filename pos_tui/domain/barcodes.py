"""GTIN check digits, UPC-E, and in-store labels that carry a weight or a price.

In-store codes (EAN-13 with GS1 prefix 20-29) follow the shop's templates, like
`21IIIIIWWWWWC`: item IIIII weighing WWWWW grams. The catalogue holds the item's
base code, with the value zeroed (`21IIIII00000C`), so one product row serves
every label the scale prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from pos_tui.errors import ValidationError
from pos_tui.i18n import _

GTIN_LENGTHS = (8, 12, 13, 14)
TEMPLATE_LETTERS = "IWPVC"


def check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (any GTIN length)."""
    if not _digits(body):
        raise ValidationError(_("barcode body {body!r} must be digits").format(body=body))
    total = 0
    for position, char in enumerate(reversed(body)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def gtin_problem(code: str) -> str | None:
    """What makes `code` no GTIN, in words a person can act on; None when it is one."""
    if not _digits(code):
        return _("must contain digits only")
    if len(code) not in GTIN_LENGTHS:
        return _("has {count} digits; expected 8, 12, 13 or 14").format(count=len(code))
    expected = check_digit(code[:-1])
    if expected != int(code[-1]):
        return _("has a wrong check digit (expected {expected})").format(expected=expected)
    return None


def is_valid_gtin(code: str) -> bool:
    """True when `code` is 8, 12, 13 or 14 digits with a correct check digit."""
    return gtin_problem(code) is None


def validate_gtin(code: str) -> str:
    """Return the stripped code, or raise a message naming what is wrong."""
    cleaned = code.strip()
    problem = gtin_problem(cleaned)
    if problem:
        raise ValidationError(_("barcode {cleaned!r} {problem}").format(cleaned=cleaned, problem=problem))
    return cleaned


def with_check_digit(body: str) -> str:
    """Append the check digit to a 7, 11, 12 or 13 digit body."""
    return body + str(check_digit(body))


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _invalid(code: str, problem: str) -> ValidationError:
    # Control characters (a scanner's GS, a pasted newline) are shown escaped: one line.
    shown = code if code.isprintable() else repr(code)
    return ValidationError(_("invalid barcode {shown}: {problem}").format(shown=shown, problem=problem))


# --- UPC-E: a UPC-A with its zeros squeezed out, for small packs ------------


def _upce_body(code: str) -> str:
    """The 11-digit UPC-A body of an 8-digit UPC-E, by its 6th data digit."""
    system, d = code[0], code[1:7]
    last = d[5]
    if last in "012":
        middle = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        middle = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        middle = d[0:4] + "00000" + d[4]
    else:
        middle = d[0:5] + "0000" + last
    return system + middle


def expand_upce(code: str) -> str:
    """The UPC-A an 8-digit UPC-E stands for; its check digit is the UPC-A's."""
    if not _digits(code):
        raise _invalid(code, _("must contain digits only"))
    if len(code) != 8:
        raise _invalid(code, _("has {count} digits; a UPC-E has 8, number system and check digit included").format(count=len(code)))
    if code[0] not in "01":
        raise _invalid(code, _("a UPC-E starts with number system 0 or 1"))
    upca = with_check_digit(_upce_body(code))
    if upca[-1] != code[-1]:
        raise _invalid(code, _("has a wrong UPC-E check digit (expected {upca})").format(upca=upca[-1]))
    return upca


def compress_upca(code: str) -> str | None:
    """The UPC-E printed for a UPC-A, or None when its zeros do not allow one."""
    if not (_digits(code) and len(code) == 12 and code[0] in "01"):
        return None
    system, maker, item, check = code[0], code[1:6], code[6:11], code[11]
    if maker[2] in "012" and maker[3:] == "00" and item[:2] == "00":
        data = maker[:2] + item[2:] + maker[2]
    elif maker[3:] == "00" and item[:3] == "000":
        data = maker[:3] + item[3:] + "3"
    elif maker[4] == "0" and item[:4] == "0000":
        data = maker[:4] + item[4] + "4"
    elif item[:4] == "0000" and item[4] in "56789":
        data = maker + item[4]
    else:
        return None
    return system + data + check


def lookup_forms(code: str) -> tuple[str, ...]:
    """Other codes a catalogue may file this scanned code under, best first.

    UPC-E is looked up as its UPC-A, and UPC-A with or without the leading 0 of
    its 13-digit form. An 8-digit code may be EAN-8 or UPC-E; either check
    digit makes it valid. Raises "invalid barcode …" when it is no GTIN.
    """
    if len(code) == 8 and _digits(code) and code[0] in "01":
        upca = with_check_digit(_upce_body(code))
        if upca[-1] == code[-1]:
            return (upca, "0" + upca)
        ean8 = check_digit(code[:-1])
        if ean8 != int(code[-1]):
            raise _invalid(code, _("has a wrong check digit (expected {ean8} for EAN-8 or {upca} for UPC-E)").format(ean8=ean8, upca=upca[-1]))
        return ()
    problem = gtin_problem(code)
    if problem:
        raise _invalid(code, problem)
    if len(code) == 12:
        return ("0" + code,)
    if len(code) == 13 and code[0] == "0":
        return (code[1:],)
    return ()


# --- GS1 price verifier digit (General Specifications 7.9.3-7.9.4) ----------


def _weights(factor: int, sign: int) -> tuple[int, ...]:
    """Weighted products of 0-9: factor times digit, tens added (+) or taken (-) from units."""
    return tuple((d * factor % 10 + sign * (d * factor // 10)) % 10 for d in range(10))


TWO_MINUS, THREE, FIVE_PLUS, FIVE_MINUS = _weights(2, -1), _weights(3, 0), _weights(5, 1), _weights(5, -1)


def price_verifier(price: str) -> int:
    """The GS1 price verifier digit of a 4- or 5-digit price field."""
    if not _digits(price) or len(price) not in (4, 5):
        raise ValidationError(_("a price verifier covers 4 or 5 digits, not {price!r}").format(price=price))
    values = [int(c) for c in price]
    if len(values) == 4:
        total = sum(w[v] for w, v in zip((TWO_MINUS, TWO_MINUS, THREE, FIVE_MINUS), values))
        return total * 3 % 10
    total = sum(w[v] for w, v in zip((FIVE_PLUS, TWO_MINUS, FIVE_MINUS, FIVE_PLUS, TWO_MINUS), values))
    return FIVE_MINUS.index((10 - total % 10) % 10)


# --- In-store label templates -------------------------------------------------


@dataclass(frozen=True)
class EmbeddedBarcode:
    """An in-store code split into the catalogue code and its embedded value."""

    base_code: str
    grams: int | None = None
    price_minor: int | None = None

    @property
    def weight_kg(self) -> Decimal | None:
        return None if self.grams is None else Decimal(self.grams).scaleb(-3)


@dataclass(frozen=True)
class Template:
    """One label layout; fields are (start, stop) positions in the 13 digits."""

    text: str
    prefix: str
    item: tuple[int, int]
    value: tuple[int, int]
    kind: str  # "grams" or "price"
    verifier: int | None = None

    def encode(self, item: int, value: int) -> str:
        """The label the scale prints for this item and value (for tests and label printing)."""
        digits = list(self.text[:12])
        for (start, stop), number in ((self.item, item), (self.value, value)):
            width = stop - start
            if not 0 <= number < 10**width:
                raise ValidationError(_("{number} does not fit {width} digits of template {text}").format(number=number, width=width, text=self.text))
            digits[start:stop] = f"{number:0{width}d}"
        if self.verifier is not None:
            digits[self.verifier] = str(price_verifier("".join(digits[slice(*self.value)])))
        return with_check_digit("".join(digits))

    def decode(self, code: str) -> EmbeddedBarcode:
        """Base code and value of a 13-digit code starting with this prefix."""
        problem = gtin_problem(code)
        if problem:
            raise _invalid(code, problem)
        value = code[slice(*self.value)]
        if self.verifier is not None:
            expected = price_verifier(value)
            if int(code[self.verifier]) != expected:
                raise _invalid(code, _("has a wrong price check digit (expected {expected})").format(expected=expected))
        base = ["0"] * 12
        base[: len(self.prefix)] = self.prefix
        base[slice(*self.item)] = code[slice(*self.item)]
        base_code = with_check_digit("".join(base))
        if self.kind == "grams":
            return EmbeddedBarcode(base_code, grams=int(value))
        return EmbeddedBarcode(base_code, price_minor=int(value))


def parse_template(text: str) -> Template:
    """One template like 21IIIIIWWWWWC, or a ValidationError naming what is wrong."""

    def bad(problem: str) -> ValidationError:
        return ValidationError(_("barcode template {text!r} {problem}").format(text=text, problem=problem))

    if len(text) != 13:
        raise bad(_("has {count} characters; a template has 13, like 21IIIIIWWWWWC").format(count=len(text)))
    unknown = sorted({c for c in text if not (c in TEMPLATE_LETTERS or c in "0123456789")})
    if unknown:
        raise bad(_("has unknown letter {unknown!r}; use digits, I, W, P, V and C").format(unknown=unknown[0]))
    prefix = text[: len(text) - len(text.lstrip("0123456789"))]
    if len(prefix) < 2 or prefix[0] != "2":
        raise bad(_("must start with its GS1 prefix 20-29, like 21"))
    if any(c.isdigit() for c in text[len(prefix):]):
        raise bad(_("has digits after its letters; only the leading digits are matched"))
    if text[-1] != "C" or text.count("C") != 1:
        raise bad(_("must end with C, the check digit, and have no other C"))
    spans: dict[str, tuple[int, int]] = {}
    for letter in "IWPV":
        if letter in text:
            start, stop = text.index(letter), text.rindex(letter) + 1
            if text[start:stop] != letter * (stop - start):
                raise bad(_("has its {letter} digits apart; keep them together").format(letter=letter))
            spans[letter] = (start, stop)
    if "I" not in spans:
        raise bad(_("has no I (item) digits"))
    if "W" in spans and "P" in spans:
        raise bad(_("has both W (weight) and P (price) digits; a label carries one"))
    if "W" not in spans and "P" not in spans:
        raise bad(_("has no W (weight) or P (price) digits"))
    verifier = None
    if "V" in spans:
        start, stop = spans["V"]
        if stop - start != 1:
            raise bad(_("has more than one V; the price verifier is one digit"))
        if "P" not in spans or spans["P"][1] - spans["P"][0] not in (4, 5):
            raise bad(_("has V without 4 or 5 P digits; the price verifier covers a 4- or 5-digit price"))
        verifier = start
    kind = "grams" if "W" in spans else "price"
    return Template(text, prefix, spans["I"], spans["W" if kind == "grams" else "P"], kind, verifier)


def parse_templates(text: str) -> list[Template]:
    """The comma-separated templates of `barcode.templates`; refuses two that claim the same codes."""
    templates = [parse_template(part.strip()) for part in text.split(",") if part.strip()]
    for index, first in enumerate(templates):
        for second in templates[index + 1 :]:
            if first.prefix.startswith(second.prefix) or second.prefix.startswith(first.prefix):
                shorter = min(first.prefix, second.prefix, key=len)
                raise ValidationError(
                    _("barcode templates {text!r} and {text2!r} both match codes starting {shorter}; give each its "
                      "own prefix").format(text=first.text, text2=second.text, shorter=shorter)
                )
    return templates


def decode(code: str, templates: Sequence[Template]) -> EmbeddedBarcode | None:
    """The catalogue code and value of an in-store label; None when no template matches.

    A matching code with a wrong check or price verifier digit raises: it was
    misread or misprinted, and looking it up would only say "not found".
    """
    if len(code) != 13 or not _digits(code):
        return None
    for template in templates:
        if code.startswith(template.prefix):
            return template.decode(code)
    return None


_CLASSIC_TEMPLATES = tuple(parse_templates("21IIIIIWWWWWC,22IIIIIPPPPPC"))


def parse_embedded(code: str) -> EmbeddedBarcode | None:
    """`decode` with the original 21 (grams) and 22 (price) layouts; None for any bad code."""
    try:
        return decode(code, _CLASSIC_TEMPLATES)
    except ValidationError:
        return None
