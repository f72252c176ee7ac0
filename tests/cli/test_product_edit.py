"""`pos product add|edit|archive|unarchive|label`, the list filters, `pos category` and `pos tag`.

Every refusal is one `error:` line, a non-zero exit, and a database byte for
byte as it was (every table read past the application's own code).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

TEA = "5000000000012"
MILK = "5000000000029"
NEW = "4000000000013"
TABLES = ("product", "category", "tag", "product_tag", "stock_move", "audit_log", "print_job")


@pytest.fixture
def shop(store, pos, ok):
    """Two categories, a subcategory and two products added through the CLI."""
    ok(pos("category", "add", "Drinks"))
    ok(pos("category", "add", "Tea", "--parent", "Drinks"))
    ok(pos("category", "add", "Dairy"))
    ok(pos("product", "add", TEA, "Breakfast Tea", "--price", "2.50", "--cost", "1.40", "--category", "Tea",
           "--tag", "Hot", "--tag", "promo", "--stock", "10", "--reorder-level", "2"))
    ok(pos("product", "add", MILK, "Whole Milk 1L", "--price", "1.00", "--category", "Dairy", "--stock", "3",
           "--reorder-level", "4", "--tax-class", "reduced"))
    return store


@pytest.fixture
def dump(home: Path):
    """Every row of the catalogue's tables, straight from the file."""

    def read() -> dict[str, list[tuple]]:
        conn = sqlite3.connect(home / "pos.db")
        try:
            return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
        finally:
            conn.close()

    return read


def _show(pos, ok, barcode: str) -> dict:
    return json.loads(ok(pos("product", "show", barcode, "--json")))


def test_add_prints_the_product_and_files_its_opening_stock(shop, pos, ok, query, home):
    shown = _show(pos, ok, TEA)
    assert shown == {"barcode": TEA, "name": "Breakfast Tea", "price": "2.50", "cost": "1.40", "category": "Tea",
                     "tax_class": "standard", "unit": "each", "stock": "10", "reorder_level": "2",
                     "tags": ["hot", "promo"], "archived": False, "supplier": ""}
    assert query(home / "pos.db", "SELECT m.delta, m.reason, m.reference FROM stock_move m JOIN product p "
                 "ON p.id = m.product_id WHERE p.barcode = ?", TEA) == [(10_000, "receive", "opening stock")]
    out = ok(pos("product", "add", NEW, "Mints", "--price", "0.80", "--unit", "each"))
    assert out == f"added {NEW} Mints 0.80 (stock 0)\n"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        ((TEA, "Copy", "--price", "1.00"), ("barcode 5000000000012 is already used by 'Breakfast Tea'",)),
        (("4000000000018", "Mints", "--price", "1.00"), ("wrong check digit (expected 3)",)),
        ((NEW, "Mints", "--price", "-1.00"), ("price '-1.00' must not be negative",)),
        ((NEW, "Mints", "--price", "1.00", "--cost", "-0.10"), ("cost '-0.10' must not be negative",)),
        ((NEW, "Mints", "--price", "1.005"), ("not a money amount",)),
        ((NEW, "Mints", "--price", "1e3"), ("not a money amount",)),
        ((NEW, "Mints", "--price", "1.00", "--category", "Sweets"), ("no category 'Sweets'", "pos category add")),
        ((NEW, "Mints", "--price", "1.00", "--supplier", "Acme"), ("no supplier 'Acme'",)),
        ((NEW, "Mints", "--price", "1.00", "--tax-class", "luxury"), ("unknown tax class 'luxury'",)),
        ((NEW, "Mints", "--price", "1.00", "--stock", "-2"), ("must not be negative",)),
        ((NEW, "Mints", "--price", "1.00", "--unit", "box"), ("must be each or kg",)),
        ((NEW, " ", "--price", "1.00"), ("name is empty",)),
    ],
)
def test_bad_input_to_add_is_one_error_line_and_changes_nothing(shop, pos, refused, dump, args, fragments):
    before = dump()
    refused(pos("product", "add", *args), *fragments)
    assert dump() == before


