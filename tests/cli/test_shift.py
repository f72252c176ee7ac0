"""`pos shift list|show|report`: the shifts from the shell, the Z report exactly as printed."""

from __future__ import annotations

import json

from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import product_import, sales, shifts
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor

TEA = "5000000000012"
FLOAT = {"20.00": 5}


def _day(store, actor) -> int:
    """Lane 1: shift 1 closed after a cash sale and a card sale; shift 2 open. Returns the closed shift's id."""
    store.set("backup.on_shift_close", "false")
    rows = product_import.parse_products(f"barcode,name,price,stock\n{TEA},茶 Tea,2.50,10\n", set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="test.csv")
    first = shifts.open_shift(actor, store, lane="1", counts=FLOAT).shift
    for tender in (Tender("cash", 500), Tender("card", 250)):
        cart = Cart()
        cart.add(scan(TEA, store.tax_rates()))
        sales.commit_sale(actor, cart, [tender], lane="1", settings=store)
    shifts.close_shift(actor, store, lane="1", counts={"20.00": 5, "1.00": 2, "0.25": 2}, batch_totals={"card": 250})
    shifts.open_shift(actor, store, lane="1", counts=FLOAT)
    return first.id


def test_list_shows_each_shift_newest_first(store, admin_actor, pos, ok):
    _day(store, admin_actor)
    listed = json.loads(ok(pos("shift", "list", "--json")))
    assert [(s["number"], s["state"]) for s in listed] == [(2, "open"), (1, "closed")]
    assert (listed[1]["float"], listed[1]["counted"], listed[1]["over_short"]) == ("100.00", "102.50", "0.00")
    text = ok(pos("shift", "list", "--lane", "1"))
    assert "open" in text.splitlines()[0] and "over/short 0.00" in text.splitlines()[1]
    assert json.loads(ok(pos("shift", "list", "--lane", "9", "--json"))) == []


def test_report_prints_the_stored_z_byte_for_byte(store, admin_actor, pos, ok):
    shift_id = _day(store, admin_actor)
    from pos_tui.db.models import Shift

    stored = Shift.get_by_id(shift_id).z_report
    assert ok(pos("shift", "report", str(shift_id))) == stored + "\n"
    data = json.loads(ok(pos("shift", "report", str(shift_id), "--format", "json")))
    assert data["kind"] == "Z" and data["text"] == stored
    assert data["cash"]["expected"] == "102.50" and data["batch"][0]["difference"] == "0.00"


def test_show_gives_the_x_figures_of_an_open_shift(store, admin_actor, pos, ok):
    _day(store, admin_actor)
    open_id = shifts.current_shift("1").id
    data = json.loads(ok(pos("shift", "show", str(open_id), "--json")))
    assert data["state"] == "open" and data["report"]["kind"] == "X"
    assert data["report"]["cash"]["expected"] == "100.00"
    assert "X REPORT" in ok(pos("shift", "report", str(open_id)))


def test_bad_ids_and_formats_get_one_clear_line(store, pos, refused):
    refused(pos("shift", "show", "42"), "no shift with id 42")
    refused(pos("shift", "report", "abc"), "must be a number")
    refused(pos("shift", "report", "1", "--format", "pdf"), "--format must be text or json")
