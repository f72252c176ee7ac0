"""`pos product import|export|list|show`: the catalogue, all or nothing."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

MONEY = re.compile(r"^-?\d+\.\d\d$")
GOOD = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    "4010079190010,Sourdough Loaf 800g,3.20,Bakery,2.22,70,reduced,24,local,each\n"
    "7610158380027,White Sliced Bread 800g,1.45,Bakery,0.79,,reduced,8,,each\n"
    "2100001000004,Loose Bananas,1.10,Fruit & Veg,0.62,24.750,zero,2.000,organic;Local,kg\n"
)
SOURDOUGH = "4010079190010"


def _write(tmp_path: Path, text: str, name: str = "products.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _products(pos, ok) -> dict[str, dict]:
    return {p["barcode"]: p for p in json.loads(ok(pos("product", "list", "--json")))}


def _moves(query, home, barcode: str) -> list[tuple]:
    return query(
        home / "pos.db",
        "SELECT m.delta, m.reason FROM stock_move m JOIN product p ON p.id = m.product_id "
        "WHERE p.barcode = ? ORDER BY m.id",
        barcode,
    )


def test_a_good_file_imports_and_reports_its_counts(store, pos, ok, tmp_path):
    out = ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    assert out == "imported 3 rows: 3 new, 0 updated, 0 unchanged, 2 stock moves\n"
    products = _products(pos, ok)
    assert set(products) == {SOURDOUGH, "7610158380027", "2100001000004"}
    bananas = products["2100001000004"]
    assert (bananas["name"], bananas["price"], bananas["cost"], bananas["stock"]) == ("Loose Bananas", "1.10", "0.62", "24.750")
    assert (bananas["category"], bananas["tax_class"], bananas["unit"]) == ("Fruit & Veg", "zero", "kg")
    assert bananas["tags"] == ["local", "organic"]
    assert products["7610158380027"]["stock"] == "0"


@pytest.mark.parametrize("text", [GOOD, GOOD + "4010079190010,Twice,1.00\n"])  # imported; refused
def test_an_import_leaves_the_garbage_collector_on_as_it_found_it(store, pos, tmp_path, text):
    """The command pauses Python's cyclic GC while a big file goes in; a caller in the same process gets it back."""
    import gc

    assert gc.isenabled()
    pos("product", "import", str(_write(tmp_path, text)))
    assert gc.isenabled()


def test_import_writes_a_stock_move_for_opening_stock(store, pos, ok, query, home, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    assert _moves(query, home, SOURDOUGH) == [(70_000, "import")]
    assert _moves(query, home, "7610158380027") == []


def test_dry_run_checks_but_changes_nothing(store, pos, ok, query, home, tmp_path):
    out = ok(pos("product", "import", str(_write(tmp_path, GOOD)), "--dry-run"))

    assert out == "would import 3 rows: 3 new, 0 updated, 0 unchanged, 2 stock moves\n"
    assert _products(pos, ok) == {}
    assert query(home / "pos.db", "SELECT count(*) FROM stock_move") == [(0,)]
    assert query(home / "pos.db", "SELECT count(*) FROM audit_log WHERE action = 'product.import'") == [(0,)]


def test_dry_run_of_a_stock_change_leaves_the_stock(store, pos, ok, query, home, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))
    changed = _write(tmp_path, "barcode,name,price,stock\n4010079190010,Sourdough Loaf 800g,3.20,12\n", "changed.csv")

    out = ok(pos("product", "import", str(changed), "--dry-run"))

    assert out == "would import 1 rows: 0 new, 1 updated, 0 unchanged, 1 stock moves\n"
    assert _products(pos, ok)[SOURDOUGH]["stock"] == "70"
    assert _moves(query, home, SOURDOUGH) == [(70_000, "import")]


