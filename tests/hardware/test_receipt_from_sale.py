"""From a recorded sale to receipt data: the shop's settings, its time zone, the tax per rate."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from pos_tui.config import Settings
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.cart import Cart
from pos_tui.domain.discount import Discount
from pos_tui.domain.money import format_money
from pos_tui.domain.tender import Tender
from pos_tui.hardware.receipt import (
    ReceiptData, TaxLine, TenderLine, layout_receipt, receipt_data_from_sale, receipt_width, tax_per_rate,
)
from pos_tui.services import product_import, sales
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from pos_tui.services.sales import PaymentInfo, SaleInfo, SaleLineInfo

TEA = with_check_digit("500000000001")  # 2.50, standard 20%
MILK = with_check_digit("500000000002")  # 1.00, reduced 5%
APPLES_1234G = with_check_digit("2112345" + "01234")  # 1.234 kg at 3.20/kg, zero rate
CATALOG_CSV = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    f"{TEA},Breakfast Tea 80 bags,2.50,Drinks,1.40,10,standard,2,,each\n"
    f"{MILK},Whole Milk 1L,1.00,Dairy,0.60,5,reduced,1,,each\n"
    f"{with_check_digit('2112345' + '00000')},Loose Apples,3.20,Fruit & Veg,2.00,2.500,zero,0,,kg\n"
)
SHOP = {
    "store.name": "Corner Shop", "store.address": "1 High Street\\nSpringfield", "store.tax_id": "GB123456789",
    "receipt.footer": "Thank you!", "store.timezone": "Europe/London", "lane": "1",
}
SUMMER_UTC = datetime(2026, 7, 1, 13, 3, tzinfo=timezone.utc)  # 14:03 in London (BST)


def _sale(**changes) -> SaleInfo:
    values = dict(
        receipt_no="1-000042", time=SUMMER_UTC, lane="1", cashier="alice", status="completed", training=False,
        subtotal=520, discount=0, tax=79, total=520,
        lines=(
            SaleLineInfo("5000000000012", "Breakfast Tea 80 bags", Decimal(2), 250, 0, "20", 83, 500),
            SaleLineInfo("2112345012342", "Loose Apples", Decimal("0.007"), 2900, 0, "0", 0, 20),
        ),
        payments=(PaymentInfo("cash", 520, 1000, 480, ""),),
    )
    values.update(changes)
    return SaleInfo(**values)


def _commit(store: Settings, actor: Actor, *, included: bool) -> SaleInfo:
    """Tea x2, milk, 1.234 kg apples, 10% off the cart, paid by card and cash; read back from the store."""
    rows = product_import.parse_products(CATALOG_CSV, set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="catalog.csv")
    from tests.conftest import open_test_shift

    open_test_shift(store, "1")
    cart = Cart(prices_include_tax=included)
    for code in (TEA, MILK, TEA, APPLES_1234G):
        cart.add(scan(code, store.tax_rates()))
    cart.discount_cart(Discount(percent=Decimal(10)))
    due = cart.totals().total
    info = sales.commit_sale(actor, cart, [Tender("card", 500, "4242"), Tender("cash", 2000)], lane="1", at=SUMMER_UTC)
    assert info.total == due
    return sales.get_sale(info.receipt_no)


@pytest.mark.parametrize("included", [True, False], ids=["tax-included", "tax-added"])
def test_tax_per_rate_adds_up_to_the_sales_tax(store: Settings, admin_actor: Actor, included: bool) -> None:
    sale = _commit(store, admin_actor, included=included)
    data = receipt_data_from_sale(sale, SHOP, "Europe/London")

    assert [t.rate for t in data.taxes] == ["20", "5", "0"]
    assert sum(t.tax for t in data.taxes) == sale.tax
    assert sum(t.taxable for t in data.taxes) == sum(line.total for line in sale.lines)
    assert data.prices_include_tax is included  # read from the sale's totals, not today's setting
    lines = layout_receipt(data, 32)
    printed = [line for line in lines if line.startswith("VAT ")]
    assert sum(int(line.split()[-1].replace(".", "")) for line in printed) == sale.tax
    assert all(("incl." in line) is included for line in printed)
    # what the receipt adds up to is what the till charged
    assert data.subtotal - data.cart_discount + (0 if included else data.tax) == sale.total
    assert any(line.startswith("TOTAL") and line.endswith(format_money(sale.total)) for line in lines)
    assert sum(t.amount for t in data.tenders) - data.change == sale.total + sale.rounding


def test_committed_sale_prints_cashier_lane_time_and_weighed_line(store: Settings, admin_actor: Actor) -> None:
    sale = _commit(store, admin_actor, included=True)
    lines = layout_receipt(receipt_data_from_sale(sale, SHOP, "Europe/London", cashier_name="Owner Olga"), 48)
    assert "2026-07-01 14:03                          Lane 1" in lines
    assert "Receipt 1-000001              Cashier Owner Olga" in lines
    # the cart's 10% off was spread over the lines when the sale was rung up, so each line shows its share
    start = lines.index("-" * 48) + 1
    assert lines[start : start + 9] == [
        "Breakfast Tea 80 bags",
        "  2 x 2.50                                  5.00",
        "  Discount                                 -0.50",
        "Whole Milk 1L                               1.00",
        "  Discount                                 -0.10",
        "Loose Apples",
        "  1.234 kg x 3.20/kg                        3.95",
        "  Discount                                 -0.40",
        "-" * 48,
    ]
    assert "Card ref 4242                               5.00" in lines


def test_settings_fill_the_header_and_footer() -> None:
    data = receipt_data_from_sale(_sale(), SHOP, "Europe/London")
    assert (data.shop_name, data.address_lines, data.tax_id) == ("Corner Shop", ("1 High Street", "Springfield"), "GB123456789")
    assert data.footer == "Thank you!"
    defaults = receipt_data_from_sale(_sale(), {}, None)
    assert (defaults.shop_name, defaults.address_lines, defaults.footer) == ("My Shop", (), "Thank you!")
    assert defaults.time.utcoffset().total_seconds() == 0  # no store.timezone: UTC


def test_time_is_shown_in_the_shops_zone() -> None:
    assert receipt_data_from_sale(_sale(), SHOP, None).time.strftime("%Y-%m-%d %H:%M") == "2026-07-01 14:03"
    tokyo = receipt_data_from_sale(_sale(), SHOP, "Asia/Tokyo")
    assert tokyo.time.strftime("%Y-%m-%d %H:%M") == "2026-07-01 22:03"
    naive = receipt_data_from_sale(_sale(time=datetime(2026, 7, 1, 13, 3)), SHOP, "Europe/London")
    assert naive.time.strftime("%H:%M") == "14:03"  # stored times are UTC


def test_cash_shows_what_was_handed_over_and_the_change() -> None:
    data = receipt_data_from_sale(_sale(), SHOP, "UTC")
    assert data.tenders == (TenderLine("Cash", 1000, ""),)
    assert data.change == 480
    lines = layout_receipt(data, 32)
    assert lines[lines.index("TOTAL                       5.20") + 1 :][:2] == [
        "Cash                       10.00",
        "CHANGE                      4.80",
    ]


def test_small_weights_keep_three_decimals() -> None:
    lines = layout_receipt(receipt_data_from_sale(_sale(), SHOP, "UTC"), 32)
    assert "  0.007 kg x 29.00/kg       0.20" in lines


def test_training_and_returns_carry_their_banners() -> None:
    training = layout_receipt(receipt_data_from_sale(_sale(training=True), SHOP, "UTC"), 32)
    assert training[0].strip() == training[-2].strip() == "TRAINING - NOT A RECEIPT"
    refund = receipt_data_from_sale(
        _sale(receipt_no="1-000043", status="return", original="1-000042", subtotal=-500, tax=-83, total=-500,
              lines=(SaleLineInfo("5000000000012", "Breakfast Tea 80 bags", Decimal(-2), 250, 0, "20", -83, -500),),
              payments=(PaymentInfo("cash", -500, -500, 0, ""),)),
        SHOP, "UTC", copy=True,
    )
    assert refund.refund_of == "1-000042"
    lines = layout_receipt(refund, 32)
    assert [line.strip() for line in lines[:2]] == ["*** COPY ***", "*** REFUND ***"]
    assert "Refund of 1-000042" in lines


def test_tax_rates_merge_by_value_highest_first() -> None:
    lines = [
        SaleLineInfo("1", "a", Decimal(1), 100, 0, "5.50", 5, 100),
        SaleLineInfo("2", "b", Decimal(1), 200, 0, "20", 33, 200),
        SaleLineInfo("3", "c", Decimal(1), 300, 0, "5.5", 16, 300),
    ]
    assert tax_per_rate(lines) == (TaxLine("20", 200, 33), TaxLine("5.5", 400, 21))


def test_receipt_width_setting() -> None:
    assert receipt_width({"printer.width": "32"}) == 32
    assert receipt_width({"receipt.width": "32"}) == 32  # a dict from before the rename
    assert receipt_width({}) == 48
    assert receipt_width({"printer.width": "wide"}) == 48


def test_receipt_module_loads_without_services_or_the_database() -> None:
    """The printer spool runs the layout; it must not drag in services, peewee or textual."""
    script = (
        "import sys, pos_tui.hardware.receipt\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('peewee', 'textual') or m.startswith('pos_tui.services')]\n"
        "print(bad)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert isinstance(receipt_data_from_sale(_sale(), SHOP, "UTC"), ReceiptData)
