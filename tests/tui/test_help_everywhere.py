"""F1 on every screen lists that screen's keys as mapped now, its how-to, and troubleshooting (T)."""

from __future__ import annotations

import re

from rich.color import Color as RichColor

from pos_tui.config import save_settings
from pos_tui.help_text import headings, troubleshooting
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import CountFormModal
from pos_tui.tui.modals.help import HelpModal

from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until


def _footer_keys(app) -> list[tuple[str, str]]:
    """What the footer offers on the screen in front: (key as shown, description)."""
    return [(app.get_key_display(b.binding), b.binding.description)
            for b in app.screen.active_bindings.values() if b.binding.show and b.binding.description]


async def _help_for_screen_in_front(pilot, app) -> tuple[list[tuple[str, str]], str, str, str]:
    """F1 on the screen in front: its footer keys just before, the help's keys, how-to and title; Esc closes."""
    await settle_workers(app)
    under = app.screen
    expected = _footer_keys(app)
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), f"help over {type(under).__name__}")
    keys, how, title = shown(app, "#help-keys"), shown(app, "#help-howto"), shown(app, "#help-title")
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is under, f"back at {type(under).__name__}")
    return expected, keys, how, title


def _assert_lists(keys_text: str, expected: list[tuple[str, str]], where: str) -> None:
    assert expected, f"{where}: no keys at all"
    for key, description in expected:
        pattern = rf"(^|\s){re.escape(key)}\s+{re.escape(description)}(\s|$)"
        assert re.search(pattern, keys_text, re.M), f"{where}: {key} {description!r} missing from\n{keys_text}"


async def test_f1_on_every_area_and_sub_screen_lists_its_own_keys_and_how_to(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        # Before anyone logs in: the app's own keys and how to log in.
        expected, keys, how, _ = await _help_for_screen_in_front(pilot, app)
        _assert_lists(keys, expected, "login")
        assert "password or PIN" in how

        await login(pilot, "admin", "admin")
        seen_titles = set()
        for area in app.areas:
            app.switch_mode(area.mode)
            await wait_until(pilot, lambda: app.current_mode == area.mode and app.screen.is_mounted, area.title)
            expected, keys, how, title = await _help_for_screen_in_front(pilot, app)
            _assert_lists(keys, expected, area.title)
            assert how.strip() and "{" not in how, f"{area.title}: how-to {how!r}"
            seen_titles.add(title)
        assert len(seen_titles) == len(app.areas) == 8  # each area its own help, admin sees all

        # Sub-screens: receiving and a stocktake from Stock, the blind count of a shift close.
        app.switch_mode("stock")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StockScreen", "stock")
        await pilot.press("f2")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ReceivingScreen", "receiving")
        expected, keys, how, _ = await _help_for_screen_in_front(pilot, app)
        _assert_lists(keys, expected, "receiving")
        assert "F10 receives it all" in how
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StockScreen", "back at stock")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the stocktake's scope")
        await pilot.press("w")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "StocktakeScreen" and app.screen.take is not None,
                         "the stocktake")
        expected, keys, how, _ = await _help_for_screen_in_front(pilot, app)
        _assert_lists(keys, expected, "stocktake")
        assert "F10 applies" in how

        app.switch_mode("checkout")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen", "checkout")
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "C" in app.screen.choices, "shift")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the close's blind count")
        expected, keys, how, _ = await _help_for_screen_in_front(pilot, app)
        _assert_lists(keys, expected, "shift close")
        assert "blind" in how and "F10" in how


async def test_help_follows_remapped_keys_and_is_itself_remappable(demo_store):
    demo_store.set("keys.checkout.search", "ctrl+f")
    demo_store.set("keys.app.help", "ctrl+k")
    save_settings(demo_store)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpModal)  # F1 was moved to Ctrl+K
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "help on Ctrl+K")
        keys, how = shown(app, "#help-keys"), shown(app, "#help-howto")
        _assert_lists(keys, [("^f", "Search"), ("^k", "Help"), ("f10", "Pay")], "remapped checkout")
        _assert_lists(keys, [("up", "Line up"), ("down", "Line down"), ("^r", "Retry print")], "hidden keys")
        assert not re.search(r"(^|\s)f2\s+Search", keys)
        assert "^f finds it by name" in how and "F2" not in how
        await pilot.press("ctrl+k")  # the help key closes it again
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen", "help closed")
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ProductSearchModal", "search on Ctrl+F")


async def test_t_in_the_help_shows_the_troubleshooting_and_t_goes_back(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "help")
        trouble = app.screen.query_one("#help-trouble")
        assert not trouble.display
        await pilot.press("t")
        await wait_until(pilot, lambda: trouble.display, "troubleshooting")
        text = shown(app, "#help-trouble")
        for heading in headings(troubleshooting()):
            assert heading in text
        assert "pos hardware test scanner" in text and "pos db restore PATH" in text
        assert not app.screen.query_one("#help-keys").display
        await pilot.press("t")
        await wait_until(pilot, lambda: not trouble.display and app.screen.query_one("#help-keys").display, "keys again")


def _grey(color: RichColor | None) -> bool:
    if color is None or color.is_default:
        return True
    r, g, b = color.get_truecolor()
    return r == g == b


async def test_no_color_leaves_no_colour_even_in_the_tills_own_error_styles(demo_store, monkeypatch):
    from textual.geometry import Region

    monkeypatch.setenv("NO_COLOR", "1")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")  # a line in the cart: the highlight's colour too
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the bread")
        await scan(pilot, "5000000000999")  # unknown: the notice turns to the error style (red)
        notice = app.screen.query_one("#notice")
        await wait_until(pilot, lambda: notice.error, "the error notice")
        for widget in (notice, app.screen.query_one("#status-row"), app.screen.query_one("#totals"),
                       app.screen.query_one("#cart")):
            strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
            for strip in strips:
                for segment in strip:
                    style = segment.style
                    if style is not None:
                        assert _grey(style.color) and _grey(style.bgcolor), (widget, segment)


async def test_a_refused_step_at_the_till_names_the_permission_it_needs(demo_store):
    from pos_tui.services import permissions
    from pos_tui.services.auth import authenticate
    from pos_tui.tui.modals.override import OverrideModal

    permissions.revoke(authenticate("admin", "admin"), "cashier", ["sale.void"])
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "4010079190010")
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the bread")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the void choice")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "a supervisor's approval")
        request = shown(app, "#override-request")
        assert "may not void [sale.void]" in request  # what `pos role grant cashier sale.void` would give
        assert app.screen.query_one("#override-request").region.right <= 80
