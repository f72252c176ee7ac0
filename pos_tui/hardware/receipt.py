"""The receipt as lines of text a thermal printer prints, 32 or 48 columns wide.

`layout_receipt` is pure: a `ReceiptData` in, a list of lines out, each at
most `width` display columns (CJK counts two, see text_width). The printer
driver prints the lines, then `data.barcode_value` as a CODE128 barcode,
then cuts. The labels print in `data.language` (the store's locale, through
the gettext catalogue); dates follow that language too, amounts stay plain
digits. `ReceiptData` is defined here, not in services, so the hardware
layer depends on nothing above it; `receipt_data_from_sale` reads a sale
by duck typing (a services.sales.SaleInfo, or anything shaped like it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from pos_tui.domain.locale_format import format_date, format_time
from pos_tui.domain.money import format_money
from pos_tui.hardware.text_width import center, display_width, pad_left, truncate, wrap
from pos_tui.i18n import LANGUAGES, N_, translation

if TYPE_CHECKING:  # only for readers and type checkers: hardware never imports services
    from pos_tui.services.sales import SaleInfo

WIDTHS = (32, 48)  # 58 mm and 80 mm paper
# English here; layout_receipt prints them in the receipt's language.
TRAINING_BANNER = N_("TRAINING - NOT A RECEIPT")
COPY_BANNER = N_("*** COPY ***")
REFUND_BANNER = N_("*** REFUND ***")
VOID_BANNER = N_("*** VOID ***")
DEFAULT_TAX_LABEL = N_("VAT")
DEFAULT_FOOTER = N_("Thank you!")  # receipt.footer's shipped value, translated; a shop's own footer is not
# Tenders the shop did not name itself, translated; a tenders.other name prints as the shop typed it.
_TENDER_NAMES = frozenset({N_("Cash"), N_("Card"), N_("Voucher"), N_("Mobile")})
_NAME_LINES = 2  # an item name wraps to at most this many lines, the last one truncated


class ReceiptLine(NamedTuple):
    """One item: `total` is after this line's `discount` (both minor units)."""

    name: str
    qty: Decimal
    unit_price: int
    total: int
    discount: int = 0
    weighed: bool = False  # sold by weight: shown as "0.350 kg x 12.90/kg" even at 1.000 kg


class TaxLine(NamedTuple):
    """The tax at one rate: `taxable` is the sum of the line totals at that rate."""

    rate: str
    taxable: int
    tax: int


