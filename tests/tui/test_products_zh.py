"""The Products screen and the product form in a Chinese store: Chinese titles, labels, columns; CJK names aligned."""

from __future__ import annotations

from rich.cells import cell_len

from pos_tui.config import save_settings
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.money import format_money
from pos_tui.i18n import set_language
from pos_tui.services.context import Actor
from pos_tui.services.products import add_product
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.product_form import ProductFormModal

from tests.tui.pilot_helpers import shown, wait_until
from tests.tui.test_products_screen import _settled, open_products

CJK_NAME = "手工酸种全麦大面包 Sourdough"  # 18 columns of Chinese before the Latin: wider than the Name column


def _line(table, row: int) -> str:
    """One row of the table as drawn on the terminal (row 0 is the header)."""
    return table.render_line(row).text


async def test_a_chinese_store_lists_and_edits_products_in_chinese(demo_store):
    added = add_product(Actor.cli(), barcode=with_check_digit("690123456789"), name=CJK_NAME, price=1250,
                        category="Bakery")
    demo_store.set("locale", "zh_CN")
    save_settings(demo_store)
    set_language("zh_CN")  # the store's language (the conftest puts English back after the test)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        table = screen.query_one("#products-table")
        assert [str(column.label) for column in table.columns.values()] == [
            "条码", "名称", "分类", "价格", "库存", "补货", "状态"]
        assert shown(app, "#status-line").startswith("商品 | supervisor")
        assert "显示：所有分类" in shown(app, "#products-filters")

        screen.query_one("#products-search").value = "sourdough"
        await wait_until(pilot, lambda: added.id in screen.rows, "the Chinese product in the search")
        await _settled(pilot)
        assert "个商品" in shown(app, "#products-notice")
        rows = screen.page.rows
        lines = [_line(table, i + 1) for i in range(len(rows))]
        assert len(rows) >= 2 and added.barcode in [p.barcode for p in rows]  # the demo's own sourdough too
        # the category starts, and the right-aligned price ends, in the same terminal column on every row
        starts = {cell_len(line[:line.index(p.category)]) for p, line in zip(rows, lines)}
        ends = {cell_len(line[:line.index(format_money(p.price)) + len(format_money(p.price))])
                for p, line in zip(rows, lines)}
        assert len(starts) == 1 and len(ends) == 1, lines
        at = [p.barcode for p in rows].index(added.barcode)
        name_cell = str(table.get_row_at(at)[1])
        assert name_cell.endswith("~") and cell_len(name_cell) <= 17  # cut by columns, not characters

        table.move_cursor(row=at)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductFormModal), "the product form")
        form = app.screen
        labels = [str(label.render()) for label in form.query("Label")]
        assert labels[0] == f"编辑 {CJK_NAME}"
        assert {"条码", "名称", "价格", "成本", "税类", "单位", "分类", "补货点", "供应商", "库存"} \
            <= set(labels)
        assert "F10 保存" in str(form.query_one(".hint").render())
        await pilot.press("f10")  # nothing changed: the form says so, in Chinese
        await wait_until(pilot, lambda: "没有改动" in shown(app, "#form-message"), "the form's message")
