"""The Products area: page through the catalogue, search as you type, scan to find or add.

Every read runs in a thread worker (services.product_browse), so typing never
waits for the database; a search waits for a short pause in the typing first,
and a result that arrives after newer typing or paging is dropped. Typing
always goes to the search field (OrderedTyping), so a scanner works wherever
the focus is: a code and Enter opens that product, or the add form with the
code filled in when the shop does not have it yet.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty, format_stock
from pos_tui.errors import NotFound, PosError
from pos_tui.hardware.text_width import display_width, truncate
from pos_tui.i18n import N_, _, ngettext
from pos_tui.services.catalog import ProductInfo
from pos_tui.services.context import Actor
from pos_tui.services.product_browse import Filters, Page
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.quiet_footer import QuietFooter
from pos_tui.tui.widgets.typed_input import TypedInput

DEBOUNCE_S = 0.15  # a pause in the typing this long runs the search
# Stock shows what orders leave available when they hold some: "12 (9 av)".
# The titles are marked here and translated where the columns are added; the English title stays the column's key.
COLUMNS = ((N_("Barcode"), 13), (N_("Name"), 17), (N_("Category"), 8), (N_("Price"), 8), (N_("Stock"), 9),
           (N_("Reord"), 5), (N_("State"), 4))


def _cut(text: str, width: int) -> str:
    """At most `width` display columns (a CJK character takes two), "~" marking a cut."""
    return text if display_width(text) <= width else truncate(text, width - 1) + "~"


def status_of(product: ProductInfo) -> str:
    if product.archived:
        return _("arch")
    if product.reorder_level > 0 and product.stock <= product.reorder_level:
        return _("LOW")
    return ""


SHOWING_ARCHIVED = {"active": N_("active"), "archived": N_("archived only"), "all": N_("active and archived")}


class ProductsScreen(OrderedTyping, Screen[None]):
    """Supervisors and admins keep the catalogue here; the services check `product.edit` again."""

    HELP_TITLE = N_("Products")
    HOWTO = N_("""
        Type to search by name, barcode, category or tag; {products.filters} filters.
        PgUp/PgDn/Home/End page through the list, Up/Down pick a product.
        Scanning a code opens that product, or the add form with the code in it.
        {products.add} adds, {products.edit} or Enter edits, {products.archive} archives (or brings back),
        {products.label} a shelf label, {products.categories} the categories and tags. Esc clears the search.
    """)


    BINDINGS = [
        Binding("f3", "add", N_("Add"), id="products.add", priority=True),
        Binding("f4", "edit", N_("Edit"), id="products.edit", priority=True),
        Binding("f5", "archive", N_("Archive"), id="products.archive", priority=True),
        Binding("f6", "label", N_("Label"), id="products.label", priority=True),
        Binding("f7", "filters", N_("Filter"), id="products.filters", priority=True),
        Binding("f8", "categories", N_("Cat/tag"), id="products.categories", priority=True),
        Binding("pagedown", "page('next')", N_("Next page"), id="products.next_page", priority=True, show=False),
        Binding("pageup", "page('previous')", N_("Prev page"), id="products.previous_page", priority=True,
                show=False),
        Binding("home", "page('first')", N_("First page"), id="products.first_page", priority=True, show=False),
        Binding("end", "page('last')", N_("Last page"), id="products.last_page", priority=True, show=False),
        Binding("up", "move(-1)", N_("Up"), id="products.up", show=False),
        Binding("down", "move(1)", N_("Down"), id="products.down", show=False),
        Binding("escape", "clear", N_("Clear search"), id="products.clear", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        settings = self.app.settings
        self.actor = actor
        self.filters = Filters()
        self.page: Page | None = None
        self.rows: dict[int, ProductInfo] = {}
        self.reading = False
        self.asked = 0  # every read asked for gets a number; only the newest one's answer is shown
        self.page_number = 1  # from the start; -1 the last page, -2 the one before; 0 not counted
        self.scanner_prefix = settings.get("scanner.prefix")
        self.scanner_min_length = int(settings.get("scanner.min_length"))
        if settings.get("scanner.suffix") == "tab":
            self.submit_keys = ("enter", "tab")
        self._debounce: Timer | None = None
        self.done = ""  # what a write did, said again with the page read after it

    def compose(self) -> ComposeResult:
        yield Static(_("Products | {user} ({role})").format(user=self.actor.username, role=self.actor.role),
                     id="status-line")
        yield TypedInput(placeholder=_("Search name, category, tag or barcode; scan to find or add"),
                         id="products-search")
        yield Static(self._filters_text(), id="products-filters")
        yield DataTable(id="products-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="products-notice")
        yield QuietFooter()

    def on_mount(self) -> None:
        table = self.query_one("#products-table", DataTable)
        for label, width in COLUMNS:
            table.add_column(_(label), width=width, key=label)
        self.set_focus(self.query_one("#products-search", Input))
        self.load("first")
        self.replay_early_keys()

    # -- reading ----------------------------------------------------------
    def typing_target(self) -> Input:
        """Typing always goes to the search field, wherever the focus is (a scanner too)."""
        return self.query_one("#products-search", Input)

    def load(self, how: str, select: ProductInfo | None = None) -> None:
        """Read a page in a worker: `first`, `last`, `next`, `previous`, `again` (the same page, fresh)
        or `at` (the page starting at `select`)."""
        self.reading = True
        self.asked += 1
        self._read(self.asked, self.filters, how, self.page, select)

    @work(thread=True, exclusive=True, group="products-read")
    def _read(self, asked: int, filters: Filters, how: str, page: Page | None, select: ProductInfo | None) -> None:
        from pos_tui.services import product_browse as browse
        from pos_tui.services.order_stock import reserved
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                if how == "next" and page is not None:
                    found = browse.next_page(filters, page)
                elif how == "previous" and page is not None:
                    found = browse.previous_page(filters, page)
                elif how == "last":
                    found = browse.last_page(filters)
                elif how == "again" and page is not None:
                    found = browse.reload_page(filters, page)
                elif how == "at" and select is not None:
                    found = browse.page_from(filters, select.name, select.id)
                else:
                    found = browse.first_page(filters)
                held = reserved([p.id for p in found.rows])
        except PosError as exc:
            self.app.call_from_thread(self._failed, asked, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, asked, how, found, select, held)

    def _failed(self, asked: int, message: str) -> None:
        if asked == self.asked:
            self.reading = False
            self.notice(message, error=True)

    def _show(self, asked: int, how: str, page: Page, select: ProductInfo | None, held: dict) -> None:
        if asked != self.asked:
            return  # newer typing or paging asked since; its answer is on the way
        self.reading = False
        moved = page != self.page
        self.page = page
        if how == "first" or not page.has_before:
            self.page_number = 1
        elif how == "last" or (not page.has_after and self.page_number <= 0):
            self.page_number = -1
        elif how == "at":
            self.page_number = 0  # somewhere in the middle: not counted
        elif moved and how in ("next", "previous") and self.page_number:
            self.page_number += 1 if how == "next" else -1
        self.rows = {p.id: p for p in page.rows}
        table = self.query_one("#products-table", DataTable)
        table.clear()
        for p in page.rows:
            table.add_row(p.barcode, _cut(p.name, 17), _cut(p.category, 8), Text(format_money(p.price), justify="right"),
                          Text(format_stock(p.stock, held.get(p.id, 0)), justify="right"),
                          Text(format_qty(p.reorder_level), justify="right"),
                          status_of(p), key=str(p.id))
        if select is not None and select.id in self.rows:
            table.move_cursor(row=table.get_row_index(str(select.id)))
        done, self.done = self.done, ""
        if not page.rows:
            self.notice(done + _("No products match; Esc clears the search, F7 changes the filters"))
            return
        n = self.page_number
        where = (_("page {n}").format(n=n) if n > 0 else _("the last page") if n == -1
                 else _("page {n} from the end").format(n=-n) if n else _("from here"))
        edge = _(" (the end)") if not page.has_after else ""
        count = ngettext("{n} product", "{n} products", len(page.rows)).format(n=len(page.rows))
        self.notice(done + _("{count}, {where}{edge}: PgDn/PgUp page, Home/End jump, Enter edits").format(
            count=count, where=where, edge=edge))

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#products-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def _filters_text(self) -> str:
        f = self.filters
        archived = SHOWING_ARCHIVED[f.archived]
        parts = [_("category {name}").format(name=f.category) if f.category else _("all categories"),
                 _("tag {name}").format(name=f.tag) if f.tag else _("any tag"),
                 _(archived)]
        if f.low_stock:
            parts.append(_("low stock only"))
        return _("Showing: {filters} (F7 filters)").format(filters=", ".join(parts))

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.query_one("#products-filters", Static).update(self._filters_text())
        self.load("first")

    # -- typing -----------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        """Search once the typing pauses: a scanner's burst or a fast typist asks once."""
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, self._search_typed)

    def _search_typed(self) -> None:
        self._debounce = None
        text = self.query_one("#products-search", Input).value.strip()
        if text != self.filters.text:
            self.set_filters(Filters(text, self.filters.category, self.filters.tag, self.filters.low_stock,
                                     self.filters.archived))

    def field_submitted(self, field: Input) -> None:
        """Enter: a code (all digits) is a scan; otherwise the highlighted product opens."""
        text = field.value.strip()
        if self.scanner_prefix and text.startswith(self.scanner_prefix):
            text = text[len(self.scanner_prefix):].strip()
        if text.isdigit() and len(text) >= self.scanner_min_length:
            self.scan_code(text)
            return
        self.action_edit()

    def take_paste(self, text: str) -> bool:
        field = self.typing_target()
        field.insert_text_at_cursor(" ".join(text.split()))
        return True

    def scan_code(self, code: str) -> None:
        """A known code opens its product; an unknown one opens the add form with it filled in."""
        from pos_tui.services.catalog import get_product

        try:
            product = get_product(code)  # one indexed read, in scan order, as the checkout does
        except NotFound:
            self.action_clear()
            self.notice(_("{code} is not in the catalogue: add it").format(code=code))
            self.open_form(None, barcode=code)
            return
        self.notice(f"{product.name} ({product.barcode})")
        self.open_form(product)

    def highlighted(self) -> ProductInfo | None:
        table = self.query_one("#products-table", DataTable)
        if not self.rows or table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.rows.get(int(row_key.value or 0))

    # -- keys -------------------------------------------------------------
    def action_move(self, step: int) -> None:
        table = self.query_one("#products-table", DataTable)
        table.action_cursor_up() if step < 0 else table.action_cursor_down()

    def action_page(self, how: str) -> None:
        if self.page is None:
            return
        if how == "next" and not self.page.has_after:
            self.notice(_("This is the last page; Home goes back to the first"))
            return
        if how == "previous" and not self.page.has_before:
            self.notice(_("This is the first page; End goes to the last"))
            return
        self.load(how)

    def action_clear(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        self.query_one("#products-search", Input).value = ""
        if self.filters.text:
            self.set_filters(Filters("", self.filters.category, self.filters.tag, self.filters.low_stock,
                                     self.filters.archived))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_add(self) -> None:
        self.open_form(None)

    def action_edit(self) -> None:
        product = self.highlighted()
        if product is None:
            self.notice(_("No product highlighted; search or scan one first"), error=True)
            return
        self.open_form(product)

    def open_form(self, product: ProductInfo | None, barcode: str = "") -> None:
        from pos_tui.tui.modals.product_form import ProductFormModal

        def saved(result: ProductInfo | None) -> None:
            if result is None:
                return
            said = _("Saved {name} ({barcode})") if product is not None else _("Added {name} ({barcode})")
            self._written(said.format(name=result.name, barcode=result.barcode), result,
                          "again" if product is not None and product.name == result.name else "at")

        self.app.push_screen(ProductFormModal(self.actor, product, barcode=barcode), saved)

    def action_archive(self) -> None:
        product = self.highlighted()
        if product is None:
            self.notice(_("No product highlighted to archive"), error=True)
            return
        self._archive(product)

    @work(thread=True, group="products-write")
    def _archive(self, product: ProductInfo) -> None:
        from pos_tui.services import products
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                if product.archived:
                    done = products.unarchive_product(self.actor, product.barcode)
                else:
                    done = products.archive_product(self.actor, product.barcode)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        said = (_("Archived {name} ({barcode}); F5 again undoes it") if done.archived
                else _("Unarchived {name} ({barcode}); F5 again undoes it"))
        self.app.call_from_thread(self._written, said.format(name=done.name, barcode=done.barcode), done)

    def _written(self, message: str, product: ProductInfo, how: str = "again") -> None:
        """After a write: say what it did, and read the page again (or the one the product moved to)."""
        self.notice(message)
        self.done = _("{message}. ").format(message=message)
        self.load(how, select=product)

    def action_label(self) -> None:
        product = self.highlighted()
        if product is None:
            self.notice(_("No product highlighted to label"), error=True)
            return
        self._label(product)

    @work(thread=True, group="products-write")
    def _label(self, product: ProductInfo) -> None:
        from pos_tui.services.labels import print_label
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                print_label(self.actor, self.app.settings, product.barcode)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.notice, _("Label for {name} sent to the printer").format(name=product.name))

    def action_filters(self) -> None:
        from pos_tui.tui.modals.product_filters import ProductFiltersModal

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.set_filters(filters)

        self.app.push_screen(ProductFiltersModal(self.filters), chosen)

    def action_categories(self) -> None:
        from pos_tui.tui.modals.categories_tags import CategoriesTagsModal

        def closed(changed: bool | None) -> None:
            if changed:
                self.load("again")

        self.app.push_screen(CategoriesTagsModal(self.actor), closed)

