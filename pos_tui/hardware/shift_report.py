"""The X and Z reports as lines of text for a 32 or 48 column thermal printer (and the screen).

`layout_shift_report` is pure: a report (services.shift_reports.ShiftReport,
read by duck typing so hardware depends on nothing above it) in, lines out,
each at most `width` display columns; CJK names count two (text_width).
The Z report's lines are stored as printed, so a reprint is byte for byte.
Like a receipt, it prints in the store's language (`language`, the locale
setting); figures and times stay plain digits.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from pos_tui.domain.locale_format import format_datetime
from pos_tui.domain.money import format_money
from pos_tui.hardware.text_width import center, display_width, pad_left, truncate, wrap
from pos_tui.i18n import LANGUAGES, N_, translation

_KIND_NAMES = {"paid_in": N_("Paid in"), "paid_out": N_("Paid out"), "safe_drop": N_("Safe drop")}
# Tender codes the shop did not name itself: printed as the code in English, translated otherwise.
_TENDER_NAMES = {"cash": N_("Cash"), "card": N_("Card"), "voucher": N_("Voucher"), "mobile": N_("Mobile")}


def _row(label: str, value: str, width: int) -> str:
    """`label` left, `value` right; the label is cut (never the figure) when they do not fit."""
    room = width - display_width(value) - 1
    label = truncate(label, max(room, 0))
    return label + pad_left(value, width - display_width(label))


def _counted_row(label: str, count: int, amount: int, width: int) -> str:
    figure = f"{count:>5} {format_money(amount):>11}"
    return _row(label, figure, width)


def _time(value: datetime, zone: tzinfo, language: str) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return format_datetime(aware.astimezone(zone), language)


def _rule(width: int) -> str:
    return "-" * width


def layout_shift_report(report: Any, *, shop_name: str, width: int, zone: tzinfo, language: str = "en") -> list[str]:
    """The report laid out: header, sales by tender, cash, the count (Z) and the card reconciliation."""
    if width < 24:
        raise ValueError(f"a shift report needs at least 24 columns, not {width}")
    language = language if language in LANGUAGES else "en"
    _ = translation(language).gettext

    def tender_name(code: str) -> str:
        known = _TENDER_NAMES.get(code)
        return _(known) if known and language != "en" else code

    z = report.kind == "Z"
    out: list[str] = [center(truncate(line, width), width) for line in wrap(shop_name, width)[:2]]
    out.append(center(_("Z REPORT {number}").format(number=f"{report.number:04d}") if z
                      else _("X REPORT - SHIFT STILL OPEN"), width))
    out.append(_row(_("Lane {lane}").format(lane=report.lane), _("Shift {number}").format(number=report.number), width))
    out.append(_row(_("Opened"), _time(report.opened_at, zone, language), width))
    out.append(_row("  " + _("by"), report.opened_by, width))
    if z:
        out.append(_row(_("Closed"), _time(report.at, zone, language), width))
        out.append(_row("  " + _("by"), report.closed_by, width))
    else:
        out.append(_row(_("Taken"), _time(report.at, zone, language), width))
    out.append(_rule(width))
    out.append(_counted_row(_("Sales"), report.sales_count, report.sales_total, width))
    for tender in report.tenders:
        if tender.sales_count:
            out.append(_counted_row(f"  {tender_name(tender.tender)}", tender.sales_count, tender.sales, width))
    out.append(_counted_row(_("Refunds"), report.refunds_count, report.refunds_total, width))
    for tender in report.tenders:
        if tender.refunds_count:
            out.append(_counted_row(f"  {tender_name(tender.tender)}", tender.refunds_count, tender.refunds, width))
    out.append(_row(_("Net"), format_money(report.net_total), width))
    out.append(_counted_row(_("Discounts"), report.discounts_count, report.discounts, width))
    out.append(_row(_("Voids"), str(report.voids), width))
    out.append(_row(_("No-sale openings"), str(report.no_sales), width))
    out.append(_rule(width))
    out.append(_("CASH"))
    out.append(_row(_("Float"), format_money(report.float_amount), width))
    out.append(_row(_("Cash sales"), format_money(report.cash_sales), width))
    out.append(_row(_("Cash refunds"), format_money(report.cash_refunds), width))
    out.append(_row(_("Paid in"), format_money(report.paid_in), width))
    out.append(_row(_("Paid out"), format_money(-report.paid_out), width))
    out.append(_row(_("Safe drops"), format_money(-report.safe_drops), width))
    if report.order_cash:
        out.append(_row(_("Order cash"), format_money(report.order_cash), width))
    out.append(_row(_("Expected in drawer"), format_money(report.expected_cash), width))
    if report.movements:
        out.append(_rule(width))
        out.append(_("CASH IN AND OUT"))
        for move in report.movements:
            sign = 1 if move.kind == "paid_in" else -1
            kind = _KIND_NAMES.get(move.kind)
            out.append(_row(f"{_(kind) if kind else move.kind} {move.reason}",
                            format_money(sign * move.amount), width))
            for line in wrap(move.note, width - 4)[:2]:
                out.append(f"    {line}")
    if z:
        out.append(_rule(width))
        out.append(_row(_("Counted"), format_money(report.counted or 0), width))
        out.append(_row(_("Over/short"), _signed(report.over_short or 0), width))
        if report.approver:
            out.append(_row(_("Approved by"), report.approver, width))
        for line in wrap(_("Note: {note}").format(note=report.note), width) if report.note else []:
            out.append(line)
        if report.counts:
            out.append(_rule(width))
            out.append(_("COUNT"))
            for denomination, count in report.counts:
                if count:
                    out.append(_row(f"  {format_money(denomination)} x {count}",
                                    format_money(denomination * count), width))
    if report.batch:
        out.append(_rule(width))
        out.append(_("RECONCILE WITH THE TERMINAL"))
        for line in report.batch:
            out.append(_row(tender_name(line.tender), format_money(line.recorded), width))
            if line.terminal is not None:
                out.append(_row("  " + _("terminal"), format_money(line.terminal), width))
                out.append(_row("  " + _("difference"), _signed(line.difference), width))
    out.append(_rule(width))
    out.append(center(_("END OF Z REPORT") if z else _("X REPORT - NOTHING RESET"), width))
    return out


def _signed(amount: int) -> str:
    return ("+" if amount > 0 else "") + format_money(amount)
