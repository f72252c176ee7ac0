"""End to end in tmux: a supervisor receives a delivery by a scanner burst, then counts a shelf."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.terminal import POS, Terminal

pytestmark = pytest.mark.e2e

SOURDOUGH, WHITE = "4010079190010", "7610158380027"


def _stock(db, barcode: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT stock FROM product WHERE barcode = ?", (barcode,)).fetchone()[0] // 1000
    finally:
        conn.close()


def _moves(db, reference: str) -> list[tuple[str, str, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT p.barcode, m.reason, m.delta / 1000 FROM stock_move m JOIN product p ON p.id = m.product_id "
            "WHERE m.reference = ? ORDER BY p.barcode", (reference,)).fetchall()
    finally:
        conn.close()


def test_a_supervisor_receives_a_burst_and_applies_a_stocktake(demo_home):
    store = demo_home
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("supervisor", "Enter")
        term.send("2222", "Enter")
        term.wait_for("Barcode")
        db = store / "pos.db"
        before = {code: _stock(db, code) for code in (SOURDOUGH, WHITE)}
        term.send("F12")
        term.wait_for("Stock")
        term.send("k")
        term.wait_for("Low stock")
        term.wait_for("f12 Menu")  # the hub's footer fits at 80 columns
        term.send("F2")
        term.wait_for("Supplier")
        term.send("Enter", "DN-900", "Enter")
        term.wait_for("Scan the items of DN-900")
        term.wait_for("f10 Receive")  # the footer fits at 80 columns (it redraws as the focus moves)
        # a scanner's burst: six codes and their Enters in one write
        burst = []
        for code in (SOURDOUGH, WHITE, SOURDOUGH, SOURDOUGH, WHITE, SOURDOUGH):
            burst += [code, "Enter"]
        term.send(*burst)
        term.wait_for("2 line(s), 6 units")
        term.send("F10")
        term.wait_for("Received 2 line(s), 6 units as DN-900")
        assert _moves(db, "DN-900") == [(SOURDOUGH, "receive", 4), (WHITE, "receive", 2)]

        term.send("Escape")
        term.wait_for("Low stock")
        term.send("F3")
        term.wait_for("the whole shop")
        term.send("w")
        term.wait_for("Opened ST-")
        term.wait_for("f12 Menu")
        term.send(SOURDOUGH, "Enter", SOURDOUGH, "Enter", f"5*{WHITE}", "Enter")
        term.wait_for(f"counted 5, on hand {before[WHITE] + 2}")
        term.send("F10")
        screen = term.wait_for("Apply ST-")
        assert "not counted to 0" in screen
        term.send("y")
        term.wait_for("Applied ST-1: 2 stock move(s)")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
    assert (_stock(db, SOURDOUGH), _stock(db, WHITE)) == (2, 5)
    assert _moves(db, "ST-1") == [(SOURDOUGH, "stocktake", 2 - before[SOURDOUGH] - 4),
                                  (WHITE, "stocktake", 5 - before[WHITE] - 2)]
