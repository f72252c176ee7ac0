"""Purchasing at the till: what is low and what to order, purchase orders, suppliers.

Four views on one table: the reorder list (F2, with each product's
suggested quantity; D drafts one order per supplier from it), the orders
(F3; Enter shows an order's lines), and the suppliers (F4; A adds, E or
Enter edits). The footer shows only the keys of the view on screen. Every
read and write runs in a thread worker; the services check stock.adjust
themselves.
"""

from __future__ import annotations

from typing import Any, Callable
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.key_footer import KeyFooter

REORDER, ORDERS, LINES, SUPPLIERS = "reorder", "orders", "lines", "suppliers"
_TITLES = {REORDER: "Low stock and reorders", ORDERS: "Purchase orders", LINES: "Order", SUPPLIERS: "Suppliers"}
_VIEW_KEYS = {
    "draft": (REORDER,), "mark_ordered": (ORDERS, LINES), "receive": (ORDERS, LINES), "cancel_order": (ORDERS, LINES),
    "add_supplier": (SUPPLIERS,), "edit_supplier": (SUPPLIERS,), "back": (LINES,),
}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def _columns(table: DataTable, *columns: tuple[str, int]) -> None:
    """Fixed widths that fit 80 columns (each cell has a space either side)."""
    for label, width in columns:
        table.add_column(label, width=width)


