"""End to end in tmux: an admin opens the audit log from the menu and finds their own login."""

from __future__ import annotations

import re

import pytest

from tests.e2e.terminal import POS, Terminal

pytestmark = pytest.mark.e2e


def test_admin_sees_their_own_login_in_the_audit_log(demo_home):
    term = Terminal([POS, "demo", "--keep", str(demo_home)])
    try:
        term.wait_for("Password or PIN", timeout=60)
        term.send("admin", "Enter")
        term.send("admin", "Enter")
        term.wait_for("Barcode")
        term.send("F12")
        term.wait_for("Audit log")
        term.send("a")
        screen = term.wait_for("Page 1")
        assert re.search(r"^\s*\d\d-\d\d \d\d:\d\d\s+admin\s+\S+\s+login\s+admin\s*$", screen, re.MULTILINE), screen
        assert "Verify chain" in screen  # the footer fits at 80 columns
        term.send("F9")
        term.wait_for("Chain intact")
        term.send("C-q")
        term.wait_exit()
    finally:
        term.close()
