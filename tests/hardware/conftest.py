"""A small sale as receipt data, the way a corner shop rings one up."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.hardware.receipt import ReceiptData, ReceiptLine, TaxLine, TenderLine


@pytest.fixture
def small_sale() -> ReceiptData:
    """Milk, two loaves with 0.50 off, 350 g of apples; paid 20.00 cash, prices include VAT."""
    return ReceiptData(
        shop_name="Corner Shop",
        address_lines=("1 High Street", "Springfield"),
        tax_id="GB123456789",
        lane="1",
        cashier="alice",
        receipt_no="1-000042",
        time=datetime(2026, 11, 26, 14, 3, tzinfo=ZoneInfo("Europe/London")),
        lines=(
            ReceiptLine("Whole Milk 1L", Decimal(1), 120, 120),
            ReceiptLine("Sourdough Bread", Decimal(2), 250, 450, discount=50),
            ReceiptLine("Loose Apples", Decimal("0.350"), 1290, 452, weighed=True),
        ),
        cart_discount=0,
        taxes=(TaxLine("20", 450, 75), TaxLine("5", 120, 6), TaxLine("0", 452, 0)),
        prices_include_tax=True,
        total=1022,
        tenders=(TenderLine("Cash", 2000),),
        change=978,
        footer="Thank you!",
    )
