"""One order in full: lines, customer, delivery, payments and the timeline of who changed what, when."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from pos_tui.domain.locale_format import format_date, format_datetime
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import fit, pad_right
from pos_tui.i18n import N_, _, current_language
from pos_tui.services.order_info import OrderInfo

# The codes an order carries, as a person reads them (English: the code itself, as the screens always showed it).
STATUS_WORDS = {
    "draft": N_("draft"), "pending_review": N_("pending_review"), "approved": N_("approved"),
    "packed": N_("packed"), "shipped": N_("shipped"), "delivered": N_("delivered"), "cancelled": N_("cancelled"),
    "returned": N_("returned"),
}
FULFILMENT_WORDS = {"delivery": N_("delivery"), "pickup": N_("pickup")}
PAYMENT_WORDS = {"paid": N_("paid"), "deposit": N_("deposit"), "on_delivery": N_("on_delivery")}
# Tenders a shop may take; one named in tenders.other that is not here shows as the shop typed it.
TENDER_WORDS = {"cash": N_("cash"), "card": N_("card"), "voucher": N_("voucher"), "mobile": N_("mobile")}


def said(words: dict[str, str], code: str) -> str:
    """`code` in the current language through one of the tables above (an unknown code as it is)."""
    msgid = words.get(code)
    return _(msgid) if msgid else code


def detail_text(o: OrderInfo, zone: ZoneInfo) -> str:
    """The order as plain lines (markup escaped: names are the shop's text); columns padded by display width."""
    language = current_language()

    def when(value) -> str:
        return format_datetime(value.astimezone(zone), language) if value else ""

    late = "  " + _("LATE") if o.late else ""
    status = said(STATUS_WORDS, o.status)
    how = _("{fulfilment}, {payment}").format(fulfilment=said(FULFILMENT_WORDS, o.fulfilment),
                                               payment=said(PAYMENT_WORDS, o.payment))
    out = [f"[b]{o.number}[/b]  {status}{late}  {how}",
           _("Customer: {customer}   taken {when} by {user}").format(
               customer=escape(o.customer or "-"), when=when(o.created_at), user=escape(o.created_by))]
    if o.fulfilment == "delivery":
        out.append(_("Deliver to: {recipient}, {phone}").format(recipient=escape(o.recipient),
                                                                 phone=escape(o.recipient_phone)))
        out += [f"  {escape(line)}" for line in o.address.splitlines()]
    if o.carrier:
        out.append(_("Carrier: {carrier} {service}  tracking {tracking}").format(
            carrier=escape(o.carrier), service=escape(o.service), tracking=escape(o.tracking_number)))
    if o.expected_date:
        out.append(_("Expected: {date}").format(date=format_date(o.expected_date, language)))
    if o.review_rule:
        out.append(_("Review: {rule}").format(rule=escape(o.review_rule)) + (
            f"; {escape(o.reviewed_by)}: {escape(o.review_note)}" if o.reviewed_by else ""))
    if o.note:
        out.append(_("Note: {note}").format(note=escape(o.note)))
    out.append(f"[b]{_('Lines')}[/b]")
    out += [f"  {format_qty(l.qty):>5} x {escape(fit(l.name, 40))} {format_money(l.total):>9}" for l in o.lines]
    out.append("  " + _("Total {total}  paid {paid}  owed {owed}").format(
        total=format_money(o.total), paid=format_money(o.paid), owed=format_money(o.balance)))
    if o.payments:
        out.append(f"[b]{_('Payments')}[/b]")
        out += [f"  {when(p.time)}  {pad_right(said(TENDER_WORDS, p.tender), 6)} {format_money(p.amount):>9}"
                f"  {escape(p.username)}" for p in o.payments]
    out.append(f"[b]{_('Timeline')}[/b]")
    for e in o.events:
        to = said(STATUS_WORDS, e.status_to)
        step = f"{said(STATUS_WORDS, e.status_from)} -> {to}" if e.status_from else to
        note = f"  {escape(e.note)}" if e.note else ""
        out.append(f"  {when(e.time)}  {pad_right(step, 26)} {escape(pad_right(e.username or e.os_user, 10))}{note}")
    return "\n".join(out)


class OrderDetailModal(ModalScreen[None]):
    """Read in a worker; Esc closes."""

    HELP_TITLE = N_("Order details")
    HOWTO = N_("One order in full: its lines, customer, delivery, payments, and\n"
               "the timeline of who changed what, when. {order_detail.close} closes.")

    DEFAULT_CSS = """
    OrderDetailModal { align: center middle; }
    #order-detail-box { width: 78; height: 22; border: $frame-heavy $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"), id="order_detail.close")]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.order: OrderInfo | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="order-detail-box"):
            yield Static(_("Reading {number}…").format(number=self.number), id="order-detail")
            yield Static(_("Esc closes"), classes="hint")

    def on_mount(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="order-detail")
    def _read(self) -> None:
        from pos_tui.services.order_info import get_order
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                order = get_order(self.number)
        except PosError as exc:
            self.app.call_from_thread(self._say, escape(str(exc)))
            return
        self.app.call_from_thread(self._show, order)

    def _say(self, text: str) -> None:
        self.query_one("#order-detail", Static).update(text)

    def _show(self, order: OrderInfo) -> None:
        self.order = order
        self._say(detail_text(order, ZoneInfo(self.app.settings.get("store.timezone"))))

    def action_close(self) -> None:
        self.dismiss(None)
