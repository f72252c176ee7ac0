"""The open cart's autosave thread: the newest cart lands, and a save the database refuses is
reported without stopping the saves that follow."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from decimal import Decimal

import pytest

from pos_tui.domain.cart import Cart, CartLine
from pos_tui.services.autosave import CartAutosave
from pos_tui.services.held_carts import dumps, load_open, loads
from pos_tui.services.store import open_store

pytestmark = pytest.mark.sqlite_only  # the fault is SQLite's write lock


def _cart(lines: int) -> Cart:
    cart = Cart(merge_repeats=False)
    for n in range(lines):
        cart.add(CartLine(product_id=n + 1, barcode=f"{n:013d}", name=f"Item {n}", unit_price=100 + n,
                          qty=Decimal(1), tax_class="standard", tax_rate=Decimal("0.1")))
    return cart


def _saved_lines(lane: str) -> int:
    found = load_open(lane)
    return 0 if found is None else len(found[1].lines)


def test_a_cart_saved_again_and_again_reads_back_as_it_stands():
    encoded: dict = {}
    cart = _cart(3)
    assert dumps(cart, encoded) == dumps(cart)
    cart.lines[1] = replace(cart.lines[1], qty=Decimal("2.5"), discount=30)  # a changed line is a new line
    cart.lines.append(replace(cart.lines[0], name="Tea [green] 茶"))
    del cart.lines[0]
    again = dumps(cart, encoded)
    assert again == dumps(cart) and loads(again) == cart
    assert len(encoded) == 3  # only the cart's own lines are kept


def test_the_newest_cart_is_the_one_saved(store, admin_actor):
    saver = CartAutosave("1", admin_actor)
    try:
        for lines in range(1, 31):
            saver.save(_cart(lines))
        assert saver.flush()
        assert _saved_lines("1") == 30
        saver.save(_cart(0))  # an emptied cart clears the saved one
        assert saver.flush()
        assert load_open("1") is None
    finally:
        saver.stop()


def test_a_save_refused_while_the_database_is_held_is_reported_and_the_next_change_is_saved(store, admin_actor):
    store.set("database.busy_timeout_s", "1")
    open_store(store)
    errors: list[str] = []
    saver = CartAutosave("1", admin_actor, on_error=errors.append)
    holder = sqlite3.connect(store.home / "pos.db", isolation_level=None)
    try:
        saver.save(_cart(2))
        assert saver.flush()
        assert _saved_lines("1") == 2 and not errors

        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock past the busy timeout
        saver.save(_cart(3))
        assert saver.flush()
        assert errors and "busy" in errors[0]
        holder.execute("ROLLBACK")
        assert _saved_lines("1") == 2  # the refused save changed nothing

        saver.save(_cart(4))
        assert saver.flush()
        assert _saved_lines("1") == 4 and len(errors) == 1
    finally:
        holder.close()
        saver.stop()
