"""The till in Simplified Chinese (issue 11): the store's language at login, the user's own after it.

A zh_CN store: the login screen, a cash sale with change (totals, payment
dialog, footer) and the receipt view in Chinese; an English user logging in
next gets English. An English store: a user whose language is zh_CN gets a
Chinese till and F1 help, while the login and lock screens stay English.
"""

from __future__ import annotations

import pytest

from pos_tui.config import save_settings
from pos_tui.i18n import current_language, set_language
from pos_tui.services.context import Actor
from pos_tui.services.user_language import set_user_language
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.help import HelpModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.receipt_view import ReceiptModal
from pos_tui.tui.screens.checkout import CheckoutScreen
from pos_tui.tui.screens.lock import LockScreen

from tests.tui.pilot_helpers import login, scan, settle_workers, shown, wait_until

BREAD = "4010079190010"  # 3.20
HALLOUMI = "9313246790415"  # 2.75


@pytest.fixture(autouse=True)
def _english_after() -> None:
    """The language is the process's: whatever a test does, the next one starts in English."""
    yield
    set_language("en")


async def _footer(pilot) -> str:
    """The footer's keys, once the footer has drawn them (it composes after the screen)."""
    app = pilot.app
    await wait_until(pilot, lambda: app.screen.query("KeyLines"), "the footer's keys")
    return str(app.screen.query_one("KeyLines").render())


@pytest.fixture
def chinese_store(demo_store):
    demo_store.set("locale", "zh_CN")
    save_settings(demo_store)
    return demo_store


async def test_a_sale_in_a_chinese_store_then_an_english_user_gets_english(chinese_store):
    set_user_language(Actor.cli(), "supervisor", "en")
    app = PosApp(chinese_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#login-lane"), "the login screen")
        assert shown(app, "#login-lane") == "收银台 1"
        assert app.screen.query_one("#username").placeholder == "用户名"

        await login(pilot, "cashier", "1111")
        footer = await _footer(pilot)
        assert "付款" in footer and "Pay" not in footer
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2, "two lines")
        assert "合计" in shown(app, "#totals") and "5.95" in shown(app, "#totals")

        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
        assert shown(app, "#payment-due") == "应付：5.95"
        assert "回车 = 现金" in shown(app, "#payment-keys") and "K 银行卡" in shown(app, "#payment-keys")
        await pilot.press(*"10")
        await wait_until(pilot, lambda: "找零 4.05" in shown(app, "#payment-message"), "the change shown")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "找零" in shown(app, "#totals"), "the sale")
        assert "已付" in shown(app, "#totals") and "4.05" in shown(app, "#totals")
        assert "应找零：4.05" in shown(app, "#notice")

        await pilot.press("ctrl+p")  # the receipt, as printed: in the store's language
        await wait_until(pilot, lambda: isinstance(app.screen, ReceiptModal), "the receipt view")
        receipt = shown(app, "#receipt-text")
        assert "合计" in receipt and "找零" in receipt and "TOTAL" not in receipt
        await settle_workers(app)

    app = PosApp(chinese_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        assert "Pay" in await _footer(pilot) and "TOTAL" in shown(app, "#totals")
        assert current_language() == "en"


async def test_a_chinese_user_in_an_english_store_gets_chinese_after_an_english_login(demo_store):
    set_user_language(Actor.cli(), "cashier", "zh_CN")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#login-lane"), "the login screen")
        assert shown(app, "#login-lane") == "Lane 1"

        await login(pilot, "cashier", "1111")
        assert shown(app, "#notice") == "扫描或输入条码，然后按回车"
        assert "付款" in await _footer(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpModal), "the help")
        assert shown(app, "#help-title") == "帮助：收银"
        assert "按名称搜索" in shown(app, "#help-howto") and "付款" in shown(app, "#help-keys")
        await pilot.press("t")
        assert "扫描枪没有反应" in shown(app, "#help-trouble")
        await pilot.press("escape")

        app.last_activity -= 5 * 60 + 1  # idle: the lock speaks the store's language, the unlock gives hers back
        app.lock_if_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, LockScreen) and app.screen.query("#password"), "the lock")
        assert shown(app, "#login-title") == "Till locked"
        await pilot.press(*"1111", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CheckoutScreen), "the till back")
        assert current_language() == "zh_CN" and "付款" in await _footer(pilot)
    assert current_language() == "en"  # the till gives the language back when it exits


def test_the_chinese_troubleshooting_names_the_same_commands_and_problems_as_the_english():
    from pos_tui.help_text import commands, headings, troubleshooting
    from pos_tui.tui.modals.help import troubleshooting_text

    set_language("zh_CN")
    chinese = troubleshooting_text()
    assert chinese != troubleshooting()
    assert sorted(set(commands(chinese))) == sorted(set(commands(troubleshooting())))
    assert len(headings(chinese)) == len(headings(troubleshooting()))


def test_totals_and_cart_amounts_keep_their_columns_in_chinese():
    from rich.cells import cell_len

    from pos_tui.tui.widgets.cart_table import _fitted
    from pos_tui.tui.widgets.totals_panel import _row

    assert cell_len(_row("合计", "5.95")) == cell_len(_row("TOTAL", "5.95")) == 24
    assert _row("税（含）", "0.54").endswith(" 0.54") and cell_len(_row("税（含）", "0.54")) == 24
    assert (_fitted(123456, "price"), _fitted(12345678, "total")) == ("1,234.56", "123456.78")  # grouped if it fits
