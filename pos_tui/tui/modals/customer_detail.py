"""One customer at a glance (F3 in the customer search): contact, addresses, totals, recent purchases.

Read in a thread worker; Enter attaches the customer to the sale, Esc goes back to the search.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pos_tui.domain.locale_format import format_date
from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import PosError
from pos_tui.i18n import N_, _, current_language, ngettext

RECENT = 12
# Column titles and widths; marked here, translated when the table is built.
DATE = N_("Date")
COLUMNS = ((N_("Receipt"), 10), (DATE, 10), (N_("Total"), 9), (N_("Items"), 40))
_SHORT_DAY = "%d/%m/%y"


def _day(moment: datetime, english: str) -> str:
    """A day for a person: English keeps the till's own pattern, Chinese writes it the Chinese way."""
    language = current_language()
    return moment.strftime(english) if language == "en" else format_date(moment.date(), language)


class CustomerDetailModal(ModalScreen[object]):
    """Returns the CustomerInfo when Enter attaches them, None on Esc."""

    HELP_TITLE = N_("Customer details")
    HOWTO = N_("One customer: contact, address, visits and spending, recent purchases.\n"
               "{customer_detail.attach} attaches them to the sale; {customer_detail.close} goes back to the search.")

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="customer_detail.close"),
        Binding("enter", "attach", N_("Attach"), id="customer_detail.attach", priority=True),
    ]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.detail = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="lookup-box customer-detail"):
            yield Label(f"[b]{_('Customer')}[/b]  ({_('Enter attaches, Esc goes back')})")
            yield Static(_("Loading…"), id="customer-summary", markup=False)
            yield DataTable(id="customer-purchases", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#customer-purchases", DataTable)
        longest_day = cell_len(_day(datetime(2000, 12, 28), _SHORT_DAY))  # "2000年12月28日" takes 14 columns
        for label, width in COLUMNS:
            table.add_column(_(label), width=max(width, longest_day) if label == DATE else width)
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
        name = _("{name}   loyalty {code}").format(name=c.name, code=c.loyalty_code) if c.loyalty_code else c.name
        lines = [name, "   ".join(part for part in (c.phone, c.email) if part) or _("no phone or email")]
        default = next((a for a in detail.addresses if a.is_default), None)
        if default is not None:
            if len(detail.addresses) > 1:
                lines.append(_("{address} (+{n} more)").format(address=default.one_line(),
                                                                n=len(detail.addresses) - 1))
            else:
                lines.append(default.one_line())
        if c.notes:
            lines.append(_("Note: {note}").format(note=c.notes.splitlines()[0]))
        last = _day(detail.last_visit.astimezone(zone), "%d %b %Y") if detail.last_visit else _("never")
        visits = ngettext("{n} visit, spent {spent}, last visit {last}", "{n} visits, spent {spent}, last visit {last}",
                          detail.visits).format(n=detail.visits, spent=format_money(detail.spent), last=last)
        if detail.returns:
            visits = _("{visits}, {n} returns").format(visits=visits, n=detail.returns)
        lines.append(visits)
        if detail.orders:
            o = detail.orders[0]
            lines.append(_("{n} order(s); latest {number} {status}").format(n=len(detail.orders), number=o.number,
                                                                             status=o.status))
        self.query_one("#customer-summary", Static).update("\n".join(lines))
        table = self.query_one("#customer-purchases", DataTable)
        table.clear()
        for p in detail.purchases:
            if p.is_return:
                what = _("RETURN of {number}").format(number=p.original)
            else:
                what = f"{format_qty(p.items)}: {p.summary}"
            table.add_row(p.receipt_no, _day(p.time.astimezone(zone), _SHORT_DAY), format_money(p.total), what)

    def action_attach(self) -> None:
        if self.detail is not None:
            self.dismiss(self.detail.customer)

    def action_close(self) -> None:
        self.dismiss(None)