class PurchasingScreen(Screen[None]):
    """The supervisor's purchasing desk."""

    HOWTO = """
        {purchasing.reorder} the reorder list with each product's suggested order; {purchasing.draft} drafts
        one purchase order per supplier from it. {purchasing.orders} the orders: Enter
        shows a PO's lines, {purchasing.mark_ordered} marks it ordered, {purchasing.receive} receives it, {purchasing.cancel} cancels.
        {purchasing.suppliers} the suppliers: {purchasing.add_supplier} adds, {purchasing.edit_supplier} edits. {purchasing.refresh} reloads; {purchasing.back} goes back.
    """


    DEFAULT_CSS = """
    #po-table { height: 1fr; }
    #po-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "view('reorder')", "Reorder", id="purchasing.reorder"),
        Binding("f3", "view('orders')", "Orders", id="purchasing.orders"),
        Binding("f4", "view('suppliers')", "Suppliers", id="purchasing.suppliers"),
        Binding("f5", "reload", "Refresh", id="purchasing.refresh"),
        Binding("d", "draft", "Draft POs", id="purchasing.draft"),
        Binding("o", "mark_ordered", "Ordered", id="purchasing.mark_ordered"),
        Binding("r", "receive", "Receive", id="purchasing.receive"),
        Binding("x", "cancel_order", "Cancel PO", id="purchasing.cancel"),
        Binding("a", "add_supplier", "Add", id="purchasing.add_supplier"),
        Binding("e", "edit_supplier", "Edit", id="purchasing.edit_supplier"),
        Binding("escape", "back", "Back", id="purchasing.back"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.zone = ZoneInfo(self.app.settings.get("store.timezone"))
        self.view = REORDER
        self.order_number: str | None = None  # the order whose lines are shown
        self.rows: dict[str, Any] = {}  # row key -> what the row shows
        self.loading = False
        self.then_say: tuple[str, bool] | None = None  # said once the next read is shown

    def compose(self) -> ComposeResult:
        yield Static("", id="status-line")
        yield DataTable(id="po-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="po-notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#po-table", DataTable))
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each view's own keys only, so the footer at 80 columns lists what works here."""
        views = _VIEW_KEYS.get(action)
        return views is None or self.view in views

    # -- reading ------------------------------------------------------------------
    def load(self) -> None:
        self.loading = True
        what = f"{self.order_number}" if self.view == LINES else _TITLES[self.view].lower()
        self.query_one("#status-line", Static).update(
            f"Purchasing: {_TITLES[self.view]}{' ' + self.order_number if self.view == LINES else ''}"
            f" | {self.actor.username} ({self.actor.role})")
        self.notice(f"Reading {what}…")
        self.refresh_bindings()
        self._read(self.view, self.order_number)

    @work(thread=True, exclusive=True, group="purchasing-read")
    def _read(self, view: str, number: str | None) -> None:
        from pos_tui.services import purchase_orders, reorder, suppliers
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                if view == REORDER:
                    found: Any = reorder.suggestions(
                        default_lead_days=self.app.settings.get("stock.default_lead_time_days"))
                elif view == ORDERS:
                    found = purchase_orders.list_orders()
                elif view == LINES:
                    found = purchase_orders.get_order(number or "")
                else:
                    found = suppliers.list_suppliers(include_archived=True)
        except PosError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, view, found)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.notice(message, error=True)

    def _show(self, view: str, found: Any) -> None:
        if view != self.view:
            return
        self.loading = False
        table = self.query_one("#po-table", DataTable)
        table.clear(columns=True)
        self.rows = {}
        getattr(self, f"_show_{view}")(table, found)
        table.focus()
        if self.then_say is not None:
            self.notice(*self.then_say)
            self.then_say = None

    def _show_reorder(self, table: DataTable, found: list) -> None:
        from pos_tui.tui.low_stock import watch_of

        watch_of(self.app).replace({s.product_id for s in found if s.low})  # the till's warning follows
        _columns(table, ("Name", 19), ("Stock", 6), ("Level", 6), ("Sold28", 6), ("Lead", 4), ("OnOrd", 5),
                 ("Order", 6), ("Supplier", 10))
        for s in found:
            self.rows[s.barcode] = s
            table.add_row(_cut(("! " if s.low else "  ") + s.name, 19), format_qty(s.stock),
                          format_qty(s.reorder_level), format_qty(s.sold), f"{s.lead_time_days}d",
                          format_qty(s.on_order), format_qty(s.suggested), _cut(s.supplier or "-", 10), key=s.barcode)
        low = sum(s.low for s in found)
        to_order = sum(s.suggested > 0 for s in found)
        self.notice(f"{low} low on stock (!), {to_order} to order; D drafts one PO per supplier"
                    if found else "Nothing is low or needs ordering")

    def _show_orders(self, table: DataTable, found: list) -> None:
        _columns(table, ("Number", 9), ("Date", 10), ("Status", 9), ("Supplier", 20), ("Lines", 5), ("Total", 10))
        for o in found:
            self.rows[o.number] = o
            table.add_row(o.number, f"{o.created_at.astimezone(self.zone):%Y-%m-%d}", o.status,
                          _cut(o.supplier, 20), str(o.line_count), format_money(o.total), key=o.number)
        self.notice("Enter: the order's lines; O ordered, R receive, X cancel" if found else
                    "No purchase orders yet; F2 and D draft them from the reorder list")

    def _show_lines(self, table: DataTable, order: Any) -> None:
        _columns(table, ("Barcode", 13), ("Name", 20), ("Ordered", 7), ("Received", 8), ("Cost", 8), ("Total", 9))
        self.rows = {"": order}
        for line in order.lines:
            table.add_row(line.barcode, _cut(line.name, 20), format_qty(line.qty_ordered),
                          format_qty(line.qty_received), format_money(line.unit_cost), format_money(line.total),
                          key=line.barcode)
        self.notice(f"{order.number} to {order.supplier}: {order.status}, total {format_money(order.total)}; "
                    "Esc back to the orders")

    def _show_suppliers(self, table: DataTable, found: list) -> None:
        _columns(table, ("Name", 22), ("Lead", 4), ("Products", 8), ("Open POs", 8), ("Contact", 12), ("Phone", 12))
        for s in found:
            self.rows[s.name] = s
            table.add_row(_cut(s.name + (" (archived)" if s.archived else ""), 22), f"{s.lead_time_days}d",
                          str(s.products), str(s.open_orders), _cut(s.contact, 12), _cut(s.phone, 12), key=s.name)
        self.notice("A adds a supplier; E or Enter edits one" if found else "No suppliers yet; A adds one")

    def notice(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#po-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")
        if error:
            self.app.bell()

    def selected(self) -> Any:
        """What the highlighted row shows (None on an empty table)."""
        table = self.query_one("#po-table", DataTable)
        if self.view == LINES:
            return self.rows.get("")
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    # -- keys ---------------------------------------------------------------------
    def action_view(self, view: str) -> None:
        self.view, self.order_number = view, None
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.action_view(ORDERS)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.view == ORDERS and self.selected() is not None:
            self.view, self.order_number = LINES, self.selected().number
            self.load()
        elif self.view == SUPPLIERS:
            self.action_edit_supplier()

    def _order_or_say(self) -> Any:
        order = self.selected() if self.view in (ORDERS, LINES) else None
        if order is None:
            self.notice("Pick an order first (F3)", error=True)
        return order

    def action_draft(self) -> None:
        self.notice("Drafting orders from the suggestions…")
        self._write(self._drafted, "draft_from_suggestions",
                    default_lead_days=self.app.settings.get("stock.default_lead_time_days"))

    def _drafted(self, drafted: Any) -> None:
        made = ", ".join(f"{o.number} ({o.supplier})" for o in drafted.orders) or "no order"
        missing = f"; {len(drafted.unplaced)} without a supplier: " + ", ".join(
            name for _, name, _ in drafted.unplaced[:3]) if drafted.unplaced else ""
        self.view = ORDERS
        self._done(f"Drafted {made}{missing}", error=not drafted.orders)

    def action_mark_ordered(self) -> None:
        order = self._order_or_say()
        if order is not None:
            self._write(lambda o: self._done(f"{o.number} marked ordered"), "mark_ordered", order.number)

    def action_cancel_order(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        order = self._order_or_say()
        if order is None:
            return

        def answered(letter: str | None) -> None:
            if letter == "Y":
                self._write(lambda o: self._done(f"{o.number} cancelled"), "cancel", order.number)

        self.app.push_screen(ChooseModal(f"Cancel {order.number} to {order.supplier}?", {
            "Y": "yes, nothing more is expected on it", "N": "no, keep it"}), answered)

    def action_receive(self) -> None:
        from pos_tui.tui.modals.receive_order import ReceiveOrderModal

        order = self._order_or_say()
        if order is None:
            return
        if order.status not in ("ordered", "partial"):
            self.notice(f"{order.number} is {order.status}; only an ordered PO takes goods", error=True)
            return
        self.app.push_screen(ReceiveOrderModal(self.actor, order.number),
                             lambda got: self._done(f"{got.number} {got.status}") if got else None)

    def action_add_supplier(self) -> None:
        from pos_tui.tui.modals.supplier_form import SupplierFormModal

        self.app.push_screen(SupplierFormModal(self.actor, None),
                             lambda s: self._done(f"Added supplier {s.name}") if s else None)

    def action_edit_supplier(self) -> None:
        from pos_tui.tui.modals.supplier_form import SupplierFormModal

        supplier = self.selected() if self.view == SUPPLIERS else None
        if supplier is None:
            self.notice("Pick a supplier first", error=True)
            return
        self.app.push_screen(SupplierFormModal(self.actor, supplier),
                             lambda s: self._done(f"Saved supplier {s.name}") if s else None)

    def _done(self, message: str, *, error: bool = False) -> None:
        self.then_say = (message, error)
        self.load()

    # -- writing --------------------------------------------------------------------
    @work(thread=True, group="purchasing-write")
    def _write(self, then: Callable[[Any], None], name: str, *args: Any, **kwargs: Any) -> None:
        from pos_tui.services import purchase_orders
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                result = getattr(purchase_orders, name)(self.actor, *args, **kwargs)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(then, result)