class TenderLine(NamedTuple):
    """What the customer handed over in one tender (cash before change)."""

    name: str
    amount: int
    reference: str = ""


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on one receipt; money in int minor units, `time` aware and already local."""

    shop_name: str
    address_lines: tuple[str, ...]
    tax_id: str
    lane: str
    cashier: str
    receipt_no: str
    time: datetime
    lines: tuple[ReceiptLine, ...]
    cart_discount: int
    taxes: tuple[TaxLine, ...]
    prices_include_tax: bool
    total: int
    tenders: tuple[TenderLine, ...]
    change: int
    customer: str = ""
    footer: str = ""
    copy: bool = False  # a reprint
    training: bool = False
    rounding: int = 0  # cash rounding: what was paid beyond `total` before change
    refund_of: str = ""  # for a return: the receipt number it refunds
    void: bool = False
    tax_label: str = DEFAULT_TAX_LABEL  # translated when it is this default
    language: str = "en"  # the store's locale: the customer reads the shop's language, not the cashier's

    def __post_init__(self) -> None:
        # Lists become tuples so a ReceiptData really cannot change after it is queued.
        set_ = object.__setattr__
        set_(self, "address_lines", tuple(self.address_lines))
        set_(self, "lines", tuple(ReceiptLine(*line) for line in self.lines))
        set_(self, "taxes", tuple(TaxLine(*tax) for tax in self.taxes))
        set_(self, "tenders", tuple(TenderLine(*tender) for tender in self.tenders))
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise ValueError("a receipt's time must be an aware datetime in the shop's zone")
        amounts = [self.cart_discount, self.total, self.change, self.rounding]
        amounts += [n for line in self.lines for n in (line.unit_price, line.total, line.discount)]
        amounts += [n for tax in self.taxes for n in (tax.taxable, tax.tax)]
        amounts += [tender.amount for tender in self.tenders]
        for amount in amounts:
            if not isinstance(amount, int) or isinstance(amount, bool):
                raise TypeError(f"receipt money must be int minor units, not {type(amount).__name__}")
        for line in self.lines:
            if not isinstance(line.qty, (Decimal, int)) or isinstance(line.qty, bool):
                raise TypeError(f"a receipt quantity must be a Decimal, not {type(line.qty).__name__}")

    @property
    def subtotal(self) -> int:
        """The item lines after their own discounts, before the cart discount and added tax."""
        return sum(line.total for line in self.lines)

    @property
    def tax(self) -> int:
        return sum(tax.tax for tax in self.taxes)

    @property
    def barcode_value(self) -> str | None:
        """The receipt number for the CODE128 barcode, or None if it holds what CODE128 cannot encode."""
        value = self.receipt_no
        if value and all(" " <= char <= "~" for char in value):
            return value
        return None


# --- from a sale ---------------------------------------------------------------------------------


def receipt_data_from_sale(
    sale: SaleInfo | Any,
    settings_values: Mapping[str, Any],
    tz: tzinfo | str | None = None,
    cashier_name: str | None = None,
    *,
    copy: bool = False,
) -> ReceiptData:
    """A sale (SaleInfo-shaped, duck-typed) and the shop's settings as receipt data.

    `settings_values` maps setting names (store.name, store.address, …) to
    values; missing keys take the shipped defaults. `tz` (a tzinfo or an IANA
    name) defaults to store.timezone. Tax per rate is summed from the lines.
    """
    values = dict(settings_values)
    zone = _zone(tz if tz is not None else values.get("store.timezone") or "UTC")
    when = sale.time if sale.time.tzinfo is not None else sale.time.replace(tzinfo=timezone.utc)
    lines = tuple(
        ReceiptLine(
            name=line.name, qty=Decimal(line.qty), unit_price=line.unit_price, total=line.total,
            discount=line.discount,
            weighed=bool(getattr(line, "weighed", Decimal(line.qty) != Decimal(line.qty).to_integral_value())),
        )
        for line in sale.lines
    )
    status = str(getattr(sale, "status", "completed") or "completed")
    payments = tuple(getattr(sale, "payments", ()))
    return ReceiptData(
        shop_name=str(values.get("store.name", "My Shop")),
        address_lines=tuple(_split_lines(str(values.get("store.address", "")))),
        tax_id=str(values.get("store.tax_id", "")),
        lane=str(getattr(sale, "lane", "") or values.get("lane", "1")),
        cashier=cashier_name if cashier_name is not None else str(getattr(sale, "cashier", "")),
        receipt_no=sale.receipt_no,
        time=when.astimezone(zone),
        lines=lines,
        # The cart spreads a cart discount over its lines; anything left over is shown on its own.
        cart_discount=sale.discount - sum(line.discount for line in sale.lines),
        taxes=tax_per_rate(sale.lines),
        prices_include_tax=_prices_include_tax(sale, values),
        total=sale.total,
        tenders=tuple(
            TenderLine(_tender_name(p.tender), p.tendered if p.tendered else p.amount, p.reference or "")
            for p in payments
        ),
        change=sum(p.change for p in payments),
        customer=str(getattr(sale, "customer", "") or ""),
        footer=str(values.get("receipt.footer", DEFAULT_FOOTER)),
        copy=copy,
        training=bool(getattr(sale, "training", False)),
        rounding=int(getattr(sale, "rounding", 0) or 0),
        refund_of=str(getattr(sale, "original", "") or "") if status == "return" else "",
        void=status in ("void", "voided"),
        language=_language(values.get("locale")),
    )


def tax_per_rate(lines: Iterable[Any]) -> tuple[TaxLine, ...]:
    """Sum each line's total and tax by rate, highest rate first (lines need tax_rate, total, tax)."""
    sums: dict[str, tuple[Decimal | None, int, int]] = {}
    for line in lines:
        label = _rate_text(str(line.tax_rate))
        key, taxable, tax = sums.get(label, (_rate_value(str(line.tax_rate)), 0, 0))
        sums[label] = (key, taxable + line.total, tax + line.tax)
    order = sorted(sums.items(), key=lambda item: (item[1][0] is None, -(item[1][0] or 0), item[0]))
    return tuple(TaxLine(label, taxable, tax) for label, (_, taxable, tax) in order)


