"""The stock-move core: stock and its move change together, relative to the current stock."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Product, StockMove
from pos_tui.errors import ValidationError
from pos_tui.services import integrity
from pos_tui.services.context import Actor
from pos_tui.services.stock_moves import move


def _product() -> Product:
    return Product.select().order_by(Product.id).first()


def test_a_move_changes_stock_and_is_recorded_with_reason_reference_and_user(demo_store):
    admin_actor = Actor.cli()
    product = _product()
    before = product.stock
    with write_transaction():
        move(product.id, Decimal(5), "damage", "shelf 3", admin_actor)
    assert Product.get_by_id(product.id).stock == before + 5
    last = StockMove.select().order_by(StockMove.id.desc()).first()
    assert (last.delta, last.reason, last.reference, last.os_user) == (Decimal(5), "damage", "shelf 3", admin_actor.os_user)
    assert integrity.check_store() == []


def test_an_unknown_reason_or_product_changes_nothing(demo_store):
    admin_actor = Actor.cli()
    product = _product()
    moves = StockMove.select().count()
    with pytest.raises(ValidationError, match="unknown stock reason"):
        with write_transaction():
            move(product.id, Decimal(1), "lost-in-space", "", admin_actor)
    with pytest.raises(ValidationError, match="no product"):
        with write_transaction():
            move(10**9, Decimal(1), "damage", "", admin_actor)
    assert StockMove.select().count() == moves
    assert Product.get_by_id(product.id).stock == product.stock


def test_training_never_moves_stock(demo_store):
    admin_actor = Actor.cli()
    product = _product()
    with write_transaction():
        assert move(product.id, Decimal(-2), "damage", "", replace(admin_actor, training=True)) is None
    assert Product.get_by_id(product.id).stock == product.stock
