"""Stock on hand = the sum of its moves, after any sequence of sales, returns, receipts,
adjustments, stocktakes and imports (hypothesis stateful testing).

The machine keeps its own model of every product's stock and checks, after
each step, the model, the moves and `pos db check`'s integrity checks.
"""

from __future__ import annotations

import itertools
import shutil
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import Product, database
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import catalog as products, integrity, product_import, returns, sales, stock, stocktake
from pos_tui.services.stock import ReceiveLine
from pos_tui.services.store import open_store
from pos_tui.services.stock_moves import ADJUST_REASONS

WHOLE = st.integers(min_value=1, max_value=20).map(Decimal)
# from 10 g: even at 1.00/kg a sale of it costs something
GRAMS = st.integers(min_value=10, max_value=5000).map(lambda g: Decimal(g) / 1000)


def test_stock_always_equals_its_moves_and_the_model(catalog, store, admin_actor, tmp_path):
    rates = store.tax_rates()
    close_database()
    template = tmp_path / "template"
    shutil.copytree(store.home, template)
    runs = itertools.count()
    codes = {"tea": catalog.tea, "milk": catalog.milk, "apples": catalog.apples}

    def qty_for(name: str):
        return GRAMS if name == "apples" else WHOLE

    names = st.sampled_from(sorted(codes))

    class StockMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            # Each example on its own copy of the store, so a failing one replays the same way.
            close_database()
            folder = tmp_path / f"run-{next(runs)}"
            shutil.copytree(template, folder)
            open_store(load_settings(folder))
            self.model = {name: Product.get(Product.barcode == code).stock for name, code in codes.items()}
            self.receipts: list[str] = []

        @rule(name=names, data=st.data())
        def sell(self, name: str, data) -> None:
            qty = data.draw(qty_for(name))
            cart = Cart()
            cart.add(products.scan(f"{qty}*{codes[name]}", rates))
            info = sales.commit_sale(admin_actor, cart, [Tender("card", cart.totals().total)], lane="1")
            self.receipts.append(info.receipt_no)
            self.model[name] -= qty

        @precondition(lambda self: self.receipts)
        @rule(data=st.data(), restock=st.booleans())
        def return_goods(self, data, restock: bool) -> None:
            receipt = data.draw(st.sampled_from(self.receipts))
            sale = returns.returnable(receipt)
            line = sale.lines[0]
            if line.available <= 0:
                return
            qty = line.available if line.available != line.available.to_integral_value() else Decimal(1)
            returns.commit_return(admin_actor, receipt, {line.line_id: qty}, tender="card", restock=restock, lane="1")
            if restock:
                name = next(n for n, c in codes.items() if c == line.barcode)
                self.model[name] += qty

        @rule(name=names, data=st.data())
        def receive(self, name: str, data) -> None:
            qty = data.draw(qty_for(name))
            stock.receive(admin_actor, [ReceiveLine(codes[name], qty, data.draw(st.integers(0, 999)))], reference="DN")
            self.model[name] += qty

        @rule(name=names, data=st.data(), reason=st.sampled_from(ADJUST_REASONS), up=st.booleans())
        def adjust(self, name: str, data, reason: str, up: bool) -> None:
            qty = data.draw(qty_for(name))
            stock.adjust(admin_actor, codes[name], qty if up else -qty, reason)
            self.model[name] += qty if up else -qty

        @rule(data=st.data(), zero_uncounted=st.booleans())
        def stocktake_apply(self, data, zero_uncounted: bool) -> None:
            counted = data.draw(st.lists(names, unique=True, max_size=3))
            take = stocktake.open_stocktake(admin_actor)
            values = {}
            for name in counted:
                values[name] = data.draw(qty_for(name)) - (1 if name != "apples" else 0)
                stocktake.record_count(admin_actor, take.id, codes[name], values[name], mode="set")
            stocktake.apply(admin_actor, take.id, zero_uncounted=zero_uncounted)
            for name in self.model:
                if name in values:
                    self.model[name] = values[name]
                elif zero_uncounted:
                    self.model[name] = Decimal(0)

        @rule(name=names, data=st.data())
        def import_stock(self, name: str, data) -> None:
            level = data.draw(qty_for(name))
            row = next(r for r in product_import.parse_products(
                "barcode,name,price\n" f"{codes[name]},Re-imported {name},1.00\n", set(rates)))
            stock_row = product_import.ProductRow(
                line=row.line, barcode=row.barcode, name=row.name, price=row.price,
                present=frozenset({"stock"}), stock=level)
            product_import.import_products(admin_actor, [stock_row], source="import.csv")
            self.model[name] = level

        @invariant()
        def stock_is_the_sum_of_moves_and_the_model(self) -> None:
            rows = database.execute_sql(
                "SELECT p.barcode, p.stock, COALESCE(SUM(m.delta), 0) FROM product p "
                "LEFT JOIN stock_move m ON m.product_id = p.id GROUP BY p.id").fetchall()
            assert all(on_hand == moved for _, on_hand, moved in rows), rows
            now = {name: Product.get(Product.barcode == code).stock for name, code in codes.items()}
            assert now == self.model
            assert integrity.check_store() == []

    run_state_machine_as_test(StockMachine, settings=settings(
        max_examples=10, stateful_step_count=10, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
