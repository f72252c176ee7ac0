"""Whatever the shop names its products and however big the sale, nothing runs off the paper."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.domain.money import format_money
from pos_tui.hardware.receipt import ReceiptData, ReceiptLine, TaxLine, TenderLine, layout_receipt
from pos_tui.hardware.text_width import display_width

# Latin, accented Latin, combining accents, CJK, Hangul, kana, fullwidth forms, spaces and the odd tab or
# new line a CSV import lets through; no emoji.
CHARS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xC0, max_codepoint=0x24F),
    st.characters(min_codepoint=0x300, max_codepoint=0x36F),
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF9F),
    st.sampled_from(" \u3000\t\n\u200b"),
)
TEXT = st.text(alphabet=CHARS, max_size=60)
MONEY = st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1)  # what parse_money accepts
QTY = st.one_of(
    st.integers(min_value=-999, max_value=10**9 - 1).map(Decimal),
    st.integers(min_value=-(10**6), max_value=10**12 - 1).map(lambda milli: Decimal(milli).scaleb(-3)),
)
RATE = st.sampled_from(["0", "5", "5.5", "20", "7.25", "13", "99.99"])
TIME = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).flatmap(
    lambda t: st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: t.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    )
)

receipts = st.builds(
    ReceiptData,
    shop_name=TEXT,
    address_lines=st.lists(TEXT, max_size=3).map(tuple),
    tax_id=TEXT,
    lane=st.text(alphabet=CHARS, max_size=12),
    cashier=TEXT,
    receipt_no=st.text(alphabet=CHARS, min_size=1, max_size=20),
    time=TIME,
    lines=st.lists(
        st.builds(ReceiptLine, name=TEXT, qty=QTY, unit_price=MONEY, total=MONEY, discount=MONEY, weighed=st.booleans()),
        max_size=6,
    ).map(tuple),
    cart_discount=MONEY,
    taxes=st.lists(st.builds(TaxLine, rate=RATE, taxable=MONEY, tax=MONEY), max_size=4).map(tuple),
    prices_include_tax=st.booleans(),
    total=MONEY,
    tenders=st.lists(st.builds(TenderLine, name=st.sampled_from(["Cash", "Card", "Voucher", "移动支付"]),
                               amount=MONEY, reference=st.text(alphabet=CHARS, max_size=30)), max_size=3).map(tuple),
    change=MONEY,
    customer=TEXT,
    footer=TEXT,
    copy=st.booleans(),
    training=st.booleans(),
    rounding=st.integers(min_value=-4, max_value=4),
    refund_of=st.text(alphabet=CHARS, max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(receipts, st.sampled_from([32, 48]))
def test_no_line_is_wider_than_the_paper(data: ReceiptData, width: int) -> None:
    lines = layout_receipt(data, width)
    too_wide = [line for line in lines if display_width(line) > width]
    assert too_wide == []
    assert not any(char in line for line in lines for char in "\t\n\r")


@settings(max_examples=200, deadline=None)
@given(receipts, st.sampled_from([32, 48]))
def test_the_total_line_shows_the_total(data: ReceiptData, width: int) -> None:
    lines = layout_receipt(data, width)
    pattern = re.compile(r"^TOTAL +" + re.escape(format_money(data.total)) + "$")
    assert [line for line in lines if pattern.match(line)] != []
    assert [line for line in lines if line.startswith("TOTAL ")] == [l for l in lines if pattern.match(l)]


@settings(max_examples=200, deadline=None)
@given(receipts, st.sampled_from([32, 48]))
def test_every_amount_is_printed_in_full(data: ReceiptData, width: int) -> None:
    """A price cut to fit would be a wrong price: each line's amount and each tender appear whole."""
    text = "\n".join(layout_receipt(data, width))
    for line in data.lines:
        assert format_money(line.total + line.discount) in text
    for tender in data.tenders:
        assert format_money(tender.amount) in text


@settings(max_examples=200, deadline=None)
@given(receipts)
def test_banners_follow_the_flags(data: ReceiptData) -> None:
    lines = [line.strip() for line in layout_receipt(data, 32)]
    assert (lines[0] == "TRAINING - NOT A RECEIPT") is data.training
    assert lines.count("TRAINING - NOT A RECEIPT") == (2 if data.training else 0)
    assert ("*** COPY ***" in lines) is data.copy
