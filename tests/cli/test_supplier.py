"""`pos supplier …`: add, edit, archive, list and show, with one `error:` line for bad input."""

from __future__ import annotations

import json


def _suppliers(pos, ok, *flags: str) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads(ok(pos("supplier", "list", "--json", *flags)))}


def test_add_edit_show_and_list(store, pos, ok):
    ok(pos("supplier", "add", "Acme Foods", "--contact", "Jo", "--phone", "0123", "--email", "jo@acme.test",
           "--lead-time", "3", "--notes", "calls Mondays"))
    ok(pos("supplier", "add", "Dairy Direct"))
    shown = json.loads(ok(pos("supplier", "show", "acme foods", "--json")))
    assert (shown["name"], shown["contact"], shown["lead_time_days"], shown["products"], shown["open_orders"]) == (
        "Acme Foods", "Jo", 3, 0, 0)
    assert _suppliers(pos, ok)["Dairy Direct"]["lead_time_days"] == 7
    ok(pos("supplier", "edit", "Acme Foods", "--name", "Acme", "--lead-time", "10"))
    edited = _suppliers(pos, ok)["Acme"]
    assert (edited["lead_time_days"], edited["phone"], edited["notes"]) == (10, "0123", "calls Mondays")
    assert "Acme" in ok(pos("supplier", "list"))


def test_archive_and_unarchive_are_audited(store, pos, ok, query, home):
    ok(pos("supplier", "add", "Acme"))
    ok(pos("supplier", "archive", "Acme"))
    assert "Acme" not in _suppliers(pos, ok)
    assert _suppliers(pos, ok, "--archived")["Acme"]["archived"] is True
    ok(pos("supplier", "unarchive", "acme"))
    assert _suppliers(pos, ok)["Acme"]["archived"] is False
    actions = [a for (a,) in query(home / "pos.db", "SELECT action FROM audit_log WHERE target = 'Acme' ORDER BY id")]
    assert actions == ["supplier.add", "supplier.archive", "supplier.unarchive"]


def test_bad_input_is_one_error_line_and_changes_nothing(store, pos, ok, refused, query, home):
    ok(pos("supplier", "add", "Acme"))
    refused(pos("supplier", "add", "ACME"), "already exists")
    refused(pos("supplier", "add", "Slow", "--lead-time", "400"), "0 to 365")
    refused(pos("supplier", "add", "Slow", "--lead-time", "soon"), "--lead-time")
    refused(pos("supplier", "add", "Slow", "--email", "nope"), "not an address")
    refused(pos("supplier", "edit", "Nobody", "--phone", "1"), "no supplier named 'Nobody'")
    refused(pos("supplier", "show", "Nobody"), "no supplier")
    assert [n for (n,) in query(home / "pos.db", "SELECT name FROM supplier")] == ["Acme"]


def test_a_cashier_may_not_add_suppliers(store, pos, ok, refused, query, home):
    ok(pos("user", "add", "casey", "--role", "cashier", "--password-stdin", input="1111\n"))
    refused(pos("supplier", "add", "Acme", "--as", "casey", "--password-stdin", input="1111\n"), "[stock.adjust]")
    assert query(home / "pos.db", "SELECT COUNT(*) FROM supplier") == [(0,)]


def test_assign_makes_the_supplier_drive_the_products_reorders(store, pos, ok, refused, query, home, tmp_path):
    tea, milk = "5000000000012", "5000000000029"
    path = tmp_path / "p.csv"
    path.write_text("barcode,name,price,stock,reorder_level\n"
                    f"{tea},Tea,2.50,0,2\n{milk},Milk,1.00,0,1\n", encoding="utf-8")
    ok(pos("product", "import", str(path)))
    ok(pos("supplier", "add", "Acme", "--lead-time", "3"))
    refused(pos("supplier", "assign", "Acme", tea, "4006381333931"), "no product with barcode '4006381333931'")
    assert query(home / "pos.db", "SELECT COUNT(*) FROM product WHERE supplier_id IS NOT NULL") == [(0,)]
    assert ok(pos("supplier", "assign", "Acme", tea, milk)) == "2 products now supplied by Acme\n"
    assert json.loads(ok(pos("supplier", "show", "Acme", "--json")))["products"] == 2
    suggested = {s["barcode"]: s for s in json.loads(ok(pos("po", "suggest", "--json")))}
    assert (suggested[tea]["supplier"], suggested[tea]["lead_time_days"]) == ("Acme", 3)
