"""SIGKILL mid-basket: the till comes back with the cart, and nothing was half-committed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD, HALLOUMI = "4010079190010", "9313246790415"


def _count(db, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def _till_pids(store) -> list[int]:
    found = subprocess.run(["pgrep", "-f", f"demo --keep {store}"], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found if int(pid) != os.getpid()]


def _wait(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # polling interval of a wait


def test_sigkill_mid_basket_then_restart_brings_the_cart_back(demo_home):
    store = demo_home
    db = store / "pos.db"
    first = Terminal([POS, "demo", "--keep", str(store)])
    try:
        first.wait_for("Password or PIN", timeout=60)
        sales_before = _count(db, "select count(*) from sale")
        first.send("cashier", "Enter")
        first.send("1111", "Enter")
        first.wait_for("Barcode")
        first.send(BREAD, "Enter", HALLOUMI, "Enter")
        first.wait_for("Halloumi 225g")
        _wait(lambda: _count(db, "select count(*) from held_cart where kind = 'open'") == 1, "the saved cart")
        pids = _till_pids(store)
        assert pids, "the till process was not found"
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        first.wait_exit()
    finally:
        first.close()
    assert _count(db, "select count(*) from sale") == sales_before

    second = Terminal([POS, "demo", "--keep", str(store)])
    try:
        second.wait_for("Password or PIN", timeout=60)
        second.send("cashier", "Enter")
        second.send("1111", "Enter")
        second.wait_for("Restored the unfinished cart (2 lines)")
        second.wait_for("Sourdough Loaf 800g")
        assert "Halloumi 225g" in second.screen()
        second.send("F10")
        second.wait_for("Amount due")
        second.send("Enter")
        second.wait_for("saved")
        second.send("C-q")
        second.wait_exit()
    finally:
        second.close()
    listed = subprocess.run([POS, "--home", str(store), "sale", "list", "--json"],
                            capture_output=True, text=True, env=clean_env(), check=True)
    sales = json.loads(listed.stdout)
    assert len(sales) == sales_before + 1
    assert [line["barcode"] for line in sales[-1]["lines"]] == [BREAD, HALLOUMI]
    assert _count(db, "select count(*) from held_cart") == 0
