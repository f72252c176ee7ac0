"""The packing slip of an order, as lines of text for a 32 or 48 column thermal printer.

`layout_packing_slip` is pure: an order (services.order_info.OrderInfo, read
by duck typing so hardware depends on nothing above it) in, lines out, each
at most `width` display columns (CJK names count two: text_width). No prices:
the slip goes in the parcel; only money still to collect on delivery shows.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.hardware.text_width import center, display_width, pad_left, truncate, wrap

QTY_COLUMNS = 6  # "  12  " or "1.250 " then the name


def _row(label: str, value: str, width: int) -> list[str]:
    """`label` then `value`; a value too long for the line wraps under the label, indented."""
    head = f"{label:<10}"
    if display_width(head) + display_width(value) <= width:
        return [head + value]
    return [label] + [f"  {line}" for line in wrap(value, width - 2)]


def _date(value: datetime, zone: tzinfo) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone).strftime("%Y-%m-%d")


def layout_packing_slip(order: Any, *, shop_name: str, width: int, zone: tzinfo) -> list[str]:
    """Header, who it goes to, the carrier, the lines with their quantities and the note."""
    if width < 24:
        raise ValueError(f"a packing slip needs at least 24 columns, not {width}")
    rule = "-" * width
    out = [center(truncate(line, width), width) for line in wrap(shop_name, width)[:2]]
    out.append(center("PACKING SLIP", width))
    out.append(rule)
    out.append(f"{'Order':<10}{order.number}")
    out.append(f"{'Date':<10}{_date(order.created_at, zone)}")
    out.append(f"{'Type':<10}{'Pickup' if order.fulfilment == 'pickup' else 'Delivery'}")
    if order.customer:
        out += _row("Customer", order.customer, width)
    if order.fulfilment == "delivery":
        out.append(rule)
        out.append("DELIVER TO")
        for part in [order.recipient, *order.address.splitlines()]:
            out += wrap(part, width)
        if order.recipient_phone:
            out += _row("Phone", order.recipient_phone, width)
        if order.carrier:
            out += _row("Carrier", " ".join(p for p in (order.carrier, order.service) if p), width)
        if order.tracking_number:
            out += _row("Tracking", order.tracking_number, width)
        if order.expected_date:
            out.append(f"{'Expected':<10}{order.expected_date.isoformat()}")
    out.append(rule)
    out.append(f"{'QTY':>{QTY_COLUMNS - 2}}  ITEM")
    for line in order.lines:
        qty = format_qty(line.qty)
        names = wrap(line.name, width - QTY_COLUMNS) or [""]
        out.append(pad_left(qty, QTY_COLUMNS - 2) + "  " + names[0])
        out += [" " * QTY_COLUMNS + more for more in names[1:]]
    out.append(rule)
    out.append(f"{'Lines':<10}{len(order.lines)}")
    if order.balance > 0 and order.status not in ("cancelled", "returned"):
        owed = format_money(order.balance)
        out.append("TO COLLECT" + pad_left(owed, width - len("TO COLLECT")))
    for line in wrap(f"Note: {order.note}", width) if order.note.strip() else []:
        out.append(line)
    out.append(center("Thank you!", width))
    return out
