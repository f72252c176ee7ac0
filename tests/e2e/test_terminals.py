"""End to end at 80x24 on the Linux console and on xterm: a sale, the help and three areas, each screen checked.

One tmux session per TERM value: log in, sell, open the help, visit Products,
Stock and Reports; every capture must show the screen's whole footer and, on
TERM=linux, not one box-drawing or block glyph.
"""

from __future__ import annotations

import re

import pytest

from pos_tui.tui.app import PosApp
from pos_tui.tui.screens.checkout import CheckoutScreen
from pos_tui.tui.screens.products import ProductsScreen
from pos_tui.tui.screens.reports import ReportsScreen
from pos_tui.tui.screens.stock import StockScreen

from tests.e2e.terminal import POS, Terminal, clean_env

pytestmark = pytest.mark.e2e

BREAD = "4010079190010"  # Sourdough Loaf 800g, 3.20
GLYPHS = re.compile("[\u2500-\u259f]")  # box drawing and block elements


def footer_items(screen_class) -> list[str]:
    """The footer's items as drawn ("f10 Pay", "^p Reprint"): the screen's shown keys and the app's."""
    items = []
    for binding in [*screen_class.BINDINGS, *PosApp.BINDINGS]:
        if binding.show and binding.description:
            key = binding.key.split(",")[0]
            items.append(f"{'^' + key[5:] if key.startswith('ctrl+') else key} {binding.description}")
    return items


def check(screen: str, term: str, screen_class=None) -> None:
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    if screen_class is not None:
        bottom = " ".join(lines[-3:])
        missing = [item for item in footer_items(screen_class) if item not in bottom]
        assert not missing, f"footer lacks {missing}:\n{screen}"
    if term == "linux":
        assert not GLYPHS.search(screen), f"box-drawing glyphs on the Linux console:\n{screen}"


@pytest.mark.parametrize("term", ["linux", "xterm-256color"])
def test_a_sale_the_help_and_the_areas_fit_80x24(demo_store, term):
    from pos_tui.db.database import close_database

    close_database()  # the copy of the demo store built once per test process; `pos demo --keep` opens it
    term_session = Terminal([POS, "demo", "--keep", str(demo_store.home)], env=clean_env(), term=term)
    try:
        check(term_session.wait_for("Password or PIN", timeout=60), term)
        term_session.send("admin", "Enter")
        term_session.send("admin", "Enter")
        term_session.wait_for("Barcode")
        term_session.send(BREAD, "Enter")
        screen = term_session.wait_for("Sourdough Loaf 800g")
        check(screen, term, CheckoutScreen)
        assert re.search(r"Drawer: shut\s*$", screen.splitlines()[0]), screen  # the status line's right end
        total = [line for line in screen.splitlines() if "TOTAL" in line]
        assert total and re.search(r"TOTAL\s+3\.20\s*$", total[0]), screen

        term_session.send("F10")
        check(term_session.wait_for("Amount due"), term)
        term_session.send("Enter")
        check(term_session.wait_for("Change due"), term, CheckoutScreen)

        term_session.send("F1")
        screen = term_session.wait_for("Help: Checkout")
        check(screen, term)
        assert "Esc or F1 closes" in screen  # the help's last line is on the screen
        term_session.send("t")
        check(term_session.wait_for("The scanner does nothing"), term)
        term_session.send("Escape")
        term_session.wait_for("Change due")

        if term == "xterm-256color":  # the same screens draw real boxes where the terminal has them
            assert GLYPHS.search(term_session.screen())

        for letter, title, screen_class in (("P", "Products |", ProductsScreen), ("K", "Stock |", StockScreen),
                                            ("R", "Reports |", ReportsScreen)):
            term_session.send("F12")
            term_session.wait_for("Go to")
            term_session.send(letter)
            term_session.wait_for(title)
            check(term_session.wait_for(footer_items(screen_class)[-1]), term, screen_class)
        term_session.send("C-q")
        term_session.wait_exit()
    finally:
        term_session.close()
