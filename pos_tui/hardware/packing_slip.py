"""The packing slip of an order, as lines of text for a 32 or 48 column thermal printer.

`layout_packing_slip` is pure: an order (services.order_info.OrderInfo, read
by duck typing so hardware depends on nothing above it) in, lines out, each
at most `width` display columns (CJK names count two: text_width). No prices:
the slip goes in the parcel; only money still to collect on delivery shows.
Like a receipt, it prints in the store's language (`language`, the locale
setting), not in the language of whoever pressed print.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from pos_tui.domain.locale_format import format_date
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.hardware.text_width import center, display_width, pad_left, pad_right, truncate, wrap
from pos_tui.i18n import LANGUAGES, translation

QTY_COLUMNS = 6  # "  12  " or "1.250 " then the name


def _row(label: str, value: str, width: int) -> list[str]:
    """`label` then `value`; a value too long for the line wraps under the label, indented."""
    head = pad_right(label, 10)
    if display_width(head) + display_width(value) <= width:
        return [head + value]
    return [label] + [f"  {line}" for line in wrap(value, width - 2)]


def _date(value: datetime, zone: tzinfo, language: str) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return format_date(aware.astimezone(zone).date(), language)


def layout_packing_slip(order: Any, *, shop_name: str, width: int, zone: tzinfo, language: str = "en") -> list[str]:
    """Header, who it goes to, the carrier, the lines with their quantities and the note."""
    if width < 24:
        raise ValueError(f"a packing slip needs at least 24 columns, not {width}")
    language = language if language in LANGUAGES else "en"
    _ = translation(language).gettext
    rule = "-" * width
    out = [center(truncate(line, width), width) for line in wrap(shop_name, width)[:2]]
    out.append(center(_("PACKING SLIP"), width))
    out.append(rule)
    out.append(pad_right(_("Order"), 10) + order.number)
    out.append(pad_right(_("Date"), 10) + _date(order.created_at, zone, language))
    out.append(pad_right(_("Type"), 10) + (_("Pickup") if order.fulfilment == "pickup" else _("Delivery")))
    if order.customer:
        out += _row(_("Customer"), order.customer, width)
    if order.fulfilment == "delivery":
        out.append(rule)
        out.append(_("DELIVER TO"))
        for part in [order.recipient, *order.address.splitlines()]:
            out += wrap(part, width)
        if order.recipient_phone:
            out += _row(_("Phone"), order.recipient_phone, width)
        if order.carrier:
            out += _row(_("Carrier"), " ".join(p for p in (order.carrier, order.service) if p), width)
        if order.tracking_number:
            out += _row(_("Tracking"), order.tracking_number, width)
        if order.expected_date:
            out.append(pad_right(_("Expected"), 10) + format_date(order.expected_date, language))
    out.append(rule)
    out.append(pad_left(_("QTY"), QTY_COLUMNS - 2) + "  " + _("ITEM"))
    for line in order.lines:
        qty = format_qty(line.qty)
        names = wrap(line.name, width - QTY_COLUMNS) or [""]
        out.append(pad_left(qty, QTY_COLUMNS - 2) + "  " + names[0])
        out += [" " * QTY_COLUMNS + more for more in names[1:]]
    out.append(rule)
    out.append(pad_right(_("Lines"), 10) + str(len(order.lines)))
    if order.balance > 0 and order.status not in ("cancelled", "returned"):
        owed = format_money(order.balance)
        collect = _("TO COLLECT")
        out.append(collect + pad_left(owed, width - display_width(collect)))
    for line in wrap(_("Note: {note}").format(note=order.note), width) if order.note.strip() else []:
        out.append(line)
    out.append(center(_("Thank you!"), width))
    return out
