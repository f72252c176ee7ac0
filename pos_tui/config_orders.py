"""The setting kinds of delivery orders and customer messages: each refuses what would fail later.

`optional_money` and `optional_percent` are review thresholds where empty
means "rule off"; `carriers` is the shop's list of carriers; `message` is a
notify template whose placeholders are checked when it is set, so a typo
surfaces at `pos config set`, not when a customer's message is written.
"""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pos_tui.errors import ConfigError

if TYPE_CHECKING:
    from pos_tui.config import Key

PLACEHOLDERS = ("number", "name", "status", "carrier", "tracking", "expected")
ORDER_EXPECTED = {
    "optional_money": "a money amount like 250.00, or empty for no rule",
    "optional_percent": "a percent like 15, or empty for no rule",
    "carriers": "carrier names separated by commas, like DPD,UPS,Royal Mail",
    "message": "message text with placeholders among " + ", ".join("{" + p + "}" for p in PLACEHOLDERS),
}


def template_fields(text: str) -> list[str]:
    """The placeholders of a template, or a ValueError naming what is wrong with it."""
    fields = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        shown = "{" + name + "}" if name.isprintable() else repr(name)
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder {shown}; use " + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        if spec or conversion:
            raise ValueError(f"placeholder {shown} takes no format; write it as {shown}")
        fields.append(name)
    return fields


def coerce_order(key: Key, value: Any) -> str:
    """An order or notify setting in the one spelling config.toml keeps."""
    if isinstance(value, bool) or not isinstance(value, (str, int, list, tuple)):
        raise ConfigError(f"{key.name} must be {ORDER_EXPECTED[key.kind]}, not {str(value)!r}")
    if key.kind == "carriers":
        parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
        names = list(dict.fromkeys(" ".join(str(p).split()) for p in parts if str(p).strip()))
        if not names:
            raise ConfigError(f"{key.name}: list at least one carrier")
        for name in names:
            if len(name) > 32 or not name.isprintable() or not _utf8(name):
                raise ConfigError(f"{key.name}: carrier {name!r} must be printable and at most 32 characters")
        return ",".join(names)
    text = str(value).strip()
    if key.kind == "optional_money":
        if not text:
            return ""
        from pos_tui.domain.money import format_money, parse_money
        from pos_tui.errors import ValidationError

        try:
            return format_money(parse_money(text, what="amount"))
        except ValidationError as exc:
            raise ConfigError(f"{key.name}: {exc}") from None
    if key.kind == "optional_percent":
        if not text:
            return ""
        if not re.fullmatch(r"\d{1,3}(?:\.\d{1,6})?", text, re.ASCII):
            raise ConfigError(f"{key.name} must be {ORDER_EXPECTED[key.kind]}, not {text!r}")
        rate = Decimal(text)
        if not 0 <= rate <= 100:
            raise ConfigError(f"{key.name} must be a percent from 0 to 100, not {text!r}")
        return str(rate)
    if key.kind == "message":
        if not isinstance(value, str) or not text or not _utf8(value):
            raise ConfigError(f"{key.name} must be {ORDER_EXPECTED[key.kind]}, not {text!r}")
        try:
            template_fields(value)
        except ValueError as exc:
            raise ConfigError(f"{key.name}: {exc}") from None
        return value
    raise AssertionError(key.kind)


def _utf8(text: str) -> bool:
    """False for lone surrogates (non-UTF-8 bytes in argv), which config.toml cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
