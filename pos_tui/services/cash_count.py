"""Counting cash by notes and coins: the shop's denominations, typed counts checked, a float made up.

Counts are denomination (minor units) -> pieces; a bad count (negative, not
a whole number, a note the shop does not count) is a ValidationError.
"""

from __future__ import annotations

from collections.abc import Mapping

from pos_tui.config import Settings
from pos_tui.domain import rule_values as rv
from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

# Notes and coins a till counts when shift.denominations is empty, by store.currency.
DEFAULT_DENOMINATIONS = {
    "USD": "0.01,0.05,0.10,0.25,1.00,5.00,10.00,20.00,50.00,100.00",
    "EUR": "0.01,0.02,0.05,0.10,0.20,0.50,1.00,2.00,5.00,10.00,20.00,50.00,100.00,200.00",
    "GBP": "0.01,0.02,0.05,0.10,0.20,0.50,1.00,2.00,5.00,10.00,20.00,50.00",
    "CNY": "0.10,0.50,1.00,5.00,10.00,20.00,50.00,100.00",
}
_FALLBACK = "0.01,0.05,0.10,0.50,1.00,5.00,10.00,20.00,50.00,100.00"
MAX_COUNT = 100_000  # pieces of one note: past this it is a typo


def denominations(settings: Settings) -> tuple[int, ...]:
    """The notes and coins counted, largest first (shift.denominations, else the currency's usual ones)."""
    text = settings.get("shift.denominations") or DEFAULT_DENOMINATIONS.get(
        str(settings.get("store.currency")).upper(), _FALLBACK)
    return tuple(sorted((d for d in rv.parse_amounts(text) if d > 0), reverse=True))


def whole_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValidationError(_("{what} must be a whole number, 0 or more, not {value!r}").format(what=what, value=value))
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise ValidationError(_("{what} must be a whole number, 0 or more, not {text!r}").format(what=what, text=text))
    number = int(text)
    if number > MAX_COUNT:
        raise ValidationError(_("{what} of {number} is more than {MAX_COUNT}; recount").format(what=what, number=number, MAX_COUNT=MAX_COUNT))
    return number


def parse_counts(settings: Settings, counts: Mapping[int | str, int | str]) -> dict[int, int]:
    """Denomination (minor units, or text like "5.00") -> pieces, checked against the shop's list."""
    known = denominations(settings)
    parsed: dict[int, int] = {}
    for key, value in counts.items():
        if isinstance(key, int) and not isinstance(key, bool):
            denomination = key
        else:
            denomination = parse_money(str(key), what=_("denomination"))
        if denomination not in known:
            listed = ", ".join(format_money(d) for d in known)
            raise ValidationError(_("{denomination} is not one of the notes and coins counted ({listed}); see "
                                    "shift.denominations").format(denomination=format_money(denomination), listed=listed))
        parsed[denomination] = parsed.get(denomination, 0) + whole_count(value, _("the count of {denomination}").format(denomination=format_money(denomination)))
    return parsed


def break_down(settings: Settings, amount: int) -> dict[int, int]:
    """`amount` as the fewest notes and coins (a float made up for a demo or a test)."""
    left, out = amount, {}
    for denomination in denominations(settings):
        pieces, left = divmod(left, denomination)
        if pieces:
            out[denomination] = pieces
    if left:
        raise ValidationError(_("{amount} cannot be made of the notes and coins counted").format(amount=format_money(amount)))
    return out


def counted(settings: Settings, counts: Mapping | None, amount: int | None, what: str) -> tuple[int, dict[int, int]]:
    """The cash counted: by denomination (summed) or, when the shop allows it, as one amount."""
    if counts is not None:
        parsed = parse_counts(settings, counts)
        total = sum(d * n for d, n in parsed.items())
        if amount is not None and amount != total:
            raise ValidationError(_("the {what} counted note by note is {total}, not {amount}; recount").format(what=what, total=format_money(total), amount=format_money(amount)))
        return total, parsed
    if settings.get("shift.count_by_denomination"):
        raise ValidationError(_("count the {what} note by note (shift.count_by_denomination is on)").format(what=what))
    if amount is None or isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValidationError(_("the {what} must be an amount of 0.00 or more").format(what=what))
    return amount, {}
