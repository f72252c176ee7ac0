"""The setting kinds of devices and the drawer rules: each refuses what would fail later.

Split from config.py, which keeps the key list and the plain kinds.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pos_tui.errors import ConfigError
from pos_tui.i18n import N_, _

if TYPE_CHECKING:
    from pos_tui.config import Key


# What each kind expects, for "KEY must be …" (marked N_(): translated where the message is made).
HARDWARE_EXPECTED = {
    "host": N_("a host name or IP address like 192.168.1.50"),
    "port": N_("a TCP port from 1 to 65535"),
    "baud": N_("a baud rate like 9600, 19200, 38400 or 115200"),
    "usb_id": N_("a USB id of four hex digits like 04b8"),
    "seconds": N_("seconds from 0.1 to 60, like 3 or 0.5"),
    "pulse_ms": N_("milliseconds from 0 to 510 (ESC p counts 2 ms steps up to 255)"),
    "hex": N_("hex bytes like 07 or 1b700019fa (two hex digits a byte)"),
    "escpos_profile": N_("a python-escpos printer profile like default, TM-T88V or simple"),
}
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
_BAUDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)


def coerce_hardware(key: Key, value: Any, text: str, bad: ConfigError) -> Any:
    """The hardware kinds: each refuses what a device would choke on, before it is saved."""
    if key.kind in ("port", "baud", "pulse_ms"):
        if isinstance(value, bool) or not re.fullmatch(r"\d{1,6}", text):
            raise bad
        number = int(text)
        ok = {"port": 1 <= number <= 65535, "baud": number in _BAUDS, "pulse_ms": number <= 510}[key.kind]
        if not ok:
            raise bad
        return number
    if not isinstance(value, str):
        raise bad
    if key.kind == "host":
        if text and not _HOST.match(text):
            import ipaddress

            try:
                ipaddress.ip_address(text)
            except ValueError:
                raise bad from None
        return text
    if key.kind == "usb_id":
        if text and not re.fullmatch(r"(?:0x)?[0-9a-fA-F]{4}", text):
            raise bad
        return text.lower().removeprefix("0x")
    if key.kind == "seconds":
        try:
            seconds = Decimal(text)
        except InvalidOperation:
            raise bad from None
        if not seconds.is_finite() or not Decimal("0.1") <= seconds <= 60:
            raise bad
        return str(seconds)
    if key.kind == "hex":
        cleaned = re.sub(r"[\s,:]+", "", text)
        if not cleaned or not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", cleaned):
            raise bad
        return cleaned.lower()
    if key.kind == "escpos_profile":
        names = escpos_profiles()
        if names and text not in names:
            near = difflib.get_close_matches(text, sorted(names), n=3, cutoff=0.5)
            hint = _("; did you mean {names}?").format(names=", ".join(near)) if near else ""
            expected = HARDWARE_EXPECTED[key.kind]
            raise ConfigError(_("{key} must be {expected}, not {value}").format(
                key=key.name, expected=_(expected), value=repr(text)) + hint)
        return text
    raise AssertionError(key.kind)


def escpos_profiles() -> set[str]:
    """python-escpos's profile names, read from its data file without importing it (empty if not installed)."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        return set()
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "capabilities.json"
        if path.exists():
            try:
                return set(json.loads(path.read_text(encoding="utf-8"))["profiles"])
            except (OSError, ValueError, KeyError):
                return set()
    return set()


RULE_EXPECTED = {
    "tenders": N_("tender names like cash,voucher"),
    "money_range": N_("a money range like 0.01-200.00, or empty"),
    "amounts": N_("money amounts like 5.00,10.00,20.00, or empty"),
    "hours": N_("hours like 08:00-20:00, or empty"),
    "reasons": N_("reasons separated by commas"),
    "money": N_("a money amount like 5.00"),
}


def coerce_rule(key: Key, value: Any) -> str:
    """The drawer rules' list and range kinds: a TOML list or comma text, kept in one spelling."""
    from pos_tui.domain import rule_values as rv
    from pos_tui.errors import ValidationError

    if isinstance(value, bool) or not isinstance(value, (str, list, tuple)):
        expected = RULE_EXPECTED[key.kind]
        raise ConfigError(_("{key} must be {expected}, not {value}").format(
            key=key.name, expected=_(expected), value=repr(str(value))))
    try:
        if key.kind == "tenders":
            return rv.canonical_names(rv.parse_names(value))
        if key.kind == "money_range":
            return rv.canonical_money_range(rv.parse_money_range(value))
        if key.kind == "amounts":
            return rv.canonical_amounts(rv.parse_amounts(value))
        if key.kind == "hours":
            return rv.canonical_hours(rv.parse_hours(value))
        if key.kind == "money":
            from pos_tui.domain.money import format_money, parse_money

            return format_money(parse_money(str(value), what=_("amount")))
        reasons = rv.parse_reasons(value)
        if not reasons:
            raise ValidationError(_("list at least one reason"))
        return ",".join(reasons)
    except ValidationError as exc:
        raise ConfigError(f"{key.name}: {exc}") from None
