"""The order status machine under random actions, legal and illegal.

A model kept here (its own table of what is allowed, its own stock count)
predicts every outcome. Invariants after each step: every order's status
is the model's, an illegal or refused action changed nothing at all,
reserved stock is the sum of approved and packed lines, available stock
never goes below zero, and stock is the sum of its moves (check_store).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import fn

from hypothesis import HealthCheck, settings as hsettings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import AuditLog, DeliveryOrder, OrderEvent, OrderPayment, OutboxMessage, Product, StockMove
from pos_tui.errors import AuthError, PosError
from pos_tui.services import integrity, orders
from pos_tui.services.store import open_store
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop

PRICES = {TEA: 250, MILK: 100}
TOTAL_ABOVE = 1000  # orders over 10.00 wait for review
ACTIONS = ("submit", "approve", "reject", "pack", "ship", "deliver", "cancel", "return")
# The model's own table: action -> statuses it may start from (before permission, stock and fulfilment).
FROM = {
    "submit": {"draft"}, "approve": {"draft", "pending_review"}, "reject": {"pending_review"},
    "pack": {"approved"}, "ship": {"packed"}, "deliver": {"shipped", "packed"},
    "cancel": {"draft", "pending_review", "approved", "packed"}, "return": {"shipped", "delivered"},
}
SUPERVISOR_ONLY = {"approve", "reject", "ship", "return"}


@dataclass
class ModelOrder:
    number: str
    fulfilment: str
    lines: dict[str, int]
    status: str
    events: int


def _snapshot() -> tuple:
    return (tuple(DeliveryOrder.select(DeliveryOrder.number, DeliveryOrder.status, DeliveryOrder.paid).tuples()),
            OrderEvent.select().count(), OrderPayment.select().count(), OutboxMessage.select().count(),
            StockMove.select().count(), AuditLog.select().count())


class OrderMachine(RuleBasedStateMachine):
    template: Path
    people: dict

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="order-machine-"))
        close_database()
        shutil.copytree(self.template, self.folder, dirs_exist_ok=True)
        self.settings = load_settings(self.folder)
        open_store(self.settings)
        self.ids = {code: Product.get(Product.barcode == code).id for code in PRICES}
        self.stock = {code: int(Product.get(Product.barcode == code).stock) for code in PRICES}
        self.orders: list[ModelOrder] = []
        self.tracking = 0

    def teardown(self) -> None:
        close_database()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _reserved(self) -> dict[str, int]:
        held = {code: 0 for code in PRICES}
        for o in self.orders:
            if o.status in ("approved", "packed"):
                for code, qty in o.lines.items():
                    held[code] += qty
        return held

    def _fits(self, o: ModelOrder) -> bool:
        held = self._reserved()
        return all(qty <= self.stock[code] - held[code] for code, qty in o.lines.items())

    @rule(tea=st.integers(0, 4), milk=st.integers(0, 3), fulfilment=st.sampled_from(["delivery", "pickup"]),
          payment=st.sampled_from(["paid", "deposit", "on_delivery"]), submit=st.booleans())
    def create(self, tea, milk, fulfilment, payment, submit):
        lines = {code: qty for code, qty in ((TEA, tea), (MILK, milk)) if qty}
        before = _snapshot()
        cart_lines = [(code, Decimal(qty)) for code, qty in lines.items()]
        try:
            cart = orders.cart_from_lines(self.settings, cart_lines)
            made = orders.create_order(self.people["cathy"], self.settings, cart, customer_id=1, fulfilment=fulfilment,
                                       payment=payment, deposit=1 if payment == "deposit" else None, submit=submit)
        except PosError:
            assert not lines, "only an empty order may be refused here"
            assert _snapshot() == before
            return
        assert lines
        total = sum(PRICES[c] * q for c, q in lines.items())
        model = ModelOrder(made.number, fulfilment, lines, "draft", 1)
        if submit:
            model.status = "approved" if total <= TOTAL_ABOVE and self._fits(model) else "pending_review"
            model.events += 1
        self.orders.append(model)
        assert made.status == model.status

    @rule(index=st.integers(0, 30), action=st.sampled_from(ACTIONS), who=st.sampled_from(["cathy", "sam"]),
          pay=st.booleans())
    def act(self, index, action, who, pay):
        if not self.orders:
            return
        o = self.orders[index % len(self.orders)]
        actor, s, n = self.people[who], self.settings, o.number
        legal = o.status in FROM[action]
        if action == "ship" and o.fulfilment == "pickup":
            legal = False
        if action == "deliver" and o.status == "packed" and o.fulfilment == "delivery":
            legal = False
        if action == "deliver" and o.status == "shipped" and o.fulfilment == "pickup":
            legal = False
        allowed = legal and (who == "sam" or action not in SUPERVISOR_ONLY)
        if action == "cancel" and o.status in ("approved", "packed") and who != "sam":
            allowed = False
        if action == "approve" and allowed and not self._fits(o):
            allowed = False
        target = None
        if action == "submit" and legal:
            total = sum(PRICES[c] * q for c, q in o.lines.items())
            target = "approved" if total <= TOTAL_ABOVE and self._fits(o) else "pending_review"
        before = _snapshot()
        try:
            self.tracking += 1
            calls = {
                "submit": lambda: orders.submit_order(actor, s, n),
                "approve": lambda: orders.approve(actor, s, n, "checked"),
                "reject": lambda: orders.reject(actor, s, n, "no"),
                "pack": lambda: orders.pack(actor, s, n),
                "ship": lambda: orders.ship(actor, s, n, carrier="DPD", tracking=f"T{self.tracking}"),
                "deliver": lambda: orders.deliver(actor, s, n, tender="cash" if pay else None),
                "cancel": lambda: orders.cancel(actor, s, n),
                "return": lambda: orders.return_order(actor, s, n),
            }
            result = calls[action]()
        except AuthError:  # the permission is checked first, whatever the status
            assert who == "cathy" and not allowed, f"{action} by {who} from {o.status}"
            assert _snapshot() == before
            return
        except PosError as exc:
            assert not allowed, f"{action} by {who} from {o.status} refused: {exc}"
            assert _snapshot() == before
            return
        assert allowed, f"{action} by {who} from {o.status} ({o.fulfilment}) should have been refused"
        if action in ("ship",) or (action == "deliver" and o.status == "packed"):
            for code, qty in o.lines.items():
                self.stock[code] -= qty
        if action == "return":
            for code, qty in o.lines.items():
                self.stock[code] += qty
        o.status = target or {"approve": "approved", "reject": "cancelled", "pack": "packed", "ship": "shipped",
                              "deliver": "delivered", "cancel": "cancelled", "return": "returned"}[action]
        o.events += 1
        assert result.status == o.status

    @invariant()
    def statuses_are_the_models(self):
        found = dict(DeliveryOrder.select(DeliveryOrder.number, DeliveryOrder.status).tuples())
        assert found == {o.number: o.status for o in self.orders}

    @invariant()
    def timelines_chain(self):
        timeline: dict[str, list[OrderEvent]] = {}
        for event in OrderEvent.select(OrderEvent, DeliveryOrder.number).join(DeliveryOrder).order_by(OrderEvent.id):
            timeline.setdefault(event.order.number, []).append(event)
        for o in self.orders:
            events = timeline[o.number]
            assert len(events) == o.events
            assert all(a.status_to == b.status_from for a, b in zip(events, events[1:]))
            assert events[-1].status_to == o.status

    @invariant()
    def reserved_is_approved_and_packed_lines(self):
        held = orders.reserved(self.ids.values())
        assert {code: held[pid] for code, pid in self.ids.items()} == self._reserved()
        free = orders.available(self.ids.values())
        assert all(qty >= 0 for qty in free.values()), free

    @invariant()
    def stock_is_the_models_and_the_sum_of_moves(self):
        assert {code: int(Product.get_by_id(pid).stock) for code, pid in self.ids.items()} == self.stock
        assert integrity.check_store() == []

    @invariant()
    def money_taken_matches_payments(self):
        taken = dict(OrderPayment.select(OrderPayment.order, fn.SUM(OrderPayment.amount))
                     .group_by(OrderPayment.order).tuples())
        for order_id, paid in DeliveryOrder.select(DeliveryOrder.id, DeliveryOrder.paid).tuples():
            assert paid == taken.get(order_id, 0) >= 0


@pytest.mark.sqlite_only("each example starts from a copy of the store's files")
def test_no_sequence_of_actions_breaks_an_order_or_its_stock(store, admin_actor, tmp_path):
    shop = make_shop(store, admin_actor)
    for key in ("orders.review.discount_percent_above", "orders.review.on_delivery_above"):
        store.set(key, "")
    store.set("orders.review.total_above", "10.00")
    from pos_tui.config import save_settings

    save_settings(store)
    close_database()
    template = tmp_path / "template"
    shutil.copytree(store.home, template)
    OrderMachine.template = template
    OrderMachine.people = {"cathy": shop.cathy, "sam": shop.sam}
    run_state_machine_as_test(OrderMachine, settings=hsettings(
        max_examples=25, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
