"""The X and Z reports as lines of text for a 32 or 48 column thermal printer (and the screen).

`layout_shift_report` is pure: a report (services.shift_reports.ShiftReport,
read by duck typing so hardware depends on nothing above it) in, lines out,
each at most `width` display columns; CJK names count two (text_width).
The Z report's lines are stored as printed, so a reprint is byte for byte.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from pos_tui.domain.money import format_money
from pos_tui.hardware.text_width import center, display_width, pad_left, truncate, wrap

_KIND_NAMES = {"paid_in": "Paid in", "paid_out": "Paid out", "safe_drop": "Safe drop"}


def _row(label: str, value: str, width: int) -> str:
    """`label` left, `value` right; the label is cut (never the figure) when they do not fit."""
    room = width - display_width(value) - 1
    label = truncate(label, max(room, 0))
    return label + pad_left(value, width - display_width(label))


def _counted_row(label: str, count: int, amount: int, width: int) -> str:
    figure = f"{count:>5} {format_money(amount):>11}"
    return _row(label, figure, width)


def _time(value: datetime, zone: tzinfo) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _rule(width: int) -> str:
    return "-" * width


def layout_shift_report(report: Any, *, shop_name: str, width: int, zone: tzinfo) -> list[str]:
    """The report laid out: header, sales by tender, cash, the count (Z) and the card reconciliation."""
    if width < 24:
        raise ValueError(f"a shift report needs at least 24 columns, not {width}")
    z = report.kind == "Z"
    out: list[str] = [center(truncate(line, width), width) for line in wrap(shop_name, width)[:2]]
    out.append(center(f"Z REPORT {report.number:04d}" if z else "X REPORT - SHIFT STILL OPEN", width))
    out.append(_row(f"Lane {report.lane}", f"Shift {report.number}", width))
    out.append(_row("Opened", _time(report.opened_at, zone), width))
    out.append(_row("  by", report.opened_by, width))
    if z:
        out.append(_row("Closed", _time(report.at, zone), width))
        out.append(_row("  by", report.closed_by, width))
    else:
        out.append(_row("Taken", _time(report.at, zone), width))
    out.append(_rule(width))
    out.append(_counted_row("Sales", report.sales_count, report.sales_total, width))
    for tender in report.tenders:
        if tender.sales_count:
            out.append(_counted_row(f"  {tender.tender}", tender.sales_count, tender.sales, width))
    out.append(_counted_row("Refunds", report.refunds_count, report.refunds_total, width))
    for tender in report.tenders:
        if tender.refunds_count:
            out.append(_counted_row(f"  {tender.tender}", tender.refunds_count, tender.refunds, width))
    out.append(_row("Net", format_money(report.net_total), width))
    out.append(_counted_row("Discounts", report.discounts_count, report.discounts, width))
    out.append(_row("Voids", str(report.voids), width))
    out.append(_row("No-sale openings", str(report.no_sales), width))
    out.append(_rule(width))
    out.append("CASH")
    out.append(_row("Float", format_money(report.float_amount), width))
    out.append(_row("Cash sales", format_money(report.cash_sales), width))
    out.append(_row("Cash refunds", format_money(report.cash_refunds), width))
    out.append(_row("Paid in", format_money(report.paid_in), width))
    out.append(_row("Paid out", format_money(-report.paid_out), width))
    out.append(_row("Safe drops", format_money(-report.safe_drops), width))
    if report.order_cash:
        out.append(_row("Order cash", format_money(report.order_cash), width))
    out.append(_row("Expected in drawer", format_money(report.expected_cash), width))
    if report.movements:
        out.append(_rule(width))
        out.append("CASH IN AND OUT")
        for move in report.movements:
            sign = 1 if move.kind == "paid_in" else -1
            out.append(_row(f"{_KIND_NAMES.get(move.kind, move.kind)} {move.reason}",
                            format_money(sign * move.amount), width))
            for line in wrap(move.note, width - 4)[:2]:
                out.append(f"    {line}")
    if z:
        out.append(_rule(width))
        out.append(_row("Counted", format_money(report.counted or 0), width))
        out.append(_row("Over/short", _signed(report.over_short or 0), width))
        if report.approver:
            out.append(_row("Approved by", report.approver, width))
        for line in wrap(f"Note: {report.note}", width) if report.note else []:
            out.append(line)
        if report.counts:
            out.append(_rule(width))
            out.append("COUNT")
            for denomination, count in report.counts:
                if count:
                    out.append(_row(f"  {format_money(denomination)} x {count}",
                                    format_money(denomination * count), width))
    if report.batch:
        out.append(_rule(width))
        out.append("RECONCILE WITH THE TERMINAL")
        for line in report.batch:
            out.append(_row(line.tender, format_money(line.recorded), width))
            if line.terminal is not None:
                out.append(_row("  terminal", format_money(line.terminal), width))
                out.append(_row("  difference", _signed(line.difference), width))
    out.append(_rule(width))
    out.append(center("END OF Z REPORT" if z else "X REPORT - NOTHING RESET", width))
    return out


def _signed(amount: int) -> str:
    return ("+" if amount > 0 else "") + format_money(amount)
