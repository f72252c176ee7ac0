"""End to end in tmux: an admin opens Reports, sees last month's sales with a chart, drills in, exports.

Last month, not the default this month: on the 1st this month has hardly a sale yet.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.e2e.terminal import POS, Terminal

pytestmark = pytest.mark.e2e


def _export_path(screen: str) -> Path:
    flat = "".join(line.strip() for line in screen.splitlines())  # a long path wraps in the notice
    found = re.search(r"Exported to\s*(\S+?\.csv)", flat)
    assert found, screen
    return Path(found.group(1))


def test_admin_sees_sales_with_a_chart_drills_into_a_category_and_exports(demo_home):
    store = demo_home
    term = Terminal([POS, "demo", "--keep", str(store)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("admin", "Enter")
        term.send("admin", "Enter")
        term.wait_for("Barcode")
        term.send("F12")
        term.wait_for("Reports")
        term.send("r")
        term.wait_for("F9 exports")
        term.send("F3")  # the period: N, last month
        term.wait_for("last month")
        term.send("n")
        screen = term.wait_for("sales by category | last month")
        screen = term.wait_for("F9 exports")
        assert "net by day" in screen and re.search(r"[▁▂▃▄▅▆▇█]", screen), screen
        assert "previous period: net" in screen
        assert "Export" in screen.splitlines()[-1]  # the footer fits at 80 columns
        first = re.match(r"^\s*(\S.*?)\s{2,}-?\d", screen.splitlines()[2])  # the top category, under the header
        assert first, screen
        term.send("Enter")
        term.wait_for(f"sales by product in {first.group(1)} | last month")
        term.wait_for("F9 exports")
        term.send("F9")
        screen = term.wait_for("Exported to")
        path = _export_path(screen)
        assert path.parent == store / "exports"
        with open(path, newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        assert lines[0][0] == "product" and lines[-1][0] == "total"
        net = lines[0].index("net")
        assert sum(int(r[net].replace(".", "")) for r in lines[1:-1]) == int(lines[-1][net].replace(".", ""))
        term.send("Escape")
        term.wait_for("sales by category | last month")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
