"""A Chinese shop's till floor: the shift close and a return speak Simplified Chinese (issue 11)."""

from __future__ import annotations

import pytest

from textual.widgets import DataTable, Label

from pos_tui.config import save_settings
from pos_tui.domain.money import format_money
from pos_tui.i18n import set_language
from pos_tui.services.shifts import expected_cash
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.count_form import CountFormModal
from pos_tui.tui.modals.return_lines import ReturnLinesModal
from pos_tui.tui.modals.shift_report import ShiftReportModal

from tests.tui.pilot_helpers import login, shown, wait_until


@pytest.fixture
def chinese_store(demo_store):
    """The demo store in zh_CN (the conftest puts the process back in English after each test)."""
    demo_store.set("locale", "zh_CN")
    demo_store.set("shift.count_by_denomination", False)  # one amount: the test types the expected cash
    save_settings(demo_store)
    set_language("zh_CN")
    return demo_store


async def test_a_shift_close_in_chinese(chinese_store):
    expected = expected_cash(chinese_store.get("lane"))
    app = PosApp(chinese_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f11")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "C" in app.screen.choices,
                         "the shift menu")
        assert app.screen.choices["C"] == "交班（清点现金）"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal), "the blind count")
        assert "清点钱箱中的现金" in app.screen.title_text
        await pilot.press(*format_money(expected), "f10", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CountFormModal) and app.screen.rows[0].optional,
                         "the card terminal's total")
        assert app.screen.rows[0].label == "银行卡终端"
        await pilot.press("f10", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ShiftReportModal)
                         and bool(app.screen.query("#shift-report-summary")), "the Z report")
        assert "Z 报表：班次" in shown(app, "#shift-report-title")
        money = format_money(expected)
        assert f"实点现金 {money}，应有 {money}：无长短款" in shown(app, "#shift-report-summary")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and "O" in app.screen.choices,
                         "the offer of the next shift")
        assert app.screen.title_text == "班次已结束。下一步？"


async def test_a_return_in_chinese(chinese_store):
    app = PosApp(chinese_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the receipt prompt")
        assert app.screen.title_text == "退货"
        await pilot.press(*"1-000005", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReturnLinesModal)
                         and bool(app.screen.query(DataTable)) and app.screen.query_one(DataTable).row_count > 0,
                         "the lines")
        assert "按小票 1-000005 退货" in str(app.screen.query(Label).first().render())
        assert [str(column.label) for column in app.screen.query_one(DataTable).columns.values()] == [
            "商品", "已售", "已退", "退货", "退款"]
        await pilot.press(*"99", "enter")
        assert "超过了可退的" in shown(app, "#return-message")
        await pilot.press("backspace", "backspace", "1", "enter", "f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the refund tender")
        assert app.screen.title_text.startswith("退款 ") and app.screen.choices["C"] == "现金退款"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal) and app.screen.title_text == "退回的商品",
                         "restock or write off")
        await pilot.press("s")
        await wait_until(pilot, lambda: "退货 1-" in shown(app, "#notice"), "the refund")
        assert "以现金退款" in shown(app, "#notice")


def test_over_short_and_tender_words_in_both_languages():
    from datetime import datetime

    from pos_tui.services.shifts import Closed, ShiftInfo
    from pos_tui.tui.screens.returns_flow import tender_word
    from pos_tui.tui.screens.shift_close import over_short_text

    def closed(counted: int, expected: int, approver: str = "") -> Closed:
        shift = ShiftInfo(1, "1", 7, "cashier", datetime(2026, 11, 27, 8), 10000, (), counted=counted,
                          expected=expected, over_short=counted - expected, approver=approver)
        return Closed(shift, None, (), None)

    assert over_short_text(closed(9500, 10000, "supervisor")) == \
        "Counted 95.00, expected 100.00: short 5.00 (approved by supervisor)"
    assert (tender_word("card"), tender_word("giftcard")) == ("card", "giftcard")
    set_language("zh_CN")
    assert over_short_text(closed(10250, 10000)) == "实点现金 102.50，应有 100.00：长款 2.50"
    assert over_short_text(closed(9500, 10000, "supervisor")) == \
        "实点现金 95.00，应有 100.00：短款 5.00（supervisor 批准）"
    assert (tender_word("card"), tender_word("giftcard")) == ("银行卡", "giftcard")  # a shop's own tender: its name


def test_a_customers_purchase_dates_follow_the_language():
    from datetime import datetime

    from pos_tui.tui.modals.customer_detail import _day

    moment = datetime(2026, 11, 7, 14, 3)
    assert (_day(moment, "%d/%m/%y"), _day(moment, "%d %b %Y")) == ("07/11/26", "07 Nov 2026")
    set_language("zh_CN")
    assert _day(moment, "%d/%m/%y") == "2026年11月7日"