def test_edit_changes_the_named_fields_and_says_what_changed(shop, pos, ok, query, home):
    out = ok(pos("product", "edit", TEA, "--price", "2.75", "--name", "Breakfast Tea 80", "--category", "Dairy",
                 "--tag", "winter"))
    assert out == (f"changed {TEA} Breakfast Tea 80: name Breakfast Tea -> Breakfast Tea 80; price 2.50 -> 2.75; "
                   "category Tea -> Dairy; tags hot, promo -> winter\n")
    shown = _show(pos, ok, TEA)
    assert (shown["price"], shown["category"], shown["tags"], shown["stock"], shown["cost"]) == (
        "2.75", "Dairy", ["winter"], "10", "1.40")
    assert ok(pos("product", "edit", TEA, "--price", "2.75")) == f"{TEA} Breakfast Tea 80: nothing changed\n"
    ok(pos("product", "edit", TEA, "--no-tags", "--category", ""))
    assert (_show(pos, ok, TEA)["tags"], _show(pos, ok, TEA)["category"]) == ([], "")
    details = query(home / "pos.db", "SELECT details FROM audit_log WHERE action = 'product.edit' ORDER BY id")
    assert json.loads(details[0][0])["changes"]["price"] == ["2.50", "2.75"]


def test_edit_a_new_barcode_keeps_the_stock_and_history(shop, pos, ok, refused, query, home):
    ok(pos("product", "edit", TEA, "--barcode", NEW))
    refused(pos("product", "show", TEA), repr(TEA))
    assert _show(pos, ok, NEW)["stock"] == "10"
    assert query(home / "pos.db", "SELECT count(*) FROM stock_move m JOIN product p ON p.id = m.product_id "
                 "WHERE p.barcode = ?", NEW) == [(1,)]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("--barcode", MILK), ("already used by 'Whole Milk 1L'",)),
        (("--barcode", "4000000000018"), ("wrong check digit",)),
        (("--price", "-2"), ("must not be negative",)),
        (("--cost", "-2"), ("must not be negative",)),
        (("--price", "3.00", "--category", "Sweets"), ("no category 'Sweets'",)),
        (("--tag", "x", "--no-tags"), ("--tag or --no-tags",)),
        ((), ("nothing to change",)),
        (("--name", ""), ("name is empty",)),
    ],
)
def test_bad_input_to_edit_is_one_error_line_and_changes_nothing(shop, pos, refused, dump, args, fragments):
    before = dump()
    refused(pos("product", "edit", TEA, *args), *fragments)
    assert dump() == before


def test_edit_of_an_unknown_product_is_refused(shop, pos, refused, dump):
    before = dump()
    refused(pos("product", "edit", NEW, "--price", "1.00"), f"no product with barcode '{NEW}'")
    assert dump() == before


def test_archive_hides_it_from_the_list_and_unarchive_brings_it_back(shop, pos, ok, refused, dump):
    assert ok(pos("product", "archive", MILK)) == f"archived {MILK} Whole Milk 1L\n"
    assert [p["barcode"] for p in json.loads(ok(pos("product", "list", "--json")))] == [TEA]
    assert [p["barcode"] for p in json.loads(ok(pos("product", "list", "--archived", "--json")))] == [TEA, MILK]
    before = dump()
    refused(pos("product", "archive", MILK), "already archived")
    assert dump() == before
    ok(pos("product", "unarchive", MILK))
    assert _show(pos, ok, MILK)["archived"] is False


