"""The set-wise product import: same results as the rules say, row for row, at a few thousand rows.

The import reads what exists in chunks and writes each kind of row in one
statement, dropping the search-index triggers inside its transaction. These
tests hold it to the documented rules on a mixed file (new, changed in every
way, unchanged), keep the search index exact, and show that a failure part
way through leaves nothing behind, triggers included.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.db.models import AuditLog, Category, Product, ProductTag, StockMove, Tag, database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.services import product_import, product_import_plan
from pos_tui.services.catalog import list_products
from pos_tui.services.context import Actor

HEADER = "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit"
CATEGORIES = ("Drinks", "Dairy", "Bakery")
TAGS = ("hot", "promo", "local", "vegan")
CLASSES = ("standard", "reduced", "zero")


def _code(n: int) -> str:
    return with_check_digit(f"46{n:010d}")


def _cells(name: str, price: int, category: str, cost: int, stock: str, tax: str, reorder: str, tags, unit: str) -> str:
    return ",".join((name, format_money(price), category, format_money(cost), stock, tax, reorder, ";".join(tags), unit))


def _seed_line(n: int, rng: random.Random) -> str:
    return f"{_code(n)}," + _cells(f"Old {n:05d}", rng.randrange(50, 900), rng.choice(CATEGORIES), rng.randrange(10, 40),
                                   str(rng.randrange(0, 30)), rng.choice(CLASSES), str(rng.randrange(0, 5)),
                                   sorted(rng.sample(TAGS, rng.randrange(0, 3))), "each")


def _state() -> dict[str, tuple]:
    return {p.barcode: (p.name, p.price, p.cost, p.tax_class, p.reorder_level, p.unit, p.category, p.stock, p.tags)
            for p in list_products(include_archived=True)}


def _moves() -> list[tuple[str, Decimal, str, str]]:
    query = (StockMove.select(Product.barcode, StockMove.delta, StockMove.reason, StockMove.reference)
             .join(Product).order_by(StockMove.id).tuples())
    return list(query)


def _expected(before: dict[str, tuple], rows: list[product_import.ProductRow]):
    """What the rules in product_import's docs say the import does, one row at a time."""
    after, moves, counts = dict(before), [], {"created": 0, "updated": 0, "unchanged": 0}
    for r in rows:
        old = before.get(r.barcode)
        if old is None:
            after[r.barcode] = (r.name, r.price, r.cost, r.tax_class, r.reorder_level, r.unit, r.category, r.stock, r.tags)
            counts["created"] += 1
            if r.stock:
                moves.append((r.barcode, r.stock, "import", "mixed.csv"))
            continue
        name, price, cost, tax, reorder, unit, category, stock, tags = old
        p = r.present
        new = (r.name, r.price, r.cost if "cost" in p else cost, r.tax_class if "tax_class" in p else tax,
               r.reorder_level if "reorder_level" in p else reorder, r.unit if "unit" in p else unit,
               r.category if "category" in p else category, r.stock if "stock" in p else stock,
               r.tags if "tags" in p else tags)
        after[r.barcode] = new
        counts["updated" if new != old else "unchanged"] += 1
        if new[7] != stock:
            moves.append((r.barcode, new[7] - stock, "import", "mixed.csv"))
    return after, moves, counts


def _search_index_is_exact() -> None:
    """FTS5's own check of the index against the product names (raises when they differ)."""
    database.execute_sql("INSERT INTO product_search (product_search, rank) VALUES ('integrity-check', 1)")


def _names_found(term: str) -> list[str]:
    return [p.name for p in list_products(term, include_archived=True)]


@pytest.fixture
def seeded(store):
    """1,500 products imported from a file, each with its category, tags and opening stock."""
    rng = random.Random(3)
    text = HEADER + "\n" + "\n".join(_seed_line(n, rng) for n in range(1500)) + "\n"
    product_import.import_products(Actor.cli(), product_import.parse_products(text, set(CLASSES)), source="seed.csv")
    return store


