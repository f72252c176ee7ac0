"""`pos report`: tables for people, CSV and JSON (money as decimal strings) for the accountant, one-line refusals."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

WEEK = ("--from", "2026-10-01", "--to", "2026-10-08")


@pytest.fixture
def report(cli, demo_store):
    def run(*args: str):
        return cli("--home", str(demo_store.home), "report", *args)

    return run


def test_sales_json_money_is_decimal_strings_and_days_add_up(report, ok):
    data = json.loads(ok(report("sales", *WEEK, "--format", "json")))
    assert [row["day"] for row in data["rows"]] == [f"2026-10-0{d}" for d in range(1, 8)]
    assert all(isinstance(row["net"], str) and Decimal(row["net"]).as_tuple().exponent == -2 for row in data["rows"])
    assert sum(Decimal(row["net"]) for row in data["rows"]) == Decimal(data["totals"]["net"]) > 0
    assert Decimal(data["totals"]["sales"]) + Decimal(data["totals"]["refunds"]) == Decimal(data["totals"]["net"])
    assert (data["previous"]["from"], data["previous"]["to"]) == ("2026-09-24", "2026-10-01")


def test_sales_by_tender_csv_adds_up_to_the_json_totals(report, ok):
    rows = list(csv.DictReader(io.StringIO(ok(report("sales", *WEEK, "--by", "tender", "--format", "csv")))))
    assert {row["tender"] for row in rows} == {"cash", "card"}
    totals = json.loads(ok(report("sales", *WEEK, "--by", "tender", "--format", "json")))["totals"]
    assert sum(Decimal(row["net"]) for row in rows) == Decimal(totals["net_tendered"])


def test_sales_table_shows_rows_totals_and_the_previous_period(report, ok):
    out = ok(report("sales", *WEEK, "--by", "category"))
    assert out.splitlines()[0] == "sales by category, 2026-10-01 to 2026-10-08 (end excluded)"
    assert "Dairy" in out and "totals: sales " in out and "previous (2026-09-24 to 2026-10-01)" in out


def test_drill_down_from_a_category_to_its_products(report, ok):
    cats = json.loads(ok(report("sales", *WEEK, "--by", "category", "--format", "json")))
    dairy = next(row for row in cats["rows"] if row["category"] == "Dairy")
    products = json.loads(ok(report("sales", *WEEK, "--by", "product", "--category", "Dairy", "--format", "json")))
    assert products["rows"] and sum(Decimal(r["net"]) for r in products["rows"]) == Decimal(dairy["net"])


@pytest.mark.parametrize("kind,section", [("turnover", "dead_stock"), ("customers", "segments"), ("costs", "shrinkage")])
def test_the_other_reports_print_json_with_their_sections(report, ok, kind, section):
    data = json.loads(ok(report(kind, *WEEK, "--format", "json")))
    assert data["report"] == kind and section in data
    table = ok(report(kind, *WEEK))
    assert "totals:" in table


def test_costs_margin_is_revenue_less_cogs(report, ok):
    totals = json.loads(ok(report("costs", *WEEK, "--format", "json")))["totals"]
    assert Decimal(totals["revenue"]) - Decimal(totals["cogs"]) == Decimal(totals["margin"]) > 0


@pytest.mark.parametrize("args,fragments", [
    (("sales", "--from", "2026-10-01", "--to", "2026-10-08", "--by", "year"), ("--by 'year'", "day, week")),
    (("sales", "--from", "1 Oct", "--to", "2026-10-08"), ("--from '1 Oct'", "YYYY-MM-DD")),
    (("sales", "--from", "2026-10-08", "--to", "2026-10-01"), ("must be after",)),
    (("sales", *WEEK, "--format", "xml"), ("--format 'xml'",)),
    (("sales", *WEEK, "--by", "product", "--category", "Toys"), ("no category named 'Toys'",)),
    (("turnover", *WEEK, "--by", "cashier"), ("--by 'cashier'", "product, category")),
    (("turnover", *WEEK, "--dead-days", "0"), ("--dead-days 0",)),
])
def test_bad_input_is_one_error_line(report, refused, args, fragments):
    result = report(*args)
    refused(result, *fragments)
    assert result.stdout == ""


def test_rebuild_rebuilds_the_rollups_and_reports_stay_the_same(report, ok):
    before = ok(report("sales", *WEEK, "--by", "tender", "--format", "json"))
    assert "rebuilt in" in ok(report("rebuild"))
    assert ok(report("sales", *WEEK, "--by", "tender", "--format", "json")) == before


def test_json_flag_is_the_same_as_format_json(report, ok):
    for kind in ("sales", "turnover", "customers", "costs"):
        assert ok(report(kind, *WEEK, "--json")) == ok(report(kind, *WEEK, "--format", "json"))


def test_turnover_top_sums_the_rest_and_all_lists_every_product(report, ok):
    every = json.loads(ok(report("turnover", *WEEK, "--all", "--format", "json")))
    first = json.loads(ok(report("turnover", *WEEK, "--top", "2", "--format", "json")))
    assert len(every["rows"]) > 3 and len(first["rows"]) == 3
    assert first["rows"][2]["label"] == f"({len(every['rows']) - 2} other products)"
    assert first["totals"] == every["totals"]


@pytest.mark.parametrize("kind,label", [("sales", "product"), ("costs", "label")])
def test_sales_and_costs_per_product_top_sums_the_rest_and_all_lists_every_product(report, ok, kind, label):
    every = json.loads(ok(report(kind, *WEEK, "--by", "product", "--all", "--format", "json")))
    first = json.loads(ok(report(kind, *WEEK, "--by", "product", "--top", "2", "--format", "json")))
    assert len(every["rows"]) > 3 and len(first["rows"]) == 3
    assert first["rows"][:2] == every["rows"][:2]
    assert first["rows"][2][label] == f"({len(every['rows']) - 2} other products)"
    net = "net" if kind == "sales" else "margin"
    assert Decimal(first["rows"][2][net]) == sum(Decimal(r[net]) for r in every["rows"][2:])
    assert first["totals"] == every["totals"]
    csv_rows = list(csv.DictReader(io.StringIO(ok(report(kind, *WEEK, "--by", "product", "--all", "--format", "csv")))))
    assert len(csv_rows) == len(every["rows"])
