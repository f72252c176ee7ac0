"""The checkout's cart as drawn, and typing that arrives faster than the till draws."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events

from pos_tui.db.models import Product
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.product_search import ProductSearchModal
from pos_tui.tui.widgets.cart_table import CartTable

from tests.tui.pilot_helpers import login, scan, wait_until

BREAD = "4010079190010"  # Sourdough Loaf 800g, 3.20
HALLOUMI = "9313246790415"  # Halloumi 225g, 2.75


def _drawn(table: CartTable) -> list[str]:
    """The table's lines as the terminal shows them (header first)."""
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def _typed_at_once(app: PosApp, keys: list[str]) -> None:
    """Keys in one read, as a scanner over SSH delivers them: all queued before the till handles any."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def _barcodes(count: int) -> list[str]:
    return [p.barcode for p in Product.select().where(Product.archived == False, Product.unit == "each")  # noqa: E712
            .order_by(Product.id).limit(count)]


async def test_a_long_basket_keeps_the_newest_line_in_view_and_highlighted(demo_store):
    codes = _barcodes(30)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        table = app.screen.query_one(CartTable)
        for n, code in enumerate(codes):
            await scan(pilot, code)
            if n == 4:
                await wait_until(pilot, lambda: table.row_count == 5, "five lines")
                assert _drawn(table)[0].split() == ["Item", "Qty", "Price", "Total"], "five lines fit: none hidden"
        await wait_until(pilot, lambda: table.row_count == 30, "thirty lines")
        cart = app.screen.cart
        await pilot.pause()
        lines = _drawn(table)
        body = len(lines) - 1
        assert lines[0].split() == ["Item", f"▲{30 - body}", "Qty", "Price", "Total"], \
            "the header stays at the top and counts the lines scrolled away"
        assert cart.lines[-1].name[:12] in lines[-1], "the newest line is the last one in view"
        assert cart.lines[0].name[:12] not in "".join(lines), "the oldest has scrolled away"
        assert table.cursor_row == 29 and app.screen.selected_index() == 29

        await pilot.press("up", "up")
        assert app.screen.selected_index() == 27
        for _ in range(29):
            await pilot.press("up")
        await pilot.pause()
        lines = _drawn(table)
        assert table.cursor_row == 0 and cart.lines[0].name[:12] in lines[1], "Up scrolls back to the first"
        assert lines[0].split() == ["Item", f"▼{30 - body}", "Qty", "Price", "Total"], "and counts those below"


async def test_numbers_stay_in_their_columns_with_a_chinese_name_and_a_changed_quantity(demo_store):
    Product.update(name="手工酸面包 Sourdough 特大号 800克 全麦").where(Product.barcode == BREAD).execute()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await scan(pilot, BREAD)  # a repeat adds to its line
        table = app.screen.query_one(CartTable)
        await wait_until(pilot, lambda: [line.qty for line in app.screen.cart.lines] == [2, 1], "two loaves")
        await pilot.pause()
        header, bread, halloumi = _drawn(table)[:3]
        width = table.scrollable_content_region.width
        assert cell_len(bread) == cell_len(halloumi) == width, "a Chinese character takes two cells"
        assert bread.startswith(" 手工酸面包") and "…" in bread, "a name too long for the column is cut, visibly"
        assert bread.rstrip().endswith("6.40") and halloumi.rstrip().endswith("2.75")
        assert bread.rstrip().split()[-3:] == ["2", "3.20", "6.40"]
        # The totals column ends in the same cell on every line.
        assert {cell_len(line.rstrip()) for line in (header, bread, halloumi)} == {cell_len(header.rstrip())}


async def test_codes_that_arrive_in_one_read_are_separate_scans_in_order(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        _typed_at_once(app, [*BREAD, "enter", *HALLOUMI, "enter", *BREAD[:6]])
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 2
                         and app.screen.query_one("#scan").value == BREAD[:6], "two scans and a code half typed")
        assert [line.barcode for line in app.screen.cart.lines] == [BREAD, HALLOUMI]


async def test_a_key_right_after_typing_sees_what_was_typed(demo_store):
    """F2 pressed in the same read as the letters before it searches for those letters."""
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        _typed_at_once(app, [*"hallou", "f2"])
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal), "the search")
        await wait_until(pilot, lambda: app.screen.barcodes == [HALLOUMI], "the search for what was typed")

        app.screen.dismiss(None)
        await wait_until(pilot, lambda: not isinstance(app.screen, ProductSearchModal), "back at the checkout")
        _typed_at_once(app, [*"40100", "backspace", "backspace", *"9"])
        await wait_until(pilot, lambda: app.screen.query_one("#scan").value == "4019", "backspace in order")


async def test_an_amount_and_a_tender_letter_in_one_read_tender_that_amount(demo_store):
    from pos_tui.tui.modals.payment import PaymentModal

    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, HALLOUMI)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment")
        _typed_at_once(app, ["4", "k"])  # 4.00 by card, typed faster than the till draws
        await wait_until(pilot, lambda: "reference" in str(app.screen.query_one("#payment-prompt").render()),
                         "the card's reference asked")
        assert app.screen.pending_amount == 400
