"""The till at 80x24 on any terminal: every footer key shown, ASCII on the Linux console, no animations."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from pos_tui.tui.app import PosApp
from pos_tui.tui.console import to_ascii
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.help import HelpModal
from pos_tui.tui.screens.lock import LockScreen
from pos_tui.tui.widgets.key_footer import KeyLines, pack

from tests.tui.pilot_helpers import login, scan, shown, wait_until

BOX_GLYPHS = {chr(c) for c in range(0x2500, 0x25A0)}


def _footer_text(app) -> str:
    return str(app.screen.query_one(KeyLines).render())


def _shown_keys(app) -> list[str]:
    return [f"{app.get_key_display(b.binding)} {b.binding.description}"
            for b in app.screen.active_bindings.values() if b.binding.show and b.binding.description]


def test_footer_items_are_packed_whole_and_in_order():
    items = [("a" * 30, 30), ("b" * 30, 30), ("c" * 30, 30), ("d" * 90, 90), ("e", 1)]
    assert pack(items, 80) == [[0, 1], [2], [3], [4]]  # one too wide for a line still gets its own
    assert pack(items[:2], 61) == [[0, 1]]


async def test_every_checkout_key_and_the_total_fit_80x24(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the bread")
        footer = _footer_text(app)
        expected = _shown_keys(app)
        assert len(expected) >= 15
        for item in expected:
            assert item in footer.replace("\n", " "), item
        lines = app.screen.query_one(KeyLines)
        assert lines.region.bottom <= 24 and lines.region.height == footer.count("\n") + 1 <= 2
        totals = app.screen.query_one("#totals")
        assert totals.region.bottom <= lines.region.y  # nothing under the footer
        assert "TOTAL" in shown(app, "#totals") and "3.20" in shown(app, "#totals")


async def test_login_offers_help_but_no_menu_and_the_lock_screen_cannot_be_got_round(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LoginScreen", "login")
        await pilot.pause()
        footer = _footer_text(app)
        assert "f1 Help" in footer and "Quit" in footer and "Menu" not in footer
        await login(pilot, "supervisor", "2222")
        app.push_screen(LockScreen(app.actor))  # as after till.idle_lock_minutes
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen), "the lock screen")
        await pilot.pause()
        assert "Menu" not in _footer_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and not isinstance(app.screen, ChooseModal)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "help on the lock screen")
        assert "Menu" not in shown(app, "#help-keys") and "PIN" in shown(app, "#help-howto")


@pytest.mark.parametrize("term", ["linux", "xterm-256color"])
async def test_the_linux_console_gets_ascii_borders_and_ansi_colours(demo_store, monkeypatch, term):
    monkeypatch.setenv("TERM", term)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LoginScreen", "login")
        await pilot.pause()
        box, field = app.screen.query_one("#login-box"), app.screen.query_one("#username")
        drawn = "".join(segment.text for widget in (box, field)
                        for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
                        for segment in strip)
        if term == "linux":
            assert box.styles.border_top[0] == field.styles.border_top[0] == "ascii"
            assert app.current_theme.ansi and app.current_theme.primary.startswith("ansi_")
            assert not BOX_GLYPHS & set(drawn) and "+---" in drawn
        else:
            assert box.styles.border_top[0] == "round" and not app.current_theme.ansi
            assert BOX_GLYPHS & set(drawn)


def test_ascii_stands_in_for_every_box_and_block_glyph():
    assert not BOX_GLYPHS & set(to_ascii("".join(sorted(BOX_GLYPHS))))
    assert to_ascii("╭─┬─╮│▊▔▁") == "+-+-+||-_"


@pytest.mark.parametrize("setting, level", [(False, "none"), (True, "full")])
async def test_animations_are_off_unless_the_shop_turns_them_on(demo_store, setting, level, monkeypatch):
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    demo_store.set("till.animations", setting)
    app = PosApp(demo_store)
    assert app.animation_level == level
