"""The back office in a Chinese store: the Reports and Orders screens speak zh_CN and their columns stay straight."""

from __future__ import annotations

from rich.cells import cell_len

from pos_tui.config import save_settings
from pos_tui.db.models import Category, Customer, DeliveryOrder
from pos_tui.domain.money import format_money
from pos_tui.i18n import set_language
from pos_tui.services.context import Actor
from pos_tui.services.reports import sales
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.screens.orders import OrdersScreen
from pos_tui.tui.screens.reports import ReportsScreen, named_period, shown_text

from tests.conftest import DEMO_TODAY
from tests.tui.pilot_helpers import login, shown, wait_until


def _columns(text: str, start: int, end: int) -> str:
    """The characters drawn from display column `start` up to `end` (a CJK character takes two)."""
    out, x = [], 0
    for char in text:
        if start <= x and x + cell_len(char) <= end:
            out.append(char)
        x += cell_len(char)
    return "".join(out)


def _drawn(table, y: int) -> list[str]:
    """Line `y` of the table as drawn, cut at each column's drawn edges."""
    text = table.render_line(y).text
    cells, x = [], 0
    for column in table.ordered_columns:
        width = column.get_render_width(table)
        cells.append(_columns(text, x, x + width).strip())
        x += width
    return cells


def _straight(table) -> list[list[str]]:
    """Each visible row as drawn; every cell must sit inside its own column, as the header's titles do."""
    rows = []
    for i in range(min(table.row_count, table.size.height - 1)):
        drawn = _drawn(table, i + 1)
        assert drawn == [str(c).strip() for c in table.get_row_at(i)], f"row {i} is out of its columns"
        rows.append(drawn)
    return rows


async def _open(pilot, letter: str, screen_type) -> None:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    await pilot.press(letter)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__)


async def test_reports_and_orders_speak_chinese_with_straight_columns(demo_store, monkeypatch):
    monkeypatch.setattr(ReportsScreen, "today", lambda self: DEMO_TODAY)
    demo_store.set("locale", "zh_CN")
    save_settings(demo_store)
    set_language("zh_CN")
    for category in Category.select():  # Chinese names are two columns a character wide
        Category.update(name=f"中文分类{category.id}").where(Category.id == category.id).execute()
    for order in DeliveryOrder.select().where(DeliveryOrder.customer.is_null(False)):
        Customer.update(name=f"王小明{order.customer_id}").where(Customer.id == order.customer_id).execute()
    expected = sales.sales_report(Actor.cli(), named_period("this month", DEMO_TODAY), "category")

    app = PosApp(demo_store)
    async with app.run_test(size=(130, 30)) as pilot:
        await login(pilot, "admin", "admin")
        await _open(pilot, "r", ReportsScreen)
        await wait_until(pilot, lambda: app.screen.report is not None and not app.screen.computing, "the report")
        table = app.screen.query_one("#reports-table")
        await wait_until(pilot, lambda: table.row_count > 0 and _drawn(table, 0)[0], "the table drawn")
        assert _drawn(table, 0) == ["分类", "销售", "退款", "净额", "交易笔数", "件数", "折扣", "客单价", "占比 %"]
        rows = _straight(table)
        assert rows and all(row[0].startswith("中文分类") or row[0] == "（无）" for row in rows)
        assert [row[3] for row in rows] == [format_money(r["net"]) for r in expected.rows][: len(rows)]
        assert "报表 | 销售（按分类） | 本月：2026年11月1日 至 2026年11月30日" in shown(app, "#status-line")
        assert f"合计： 净额 {format_money(expected.totals['net'])}" in shown(app, "#reports-totals")
        assert "每日净额" in shown(app, "#reports-chart")

        await _open(pilot, "o", OrdersScreen)
        screen = app.screen
        await wait_until(pilot, lambda: screen.listing is not None, "the orders read")
        table = screen.query_one("#orders-table")
        await wait_until(pilot, lambda: table.row_count > 0 and _drawn(table, 0)[0], "the orders drawn")
        assert _drawn(table, 0) == ["订单", "状态", "顾客", "合计", "欠款", "预计送达"]
        rows = _straight(table)
        shown_orders = [o for o in screen.listing.orders][: len(rows)]
        assert [row[1].removeprefix("逾期 ") for row in rows] == [
            {"draft": "草稿", "pending_review": "待审核", "approved": "已审核通过", "packed": "已打包",
             "shipped": "已发货", "delivered": "已送达", "cancelled": "已取消", "returned": "已退货"}[o.status]
            for o in shown_orders]
        assert any(row[2].startswith("王小明") for row in rows)
        assert all("年" in row[5] for row, o in zip(rows, shown_orders) if o.expected_date)
        assert shown(app, "#orders-tabs").startswith("[全部")
        assert shown(app, "#orders-current").startswith(f"> {shown_orders[0].number} ")


def test_report_labels_the_services_write_as_codes_follow_the_language():
    cells = [("weekday", "Wed", {"key": "2"}), ("day", "2026-11-27", {"key": "2026-11-27"}),
             ("week", "week of 2026-11-23", {"key": "2026-11-23"}), ("tender", "cash", {"key": "cash"}),
             ("segment", "at risk", {}), ("last_sale", "never", {}), ("category", "(none)", {"key": ""}),
             ("category", "Bakery", {"key": "Bakery"}), ("product", "(12 other products)", {"key": ""}),
             ("label", "(1 other product)", {"key": ""}), ("product", "(2 other products)", {"key": "4000000000017"})]
    assert [shown_text(*c) for c in cells] == [c[1] for c in cells]  # English: as the services wrote them
    set_language("zh_CN")
    assert [shown_text(*c) for c in cells] == ["周三", "2026年11月27日", "2026年11月23日 当周", "现金", "流失风险", "从未",
                                               "（无）", "Bakery", "（其余 12 个商品）", "（其余 1 个商品）",
                                               "(2 other products)"]  # a product of that name stays itself