def test_reimport_with_changed_stock_updates_and_writes_a_stock_move(store, pos, ok, query, home, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))
    changed = _write(tmp_path, "barcode,name,price,stock\n4010079190010,Sourdough Loaf 800g,3.40,67\n", "changed.csv")

    out = ok(pos("product", "import", str(changed)))

    assert out == "imported 1 rows: 0 new, 1 updated, 0 unchanged, 1 stock moves\n"
    shown = json.loads(ok(pos("product", "show", SOURDOUGH, "--json")))
    assert (shown["stock"], shown["price"]) == ("67", "3.40")
    # columns the file leaves out keep their values
    assert (shown["category"], shown["cost"], shown["tax_class"], shown["tags"]) == ("Bakery", "2.22", "reduced", ["local"])
    assert _moves(query, home, SOURDOUGH) == [(70_000, "import"), (-3_000, "import")]


def test_reimporting_the_same_file_changes_nothing(store, pos, ok, query, home, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))
    no_tags = _write(tmp_path, "barcode,name,price,stock\n4010079190010,Sourdough Loaf 800g,3.20,70\n", "same.csv")

    out = ok(pos("product", "import", str(no_tags)))

    assert out == "imported 1 rows: 0 new, 0 updated, 1 unchanged, 0 stock moves\n"
    assert _moves(query, home, SOURDOUGH) == [(70_000, "import")]


BAD = (
    "barcode,name,price,tax_class\n"
    "4010079190011,Wrong Check Digit,1.00,\n"  # line 2
    "7610158380027,,1.00,\n"  # line 3
    "8010237570032,Negative,-1.00,\n"  # line 4
    "8710316760049,Comma Price,\"12,50\",\n"  # line 5
    "4010079190010,First,1.00,\n"  # line 6: good
    "4010079190010,Again,1.00,\n"  # line 7
    "5000112637922,Luxury,1.00,luxury\n"  # line 8
    "9300633603441,Fine,2.00,standard\n"  # line 9: good
)


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(store, pos, ok, refused, query, home, tmp_path):
    result = pos("product", "import", str(_write(tmp_path, BAD)))

    refused(result, "6 bad rows", "nothing was imported")
    problems = result.stderr.splitlines()[:-1]
    assert len(problems) == 6
    expected = {
        2: ["4010079190011", "check digit"],
        3: ["name is empty"],
        4: ["'-1.00'", "negative"],
        5: ["'12,50'", "not a money amount"],
        7: ["4010079190010", "repeats line 6"],
        8: ["'luxury'", "tax class"],
    }
    assert [int(re.match(r"line (\d+): ", p).group(1)) for p in problems] == sorted(expected)
    for problem in problems:
        for fragment in expected[int(problem.split()[1].rstrip(":"))]:
            assert fragment in problem, (fragment, problem)
    assert "Traceback" not in result.stderr
    assert _products(pos, ok) == {}
    assert query(home / "pos.db", "SELECT count(*) FROM stock_move") == [(0,)]


def test_a_bad_row_leaves_existing_products_untouched(store, pos, ok, refused, query, home, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))
    before = _products(pos, ok)
    mixed = _write(tmp_path, "barcode,name,price,stock\n4010079190010,Renamed,9.99,1\n7610158380027,Bad,abc,1\n", "mixed.csv")

    result = pos("product", "import", str(mixed))

    refused(result, "1 bad row;", "nothing was imported")
    assert result.stderr.splitlines()[0].startswith("line 3: ")
    assert _products(pos, ok) == before
    assert _moves(query, home, SOURDOUGH) == [(70_000, "import")]


def test_a_dry_run_of_a_bad_file_reports_the_same_rows(store, pos, refused, tmp_path):
    result = pos("product", "import", str(_write(tmp_path, BAD)), "--dry-run")

    refused(result, "6 bad rows")
    assert len(result.stderr.splitlines()) == 7


def test_a_row_with_more_fields_than_the_header_is_listed(store, pos, ok, refused, tmp_path):
    path = _write(tmp_path, "barcode,name,price\n4010079190010,Loaf,1.00,extra\n7610158380027,Bread,1.45\n")

    result = pos("product", "import", str(path))

    refused(result, "1 bad row")
    assert result.stderr.splitlines()[0] == "line 2: more fields than the header has"
    assert _products(pos, ok) == {}


