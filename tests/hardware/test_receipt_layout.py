"""What the customer reads on the paper: golden layouts at 58 mm and 80 mm, banners, tenders."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.hardware.receipt import ReceiptData, ReceiptLine, TaxLine, TenderLine, layout_receipt
from pos_tui.hardware.text_width import display_width


def test_small_sale_at_32_columns(small_sale: ReceiptData) -> None:
    assert layout_receipt(small_sale, 32) == [
        "          Corner Shop",
        "         1 High Street",
        "          Springfield",
        "      Tax ID: GB123456789",
        "",
        "2026-11-26 14:03          Lane 1",
        "Receipt 1-000042   Cashier alice",
        "--------------------------------",
        "Whole Milk 1L               1.20",
        "Sourdough Bread",
        "  2 x 2.50                  5.00",
        "  Discount                 -0.50",
        "Loose Apples",
        "  0.350 kg x 12.90/kg       4.52",
        "--------------------------------",
        "SUBTOTAL                   10.22",
        "VAT 20% incl. in 4.50       0.75",
        "VAT 5% incl. in 1.20        0.06",
        "VAT 0% incl. in 4.52        0.00",
        "TOTAL                      10.22",
        "Cash                       20.00",
        "CHANGE                      9.78",
        "",
        "           Thank you!",
        "            1-000042",
    ]


def test_small_sale_at_48_columns(small_sale: ReceiptData) -> None:
    assert layout_receipt(small_sale, 48) == [
        "                  Corner Shop",
        "                 1 High Street",
        "                  Springfield",
        "              Tax ID: GB123456789",
        "",
        "2026-11-26 14:03                          Lane 1",
        "Receipt 1-000042                   Cashier alice",
        "------------------------------------------------",
        "Whole Milk 1L                               1.20",
        "Sourdough Bread",
        "  2 x 2.50                                  5.00",
        "  Discount                                 -0.50",
        "Loose Apples",
        "  0.350 kg x 12.90/kg                       4.52",
        "------------------------------------------------",
        "SUBTOTAL                                   10.22",
        "VAT 20% incl. in 4.50                       0.75",
        "VAT 5% incl. in 1.20                        0.06",
        "VAT 0% incl. in 4.52                        0.00",
        "TOTAL                                      10.22",
        "Cash                                       20.00",
        "CHANGE                                      9.78",
        "",
        "                   Thank you!",
        "                    1-000042",
    ]


def test_chinese_names_align_by_display_columns_at_32() -> None:
    """Each Chinese character takes two columns, so the prices still line up on 58 mm paper."""
    data = ReceiptData(
        shop_name="华联超市", address_lines=("上海市南京路100号",), tax_id="", lane="2", cashier="王芳",
        receipt_no="2-000007", time=datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Asia/Shanghai")),
        lines=(
            ReceiptLine("乌龙茶", Decimal(1), 1200, 1200),
            ReceiptLine("豆腐", Decimal(2), 350, 700),
            ReceiptLine("有机龙井绿茶礼盒装特级五百克", Decimal(1), 8800, 8800),
        ),
        cart_discount=0, taxes=(TaxLine("13", 10700, 1231),), prices_include_tax=True, total=10700,
        tenders=(TenderLine("Card", 10700, "778899"),), change=0, footer="谢谢惠顾",
    )
    lines = layout_receipt(data, 32)
    assert lines == [
        "            华联超市",
        "       上海市南京路100号",
        "",
        "2026-11-26 14:03          Lane 2",
        "Receipt 2-000007    Cashier 王芳",
        "--------------------------------",
        "乌龙茶                     12.00",
        "豆腐",
        "  2 x 3.50                  7.00",
        "有机龙井绿茶礼盒装特级五百克",
        "                           88.00",
        "--------------------------------",
        "SUBTOTAL                  107.00",
        "VAT 13% incl. in 107.00    12.31",
        "TOTAL                     107.00",
        "Card ref 778899           107.00",
        "",
        "            谢谢惠顾",
        "            2-000007",
    ]
    # "乌龙茶" is 3 characters but 6 columns: the line is 29 characters and exactly 32 columns.
    assert (len(lines[6]), display_width(lines[6])) == (29, 32)


def test_a_long_name_wraps_to_two_lines_and_is_cut_there() -> None:
    line = ReceiptLine("Extra Mature Farmhouse Cheddar Cheese Aged Eighteen Months", Decimal(1), 699, 699)
    data = _one_item(line)
    items = _items(layout_receipt(data, 32))
    assert items == [
        "Extra Mature Farmhouse Cheddar",
        "Cheese Aged Eighteen Months 6.99",
    ]
    items = _items(layout_receipt(_one_item(line._replace(name="Cheddar " * 12)), 32))
    assert len(items) == 3 and items[-1] == "                            6.99"


def test_a_weighed_kilo_still_shows_kg(small_sale: ReceiptData) -> None:
    """A weighed item of exactly 1 kg must not read like one piece."""
    line = ReceiptLine("Loose Apples", Decimal("1.000"), 320, 320, weighed=True)
    assert _items(layout_receipt(_one_item(line), 32)) == [
        "Loose Apples",
        "  1.000 kg x 3.20/kg        3.20",
    ]


def test_reprint_says_copy_at_the_top(small_sale: ReceiptData) -> None:
    original = layout_receipt(small_sale, 32)
    reprint = layout_receipt(replace(small_sale, copy=True), 32)
    assert reprint[0] == "          *** COPY ***"
    assert reprint[1:] == original
    assert not any("COPY" in line for line in original)


def test_training_sale_is_marked_at_top_and_bottom(small_sale: ReceiptData) -> None:
    lines = layout_receipt(replace(small_sale, training=True), 48)
    banner = "            TRAINING - NOT A RECEIPT"
    assert lines[0] == banner
    assert lines[-2] == banner  # just above the receipt number, at the bottom of the paper
    assert lines[-1].strip() == "1-000042"
    assert sum("TRAINING" in line for line in lines) == 2


def test_split_tender_shows_each_tender_with_its_reference_then_change(small_sale: ReceiptData) -> None:
    data = replace(small_sale, tenders=(TenderLine("Card", 500, "AUTH 7Q2"), TenderLine("Cash", 1000)), change=478)
    lines = layout_receipt(data, 32)
    start = lines.index("TOTAL                      10.22")
    assert lines[start + 1 : start + 4] == [
        "Card ref AUTH 7Q2           5.00",
        "Cash                       10.00",
        "CHANGE                      4.78",
    ]
    assert sum(t.amount for t in data.tenders) - data.change == data.total


def test_prices_without_tax_say_on_not_incl(small_sale: ReceiptData) -> None:
    data = replace(small_sale, prices_include_tax=False, taxes=(TaxLine("20", 1022, 204),), total=1226)
    lines = layout_receipt(data, 32)
    assert "VAT 20% on 10.22            2.04" in lines
    assert "TOTAL                      12.26" in lines
    assert not any("incl." in line for line in lines)


def test_cart_discount_rounding_and_customer_are_shown(small_sale: ReceiptData) -> None:
    data = replace(small_sale, cart_discount=22, total=1000, rounding=-2, change=1002, customer="Jane Doe")
    lines = layout_receipt(data, 32)
    assert "Discount                   -0.22" in lines
    assert "Rounding                   -0.02" in lines
    assert "Customer: Jane Doe" in lines


def test_a_refund_is_banner_marked_and_names_the_original(small_sale: ReceiptData) -> None:
    data = replace(
        small_sale, refund_of="1-000041", lines=(ReceiptLine("Whole Milk 1L", Decimal(-1), 120, -120),),
        taxes=(TaxLine("5", -120, -6),), total=-120, tenders=(TenderLine("Cash", -120),), change=0,
    )
    lines = layout_receipt(data, 32)
    assert lines[0] == "         *** REFUND ***"
    assert "Refund of 1-000041" in lines
    assert "  -1 x 1.20                -1.20" in lines
    assert "TOTAL                      -1.20" in lines


def test_the_last_line_is_the_receipt_number_the_barcode_encodes(small_sale: ReceiptData) -> None:
    assert small_sale.barcode_value == "1-000042"
    assert layout_receipt(small_sale, 48)[-1].strip() == small_sale.barcode_value
    assert replace(small_sale, receipt_no="收银-000001").barcode_value is None  # CODE128 is ASCII only


def test_control_characters_in_a_name_cannot_break_a_line(small_sale: ReceiptData) -> None:
    data = _one_item(ReceiptLine("Tea\tBags\n80\u200b", Decimal(1), 250, 250))
    assert _items(layout_receipt(data, 32)) == ["Tea Bags 80                 2.50"]


def test_receipt_data_refuses_float_money_and_naive_times(small_sale: ReceiptData) -> None:
    with pytest.raises(TypeError):
        replace(small_sale, total=10.22)
    with pytest.raises(ValueError):
        replace(small_sale, time=datetime(2026, 11, 26, 14, 3))
    with pytest.raises(ValueError):
        layout_receipt(small_sale, 12)


def _one_item(line: ReceiptLine) -> ReceiptData:
    return ReceiptData(
        shop_name="Shop", address_lines=(), tax_id="", lane="1", cashier="bob", receipt_no="1-000001",
        time=datetime(2026, 1, 2, 3, 4, tzinfo=ZoneInfo("UTC")), lines=(line,), cart_discount=0, taxes=(),
        prices_include_tax=True, total=line.total, tenders=(), change=0,
    )


def _items(lines: list[str]) -> list[str]:
    """The item block: between the first two rule lines."""
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"-"}]
    return lines[rules[0] + 1 : rules[1]]
