"""The packing slip and the X/Z report in the store's Chinese: labels translated, columns counted by width."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from pos_tui.hardware.escpos_printer import file_printer
from pos_tui.hardware.packing_slip import layout_packing_slip
from pos_tui.hardware.shift_report import layout_shift_report
from pos_tui.hardware.text_width import display_width
from pos_tui.services.shift_reports import BatchLine, MovementInfo, ShiftReport, TenderTotal

INIT = b"\x1b@"
KANJI_ON, KANJI_OFF = b"\x1c&", b"\x1c."
CUT = b"\x1bd\x06\x1dV\x00"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# An order as services.order_info.OrderInfo shapes it (the layout reads it by duck typing).
ORDER = SimpleNamespace(
    number="ORD-000042", created_at=datetime(2026, 3, 5, 17, 30, tzinfo=timezone.utc), fulfilment="delivery",
    customer="王芳", recipient="王芳", address="上海市黄浦区南京东路100号\n3楼", recipient_phone="138 0013 8000",
    carrier="顺丰速运", service="次日达", tracking_number="SF1234567890", expected_date=date(2026, 3, 7),
    lines=(SimpleNamespace(qty=Decimal(2), name="乌龙茶 100克"), SimpleNamespace(qty=Decimal("1.250"), name="散装苹果")),
    balance=1050, status="shipped", note="放在后门",
)
SLIP_32 = [
    "            街角小店",
    "             装箱单",
    "-" * 32,
    "订单      ORD-000042",
    "日期      2026年3月6日",  # 01:30 the next morning in Shanghai
    "类型      送货",
    "顾客      王芳",
    "-" * 32,
    "收件地址",
    "王芳",
    "上海市黄浦区南京东路100号",
    "3楼",
    "电话      138 0013 8000",
    "承运商    顺丰速运 次日达",
    "运单号    SF1234567890",
    "预计送达  2026年3月7日",
    "-" * 32,
    "数量  商品",
    "   2  乌龙茶 100克",
    "1.250  散装苹果",
    "-" * 32,
    "行数      2",
    "待收款                     10.50",
    "备注：放在后门",
    "           谢谢惠顾！",
]


def test_a_chinese_packing_slip_at_32_columns_prints_these_bytes(tmp_path: Path) -> None:
    lines = layout_packing_slip(ORDER, shop_name="街角小店", width=32, zone=SHANGHAI, language="zh_CN")
    assert lines == SLIP_32

    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    printer = file_printer(str(lp0), timeout_s=0.3, encoding="gb18030")
    printer.print_receipt("slip-ORD-000042", lines, "ORD-000042")
    printer.close()

    def kanji(text: str) -> bytes:
        return KANJI_ON + text.encode("gb18030") + b"\n" + KANJI_OFF

    body = b"".join(line.encode("ascii") + b"\n" if line.isascii() else kanji(line) for line in SLIP_32)
    assert lp0.read_bytes() == (
        INIT + body + b"\x1ba\x01\x1dh\x40\x1dw\x03\x1df\x00\x1dH\x02\x1dkI\x0c{BORD-000042" + CUT
    )
    # the title, centred by columns: 13 spaces, then 装箱单 in GB18030
    assert KANJI_ON + b" " * 13 + b"\xd7\xb0\xcf\xe4\xb5\xa5\n" + KANJI_OFF in lp0.read_bytes()


def test_an_unknown_locale_prints_the_slip_in_english() -> None:
    lines = layout_packing_slip(ORDER, shop_name="Shop", width=32, zone=SHANGHAI, language="fr")
    assert "PACKING SLIP" in lines[1] and "Date      2026-03-06" in lines


def test_a_chinese_z_report_translates_labels_and_known_tenders_and_keeps_every_figure() -> None:
    report = ShiftReport(
        kind="Z", shift_id=7, lane="1", number=12, opened_by="王芳",
        opened_at=datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc), at=datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc),
        closed_by="李明", tenders=(TenderTotal("cash", 30, 123456, 1, -1250), TenderTotal("gift_card", 2, 5000, 0, 0)),
        sales_count=32, sales_total=128456, refunds_count=1, refunds_total=-1250, discounts_count=3, discounts=450,
        voids=2, no_sales=1, float_amount=15000, cash_sales=123456, cash_refunds=-1250, paid_in=0, paid_out=750,
        safe_drops=50000, movements=(MovementInfo(1, "paid_out", 750, "供应商付款", "", "王芳", "",
                                                   datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)),),
        counted=86206, counts=(), over_short=0, approver="", note="", batch=(BatchLine("card", 98700, 98650),),
    )
    lines = layout_shift_report(report, shop_name="街角小店", width=32, zone=SHANGHAI, language="zh_CN")
    assert all(display_width(line) <= 32 for line in lines)
    assert lines[1:5] == [
        "          Z 报表 0012",
        "收银台 1                 班次 12",
        "开班          2026年3月1日 16:00",
        "  操作人                    王芳",
    ]
    assert "  现金            30     1234.56" in lines
    assert "  gift_card        2       50.00" in lines  # a shop's own tender prints as it is named
    assert "取出现金 供应商付款        -7.50" in lines
    assert "钱箱应有                  864.56" in lines
    assert "  差额                     -0.50" in lines
    assert lines[-1].strip() == "Z 报表结束"
