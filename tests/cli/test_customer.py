"""`pos customer …`: add, edit, find, show with history, import/export; bad input changes nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

GOOD = (
    "name,phone,email,loyalty_code,notes,label,recipient,street,city,postcode\n"
    "Ann Lee,+44 7700 900123,ann@example.com,lc1,likes rye,home,,12 Mill Lane,Leeds,ls6 2ab\n"
    "Bob Hay,0113 496 0000,,,,,,,,\n"
)


def _write(tmp_path: Path, text: str, name: str = "customers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _everything(query, home) -> list:
    db = home / "pos.db"
    return [query(db, "SELECT * FROM customer ORDER BY id"), query(db, "SELECT * FROM customer_address ORDER BY id"),
            query(db, "SELECT count(*) FROM audit_log")]


def _list(pos, ok, *args: str) -> list[dict]:
    return json.loads(ok(pos("customer", "list", "--json", *args)))


def test_add_with_an_address_then_find_it_by_postcode(store, pos, ok):
    out = ok(pos("customer", "add", "Ann Lee", "--phone", "+44 7700 900123", "--email", "ann@example.com",
                 "--loyalty", "lc1", "--street", "12 Mill Lane", "--city", "Leeds", "--postcode", "ls6 2ab"))
    assert out.startswith("added customer #") and out.endswith("Ann Lee (LC1)\n")
    [ann] = _list(pos, ok, "--search", "LS6 2AB")
    assert (ann["name"], ann["loyalty_code"], ann["phone"]) == ("Ann Lee", "LC1", "+44 7700 900123")
    shown = json.loads(ok(pos("customer", "show", "LC1", "--json")))
    assert [(a["street"], a["postcode"], a["default"]) for a in shown["addresses"]] == [("12 Mill Lane", "LS6 2AB", True)]
    assert (shown["visits"], shown["spent"], shown["purchases"]) == (0, "0.00", [])


@pytest.mark.parametrize("args, fragments", [
    (("add", ""), ("name is empty",)),
    (("add", "Bo", "--email", "bo@"), ("not an address like name@example.com",)),
    (("add", "Bo", "--phone", "ring me"), ("not a phone number",)),
    (("add", "Bo", "--city", "Leeds"), ("needs a street",)),
    (("add", "Bo", "--loyalty", "LC1"), ("LC1 already belongs to Ann",)),
    (("edit", "LC1"), ("nothing to change",)),
    (("edit", "NOPE", "--name", "X"), ("no customer",)),
    (("edit", "LC1", "--email", "x@y"), ("not an address",)),
    (("delete", "NOPE"), ("no customer",)),
    (("address", "remove", "999"), ("no address #999",)),
    (("address", "add", "LC1", "--street", " "), ("needs a street",)),
    (("show", "NOPE"), ("no customer",)),
    (("export", "--format", "xml"), ("must be csv or json",)),
])
def test_bad_input_is_one_error_line_and_changes_nothing(store, pos, ok, refused, query, home, args, fragments):
    ok(pos("customer", "add", "Ann", "--loyalty", "LC1"))
    before = _everything(query, home)
    refused(pos("customer", *args), *fragments)
    assert _everything(query, home) == before


def test_edit_changes_what_is_given_and_clears_with_an_empty_value(store, pos, ok):
    ok(pos("customer", "add", "Ann", "--loyalty", "LC1", "--phone", "0113 496 0000", "--email", "ann@example.com"))
    ok(pos("customer", "edit", "lc1", "--name", "Anne", "--email", ""))
    [ann] = _list(pos, ok)
    assert (ann["name"], ann["phone"], ann["email"]) == ("Anne", "0113 496 0000", "")


def test_a_cashier_may_add_but_not_edit(demo_store, cli, ok, refused):
    home = str(demo_store.home)
    ok(cli("--home", home, "customer", "add", "Walk In", "--as", "cashier", "--password-stdin", input="1111\n"))
    refused(cli("--home", home, "customer", "edit", "LC000101", "--name", "X", "--as", "cashier",
                "--password-stdin", input="1111\n"), "product.edit")


def test_addresses_add_default_and_remove(store, pos, ok):
    ok(pos("customer", "add", "Ann", "--loyalty", "LC1", "--street", "1 Home St"))
    out = ok(pos("customer", "address", "add", "LC1", "--street", "2 Work Rd", "--label", "work"))
    work_id = out.split("#")[1].split(":")[0]
    ok(pos("customer", "address", "default", work_id))
    addresses = json.loads(ok(pos("customer", "show", "LC1", "--json")))["addresses"]
    assert [(a["street"], a["default"]) for a in addresses] == [("2 Work Rd", True), ("1 Home St", False)]
    ok(pos("customer", "address", "remove", work_id))
    addresses = json.loads(ok(pos("customer", "show", "LC1", "--json")))["addresses"]
    assert [(a["street"], a["default"]) for a in addresses] == [("1 Home St", True)]


def test_import_export_round_trip_and_a_bad_file_imports_nothing(store, pos, ok, refused, query, home, tmp_path):
    assert ok(pos("customer", "import", str(_write(tmp_path, GOOD)), "--dry-run")) == (
        "would import 2 rows: 2 new, 0 updated, 0 unchanged\n")
    assert _list(pos, ok) == []
    assert ok(pos("customer", "import", str(_write(tmp_path, GOOD)))) == (
        "imported 2 rows: 2 new, 0 updated, 0 unchanged\n")
    exported = ok(pos("customer", "export"))
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["name"], r["loyalty_code"], r["postcode"]) for r in rows] == [("Ann Lee", "LC1", "LS6 2AB"),
                                                                             ("Bob Hay", "", "")]
    assert ok(pos("customer", "import", str(_write(tmp_path, exported, "again.csv")))) == (
        "imported 2 rows: 0 new, 0 updated, 2 unchanged\n")

    before = _everything(query, home)
    bad = _write(tmp_path, GOOD + "Cy,,cy@,,,,,,,\nDee,,,LC1,,,,,,\n", "bad.csv")
    result = pos("customer", "import", str(bad))
    refused(result, "2 bad rows; nothing was imported")
    assert "line 4:" in result.stderr and "line 5: loyalty code LC1 repeats line 2" in result.stderr
    assert _everything(query, home) == before
    refused(pos("customer", "import", str(tmp_path / "missing.csv")), "no file")


def test_export_json_to_a_file(store, pos, ok, tmp_path):
    ok(pos("customer", "add", "Ann", "--loyalty", "LC1"))
    target = tmp_path / "out.json"
    result = pos("customer", "export", str(target), "--format", "json")
    ok(result)
    assert "exported 1 customers" in result.stderr
    assert [r["loyalty_code"] for r in json.loads(target.read_text())] == ["LC1"]


def test_show_lists_the_demo_customers_purchases_newest_first(demo_store, cli, ok):
    home = str(demo_store.home)
    regulars = [c for c in json.loads(ok(cli("--home", home, "customer", "list", "--json")))]
    detail = None
    for c in regulars:
        data = json.loads(ok(cli("--home", home, "customer", "show", str(c["id"]), "--json")))
        if data["visits"]:
            detail = data
            break
    assert detail is not None, "no demo customer has a purchase"
    times = [p["time"] for p in detail["purchases"]]
    assert times == sorted(times, reverse=True) and detail["last_visit"] == times[0]
    text = ok(cli("--home", home, "customer", "show", str(detail["id"])))
    assert f"visits        {detail['visits']}, spent {detail['spent']}" in text
    assert detail["purchases"][0]["receipt_no"] in text