def receipt_width(settings_values: Mapping[str, Any]) -> int:
    """The printer.width setting (formerly receipt.width) as columns (32 or 48); anything else falls back to 48."""
    try:
        width = int(str(settings_values.get("printer.width", settings_values.get("receipt.width", "48"))))
    except ValueError:
        return 48
    return width if width in WIDTHS else 48


def _language(code: Any) -> str:
    """The store's locale; anything else (a settings dict from before the key existed) prints in English."""
    return code if code in LANGUAGES else "en"


def _zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _prices_include_tax(sale: Any, values: Mapping[str, Any]) -> bool:
    """The sale's own flag if it has one; else what its totals say; else the shop's setting."""
    flag = getattr(sale, "prices_include_tax", None)
    if flag is not None:
        return bool(flag)
    if sale.tax:  # tax added at the till makes the total bigger than the net of the lines
        return sale.total == sale.subtotal - sale.discount
    setting = values.get("tax.included", True)
    return setting if isinstance(setting, bool) else str(setting).strip().lower() in ("true", "yes", "on", "1")


def _tender_name(kind: str) -> str:
    return kind[:1].upper() + kind[1:]


def _split_lines(text: str) -> list[str]:
    """Settings typed on a shell hold a literal backslash-n for a new line; TOML gives a real one."""
    return [part.strip() for part in text.replace("\\n", "\n").splitlines() if part.strip()]


def _rate_value(rate: str) -> Decimal | None:
    try:
        value = Decimal(rate.strip().rstrip("%"))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _rate_text(rate: str) -> str:
    """ "20.00" -> "20", "5.50" -> "5.5"; text that is not a number is kept as it is."""
    value = _rate_value(rate)
    if value is None:
        return rate.strip()
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- layout --------------------------------------------------------------------------------------


def layout_receipt(data: ReceiptData, width: int) -> list[str]:
    """The receipt's lines, none wider than `width` display columns, the last one its number."""
    if width < 20:
        raise ValueError(f"a receipt needs at least 20 columns, not {width}")
    _ = translation(data.language).gettext
    out: list[str] = []
    rule = "-" * width

    if data.training:
        out += _centred(_(TRAINING_BANNER), width)
    if data.copy:
        out += _centred(_(COPY_BANNER), width)
    if data.void:
        out += _centred(_(VOID_BANNER), width)
    if data.refund_of or _looks_like_refund(data):
        out += _centred(_(REFUND_BANNER), width)
    out += _centred(data.shop_name, width)
    for address in data.address_lines:
        out += _centred(address, width)
    if _clean(data.tax_id):
        out += _centred(_("Tax ID: {tax_id}").format(tax_id=data.tax_id), width)
    out.append("")
    when = f"{format_date(data.time.date(), data.language)} {format_time(data.time, data.language)}"
    out += _pair(when, _("Lane {lane}").format(lane=data.lane), width)
    out += _pair(_("Receipt {number}").format(number=data.receipt_no),
                 _("Cashier {name}").format(name=data.cashier), width)
    if data.refund_of:
        out += _pair(_("Refund of {number}").format(number=data.refund_of), "", width)
    out.append(rule)

    for line in data.lines:
        out += _item(line, width, _)
    out.append(rule)

    out += _pair(_("SUBTOTAL"), format_money(data.subtotal), width)
    if data.cart_discount:
        out += _pair(_("Discount"), format_money(-data.cart_discount), width)
    for tax in data.taxes:
        out += _pair(_tax_label(data, tax, _), format_money(tax.tax), width)
    out += _pair(_("TOTAL"), format_money(data.total), width)
    if data.rounding:
        out += _pair(_("Rounding"), format_money(data.rounding), width)
    for tender in data.tenders:
        name = _(tender.name) if tender.name in _TENDER_NAMES else tender.name
        label = (_("{tender} ref {reference}").format(tender=name, reference=tender.reference)
                 if _clean(tender.reference) else name)
        out += _pair(label, format_money(tender.amount), width)
    if data.change:
        out += _pair(_("CHANGE"), format_money(data.change), width)
    if _clean(data.customer):
        out.append(rule)
        out += _pair(_("Customer: {name}").format(name=data.customer), "", width)

    footer = _split_lines(_(data.footer) if data.footer == DEFAULT_FOOTER else data.footer)
    if footer:
        out.append("")
        for text in footer:
            out += _centred(text, width)
    if data.training:
        out += _centred(_(TRAINING_BANNER), width)
    out += _centred(data.receipt_no, width) or [""]
    return out