def _mixed_file(rng: random.Random) -> str:
    """2,000 rows: 500 new, 1,000 of the seeded products changed in every way a file can, 500 unchanged."""
    lines = [HEADER]
    seeded = {p.barcode: p for p in list_products(include_archived=True)}
    for n in range(2000):
        code = _code(n if n < 1500 else 10_000 + n)
        p = seeded.get(code)
        if p is None:
            lines.append(f"{code}," + _cells(f"New {n:05d}", rng.randrange(50, 900), rng.choice(CATEGORIES + ("Frozen",)),
                                             20, str(rng.randrange(0, 3)), "standard", "", [rng.choice(TAGS + ("new",))],
                                             "each"))
            continue
        cells = [p.name, format_money(p.price), p.category, format_money(p.cost), format_qty(p.stock), p.tax_class,
                 format_qty(p.reorder_level), ";".join(p.tags), p.unit]
        kind = n % 3 if n < 1000 else None
        if kind == 0:
            cells[0], cells[8] = f"Renamed {n:05d}", rng.choice(("each", "kg"))
        if kind == 1:  # new price and cost, and a stocktake
            cells[1], cells[3], cells[4] = format_money(p.price + 5), format_money(p.cost + 1), str(rng.randrange(0, 30))
        if kind == 2:
            cells[2], cells[7] = rng.choice(("Snacks", "", "Dairy")), rng.choice(("", "promo;vegan", "local"))
            cells[5], cells[6] = rng.choice(CLASSES), str(rng.randrange(0, 5))
        if n % 7 == 0 and n < 1000:
            cells[3] = cells[5] = cells[6] = cells[8] = ""  # empty cells keep the product's values
        lines.append(f"{code}," + ",".join(cells))
    return "\n".join(lines) + "\n"


def test_a_mixed_file_does_what_the_rules_say_row_for_row(seeded, assert_stock_matches_moves):
    text = _mixed_file(random.Random(11))
    rows = product_import.parse_products(text, set(CLASSES))
    before, moves_before = _state(), _moves()
    expected, new_moves, counts = _expected(before, rows)

    preview = product_import.import_products(Actor.cli(), rows, dry_run=True, source="mixed.csv")
    assert (_state(), _moves()) == (before, moves_before)
    result = product_import.import_products(Actor.cli(), rows, source="mixed.csv")

    assert (result.created, result.updated, result.unchanged) == (counts["created"], counts["updated"], counts["unchanged"])
    assert (preview.created, preview.updated, preview.unchanged, preview.stock_moves) == (
        result.created, result.updated, result.unchanged, result.stock_moves)
    assert result.created == 500 and result.unchanged >= 400  # the file really is mixed
    assert _state() == expected
    assert _moves() == moves_before + new_moves and result.stock_moves == len(new_moves)
    assert {c.name for c in Category.select()} >= {"Frozen", "Snacks"}
    entry = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert (entry.action, entry.target) == ("product.import", "mixed.csv")
    assert_stock_matches_moves()


@pytest.mark.sqlite_only("SQLite's FTS5 search index and triggers")
def test_search_finds_imported_and_renamed_products_and_not_old_names(seeded):
    product_import.import_products(Actor.cli(), product_import.parse_products(_mixed_file(random.Random(5)), set(CLASSES)),
                                   source="mixed.csv")
    _search_index_is_exact()
    assert _names_found("New 01733") == ["New 01733"]
    assert _names_found("Renamed 00030") == ["Renamed 00030"]
    assert _names_found("Old 00030") == []
    assert _names_found("Old 00031") == ["Old 00031"]  # a price change leaves the name, and the index, alone
    # The triggers are back: a product added the ordinary way is found too.
    Product.create(barcode=_code(99_999), name="Plain Scones", price=120)
    assert _names_found("Scones") == ["Plain Scones"]


@pytest.mark.sqlite_only("SQLite's FTS5 search index and triggers")
def test_the_search_triggers_are_back_as_they_were_after_an_import(seeded):
    sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = database.execute_sql(sql).fetchall()
    assert (("product_search_insert", product_import_plan.SEARCH_INSERT) in before
            and ("product_search_rename", product_import_plan.SEARCH_RENAME) in before), \
        "migration 0007's triggers changed: update SEARCH_INSERT/SEARCH_RENAME, or imports index row by row"
    product_import.import_products(Actor.cli(), product_import.parse_products(_mixed_file(random.Random(5)), set(CLASSES)))
    assert database.execute_sql(sql).fetchall() == before


def _counts() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (Product, Category, Tag, ProductTag, StockMove, AuditLog))


