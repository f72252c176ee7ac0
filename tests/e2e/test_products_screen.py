"""End to end in tmux: a supervisor opens Products from the menu, searches, and adds an item by scanning it."""

from __future__ import annotations

import re

import pytest

from pos_tui.domain.barcodes import with_check_digit
from tests.e2e.terminal import POS, Terminal

pytestmark = pytest.mark.e2e


def test_supervisor_searches_and_adds_a_product_by_scanning_an_unknown_code(demo_home):
    code = with_check_digit("299999999999")  # not in the demo catalogue
    term = Terminal([POS, "demo", "--keep", str(demo_home)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("supervisor", "Enter")
        term.send("2222", "Enter")
        term.wait_for("Barcode")
        term.send("F12")
        term.wait_for("Products")
        term.send("p")
        term.wait_for("page 1:")
        screen = term.wait_for("Archive")  # the footer's keys fit at 80 columns
        assert "Add" in screen
        term.send("sourdough")
        screen = term.wait_for("Sourdough Loaf")
        rows = [line for line in screen.splitlines() if re.match(r"^\s*\d{8,14}\s", line)]
        assert rows and all("sourdough" in line.lower() for line in rows), screen
        term.send("Escape")
        term.wait_for("Search name, category")  # the search emptied (a key right after Esc would read as Alt+key)
        term.send(code, "Enter")  # as a wedge scanner types it
        screen = term.wait_for("Add a product")
        assert code in screen
        term.send("Oat Crackers 200g", "Tab", "1.85")
        term.send("F10")
        screen = term.wait_for("Added Oat Crackers 200g")
        term.send("oat crackers")
        screen = term.wait_for(f"{code}  Oat Crackers 200g")  # its row in the table
        assert re.search(rf"^\s*{code}\s+Oat Crackers 200g\s+1\.85\s", screen, re.MULTILINE), screen
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
