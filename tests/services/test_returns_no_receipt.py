"""Returns without a receipt: today's price, cash, only with the permission or a supervisor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Product, Sale, StockMove
from pos_tui.errors import AuthError
from pos_tui.services import returns
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.integrity import check_store

BREAD = "4010079190010"  # 3.20, reduced rate 5%, prices include tax in the demo store


def _counts():
    return Sale.select().count(), StockMove.select().count(), AuditLog.select().count()


def test_a_cashier_needs_a_supervisor_and_a_refusal_changes_nothing(demo_store):
    cashier = authenticate("cashier", "1111")
    another_cashier = authenticate("cashier", "1111")
    line = scan("2*" + BREAD, demo_store.tax_rates())
    before = _counts()
    with pytest.raises(NeedsApproval, match="may not take returns without a receipt"):
        returns.commit_return_without_receipt(cashier, line, tender="cash", restock=True, lane="1",
                                              settings=demo_store)
    with pytest.raises(AuthError, match=r"\[sale.refund_no_receipt\]"):
        returns.commit_return_without_receipt(cashier, line, tender="cash", restock=True, lane="1",
                                              settings=demo_store, approver=another_cashier)
    assert _counts() == before


def test_approved_it_refunds_todays_price_restocks_and_names_the_approver(demo_store):
    cashier = authenticate("cashier", "1111")
    stock = Product.get(Product.barcode == BREAD).stock
    line = scan("2*" + BREAD, demo_store.tax_rates())
    done = returns.commit_return_without_receipt(cashier, line, tender="cash", restock=True, lane="1",
                                                 settings=demo_store, approver=authenticate("supervisor", "2222"))
    assert (done.status, done.total, done.original) == ("return", -640, "")
    assert done.payments[0].tender == "cash" and done.payments[0].amount == -640
    assert done.lines[0].qty == Decimal(-2)
    assert Product.get(Product.barcode == BREAD).stock == stock + 2
    row = AuditLog.select().where(AuditLog.action == "sale.refund_no_receipt").get()
    assert '"approver": "supervisor"' in row.details and row.username == "cashier"
    assert check_store() == []


def test_a_supervisor_needs_no_one_within_their_limit_and_a_write_off_moves_no_stock(demo_store):
    supervisor = authenticate("supervisor", "2222")
    stock = Product.get(Product.barcode == BREAD).stock
    done = returns.commit_return_without_receipt(supervisor, scan(BREAD, demo_store.tax_rates()), tender="cash",
                                                 restock=False, lane="1", settings=demo_store)
    assert done.total == -320
    assert Product.get(Product.barcode == BREAD).stock == stock
    demo_store.set("limits.supervisor.refund_max", "1.00")
    with pytest.raises(NeedsApproval, match="over the supervisor's 1.00 limit"):
        returns.commit_return_without_receipt(supervisor, scan(BREAD, demo_store.tax_rates()), tender="cash",
                                              restock=False, lane="1", settings=demo_store)
