"""`pos stock receive|adjust|count|low|history`: every write a move; bad input one error line, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TEA, MILK, BANANAS = "4010079190010", "7610158380027", "2100001000004"
CATALOG = (
    "barcode,name,price,category,cost,stock,tax_class,reorder_level,tags,unit\n"
    f"{TEA},Breakfast Tea,3.20,Drinks,2.00,10,reduced,4,,each\n"
    f"{MILK},Whole Milk 1L,1.45,Dairy,0.79,3,reduced,5,,each\n"
    f"{BANANAS},Loose Bananas,1.10,Fruit,0.62,24.750,zero,0,,kg\n"
)


def _write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def shop(store, pos, ok, tmp_path):
    ok(pos("product", "import", str(_write(tmp_path, CATALOG, "catalog.csv"))))
    return store


def _stock(pos, ok) -> dict[str, str]:
    return {p["barcode"]: p["stock"] for p in json.loads(ok(pos("product", "list", "--json")))}


def _moves(query, home) -> int:
    return query(home / "pos.db", "SELECT COUNT(*) FROM stock_move")[0][0]


def test_receive_a_delivery_file(shop, pos, ok, query, home, tmp_path):
    path = _write(tmp_path, f"barcode,qty,unit_cost\n{TEA},12,2.10\n{BANANAS},5.250,\n", "dn.csv")
    out = ok(pos("stock", "receive", str(path), "--reference", "DN-77"))
    assert "received 2 lines" in out and "as DN-77" in out
    assert _stock(pos, ok)[TEA] == "22" and _stock(pos, ok)[BANANAS] == "30"
    product = json.loads(ok(pos("product", "show", TEA, "--json")))
    assert product["cost"] == "2.10"
    assert query(home / "pos.db", "SELECT reference FROM stock_move WHERE reason='receive'") == [("DN-77",), ("DN-77",)]


def test_receive_dry_run_changes_nothing(shop, pos, ok, query, home, tmp_path):
    path = _write(tmp_path, f"barcode,qty\n{TEA},12\n", "dn.csv")
    out = ok(pos("stock", "receive", str(path), "--reference", "DN-1", "--dry-run"))
    assert "would receive 1 lines" in out and _stock(pos, ok)[TEA] == "10"


def test_receive_refuses_a_broken_row_and_an_unknown_supplier(shop, pos, ok, refused, query, home, tmp_path):
    before = _moves(query, home)
    bad = _write(tmp_path, f'barcode,qty,unit_cost\n{TEA},2,1.00\n{MILK},"3,1.00\n', "bad.csv")
    result = pos("stock", "receive", str(bad), "--reference", "DN-2")
    refused(result, "1 bad row; nothing was imported")
    assert "line 3: broken CSV" in result.stderr
    good = _write(tmp_path, f"barcode,qty\n{TEA},2\n", "good.csv")
    refused(pos("stock", "receive", str(good), "--reference", "DN-2", "--supplier", "Acme"),
            "no supplier named 'Acme'", "pos supplier add")
    refused(pos("stock", "receive", str(good), "--reference", " "), "reference is required")
    assert _moves(query, home) == before


def test_adjust_with_a_reason_and_refuse_a_bad_one(shop, pos, ok, refused, query, home):
    out = ok(pos("stock", "adjust", TEA, "-2", "--reason", "damage", "--note", "crushed"))
    assert out.strip() == "Breakfast Tea: -2 (damage), stock now 8"
    before = _moves(query, home)
    refused(pos("stock", "adjust", TEA, "-1", "--reason", "lost"), "unknown adjustment reason 'lost'", "own_use")
    refused(pos("stock", "adjust", TEA, "two", "--reason", "theft"), "DELTA 'two' is not a number")
    refused(pos("stock", "adjust", "5000000000999", "1", "--reason", "found"), "no product with barcode")
    assert _moves(query, home) == before and _stock(pos, ok)[TEA] == "8"


def test_adjust_as_a_cashier_is_refused(shop, pos, ok, refused):
    ok(pos("user", "add", "kim", "--role", "cashier", "--password-stdin", input="4321\n"))
    refused(pos("stock", "adjust", TEA, "-1", "--reason", "theft", "--as", "kim", "--password-stdin", input="4321\n"),
            "stock.adjust")
    assert _stock(pos, ok)[TEA] == "10"


def test_count_applies_variances_and_dry_run_only_shows_them(shop, pos, ok, query, home, tmp_path):
    path = _write(tmp_path, f"barcode,counted\n{TEA},7\n{MILK},3\n", "count.csv")
    dry = ok(pos("stock", "count", str(path), "--dry-run"))
    assert "counted        7 -3" in dry and "would apply 1 variances (1 counts match); nothing changed" in dry
    assert _stock(pos, ok)[TEA] == "10"
    out = ok(pos("stock", "count", str(path)))
    assert "applied ST-1: 1 moves" in out
    assert _stock(pos, ok)[TEA] == "7"
    assert query(home / "pos.db", "SELECT reason, reference, delta FROM stock_move ORDER BY id DESC LIMIT 1") == [
        ("stocktake", "ST-1", -3000)]


def test_count_refuses_unknown_items_and_negative_counts_listing_each_line(shop, pos, ok, refused, query, home, tmp_path):
    before = _moves(query, home)
    path = _write(tmp_path, f"barcode,counted\n{TEA},7\n5000000000999,1\n{MILK},-4\n", "count.csv")
    result = pos("stock", "count", str(path))
    refused(result, "2 bad rows; nothing was imported")
    assert "line 3: no product with barcode 5000000000999" in result.stderr
    assert "line 4: counted '-4' must not be negative" in result.stderr
    refused(pos("stock", "count", str(path), "--reason", "guess"), "unknown stocktake reason 'guess'")
    assert _moves(query, home) == before and _stock(pos, ok)[TEA] == "10"


def test_low_and_history_read_back_as_json(shop, pos, ok):
    assert [i["barcode"] for i in json.loads(ok(pos("stock", "low", "--json")))] == [MILK]
    ok(pos("stock", "adjust", TEA, "-6", "--reason", "expiry"))
    assert {i["barcode"] for i in json.loads(ok(pos("stock", "low", "--json")))} == {TEA, MILK}
    moves = json.loads(ok(pos("stock", "history", TEA, "--json")))
    assert [(m["reason"], m["delta"], m["stock_after"]) for m in moves] == [("expiry", "-6", "4"), ("import", "10", "10")]
    text = ok(pos("stock", "history", TEA, "--limit", "1"))
    assert len(text.splitlines()) == 1 and "expiry" in text and "stock 4" in text


def test_receive_names_a_supplier_from_the_supplier_table(shop, pos, ok, refused, query, home, tmp_path):
    from pos_tui.db.models import Supplier

    Supplier.create(name="Dairy Direct")
    Supplier.create(name="Gone Ltd", archived=True)
    path = _write(tmp_path, f"barcode,qty\n{MILK},6\n", "dn.csv")
    refused(pos("stock", "receive", str(path), "--reference", "DN-8", "--supplier", "Gone Ltd"), "archived")
    out = ok(pos("stock", "receive", str(path), "--reference", "DN-8", "--supplier", "dairy direct"))
    assert out.splitlines()[-1].endswith("as DN-8 from Dairy Direct")
    details = query(home / "pos.db", "SELECT details FROM audit_log WHERE action = 'stock.receive'")
    assert len(details) == 1 and json.loads(details[0][0])["supplier"] == "Dairy Direct"


def test_count_json_lists_each_counted_line(shop, pos, ok, tmp_path):
    path = _write(tmp_path, f"barcode,counted\n{BANANAS},20.5\n", "count.csv")
    data = json.loads(ok(pos("stock", "count", str(path), "--json")))
    assert data["stocktake"] == "ST-1" and data["dry_run"] is False
    assert data["lines"] == [{"barcode": BANANAS, "name": "Loose Bananas", "on_hand": "24.750", "counted": "20.500",
                              "variance": "-4.250"}]  # quantities as `pos product list --json` shows them
