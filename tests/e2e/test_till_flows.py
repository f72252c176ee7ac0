"""End to end in tmux: a split-tender sale, and a return a supervisor approves."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _sales(store) -> list[dict]:
    listed = subprocess.run([POS, "--home", str(store), "sale", "list", "--json"],
                            capture_output=True, text=True, env=clean_env(), check=True)
    return json.loads(listed.stdout)


def _login(term: Terminal, user: str, pin: str) -> None:
    term.wait_for("Password or PIN", timeout=60)
    term.send(user, "Enter")
    term.send(pin, "Enter")
    term.wait_for("Barcode")


def test_split_tender_sale_card_then_cash(demo_home):
    store = demo_home
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        _login(term, "cashier", "1111")
        term.send(BREAD, "Enter", HALLOUMI, "Enter")
        term.wait_for("5.95")
        term.send("F10")
        term.wait_for("Amount due")
        term.send("4", "k")
        term.wait_for("reference")
        term.send("AUTH42", "Enter")
        term.wait_for("1.95 still due")
        term.send("10", "Enter")
        term.wait_for("Change due: 8.05")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
    last = _sales(store)[-1]
    assert last["total"] == "5.95"
    assert [(t["tender"], t["amount"], t["tendered"], t["change"], t["reference"]) for t in last["tenders"]] == [
        ("card", "4.00", "4.00", "0.00", "AUTH42"), ("cash", "1.95", "10.00", "8.05", ""),
    ]


def test_return_with_a_supervisor_override(demo_home):
    store = demo_home
    # Set before the demo store is built: the demo keeps the folder's config.toml.
    subprocess.run([POS, "--home", str(store), "config", "set", "limits.cashier.refund_max", "0.10"],
                   capture_output=True, env=clean_env(), check=True)
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        _login(term, "cashier", "1111")
        term.send("F7")
        term.wait_for("Receipt number")
        term.send("1-000005", "Enter")
        term.wait_for("Return from receipt 1-000005")
        term.send("1", "Enter")
        term.send("F10")
        term.wait_for("refund in cash")
        term.send("c")
        term.wait_for("restock")
        term.send("s")
        term.wait_for("Supervisor approval")
        term.send("supervisor", "Enter")
        term.send("2222", "Enter")
        term.wait_for("Return 1-")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
    last = _sales(store)[-1]
    assert last["status"] == "return" and last["total"].startswith("-")
    audit_rows = subprocess.run(
        [str(Path(POS).parent / "python"), "-c",
         "import sys, json; from pos_tui.config import load_settings; from pos_tui.services.store import open_store;"
         "from pos_tui.services import audit; open_store(load_settings(sys.argv[1]));"
         "print(json.dumps([e.details for e in audit.entries('sale.refund')]))", str(store)],
        capture_output=True, text=True, env=clean_env(), check=True)
    assert json.loads(audit_rows.stdout)[0]["approver"] == "supervisor"
