"""One customer at a glance (F3 in the customer search): contact, addresses, totals, recent purchases.

Read in a thread worker; Enter attaches the customer to the sale, Esc goes back to the search.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError

RECENT = 12


class CustomerDetailModal(ModalScreen[object]):
    """Returns the CustomerInfo when Enter attaches them, None on Esc."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="customer_detail.close"),
        Binding("enter", "attach", "Attach", id="customer_detail.attach", priority=True),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.detail = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="lookup-box customer-detail"):
            yield Label("[b]Customer[/b]  (Enter attaches, Esc goes back)")
            yield Static("Loading…", id="customer-summary", markup=False)
            yield DataTable(id="customer-purchases", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#customer-purchases", DataTable)
        for label, width in (("Receipt", 10), ("Date", 10), ("Total", 9), ("Items", 40)):
            table.add_column(label, width=width)
        self._load()

    @work(thread=True, exclusive=True, group="customer_detail")
    def _load(self) -> None:
        from pos_tui.services.customer_history import customer_detail
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                detail = customer_detail(f"#{self.customer_id}", limit=RECENT)
        except PosError as exc:
            self.app.call_from_thread(self.query_one("#customer-summary", Static).update, str(exc))
            return
        self.app.call_from_thread(self._show, detail)

    def _show(self, detail) -> None:
        self.detail = detail
        zone = ZoneInfo(self.app.settings.get("store.timezone"))
        c = detail.customer
        lines = [f"{c.name}" + (f"   loyalty {c.loyalty_code}" if c.loyalty_code else ""),
                 "   ".join(part for part in (c.phone, c.email) if part) or "no phone or email"]
        default = next((a for a in detail.addresses if a.is_default), None)
        if default is not None:
            more = f" (+{len(detail.addresses) - 1} more)" if len(detail.addresses) > 1 else ""
            lines.append(f"{default.one_line()}{more}")
        if c.notes:
            lines.append(f"Note: {c.notes.splitlines()[0]}")
        last = detail.last_visit.astimezone(zone).strftime("%d %b %Y") if detail.last_visit else "never"
        lines.append(f"{detail.visits} visit{'' if detail.visits == 1 else 's'}, spent {format_money(detail.spent)}, last visit {last}"
                     + (f", {detail.returns} returns" if detail.returns else ""))
        if detail.orders:
            o = detail.orders[0]
            lines.append(f"{len(detail.orders)} order(s); latest {o.number} {o.status}")
        self.query_one("#customer-summary", Static).update("\n".join(lines))
        table = self.query_one("#customer-purchases", DataTable)
        table.clear()
        for p in detail.purchases:
            what = f"RETURN of {p.original}" if p.is_return else f"{format_qty(p.items)}: {p.summary}"
            table.add_row(p.receipt_no, p.time.astimezone(zone).strftime("%d/%m/%y"), format_money(p.total), what)

    def action_attach(self) -> None:
        if self.detail is not None:
            self.dismiss(self.detail.customer)

    def action_close(self) -> None:
        self.dismiss(None)
