"""A receipt in Simplified Chinese: laid out by columns (a Han character is two), printed in GB18030 mode."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.domain.money import format_money
from pos_tui.hardware.escpos_printer import file_printer
from pos_tui.hardware.receipt import ReceiptData, ReceiptLine, TaxLine, TenderLine, layout_receipt, receipt_data_from_sale
from pos_tui.hardware.text_width import display_width
from pos_tui.services.sales import PaymentInfo, SaleInfo, SaleLineInfo

INIT = b"\x1b@"
KANJI_ON, KANJI_OFF = b"\x1c&", b"\x1c."
CUT = b"\x1bd\x06\x1dV\x00"


@pytest.fixture
def zh_sale() -> ReceiptData:
    """Milk, two loaves with 0.50 off, 350 g of apples at a Shanghai corner shop; 20.00 cash."""
    return ReceiptData(
        shop_name="街角小店",
        address_lines=("上海市南京路1号",),
        tax_id="91310000MA1234567X",
        lane="1",
        cashier="王芳",
        receipt_no="1-000042",
        time=datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Asia/Shanghai")),
        lines=(
            ReceiptLine("全脂牛奶 1升", Decimal(1), 120, 120),
            ReceiptLine("酸面包", Decimal(2), 250, 450, discount=50),
            ReceiptLine("散装苹果", Decimal("0.350"), 1290, 452, weighed=True),
        ),
        cart_discount=0,
        taxes=(TaxLine("13", 570, 66),),
        prices_include_tax=True,
        total=1022,
        tenders=(TenderLine("Cash", 2000),),
        change=978,
        footer="Thank you!",
        language="zh_CN",
    )


def test_chinese_receipt_at_32_columns(zh_sale: ReceiptData) -> None:
    assert layout_receipt(zh_sale, 32) == [
        "            街角小店",
        "        上海市南京路1号",
        "    税号：91310000MA1234567X",
        "",
        "2026年11月26日 14:03    收银台 1",
        "单号 1-000042        收银员 王芳",
        "--------------------------------",
        "全脂牛奶 1升                1.20",
        "酸面包",
        "  2 x 2.50                  5.00",
        "  折扣                     -0.50",
        "散装苹果",
        "  0.350 kg x 12.90/kg       4.52",
        "--------------------------------",
        "小计                       10.22",
        "5.70 中含增值税 13%         0.66",
        "合计                       10.22",
        "现金                       20.00",
        "找零                        9.78",
        "",
        "           谢谢惠顾！",
        "            1-000042",
    ]


def test_chinese_receipt_at_48_columns_right_aligns_by_columns(zh_sale: ReceiptData) -> None:
    lines = layout_receipt(zh_sale, 48)
    assert lines[4] == "2026年11月26日 14:03                    收银台 1"
    assert lines[5] == "单号 1-000042                        收银员 王芳"
    assert "合计                                       10.22" in lines
    assert [display_width(line) for line in lines if line.endswith(("10.22", "20.00", "9.78"))] == [48] * 4


def test_banners_tenders_and_tax_added_at_the_till_in_chinese(zh_sale: ReceiptData) -> None:
    data = replace(zh_sale, training=True, copy=True, void=True, refund_of="1-000041", prices_include_tax=False,
                   tenders=(TenderLine("Card", 1022, "4242"), TenderLine("Loyalty points", 0)),
                   customer="李雷", footer="欢迎再次光临")
    lines = [line.strip() for line in layout_receipt(data, 32)]
    assert lines[:4] == ["培训模式 - 非正式收据", "*** 副本 ***", "*** 作废 ***", "*** 退款 ***"]
    assert lines[-2:] == ["培训模式 - 非正式收据", "1-000042"]
    assert "原单 1-000041 退款" in lines
    assert "5.70 加增值税 13%           0.66" in lines
    assert "银行卡 参考号 4242         10.22" in lines
    assert "Loyalty points              0.00" in lines  # a shop's own tender prints as the shop typed it
    assert "顾客：李雷" in lines
    assert "欢迎再次光临" in lines and "谢谢惠顾！" not in lines  # the shop's own footer is not translated


def test_english_receipt_is_untouched_by_the_catalogue(zh_sale: ReceiptData) -> None:
    lines = layout_receipt(replace(zh_sale, language="en"), 32)
    assert "2026-11-26 14:03          Lane 1" in lines
    assert "TOTAL                      10.22" in lines
    assert "Thank you!" in [line.strip() for line in lines]


def test_the_store_locale_picks_the_receipt_language() -> None:
    sale = SaleInfo(
        receipt_no="1-000042", time=datetime(2026, 7, 1, 6, 3, tzinfo=timezone.utc), lane="1", cashier="王芳",
        status="completed", training=False, subtotal=500, discount=0, tax=0, total=500,
        lines=(SaleLineInfo("5000000000012", "乌龙茶", Decimal(2), 250, 0, "0", 0, 500),),
        payments=(PaymentInfo("cash", 500, 500, 0, ""),),
    )
    data = receipt_data_from_sale(sale, {"locale": "zh_CN", "store.timezone": "Asia/Shanghai"})
    assert data.language == "zh_CN"
    assert "2026年7月1日 14:03      收银台 1" in layout_receipt(data, 32)
    assert receipt_data_from_sale(sale, {}).language == "en"
    assert receipt_data_from_sale(sale, {"locale": "fr"}).language == "en"  # a receipt always prints


def test_chinese_receipt_bytes_on_a_gb18030_printer(zh_sale: ReceiptData, tmp_path: Path) -> None:
    """ASCII lines go as they are; every other line is GB18030 between FS & and FS .; no code page switch."""
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    lines = layout_receipt(replace(zh_sale, address_lines=(), tax_id=""), 32)
    printer = file_printer(str(lp0), timeout_s=0.3, encoding="gb18030")
    printer.print_receipt("1-000042", lines, "1-000042")
    printer.close()

    def kanji(text: str) -> bytes:
        return KANJI_ON + text.encode("gb18030") + b"\n" + KANJI_OFF

    assert lp0.read_bytes() == (
        INIT
        + kanji("            街角小店")
        + b"\n"
        + kanji("2026年11月26日 14:03    收银台 1")
        + kanji("单号 1-000042        收银员 王芳")
        + b"-" * 32 + b"\n"
        + kanji("全脂牛奶 1升                1.20")
        + kanji("酸面包")
        + b"  2 x 2.50                  5.00\n"
        + kanji("  折扣                     -0.50")
        + kanji("散装苹果")
        + b"  0.350 kg x 12.90/kg       4.52\n"
        + b"-" * 32 + b"\n"
        + kanji("小计                       10.22")
        + kanji("5.70 中含增值税 13%         0.66")
        + KANJI_ON + b"\xba\xcf\xbc\xc6                       10.22\n" + KANJI_OFF  # 合计 in GB18030
        + kanji("现金                       20.00")
        + kanji("找零                        9.78")
        + b"\n"
        + kanji("           谢谢惠顾！")
        + b"            1-000042\n"
        + b"\x1ba\x01\x1dh\x40\x1dw\x03\x1df\x00\x1dH\x02\x1dkI\x0a{B1-000042"
        + CUT
    )


def test_an_english_receipt_on_a_gb18030_printer_is_plain_ascii(tmp_path: Path) -> None:
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    printer = file_printer(str(lp0), timeout_s=0.3, encoding="gb18030")
    printer.print_receipt("1-1", ["TOTAL 10.22", "Café"])
    printer.close()
    assert lp0.read_bytes() == INIT + b"TOTAL 10.22\n" + KANJI_ON + b"Caf\xa8\xa6\n" + KANJI_OFF + CUT


def test_an_unknown_printer_encoding_is_refused() -> None:
    with pytest.raises(ValueError, match="is not one of auto, gb18030"):
        file_printer("/dev/null", timeout_s=0.3, encoding="big5")


# --- whatever the names, a Chinese receipt stays on the paper ------------------------------------------

HAN_TEXT = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                       st.characters(min_codepoint=0x20, max_codepoint=0x7E), st.sampled_from("，。：￥（）")),
    max_size=40,
)
MONEY = st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1)

zh_receipts = st.builds(
    ReceiptData,
    shop_name=HAN_TEXT, address_lines=st.lists(HAN_TEXT, max_size=2).map(tuple), tax_id=HAN_TEXT,
    lane=st.text(alphabet="0123456789AB", min_size=1, max_size=8), cashier=HAN_TEXT,
    receipt_no=st.text(alphabet="0123456789-", min_size=1, max_size=12),
    time=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                      timezones=st.just(timezone.utc)),
    lines=st.lists(st.builds(ReceiptLine, name=HAN_TEXT, qty=st.integers(1, 999).map(Decimal), unit_price=MONEY,
                             total=MONEY, discount=MONEY), max_size=4).map(tuple),
    cart_discount=MONEY, taxes=st.lists(st.builds(TaxLine, rate=st.sampled_from(["0", "6", "13"]), taxable=MONEY,
                                                  tax=MONEY), max_size=2).map(tuple),
    prices_include_tax=st.booleans(), total=MONEY,
    tenders=st.lists(st.builds(TenderLine, name=st.sampled_from(["Cash", "Card", "Mobile"]), amount=MONEY,
                               reference=HAN_TEXT), max_size=2).map(tuple),
    change=MONEY, customer=HAN_TEXT, footer=HAN_TEXT, copy=st.booleans(), training=st.booleans(),
    refund_of=st.text(alphabet="0123456789-", max_size=12), language=st.just("zh_CN"),
)


@settings(max_examples=80, deadline=None)
@given(zh_receipts, st.sampled_from([32, 48]))
def test_no_chinese_line_is_wider_than_the_paper_and_amounts_stay_whole(data: ReceiptData, width: int) -> None:
    lines = layout_receipt(data, width)
    assert [line for line in lines if display_width(line) > width] == []
    total_lines = [line for line in lines if line.startswith("合计")]
    assert len(total_lines) == 1 and total_lines[0].endswith(format_money(data.total))
    text = "\n".join(lines)
    for tender in data.tenders:
        assert format_money(tender.amount) in text


ANY_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(ANY_LINE, max_size=5))
def test_a_gb18030_job_decodes_back_to_its_lines(tmp_path_factory: pytest.TempPathFactory, lines: list[str]) -> None:
    """Whatever the text, the printer reads each line back exactly: ASCII plain, the rest GB18030 in Kanji mode."""
    lp0 = tmp_path_factory.mktemp("lp") / "lp0"
    lp0.write_bytes(b"")
    printer = file_printer(str(lp0), timeout_s=0.3, encoding="gb18030")
    printer.print_receipt("1-1", lines)
    printer.close()
    job = lp0.read_bytes()
    assert job.startswith(INIT) and job.endswith(CUT)
    body, read_back = job[len(INIT):-len(CUT)], []
    while body:
        if body.startswith(KANJI_ON):
            end = body.index(b"\n" + KANJI_OFF)
            text = body[len(KANJI_ON):end].decode("gb18030")
            assert not text.isascii()
            read_back.append(text)
            body = body[end + 1 + len(KANJI_OFF):]
        else:
            end = body.index(b"\n")
            read_back.append(body[:end].decode("ascii"))
            body = body[end + 1:]
    assert read_back == lines
