"""A SELECT built once by Peewee and kept gives the rows Peewee's own query gives, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from pos_tui.config import load_settings
from pos_tui.db.fixed_select import FixedSelect, in_dialect, template_of
from pos_tui.db.models import Product
from pos_tui.services.store import open_store

TEA, OLD_TEA = "5000000001011", "5000000001028"


def test_the_template_takes_each_databases_marks_and_quotes():
    template = 'SELECT "t1"."id" FROM "product" AS "t1" WHERE ("t1"."barcode" = ?) LIMIT ?'
    assert in_dialect(template, "%s", '""') == 'SELECT "t1"."id" FROM "product" AS "t1" WHERE ("t1"."barcode" = %s) LIMIT %s'
    assert in_dialect(template, "?", "``") == "SELECT `t1`.`id` FROM `product` AS `t1` WHERE (`t1`.`barcode` = ?) LIMIT ?"


def _lookup(code: str) -> list[str]:
    query = Product.select().where((Product.barcode == "\x00") & (Product.archived == False)).limit(1)  # noqa: E712
    template, params = template_of(query)
    return [p.name for p in FixedSelect(Product, template, [code if p == "\x00" else p for p in params])]


def _two_teas() -> None:
    Product.create(barcode=TEA, name="Tea", price=250)
    Product.create(barcode=OLD_TEA, name="Old tea", price=200, archived=True)


def test_a_kept_lookup_reads_the_live_product_and_not_the_archived_one(store):
    _two_teas()
    assert _lookup(TEA) == ["Tea"]
    assert _lookup(OLD_TEA) == [], "archived: the parameter kept in stored form still filters"
    assert _lookup("0000000000000") == []


@pytest.mark.pg
def test_the_same_kept_lookup_runs_on_postgresql(pg_url):
    open_store(load_settings(db=pg_url))
    _two_teas()
    assert _lookup(TEA) == ["Tea"]
    assert _lookup(OLD_TEA) == []
