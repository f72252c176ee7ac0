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

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.services.order_info import OrderInfo


def detail_text(o: OrderInfo, zone: ZoneInfo) -> str:
    """The order as plain lines (markup escaped: names are the shop's text)."""
    def when(value) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    late = "  LATE" if o.late else ""
    out = [f"[b]{o.number}[/b]  {o.status}{late}  {o.fulfilment}, {o.payment}",
           f"Customer: {escape(o.customer or '-')}   taken {when(o.created_at)} by {escape(o.created_by)}"]
    if o.fulfilment == "delivery":
        out.append(f"Deliver to: {escape(o.recipient)}, {escape(o.recipient_phone)}")
        out += [f"  {escape(line)}" for line in o.address.splitlines()]
    if o.carrier:
        out.append(f"Carrier: {escape(o.carrier)} {escape(o.service)}  tracking {escape(o.tracking_number)}")
    if o.expected_date:
        out.append(f"Expected: {o.expected_date.isoformat()}")
    if o.review_rule:
        out.append(f"Review: {escape(o.review_rule)}" + (f"; {escape(o.reviewed_by)}: {escape(o.review_note)}"
                                                          if o.reviewed_by else ""))
    if o.note:
        out.append(f"Note: {escape(o.note)}")
    out.append("[b]Lines[/b]")
    out += [f"  {format_qty(l.qty):>5} x {escape(l.name[:40]):<40} {format_money(l.total):>9}" for l in o.lines]
    out.append(f"  Total {format_money(o.total)}  paid {format_money(o.paid)}  owed {format_money(o.balance)}")
    if o.payments:
        out.append("[b]Payments[/b]")
        out += [f"  {when(p.time)}  {p.tender:<6} {format_money(p.amount):>9}  {escape(p.username)}"
                for p in o.payments]
    out.append("[b]Timeline[/b]")
    for e in o.events:
        step = f"{e.status_from} -> {e.status_to}" if e.status_from else e.status_to
        note = f"  {escape(e.note)}" if e.note else ""
        out.append(f"  {when(e.time)}  {step:<26} {escape(e.username or e.os_user):<10}{note}")
    return "\n".join(out)


class OrderDetailModal(ModalScreen[None]):
    """Read in a worker; Esc closes."""

    DEFAULT_CSS = """
    OrderDetailModal { align: center middle; }
    #order-detail-box { width: 78; height: 22; border: $frame-heavy $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close", id="order_detail.close")]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.order: OrderInfo | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="order-detail-box"):
            yield Static(f"Reading {self.number}…", id="order-detail")
            yield Static("Esc closes", classes="hint")

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
