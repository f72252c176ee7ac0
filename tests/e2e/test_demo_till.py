"""End to end: `pos demo --keep DIR` in tmux, a cashier sells three items with a scanner burst."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD, HALLOUMI, MILK_CODE = "4010079190010", "9313246790415", "2100001012342"


def test_cashier_sells_three_scanned_items_in_a_real_terminal(tmp_path):
    store = tmp_path / "demo-store"
    term = Terminal([POS, "demo", "--keep", str(store)], env={"POS_HOME": str(tmp_path / "unused")})
    try:
        term.wait_for("Password or PIN", timeout=60)
        assert "cashier / 1111" in term.screen()
        term.send("cashier", "Enter")
        term.send("1111", "Enter")
        term.wait_for("Barcode")
        # A scanner burst: three codes, each ended by Enter, in one write.
        term.send(BREAD, "Enter", HALLOUMI, "Enter", MILK_CODE, "Enter")
        screen = term.wait_for("Loose Bananas")
        assert "Sourdough Loaf 800g" in screen and "Halloumi 225g" in screen
        assert "7.31" in screen
        term.send("F10")
        term.wait_for("Amount due")
        term.send("Enter")
        term.wait_for("saved")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()

    listed = subprocess.run([POS, "--home", str(store), "sale", "list", "--json"],
                            capture_output=True, text=True, env=clean_env(), check=True)
    last = json.loads(listed.stdout)[-1]
    assert last["cashier"] == "cashier" and last["status"] == "completed"
    assert [line["barcode"] for line in last["lines"]] == [BREAD, HALLOUMI, MILK_CODE]
    assert last["total"] == "7.31"
    assert last["tenders"] == [{"tender": "cash", "amount": "7.31", "tendered": "7.31", "change": "0.00", "reference": ""}]
