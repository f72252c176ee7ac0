"""End to end in tmux: a supervisor is warned of low stock at login, drafts the orders from the
reorder list, sends one, receives it, and adds a supplier, all in the real `pos` at 80x24."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e


def _pos(store, *args: str) -> str:
    done = subprocess.run([POS, "--home", str(store), *args], capture_output=True, text=True, env=clean_env(),
                          check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_supervisor_drafts_orders_from_the_low_stock_list_and_receives_one(demo_store):
    from pos_tui.db.database import close_database
    from pos_tui.services import reorder

    store = demo_store.home
    low = reorder.low_stock_count()
    needed = [s.barcode for s in reorder.suggestions() if s.suggested > 0]
    close_database()
    _pos(store, "supplier", "add", "Acme Wholesale", "--lead-time", "5")
    _pos(store, "supplier", "assign", "Acme Wholesale", *needed)

    term = Terminal([POS, "demo", "--keep", str(store)], env=clean_env())
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("supervisor", "Enter")
        term.send("2222", "Enter")
        screen = term.wait_for(f"{low} products low on stock (F12 > Purchasing)")
        assert f"{low} low on stock (F12)" in screen.splitlines()[0]  # the status line
        term.send("F12")
        term.wait_for("Purchasing")
        term.send("u")
        screen = term.wait_for("D drafts one PO per supplier")
        assert "Draft POs" in screen  # the view's keys are in the footer at 80 columns
        term.send("d")
        term.wait_for("Drafted PO-000001 (Acme Wholesale)")
        term.send("Enter")  # the order's lines
        term.wait_for("Esc back to the orders")
        term.send("o")
        term.wait_for("PO-000001 marked ordered")
        term.send("r")
        term.wait_for("still expected, filled in as due")
        term.send("F10")
        term.wait_for("PO-000001 received")
        term.send("F4")
        term.wait_for("Acme Wholesale")
        term.send("a")
        term.wait_for("Add a supplier")
        term.send("Dairy Direct", "Enter", "Sam", "Enter", "Enter", "Enter", "BSpace", "2", "F10")
        term.wait_for("Added supplier Dairy Direct")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()

    orders = json.loads(_pos(store, "po", "list", "--json"))
    assert [(o["number"], o["status"], o["supplier"]) for o in orders] == [("PO-000001", "received", "Acme Wholesale")]
    assert json.loads(_pos(store, "supplier", "show", "Dairy Direct", "--json"))["lead_time_days"] == 2
    assert "the database is sound" in _pos(store, "db", "check")
