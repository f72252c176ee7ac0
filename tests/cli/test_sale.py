"""`pos sale list|show` on the demo shop's 90 days of sales (shop zone Europe/London)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

MONEY = re.compile(r"^-?\d+\.\d\d$")
SALE_KEYS = {"receipt_no", "time", "cashier", "status", "training", "subtotal", "discount", "tax", "total",
             "lines", "tenders"}
LONDON = ZoneInfo("Europe/London")
RECENT = "2026-11-20"


@pytest.fixture
def demo(demo_store, cli):
    def run(*args: str):
        return cli("--home", str(demo_store.home), *args)

    return run


def _check_sale(sale: dict) -> None:
    """The documented shape, with money as decimal strings and a zoned time."""
    assert SALE_KEYS <= set(sale)
    assert sale["receipt_no"] and sale["cashier"] and sale["status"]
    assert isinstance(sale["training"], bool)
    when = datetime.fromisoformat(sale["time"])
    assert when.tzinfo is not None and when.utcoffset() is not None
    assert re.search(r"[+-]\d\d:\d\d$", sale["time"])
    for key in ("subtotal", "discount", "tax", "total"):
        assert MONEY.match(sale[key]), (key, sale[key])
    assert sale["lines"] and sale["tenders"]
    for line in sale["lines"]:
        assert line["name"]
        for key in ("unit_price", "discount", "tax", "total"):
            assert MONEY.match(line[key]), (key, line[key])
    for tender in sale["tenders"]:
        assert tender["tender"]
        for key in ("amount", "tendered", "change"):
            assert MONEY.match(tender[key]), (key, tender[key])
    total = Decimal(sale["total"])
    assert sum(Decimal(t["amount"]) for t in sale["tenders"]) == total
    assert sum(Decimal(line["total"]) for line in sale["lines"]) - Decimal(sale["discount"]) == total


def test_list_since_json_has_every_sale_of_those_days_in_full(demo, ok):
    sales = json.loads(ok(demo("sale", "list", "--since", RECENT, "--json")))

    assert len(sales) > 20
    for sale in sales:
        _check_sale(sale)
        assert datetime.fromisoformat(sale["time"]).astimezone(LONDON).date() >= date.fromisoformat(RECENT)
    times = [datetime.fromisoformat(s["time"]) for s in sales]
    assert times == sorted(times)
    assert len({s["receipt_no"] for s in sales}) == len(sales)


def test_list_since_keeps_exactly_the_sales_from_that_day_on(demo, ok):
    everything = ok(demo("sale", "list")).splitlines()
    day = "2026-10-15"

    since = ok(demo("sale", "list", "--since", day)).splitlines()

    # the text list shows each sale's shop-time date in its second column
    assert since == [line for line in everything if line.split()[1] >= day]
    assert 0 < len(since) < len(everything)
    assert ok(demo("sale", "list", "--since", "2027-01-01")) == ""


def test_list_json_and_text_agree(demo, ok):
    text = ok(demo("sale", "list", "--since", RECENT)).splitlines()
    sales = json.loads(ok(demo("sale", "list", "--since", RECENT, "--json")))

    assert [line.split()[0] for line in text] == [s["receipt_no"] for s in sales]
    for line, sale in zip(text, sales):
        assert sale["total"] in line and sale["cashier"] in line and sale["status"] in line


def _first_with_status(demo, ok, status: str) -> str:
    """The receipt number of the oldest sale whose status is `status` (from the text list)."""
    for line in ok(demo("sale", "list")).splitlines():
        if line.split()[5] == status:
            return line.split()[0]
    raise AssertionError(f"the demo shop has no {status} sale")


def test_summer_sales_show_the_shops_summer_offset(demo, ok):
    receipt = _first_with_status(demo, ok, "completed")

    shown = json.loads(ok(demo("sale", "show", receipt, "--json")))

    when = datetime.fromisoformat(shown["time"])
    assert when.date() == date(2026, 8, 28)
    assert when.utcoffset() == timedelta(hours=1)
    assert shown["time"].endswith("+01:00")
    _check_sale(shown)


def test_a_return_shows_negative_amounts_as_decimal_strings(demo, ok):
    receipt = _first_with_status(demo, ok, "return")

    shown = json.loads(ok(demo("sale", "show", receipt, "--json")))

    assert shown["status"] == "return"
    _check_sale(shown)
    assert shown["total"].startswith("-")
    assert all(line["qty"].startswith("-") for line in shown["lines"])


def test_show_json_is_the_sale_as_listed(demo, ok):
    listed = json.loads(ok(demo("sale", "list", "--since", RECENT, "--json")))[3]

    shown = json.loads(ok(demo("sale", "show", listed["receipt_no"], "--json")))

    assert shown == listed
    _check_sale(shown)


def test_show_text_has_lines_totals_and_tenders(demo, ok):
    sale = json.loads(ok(demo("sale", "list", "--since", RECENT, "--json")))[0]

    text = ok(demo("sale", "show", sale["receipt_no"]))

    assert text.splitlines()[0].startswith(f"receipt {sale['receipt_no']}")
    assert sale["time"] in text and sale["cashier"] in text
    total_line = next(line for line in text.splitlines() if line.split()[:1] == ["TOTAL"])
    assert total_line.split()[-1] == sale["total"]
    for line in sale["lines"]:
        assert line["name"][:36] in text
    for tender in sale["tenders"]:
        assert tender["tender"] in text


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday", "26/11/2026", "2026-11-20T10:00"])
def test_a_bad_date_is_refused(demo, refused, day):
    result = demo("sale", "list", "--since", day)

    refused(result, "--since", "YYYY-MM-DD")
    assert result.stdout == ""


def test_an_empty_since_is_refused_not_ignored(demo, refused):
    """`--since "$DAY"` with DAY unset must not quietly list the whole history."""
    result = demo("sale", "list", "--since", "")

    refused(result, "--since", "YYYY-MM-DD")
    assert result.stdout == ""


@pytest.mark.parametrize("receipt", ["1-999999", "nope"])
def test_an_unknown_receipt_is_refused(demo, refused, receipt):
    for args in (("sale", "show", receipt), ("sale", "show", receipt, "--json")):
        result = demo(*args)
        refused(result, repr(receipt), "pos sale list")
        assert result.stdout == ""


def test_a_store_without_sales_lists_none(store, pos, ok):
    assert ok(pos("sale", "list")) == ""
    assert json.loads(ok(pos("sale", "list", "--json"))) == []


def test_sale_commands_on_a_missing_store_say_to_run_init(pos, refused):
    refused(pos("sale", "list"), "pos init")
    refused(pos("sale", "show", "1-000001"), "pos init")


def test_a_return_shows_its_status_the_receipt_it_refunds_and_its_refund(demo_store, cli):
    import json as _json

    listed = _json.loads(cli("--home", str(demo_store.home), "sale", "list", "--json").stdout)
    a_return = next(s for s in listed if s["status"] == "return")
    shown = _json.loads(cli("--home", str(demo_store.home), "sale", "show", a_return["receipt_no"], "--json").stdout)
    assert shown["original_receipt"] in {s["receipt_no"] for s in listed if s["status"] == "completed"}
    assert shown["total"].startswith("-") and shown["tenders"][0]["amount"] == shown["total"]
