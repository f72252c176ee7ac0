"""Settings: `config.toml` in POS_HOME, with POS_HOME/POS_DB and CLI overrides.

Every key is declared here with its type, so `pos config set` can refuse an
unknown key (naming the nearest valid ones) or a value of the wrong type.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pos_tui.config_kinds import HARDWARE_EXPECTED, RULE_EXPECTED, coerce_hardware, coerce_rule
from pos_tui.config_orders import ORDER_EXPECTED, coerce_order
from pos_tui.errors import ConfigError, StoreError
from pos_tui.i18n import N_, _

CONFIG_NAME = "config.toml"
DB_NAME = "pos.db"
APP_NAME = "pos-tui"


@dataclass(frozen=True)
class Key:
    """A setting: its type, default and a line of help (marked N_(): translate it with _() where it is shown)."""

    name: str
    # str | int | bool | percent | choice | timezone | templates | url | lane | the hardware kinds
    # | tenders | money_range | amounts | hours | reasons (the drawer rules) | money
    kind: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None


_KEYS = [
    Key("store.name", "str", "My Shop", N_("shop name printed on receipts and shown on the till")),
    Key("store.currency", "str", "USD", N_("ISO 4217 currency code of the shop")),
    Key("store.timezone", "timezone", "UTC", N_("IANA time zone the shop's times are shown in")),
    Key("store.demo", "bool", False, N_("a demo store: the login screen lists its users")),
    Key("lane", "lane", "1", N_("this till's lane name; each lane numbers its own receipts")),
    Key("tax.included", "bool", True, N_("shelf prices include tax (true) or tax is added at the till")),
    Key("tax.rate.standard", "percent", "20", N_("tax rate in percent of class 'standard'")),
    Key("tax.rate.reduced", "percent", "5", N_("tax rate in percent of class 'reduced'")),
    Key("tax.rate.zero", "percent", "0", N_("tax rate in percent of class 'zero'")),
    Key("auth.max_failures", "int", 5, N_("failed logins before a user is locked"), minimum=1),
    Key("auth.lockout_minutes", "int", 15, N_("minutes a locked user must wait"), minimum=1),
    Key("till.idle_lock_minutes", "int", 5, N_("idle minutes before the till locks"), minimum=1),
    Key("till.animations", "bool", False, N_("animate the till (scrolling, fades); off for slow machines")),
    Key("store.address", "str", "", N_("shop address printed on receipts (use \\n between lines)")),
    Key("store.tax_id", "str", "", N_("the shop's tax/VAT number printed on receipts")),
    Key("receipt.footer", "str", "Thank you!", N_("last lines of every receipt")),
    Key("scanner.suffix", "choice", "enter", N_("key the barcode scanner sends after a code"),
        choices=("enter", "tab")),
    Key("scanner.prefix", "str", "", N_("characters the scanner sends before a code (stripped)")),
    Key("scanner.merge_repeats", "bool", True, N_("scanning a product again adds to its line")),
    Key("barcode.templates", "templates", "21IIIIIWWWWWC,22IIIIIPPPPPC",
        N_("in-store codes (GS1 prefixes 20-29), comma separated: digits match, I item, "
        "W grams, P price in cents, V price verifier, C check digit")),
    Key("tenders.other", "str", "voucher:V,mobile:M", N_("extra tenders as name:LETTER, comma separated")),
    Key("cash.rounding", "str", "0.01", N_("cash totals round to this step, e.g. 0.05 (cash only)")),
    Key("limits.cashier.discount_percent", "int", 10, N_("largest discount a cashier may give, percent")),
    Key("limits.supervisor.discount_percent", "int", 50, N_("largest discount a supervisor may give, percent")),
    Key("limits.admin.discount_percent", "int", 100, N_("largest discount an admin may give, percent")),
    Key("limits.cashier.refund_max", "str", "20.00", N_("largest refund a cashier may give without a supervisor")),
    Key("limits.supervisor.refund_max", "str", "500.00", N_("largest refund a supervisor may give")),
    Key("limits.admin.refund_max", "str", "1000000.00", N_("largest refund an admin may give")),
    Key("backup.keep", "int", 14, N_("automatic backups kept in POS_HOME/backups (older ones are removed)"), minimum=1),
    Key("backup.on_shift_close", "bool", True, N_("back the database up when a shift is closed")),
    Key("database.url", "url", "", N_("database URL; empty means the SQLite file in POS_HOME")),
    Key("database.busy_timeout_s", "int", 10, N_("seconds a write waits for another till or a backup to finish"),
        minimum=1),
    Key("log.level", "choice", "INFO", N_("log level of POS_HOME/logs/pos.log"),
        choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    # Language (pos_tui/i18n.py): the store's; a user may pick their own at the till.
    Key("locale", "choice", "en", N_("language of receipts and the till: en (English) or zh_CN (Simplified Chinese)"),
        choices=("en", "zh_CN")),
    Key("printer.encoding", "choice", "auto", N_("how the printer gets text: auto (code pages of printer.profile, "
        "Chinese lines in GB18030) or gb18030 (every non-ASCII line in GB18030 Kanji mode, for CJK printers)"),
        choices=("auto", "gb18030")),
    # Hardware: the receipt printer, the cash drawer and a serial scanner (pos_tui/hardware/devices.py).
    Key("printer.type", "choice", "simulated", N_("receipt printer: usb, serial, network, file (/dev/usb/lp0), "
        "simulated (text files in POS_HOME/receipts) or none"), choices=("usb", "serial", "network", "file", "simulated", "none")),
    Key("printer.host", "host", "", N_("network printer's host name or IP address")),
    Key("printer.port", "port", 9100, N_("network printer's TCP port (raw printing is 9100)")),
    Key("printer.device", "str", "", N_("serial port (/dev/ttyUSB0) or device file (/dev/usb/lp0) of the printer")),
    Key("printer.baud", "baud", 9600, N_("serial printer's baud rate")),
    Key("printer.usb_vendor", "usb_id", "",
        N_("USB printer's vendor id in hex, like 04b8 (see `pos hardware detect`)")),
    Key("printer.usb_product", "usb_id", "", N_("USB printer's product id in hex, like 0202")),
    Key("printer.timeout_s", "seconds", "3", N_("seconds to wait for the printer before giving up (0.1-60)")),
    Key("printer.width", "choice", "48", N_("receipt columns: 32 for 58 mm paper, 48 for 80 mm"), choices=("32", "48")),
    Key("printer.profile", "escpos_profile", "default",
        N_("python-escpos printer profile (code pages, cutter), e.g. TM-T88V")),
    Key("drawer.type", "choice", "simulated", N_("cash drawer: printer (kicked through the printer), serial, "
        "simulated or none"), choices=("printer", "serial", "simulated", "none")),
    Key("drawer.pin", "choice", "2", N_("printer's drawer kick pin: 2 or 5"), choices=("2", "5")),
    Key("drawer.pulse_on_ms", "pulse_ms", 50, N_("kick pulse on time in ms (0-510, 2 ms steps)")),
    Key("drawer.pulse_off_ms", "pulse_ms", 500, N_("kick pulse off time in ms (0-510, 2 ms steps)")),
    Key("drawer.device", "str", "", N_("serial drawer's port, like /dev/ttyS0")),
    Key("drawer.baud", "baud", 9600, N_("serial drawer's baud rate")),
    Key("drawer.trigger", "hex", "07", N_("bytes in hex a serial drawer opens on, like 07 or 1b700019fa")),
    Key("drawer.repeat", "int", 1, N_("times a serial drawer's trigger is sent"), minimum=1),
    Key("drawer.pulse_line", "choice", "none", N_("serial drawer opened by a DTR or RTS pulse instead"),
        choices=("none", "dtr", "rts")),
    Key("drawer.sensor_line", "choice", "none", N_("serial drawer's sensor line: cts, dsr, cd or none"),
        choices=("none", "cts", "dsr", "cd")),
    Key("drawer.sensor_open_level", "choice", "high", N_("sensor level that means the drawer is open: high or low"),
        choices=("high", "low")),
    Key("scanner.min_length", "int", 1, N_("shorter scans are noise and ignored"), minimum=1),
    Key("scanner.type", "choice", "keyboard", N_("scanner: keyboard (a wedge typing into the till) or serial"),
        choices=("keyboard", "serial")),
    Key("scanner.device", "str", "", N_("serial scanner's port, like /dev/ttyACM0")),
    Key("scanner.baud", "baud", 9600, N_("serial scanner's baud rate")),
    # The shop's drawer rules (services/drawer_rules.py); [drawer.rules] in config.toml.
    Key("drawer.rules.sale_tenders", "tenders", "cash", N_("tenders whose sales open the drawer, comma separated "
        "(cash, card or a tenders.other name); change given always opens it")),
    Key("drawer.rules.refund_tenders", "tenders", "cash", N_("refund tenders that open the drawer, comma separated")),
    Key("drawer.rules.cash_range", "money_range", "", N_("open for a sale only when the cash tendered is in this "
        "range, like 0.01-200.00 (else the till asks); empty: any amount")),
    Key("drawer.rules.cash_amounts", "amounts", "", N_("cash amounts that always open, like 5.00,10.00,20.00 "
        "(with cash_range: either one opens)")),
    Key("drawer.rules.shift_open", "bool", True, N_("open the drawer when a shift opens (to count the float)")),
    Key("drawer.rules.shift_close", "bool", True, N_("open the drawer when a shift closes (to count the cash)")),
    Key("drawer.rules.no_sale_reasons", "reasons", "change for a customer,check the float,correct a mistake",
        N_("reasons a cashier picks for a no-sale opening (F9), comma separated")),
    Key("drawer.rules.no_sale_hours", "hours", "", N_("hours no-sale openings are allowed, like 08:00-20:00; "
        "empty: any time")),
    Key("drawer.rules.no_sale_max", "int", 5, N_("no-sale openings allowed per lane per shift; 0: no limit"),
        minimum=0),
    Key("drawer.rules.open_warning_s", "int", 60, N_("warn when a drawer with a sensor stays open this many "
        "seconds; 0: never"), minimum=0),
    Key("drawer.rules.warn_open_before_sale", "bool", True,
        N_("warn before the next cash sale while the drawer is open")),
    # Shifts and cash control (services/shifts.py).
    Key("shift.denominations", "amounts", "", N_("notes and coins counted at a shift's open and close, like "
        "0.05,0.10,0.20,0.50,1.00,2.00,5.00,10.00,20.00,50.00; empty: the usual ones of store.currency")),
    Key("shift.count_by_denomination", "bool", True, N_("count the float and the closing cash note by note "
        "(false: type the total)")),
    Key("shift.over_short_limit", "money", "5.00", N_("over/short past this at a shift close needs a "
        "supervisor's approval and a note")),
    Key("cash.movement_reasons", "reasons", "change for the till,supplier paid,safe drop,tips",
        N_("reasons for paying cash in or out of the drawer, comma separated")),
    Key("receipt.recover_minutes", "int", 60, N_("on start, queue the receipt of any sale of the last this many "
        "minutes that has none (a crash between the sale and its print job)"), minimum=1),
    # Reorders (services/reorder.py).
    Key("stock.default_lead_time_days", "int", 7, N_("days a supplier takes to deliver, for products with no "
        "supplier (the reorder suggestion covers sales over this many days)"), minimum=0),
    # Delivery orders (services/orders.py, order_review.py) and customer messages (services/outbox.py).
    Key("orders.review.total_above", "optional_money", "500.00", N_("orders with a total above this go to manual "
        "review; empty: no such rule")),
    Key("orders.review.discount_percent_above", "optional_percent", "20", N_("orders with a line discounted more "
        "than this percent go to manual review; empty: no such rule")),
    Key("orders.review.new_customer", "bool", False, N_("orders of a customer with no earlier sale or order go "
        "to manual review")),
    Key("orders.review.on_delivery_above", "optional_money", "100.00", N_("pay-on-delivery orders above this go "
        "to manual review; empty: no such rule")),
    Key("orders.carriers", "carriers", "Post,DPD,UPS,Courier", N_("carriers an order may ship with, comma separated")),
    Key("notify.command", "str", "", N_("shell command that sends a customer message given as JSON on stdin "
        "(exit 0 = sent); empty: messages stay queued in `pos outbox list`")),
    Key("notify.timeout_s", "seconds", "10", N_("seconds notify.command may take before it counts as failed")),
    Key("notify.template.pending_review", "message", "Order {number}: we are checking your order and will "
        "confirm it soon.", N_("message when an order waits for review")),
    Key("notify.template.approved", "message", "Order {number} is confirmed. Thank you, {name}!",
        N_("message when an order is approved")),
    Key("notify.template.packed", "message", "Order {number} is packed.", N_("message when an order is packed")),
    Key("notify.template.shipped", "message", "Order {number} has shipped with {carrier}, tracking {tracking}; "
        "expected {expected}.", N_("message when an order ships")),
    Key("notify.template.delivered", "message", "Order {number} was delivered. Enjoy!",
        N_("message when an order is delivered or collected")),
    Key("notify.template.cancelled", "message", "Order {number} was cancelled.",
        N_("message when an order is cancelled")),
    Key("notify.template.returned", "message", "Order {number} came back to us; we will be in touch.",
        N_("message when an order is returned")),
    Key("notify.template.late", "message", "Sorry {name}, order {number} is running late (expected {expected}); "
        "tracking {tracking}.", N_("message when an order passes its expected date")),
]
# Keys that were renamed: an old config.toml still loads, under the new name.
RENAMED = {"receipt.width": "printer.width"}
KEYS: dict[str, Key] = {key.name: key for key in _KEYS}
# Shops add their own tax classes: any `tax.rate.<name>` is a valid key.
_TAX_RATE_KEY = re.compile(r"^tax\.rate\.[a-z][a-z0-9_]{0,31}$")
# A shop's own roles get limits too: `limits.<role>.discount_percent` / `.refund_max`.
_LIMIT_KEY = re.compile(r"^limits\.([a-z][a-z0-9_-]{0,31})\.(discount_percent|refund_max)$")
# Any till binding can be remapped: `keys.<binding id>` = "f12" (or "f12,ctrl+p").
_KEYMAP_KEY = re.compile(r"^keys\.[a-z][a-z0-9_.]{0,63}$")


def key_for(name: str) -> Key:
    """The declared key, or a ConfigError naming the nearest valid ones."""
    if name in KEYS:
        return KEYS[name]
    if _TAX_RATE_KEY.match(name):
        return Key(name, "percent", "0", _("tax rate in percent of class {name}").format(
            name=repr(name.rsplit(".", 1)[1])))
    limit = _LIMIT_KEY.match(name)
    if limit:
        role, which = limit.groups()
        if which == "discount_percent":
            return Key(name, "int", 0, _("largest discount a {role} may give, percent").format(role=role), minimum=0)
        return Key(name, "str", "0.00", _("largest refund a {role} may give without a supervisor").format(role=role))
    if _KEYMAP_KEY.match(name):
        return Key(name, "str", "", _("keys for the till binding {name}, comma separated").format(name=repr(name[5:])))
    if name in RENAMED:
        raise ConfigError(_("{old} is now called {new}").format(old=name, new=RENAMED[name]))
    near = difflib.get_close_matches(name, list(KEYS), n=3, cutoff=0.5)
    hint = _("; did you mean {keys}?").format(keys=", ".join(near)) if near else _("; see `pos config show` for the keys")
    raise ConfigError(_("unknown setting {key}{hint}").format(key=repr(name), hint=hint))


def expected_text(expected: str, key: Key) -> str:
    """What a kind expects (an N_() marked text of the kinds' tables) in the current language, filled in."""
    from pos_tui.config_orders import PLACEHOLDERS

    return _(expected).format(choices=", ".join(key.choices),
                              placeholders=", ".join("{" + p + "}" for p in PLACEHOLDERS))


def coerce(key: Key, value: Any) -> Any:
    """Turn a typed or stored value into the key's type, or say what was expected."""
    text = str(value).strip()
    expected = {
        "str": N_("text"),
        "int": N_("a whole number"),
        "bool": N_("true or false"),
        "percent": N_("a percent from 0 up to 100, like 20 or 5.5"),
        "choice": N_("one of {choices}"),
        "timezone": N_("an IANA time zone like Europe/London"),
        "templates": N_("in-store barcode templates like 21IIIIIWWWWWC,22IIIIIPPPPPC"),
        "url": N_("empty, sqlite:///PATH or postgresql://USER@HOST/NAME"),
        "lane": N_("1-16 letters, digits, '_' or '-' (it starts every receipt number)"),
        **HARDWARE_EXPECTED,
        **RULE_EXPECTED,
        **ORDER_EXPECTED,
    }[key.kind]
    bad = ConfigError(_("{key} must be {expected}, not {value}").format(
        key=key.name, expected=expected_text(expected, key), value=repr(text)))
    if key.kind == "str":
        if not isinstance(value, str) or not _utf8(value):
            raise bad
        return value
    if key.kind == "lane":
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not re.fullmatch(r"[A-Za-z0-9_-]{1,16}", text):
            raise bad
        return text
    if key.kind == "int":
        if isinstance(value, bool) or not re.fullmatch(r"-?\d{1,9}", text):
            raise bad
        number = int(text)
        if key.minimum is not None and number < key.minimum:
            raise ConfigError(_("{key} must be at least {minimum}, not {value}").format(
                key=key.name, minimum=key.minimum, value=number))
        return number
    if key.kind == "bool":
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise bad
    if key.kind == "percent":
        try:
            rate = Decimal(text)
        except InvalidOperation:
            raise bad from None
        if not rate.is_finite() or rate < 0 or rate >= 100 or not _PLAIN_PERCENT.fullmatch(text):
            raise bad
        return str(rate)
    if key.kind == "choice":
        upper = text.upper() if all(c.isupper() for c in "".join(key.choices)) else text
        if upper not in key.choices:
            raise bad
        return upper
    if key.kind == "templates":
        from pos_tui.domain.barcodes import parse_templates
        from pos_tui.errors import ValidationError

        try:
            parse_templates(text)
        except ValidationError as exc:
            raise ConfigError(f"{key.name}: {exc}") from None
        return text
    if key.kind == "url":
        # A typo here would point every later command at no store at all.
        if not isinstance(value, str) or not _utf8(text) or not _DB_URL.fullmatch(text):
            raise bad
        return text
    if key.kind == "timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise bad from None
        return text
    if key.kind in RULE_EXPECTED:
        return coerce_rule(key, value)
    if key.kind in HARDWARE_EXPECTED:
        return coerce_hardware(key, value, text, bad)
    if key.kind in ORDER_EXPECTED:
        return coerce_order(key, value)
    raise AssertionError(key.kind)


# A sale line keeps its rate as text (16 characters): no exponents, at most 6 decimals.
_PLAIN_PERCENT = re.compile(r"\d{1,8}(?:\.\d{1,6})?", re.ASCII)


_DB_URL = re.compile(r"|sqlite:///\S.*|postgres(?:ql)?://[^/\s]*/[^/\s]+", re.DOTALL)


def _utf8(text: str) -> bool:
    """False for lone surrogates: non-UTF-8 bytes in argv, which config.toml cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite:/// URL, or None for another database."""
    from urllib.parse import unquote

    if not url.startswith("sqlite:///"):
        return None
    rest = unquote(url[len("sqlite:///"):])
    if not rest.strip():
        raise StoreError("the database URL sqlite:/// needs a file path, like sqlite:////srv/pos/pos.db")
    return Path(rest)


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """--home beats POS_HOME beats the platform's user data dir."""
    if home:
        return Path(home).expanduser().absolute()
    env = os.environ.get("POS_HOME")
    if env:
        return Path(env).expanduser().absolute()
    return default_home()


@dataclass
class Settings:
    """The store's settings as loaded: file values over defaults."""

    home: Path
    values: dict[str, Any] = field(default_factory=dict)
    db_override: str | None = None

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    @property
    def db_url(self) -> str:
        """--db beats POS_DB beats database.url beats the SQLite file in POS_HOME."""
        return (
            self.db_override
            or os.environ.get("POS_DB")
            or self.get("database.url")
            or f"sqlite:///{self.home / DB_NAME}"
        )

    def get(self, name: str) -> Any:
        key = key_for(name)
        return self.values.get(name, key.default)

    def tax_rates(self) -> dict[str, Decimal]:
        """Every tax class and its rate in percent."""
        names = {k for k in KEYS if k.startswith("tax.rate.")} | {
            k for k in self.values if k.startswith("tax.rate.")
        }
        return {name.removeprefix("tax.rate."): Decimal(str(self.get(name))) for name in sorted(names)}

    def keymap(self) -> dict[str, str]:
        """Remapped till bindings: binding id -> keys."""
        return {name[5:]: str(value) for name, value in self.values.items() if name.startswith("keys.") and value}

    def as_dict(self) -> dict[str, Any]:
        """Every key with its effective value, sorted."""
        names = sorted(set(KEYS) | set(self.values))
        return {name: self.get(name) for name in names}

    def set(self, name: str, value: Any) -> Any:
        key = key_for(name)
        self.values[name] = coerce(key, value)
        return self.values[name]


def load_settings(home: str | os.PathLike[str] | None = None, db: str | None = None) -> Settings:
    """Read config.toml (if any) under the resolved home; validate every key."""
    import tomllib

    root = resolve_home(home)
    settings = Settings(home=root, db_override=db)
    path = root / CONFIG_NAME
    if not path.exists():
        return settings
    try:
        flat = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
    except RecursionError:
        raise ConfigError(f"{path} nests tables or arrays too deeply; fix it or run `pos config set`") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}; fix that line or run `pos config set`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    for old, new in RENAMED.items():
        if old in flat:
            value = flat.pop(old)
            flat.setdefault(new, value)
    for name, value in flat.items():
        try:
            settings.values[name] = coerce(key_for(name), value)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    return settings


def save_settings(settings: Settings) -> None:
    """Write config.toml atomically: a temp file in the same dir, then rename.

    POS_HOME is created private (0700): `pos config set` may come before `pos init`."""
    settings.home.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = dumps_toml(settings.values)
    fd, tmp = tempfile.mkstemp(dir=settings.home, prefix=".config.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, settings.config_path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        full = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    out = []
    for char in str(value):
        if char == "\\" or char == '"':
            out.append("\\" + char)
        elif (ord(char) < 0x20 and char != "\t") or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")  # TOML strings may not hold raw control characters
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def dumps_toml(values: dict[str, Any]) -> str:
    """Flat dotted keys as TOML tables: {"tax.rate.zero": "0"} -> [tax.rate] zero = "0"."""
    tables: dict[str, dict[str, Any]] = {}
    for name in sorted(values):
        table, _, leaf = name.rpartition(".")
        tables.setdefault(table, {})[leaf] = values[name]
    lines = ["# pos-tui settings; edit with `pos config set KEY VALUE`"]
    for table in sorted(tables):
        if table:
            lines.append(f"\n[{table}]")
        for leaf, value in tables[table].items():
            lines.append(f"{leaf} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"
