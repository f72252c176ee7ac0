"""Returns at the service: tax added at the till comes back too; training sales refund nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import ValidationError
from pos_tui.services import returns, sales
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor

BREAD = "4010079190010"  # 3.20, reduced rate 5%


def _sale(settings, actor: Actor, *, included: bool) -> str:
    cart = Cart(prices_include_tax=included)
    cart.add(scan(BREAD, settings.tax_rates()))
    cart.add(scan(BREAD, settings.tax_rates()))
    total = cart.totals().total
    return sales.commit_sale(actor, cart, [Tender("cash", total)], lane="1").receipt_no


def test_a_return_of_a_tax_added_sale_refunds_the_tax_too(demo_store):
    cashier = authenticate("cashier", "1111")
    receipt = _sale(demo_store, cashier, included=False)  # 2 x 3.20 + 5% = 6.72
    line = returns.returnable(receipt).lines[0]
    back = returns.commit_return(cashier, receipt, {line.line_id: Decimal(1)}, tender="cash", restock=True, lane="1")
    assert (back.total, back.tax, back.subtotal) == (-336, -16, -320)
    assert back.payments[0].amount == -336


def test_a_return_of_a_tax_included_sale_refunds_the_price_paid(demo_store):
    cashier = authenticate("cashier", "1111")
    receipt = _sale(demo_store, cashier, included=True)
    line = returns.returnable(receipt).lines[0]
    back = returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=False, lane="1")
    assert back.total == -640


def test_twice_the_same_line_is_refused_the_second_time(demo_store):
    cashier = authenticate("cashier", "1111")
    receipt = _sale(demo_store, cashier, included=True)
    line = returns.returnable(receipt).lines[0]
    returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=True, lane="1")
    with pytest.raises(ValidationError, match="more than the 0 that can come back"):
        returns.commit_return(cashier, receipt, {line.line_id: Decimal(1)}, tender="cash", restock=True, lane="1")


def test_nothing_is_refunded_against_a_training_sale(demo_store):
    trainee = authenticate("cashier", "1111")
    trainee = Actor(trainee.username, trainee.role, trainee.user_id, trainee.os_user, training=True)
    receipt = _sale(demo_store, trainee, included=True)
    with pytest.raises(ValidationError, match="training sale"):
        returns.returnable(receipt)


class _LostRace(Exception):
    """What psycopg2 raises for a deadlock's loser: is_conflict reads its pgcode."""

    pgcode = "40P01"


def test_a_return_that_loses_a_race_runs_again_and_is_written_once(demo_store, monkeypatch):
    from pos_tui.db.models import AuditLog, Product, Sale
    from pos_tui.services import audit

    cashier = authenticate("cashier", "1111")
    receipt = _sale(demo_store, cashier, included=True)
    stock_before = Product.get(Product.barcode == BREAD).stock
    line = returns.returnable(receipt).lines[0]
    record, tries = audit.record, []

    def lose_the_first_try(action, *args, **kwargs):
        if action == "sale.refund":
            tries.append(action)
            if len(tries) == 1:  # after the return's rows and the restock: all of it must roll back
                raise _LostRace("deadlock detected")
        return record(action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", lose_the_first_try)
    back = returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=True, lane="1")

    assert len(tries) == 2
    original = Sale.get(Sale.receipt_no == receipt)
    assert Sale.select().where(Sale.status == "return", Sale.original == original).count() == 1
    assert Product.get(Product.barcode == BREAD).stock == stock_before + 2
    assert AuditLog.select().where(AuditLog.action == "sale.refund", AuditLog.target == back.receipt_no).count() == 1
