"""Purchasing at the till: what is low and what to order, purchase orders, suppliers.

Four views on one table: the reorder list (F2, with each product's
suggested quantity; D drafts one order per supplier from it), the orders
(F3; Enter shows an order's lines), and the suppliers (F4; A adds, E or
Enter edits). The footer shows only the keys of the view on screen. Every
read and write runs in a thread worker; the services check stock.adjust
themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable
from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from pos_tui.domain.locale_format import format_date
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import display_width, truncate
from pos_tui.i18n import N_, _, current_language
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.key_footer import KeyFooter

REORDER, ORDERS, LINES, SUPPLIERS = "reorder", "orders", "lines", "suppliers"
# The lines view is titled by its order ("Order PO-0001"), in load().
_TITLES = {REORDER: N_("Low stock and reorders"), ORDERS: N_("Purchase orders"), SUPPLIERS: N_("Suppliers")}
# A purchase order's status code as a person reads it.
STATUSES = {"draft": N_("draft"), "ordered": N_("ordered"), "partial": N_("partial"), "received": N_("received"),
            "cancelled": N_("cancelled")}
_VIEW_KEYS = {
    "draft": (REORDER,), "mark_ordered": (ORDERS, LINES), "receive": (ORDERS, LINES), "cancel_order": (ORDERS, LINES),
    "add_supplier": (SUPPLIERS,), "edit_supplier": (SUPPLIERS,), "back": (LINES,),
}


def _cut(text: str, width: int) -> str:
    """At most `width` display columns (a CJK character takes two), "~" marking a cut."""
    return text if display_width(text) <= width else truncate(text, width - 1) + "~"


def _columns(table: DataTable, *columns: tuple[str, int]) -> None:
    """Fixed widths that fit 80 columns (each cell has a space either side); titles are N_() marked."""
    for label, width in columns:
        table.add_column(_(label), width=width)


def status_shown(code: str) -> str:
    label = STATUSES.get(code)
    return _(label) if label is not None else code


def _days(days: int) -> str:
    return _("{days}d").format(days=days)


class PurchasingScreen(Screen[None]):
    """The supervisor's purchasing desk."""

    HELP_TITLE = N_("Purchasing")
    HOWTO = N_("""
        {purchasing.reorder} the reorder list with each product's suggested order; {purchasing.draft} drafts
        one purchase order per supplier from it. {purchasing.orders} the orders: Enter
        shows a PO's lines, {purchasing.mark_ordered} marks it ordered, {purchasing.receive} receives it, {purchasing.cancel} cancels.
        {purchasing.suppliers} the suppliers: {purchasing.add_supplier} adds, {purchasing.edit_supplier} edits. {purchasing.refresh} reloads; {purchasing.back} goes back.
    """)


    DEFAULT_CSS = """
    #po-table { height: 1fr; }
    #po-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "view('reorder')", N_("Reorder"), id="purchasing.reorder"),
        Binding("f3", "view('orders')", N_("Orders"), id="purchasing.orders"),
        Binding("f4", "view('suppliers')", N_("Suppliers"), id="purchasing.suppliers"),
        Binding("f5", "reload", N_("Refresh"), id="purchasing.refresh"),
        Binding("d", "draft", N_("Draft POs"), id="purchasing.draft"),
        Binding("o", "mark_ordered", N_("Ordered"), id="purchasing.mark_ordered"),
        Binding("r", "receive", N_("Receive"), id="purchasing.receive"),
        Binding("x", "cancel_order", N_("Cancel PO"), id="purchasing.cancel"),
        Binding("a", "add_supplier", N_("Add"), id="purchasing.add_supplier"),
        Binding("e", "edit_supplier", N_("Edit"), id="purchasing.edit_supplier"),
        Binding("escape", "back", N_("Back"), id="purchasing.back"),
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
        user, role = self.actor.username, self.actor.role
        if self.view == LINES:
            what = f"{self.order_number}"
            status = _("Purchasing: Order {number} | {user} ({role})").format(
                number=self.order_number, user=user, role=role)
        else:
            title = _TITLES[self.view]
            what = _(title).lower()
            status = _("Purchasing: {title} | {user} ({role})").format(title=_(title), user=user, role=role)
        self.query_one("#status-line", Static).update(status)
        self.notice(_("Reading {what}…").format(what=what))
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
        _columns(table, (N_("Name"), 19), (N_("Stock"), 6), (N_("Level"), 6), (N_("Sold28"), 6), (N_("Lead"), 4),
                 (N_("OnOrd"), 5), (N_("Order"), 6), (N_("Supplier"), 10))
        for s in found:
            self.rows[s.barcode] = s
            table.add_row(_cut(("! " if s.low else "  ") + s.name, 19), format_qty(s.stock),
                          format_qty(s.reorder_level), format_qty(s.sold), _days(s.lead_time_days),
                          format_qty(s.on_order), format_qty(s.suggested), _cut(s.supplier or "-", 10), key=s.barcode)
        low = sum(s.low for s in found)
        to_order = sum(s.suggested > 0 for s in found)
        self.notice(_("{low} low on stock (!), {to_order} to order; D drafts one PO per supplier").format(
            low=low, to_order=to_order) if found else _("Nothing is low or needs ordering"))

    def _show_orders(self, table: DataTable, found: list) -> None:
        language = current_language()
        # a longer date form (Chinese "2026年12月31日") takes its columns from the supplier's
        wider = max(0, display_width(format_date(date(2026, 12, 31), language)) - 10)
        _columns(table, (N_("Number"), 9), (N_("Date"), 10 + wider), (N_("Status"), 9), (N_("Supplier"), 20 - wider),
                 (N_("Lines"), 5), (N_("Total"), 10))
        for o in found:
            self.rows[o.number] = o
            table.add_row(o.number, format_date(o.created_at.astimezone(self.zone).date(), language),
                          status_shown(o.status), _cut(o.supplier, 20 - wider), str(o.line_count),
                          format_money(o.total), key=o.number)
        self.notice(_("Enter: the order's lines; O ordered, R receive, X cancel") if found else
                    _("No purchase orders yet; F2 and D draft them from the reorder list"))

    def _show_lines(self, table: DataTable, order: Any) -> None:
        _columns(table, (N_("Barcode"), 13), (N_("Name"), 20), (N_("Ordered"), 7), (N_("Received"), 8),
                 (N_("Cost"), 8), (N_("Total"), 9))
        self.rows = {"": order}
        for line in order.lines:
            table.add_row(line.barcode, _cut(line.name, 20), format_qty(line.qty_ordered),
                          format_qty(line.qty_received), format_money(line.unit_cost), format_money(line.total),
                          key=line.barcode)
        self.notice(_("{number} to {supplier}: {status}, total {total}; Esc back to the orders").format(
            number=order.number, supplier=order.supplier, status=status_shown(order.status),
            total=format_money(order.total)))

    def _show_suppliers(self, table: DataTable, found: list) -> None:
        _columns(table, (N_("Name"), 22), (N_("Lead"), 4), (N_("Products"), 8), (N_("Open POs"), 8),
                 (N_("Contact"), 12), (N_("Phone"), 12))
        for s in found:
            self.rows[s.name] = s
            table.add_row(_cut(s.name + (_(" (archived)") if s.archived else ""), 22), _days(s.lead_time_days),
                          str(s.products), str(s.open_orders), _cut(s.contact, 12), _cut(s.phone, 12), key=s.name)
        self.notice(_("A adds a supplier; E or Enter edits one") if found else _("No suppliers yet; A adds one"))

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
            self.notice(_("Pick an order first (F3)"), error=True)
        return order

    def action_draft(self) -> None:
        self.notice(_("Drafting orders from the suggestions…"))
        self._write(self._drafted, "draft_from_suggestions",
                    default_lead_days=self.app.settings.get("stock.default_lead_time_days"))

    def _drafted(self, drafted: Any) -> None:
        made = ", ".join(f"{o.number} ({o.supplier})" for o in drafted.orders) or _("no order")
        missing = _("; {n} without a supplier: {names}").format(
            n=len(drafted.unplaced), names=", ".join(name for _id, name, _code in drafted.unplaced[:3])
        ) if drafted.unplaced else ""
        self.view = ORDERS
        self._done(_("Drafted {orders}{missing}").format(orders=made, missing=missing), error=not drafted.orders)

    def action_mark_ordered(self) -> None:
        order = self._order_or_say()
        if order is not None:
            self._write(lambda o: self._done(_("{number} marked ordered").format(number=o.number)), "mark_ordered",
                        order.number)

    def action_cancel_order(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        order = self._order_or_say()
        if order is None:
            return

        def answered(letter: str | None) -> None:
            if letter == "Y":
                self._write(lambda o: self._done(_("{number} cancelled").format(number=o.number)), "cancel",
                            order.number)

        self.app.push_screen(ChooseModal(
            _("Cancel {number} to {supplier}?").format(number=order.number, supplier=order.supplier),
            {"Y": _("yes, nothing more is expected on it"), "N": _("no, keep it")}), answered)

    def action_receive(self) -> None:
        from pos_tui.tui.modals.receive_order import ReceiveOrderModal

        order = self._order_or_say()
        if order is None:
            return
        if order.status not in ("ordered", "partial"):
            self.notice(_("{number} is {status}; only an ordered PO takes goods").format(
                number=order.number, status=status_shown(order.status)), error=True)
            return
        self.app.push_screen(ReceiveOrderModal(self.actor, order.number),
                             lambda got: self._done(f"{got.number} {status_shown(got.status)}") if got else None)

    def action_add_supplier(self) -> None:
        from pos_tui.tui.modals.supplier_form import SupplierFormModal

        self.app.push_screen(SupplierFormModal(self.actor, None),
                             lambda s: self._done(_("Added supplier {name}").format(name=s.name)) if s else None)

    def action_edit_supplier(self) -> None:
        from pos_tui.tui.modals.supplier_form import SupplierFormModal

        supplier = self.selected() if self.view == SUPPLIERS else None
        if supplier is None:
            self.notice(_("Pick a supplier first"), error=True)
            return
        self.app.push_screen(SupplierFormModal(self.actor, supplier),
                             lambda s: self._done(_("Saved supplier {name}").format(name=s.name)) if s else None)

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
