"""The Orders area: orders by status with counts, late ones first, a detail view and the actions on keys.

Any user may see orders; each action asks the services, which check the
permission themselves, so a cashier pressing Approve is told plainly who may.
Only the actions the highlighted order's status allows (order_status.allowed_from)
are offered in the footer. Every read and write runs in a thread worker.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pos_tui.domain.locale_format import format_date
from pos_tui.domain.money import format_money
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import truncate
from pos_tui.i18n import N_, _, current_language
from pos_tui.services.context import Actor
from pos_tui.services.order_info import OrderInfo, OrderList
from pos_tui.services.order_status import STATUSES, allowed_from
from pos_tui.tui.modals.order_detail import FULFILMENT_WORDS, STATUS_WORDS, TENDER_WORDS, said
from pos_tui.tui.widgets.key_footer import KeyFooter

# The filter cycles through these: every order, the late ones, then each status.
FILTERS = ("all", "late") + STATUSES
SHORT = {"all": N_("All"), "late": N_("Late"), "draft": N_("Draft"), "pending_review": N_("Review"),
         "approved": N_("Approved"), "packed": N_("Packed"), "shipped": N_("Shipped"), "delivered": N_("Delivered"),
         "cancelled": N_("Cancelled"), "returned": N_("Returned")}
# Action name -> the status it moves an order to (submit: draft -> review or approved).
TARGETS = {"submit": "pending_review", "approve": "approved", "reject": "cancelled", "pack": "packed",
           "ship": "shipped", "deliver": "delivered", "cancel": "cancelled", "return_order": "returned"}


def status_cell(order: OrderInfo) -> Text:
    """The status, with a LATE marker that reads without colour (TERM=linux) and stands out with it."""
    status = said(STATUS_WORDS, order.status)
    if order.late:
        return Text.assemble((_("LATE"), "bold reverse red"), " ", status)
    return Text(status)


def wake_outbox(app) -> None:
    """The change's customer message goes now, not at the sender's next pass."""
    devices = getattr(app, "devices", None)
    if devices is not None:
        devices.outbox.wake()


class OrdersScreen(Screen[None]):
    """Orders at this shop; F2 cycles the status shown, Enter opens one."""

    HELP_TITLE = N_("Orders")
    HOWTO = N_("""
        Delivery and pickup orders by status, late ones first; {orders.filter} the next filter.
        Up/Down pick an order, {orders.detail} shows it in full. The footer offers only
        the steps the order's status allows (submit, approve, pack, ship,
        deliver, cancel, return); {orders.slip} prints its slip. A step your role
        may not take says which permission it needs.
    """)


    DEFAULT_CSS = """
    #orders-tabs { height: auto; max-height: 2; padding: 0 1; }  /* every status's count, wrapped at 80 columns */
    #orders-table { height: 1fr; }
    #orders-current { height: 1; padding: 0 1; }
    #orders-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "next_filter", N_("Filter"), id="orders.filter"),
        Binding("f3", "detail", N_("Detail"), id="orders.detail"),
        Binding("f4", "submit", N_("Submit"), id="orders.submit"),
        Binding("f5", "approve", N_("Approve"), id="orders.approve"),
        Binding("f6", "reject", N_("Reject"), id="orders.reject"),
        Binding("f7", "pack", N_("Pack"), id="orders.pack"),
        Binding("f8", "ship", N_("Ship"), id="orders.ship"),
        Binding("f9", "deliver", N_("Deliver"), id="orders.deliver"),
        Binding("f10", "cancel", N_("Cancel"), id="orders.cancel"),
        Binding("f11", "return_order", N_("Return"), id="orders.return"),
        Binding("ctrl+p", "slip", N_("Slip"), id="orders.slip"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="orders.refresh", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.filter = "all"
        self.orders: dict[str, OrderInfo] = {}
        self.listing: OrderList | None = None
        self.may_review: bool | None = None  # order.approve, read once with the first list
        # Every read asked for gets a number and only the newest one's answer is shown: a cancelled thread
        # worker still finishes, and an earlier filter's list must not land over the one chosen.
        self.asked = 0

    def compose(self) -> ComposeResult:
        yield Static(_("Orders | {user} ({role})").format(user=self.actor.username, role=self.actor.role),
                     id="status-line")
        yield Static("", id="orders-tabs")
        yield DataTable(id="orders-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="orders-current")
        yield Static("", id="orders-notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#orders-table", DataTable)
        table.add_columns(_("Order"), _("Status"), _("Customer"), _("Total"), _("Owed"), _("Expected"))
        self.set_focus(table)
        self.load()

    # -- reading ----------------------------------------------------------
    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#orders-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")
        if error:
            self.app.bell()

    def load(self, keep: str | None = None) -> None:
        self.asked += 1
        self._read(self.asked, self.filter, keep)

    @work(thread=True, exclusive=True, group="orders-read")
    def _read(self, asked: int, which: str, keep: str | None) -> None:
        from pos_tui.services.order_info import list_orders
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                status = which if which in STATUSES else None
                found = list_orders(status, late=which == "late")
                if self.may_review is None:
                    from pos_tui.services.permissions import has

                    self.may_review = has(self.actor, "order.approve")
        except PosError as exc:
            self.app.call_from_thread(self._failed, asked, str(exc))
            return
        self.app.call_from_thread(self._show, asked, found, keep)

    def _failed(self, asked: int, message: str) -> None:
        if asked == self.asked:
            self.notice(message, error=True)

    def _tabs(self, listing: OrderList) -> str:
        counts = {"all": sum(listing.counts.values()), "late": listing.late, **listing.counts}
        parts = []
        for name in FILTERS:
            label = f"{said(SHORT, name)} {counts.get(name, 0)}"
            parts.append(f"[reverse]\\[{label}][/reverse]" if name == self.filter else label)
        return " ".join(parts)

    def _show(self, asked: int, listing: OrderList, keep: str | None) -> None:
        if asked != self.asked:  # a newer read is on its way
            return
        self.listing = listing
        self.query_one("#orders-tabs", Static).update(self._tabs(listing))
        table = self.query_one("#orders-table", DataTable)
        table.clear()
        self.orders = {o.number: o for o in listing.orders}
        language = current_language()
        for o in listing.orders:
            owed = format_money(o.balance) if o.balance > 0 else ""
            expected = format_date(o.expected_date, language) if o.expected_date else ""
            table.add_row(o.number, status_cell(o), truncate(o.customer or o.recipient or "-", 20),
                          Text(format_money(o.total), justify="right"), Text(owed, justify="right"), expected,
                          key=o.number)
        if keep in self.orders:
            table.move_cursor(row=table.get_row_index(keep))
        if not listing.orders:
            self.notice(_("No {status} orders").format(status=said(SHORT, self.filter).lower())
                        if self.filter != "all" else _("No orders yet"))
        self.show_current()

    @property
    def current(self) -> OrderInfo | None:
        table = self.query_one("#orders-table", DataTable)
        if not self.orders or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.orders.get(key)

    def on_data_table_row_highlighted(self, _event) -> None:
        self.show_current()

    def show_current(self) -> None:
        """The highlighted order in words (a row's highlight may not show on a plain terminal)."""
        o = self.current
        text = ""
        if o is not None:
            who = o.customer or o.recipient or _("no customer")
            late = _("LATE") + " " if o.late else ""
            text = _("> {number} {late}{status}, {fulfilment}, {who}, {total}").format(
                number=o.number, late=late, status=said(STATUS_WORDS, o.status),
                fulfilment=said(FULFILMENT_WORDS, o.fulfilment), who=truncate(who, 24), total=format_money(o.total))
        self.query_one("#orders-current", Static).update(text)
        self.refresh_bindings()

    def on_data_table_row_selected(self, _event) -> None:
        self.action_detail()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what the highlighted order's status allows (the services check again)."""
        if action not in TARGETS and action not in ("detail", "slip"):
            return True
        order = self.current
        if order is None:
            return False
        if action in ("detail", "slip"):
            return True
        if action == "submit":
            return order.status == "draft"
        if action == "reject":
            return order.status == "pending_review"
        return TARGETS[action] in allowed_from(order.status, order.fulfilment)

    # -- actions ------------------------------------------------------------
    def action_next_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.notice("")
        self.load()

    def action_refresh(self) -> None:
        self.load(self.current.number if self.current else None)

    def action_detail(self) -> None:
        from pos_tui.tui.modals.order_detail import OrderDetailModal

        order = self.current
        if order is not None:
            self.app.push_screen(OrderDetailModal(order.number))

    def _ask_note(self, title: str, then: Callable[[str], None], *, prompt: str = N_("Note (why)")) -> None:
        from pos_tui.tui.modals.ask import AskModal

        def answered(note: str | None) -> None:
            if note is None:
                self.notice(_("Nothing changed"))
            else:
                then(note)

        self.app.push_screen(AskModal(title, _(prompt)), answered)

    def action_submit(self) -> None:
        if (o := self.current) is not None:
            self.run_change("submit_order", o.number)

    def refused(self) -> bool:
        """Say at once, before any note or form, that this user may not review or ship (the service checks too)."""
        if self.may_review is False:
            from pos_tui.services.permissions import PermissionDenied

            self.notice(str(PermissionDenied(self.actor, "order.approve")), error=True)
            return True
        return False

    def action_approve(self) -> None:
        if self.refused():
            return
        if (o := self.current) is not None:
            self._ask_note(_("Approve {number}").format(number=o.number), lambda note: self.run_change("approve", o.number, note=note))

    def action_reject(self) -> None:
        if self.refused():
            return
        if (o := self.current) is not None:
            self._ask_note(_("Reject {number}").format(number=o.number), lambda note: self.run_change("reject", o.number, note=note))

    def action_pack(self) -> None:
        if (o := self.current) is not None:
            self.run_change("pack", o.number)

    def action_ship(self) -> None:
        from pos_tui.services.orders import carriers
        from pos_tui.tui.modals.choose import ChooseModal
        from pos_tui.tui.modals.ship_form import ShipFormModal

        o = self.current
        if o is None or self.refused():
            return
        names = carriers(self.app.settings)
        letters = dict(zip("123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", names))

        def carrier_chosen(letter: str | None) -> None:
            if letter is None:
                self.notice(_("Nothing changed"))
                return
            self.app.push_screen(ShipFormModal(self.actor, o.number, letters[letter]), self._changed)

        self.app.push_screen(ChooseModal(_("Ship {number}: which carrier?").format(number=o.number), letters),
                             carrier_chosen)

    def action_deliver(self) -> None:
        from pos_tui.services.tenders import tender_choices
        from pos_tui.tui.modals.choose import ChooseModal

        o = self.current
        if o is None:
            return
        if o.balance <= 0:
            self.run_change("deliver", o.number)
            return
        kinds = {c.letter.upper(): c.kind for c in tender_choices(self.app.settings)}
        choices = {letter: _("Take {amount} in {tender}").format(amount=format_money(o.balance),
                                                                tender=said(TENDER_WORDS, kind))
                   for letter, kind in kinds.items()}
        choices["L"] = _("Deliver; the balance stays owed")

        def chosen(letter: str | None) -> None:
            if letter is None:
                self.notice(_("Nothing changed"))
            else:
                self.run_change("deliver", o.number, tender=kinds.get(letter))

        title = _("Deliver {number}: {amount} owed").format(number=o.number, amount=format_money(o.balance))
        self.app.push_screen(ChooseModal(title, choices), chosen)

    def action_cancel(self) -> None:
        if (o := self.current) is not None:
            self._ask_note(_("Cancel {number}").format(number=o.number), lambda note: self.run_change("cancel", o.number, note=note))

    def action_return_order(self) -> None:
        if self.refused():
            return
        if (o := self.current) is not None:
            self._ask_note(_("Return {number}").format(number=o.number), lambda note: self.run_change("return_order", o.number, note=note))

    def action_slip(self) -> None:
        if (o := self.current) is not None:
            self._print_slip(o.number)

    @work(thread=True, group="orders-write")
    def _print_slip(self, number: str) -> None:
        from pos_tui.services.packing_slip import print_slip
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                print_slip(self.actor, self.app.settings, number)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.notice,
                                  _("Packing slip for {number} sent to the printer").format(number=number))

    def run_change(self, fn_name: str, number: str, **kwargs) -> None:
        self.notice(_("Saving {number}…").format(number=number))
        self._change(fn_name, number, kwargs)

    @work(thread=True, group="orders-write")
    def _change(self, fn_name: str, number: str, kwargs: dict) -> None:
        from pos_tui.services import orders
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                done = getattr(orders, fn_name)(self.actor, self.app.settings, number, source="till", **kwargs)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self._changed, done)

    def _changed(self, order: OrderInfo | None) -> None:
        if order is None:
            self.notice(_("Nothing changed"))
            return
        owed = _(", {amount} owed").format(amount=format_money(order.balance)) if order.balance > 0 else ""
        self.notice(_("{number} is {status}{owed}").format(number=order.number,
                                                           status=said(STATUS_WORDS, order.status), owed=owed))
        if order.number in self.orders:  # keys act on the new status at once, not after the reload
            self.orders[order.number] = order
            self.show_current()
        self.load(order.number)
        wake_outbox(self.app)
