"""`check_store`: a store that traded every way is sound; each kind of damage done by hand is named."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pos_tui.db.database import close_database
from pos_tui.db.models import database
from pos_tui.domain.cart import Cart
from pos_tui.domain.discount import Discount
from pos_tui.domain.tender import Tender
from pos_tui.services import returns, sales
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from pos_tui.services.integrity import check_store
from pos_tui.services.store import open_store
from tests.services.conftest import drop_audit_guards, raw_sql

BREAD = "4010079190010"  # demo catalogue: 3.20, reduced rate 5%
WATER = "9315147350651"  # 0.75, standard rate 20%


@dataclass(frozen=True)
class Trading:
    included: str  # tax-inclusive sale with a cart discount, cash rounded to 0.05
    added: str  # tax added at the till, a line discount, paid cash + card
    return_added: str  # part of `added` returned, restocked
    return_included: str  # part of `included` returned, not restocked
    training: str


def _cart(settings, included: bool, *codes: str) -> Cart:
    cart = Cart(prices_include_tax=included)
    for code in codes:
        cart.add(scan(code, settings.tax_rates()))
    return cart


@pytest.fixture
def trading(demo_store) -> Trading:
    """On top of the demo history: discounts, both tax modes, rounding, split tenders, returns, training."""
    cashier = authenticate("cashier", "1111")
    cart = _cart(demo_store, True, BREAD, BREAD, WATER)
    cart.discount_cart(Discount(percent=Decimal(10)))
    included = sales.commit_sale(cashier, cart, [Tender("cash", 2000)], lane="1", cash_step=5)
    assert included.rounding != 0  # 0.9 x (3.20 + 3.20 + 0.75) = 6.44 is paid as 6.45

    cart = _cart(demo_store, False, BREAD, WATER, WATER)
    cart.discount_line(0, Discount(amount=20))
    total = cart.totals().total
    added = sales.commit_sale(cashier, cart, [Tender("cash", 300), Tender("card", total - 300)], lane="1")

    line = returns.returnable(added.receipt_no).lines[1]
    back_added = returns.commit_return(cashier, added.receipt_no, {line.line_id: Decimal(1)}, tender="cash",
                                       restock=True, lane="1")
    line = returns.returnable(included.receipt_no).lines[0]
    back_included = returns.commit_return(cashier, included.receipt_no, {line.line_id: Decimal(1)}, tender="card",
                                          restock=False, lane="1")

    trainee = Actor(cashier.username, cashier.role, cashier.user_id, cashier.os_user, training=True)
    cart = _cart(demo_store, True, BREAD)
    training = sales.commit_sale(trainee, cart, [Tender("cash", cart.totals().total)], lane="1")
    return Trading(included.receipt_no, added.receipt_no, back_added.receipt_no, back_included.receipt_no,
                   training.receipt_no)


def _sql(statement: str, *params) -> None:
    database.execute_sql(raw_sql(statement), params)


def _found() -> set[tuple[str, str]]:
    return {(v.kind, v.where) for v in check_store()}


def test_a_store_that_traded_every_way_is_sound(trading):
    assert check_store() == []


def test_the_demo_store_with_its_history_is_sound(demo_store):
    assert check_store() == []


def test_stock_that_moved_without_a_move_row_is_named(trading):
    _sql("UPDATE product SET stock = stock + 1500 WHERE barcode = ?", BREAD)
    [violation] = check_store()
    assert (violation.kind, violation.where) == ("stock", f"product {BREAD}")
    assert "but its stock moves add up to" in violation.message


def test_a_lost_stock_move_is_named(trading):
    _sql("DELETE FROM stock_move WHERE id = (SELECT MAX(id) FROM stock_move)")
    assert {kind for kind, _ in _found()} == {"stock"}


@pytest.mark.parametrize("field, sql", [
    ("subtotal", "UPDATE sale SET subtotal = subtotal + 1 WHERE receipt_no = ?"),
    ("discount", "UPDATE sale SET discount_total = discount_total - 1 WHERE receipt_no = ?"),
    ("tax", "UPDATE sale SET tax_total = tax_total + 1 WHERE receipt_no = ?"),
])
@pytest.mark.parametrize("which", ["included", "added"])
def test_a_sale_figure_that_differs_from_its_lines_is_named(trading, field, sql, which):
    receipt = getattr(trading, which)
    _sql(sql, receipt)
    found = check_store()
    assert [(v.kind, v.where) for v in found] == [("sale_totals", f"sale {receipt}")]
    assert found[0].message.startswith(f"{field} is ")


def test_a_line_edited_after_the_sale_breaks_the_sums_of_its_sale(trading):
    _sql("UPDATE sale_line SET tax = tax + 3 WHERE id = (SELECT MIN(l.id) FROM sale_line l "
         "JOIN sale s ON s.id = l.sale_id WHERE s.receipt_no = ?)", trading.added)
    found = check_store()
    # Tax added at the till is part of the total, so both differ from the lines now.
    assert {(v.kind, v.where, v.message.split()[0]) for v in found} == {
        ("sale_totals", f"sale {trading.added}", "tax"), ("sale_totals", f"sale {trading.added}", "total"),
    }


@pytest.mark.parametrize("which", ["return_added", "return_included"])
def test_a_return_whose_total_was_changed_is_named_with_its_payment(trading, which):
    receipt = getattr(trading, which)
    _sql("UPDATE sale SET total = total + 100 WHERE receipt_no = ?", receipt)
    assert _found() == {("sale_totals", f"sale {receipt}"), ("payments", f"sale {receipt}")}


def test_a_payment_that_does_not_cover_the_total_and_rounding_is_named(trading):
    _sql("UPDATE payment SET amount = amount - 5 WHERE id = (SELECT MAX(p.id) FROM payment p "
         "JOIN sale s ON s.id = p.sale_id WHERE s.receipt_no = ?)", trading.added)
    found = check_store()
    assert [(v.kind, v.where) for v in found] == [("payments", f"sale {trading.added}")]


def test_cash_rounding_belongs_to_the_payments(trading):
    """Rounding dropped from a rounded sale: its payments no longer match."""
    rounding = database.execute_sql(raw_sql("SELECT rounding FROM sale WHERE receipt_no = ?"), (trading.included,)).fetchone()[0]
    _sql("UPDATE sale SET rounding = ? WHERE receipt_no = ?", rounding + 2, trading.included)
    assert _found() == {("payments", f"sale {trading.included}")}


def test_a_sale_without_lines_is_named(trading):
    _sql("DELETE FROM sale_line WHERE sale_id = (SELECT id FROM sale WHERE receipt_no = ?)", trading.training)
    found = check_store()
    assert [(v.kind, v.where, v.message) for v in found] == [("sale_totals", f"sale {trading.training}", "has no lines")]


@pytest.mark.sqlite_only("PostgreSQL cannot turn its foreign keys off: no such row can exist there")
def test_a_line_pointing_at_a_missing_product_is_a_foreign_key_violation(trading):
    line_id = database.execute_sql("SELECT MAX(id) FROM sale_line").fetchone()[0]
    _sql("PRAGMA foreign_keys = OFF")
    _sql("UPDATE sale_line SET product_id = 999999 WHERE id = ?", line_id)
    found = check_store()
    assert [(v.kind, v.where) for v in found] == [("foreign_key", f"sale_line row {line_id}")]
    assert "product" in found[0].message


def test_an_edited_audit_row_breaks_the_chain(trading):
    victim = database.execute_sql("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    drop_audit_guards()
    _sql("UPDATE audit_log SET details = '{}' WHERE id = ?", victim)
    assert _found() == {("audit_chain", f"audit row {victim}")}


@pytest.mark.sqlite_only("damages a page of the SQLite file")
def test_a_damaged_page_is_an_integrity_violation_not_a_crash(trading, demo_store):
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    root = database.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'sale_line'").fetchone()[0]
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    path = demo_store.home / "pos.db"
    with open(path, "r+b") as handle:  # scribble over the middle of the sale lines' b-tree root page
        handle.seek((root - 1) * page_size + 200)
        handle.write(bytes(range(256)) * 8)
    open_store(demo_store)
    found = check_store()
    assert found and {v.kind for v in found} == {"integrity"}
    assert all(v.where == "database" and v.message for v in found)
