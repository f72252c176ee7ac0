"""bulk_insert stores rows exactly as Model.create would (defaults and conversions included)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.bulk import bulk_insert
from pos_tui.db.database import write_transaction
from pos_tui.db.models import Category, Payment, Product, Sale, SaleLine, StockMove, User, database

AT = datetime(2026, 9, 14, 18, 5, 7, 890123, tzinfo=ZoneInfo("Europe/London"))
UTC_TEXT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def _raw(model, row_id: int, *, skip: tuple[str, ...] = ()) -> dict:
    cursor = database.execute_sql(f'SELECT * FROM "{model._meta.table_name}" WHERE id = {database.param}', (row_id,))
    names = [d[0] for d in cursor.description]
    values = cursor.fetchone()
    return {n: v for n, v in zip(names, values) if n != "id" and n not in skip}


def _bulk_one(model, row: dict) -> int:
    with write_transaction():
        assert bulk_insert(model, [row]) == 1
    return model.select(model.id).order_by(model.id.desc()).scalar()


def _same_as_create(model, created: dict, bulked: dict, *, skip: tuple[str, ...] = ()) -> tuple[dict, dict]:
    a = model.create(**created).id
    b = _bulk_one(model, bulked)
    return _raw(model, a, skip=skip), _raw(model, b, skip=skip)


@pytest.fixture
def owner(store) -> User:
    return User.get(User.username == "owner")


def test_minimal_product_gets_the_same_defaults(store):
    base = dict(name="Tea", price=250, created_at=AT, updated_at=AT)
    by_create, by_bulk = _same_as_create(
        Product, {**base, "barcode": "4010079190010"}, {**base, "barcode": "7610158380027"}, skip=("barcode",)
    )
    assert by_bulk == by_create
    assert by_bulk["cost"] == 0 and by_bulk["tax_class"] == "standard" and by_bulk["unit"] == "each"
    assert by_bulk["stock"] == 0 and by_bulk["archived"] == 0 and by_bulk["category_id"] is None
    assert by_bulk["created_at"] == "2026-09-14T17:05:07.890123+00:00"


def test_full_product_converts_values_the_same_way(store):
    category = Category.create(name="Fruit")
    base = dict(
        name="Loose Apples", price=320, cost=200, tax_class="zero", unit="kg", category=category,
        stock=Decimal("2.125"), reorder_level=Decimal("0.5"), archived=True, created_at=AT, updated_at=AT,
    )
    by_create, by_bulk = _same_as_create(
        Product, {**base, "barcode": "2100001000004"}, {**base, "barcode": "2100002000003"}, skip=("barcode",)
    )
    assert by_bulk == by_create
    assert (by_bulk["stock"], by_bulk["reorder_level"], by_bulk["archived"], by_bulk["category_id"]) == (2125, 500, 1, category.id)


def test_stock_moves_match(store, owner):
    product = Product.create(barcode="4010079190010", name="Tea", price=250)
    row = dict(product=product.id, delta=Decimal("-1.5"), reason="sale", reference="1-000001", user=owner.id, created_at=AT)
    by_create, by_bulk = _same_as_create(StockMove, row, dict(row))
    assert by_bulk == by_create
    assert (by_bulk["delta"], by_bulk["os_user"], by_bulk["user_id"]) == (-1500, "", owner.id)


def test_sales_lines_and_payments_match(store, owner):
    product = Product.create(barcode="4010079190010", name="Tea", price=250)
    sale = dict(lane="1", cashier=owner.id, created_at=AT, subtotal=500, tax_total=83, total=500)
    by_create, by_bulk = _same_as_create(
        Sale, {**sale, "receipt_no": "1-000001"}, {**sale, "receipt_no": "1-000002"}, skip=("receipt_no",)
    )
    assert by_bulk == by_create
    assert (by_bulk["status"], by_bulk["training"], by_bulk["prices_include_tax"], by_bulk["discount_total"]) == (
        "completed", 0, 1, 0,
    )
    sale_id = Sale.get(Sale.receipt_no == "1-000002").id

    line = dict(sale=sale_id, position=1, product=product.id, barcode=product.barcode, name="Tea", qty=Decimal(2),
                unit_price=250, tax_class="standard", tax_rate="20", tax=83, total=500)
    by_create, by_bulk = _same_as_create(SaleLine, line, dict(line))
    assert by_bulk == by_create and by_bulk["qty"] == 2000 and by_bulk["unit_cost"] == 0

    pay = dict(sale=sale_id, tender="cash", amount=500, tendered=1000, change=500)
    by_create, by_bulk = _same_as_create(Payment, pay, dict(pay))
    assert by_bulk == by_create and by_bulk["reference"] == ""


def test_a_default_time_is_aware_utc_text_like_create(store):
    before = datetime.now(timezone.utc)
    a = Product.create(barcode="4010079190010", name="Tea", price=250).id
    b = _bulk_one(Product, dict(barcode="7610158380027", name="Tea", price=250))
    after = datetime.now(timezone.utc)
    for row_id in (a, b):
        raw = _raw(Product, row_id)
        assert UTC_TEXT.match(raw["created_at"]) and UTC_TEXT.match(raw["updated_at"])
        back = Product.get_by_id(row_id).created_at
        assert before - timedelta(seconds=1) <= back <= after


def test_many_rows_in_one_call(store):
    rows = [dict(barcode=f"40100791900{n:02d}", name=f"Item {n}", price=100 + n, stock=Decimal(n)) for n in range(50)]
    with write_transaction():
        assert bulk_insert(Product, rows) == 50
    stored = {p.name: (p.price, p.stock) for p in Product.select()}
    assert stored == {f"Item {n}": (100 + n, Decimal(n)) for n in range(50)}


def test_nothing_to_insert(store):
    with write_transaction():
        assert bulk_insert(Product, []) == 0
    assert Product.select().count() == 0


def test_rows_with_different_fields_each_keep_their_own_values(store):
    """A field the first row leaves out (here a nullable category) must still be stored for a later row."""
    fruit = Category.create(name="Fruit")
    rows = [
        dict(barcode="4010079190010", name="Plain", price=100, created_at=AT, updated_at=AT),
        dict(barcode="7610158380027", name="Apples", price=200, cost=150, unit="kg", category=fruit.id,
             created_at=AT, updated_at=AT),
    ]
    with write_transaction():
        bulk_insert(Product, rows)
    Product.create(**{**rows[1], "barcode": "8010237570032"})
    bulked = _raw(Product, Product.get(Product.barcode == "7610158380027").id, skip=("barcode",))
    created = _raw(Product, Product.get(Product.barcode == "8010237570032").id, skip=("barcode",))
    assert bulked == created
    assert (bulked["cost"], bulked["unit"], bulked["category_id"]) == (150, "kg", fruit.id)
