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
        assert "the last page (the end)" in _notice(app)
        await pilot.press("pageup")
        await _settled(pilot)
        assert _barcodes(app) == everything[-2 * PAGE:-PAGE]
        assert "page 2 from the end" in _notice(app)
        await pilot.press("pagedown")
        await _settled(pilot)
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



async def test_a_remapped_filters_key_works(demo_store):
    from pos_tui.config import save_settings

    demo_store.set("keys.products.filters", "ctrl+f")
    save_settings(demo_store)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductFiltersModal), "the filters on ctrl+f")

# -- the forms (services.products) ----------------------------------------------

def _unknown_code() -> str:
    from pos_tui.domain.barcodes import with_check_digit

    code = with_check_digit("299999999999")
    assert Product.get_or_none(Product.barcode == code) is None
    return code


async def _form(pilot):
    from pos_tui.tui.modals.product_form import ProductFormModal

    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ProductFormModal), "the product form")
    return pilot.app.screen


def _message(app) -> str:
    return str(app.screen.query_one("#form-message").render())


async def test_scanning_an_unknown_code_opens_the_add_form_with_it_filled_in_and_saves(demo_store):
    code = _unknown_code()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press(*code, "enter")
        form = await _form(pilot)
        assert form.query_one("#field-barcode").value == code
        assert form.focused.id == "field-name"  # the code is there: the name comes next
        await pilot.press(*"Rye Crackers", "tab")
        await pilot.click("#field-price")
        form.query_one("#field-price").value = "2.5x"
        await pilot.pause()
        assert "not a money amount" in _message(app)  # checked as typed
        form.query_one("#field-price").value = "2.45"
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.screen is screen, "the form closed on save")
        await _settled(pilot)
        saved = Product.get(Product.barcode == code)
        assert (saved.name, saved.price, saved.archived) == ("Rye Crackers", 245, False)
        assert "Added Rye Crackers" in _notice(app)
        assert screen.highlighted().barcode == code  # the list moved to the new product


async def test_scanning_a_known_code_opens_its_edit_form_and_an_edit_is_saved(demo_store):
    product = Product.select().where(Product.archived == False).order_by(Product.id).first()  # noqa: E712
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press(*product.barcode, "enter")
        form = await _form(pilot)
        assert form.query_one("#field-name").value == product.name
        form.query_one("#field-price").value = "9.99"
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.screen is screen, "the form closed on save")
        assert Product.get_by_id(product.id).price == 999
        assert Product.get_by_id(product.id).stock == product.stock  # the form never writes stock


async def test_a_refused_save_keeps_the_form_open_with_the_services_message(demo_store):
    taken = Product.select().order_by(Product.id).first()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press("f3")
        form = await _form(pilot)
        form.query_one("#field-barcode").value = taken.barcode  # a valid code, but in use
        form.query_one("#field-name").value = "Duplicate"
        form.query_one("#field-price").value = "1.00"
        await pilot.press("f10")
        await wait_until(pilot, lambda: "already used" in _message(app), "the duplicate refused")
        assert app.screen is form
        assert Product.select().where(Product.name == "Duplicate").count() == 0
        form.query_one("#field-barcode").value = taken.barcode[:-1] + str((int(taken.barcode[-1]) + 1) % 10)
        await pilot.pause()
        assert "check digit" in _message(app)


async def test_archive_hides_the_product_and_unarchive_brings_it_back(demo_store):
    first = _active_by_name()[0]
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_products(pilot)
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Archived" in _notice(app) and not screen.reading, "archived")
        assert Product.get(Product.barcode == first).archived
        assert first not in _barcodes(app)
        screen.set_filters(screen.filters.__class__(archived="archived"))
        await _settled(pilot)
        assert _barcodes(app)[0] == first and _rows(app)[0][6] == "arch"
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Unarchived" in _notice(app), "unarchived")
        assert not Product.get(Product.barcode == first).archived


async def test_the_label_key_queues_a_shelf_label(demo_store):
    from pos_tui.db.models import PrintJob

    before = PrintJob.select().where(PrintJob.kind == "label").count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: "Label for" in _notice(app), "the label queued")
        assert PrintJob.select().where(PrintJob.kind == "label").count() == before + 1


async def test_categories_and_tags_are_managed_from_the_screen(demo_store):
    from pos_tui.db.models import Category
    from pos_tui.tui.modals.ask import AskModal
    from pos_tui.tui.modals.categories_tags import CategoriesTagsModal

    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, CategoriesTagsModal), "the manager")
        manager = app.screen
        await wait_until(pilot, lambda: manager.query_one("#cat-table").row_count > 0, "the categories")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the name asked")
        await pilot.press(*"Dairy/Goat Cheese", "enter")
        await wait_until(pilot, lambda: "Added category" in str(manager.query_one("#manage-message").render()),
                         "the category added")
        assert Category.get(Category.name == "Goat Cheese").parent.name == "Dairy"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ProductsScreen), "back on the list")


async def test_saving_an_untouched_edit_form_writes_nothing(demo_store):
    from pos_tui.db.models import AuditLog

    product = Product.select().where(Product.archived == False).order_by(Product.id).first()  # noqa: E712
    edits = AuditLog.select().where(AuditLog.action == "product.edit").count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press(*product.barcode, "enter")
        form = await _form(pilot)
        await pilot.press("f10")
        await wait_until(pilot, lambda: "Nothing changed" in _message(app), "nothing to save")
        assert app.screen is form
        assert AuditLog.select().where(AuditLog.action == "product.edit").count() == edits
        assert Product.get_by_id(product.id).updated_at == product.updated_at


async def test_stock_shows_what_orders_leave_available(demo_store):
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services.catalog import get_product

    from tests.tui.test_orders_screen import HALLOUMI, _clear_demo_orders, _take

    _clear_demo_orders()
    _take(demo_store, (HALLOUMI, "2"))  # approved: 2 held for the order
    on_hand = get_product(HALLOUMI).stock
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_products(pilot)
        await pilot.press(*"halloumi")
        await wait_until(pilot, lambda: _barcodes(app) == [HALLOUMI], "halloumi alone")
        assert _rows(app)[0][4] == f"{format_qty(on_hand)} ({format_qty(on_hand - 2)} av)"
        await pilot.press("escape")
        await _settled(pilot)
        others = [row[4] for row in _rows(app) if row[0] != HALLOUMI]
        assert others and not any("av" in cell for cell in others)  # nothing held: the plain figure
