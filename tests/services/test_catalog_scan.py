"""What a scan adds to the cart: exact codes, weight/price labels, and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.db.models import Product
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import product_import
from pos_tui.services.catalog import get_product, list_products, scan
from pos_tui.services.context import Actor


@pytest.fixture
def rates(store):
    return store.tax_rates()


def test_known_barcode_gives_a_line_at_the_product_price_and_rate(catalog, rates):
    line = scan(catalog.tea, rates)
    assert line.product_id == Product.get(Product.barcode == catalog.tea).id
    assert (line.barcode, line.name, line.unit_price, line.qty) == (
        catalog.tea, "Breakfast Tea 80 bags", 250, Decimal(1),
    )
    assert (line.tax_class, line.tax_rate, line.unit_cost, line.weighed) == ("standard", Decimal("20"), 140, False)


def test_scan_ignores_surrounding_whitespace(catalog, rates):
    assert scan(f"  {catalog.milk}\n", rates).barcode == catalog.milk


def test_rate_comes_from_the_settings_not_the_product(catalog, store):
    store.set("tax.rate.reduced", "7.5")
    assert scan(catalog.milk, store.tax_rates()).tax_rate == Decimal("7.5")


def test_unknown_valid_barcode_is_not_found(catalog, rates):
    code = with_check_digit("999999999999")
    with pytest.raises(NotFound) as err:
        scan(code, rates)
    assert str(err.value) == f"not found: {code}"


# "5000000000010" is the tea's code (…012) with a wrong check digit.
# Changed with item 4 "Codes": a malformed code is a ValidationError naming the
# problem (it used to be NotFound with "(not a valid barcode)").
@pytest.mark.parametrize("code, problem", [
    ("12345", "has 5 digits; expected 8, 12, 13 or 14"),
    ("abc123", "must contain digits only"),
    ("5000000000010", "has a wrong check digit (expected 2)"),
])
def test_malformed_code_is_refused_naming_the_problem(catalog, rates, code, problem):
    assert catalog.tea == "5000000000012"
    with pytest.raises(ValidationError) as err:
        scan(code, rates)
    assert str(err.value) == f"invalid barcode {code}: {problem}"


def test_empty_scan_asks_for_a_barcode(catalog, rates):
    with pytest.raises(ValidationError, match="scan or type a barcode"):
        scan("   ", rates)


def test_weight_label_gives_the_weighed_quantity_at_the_kilo_price(catalog, rates):
    label = with_check_digit("2112345" + "01234")
    line = scan(label, rates)
    assert line.product_id == Product.get(Product.barcode == catalog.apples).id
    assert line.qty == Decimal("1.234")
    assert (line.barcode, line.unit_price, line.weighed, line.tax_rate) == (label, 320, True, Decimal("0"))
    assert line.gross == 395  # 3.20 x 1.234 = 3.9488, rounded half up


def test_weight_label_of_exactly_one_kilo_is_accepted(catalog, rates):
    label = with_check_digit("2112345" + "01000")
    line = scan(label, rates)
    assert line.qty == Decimal(1) and line.weighed


def test_weighed_product_base_code_is_refused_with_a_hint_to_weigh_it(catalog, rates):
    with pytest.raises(ValidationError, match="Loose Apples is sold by weight; scan the label from the scale"):
        scan(catalog.apples, rates)


def test_weight_label_of_an_unknown_item_is_not_found(catalog, rates):
    label = with_check_digit("2199999" + "00500")
    with pytest.raises(NotFound) as err:
        scan(label, rates)
    assert str(err.value) == f"not found: {label}"


def test_price_label_gives_the_embedded_price(store, rates):
    base = with_check_digit("2254321" + "00000")
    rows = product_import.parse_products(
        f"barcode,name,price,tax_class\n{base},Deli Cheese,0.00,standard\n", set(rates)
    )
    product_import.import_products(Actor.cli(), rows)
    label = with_check_digit("2254321" + "00789")
    line = scan(label, rates)
    assert (line.name, line.unit_price, line.qty, line.barcode) == ("Deli Cheese", 789, Decimal(1), label)


def test_archived_product_cannot_be_scanned_by_code_or_label(catalog, rates):
    Product.update(archived=True).where(Product.barcode.in_([catalog.tea, catalog.apples])).execute()
    with pytest.raises(NotFound, match=f"^not found: {catalog.tea}$"):
        scan(catalog.tea, rates)
    with pytest.raises(NotFound):
        scan(with_check_digit("2112345" + "01234"), rates)
    assert scan(catalog.milk, rates).name == "Whole Milk 1L"
    assert catalog.tea not in {p.barcode for p in list_products()}
    assert get_product(catalog.tea).archived


def test_product_whose_tax_class_has_no_rate_is_refused(store, rates):
    code = with_check_digit("400000000009")
    rows = product_import.parse_products(
        f"barcode,name,price,tax_class\n{code},Fine Wine,12.00,luxury\n", set(rates) | {"luxury"}
    )
    product_import.import_products(Actor.cli(), rows)
    with pytest.raises(ValidationError, match=r"Fine Wine has tax class 'luxury', which has no rate; set tax.rate.luxury"):
        scan(code, rates)
    store.set("tax.rate.luxury", "25")
    assert scan(code, store.tax_rates()).tax_rate == Decimal("25")


def test_get_product_shows_category_tags_and_stock(catalog):
    info = get_product(catalog.tea)
    assert (info.category, info.tags, info.stock, info.price, info.cost) == (
        "Drinks", ("hot", "promo"), Decimal(10), 250, 140,
    )
    assert get_product(catalog.apples).weighed and get_product(catalog.apples).stock == Decimal("2.5")
    with pytest.raises(NotFound, match="no product with barcode '123'"):
        get_product("123")


def test_list_products_searches_name_barcode_and_category(catalog):
    assert [p.name for p in list_products()] == ["Breakfast Tea 80 bags", "Loose Apples", "Whole Milk 1L"]
    assert [p.barcode for p in list_products("milk")] == [catalog.milk]
    assert [p.barcode for p in list_products("2112")] == [catalog.apples]
    assert [p.barcode for p in list_products("fruit")] == [catalog.apples]
    assert [p.name for p in list_products(limit=1, offset=1)] == ["Loose Apples"]