def test_list_filters_by_category_tag_and_low_stock(shop, pos, ok, refused):
    def listed(*args: str) -> list[str]:
        return [p["barcode"] for p in json.loads(ok(pos("product", "list", "--json", *args)))]

    assert listed("--category", "Drinks") == [TEA]  # Tea is under Drinks
    assert listed("--category", "Dairy") == [MILK]
    assert listed("--tag", "hot") == [TEA]
    assert listed("--low") == [MILK]  # 3 <= 4
    assert listed("--low", "--category", "Drinks") == []
    assert listed("--search", "milk", "--category", "Dairy") == [MILK]
    assert MILK in ok(pos("product", "list", "--low"))
    refused(pos("product", "list", "--category", "Sweets"), "no category 'Sweets'")


def test_a_cashier_may_not_add_edit_or_archive(shop, pos, ok, refused, dump):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    before = dump()
    for args in (("product", "add", NEW, "Mints", "--price", "1.00"), ("product", "edit", TEA, "--price", "0.01"),
                 ("product", "archive", TEA), ("product", "label", TEA), ("category", "add", "Sweets"),
                 ("tag", "delete", "hot")):
        refused(pos(*args, "--as", "casey", "--password-stdin", input="1111\n"), "casey", "product.edit")
    after = dump()
    logins = after.pop("audit_log")[len(before["audit_log"]):]  # logging in as casey is audited; nothing else
    assert {row[2] for row in logins} <= {"login", "login.cli"}
    before.pop("audit_log")
    assert after == before


def test_a_supervisor_may_and_the_audit_names_them(shop, pos, ok, query, home):
    ok(pos("user", "add", "sam", "--role", "supervisor", "--password-stdin", input="super-pw\n"))
    ok(pos("product", "edit", TEA, "--price", "3.00", "--as", "sam", "--password-stdin", input="super-pw\n"))
    assert query(home / "pos.db", "SELECT username, target FROM audit_log WHERE action = 'product.edit'") == [("sam", TEA)]


# --- categories -----------------------------------------------------------------------------------


def test_category_commands(shop, pos, ok):
    listed = json.loads(ok(pos("category", "list", "--json")))
    assert listed == [
        {"name": "Dairy", "parent": None, "products": 1, "children": []},
        {"name": "Drinks", "parent": None, "products": 0, "children": ["Tea"]},
        {"name": "Tea", "parent": "Drinks", "products": 1, "children": []},
    ]
    assert ok(pos("category", "list")).splitlines()[2].startswith("  Tea")
    assert ok(pos("category", "rename", "Tea", "Hot drinks")) == "renamed category Tea to Hot drinks\n"
    assert _show(pos, ok, TEA)["category"] == "Hot drinks"
    assert ok(pos("category", "move", "Hot drinks", "--top")) == "moved category Hot drinks to the top\n"
    assert ok(pos("category", "move", "Drinks", "--parent", "Dairy")) == "moved category Drinks under Dairy\n"
    assert ok(pos("category", "delete", "Drinks")) == "deleted category Drinks\n"
    assert [c["name"] for c in json.loads(ok(pos("category", "list", "--json")))] == ["Dairy", "Hot drinks"]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("add", "Green", "--parent", "Tea"), ("two levels deep",)),
        (("move", "Dairy", "--parent", "Tea"), ("two levels deep",)),
        (("move", "Drinks", "--parent", "Dairy"), ("has subcategories",)),
        (("move", "Dairy"), ("--parent CATEGORY or --top",)),
        (("move", "Dairy", "--top", "--parent", "Drinks"), ("--parent CATEGORY or --top",)),
        (("add", "dairy"), ("already a category 'Dairy'",)),
        (("rename", "Tea", "Drinks"), ("already a category 'Drinks'",)),
        (("delete", "Dairy"), ("has 1 product",)),
        (("delete", "Drinks"), ("subcategories (Tea)",)),
        (("delete", "Sweets"), ("no category 'Sweets'",)),
    ],
)
def test_bad_category_commands_change_nothing(shop, pos, refused, dump, args, fragments):
    before = dump()
    refused(pos("category", *args), *fragments)
    assert dump() == before


# --- tags -----------------------------------------------------------------------------------------------


