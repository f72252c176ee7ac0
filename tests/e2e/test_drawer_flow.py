"""End to end in tmux: a cash sale on the simulated devices prints its receipt through the
queue into POS_HOME/receipts/ and the drawer opening is in the audit."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import POS, Terminal, clean_env, sell_for_cash

pytestmark = pytest.mark.e2e

BREAD = "4010079190010"  # 3.20


def _audit(store: Path, action: str) -> list[dict]:
    rows = subprocess.run(
        [str(Path(POS).parent / "python"), "-c",
         "import sys, json; from pos_tui.config import load_settings; from pos_tui.services.store import open_store;"
         "from pos_tui.services import audit; open_store(load_settings(sys.argv[1]));"
         "print(json.dumps([{'user': e.username, 'lane': e.target, **e.details} for e in audit.entries(sys.argv[2])]))",
         str(store), action],
        capture_output=True, text=True, env=clean_env(), check=True)
    return json.loads(rows.stdout)


def _wait_for_file(path: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return path.read_text(encoding="utf-8")
        time.sleep(0.05)  # polling interval of a wait, not a fixed delay
    raise AssertionError(f"{path} never appeared")


def test_a_cash_sale_prints_through_the_queue_and_the_drawer_opening_is_audited(demo_home):
    store = demo_home
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        receipt_no = sell_for_cash(term, BREAD, "3.20", "5", "1.80")
        receipt = _wait_for_file(store / "receipts" / f"{receipt_no}.txt")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
    assert receipt_no in receipt and "Sourdough Loaf 800g" in receipt and "1.80" in receipt
    assert f"open sale {receipt_no}" in (store / "receipts" / "drawer.log").read_text(encoding="utf-8")
    (opening,) = [row for row in _audit(store, "drawer.open") if row.get("receipt") == receipt_no]
    assert (opening["user"], opening["lane"], opening["why"], opening["outcome"]) == ("cashier", "1", "sale", "opened")
