"""`pos order …`: taking, reviewing, shipping and tracking orders from the shell."""

from __future__ import annotations

import json

import pytest

from pos_tui.config import save_settings
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop

SAM = ("--as", "sam", "--password-stdin")
CATHY = ("--as", "cathy", "--password-stdin")


@pytest.fixture
def shop(store, admin_actor):
    shop = make_shop(store, admin_actor)
    save_settings(store)
    return shop


def test_create_show_and_list(shop, pos, ok):
    out = ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:2", "--line", f"{MILK}:1",
                 *CATHY, input="pw-cathy-1\n"))
    assert out.strip() == "ORD-000001 approved (auto: no rule matched): total 6.00, paid 6.00"
    data = json.loads(ok(pos("order", "show", "ORD-000001", "--json")))
    assert (data["customer"], data["address"], data["payment"], data["balance"]) == (
        "Ann Archer", "1 High Street\nLeeds LS1 1AA", "paid", "0.00")
    assert [(t["from"], t["to"], t["user"]) for t in data["timeline"]] == [(None, "draft", "cathy"),
                                                                           ("draft", "approved", "cathy")]
    assert [p["amount"] for p in data["payments"]] == ["6.00"]
    listed = json.loads(ok(pos("order", "list", "--json")))
    assert listed["counts"]["approved"] == 1 and listed["late"] == 0
    assert [o["number"] for o in listed["orders"]] == ["ORD-000001"]
    text = ok(pos("order", "show", "1"))
    assert "draft -> approved" in text and "to Ann Archer, +44 7700 900001: 1 High Street, Leeds LS1 1AA" in text


def test_a_delivery_without_an_address_is_refused_and_nothing_is_written(shop, pos, refused, query, home):
    result = pos("order", "create", "--customer", "BOB2", "--line", f"{TEA}:1")
    refused(result, "Bob Baker has no default address", "--address")
    assert query(home / "pos.db", "SELECT COUNT(*) FROM delivery_order") == [(0,)]
    assert query(home / "pos.db", "SELECT COUNT(*) FROM order_payment") == [(0,)]


@pytest.mark.parametrize("args, fragments", [
    (("--line", "nonsense:two"), ("quantity of nonsense 'two' is not a number",)),
    (("--line", "5000000000999:1"), ("not found: 5000000000999",)),
    ((), ("an order needs at least one --line BARCODE:QTY",)),
    (("--line", f"{TEA}:1", "--payment", "later"), ("payment must be one of paid, deposit, on_delivery",)),
    (("--line", f"{TEA}:2", "--payment", "deposit", "--deposit", "9.00"),
     ("a deposit must be more than 0.00 and less than the total 5.00, not 9.00",)),
    (("--line", f"{TEA}:1", "--customer", "Nobody"), ("no customer matches 'Nobody'",)),
    (("--line", f"{TEA}:1", "--expected", "soon"), ("--expected 'soon' is not a date",)),
])
def test_bad_create_input_gets_one_clear_line(shop, pos, refused, query, home, args, fragments):
    refused(pos("order", "create", "--customer", "ANN1", *args) if "--customer" not in args
            else pos("order", "create", *args), *fragments)
    assert query(home / "pos.db", "SELECT COUNT(*) FROM delivery_order") == [(0,)]


def test_from_pay_on_delivery_to_delivered(shop, pos, ok, refused):
    ok(pos("order", "create", "--customer", "BOB2", "--line", f"{TEA}:2", "--address", "9 Mill Lane\\nYork",
           "--payment", "on_delivery"))
    ok(pos("order", "pack", "1"))
    refused(pos("order", "ship", "1", "--carrier", "Pigeon", "--tracking", "X"),
            "unknown carrier 'Pigeon'; use one of Post, DPD, UPS, Courier")
    refused(pos("order", "deliver", "1"), "cannot deliver order ORD-000001: it is packed; allowed now: ship, cancel")
    refused(pos("order", "ship", "1", "--carrier", "DPD", "--tracking", "1Z9", *CATHY, input="pw-cathy-1\n"),
            "cathy (cashier) may not approve and ship delivery orders [order.approve]")
    out = ok(pos("order", "ship", "1", "--carrier", "dpd", "--tracking", "1Z9", "--expected", "2026-12-01",
                 "--cost", "4.95", "--service", "next-day", *SAM, input="pw-sam-12\n"))
    assert out.startswith("ORD-000001 shipped: total 5.00, paid 0.00, 5.00 still owed")
    out = ok(pos("order", "deliver", "1", "--tender", "cash", "--note", "paid the driver"))
    assert out.strip() == "ORD-000001 delivered: total 5.00, paid 5.00"
    data = json.loads(ok(pos("order", "show", "1", "--json")))
    assert [t["to"] for t in data["timeline"]] == ["draft", "approved", "packed", "shipped", "delivered"]
    assert (data["carrier"], data["service"], data["tracking_number"], data["shipping_cost"]) == (
        "DPD", "next-day", "1Z9", "4.95")
    assert data["address"] == "9 Mill Lane\nYork" and data["timeline"][-1]["note"] == "paid the driver"
    shift = json.loads(ok(pos("shift", "list", "--json")))[0]
    assert json.loads(ok(pos("shift", "show", str(shift["id"]), "--json")))["report"]["cash"]["orders"] == "5.00"