def _looks_like_refund(data: ReceiptData) -> bool:
    return data.total < 0


def _item(line: ReceiptLine, width: int, _: Callable[[str], str]) -> list[str]:
    """Name (at most two lines), then qty x price and the amount before the line's discount."""
    amount = format_money(line.total + line.discount)
    names = wrap(_clean(line.name), width) or ["?"]
    if len(names) > _NAME_LINES:
        names = names[: _NAME_LINES - 1] + [truncate(" ".join(names[_NAME_LINES - 1:]), width)]
    weighed = line.weighed or Decimal(line.qty) != Decimal(line.qty).to_integral_value()
    out: list[str]
    if not weighed and line.qty == 1:
        out = names[:-1] + _pair(names[-1], amount, width)
    else:
        if weighed:
            detail = f"{Decimal(line.qty):.3f} kg x {format_money(line.unit_price)}/kg"
        else:
            detail = f"{int(line.qty)} x {format_money(line.unit_price)}"
        out = names + _pair(detail, amount, width, indent=2)
    if line.discount:
        out += _pair(_("Discount"), format_money(-line.discount), width, indent=2)
    return out


def _tax_label(data: ReceiptData, tax: TaxLine, _: Callable[[str], str]) -> str:
    label = _(data.tax_label) if data.tax_label == DEFAULT_TAX_LABEL else data.tax_label
    rate = f"{label} {tax.rate}%"
    base = format_money(tax.taxable)
    if data.prices_include_tax:
        return _("{rate} incl. in {amount}").format(rate=rate, amount=base)
    return _("{rate} on {amount}").format(rate=rate, amount=base)


def _clean(text: str) -> str:
    """Control and format characters (tabs, new lines, zero-width spaces) would break a line's width."""
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in str(text)
        if unicodedata.category(char) != "Cf"
    ).strip()


def _centred(text: str, width: int) -> list[str]:
    return [center(part, width) for part in wrap(_clean(text), width)]


def _pair(left: str, right: str, width: int, indent: int = 0) -> list[str]:
    """`left` and `right` on one line, `right` flush right; wrapped over more lines if they do not fit."""
    left, right = _clean(left), _clean(right)
    pad = " " * indent
    room = width - indent
    rights = wrap(right, width)
    lefts = [pad + part for part in wrap(left, room)]
    if not rights:
        return lefts
    if not lefts:
        return [pad_left(part, width) for part in rights]
    last = lefts[-1]
    if len(rights) == 1 and display_width(last) + 1 + display_width(rights[0]) <= width:
        gap = width - display_width(last) - display_width(rights[0])
        return lefts[:-1] + [last + " " * gap + rights[0]]
    return lefts + [pad_left(part, width) for part in rights]
