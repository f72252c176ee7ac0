"""The X and Z reports on 32 and 48 column paper: every line fits, figures line up, CJK counts two."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from pos_tui.hardware.shift_report import layout_shift_report
from pos_tui.hardware.text_width import display_width
from pos_tui.services.shift_reports import BatchLine, MovementInfo, ShiftReport, TenderTotal

OPENED = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
CLOSED = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)


def _report(kind: str = "Z", **changes) -> ShiftReport:
    values = dict(
        kind=kind, shift_id=7, lane="1", number=12, opened_by="王芳", opened_at=OPENED, at=CLOSED,
        closed_by="李明" if kind == "Z" else "",
        tenders=(TenderTotal("cash", 30, 123456, 1, -1250), TenderTotal("card", 12, 98700, 0, 0)),
        sales_count=42, sales_total=222156, refunds_count=1, refunds_total=-1250, discounts_count=3, discounts=450,
        voids=2, no_sales=1, float_amount=15000, cash_sales=123456, cash_refunds=-1250, paid_in=2000, paid_out=750,
        safe_drops=50000,
        movements=(MovementInfo(1, "paid_out", 750, "供应商付款 supplier paid", "牛奶和面包的送货费用" * 3, "王芳", "",
                                CLOSED),),
        counted=88456 if kind == "Z" else None, counts=((2000, 4), (100, 8456)) if kind == "Z" else (),
        over_short=0 if kind == "Z" else None, approver="张伟" if kind == "Z" else "", note="盘点无误" if kind == "Z" else "",
        batch=(BatchLine("card", 98700, 98650),),
    )
    values.update(changes)
    return ShiftReport(**values)


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("kind", ["X", "Z"])
def test_every_line_fits_the_paper(width, kind):
    lines = layout_shift_report(_report(kind), shop_name="华联超市 Hualian Supermarket Nanjing Road", width=width,
                                zone=ZoneInfo("Asia/Shanghai"))
    assert all(display_width(line) <= width for line in lines), [l for l in lines if display_width(l) > width]
    assert any("Z REPORT 0012" in line for line in lines) == (kind == "Z")
    assert any(line.startswith("  by") and line.endswith("王芳") for line in lines)


@pytest.mark.parametrize("width", [32, 48])
def test_figures_end_at_the_right_edge_and_keep_every_digit(width):
    lines = layout_shift_report(_report(), shop_name="Shop", width=width, zone=ZoneInfo("UTC"))
    expected = next(line for line in lines if line.startswith("Expected in drawer"))
    assert expected.endswith("884.56") and display_width(expected) == width
    paid_out = next(line for line in lines if line.startswith("Paid out 供应商"))
    assert paid_out.endswith("-7.50") and display_width(paid_out) <= width
    after = lines[lines.index(paid_out) + 1:]
    note = "".join(line[4:] for line in after[:2] if line.startswith("    "))
    assert note and ("牛奶和面包的送货费用" * 3).startswith(note)  # wrapped between wide characters, never split
    difference = next(line for line in lines if line.startswith("  difference"))
    assert difference.endswith("-0.50")


def test_times_are_in_the_shops_zone_and_the_x_says_it_resets_nothing():
    lines = layout_shift_report(_report("X"), shop_name="Shop", width=48, zone=ZoneInfo("Asia/Shanghai"))
    assert any(line.startswith("Opened") and line.endswith("2026-03-01 16:00") for line in lines)
    assert "X REPORT - SHIFT STILL OPEN" in lines[1] and lines[-1].strip() == "X REPORT - NOTHING RESET"
    assert not any(line.startswith("Counted") for line in lines)  # an X never shows a count


def test_the_same_report_lays_out_the_same_lines():
    first = layout_shift_report(_report(), shop_name="Shop", width=32, zone=ZoneInfo("UTC"))
    assert layout_shift_report(_report(), shop_name="Shop", width=32, zone=ZoneInfo("UTC")) == first