def test_review_from_the_shell_needs_the_permission_and_a_note(shop, pos, ok, refused, store):
    store.set("orders.review.total_above", "1.00")
    save_settings(store)
    assert "pending_review (total_above: 2.50 > 1.00)" in ok(pos("order", "create", "--customer", "ANN1",
                                                                  "--line", f"{TEA}:1"))
    refused(pos("order", "approve", "1", "--note", "ok", *CATHY, input="pw-cathy-1\n"), "[order.approve]")
    refused(pos("order", "approve", "1", *SAM, input="pw-sam-12\n"), "approving an order needs a note")
    assert "approved" in ok(pos("order", "approve", "1", "--note", "known customer", *SAM, input="pw-sam-12\n"))
    refused(pos("order", "reject", "1", "--note", "no"), "only an order pending review is rejected")
    assert json.loads(ok(pos("order", "list", "--status", "approved", "--json")))["orders"][0]["reviewed_by"] == "sam"
    refused(pos("order", "list", "--status", "lost"), "unknown order status 'lost'")


def test_cancel_and_return(shop, pos, ok, refused):
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1"))
    assert "cancelled" in ok(pos("order", "cancel", "1", "--note", "customer rang"))
    refused(pos("order", "pack", "1"), "cannot pack order ORD-000001: it is cancelled; allowed now: nothing")
    refused(pos("order", "return", "1"), "cannot return order ORD-000001: it is cancelled")
    refused(pos("order", "show", "ORD-000404"), "no order 'ORD-000404'; see `pos order list`")


def test_track_import_all_or_nothing(shop, pos, ok, refused, tmp_path):
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1"))
    ok(pos("order", "pack", "1"))
    ok(pos("order", "ship", "1", "--carrier", "UPS", "--tracking", "1Z1"))
    bad = tmp_path / "bad.csv"
    bad.write_text("tracking_number,status,time,note\n1Z1,delivered,,\nZZZ,delivered,,\n1Z1,packed,,\n",
                   encoding="utf-8")
    result = pos("order", "track-import", str(bad))
    line = refused(result, "2 bad rows; nothing was imported")
    assert result.stderr.splitlines()[:2] == ["line 3: no order has tracking number 'ZZZ'",
                                              "line 4: status 'packed' is not one of shipped, delivered, returned"]
    assert line == result.stderr.splitlines()[-1]
    assert json.loads(ok(pos("order", "show", "1", "--json")))["status"] == "shipped"
    good = tmp_path / "good.csv"
    good.write_text("tracking_number,status,time,note\n1Z1,shipped,,at depot\n1Z1,delivered,,signed\n",
                    encoding="utf-8")
    assert ok(pos("order", "track-import", str(good))).strip() == "1 status changes and 1 tracking notes on 1 orders"
    data = json.loads(ok(pos("order", "show", "1", "--json")))
    assert data["status"] == "delivered" and data["timeline"][-1]["source"] == "track-import"
    refused(pos("order", "track-import", str(tmp_path / "missing.csv")), "no file")


def test_late_orders_are_flagged_and_filtered(shop, pos, ok):
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1", "--expected", "2020-01-01"))
    ok(pos("order", "create", "--customer", "ANN1", "--line", f"{TEA}:1", "--expected", "2099-01-01"))
    listed = json.loads(ok(pos("order", "list", "--late", "--json")))
    assert [o["number"] for o in listed["orders"]] == ["ORD-000001"] and listed["late"] == 1
    text = ok(pos("order", "list"))
    assert text.splitlines()[1].startswith("ORD-000001  LATE approved")


def test_a_pickup_draft_without_a_customer_is_submitted_later(shop, pos, ok, refused):
    out = ok(pos("order", "create", "--pickup", "--line", f"{TEA}:2", "--payment", "deposit", "--deposit", "1.00",
                 "--tender", "card", "--draft"))
    assert out.strip() == "ORD-000001 draft: total 5.00, paid 1.00, 4.00 still owed"
    refused(pos("order", "pack", "1"), "cannot pack order ORD-000001: it is draft; allowed now: send to review, "
                                       "approve, cancel")
    assert ok(pos("order", "submit", "1")).startswith("ORD-000001 approved (auto: no rule matched)")
    data = json.loads(ok(pos("order", "show", "1", "--json")))
    assert (data["customer"], data["fulfilment"], data["address"]) == (None, "pickup", "")
    assert [(p["tender"], p["amount"]) for p in data["payments"]] == [("card", "1.00")]