def test_tag_commands(shop, pos, ok):
    assert json.loads(ok(pos("tag", "list", "--json"))) == [{"name": "hot", "products": 1}, {"name": "promo", "products": 1}]
    assert ok(pos("tag", "add", "Winter")) == "added tag winter\n"
    assert ok(pos("tag", "assign", MILK, "winter")) == f"tagged {MILK} winter\n"
    assert ok(pos("tag", "rename", "winter", "cold")) == "renamed tag winter to cold (1 product(s))\n"
    assert _show(pos, ok, MILK)["tags"] == ["cold"]
    assert ok(pos("tag", "unassign", MILK, "cold")) == f"untagged {MILK} cold\n"
    assert ok(pos("tag", "delete", "promo")) == "deleted tag promo; taken off 1 product(s)\n"
    assert _show(pos, ok, TEA)["tags"] == ["hot"]
    assert "hot" in ok(pos("tag", "list"))


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("add", "HOT"), ("already a tag 'hot'",)),
        (("rename", "hot", "promo"), ("already a tag 'promo'",)),
        (("delete", "cold"), ("no tag 'cold'",)),
        (("assign", TEA, "hot"), ("already has tag 'hot'",)),
        (("assign", NEW, "hot"), ("no product with barcode",)),
        (("unassign", MILK, "hot"), ("has no tag 'hot'",)),
    ],
)
def test_bad_tag_commands_change_nothing(shop, pos, refused, dump, args, fragments):
    before = dump()
    refused(pos("tag", *args), *fragments)
    assert dump() == before


# --- labels ---------------------------------------------------------------------------------------------


def _file_printer(pos, ok, tmp_path: Path) -> Path:
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    for key, value in (("printer.type", "file"), ("printer.device", str(lp0)), ("printer.width", "32")):
        ok(pos("config", "set", key, value))
    return lp0


def _label_bytes(barcode: str, *lines: str) -> bytes:
    data = b"{B" + barcode.encode()
    bars = b"\x1ba\x01\x1dh\x40\x1dw\x03\x1df\x00\x1dH\x02\x1dkI" + bytes([len(data)]) + data
    return b"\x1b@\x1bt\x00" + b"".join(line.encode() + b"\n" for line in lines) + bars + b"\x1bd\x06\x1dV\x00"


def test_label_now_prints_each_copy_on_the_printer(shop, pos, ok, tmp_path, query, home):
    lp0 = _file_printer(pos, ok, tmp_path)

    out = ok(pos("product", "label", TEA, "--copies", "2", "--now"))

    assert out == f"queued 2 label(s) for {TEA} on lane 1\nprinted 2 job(s); 0 waiting\n"
    one = _label_bytes(TEA, "         Breakfast Tea", "", "              2.50", "")
    assert lp0.read_bytes() == one + one
    assert query(home / "pos.db", "SELECT target, details FROM audit_log WHERE action = 'product.label'") == [
        (TEA, '{"copies": 2, "lane": "1", "price": "2.50"}')]


def test_label_is_queued_for_the_till_and_pos_print_drain_prints_it(shop, pos, ok, tmp_path):
    lp0 = _file_printer(pos, ok, tmp_path)
    assert "the lane's till prints them" in ok(pos("product", "label", MILK))
    assert lp0.read_bytes() == b""
    assert [(j["kind"], j["state"]) for j in json.loads(ok(pos("print", "queue", "--json")))] == [("label", "queued")]
    ok(pos("print", "drain"))
    assert lp0.read_bytes() == _label_bytes(MILK, "         Whole Milk 1L", "", "              1.00", "")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [(("--copies", "0"), ("copies must be 1 to 100",)), (("--copies", "101"), ("copies must be 1 to 100",))],
)
def test_bad_label_requests_queue_nothing(shop, pos, refused, dump, args, fragments):
    before = dump()
    refused(pos("product", "label", TEA, *args), *fragments)
    refused(pos("product", "label", NEW), f"no product with barcode '{NEW}'")
    assert dump() == before
