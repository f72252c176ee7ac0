"""Checkout: scan into the cart, see the totals, F10 to pay."""

from __future__ import annotations

import gc
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static

from pos_tui.domain.cart import Cart
from pos_tui.domain.barcodes import parse_templates
from pos_tui.domain.tender import Tender
from pos_tui.errors import NotFound, PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.sales import SaleInfo
from pos_tui.services.tenders import cash_step, tender_choices
from pos_tui.tui.modals.customer_search import CustomerSearchModal
from pos_tui.tui.modals.payment import PaymentModal
from pos_tui.tui.modals.product_search import ProductSearchModal
from pos_tui.tui.low_stock import LOGIN_NOTICE, LowStockWarning
from pos_tui.tui.money_text import money
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.screens.cart_edits import CartEdits
from pos_tui.tui.screens.cart_order import CartToOrder
from pos_tui.tui.screens.parking import Parking
from pos_tui.tui.screens.returns_flow import Returns
from pos_tui.tui.screens.shift_actions import ShiftActions
from pos_tui.tui.screens.shift_close import ShiftClose
from pos_tui.tui.screens.till_devices import DeviceActions
from pos_tui.tui.widgets.cart_table import CartTable
from pos_tui.tui.widgets.device_status import DeviceWarnings, DrawerLamp
from pos_tui.tui.widgets.low_stock_lamp import LowStockLamp
from pos_tui.tui.widgets.lane_lamp import LaneLamp
from pos_tui.tui.widgets.text_lines import Notice
from pos_tui.tui.widgets.totals_panel import TotalsPanel
from pos_tui.tui.widgets.typed_input import TypedInput
from pos_tui.tui.widgets.key_footer import KeyFooter


def _set_aside_what_lives_all_shift() -> None:
    """Python's full garbage collections walk every object; the app and this screen (tens of thousands of
    objects, alive until logout) made each a pause of up to 70 ms, now and then in the middle of a scan.
    Collected once now and frozen, they are left out of later collections."""
    gc.collect()
    gc.freeze()


