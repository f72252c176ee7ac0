"""The till's product search (F2): what it finds, in which order, page by page.

Each behaviour is checked on every way the search can run: the SQLite indexes
of migration 0007 choosing to sort few candidates or to walk the names, and
the plain LIKE query PostgreSQL (or a store without the indexes) uses.
"""

from __future__ import annotations

import pytest
from peewee import SqliteDatabase

from pos_tui.db.models import Product, database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.services import catalog_search, product_import
from pos_tui.services.catalog import list_products
from pos_tui.services.context import Actor

PATHS = ("sort", "walk", "like")


@pytest.fixture(params=PATHS)
def path(request, store, monkeypatch) -> str:
    """Which way the search runs: `walk` treats every term as frequent, `like` drops the SQLite indexes."""
    if request.param != "like" and not isinstance(database.obj, SqliteDatabase):
        pytest.skip("the sort and walk paths need SQLite's search indexes; PostgreSQL runs the like path")
    if request.param == "walk":
        monkeypatch.setattr(catalog_search, "FEW", 1)
    if request.param == "like" and isinstance(database.obj, SqliteDatabase):  # PostgreSQL has no indexes to drop
        # Drop the triggers first: they write to the FTS table.
        for (name,) in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                            " AND name LIKE 'product_search%'").fetchall():
            database.execute_sql(f"DROP TRIGGER {name}")
        database.execute_sql(f"DROP TABLE {catalog_search.SEARCH_TABLE}")
        database.execute_sql(f"DROP INDEX {catalog_search.NAME_INDEX}")
    return request.param


def _code(n: int) -> str:
    return with_check_digit(f"49{n:010d}")


def _import(store, lines: list[str]) -> None:
    text = "barcode,name,price,category,tags\n" + "".join(line + "\n" for line in lines)
    rows = product_import.parse_products(text, set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="search.csv")


def names(term: str, **kwargs) -> list[str]:
    return [p.name for p in list_products(term, **kwargs)]


@pytest.fixture
def shop(store, path):
    _import(store, [
        f"{_code(1)},Whole Milk 1L,1.00,Dairy,",
        f"{_code(2)},Oat Drink,1.80,Drinks,vegan;dairy-free",
        f"{_code(3)},Breakfast Tea,2.50,Drinks,",
        f"{_code(4)},Steamed Buns,3.00,Bakery,",
        f"{_code(5)},红富士苹果,4.00,Fruit,",
        f"{_code(6)},苹果汁 1L,2.20,Drinks,",
        f"{_code(7)},青苹果,3.50,Fruit,",
        f"{_code(8)},牛奶,1.20,Dairy,",
        f"{_code(9)},MILK CHOCOLATE,1.50,Snacks,",
    ])


def test_search_finds_part_of_a_name_in_any_case(shop):
    for term in ("milk", "MILK", "mIlK"):
        assert names(term) == ["MILK CHOCOLATE", "Whole Milk 1L"]
    assert names("tea") == ["Breakfast Tea", "Steamed Buns"]
    assert names("nothing like this") == []


def test_search_finds_by_category_and_by_tag(shop):
    assert names("snacks") == ["MILK CHOCOLATE"]
    assert names("BAKERY") == ["Steamed Buns"]
    assert names("vegan") == ["Oat Drink"]
    # "dairy" is a category and a tag: both kinds of product, once each.
    assert names("dairy") == ["Oat Drink", "Whole Milk 1L", "牛奶"]


def test_search_finds_a_barcode_by_its_start(shop):
    assert names(_code(4)) == ["Steamed Buns"]
    assert names(_code(4)[:12]) == ["Steamed Buns"]
    assert len(names(_code(4)[:10])) == 9
    assert names(_code(4)[1:]) == []


@pytest.mark.parametrize("term, expected", [
    ("果", ["红富士苹果", "苹果汁 1L", "青苹果"]),
    ("苹果", ["苹果汁 1L", "红富士苹果", "青苹果"]),  # the name starting with the term first
    ("苹果汁", ["苹果汁 1L"]),
    ("富士苹果", ["红富士苹果"]),
    ("牛", ["牛奶"]),
    ("牛奶", ["牛奶"]),
])
def test_search_finds_chinese_terms_of_one_two_and_three_characters(shop, term, expected):
    assert names(term) == expected


def test_names_starting_with_the_term_come_first_then_by_name(shop, store):
    _import(store, [f"{_code(10)},milk powder,5.00,,", f"{_code(11)},Buttermilk,0.90,,"])
    assert names("milk") == ["MILK CHOCOLATE", "milk powder", "Buttermilk", "Whole Milk 1L"]


def test_an_archived_product_is_hidden_unless_asked_for(shop):
    Product.update(archived=True).where(Product.barcode == _code(1)).execute()
    assert names("milk") == ["MILK CHOCOLATE"]
    assert names("milk", limit=50) == ["MILK CHOCOLATE"]
    assert names("milk", include_archived=True) == ["MILK CHOCOLATE", "Whole Milk 1L"]


def test_a_product_added_or_renamed_by_import_is_found_by_its_new_name_at_once(shop, store):
    _import(store, [f"{_code(20)},Sourdough Loaf,3.20,Bakery,", f"{_code(3)},Green Tea Tin,4.10,Drinks,"])
    assert names("sourdough") == ["Sourdough Loaf"]
    assert names("green tea") == ["Green Tea Tin"]
    assert names("breakfast") == []
    assert names("tea") == ["Green Tea Tin", "Steamed Buns"]


def test_a_search_term_is_text_not_a_pattern(shop, store):
    _import(store, [f"{_code(30)},100% Juice,2.00,,", f"{_code(31)},Say \"Cheese\",2.00,,"])
    assert names("100%") == ["100% Juice"]
    assert names("0%_j") == []
    assert names('"cheese"') == ['Say "Cheese"']


def test_pages_of_a_search_have_no_duplicates_and_no_gaps(store, path):
    # Frequent and rare terms; two-character names exercise the LIKE walk too.
    olives = ("Olive Oil", "olive", "Black Olives")
    _import(store, [f"{_code(100 + i)},{olives[i % 3]} {i:03d},1.00,," for i in range(60)]
            + [f"{_code(200 + i)},苹果 {i:02d},1.00,," for i in range(25)])
    for term, size, total in (("olive", 7, 60), ("OLIVE oil", 6, 20), ("苹果", 4, 25), ("果", 9, 25)):
        everything = list_products(term)
        assert len(everything) == total, term
        paged = []
        for offset in range(0, total + size, size):  # one page past the end, which must be empty
            page = list_products(term, limit=size, offset=offset)
            assert len(page) == min(size, max(0, total - offset)), (term, offset)
            paged += page
        assert [p.id for p in paged] == [p.id for p in everything], term
        assert len({p.id for p in paged}) == total, term
