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
from pos_tui.i18n import N_, _

if TYPE_CHECKING:
    from pos_tui.config import Key

PLACEHOLDERS = ("number", "name", "status", "carrier", "tracking", "expected")
# What each kind expects (marked N_(); {placeholders} is filled in where the message is made).
ORDER_EXPECTED = {
    "optional_money": N_("a money amount like 250.00, or empty for no rule"),
    "optional_percent": N_("a percent like 15, or empty for no rule"),
    "carriers": N_("carrier names separated by commas, like DPD,UPS,Royal Mail"),
    "message": N_("message text with placeholders among {placeholders}"),
}


def _expected(kind: str) -> str:
    expected = ORDER_EXPECTED[kind]
    return _(expected).format(placeholders=", ".join("{" + p + "}" for p in PLACEHOLDERS))


def _must_be(key: "Key", value: str) -> ConfigError:
    return ConfigError(_("{key} must be {expected}, not {value}").format(
        key=key.name, expected=_expected(key.kind), value=repr(value)))


def template_fields(text: str) -> list[str]:
    """The placeholders of a template, or a ValueError naming what is wrong with it."""
    fields = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        shown = "{" + name + "}" if name.isprintable() else repr(name)
        if name not in PLACEHOLDERS:  # ValueError: the caller shows it to the person who typed the template
            raise ValueError(_("unknown placeholder {shown}; use {placeholders}").format(
                shown=shown, placeholders=", ".join("{" + p + "}" for p in PLACEHOLDERS)))
        if spec or conversion:
            raise ValueError(_("placeholder {shown} takes no format; write it as {shown}").format(shown=shown))
        fields.append(name)
    return fields


def coerce_order(key: Key, value: Any) -> str:
    """An order or notify setting in the one spelling config.toml keeps."""
    if isinstance(value, bool) or not isinstance(value, (str, int, list, tuple)):
        raise _must_be(key, str(value))
    if key.kind == "carriers":
        parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
        names = list(dict.fromkeys(" ".join(str(p).split()) for p in parts if str(p).strip()))
        if not names:
            raise ConfigError(_("{key}: list at least one carrier").format(key=key.name))
        for name in names:
            if len(name) > 32 or not name.isprintable() or not _utf8(name):
                raise ConfigError(_("{key}: carrier {name} must be printable and at most 32 characters").format(
                    key=key.name, name=repr(name)))
        return ",".join(names)
    text = str(value).strip()
    if key.kind == "optional_money":
        if not text:
            return ""
        from pos_tui.domain.money import format_money, parse_money
        from pos_tui.errors import ValidationError

        try:
            return format_money(parse_money(text, what=_("amount")))
        except ValidationError as exc:
            raise ConfigError(f"{key.name}: {exc}") from None
    if key.kind == "optional_percent":
        if not text:
            return ""
        if not re.fullmatch(r"\d{1,3}(?:\.\d{1,6})?", text, re.ASCII):
            raise _must_be(key, text)
        rate = Decimal(text)
        if not 0 <= rate <= 100:
            raise ConfigError(_("{key} must be a percent from 0 to 100, not {value}").format(
                key=key.name, value=repr(text)))
        return str(rate)
    if key.kind == "message":
        if not isinstance(value, str) or not text or not _utf8(value):
            raise _must_be(key, text)
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