@pytest.mark.parametrize("when", ["insert", "update"])
@pytest.mark.sqlite_only("SQLite's FTS5 search index and triggers")
def test_a_row_refused_by_the_database_midway_leaves_nothing_written(seeded, when, assert_stock_matches_moves):
    """A row the file's checks pass but the database refuses (here a trigger; on PostgreSQL a column limit)."""
    text = _mixed_file(random.Random(5))
    target = _code(11_733) if when == "insert" else "Renamed 00030"
    column = "barcode" if when == "insert" else "name"
    database.execute_sql(f"CREATE TEMP TRIGGER refuse BEFORE {when.upper()} ON main.product "
                         f"WHEN new.{column} = '{target}' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    triggers = database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    before, state = _counts(), _state()

    with pytest.raises(Exception, match="refused"):
        product_import.import_products(Actor.cli(), product_import.parse_products(text, set(CLASSES)))

    assert (_counts(), _state()) == (before, state)
    assert database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall() == triggers
    _search_index_is_exact()
    assert _names_found("Old 00030") == ["Old 00030"]
    assert_stock_matches_moves()


# --- the quick reader agrees with the careful one ------------------------------------

CELL = {
    "barcode": st.sampled_from([_code(1), _code(2), " " + _code(3) + " ", _code(4)[:-1] + "0", "12345", "", "４６00"]),
    "name": st.sampled_from(["Tea", "  Tea  ", "", " ", "x" * 128, "x" * 129, "Café"]),
    "price": st.sampled_from(["2.50", " 2.5 ", "0", "-1", "1,50", "", "abc", "1.234"]),
    "category": st.sampled_from(["", "Drinks", " Drinks ", "c" * 64, "c" * 65]),
    "cost": st.sampled_from(["", "1.40", "-2", "x"]),
    "stock": st.sampled_from(["", "12", "-3", "2.125", "1.2345", " 7 ", "e"]),
    "tax_class": st.sampled_from(["", "standard", "zero", "luxury", " reduced "]),
    "reorder_level": st.sampled_from(["", "3", "-1", "0.5"]),
    "tags": st.sampled_from(["", "hot", "Promo; hot ;promo", ";;", "t" * 65]),
    "unit": st.sampled_from(["", "each", "kg", "box", " kg "]),
}


@settings(max_examples=300, deadline=None)
@given(columns=st.lists(st.sampled_from(product_import.OPTIONAL), unique=True).map(
    lambda optional: list(product_import.REQUIRED) + optional), data=st.data())
def test_the_quick_reader_reads_every_row_as_the_careful_one_does(columns, data):
    cells = [data.draw(CELL[c]) for c in columns]
    quick = product_import._QuickRows(columns, set(CLASSES)).row(7, cells)
    try:
        careful = product_import._parse_row(7, product_import._as_dict(columns, cells), set(CLASSES))
    except product_import.ValidationError:
        careful = None
    assert quick == careful  # the same row for a good one; None (the careful reader names the problems) for a bad one


@pytest.mark.parametrize("refused", [False, True])
@pytest.mark.sqlite_only("SQLite's schema; the product indexes are set aside on SQLite only")
def test_a_new_catalogue_leaves_the_product_indexes_as_they_were(store, refused):
    """A load that at least doubles the catalogue makes the product's plain indexes after its rows; they are
    back as they were, and consistent with the table, whether it succeeds or a row is refused midway."""
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'product' ORDER BY name"
    before, counts = database.execute_sql(schema).fetchall(), _counts()
    assert any(kind == "index" and sql and "UNIQUE" not in sql for kind, _, sql in before), before  # something set aside
    rng = random.Random(3)
    text = HEADER + "\n" + "\n".join(_seed_line(n, rng) for n in range(1500)) + "\n"
    rows = product_import.parse_products(text, set(CLASSES))
    if refused:
        database.execute_sql("CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.stock_move "
                             "WHEN new.product_id > 1000 BEGIN SELECT RAISE(ABORT, 'refused'); END")
        with pytest.raises(Exception, match="refused"):
            product_import.import_products(Actor.cli(), rows)
        assert _counts() == counts
    else:
        product_import.import_products(Actor.cli(), rows)
        assert Product.select().count() == counts[0] + 1500
        assert _names_found("Old 00042") == ["Old 00042"]
    assert database.execute_sql(schema).fetchall() == before
    assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
