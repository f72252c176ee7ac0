"""UTC time and exact quantity columns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import Product, StockMove, User, database
from pos_tui.errors import ValidationError

TEA = "4010079190010"


def _raw(sql: str, *params):
    return database.execute_sql(sql.replace("?", database.param), params).fetchone()[0]


def test_a_naive_datetime_is_refused_and_nothing_is_stored(store):
    users = User.select().count()
    with pytest.raises(ValueError, match="naive datetimes are not stored"):
        User.create(username="naive", role="cashier", password_hash="x", created_at=datetime(2026, 5, 1, 12, 0))
    assert User.select().count() == users


def test_a_naive_datetime_is_refused_in_a_query_too(store):
    with pytest.raises(ValueError, match="naive"):
        list(User.select().where(User.created_at >= datetime(2026, 5, 1)))


def test_times_are_stored_in_utc_and_read_back_aware(store):
    local = datetime(2026, 7, 1, 14, 30, 15, 123456, tzinfo=ZoneInfo("Europe/London"))  # BST, UTC+1
    user = User.create(username="zoned", role="cashier", password_hash="x", created_at=local)
    raw = _raw('SELECT created_at FROM "user" WHERE id = ?', user.id)
    assert raw == "2026-07-01T13:30:15.123456+00:00"

    back = User.get_by_id(user.id).created_at
    assert back == local
    assert back.tzinfo is not None and back.utcoffset() == timedelta(0)


def test_default_times_are_aware_utc_now(store):
    before = datetime.now(timezone.utc)
    user = User.create(username="fresh", role="cashier", password_hash="x")
    after = datetime.now(timezone.utc)
    back = User.get_by_id(user.id).created_at
    assert back.utcoffset() == timedelta(0)
    assert before <= back <= after


def test_utc_text_sorts_in_time_order_across_zones(store):
    tokyo = datetime(2026, 7, 1, 20, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 11:00 UTC
    new_york = datetime(2026, 7, 1, 6, 0, tzinfo=ZoneInfo("America/New_York"))  # 10:00 UTC
    utc = datetime(2026, 7, 1, 10, 30, tzinfo=timezone.utc)
    for name, at in (("tokyo", tokyo), ("ny", new_york), ("utc", utc)):
        User.create(username=name, role="cashier", password_hash="x", created_at=at)
    ours = User.username.in_(["tokyo", "ny", "utc"])
    assert [u.username for u in User.select().where(ours).order_by(User.created_at)] == ["ny", "utc", "tokyo"]
    assert [u.username for u in User.select().where(ours & (User.created_at > utc))] == ["tokyo"]


def test_null_time_stays_null(store):
    user = User.create(username="unlocked", role="cashier", password_hash="x", locked_until=None)
    assert User.get_by_id(user.id).locked_until is None


@pytest.mark.parametrize(
    "qty, milli",
    [(Decimal("1.234"), 1234), (Decimal(2), 2000), (3, 3000), (Decimal("0.5"), 500), (Decimal("-1.25"), -1250), (Decimal("2.000"), 2000)],
)
def test_quantities_are_stored_as_integer_thousandths(store, qty, milli):
    product = Product.create(barcode=TEA, name="Tea", price=250, stock=qty)
    assert _raw("SELECT stock FROM product WHERE id = ?", product.id) == milli
    back = Product.get_by_id(product.id).stock
    assert isinstance(back, Decimal) and back == Decimal(qty)


def test_quantities_read_back_normalised(store):
    product = Product.create(barcode=TEA, name="Tea", price=250, stock=Decimal("2.000"), reorder_level=Decimal("1.500"))
    back = Product.get_by_id(product.id)
    assert str(back.stock) == "2" and str(back.reorder_level) == "1.5"


def test_more_than_three_decimals_is_refused(store):
    with pytest.raises(ValidationError, match="more than 3 decimals"):
        Product.create(barcode=TEA, name="Tea", price=250, stock=Decimal("1.2345"))
    assert Product.select().count() == 0


def test_quantity_sums_stay_exact(store):
    product = Product.create(barcode=TEA, name="Apples", price=320, unit="kg")
    for delta in ("0.1", "0.2", "0.3", "-0.6"):
        StockMove.create(product=product, delta=Decimal(delta), reason="test")
    assert _raw("SELECT SUM(delta) FROM stock_move WHERE product_id = ?", product.id) == 0
    assert sum((m.delta for m in StockMove.select()), Decimal(0)) == Decimal(0)


def test_updating_stock_by_an_expression_subtracts_the_quantity(store):
    """`stock - qty` in SQL must be in thousandths on both sides."""
    product = Product.create(barcode=TEA, name="Apples", price=320, unit="kg", stock=Decimal("2.5"))
    Product.update(stock=Product.stock - Decimal("1.234")).where(Product.id == product.id).execute()
    assert Product.get_by_id(product.id).stock == Decimal("1.266")