class CheckoutScreen(CartEdits, CartToOrder, Parking, Returns, DeviceActions, ShiftActions, ShiftClose, LowStockWarning,
                     OrderedTyping, Screen[None]):
    """Where the shop makes its money; the scan field is always ready."""

    HELP_TITLE = N_("Checkout")
    HOWTO = N_("Scan or type a barcode and Enter; type 3* before a code for three.\n"
               "Unknown code? {checkout.search} finds it by name. Wrong item? Up/Down\n"
               "picks a line, {checkout.void} voids it, {checkout.quantity} changes its quantity.\n"
               "{checkout.pay} pays: Enter takes cash, a letter picks another tender;\n"
               "split until nothing is due. Past your limits (discounts, prices,\n"
               "refunds) a supervisor's name and PIN approve.\n"
               "{checkout.shift} is the shift (float, X report, close); {app.menu} the other areas.")

    BINDINGS = [
        Binding("f2", "search", N_("Search"), id="checkout.search", priority=True),
        Binding("f3", "quantity", N_("Qty"), id="checkout.quantity", priority=True),
        Binding("f4", "discount", N_("Discount"), id="checkout.discount", priority=True),
        Binding("f5", "customer", N_("Customer"), id="checkout.customer", priority=True),
        Binding("f6", "park", N_("Park"), id="checkout.park", priority=True),
        Binding("f7", "return", N_("Return"), id="checkout.return", priority=True),
        Binding("f8", "void", N_("Void"), id="checkout.void", priority=True),
        Binding("f9", "no_sale", N_("No sale"), id="checkout.no_sale", priority=True),
        Binding("f10", "pay", N_("Pay"), id="checkout.pay", priority=True),
        Binding("f11", "shift", N_("Shift"), id="checkout.shift", priority=True),
        Binding("ctrl+p", "reprint", N_("Reprint"), id="checkout.reprint", priority=True),
        Binding("ctrl+o", "order", N_("Order"), id="checkout.order", priority=True),
        Binding("ctrl+r", "retry_print", N_("Retry print"), id="checkout.retry_print", priority=True, show=False),
        Binding("up", "line_up", N_("Line up"), id="checkout.line_up", show=False),
        Binding("down", "line_down", N_("Line down"), id="checkout.line_down", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        settings = self.app.settings
        self.actor = actor
        self.last_sale: SaleInfo | None = None
        self.cart = self.new_cart()
        self.tax_rates = settings.tax_rates()
        self.templates = parse_templates(settings.get("barcode.templates"))
        self.scanner_prefix = settings.get("scanner.prefix")
        self.scanner_min_length = int(settings.get("scanner.min_length"))
        if settings.get("scanner.suffix") == "tab":
            self.submit_keys = ("enter", "tab")

    def new_cart(self) -> Cart:
        settings = self.app.settings
        return Cart(prices_include_tax=settings.get("tax.included"), merge_repeats=settings.get("scanner.merge_repeats"))

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-row"):
            yield Static(self._status_text(), id="status-line")
            yield LowStockLamp(id="low-stock")
            yield LaneLamp(id="lane-lamp")  # offline lanes (issue 13)
            yield DeviceWarnings(id="device-warnings")
            yield DrawerLamp(id="drawer-lamp")
        with Horizontal(id="checkout-body"):
            yield CartTable(id="cart")
            yield TotalsPanel(id="totals")
        yield Notice(_(LOGIN_NOTICE), id="notice")
        yield TypedInput(placeholder=_("Barcode"), id="scan", announce_changes=False)  # nobody listens
        yield KeyFooter()

    def _status_text(self) -> str:
        settings = self.app.settings
        who = self.actor.username
        return _("{store} | lane {lane} | {user} ({role})").format(
            store=settings.get("store.name"), lane=settings.get("lane"), user=who, role=self.actor.role)

    def on_mount(self) -> None:
        from pos_tui.services.autosave import CartAutosave
        from pos_tui.services.held_carts import load_open

        lane = self.app.settings.get("lane")
        self.autosave = CartAutosave(lane, self.actor, on_error=self._autosave_failed)
        left_open = load_open(lane)  # a crash or a quit left a cart on this lane
        if left_open is not None:
            held, cart = left_open
            self.cart = cart
            self.notice(_("Restored the unfinished cart ({n} lines) left by {user}").format(
                n=held.lines, user=held.cashier or _("the last user")))
        self.show_cart(save=False)
        self.start_devices()
        self.start_low_stock()  # supervisors only; read off the UI thread
        self.load_shift()  # no open shift: the float is asked for at once
        self.set_focus(self.query_one("#scan", Input))
        self.replay_early_keys()
        self.call_after_refresh(_set_aside_what_lives_all_shift)

    def on_unmount(self) -> None:
        self.autosave.stop()
        gc.unfreeze()  # the screen's objects may be collected again once it is gone

    def typing_target(self) -> Input:
        """Typing always goes to the scan field, wherever the focus is."""
        return self.query_one("#scan", Input)

    def show_cart(self, highlight: int | None = None, *, save: bool = True) -> None:
        """Show the cart; every change is saved (off the UI thread) so a crash loses nothing.

        Drawn after the keys already queued: a burst of 300 scans draws (and totals, and saves) the
        cart once rather than 300 times over a growing basket. Any key binding draws it first.
        """
        pending = self._pending_draw
        self._pending_draw = (highlight, save or (pending is not None and pending[1]))
        if pending is None:
            self.app.call_later(self.draw_pending)

    _pending_draw: tuple[int | None, bool] | None = None

    def draw_pending(self) -> None:
        """Draw (and save) the cart now if a change is waiting."""
        pending, self._pending_draw = self._pending_draw, None
        if pending is None or not self.is_attached:
            return
        highlight, save = pending
        self.query_one(CartTable).show(self.cart, highlight)
        self.query_one(TotalsPanel).show(self.cart.totals(), tax_included=self.cart.prices_include_tax,
                                         customer=self.cart.customer_name)
        self._frame_now()
        if save:  # after the frame: the save's thread would otherwise hold the interpreter's lock during it
            self.autosave.save(self.cart)

    def _frame_now(self) -> None:
        """Put the change on screen now. Textual draws a widget's change after a round of messages: the
        widget's idle, an update posted to the screen, the screen's idle, its frame timer (about 2 ms on a
        till, of a scan's 12). The widgets a scan changes are known, so the frame is drawn here; Textual's
        own round then finds nothing left to draw. A change that needs a layout takes Textual's way.
        (Private members of Textual, which is pinned to one version.)"""
        if not self.is_current or self.app._batch_count or self._layout_required:
            return
        for widget in (self.query_one(CartTable), self.query_one(TotalsPanel), self.query_one(Notice),
                       self.query_one("#scan", Input)):
            if widget._repaint_required and not widget._layout_required:
                widget._repaint_required = False
                self._dirty_widgets.add(widget)
        if self._dirty_widgets:
            self._on_timer_update()

    def selected_index(self) -> int:
        """The highlighted cart line (the newest, unless the cashier moved up)."""
        self.draw_pending()
        row = self.query_one(CartTable).cursor_row
        return max(0, min(row, len(self.cart.lines) - 1))

    def action_line_up(self) -> None:
        self.query_one(CartTable).action_cursor_up()

    def action_line_down(self) -> None:
        self.query_one(CartTable).action_cursor_down()

    def _autosave_failed(self, why: str) -> None:
        """From the autosave thread: the cart is safe on screen but not on disk yet."""
        self.app.call_from_thread(
            self.notice, _("The cart is not saved to disk ({why}); it stays on screen").format(why=why), error=True)

    def notice(self, text: str, *, error: bool = False) -> None:
        self.query_one("#notice", Notice).show(text, error=error)  # its one line repainted, nothing restyled
        if error:
            self.app.bell()

    def field_submitted(self, field: Input) -> None:
        """A code and its suffix: look it up now (an indexed read), in scan order."""
        code = field.value
        field.value = ""
        self.scan_code(code)

    def take_paste(self, text: str) -> bool:
        """A pasted block of codes is one scan per line."""
        for line in text.splitlines():
            self.scan_code(line)
        return True

    def scan_code(self, code: str) -> None:
        from pos_tui.services.catalog import scan

        code = code.strip()
        if self.scanner_prefix and code.startswith(self.scanner_prefix):
            code = code[len(self.scanner_prefix):].strip()
        if not code:
            return
        if len(code) < self.scanner_min_length:  # a scanner's noise, not a code
            self.notice(_("Ignored {code}: shorter than {n} characters").format(
                code=repr(code), n=self.scanner_min_length), error=True)
            return
        try:
            line = scan(code, self.tax_rates, templates=self.templates)  # "3*CODE" included
            index = self.cart.add(line)
        except NotFound as exc:
            self.notice(_("{why} - press F2 to search").format(why=exc), error=True)
            return
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        self.show_cart(index)
        self.notice(f"{line.name}")

    def action_search(self) -> None:
        """F2: find a product by name; what is in the scan field starts the search."""
        field = self.query_one("#scan", Input)
        text, field.value = field.value, ""
        self.app.push_screen(ProductSearchModal(text), self._picked)

    def _picked(self, barcode: str | None) -> None:
        if barcode is not None:
            self.scan_code(barcode)

    def action_customer(self) -> None:
        """F5: attach a customer to this sale (shown on the receipt)."""
        self.app.push_screen(CustomerSearchModal(), self._customer_picked)

    def _customer_picked(self, customer) -> None:
        if customer is None:
            return
        self.cart.customer_id, self.cart.customer_name = customer.id, customer.name
        self.show_cart(self.selected_index())
        self.notice(_("Customer: {name}").format(name=customer.name))

    def action_return(self) -> None:
        if self.shift_ready(_("refunds")):
            Returns.action_return(self)

    def action_no_sale(self) -> None:
        if self.shift_ready(_("no-sale")):
            DeviceActions.action_no_sale(self)

    def action_pay(self) -> None:
        if self.cart.is_empty:
            self.notice(_("The cart is empty; scan an item first"), error=True)
            return
        if not self.shift_ready(_("sales")):
            return
        settings = self.app.settings
        self.warn_if_drawer_open()
        self.app.push_screen(
            PaymentModal(self.cart.totals().total, tender_choices(settings), cash_step(settings)), self._paid
        )

    def _paid(self, tenders: list[Tender] | None) -> None:
        self.set_focus(self.query_one("#scan", Input))
        if tenders is None:
            self.notice(_("Payment cancelled; the cart is kept"))
            return
        snapshot, self.cart = self.cart, self.new_cart()
        self.show_cart(save=False)  # the open cart is cleared by the sale's own transaction
        self.notice(_("Saving the sale…"))
        self._commit(snapshot, tenders)

    @work(thread=True, group="sale")
    def _commit(self, cart: Cart, tenders: list[Tender]) -> None:
        from pos_tui.services.offline_lane import commit_sale  # the store's, or an offline lane's queue
        from pos_tui.services.offline_start import lane_session as thread_session

        settings = self.app.settings
        self.autosave.flush()  # a save of this cart still being written would land after the sale cleared it
        try:
            with thread_session():
                sale = commit_sale(
                    self.actor, cart, tenders, lane=settings.get("lane"), cash_step=cash_step(settings),
                    tender_kinds=tuple(c.kind for c in tender_choices(settings)), settings=settings,
                )
        except Exception as exc:  # any failure must give the cart back, never lose it
            self.app.call_from_thread(self._commit_failed, cart, exc)
            return
        self.app.call_from_thread(self._committed, sale)
        self.low_stock_after_sale([line.product_id for line in cart.lines])  # after the sale is shown

    def _committed(self, sale: SaleInfo) -> None:
        self.last_sale = sale
        self.after_sale(sale)
        if not self.cart.is_empty:  # scanned while the sale was saved: keep that cart safe too
            self.autosave.save(self.cart)
        if self.cart.is_empty:
            self.draw_pending()  # the emptied cart first, then the change over it
            self.query_one(TotalsPanel).show_change(sale.receipt_no, sale.total, sale.change)
        self.notice(_("Sale {receipt} saved. Change due: {change}").format(receipt=sale.receipt_no, change=money(sale.change)))

    def _commit_failed(self, cart: Cart, exc: Exception) -> None:
        cart.lines.extend(self.cart.lines)
        self.cart = cart
        self.show_cart()
        message = str(exc) if isinstance(exc, PosError) else _("the sale was not saved ({kind}: {why})").format(
            kind=type(exc).__name__, why=exc)
        self.notice(_("{why}; the cart is kept, press F10 to try again").format(why=message), error=True)
