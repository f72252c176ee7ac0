"""Receiving, adjusting, history and low stock: every change a move with a reason, a reference and a user."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Product, StockMove, Supplier
from pos_tui.errors import ImportRejected, NotFound, ValidationError
from pos_tui.services import integrity, stock
from pos_tui.services.permissions import PermissionDenied
from pos_tui.services.stock import ReceiveLine


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


def _cost(barcode: str) -> int:
    return Product.get(Product.barcode == barcode).cost


def test_a_delivery_adds_stock_updates_costs_and_is_audited(catalog, admin_actor, assert_stock_matches_moves):
    Supplier.create(name="Dairy Direct")
    result = stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(12), 150), ReceiveLine(catalog.milk, Decimal(6))],
                           supplier="dairy direct", reference="DN-1001")

    assert (_stock(catalog.tea), _stock(catalog.milk)) == (Decimal(22), Decimal(11))
    assert _cost(catalog.tea) == 150 and _cost(catalog.milk) == 60  # no unit cost: the cost stays
    assert [line.stock_after for line in result.lines] == [Decimal(22), Decimal(11)]
    moves = list(StockMove.select().where(StockMove.reason == "receive"))
    assert {(m.reference, m.user_id) for m in moves} == {("DN-1001", admin_actor.user_id)}
    row = AuditLog.select().where(AuditLog.action == "stock.receive").get()
    assert row.target == "DN-1001" and "Dairy Direct" in row.details
    assert_stock_matches_moves()
    assert integrity.check_store() == []


def test_receiving_can_keep_the_products_cost(catalog, admin_actor):
    stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(1), 999)], reference="DN-2", update_cost=False)
    assert _cost(catalog.tea) == 140


def test_a_bad_line_receives_nothing(catalog, admin_actor):
    moves = StockMove.select().count()
    with pytest.raises(ValidationError, match="whole number"):
        stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(2)), ReceiveLine(catalog.milk, Decimal("1.5"))],
                      reference="DN-3")
    with pytest.raises(ValidationError, match="more than 0"):
        stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(-2))], reference="DN-3")
    with pytest.raises(ValidationError, match="reference is required"):
        stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(2))], reference="  ")
    with pytest.raises(NotFound, match="pos supplier add"):
        stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(2))], reference="DN-3", supplier="Nobody Ltd")
    assert StockMove.select().count() == moves and _stock(catalog.tea) == 10


def test_a_cashier_may_not_receive_or_adjust(catalog, admin_actor):
    cashier = replace(admin_actor, username="cash", role="cashier", owner=False)
    with pytest.raises(PermissionDenied):
        stock.receive(cashier, [ReceiveLine(catalog.tea, Decimal(1))], reference="DN-4")
    with pytest.raises(PermissionDenied):
        stock.adjust(cashier, catalog.tea, Decimal(-1), "damage")
    assert _stock(catalog.tea) == 10


def test_the_receipt_csv_reports_every_bad_row_by_line(catalog):
    text = ("barcode,qty,unit_cost\n"
            f"{catalog.tea},4,1.50\n"
            f"{catalog.milk},-1,0.50\n"
            "5000000000999,1,\n"
            f"{catalog.tea},2,1.50\n"
            f"{catalog.apples},1.5,abc\n")
    with pytest.raises(ImportRejected) as caught:
        stock.parse_receipt(text)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "negative" in problems[0] and "no product with barcode 5000000000999" in problems[1]
    assert "repeats line 2" in problems[2] and "unit_cost" in problems[3]


def test_a_good_receipt_csv_parses(catalog):
    lines = stock.parse_receipt(f"barcode,qty,unit_cost\n{catalog.tea},4,1.50\n{catalog.apples},2.250,\n")
    assert lines == [ReceiveLine(catalog.tea, Decimal(4), 150, 2), ReceiveLine(catalog.apples, Decimal("2.250"), None, 3)]


def test_an_adjustment_moves_stock_with_its_reason(catalog, admin_actor, assert_stock_matches_moves):
    result = stock.adjust(admin_actor, catalog.tea, Decimal(-2), "damage", "dropped crate")
    assert result.stock_after == Decimal(8) == _stock(catalog.tea)
    last = StockMove.select().order_by(StockMove.id.desc()).get()
    assert (last.delta, last.reason, last.reference) == (Decimal(-2), "damage", "dropped crate")
    stock.adjust(admin_actor, catalog.tea, Decimal(1), "Own Use")
    assert StockMove.select().order_by(StockMove.id.desc()).get().reason == "own_use"
    assert_stock_matches_moves()


def test_a_wrong_reason_names_the_right_ones_and_changes_nothing(catalog, admin_actor):
    with pytest.raises(ValidationError) as caught:
        stock.adjust(admin_actor, catalog.tea, Decimal(-1), "lost")
    assert all(reason in str(caught.value) for reason in ("damage", "theft", "expiry", "own_use"))
    with pytest.raises(ValidationError, match="changes nothing"):
        stock.adjust(admin_actor, catalog.tea, Decimal(0), "damage")
    with pytest.raises(NotFound):
        stock.adjust(admin_actor, "5000000000999", Decimal(1), "found")
    assert _stock(catalog.tea) == 10


def test_history_is_newest_first_with_the_stock_after_each_move(catalog, admin_actor):
    stock.receive(admin_actor, [ReceiveLine(catalog.tea, Decimal(5))], reference="DN-7")
    stock.adjust(admin_actor, catalog.tea, Decimal(-3), "theft")
    moves = stock.history(catalog.tea)
    assert [(m.reason, m.delta, m.stock_after) for m in moves] == [
        ("theft", Decimal(-3), Decimal(12)), ("receive", Decimal(5), Decimal(15)), ("import", Decimal(10), Decimal(10))]
    assert moves[0].user == admin_actor.username and moves[1].reference == "DN-7"
    older = stock.history(catalog.tea, limit=1, before=moves[0].id)
    assert [(m.reason, m.stock_after) for m in older] == [("receive", Decimal(15))]


def test_low_stock_lists_watched_listed_products_at_or_under_their_level(catalog, admin_actor):
    assert stock.low_stock() == []
    stock.adjust(admin_actor, catalog.tea, Decimal(-8), "correction")  # 2 left, level 2
    stock.adjust(admin_actor, catalog.apples, Decimal("-2.5"), "expiry")  # 0, but level 0: not watched
    assert [i.barcode for i in stock.low_stock()] == [catalog.tea]
    Product.update(archived=True).where(Product.barcode == catalog.tea).execute()
    assert stock.low_stock() == []
