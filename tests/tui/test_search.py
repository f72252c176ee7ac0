"""Product search (F2): type, see at most 50 matches, Enter adds the highlighted one."""

from __future__ import annotations

from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.product_search import RESULTS, ProductSearchModal

from tests.tui.pilot_helpers import login, wait_until


async def test_search_by_name_and_pick_adds_the_product(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal), "the search")
        await pilot.press(*"halloumi")
        await wait_until(pilot, lambda: app.screen.barcodes == ["9313246790415"], "one match")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProductSearchModal), "the search to close")
        assert [line.name for line in app.screen.cart.lines] == ["Halloumi 225g"]


async def test_search_by_category_is_case_insensitive_and_down_picks_the_next(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal), "the search")
        await pilot.press(*"BAKERY")
        await wait_until(pilot, lambda: len(app.screen.barcodes) > 2, "the bakery")
        second = app.screen.barcodes[1]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProductSearchModal), "the search to close")
        assert [line.barcode for line in app.screen.cart.lines] == [second]


async def test_a_wide_search_shows_at_most_50(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductSearchModal), "the search")
        await pilot.press("e")
        await wait_until(pilot, lambda: len(app.screen.barcodes) == RESULTS, "fifty results")
        assert "type more to narrow" in str(app.screen.query_one("#lookup-message").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProductSearchModal), "closed")
        assert app.screen.cart.is_empty


def test_search_finds_by_tag_too(demo_store):
    from pos_tui.services.catalog import list_products

    found = list_products("gluten-free", limit=50)
    assert found and all("gluten-free" in p.tags or "gluten-free" in p.name.lower() for p in found)