def test_an_unknown_tax_class_imports_once_configured(store, pos, ok, refused, tmp_path):
    path = _write(tmp_path, "barcode,name,price,tax_class\n5000112637922,Truffles,30.00,luxury\n")
    refused(pos("product", "import", str(path)), "1 bad row")

    ok(pos("config", "set", "tax.rate.luxury", "25"))

    ok(pos("product", "import", str(path)))
    assert _products(pos, ok)["5000112637922"]["tax_class"] == "luxury"


@pytest.mark.parametrize(
    ("header", "fragments"),
    [
        ("barcode,name", ["line 1", "missing column(s) price"]),
        ("barcode,price", ["missing column(s) name"]),
        ("barcode,name,price,colour", ["line 1", "unknown column(s) colour"]),
    ],
)
def test_a_bad_header_is_refused_naming_the_column(store, pos, ok, refused, tmp_path, header, fragments):
    row = ",".join({"barcode": SOURDOUGH, "name": "Loaf", "price": "1.00", "colour": "red"}[c] for c in header.split(","))
    path = _write(tmp_path, f"{header}\n{row}\n")

    refused(pos("product", "import", str(path)), *fragments)

    assert _products(pos, ok) == {}


def test_a_file_that_is_not_utf8_is_refused(store, pos, ok, refused, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("barcode,name,price\n4010079190010,Café,1.00\n".encode("latin-1"))

    refused(pos("product", "import", str(path)), "latin1.csv", "UTF-8")

    assert _products(pos, ok) == {}


def test_a_utf8_file_with_a_byte_order_mark_imports(store, pos, ok, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("barcode,name,price\r\n4010079190010,Café au lait,1.00\r\n".encode("utf-8-sig"))

    ok(pos("product", "import", str(path)))

    assert _products(pos, ok)[SOURDOUGH]["name"] == "Café au lait"


def test_a_missing_file_is_refused(store, pos, refused, tmp_path):
    refused(pos("product", "import", str(tmp_path / "nope.csv")), "nope.csv")


def test_an_empty_file_is_refused(store, pos, refused, tmp_path):
    refused(pos("product", "import", str(_write(tmp_path, ""))), "empty", "barcode,name,price")


def test_a_directory_is_refused(store, pos, refused, tmp_path):
    refused(pos("product", "import", str(tmp_path)), str(tmp_path))


def test_import_on_a_missing_store_says_to_run_init(pos, refused, tmp_path):
    refused(pos("product", "import", str(_write(tmp_path, GOOD))), "pos init")


# --- export ---------------------------------------------------------------

TRICKY = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    '4010079190010,"Loaf, ""Sourdough"" 800g",3.20,Bakery,2.22,70,reduced,24,local;organic,each\n'
    "7610158380027,Crème fraîche 200ml,1.45,Dairy & Eggs,0.79,0,reduced,0,,each\n"
    "2100001000004,Loose Bananas,1.10,,0.62,24.750,zero,2.500,,kg\n"
)


def _round_trip(cli, ok, origin: str, target: str, tmp_path: Path) -> None:
    """Export from `origin` to a file, import it into `target`, export again: the same text."""
    first = tmp_path / "first.csv"

    result = cli("--home", origin, "product", "export", str(first))

    ok(result)
    exported = first.read_text(encoding="utf-8")
    count = len(exported.splitlines()) - 1
    assert count >= 3
    assert result.stdout == ""
    assert result.stderr == f"exported {count} products to {first}\n"
    ok(cli("--home", target, "product", "import", str(first)))
    assert ok(cli("--home", target, "product", "export")) == exported


def test_export_of_tricky_names_imports_back_identically(store, cli, ok, tmp_path):
    fresh = str(tmp_path / "fresh")
    ok(cli("--home", str(store.home), "product", "import", str(_write(tmp_path, TRICKY, "tricky.csv"))))
    ok(cli("--home", fresh, "init", "--admin", "a", "--password-stdin", input="pw-1234\n"))

    _round_trip(cli, ok, str(store.home), fresh, tmp_path)


def test_export_of_the_demo_catalogue_imports_back_identically(store, demo_store, cli, ok, tmp_path):
    _round_trip(cli, ok, str(demo_store.home), str(store.home), tmp_path)


def test_export_csv_has_the_import_columns(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, TRICKY))))

    rows = list(csv.DictReader(io.StringIO(ok(pos("product", "export", "--format", "csv")))))

    assert list(rows[0]) == ["barcode", "name", "price", "category", "cost", "stock", "tax_class",
                             "reorder_level", "tags", "unit"]
    by_code = {r["barcode"]: r for r in rows}
    assert by_code[SOURDOUGH]["name"] == 'Loaf, "Sourdough" 800g'
    assert by_code[SOURDOUGH]["tags"] == "local;organic"
    assert by_code["2100001000004"]["stock"] == "24.750"


