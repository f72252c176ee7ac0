"""What the cashier sees when scanning: `3*` quantities, UPC-E, templates, PLUs and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.db.models import Product
from pos_tui.domain.barcodes import parse_templates, with_check_digit
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import product_import
from pos_tui.services.catalog import DEFAULT_TEMPLATES, scan
from pos_tui.services.context import Actor

BREAD = "4010079190010"  # Sourdough Loaf 800g, 3.20 each
BANANAS = "2100001000004"  # Loose Bananas, 1.10/kg
BANANA_LABEL = with_check_digit("2100001" + "01234")  # 1.234 kg from the scale


@pytest.fixture
def rates(demo_store):
    return demo_store.tax_rates()


def add_products(store, csv_rows: str) -> None:
    rows = product_import.parse_products("barcode,name,price,tax_class,unit\n" + csv_rows, set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows)


# --- 3* before a scan -----------------------------------------------------------


def test_three_star_rings_up_three(rates):
    line = scan("3*" + BREAD, rates)
    assert (line.name, line.qty, line.gross, line.barcode) == ("Sourdough Loaf 800g", Decimal(3), 960, BREAD)


def test_the_largest_multiplier_is_accepted(rates):
    assert scan(f"9999*{BREAD}", rates).qty == 9999


@pytest.mark.parametrize(
    "typed, message",
    [
        ("0*", "must be more than zero"),
        ("-2*", "must not be negative"),
        ("x*", "'x' is not a number"),
        ("10000*", "more than 9999"),
        ("1e3*", "is not a number"),
    ],
)
def test_bad_multipliers_are_refused(rates, typed, message):
    with pytest.raises(ValidationError, match=message):
        scan(typed + BREAD, rates)


def test_a_multiplier_with_no_code_asks_for_the_code(rates):
    with pytest.raises(ValidationError, match=r"scan or type the code after 3\*"):
        scan("3*", rates)


def test_a_multiplier_on_a_weight_label_is_refused(rates):
    with pytest.raises(ValidationError, match=r"Loose Bananas is weighed; its label sets the quantity, not 2\*"):
        scan("2*" + BANANA_LABEL, rates)


def test_a_fraction_of_a_kilo_product_is_its_weight(rates):
    line = scan("1.5*" + BANANAS, rates)
    assert (line.name, line.qty, line.weighed, line.gross) == ("Loose Bananas", Decimal("1.5"), True, 165)


def test_a_fraction_of_a_piece_is_refused(rates):
    with pytest.raises(ValidationError, match=r"Sourdough Loaf 800g is sold by the piece; use a whole number before \*"):
        scan("1.5*" + BREAD, rates)


def test_a_kilo_product_without_label_or_weight_says_how_to_sell_it(rates):
    with pytest.raises(ValidationError, match=r"Loose Bananas is sold by weight; scan the label .* like 0\.5\*"):
        scan(BANANAS, rates)


# --- weight labels --------------------------------------------------------------


def test_a_scale_label_rings_up_its_weight_at_the_kilo_price(rates):
    line = scan(BANANA_LABEL, rates)
    assert (line.name, line.qty, line.unit_price, line.gross, line.barcode) == (
        "Loose Bananas", Decimal("1.234"), 110, 136, BANANA_LABEL,
    )


def test_the_default_templates_are_the_shipped_setting(demo_store):
    assert tuple(parse_templates(demo_store.get("barcode.templates"))) == DEFAULT_TEMPLATES


# --- invalid versus unknown ----------------------------------------------------------


@pytest.mark.parametrize(
    "code, problem",
    [
        ("4010079190011", "has a wrong check digit (expected 0)"),
        ("40100791900", "has 11 digits; expected 8, 12, 13 or 14"),  # the loaf's code, two digits short
        ("401007919001000", "has 15 digits"),
        ("40100791900x0", "must contain digits only"),
        ("2100001012343", "has a wrong check digit (expected 2)"),  # a smudged scale label
    ],
)
def test_invalid_codes_say_so_and_name_the_problem(rates, code, problem):
    with pytest.raises(ValidationError) as err:
        scan(code, rates)
    assert str(err.value).startswith(f"invalid barcode {code}: ") and problem in str(err.value)


def test_a_valid_unknown_code_is_not_found_so_the_till_offers_search(rates):
    code = with_check_digit("400000000000")
    with pytest.raises(NotFound) as err:
        scan("2*" + code, rates)
    assert str(err.value) == f"not found: {code}"


def test_a_label_of_an_unknown_item_is_not_found(rates):
    label = with_check_digit("2199999" + "00500")
    with pytest.raises(NotFound, match=f"^not found: {label}$"):
        scan(label, rates)


# --- PLUs and internal codes ---------------------------------------------------------


def test_short_internal_codes_and_plus_are_found_before_validation(store):
    Product.create(barcode="4011", name="Bananas (PLU)", price=25)
    Product.create(barcode="CAKE-1", name="Cake slice", price=180)
    rates = store.tax_rates()
    assert scan("4011", rates).name == "Bananas (PLU)"
    assert scan("2*CAKE-1", rates).qty == 2
    with pytest.raises(ValidationError, match="^invalid barcode 4012: has 4 digits"):
        scan("4012", rates)


# --- UPC-E, EAN-8 and UPC-A forms ---------------------------------------------------------


def test_a_upce_finds_the_product_filed_under_its_upca(store):
    add_products(store, "042100005264,Mints 50g,0.80,standard,each\n")
    line = scan("04252614", store.tax_rates())
    assert (line.name, line.barcode) == ("Mints 50g", "04252614")


def test_a_upce_finds_the_product_filed_under_its_13_digit_upca(store):
    add_products(store, "0012345000065,Gum,0.60,standard,each\n")
    assert scan("01234565", store.tax_rates()).name == "Gum"


def test_an_ean8_in_the_catalogue_wins_over_the_same_digits_read_as_upce(store):
    # 00079198 is a valid EAN-8 and also a valid UPC-E for 000791000098.
    add_products(store, "00079198,Matches,0.30,standard,each\n000791000098,Candles,2.00,standard,each\n")
    assert scan("00079198", store.tax_rates()).name == "Matches"
    Product.update(archived=True).where(Product.barcode == "00079198").execute()
    assert scan("00079198", store.tax_rates()).name == "Candles"


def test_a_upce_with_a_wrong_check_digit_names_both_readings(store):
    with pytest.raises(ValidationError, match=r"^invalid barcode 04252615: .*expected 0 for EAN-8 or 4 for UPC-E"):
        scan("04252615", store.tax_rates())


def test_a_6_digit_upce_body_is_not_a_barcode(store):
    add_products(store, "042100005264,Mints 50g,0.80,standard,each\n")
    with pytest.raises(ValidationError, match="^invalid barcode 425261: has 6 digits"):
        scan("425261", store.tax_rates())


def test_upca_is_found_with_or_without_its_leading_zero(store):
    add_products(store, "0036000291452,Tissues,1.20,standard,each\n012345678905,Soap,0.90,standard,each\n")
    rates = store.tax_rates()
    assert scan("036000291452", rates).name == "Tissues"
    assert scan("0012345678905", rates).name == "Soap"


def test_archived_products_are_not_found_under_another_form(store):
    add_products(store, "042100005264,Mints 50g,0.80,standard,each\n")
    Product.update(archived=True).execute()
    with pytest.raises(NotFound, match="^not found: 04252614$"):
        scan("04252614", store.tax_rates())


# --- the shop's own templates ------------------------------------------------------------

VERIFIED = parse_templates("21IIIIIWWWWWC,22IIIIIPPPPPC,23IIIIVPPPPPC")
CHEESE = with_check_digit("23" + "0042" + "0" + "00000")  # base code of the deli's cheese


def test_a_price_label_with_a_verifier_rings_up_its_price(store):
    add_products(store, f"{CHEESE},Deli Cheese,0.00,standard,kg\n")
    label = with_check_digit("23" + "0042" + "6" + "14685")  # 146.85, verifier 6
    line = scan(label, store.tax_rates(), templates=VERIFIED)
    assert (line.name, line.unit_price, line.qty, line.gross) == ("Deli Cheese", 14685, Decimal(1), 14685)
    assert scan("2*" + label, store.tax_rates(), templates=VERIFIED).gross == 29370
    with pytest.raises(ValidationError, match="a price label is one pack of Deli Cheese"):
        scan("1.5*" + label, store.tax_rates(), templates=VERIFIED)


def test_a_price_label_with_a_wrong_verifier_is_refused_not_searched(store):
    add_products(store, f"{CHEESE},Deli Cheese,0.00,standard,kg\n")
    label = with_check_digit("23" + "0042" + "7" + "14685")
    with pytest.raises(ValidationError, match=rf"^invalid barcode {label}: has a wrong price check digit \(expected 6\)"):
        scan(label, store.tax_rates(), templates=VERIFIED)


def test_without_its_template_a_23_label_is_just_an_unknown_code(store):
    add_products(store, f"{CHEESE},Deli Cheese,0.00,standard,kg\n")
    label = with_check_digit("23" + "0042" + "6" + "14685")
    with pytest.raises(NotFound, match=f"^not found: {label}$"):
        scan(label, store.tax_rates())


def test_a_shop_without_templates_finds_labels_only_by_their_exact_code(rates):
    with pytest.raises(NotFound):
        scan(BANANA_LABEL, rates, templates=())
