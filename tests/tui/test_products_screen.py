"""The Products area at the till: offered by permission, listed, searched, filtered, paged, scanned, edited."""

from __future__ import annotations

from pos_tui.db.models import Product
from pos_tui.services.product_browse import PAGE
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.product_filters import ProductFiltersModal
from pos_tui.tui.screens.products import ProductsScreen

from tests.tui.pilot_helpers import login, wait_until


def _notice(app) -> str:
    return str(app.screen.query_one("#products-notice").render())


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#products-table")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _barcodes(app) -> list[str]:
    return [row[0] for row in _rows(app)]


def _active_by_name() -> list[str]:
    return [p.barcode for p in Product.select().where(Product.archived == False)  # noqa: E712
            .order_by(Product.name, Product.id)]


async def _menu(pilot) -> dict[str, str]:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    return pilot.app.screen.choices


async def _settled(pilot) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: not screen.reading and screen._debounce is None, "the products page")


async def open_products(pilot, user: str = "supervisor", secret: str = "2222") -> ProductsScreen:
    await login(pilot, user, secret)
    assert "P" in await _menu(pilot)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ProductsScreen), "the products screen")
    await _settled(pilot)
    return pilot.app.screen


async def test_a_supervisor_opens_it_from_the_menu_and_sees_the_first_page_by_name(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        assert app.current_mode == "products"
        assert _barcodes(app) == _active_by_name()[:PAGE]
        assert "page 1" in _notice(app)


async def test_a_cashier_is_not_offered_it(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        assert "P" not in await _menu(pilot)
        assert "products" not in {area.mode for area in app.areas}


async def test_typing_filters_as_you_type_and_escape_clears(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press(*"sourdough")
        await _settled(pilot)
        names = [row[1] for row in _rows(app)]
        assert names and all("sourdough" in name.lower() for name in names)
        await pilot.press("escape")
        await _settled(pilot)
        assert _barcodes(app) == _active_by_name()[:PAGE]


async def test_pages_go_forward_back_and_jump_to_both_ends(demo_store):
    everything = _active_by_name()
    assert len(everything) > 2 * PAGE  # the demo catalogue makes several pages
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press("pagedown")
        await _settled(pilot)
        assert _barcodes(app) == everything[PAGE:2 * PAGE]
        assert "page 2" in _notice(app)
        await pilot.press("end")
        await _settled(pilot)
        assert _barcodes(app) == everything[-PAGE:]
        assert "the end" in _notice(app)
        await pilot.press("pagedown")
        assert "last page" in _notice(app)
        await pilot.press("home")
        await _settled(pilot)
        assert _barcodes(app) == everything[:PAGE]


async def test_the_filters_dialog_shows_low_stock_and_archived_products(demo_store):
    low = Product.select().where((Product.reorder_level > 0) & (Product.stock <= Product.reorder_level)
                                 & (Product.archived == False)).first()  # noqa: E712
    if low is None:  # make one low, whatever the demo's stock is today
        low = Product.select().order_by(Product.id).first()
        Product.update(reorder_level=low.stock * 1 + 5).where(Product.id == low.id).execute()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductFiltersModal), "the filters dialog")
        app.screen.query_one("#filter-low").value = True
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.screen is screen, "back on the list")
        await _settled(pilot)
        rows = _rows(app)
        assert low.barcode in [row[0] for row in rows]
        assert all(row[6] == "LOW" for row in rows)
        assert "low stock only" in str(screen.query_one("#products-filters").render())
