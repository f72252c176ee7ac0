"""Money, dates and times as a shop in each language writes them; never a float.

Kept apart from the gettext catalogues on purpose: these are rules (digit
grouping, date order), not sentences, and the domain must stay free of I/O.
English dates keep the ISO form the receipt has always printed ("2026-11-27")
as the short style; the long style is "27 Nov 2026". Chinese writes
"2026年11月27日" in both. Times are 24-hour "14:03" in both languages.

Both languages group thousands with "," and use "." for decimals, so
`parse_money_text` reads back exactly what `format_money_text` wrote.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from pos_tui.domain.money import MINOR_DIGITS
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

LANGUAGES = ("en", "zh_CN")
# The symbol a customer expects before the amount; a currency not listed shows its code and a space.
CURRENCY_SYMBOLS = {
    "USD": "$", "GBP": "£", "EUR": "€", "CNY": "¥", "JPY": "¥", "HKD": "HK$", "TWD": "NT$",
    "SGD": "S$", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "INR": "₹", "KRW": "₩",
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SCALE = 10**MINOR_DIGITS


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"no locale rules for {code!r}; known: {', '.join(LANGUAGES)}")
    return code


def currency_symbol(currency: str) -> str:
    """"£" for GBP; an unlisted ISO code is its own symbol, followed by a space ("CHF ")."""
    code = str(currency).strip().upper()
    return CURRENCY_SYMBOLS.get(code, f"{code} " if code else "")


def group_thousands(whole: int) -> str:
    """1234567 -> "1,234,567" (whole >= 0)."""
    return f"{whole:,d}"


def format_money_text(minor: int, currency: str = "USD", language: str = "en", *, symbol: bool = True) -> str:
    """Minor units for a person: 123450 GBP -> "£1,234.50"; negative -> "-£1,234.50"."""
    if not isinstance(minor, int) or isinstance(minor, bool):
        raise TypeError(f"money must be int minor units, not {type(minor).__name__}")
    _language(language)
    whole, frac = divmod(abs(minor), _SCALE)
    sign = "-" if minor < 0 else ""
    mark = currency_symbol(currency) if symbol else ""
    return f"{sign}{mark}{group_thousands(whole)}.{frac:0{MINOR_DIGITS}d}"


_GROUPED = r"\d{1,3}(?:,\d{3})*"
_AMOUNT = re.compile(rf"^(?P<whole>{_GROUPED}|\d+)(?:\.(?P<frac>\d{{1,{MINOR_DIGITS}}}))?$", re.ASCII)


def parse_money_text(text: str, currency: str = "USD", language: str = "en", *, what: str | None = None) -> int:
    """Minor units from what `format_money_text` writes, or the plain "1234.5" a person types.

    The currency's symbol (or its ISO code) may follow the sign; commas must
    group thousands properly, so "1,23" is refused rather than guessed at.
    """
    what = what or _("amount")
    _language(language)
    cleaned = str(text).strip()
    sign = ""
    if cleaned.startswith("-"):
        sign, cleaned = "-", cleaned[1:].lstrip()
    for mark in (currency_symbol(currency).strip(), str(currency).strip().upper()):
        if mark and cleaned.upper().startswith(mark.upper()):
            cleaned = cleaned[len(mark):].lstrip()
            break
    match = _AMOUNT.match(cleaned)
    if match is None or len(match.group("whole").replace(",", "")) > 15:
        raise ValidationError(_("{what} {text!r} is not a money amount; use digits like 1,234.50").format(what=what, text=str(text).strip()))
    whole = int(match.group("whole").replace(",", ""))
    minor = whole * _SCALE + int((match.group("frac") or "").ljust(MINOR_DIGITS, "0"))
    return -minor if sign else minor


def format_date(day: date, language: str = "en", *, long: bool = False) -> str:
    """en: "2026-11-27" (long: "27 Nov 2026"); zh_CN: "2026年11月27日"."""
    if _language(language) == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    if long:
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def format_time(moment: time | datetime, language: str = "en", *, seconds: bool = False) -> str:
    """24-hour "14:03" (or "14:03:09") in both languages: shop clocks and receipts use it."""
    _language(language)
    text = f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{text}:{moment.second:02d}" if seconds else text


def format_datetime(moment: datetime, language: str = "en", *, long: bool = False) -> str:
    """The date and the time, a space between: "2026-11-27 14:03", "2026年11月27日 14:03"."""
    return f"{format_date(moment.date(), language, long=long)} {format_time(moment, language)}"
