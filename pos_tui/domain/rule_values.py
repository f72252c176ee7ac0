"""The typed values of the drawer rules as a shop writes them in config.toml.

Each parser takes the text (or a TOML list) and returns a plain value, or
raises ValidationError saying what was expected; `canonical_*` gives the
one spelling config.toml keeps. Used by config validation and the rules engine.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Iterable

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
MAX_REASON = 40


def _items(value: Any) -> list[str]:
    """A comma-separated text or a TOML list, as stripped non-empty items."""
    if isinstance(value, (list, tuple)):
        parts = [str(part) for part in value]
    else:
        parts = str(value).split(",")
    return [part.strip() for part in parts if part.strip()]


def parse_names(value: Any) -> tuple[str, ...]:
    """Tender names like "cash,voucher" (lower case, no repeats)."""
    names = [item.lower() for item in _items(value)]
    for name in names:
        if not _NAME.match(name):
            raise ValidationError(_("{name!r} is not a tender name (lower-case letters, digits, '_')").format(name=name))
    return tuple(dict.fromkeys(names))


def parse_money_range(value: Any) -> tuple[int, int] | None:
    """"0.01-200.00" as (1, 20000) minor units; empty text means no range."""
    text = str(value).strip()
    if not text:
        return None
    low, sep, high = text.partition("-")
    if not sep:
        raise ValidationError(_("{text!r} is not a range; write it like 0.01-200.00").format(text=text))
    lo, hi = parse_money(low, what=_("range start")), parse_money(high, what=_("range end"))
    if lo > hi:
        raise ValidationError(_("the range {text!r} starts above its end").format(text=text))
    return lo, hi


def parse_amounts(value: Any) -> tuple[int, ...]:
    """"5.00,10.00,20.00" as minor units, sorted, no repeats."""
    return tuple(sorted({parse_money(item, what=_("amount")) for item in _items(value)}))


def parse_hours(value: Any) -> tuple[time, time] | None:
    """"08:00-20:00" (or overnight "22:00-06:00"); empty text means any time."""
    text = str(value).strip()
    if not text:
        return None
    match = _HOURS.match(text)
    if match is None:
        raise ValidationError(_("{text!r} is not a span of hours; write it like 08:00-20:00").format(text=text))
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise ValidationError(_("{text!r} has an hour past 23:59; write it like 08:00-20:00").format(text=text))
    start, end = time(h1, m1), (time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2))
    if start == end:
        raise ValidationError(_("{text!r} starts and ends at the same time; leave it empty for any time").format(text=text))
    return start, end


def parse_reasons(value: Any) -> tuple[str, ...]:
    """The no-sale reasons a cashier picks from, like "change for a customer,float check"."""
    reasons = _items(value)
    for reason in reasons:
        if len(reason) > MAX_REASON or any(ord(c) < 0x20 for c in reason):
            raise ValidationError(_("reason {reason!r} must be one line of at most {MAX_REASON} characters").format(reason=reason[:MAX_REASON], MAX_REASON=MAX_REASON))
    if len({r.lower() for r in reasons}) != len(reasons):
        raise ValidationError(_("a no-sale reason is listed twice"))
    return tuple(reasons)


def within_hours(span: tuple[time, time] | None, at: time) -> bool:
    """Is `at` inside the span (start included, end excluded; overnight spans wrap)?"""
    if span is None:
        return True
    start, end = span
    if start < end:
        return start <= at < end
    return at >= start or at < end


def canonical_names(names: Iterable[str]) -> str:
    return ",".join(names)


def canonical_money_range(span: tuple[int, int] | None) -> str:
    return "" if span is None else f"{format_money(span[0])}-{format_money(span[1])}"


def canonical_amounts(amounts: Iterable[int]) -> str:
    return ",".join(format_money(amount) for amount in amounts)


def canonical_hours(span: tuple[time, time] | None) -> str:
    if span is None:
        return ""
    end = "24:00" if span[1] == time(23, 59, 59, 999999) else span[1].strftime("%H:%M")
    return f"{span[0].strftime('%H:%M')}-{end}"
