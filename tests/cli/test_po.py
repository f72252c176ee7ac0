"""`pos po …`: suggest, create, edit, order, receive, cancel, list, show, export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

TEA, MILK = "5000000000012", "5000000000029"
CATALOG = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    f"{TEA},Breakfast Tea 80 bags,2.50,Drinks,1.40,1,standard,4,,each\n"
    f"{MILK},Whole Milk 1L,1.00,Dairy,0.60,5,reduced,1,,each\n"
)


@pytest.fixture
def shop(store, pos, ok, tmp_path: Path):
    """Two products (tea low: 1 on hand, level 4) and a supplier, Acme, who supplies the tea."""
    path = tmp_path / "products.csv"
    path.write_text(CATALOG, encoding="utf-8")
    ok(pos("product", "import", str(path)))
    ok(pos("supplier", "add", "Acme", "--contact", "Jo", "--lead-time", "3"))
    from pos_tui.db.models import Product, Supplier
    from pos_tui.services.store import open_store

    open_store(store)
    Product.update(supplier=Supplier.get(Supplier.name == "Acme").id).where(Product.barcode == TEA).execute()
    return store


def _stock(query, home, barcode: str) -> int:
    return query(home / "pos.db", "SELECT stock FROM product WHERE barcode = ?", barcode)[0][0] // 1000


def _state(query, home) -> list[tuple]:
    db = home / "pos.db"
    return [query(db, f"SELECT COUNT(*) FROM {t}")[0][0] for t in ("purchase_order", "purchase_order_line",
                                                                  "stock_move", "audit_log")] + [
        query(db, "SELECT number, status FROM purchase_order ORDER BY id"),
        query(db, "SELECT qty_ordered, qty_received FROM purchase_order_line ORDER BY id"),
        query(db, "SELECT stock FROM product ORDER BY id")]


def test_suggest_then_draft_from_suggestions_then_order_and_receive(shop, pos, ok, query, home):
    suggested = json.loads(ok(pos("po", "suggest", "--json")))
    assert [(s["barcode"], s["suggested"], s["supplier"], s["low"]) for s in suggested] == [(TEA, "3", "Acme", True)]
    out = ok(pos("po", "create", "--from-suggestions"))
    assert out.splitlines() == ["drafted PO-000001 to Acme: 1 lines"]
    assert json.loads(ok(pos("po", "suggest", "--json")))[0]["on_order"] == "3"
    ok(pos("po", "order", "PO-000001", "--reference", "phoned"))
    out = ok(pos("po", "receive", "PO-000001", "--all"))
    assert out == "PO-000001 received: 3 of 3 received\n"
    assert _stock(query, home, TEA) == 4
    assert query(home / "pos.db", "SELECT reason, reference, delta FROM stock_move WHERE reason = 'receive'") == [
        ("receive", "PO-000001", 3000)]
    assert "the database is sound" in ok(pos("db", "check"))


def test_create_by_hand_edit_show_list_and_export(shop, pos, ok, tmp_path):
    ok(pos("po", "create", "--supplier", "acme", "--line", f"{TEA}:12", "--line", f"{MILK}:6:0.55"))
    ok(pos("po", "edit", "1", "--line", f"{TEA}:10", "--remove", MILK))
    shown = json.loads(ok(pos("po", "show", "PO-000001", "--json")))
    assert (shown["status"], shown["total"]) == ("draft", "14.00")
    assert [(l["barcode"], l["qty_ordered"], l["unit_cost"]) for l in shown["lines"]] == [(TEA, "10", "1.40")]
    ok(pos("po", "create", "--supplier", "Acme"))
    listed = json.loads(ok(pos("po", "list", "--json")))
    assert [(o["number"], o["line_count"]) for o in listed] == [("PO-000002", 0), ("PO-000001", 1)]
    assert [o["number"] for o in json.loads(ok(pos("po", "list", "--status", "draft", "--supplier", "Acme",
                                                   "--json")))] == ["PO-000002", "PO-000001"]
    target = tmp_path / "po1.csv"
    ok(pos("po", "export", "PO-000001", str(target)))
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert ["supplier", "Acme"] in rows and ["contact", "Jo"] in rows
    assert [TEA, "Breakfast Tea 80 bags", "10", "1.40", "14.00"] in rows
    assert ok(pos("po", "export", "1")) == target.read_text(encoding="utf-8")


def test_receive_from_a_file_partly_then_the_rest_by_line(shop, pos, ok, query, home, tmp_path):
    ok(pos("po", "create", "--supplier", "Acme", "--line", f"{TEA}:12", "--line", f"{MILK}:6"))
    ok(pos("po", "order", "1"))
    note = tmp_path / "delivery.csv"
    note.write_text(f"barcode,qty\n{TEA},5\n", encoding="utf-8")
    assert ok(pos("po", "receive", "1", str(note))) == "PO-000001 partial: 5 of 18 received\n"
    assert ok(pos("po", "receive", "1", "--line", f"{TEA}:7", "--line", f"{MILK}:6")).startswith("PO-000001 received")
    assert (_stock(query, home, TEA), _stock(query, home, MILK)) == (1 + 12, 5 + 6)


@pytest.mark.parametrize("args, message", [
    (("create", "--supplier", "Nobody", "--line", f"{TEA}:1"), "no supplier named 'Nobody'"),
    (("create", "--supplier", "Acme", "--line", "4006381333931:1"), "no product with barcode"),
    (("create", "--supplier", "Acme", "--line", f"{TEA}:0"), "must be more than 0"),
    (("create", "--supplier", "Acme", "--line", f"{TEA}:-2"), "must be more than 0"),
    (("create", "--supplier", "Acme", "--line", f"{TEA}:2:-1.00"), "must not be negative"),
    (("create", "--supplier", "Acme", "--line", f"{TEA}"), "must look like BARCODE:QTY"),
    (("create", "--supplier", "Acme", "--from-suggestions"), "not both"),
    (("receive", "PO-000001", "--line", f"{TEA}:13"), "more than the 12 still expected"),
    (("receive", "PO-000001", "--line", f"{MILK}:1"), "is not on PO-000001"),
    (("receive", "PO-000001", "--line", f"{TEA}:0"), "must be more than 0"),
    (("receive", "PO-000001"), "say what arrived"),
    (("receive", "PO-000009", "--all"), "no purchase order"),
    (("receive", "PO-000001", "/no/such/file.csv"), "cannot read"),
    (("list", "--status", "lost"), "must be one of"),
])
def test_bad_input_is_one_error_line_and_changes_nothing(shop, pos, ok, refused, query, home, args, message):
    ok(pos("po", "create", "--supplier", "Acme", "--line", f"{TEA}:12"))
    ok(pos("po", "order", "1"))
    before = _state(query, home)
    refused(pos("po", *args), message)
    assert _state(query, home) == before


def test_a_cancelled_order_takes_no_goods(shop, pos, ok, refused, query, home):
    ok(pos("po", "create", "--supplier", "Acme", "--line", f"{TEA}:12"))
    ok(pos("po", "cancel", "1"))
    before = _state(query, home)
    refused(pos("po", "receive", "1", "--all"), "PO-000001 is cancelled")
    refused(pos("po", "cancel", "1"), "already cancelled")
    assert _state(query, home) == before


def test_a_cashier_may_not_order(shop, pos, ok, refused, query, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    refused(pos("po", "create", "--supplier", "Acme", "--as", "casey", "--password-stdin", input="1111\n"),
            "[stock.adjust]")
    assert query(home / "pos.db", "SELECT COUNT(*) FROM purchase_order") == [(0,)]
