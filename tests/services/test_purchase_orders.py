"""Purchase orders: drafted, edited, sent, received against (stock moves), cancelled, exported."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Product, PurchaseOrder, PurchaseOrderLine, StockMove
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import integrity, po_files, purchase_orders as po, suppliers
from pos_tui.services.purchase_orders import LineSpec


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


def _written() -> tuple[int, ...]:
    return tuple(m.select().count() for m in (PurchaseOrder, PurchaseOrderLine, StockMove, AuditLog))


@pytest.fixture
def acme(catalog, admin_actor):
    return suppliers.add_supplier(admin_actor, "Acme", contact="Jo", email="jo@acme.test", lead_time_days=7)


def test_a_draft_takes_the_products_cost_unless_given_and_numbers_run_on(catalog, acme, admin_actor):
    first = po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(12)),
                                                  LineSpec(catalog.milk, Decimal(6), 55)])
    second = po.create_order(admin_actor, "Acme", [])
    assert (first.number, second.number, first.status) == ("PO-000001", "PO-000002", "draft")
    assert [(l.barcode, l.qty_ordered, l.unit_cost, l.total) for l in first.lines] == [
        (catalog.tea, Decimal(12), 140, 1680), (catalog.milk, Decimal(6), 55, 330)]
    assert first.total == 2010
    assert [(o.number, o.line_count, o.total) for o in po.list_orders()] == [
        ("PO-000002", 0, 0), ("PO-000001", 2, 2010)]


def test_bad_lines_are_refused_without_a_gap_in_the_numbers(catalog, acme, admin_actor):
    before = _written()
    for spec, message in [
        (LineSpec("4006381333931", Decimal(1)), "no product"),
        (LineSpec(catalog.tea, Decimal(0)), "more than 0"),
        (LineSpec(catalog.tea, Decimal(-2)), "more than 0"),
        (LineSpec(catalog.tea, Decimal("1.5")), "whole number"),
        (LineSpec(catalog.tea, Decimal(1), -1), "negative"),
    ]:
        with pytest.raises((ValidationError, NotFound), match=message):
            po.create_order(admin_actor, "Acme", [spec])
    with pytest.raises(NotFound, match="no supplier"):
        po.create_order(admin_actor, "Nobody", [LineSpec(catalog.tea, Decimal(1))])
    assert _written() == before
    assert po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(1))]).number == "PO-000001"


def test_only_a_draft_is_edited_and_only_a_draft_with_lines_is_ordered(catalog, acme, admin_actor):
    order = po.create_order(admin_actor, "Acme", [])
    with pytest.raises(ValidationError, match="no lines"):
        po.mark_ordered(admin_actor, order.number)
    po.edit_lines(admin_actor, order.number, [LineSpec(catalog.tea, Decimal(3)), LineSpec(catalog.milk, Decimal(2))])
    edited = po.edit_lines(admin_actor, "1", [LineSpec(catalog.tea, Decimal(5), 100)], remove=[catalog.milk])
    assert [(l.barcode, l.qty_ordered, l.unit_cost) for l in edited.lines] == [(catalog.tea, Decimal(5), 100)]
    sent = po.mark_ordered(admin_actor, order.number, reference="email 12 Nov")
    assert (sent.status, sent.reference) == ("ordered", "email 12 Nov")
    with pytest.raises(ValidationError, match="only a draft"):
        po.edit_lines(admin_actor, order.number, [LineSpec(catalog.tea, Decimal(9))])


def test_receiving_moves_stock_with_the_po_as_reference_then_partial_then_received(catalog, acme, admin_actor):
    order = po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(12)), LineSpec(catalog.milk, Decimal(6))])
    po.mark_ordered(admin_actor, order.number)
    tea, milk = _stock(catalog.tea), _stock(catalog.milk)
    part = po.receive(admin_actor, order.number, {catalog.tea: Decimal(5)})
    assert part.status == "partial"
    assert [(l.barcode, l.qty_received, l.outstanding) for l in part.lines] == [
        (catalog.tea, Decimal(5), Decimal(7)), (catalog.milk, Decimal(0), Decimal(6))]
    done = po.receive(admin_actor, order.number, receive_all=True)
    assert done.status == "received"
    assert (_stock(catalog.tea), _stock(catalog.milk)) == (tea + 12, milk + 6)
    moves = list(StockMove.select().where(StockMove.reason == "receive").order_by(StockMove.id))
    assert [(m.delta, m.reference) for m in moves] == [(Decimal(5), "PO-000001"), (Decimal(7), "PO-000001"),
                                                        (Decimal(6), "PO-000001")]
    assert integrity.check_store() == []
    with pytest.raises(ValidationError, match="received; goods cannot be received"):
        po.receive(admin_actor, order.number, receive_all=True)
    with pytest.raises(ValidationError, match="already received"):
        po.cancel(admin_actor, order.number)


def test_over_receipt_unknown_lines_drafts_and_cancelled_orders_are_refused(catalog, acme, admin_actor):
    order = po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(4))])
    with pytest.raises(ValidationError, match="mark it ordered first"):
        po.receive(admin_actor, order.number, receive_all=True)
    po.mark_ordered(admin_actor, order.number)
    before, stock = _written(), _stock(catalog.tea)
    with pytest.raises(ValidationError, match="more than the 4 still expected"):
        po.receive(admin_actor, order.number, {catalog.tea: Decimal(5)})
    with pytest.raises(ValidationError, match="is not on PO-000001"):
        po.receive(admin_actor, order.number, {catalog.tea: Decimal(1), catalog.milk: Decimal(1)})
    with pytest.raises(ValidationError, match="more than 0"):
        po.receive(admin_actor, order.number, {catalog.tea: Decimal(0)})
    assert (_written(), _stock(catalog.tea)) == (before, stock)
    po.cancel(admin_actor, order.number)
    with pytest.raises(ValidationError, match="cancelled; goods cannot be received"):
        po.receive(admin_actor, order.number, {catalog.tea: Decimal(1)})
    assert _stock(catalog.tea) == stock


def test_drafting_from_suggestions_makes_one_order_per_supplier(catalog, acme, admin_actor):
    other = suppliers.add_supplier(admin_actor, "Dairy Direct", lead_time_days=2)
    Product.update(supplier=acme.id, stock=0).where(Product.barcode == catalog.tea).execute()
    Product.update(supplier=other.id, stock=0).where(Product.barcode == catalog.milk).execute()
    Product.update(stock=0, reorder_level=1).where(Product.barcode == catalog.apples).execute()  # no supplier
    drafted = po.draft_from_suggestions(admin_actor, now=datetime.now(timezone.utc) + timedelta(seconds=1))
    assert sorted((o.supplier, [(l.barcode, l.qty_ordered, l.unit_cost) for l in o.lines]) for o in drafted.orders) == [
        ("Acme", [(catalog.tea, Decimal(2), 140)]), ("Dairy Direct", [(catalog.milk, Decimal(1), 60)])]
    assert drafted.unplaced == ((catalog.apples, "Loose Apples", Decimal(1)),)
    again = po.draft_from_suggestions(admin_actor)  # what is drafted is on order now
    assert again.orders == ()


def test_export_has_the_supplier_then_the_lines_and_total(catalog, acme, admin_actor):
    order = po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(12)), LineSpec(catalog.milk, Decimal(6), 55)])
    rows = list(csv.reader(io.StringIO(po_files.export_csv(order.number))))
    header = {r[0]: r[1] for r in rows[:rows.index([])]}
    assert (header["purchase_order"], header["supplier"], header["contact"], header["email"]) == (
        "PO-000001", "Acme", "Jo", "jo@acme.test")
    body = rows[rows.index([]) + 1:]
    assert body == [["barcode", "name", "qty", "unit_cost", "line_total"],
                    [catalog.tea, "Breakfast Tea 80 bags", "12", "1.40", "16.80"],
                    [catalog.milk, "Whole Milk 1L", "6", "0.55", "3.30"],
                    ["", "total", "", "", "20.10"]]


def test_a_receipt_file_is_read_all_or_nothing():
    assert po_files.parse_receipt_csv("barcode,qty\n111,2\n222,1.5\n111,1\n") == {"111": Decimal(3), "222": Decimal("1.5")}
    with pytest.raises(ValidationError, match="row 3: qty 'x' is not a number"):
        po_files.parse_receipt_csv("barcode,qty\n111,2\n222,x\n")


def test_a_receipt_racing_a_cancel_on_another_till_changes_nothing(catalog, acme, admin_actor, monkeypatch):
    order = po.create_order(admin_actor, "Acme", [LineSpec(catalog.tea, Decimal(4))])
    po.mark_ordered(admin_actor, order.number)
    seen = PurchaseOrder.get(PurchaseOrder.number == order.number)  # this till read it as ordered...
    po.cancel(admin_actor, order.number)  # ...and another cancelled it before this till wrote
    monkeypatch.setattr(po, "_order", lambda number: seen)
    before, stock = _written(), _stock(catalog.tea)
    with pytest.raises(ValidationError, match="changed on another till"):
        po.receive(admin_actor, order.number, receive_all=True)
    assert (_written(), _stock(catalog.tea)) == (before, stock)
    assert PurchaseOrder.get(PurchaseOrder.number == order.number).status == "cancelled"
