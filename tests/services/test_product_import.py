"""Product CSV import/export: all or nothing, every bad row named, stock moves for stock."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Category, Product, ProductTag, StockMove, Tag
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.errors import ImportRejected, ValidationError
from pos_tui.services import product_import
from pos_tui.services.catalog import get_product
from pos_tui.services.context import Actor

HEADER = "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
A = with_check_digit("401000000001")
B = with_check_digit("401000000002")
C = with_check_digit("401000000003")
D = with_check_digit("401000000004")
E = with_check_digit("401000000005")
F = with_check_digit("401000000006")
G = with_check_digit("401000000007")
H = with_check_digit("401000000008")
W = with_check_digit("2177777" + "00000")
BAD_CHECK = A[:-1] + str((int(A[-1]) + 1) % 10)


@pytest.fixture
def classes(store) -> set[str]:
    return set(store.tax_rates())


def _import(text: str, classes: set[str], **kwargs) -> product_import.ImportResult:
    rows = product_import.parse_products(text, classes)
    return product_import.import_products(Actor.cli(), rows, source="test.csv", **kwargs)


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Product, Category, Tag, ProductTag, StockMove, AuditLog))


def _moves(barcode: str) -> list[tuple[Decimal, str, str]]:
    product = Product.get(Product.barcode == barcode)
    return [(m.delta, m.reason, m.reference) for m in StockMove.select().where(StockMove.product == product).order_by(StockMove.id)]


# --- parse_products ----------------------------------------------------------------


def test_parse_products_reads_every_column(classes):
    text = HEADER + (
        f"{A},  Tea Bags 80  ,2.50,Drinks,1.40,12,standard,3,Promo; hot ;promo,each\n"
        f"{W},Loose Apples,3.2,Fruit,2,2.125,zero,0.5,,kg\n"
        f"{B},Plain Water,0.99,,,,,,,\n"
    )
    rows = product_import.parse_products(text, classes)
    tea, apples, water = rows
    assert (tea.line, tea.barcode, tea.name, tea.price, tea.cost) == (2, A, "Tea Bags 80", 250, 140)
    assert (tea.category, tea.stock, tea.tax_class, tea.reorder_level, tea.tags, tea.unit) == (
        "Drinks", Decimal(12), "standard", Decimal(3), ("hot", "promo"), "each",
    )
    assert (apples.line, apples.price, apples.cost, apples.stock, apples.unit, apples.reorder_level) == (
        3, 320, 200, Decimal("2.125"), "kg", Decimal("0.5"),
    )
    # Empty optional cells take the defaults, and are not "present" (so they keep an existing value).
    assert (water.line, water.price, water.cost, water.stock, water.tax_class, water.unit) == (
        4, 99, 0, Decimal(0), "standard", "each",
    )
    assert water.present == frozenset({"category", "tags"})


def test_parse_products_skips_blank_lines_but_keeps_counting_them(classes):
    text = HEADER + f"{A},Tea,2.50\n\n{B},Water,0.99\n"
    assert [(r.line, r.barcode) for r in product_import.parse_products(text, classes)] == [(2, A), (4, B)]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(catalog, classes, assert_stock_matches_moves):
    text = HEADER + (
        f"{A},Good Tea,2.50\n"                        # line 2: fine
        f"{BAD_CHECK},Bad Check,1.00\n"               # line 3
        f"{B},,1.00\n"                                # line 4: empty name
        f"{C},Negative,-1.00\n"                       # line 5
        f'{D},Comma Price,"12,50"\n'                  # line 6
        f"{A},Duplicate,2.50\n"                       # line 7
        f"{E},Luxury,9.99,,,,luxury\n"                # line 8
        f"{F},Too Many,1.00,,,,,,,each,extra\n"       # line 9
        f"{G},Boxed,1.00,,,,,,,box\n"                 # line 10
        f"{H},Also Good,2.00\n"                       # line 11: fine
    )
    before = _counts()
    with pytest.raises(ImportRejected) as err:
        _import(text, classes)
    problems = err.value.problems
    assert [p.split(":", 1)[0] for p in problems] == [f"line {n}" for n in range(3, 11)]
    assert "wrong check digit" in problems[0]
    assert "name is empty" in problems[1]
    assert "price '-1.00' must not be negative" in problems[2]
    assert "price '12,50' is not a money amount" in problems[3]
    assert f"barcode {A} repeats line 2" in problems[4]
    assert "unknown tax class 'luxury'" in problems[5]
    assert "more fields than the header has" in problems[6]
    assert "unit 'box' must be each or kg" in problems[7]
    assert str(err.value) == "8 bad rows; nothing was imported"
    assert _counts() == before
    assert not Product.select().where(Product.barcode.in_([A, H])).exists()
    assert_stock_matches_moves()


def test_a_row_with_several_problems_lists_them_all_on_one_line(classes):
    with pytest.raises(ImportRejected) as err:
        product_import.parse_products(HEADER + f"{BAD_CHECK},,abc,,-3,\n", classes)
    (problem,) = err.value.problems
    assert problem.startswith("line 2: ")
    for part in ("wrong check digit", "name is empty", "price 'abc'", "cost '-3' must not be negative"):
        assert part in problem


def test_a_quoted_multi_line_name_does_not_shift_later_line_numbers(classes):
    text = HEADER + f'{A},"Tea\nBags",2.50\n{B},Water,oops\n'
    with pytest.raises(ImportRejected) as err:
        product_import.parse_products(text, classes)
    assert err.value.problems[0].startswith("line 4:")


@pytest.mark.parametrize(
    "header, message",
    [
        ("barcode,name\n", "line 1: missing column(s) price"),
        ("barcode,name,price,colour\n", "line 1: unknown column(s) colour"),
        ("", "the CSV file is empty"),
    ],
)
def test_a_bad_header_is_refused(classes, header, message):
    with pytest.raises(ValidationError) as err:
        product_import.parse_products(header, classes)
    assert message in str(err.value)


# --- import_products ---------------------------------------------------------------


def test_import_creates_products_categories_tags_and_opening_stock_moves(store, classes, assert_stock_matches_moves):
    text = HEADER + (
        f"{A},Tea Bags,2.50,Drinks,1.40,12,standard,3,hot;promo,each\n"
        f"{B},Water,0.99,Drinks,0.20,0,zero,,promo,each\n"
        f"{W},Loose Apples,3.20,Fruit,2.00,2.125,zero,,,kg\n"
    )
    result = _import(text, classes)
    assert (result.created, result.updated, result.unchanged, result.stock_moves, result.dry_run) == (3, 0, 0, 2, False)
    tea = get_product(A)
    assert (tea.name, tea.price, tea.cost, tea.category, tea.tags, tea.stock, tea.reorder_level) == (
        "Tea Bags", 250, 140, "Drinks", ("hot", "promo"), Decimal(12), Decimal(3),
    )
    assert get_product(W).stock == Decimal("2.125") and get_product(W).unit == "kg"
    assert sorted(c.name for c in Category.select()) == ["Drinks", "Fruit"]
    assert sorted(t.name for t in Tag.select()) == ["hot", "promo"]
    assert _moves(A) == [(Decimal(12), "import", "test.csv")]
    assert _moves(W) == [(Decimal("2.125"), "import", "test.csv")]
    assert _moves(B) == []  # zero stock needs no move
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (entry.action, entry.target) == ("product.import", "test.csv")
    assert '"created": 3' in entry.details and '"stock_moves": 2' in entry.details
    assert_stock_matches_moves()


def test_reimport_with_new_stock_writes_the_difference_as_a_move(store, classes, assert_stock_matches_moves):
    _import(HEADER + f"{A},Tea Bags,2.50,,1.40,12\n{W},Apples,3.20,,,2.125,zero,,,kg\n", classes)
    result = _import(HEADER + f"{A},Tea Bags,2.50,,1.40,7\n{W},Apples,3.20,,,3.000,zero,,,kg\n", classes)
    assert (result.created, result.updated, result.stock_moves) == (0, 2, 2)
    assert get_product(A).stock == Decimal(7)
    assert _moves(A) == [(Decimal(12), "import", "test.csv"), (Decimal(-5), "import", "test.csv")]
    assert _moves(W)[-1][0] == Decimal("0.875")
    assert_stock_matches_moves()


def test_reimport_with_same_values_is_unchanged_and_moves_nothing(store, classes, assert_stock_matches_moves):
    text = HEADER + f"{A},Tea Bags,2.50,Drinks,1.40,12,standard,3,hot,each\n"
    _import(text, classes)
    moves = StockMove.select().count()
    result = _import(text, classes)
    assert (result.created, result.updated, result.unchanged, result.stock_moves) == (0, 0, 1, 0)
    assert StockMove.select().count() == moves
    retagged = _import(text.replace(",hot,", ",hot;promo,"), classes)  # the same tags are no change; others are
    assert (retagged.updated, retagged.unchanged) == (1, 0)
    assert get_product(A).tags == ("hot", "promo")
    assert_stock_matches_moves()


def test_reimport_without_a_tags_column_and_same_values_is_unchanged(store, classes):
    text = "barcode,name,price,cost,stock\n" f"{A},Tea Bags,2.50,1.40,12\n"
    _import(text, classes)
    result = _import(text, classes)
    assert (result.created, result.updated, result.unchanged, result.stock_moves) == (0, 0, 1, 0)


def test_empty_cells_keep_an_existing_products_values(store, classes, assert_stock_matches_moves):
    _import(HEADER + f"{A},Tea Bags,2.50,Drinks,1.40,12,reduced,3,hot,each\n", classes)
    result = _import(HEADER + f"{A},Tea Bags Large,2.75,Drinks,,,,,hot,\n", classes)
    assert result.updated == 1 and result.stock_moves == 0
    tea = get_product(A)
    assert (tea.name, tea.price) == ("Tea Bags Large", 275)
    assert (tea.cost, tea.stock, tea.tax_class, tea.reorder_level, tea.unit) == (140, Decimal(12), "reduced", Decimal(3), "each")
    assert_stock_matches_moves()


def test_empty_category_and_tags_cells_clear_them(store, classes):
    _import(HEADER + f"{A},Tea Bags,2.50,Drinks,1.40,12,,,hot;promo,\n", classes)
    _import(HEADER + f"{A},Tea Bags,2.50,,,,,,,\n", classes)
    tea = get_product(A)
    assert (tea.category, tea.tags) == ("", ())
    assert not ProductTag.select().exists()


def test_reimport_into_a_new_category_counts_as_an_update(store, classes):
    """A product without a category moved into a brand-new one was changed, so the summary must say so."""
    _import(HEADER + f"{A},Tea Bags,2.50,,1.40,12\n", classes)
    text = "barcode,name,price,category\n" f"{A},Tea Bags,2.50,Hot Drinks\n"
    preview = _import(text, classes, dry_run=True)
    result = _import(text, classes)
    assert get_product(A).category == "Hot Drinks"
    assert (preview.updated, preview.unchanged) == (1, 0)
    assert (result.updated, result.unchanged) == (1, 0)


def test_dry_run_reports_but_changes_nothing(catalog, classes, assert_stock_matches_moves):
    before = _counts()
    stock_before = get_product(catalog.tea).stock
    text = HEADER + (
        f"{catalog.tea},Breakfast Tea 80 bags,2.50,Drinks,1.40,4,standard,2,hot;promo,each\n"
        f"{A},Brand New,1.00,New Category,,5,,,newtag,\n"
    )
    result = _import(text, classes, dry_run=True)
    assert (result.created, result.updated, result.stock_moves, result.dry_run) == (1, 1, 2, True)
    assert _counts() == before
    assert get_product(catalog.tea).stock == stock_before
    assert not Category.select().where(Category.name == "New Category").exists()
    assert_stock_matches_moves()


def test_a_failure_during_import_writes_nothing(store, classes, monkeypatch, assert_stock_matches_moves):
    _import(HEADER + f"{A},Tea Bags,2.50,,1.40,12\n", classes)
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("pos_tui.services.audit.record", broken)
    with pytest.raises(RuntimeError):
        _import(HEADER + f"{A},Tea Bags,2.50,,1.40,3\n{B},Water,0.99,Drinks,,8,,,cold,\n", classes)
    assert _counts() == before
    assert get_product(A).stock == Decimal(12)
    assert_stock_matches_moves()


# --- export -----------------------------------------------------------------------


def _values(rows: list[product_import.ProductRow]) -> list[tuple]:
    return sorted(
        (r.barcode, r.name, r.price, r.category, r.cost, r.stock, r.tax_class, r.reorder_level, r.tags, r.unit)
        for r in rows
    )


def test_export_round_trips_through_parse(store, classes):
    text = HEADER + (
        f'{A},"Tea, Bags ""Gold"" 80",2.50,Drinks,1.40,12,standard,3,hot;promo,each\n'
        f"{B},Water,0.99,,0.20,0,zero,0,,each\n"
        f"{W},Loose Apples,3.20,Fruit & Veg,2.00,2.125,zero,0.5,local,kg\n"
        f"{C},Old Stock,0.05,Drinks,0.00,1,reduced,0,,each\n"
    )
    original = product_import.parse_products(text, classes)
    product_import.import_products(Actor.cli(), original)
    Product.update(archived=True).where(Product.barcode == C).execute()

    exported = product_import.export_rows()
    assert {row["barcode"] for row in exported} == {A, B, W, C}  # archived too
    csv_text = product_import.to_csv(exported)
    assert csv_text.splitlines()[0] == HEADER.strip()
    assert _values(product_import.parse_products(csv_text, classes)) == _values(original)


def test_export_of_a_product_sold_below_zero_imports_back(store, classes, admin_actor):
    """The till sells what is on the shelf even when the books say none is left; the export must still re-import."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services.catalog import scan
    from pos_tui.services.sales import commit_sale

    _import(HEADER + f"{A},Tea Bags,2.50,,1.40,1\n", classes)
    cart = Cart()
    for _ in range(3):
        cart.add(scan(A, store.tax_rates()))
    from tests.conftest import open_test_shift

    open_test_shift(store, "1")
    commit_sale(admin_actor, cart, [Tender("card", 750)], lane="1")
    assert get_product(A).stock == Decimal(-2)

    csv_text = product_import.to_csv(product_import.export_rows())
    try:
        rows = product_import.parse_products(csv_text, classes)
    except ImportRejected as exc:
        pytest.fail(f"the export does not import back: {exc.problems}")
    assert rows[0].stock == Decimal(-2)
