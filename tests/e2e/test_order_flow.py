"""End to end in tmux: a cashier turns a basket into a delivery order; a supervisor takes it to delivered."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _pos_json(store, *args: str):
    done = subprocess.run([POS, "--home", str(store), *args, "--json"], capture_output=True, text=True,
                          env=clean_env(), check=True)
    return json.loads(done.stdout)


def _till(store) -> Terminal:
    return Terminal([POS, "demo", "--keep", str(store)], env=clean_env())


def _login(term: Terminal, user: str, password: str) -> None:
    term.wait_for("Password or PIN", timeout=60)
    term.send(user, "Enter")
    term.send(password, "Enter")
    term.wait_for("Barcode")


def _wait_current_not(term: Terminal, number: str) -> None:
    """Until the highlighted order is another one (polled like Terminal.wait_for)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(r"> (ORD-\d{6})", term.screen())
        if found and found.group(1) != number:
            return
        time.sleep(0.05)  # polling interval of a wait, not a fixed delay
    raise AssertionError(f"the highlight never left {number}; last screen:\n{term.screen()}")


def test_from_the_till_to_delivered(demo_home):
    store = demo_home
    term = _till(store)
    try:
        _login(term, "cashier", "1111")
        term.send(BREAD, "Enter")
        term.wait_for("3.20")
        term.send(HALLOUMI, "Enter")
        term.wait_for("2.75")
        term.send("C-o")
        term.wait_for("Find a customer")
        term.send("LC000103")
        term.wait_for("1 found")
        term.send("Enter")
        screen = term.wait_for("99 Church Road")  # the customer's default address, pre-filled
        assert "Siobhan O'Connor" in screen
        term.send("F10")
        term.wait_for("Amount due")
        term.send("Enter")  # the amount shown, in cash
        screen = term.wait_for("taken: approved")
        number = re.search(r"Order (ORD-\d{6}) taken", screen).group(1)
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()

    term = _till(store)
    try:
        _login(term, "supervisor", "2222")
        term.send("F12")
        term.wait_for("Orders")
        term.send("o")
        screen = term.wait_for("LATE")  # the demo's late orders come first, marked without colour
        assert "f12 Menu" in screen  # the footer fits at 80 columns
        for _ in range(20):  # down to the new order, one row at a time
            current = re.search(r"> (ORD-\d{6})", term.wait_for("> ORD-")).group(1)
            if current == number:
                break
            term.send("Down")
            _wait_current_not(term, current)
        term.wait_for(f"> {number} approved")
        term.send("F7")
        term.wait_for(f"{number} is packed")
        term.send("F8")
        term.wait_for("which carrier?")
        term.send("1")
        term.wait_for("Tracking no.")  # the form, not the carrier question
        term.send("TRK-E2E-1", "Enter", "next-day", "Enter", "Enter", "Enter")
        term.wait_for(f"{number} is shipped")
        term.send("F9")
        term.wait_for(f"{number} is delivered")
        term.send("F3")
        term.wait_for("Timeline")
        term.send("End")  # the timeline's last steps are below the fold at 24 rows
        term.wait_for("shipped -> delivered")
        term.send("Escape")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()

    shown = _pos_json(store, "order", "show", number)
    assert shown["status"] == "delivered" and shown["customer"] == "Siobhan O'Connor"
    assert (shown["tracking_number"], shown["service"], shown["paid"], shown["balance"]) == (
        "TRK-E2E-1", "next-day", shown["total"], "0.00")
    assert [(e["to"], e["user"], e["source"]) for e in shown["timeline"]] == [
        ("draft", "cashier", "till"), ("approved", "cashier", "till"), ("packed", "supervisor", "till"),
        ("shipped", "supervisor", "till"), ("delivered", "supervisor", "till")]
    assert [line["barcode"] for line in shown["lines"]] == [BREAD, HALLOUMI]