def test_export_json_carries_the_same_products(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, TRICKY))))
    from_csv = list(csv.DictReader(io.StringIO(ok(pos("product", "export")))))

    from_json = json.loads(ok(pos("product", "export", "--format", "json")))

    assert from_json == from_csv
    for product in from_json:
        assert MONEY.match(product["price"]) and MONEY.match(product["cost"])


def test_export_of_an_empty_catalogue_is_just_the_header(store, pos, ok):
    assert ok(pos("product", "export")) == "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    assert json.loads(ok(pos("product", "export", "--format", "json"))) == []


@pytest.mark.parametrize("fmt", ["xml", "CSV", ""])
def test_a_bad_format_is_refused(store, pos, refused, tmp_path, fmt):
    target = tmp_path / "out.txt"

    result = pos("product", "export", str(target), "--format", fmt)

    refused(result, repr(fmt), "csv or json")
    assert result.stdout == ""
    assert not target.exists()


def test_export_to_an_unwritable_place_is_refused(store, pos, refused, tmp_path):
    refused(pos("product", "export", str(tmp_path / "no" / "such" / "dir.csv")), "cannot write")


# --- list and show --------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", {SOURDOUGH, "7610158380027", "2100001000004"}),
        ("sliced", {"7610158380027"}),  # part of a name, any case
        ("BANANA", {"2100001000004"}),
        ("761015", {"7610158380027"}),  # the start of a barcode
        ("bakery", {SOURDOUGH, "7610158380027"}),  # a category
        ("zzz-nothing", set()),
    ],
)
def test_list_search_matches_name_barcode_or_category(store, pos, ok, tmp_path, search, expected):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    found = json.loads(ok(pos("product", "list", "--search", search, "--json")))

    assert {p["barcode"] for p in found} == expected


def test_list_text_is_one_line_per_product_sorted_by_name(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    lines = ok(pos("product", "list")).splitlines()

    assert [line.split()[0] for line in lines] == ["2100001000004", SOURDOUGH, "7610158380027"]
    assert "3.20" in lines[1] and "70" in lines[1] and "Bakery" in lines[1]


def test_list_json_money_is_decimal_strings(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    for product in json.loads(ok(pos("product", "list", "--json"))):
        assert MONEY.match(product["price"]) and MONEY.match(product["cost"])
        assert product["archived"] is False


def test_list_on_an_empty_catalogue(store, pos, ok):
    assert ok(pos("product", "list")) == ""
    assert json.loads(ok(pos("product", "list", "--json"))) == []


def test_show_one_product(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    data = json.loads(ok(pos("product", "show", SOURDOUGH, "--json")))
    text = ok(pos("product", "show", SOURDOUGH))

    assert data == {
        "barcode": SOURDOUGH, "name": "Sourdough Loaf 800g", "price": "3.20", "cost": "2.22", "category": "Bakery",
        "tax_class": "reduced", "unit": "each", "stock": "70", "reorder_level": "24", "tags": ["local"],
        "archived": False, "supplier": "",
    }
    assert "Sourdough Loaf 800g" in text and "3.20" in text


@pytest.mark.parametrize("barcode", ["4010079190027", "not-a-code"])
def test_show_an_unknown_barcode_is_refused(store, pos, ok, refused, tmp_path, barcode):
    ok(pos("product", "import", str(_write(tmp_path, GOOD))))

    refused(pos("product", "show", barcode), repr(barcode))
    refused(pos("product", "show", barcode, "--json"), repr(barcode))
