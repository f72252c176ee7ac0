"""End to end in tmux: a cashier signs a new customer up from F5 and sells to them."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD = "4010079190010"


def _pos_json(store, *args: str):
    done = subprocess.run([POS, "--home", str(store), *args, "--json"], capture_output=True, text=True,
                          env=clean_env(), check=True)
    return json.loads(done.stdout)


def test_a_cashier_adds_a_new_customer_from_f5_and_sells_to_them(demo_home):
    store = demo_home
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("cashier", "Enter")
        term.send("1111", "Enter")
        term.wait_for("Barcode")
        term.send(BREAD, "Enter")
        term.wait_for("3.20")
        term.send("F5")
        term.wait_for("Find a customer")
        term.send("Nia Okafor")
        term.wait_for("0 found")
        term.send("F2")
        screen = term.wait_for("New customer")
        assert "Postcode:" in screen and "F10: save" in screen  # the whole form fits 80x24
        term.send("Enter", "07700 900444", "Enter", "nia@example", "Enter", "9 Tannery Row", "Enter", "Leeds",
                  "Enter", "LS9 8AB", "Enter")
        term.wait_for("not an address like name@example.com")
        term.send(".com", "F10")
        term.wait_for("Customer: Nia Okafor")
        term.send("F10")
        term.wait_for("Amount due")
        term.send("5", "Enter")
        term.wait_for("Change due: 1.80")
        term.send("F5")
        term.wait_for("Find a customer")
        term.send("LS9 8AB")
        term.wait_for("1 found")
        term.send("F3")
        term.wait_for("1 visit, spent 3.20")
        term.send("Escape")
        term.wait_for("1 found")
        term.send("Escape")
        term.wait_for("Barcode")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
    [nia] = _pos_json(store, "customer", "list", "--search", "Nia Okafor")
    shown = _pos_json(store, "customer", "show", str(nia["id"]))
    assert (shown["phone"], shown["email"], shown["visits"], shown["spent"]) == (
        "07700 900444", "nia@example.com", 1, "3.20")
    assert [(a["street"], a["postcode"]) for a in shown["addresses"]] == [("9 Tannery Row", "LS9 8AB")]
    assert _pos_json(store, "sale", "list")[-1]["customer"] == "Nia Okafor"
