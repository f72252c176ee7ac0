"""The audit log at the till: newest rows first, filtered, paged back, and the chain checked.

Reads go through services.audit, which checks `audit.view` itself; every read
runs in a thread worker so a large log never stalls the till.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.worker import get_current_worker
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from pos_tui.domain.locale_format import format_date, format_time
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import display_width, truncate
from pos_tui.i18n import N_, _, current_language
from pos_tui.services.audit import AuditEntry, ChainReport
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.key_footer import KeyFooter

PAGE = 50


def _cut(text: str, width: int) -> str:
    """A cell that leaves room for the others at 80 columns (display columns: CJK counts two); Enter shows it all."""
    return text if display_width(text) <= width else truncate(text, width - 1) + "~"


class AuditLogScreen(Screen[None]):
    """Who did what at this shop; Enter on a row shows it in full."""

    HELP_TITLE = N_("Audit log")
    HOWTO = N_("""
        Who did what, newest first. {audit.filter} filters: type an action prefix
        such as drawer. or a user name and Enter. {audit.older} older, {audit.newer} newer,
        {audit.newest} the newest. Enter shows a row in full; {audit.verify} checks the log's chain.
    """)


    DEFAULT_CSS = """
    #audit-filters { height: 3; }
    #audit-action { width: 1fr; }
    #audit-user { width: 26; }
    #audit-table { height: 1fr; }
    #audit-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "filter", N_("Filter"), id="audit.filter"),
        Binding("f5", "newest", N_("Newest"), id="audit.newest"),
        Binding("f6", "newer", N_("Newer"), id="audit.newer"),
        Binding("f7", "older", N_("Older"), id="audit.older"),
        Binding("f9", "verify", N_("Verify chain"), id="audit.verify"),
        Binding("escape", "to_table", N_("Rows"), id="audit.rows", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.zone = ZoneInfo(self.app.settings.get("store.timezone"))
        self.pages: list[int | None] = [None]  # before_id of each page walked back through
        self.entries: dict[int, AuditEntry] = {}
        self.has_older = False
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Static(_("Audit log | {user} ({role}) | times in {zone}").format(
            user=self.actor.username, role=self.actor.role, zone=self.zone.key), id="status-line")
        with Horizontal(id="audit-filters"):
            yield Input(placeholder=_("Action or prefix, e.g. drawer. (Enter)"), id="audit-action")
            yield Input(placeholder=_("User or OS user (Enter)"), id="audit-user")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-notice")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#audit-table", DataTable)
        table.add_columns(_("Time"), _("User"), _("OS user"), _("Action"), _("Target"), _("Details"))
        self.set_focus(table)
        self.load()

    # -- reading ----------------------------------------------------------
    def filters(self) -> tuple[str | None, str | None]:
        """The typed action (always a prefix here: `drawer` finds drawer.open) and user."""
        action = self.query_one("#audit-action", Input).value.strip()
        user = self.query_one("#audit-user", Input).value.strip()
        if action and not action.endswith("*"):
            action += "*"
        return action or None, user or None

    def load(self) -> None:
        """Read the current page (the newest unless paged back) with the current filters."""
        action, user = self.filters()
        self.loading = True
        self.notice(_("Reading the audit log…"))
        self._read(action, user, self.pages[-1])

    @work(thread=True, exclusive=True, group="audit-read")
    def _read(self, action: str | None, user: str | None, before_id: int | None) -> None:
        from pos_tui.services.audit import search
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                rows = search(self.actor, action=action, user=user, limit=PAGE + 1, before_id=before_id)
        except PosError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        if not get_current_worker().is_cancelled:  # a newer read (other filters, page) replaced this one
            self.app.call_from_thread(self._show, rows[:PAGE], len(rows) > PAGE)

    def _failed(self, message: str) -> None:
        self.loading = False
        self.notice(message, error=True)

    def _show(self, rows: list[AuditEntry], has_older: bool) -> None:
        self.loading = False
        self.has_older = has_older
        self.entries = {e.id: e for e in rows}
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        for e in rows:
            details = " ".join(f"{key}={value}" for key, value in e.details.items())
            table.add_row(f"{e.time.astimezone(self.zone):%m-%d %H:%M}", _cut(e.username or "-", 10),
                          _cut(e.os_user, 8), _cut(e.action, 20), _cut(e.target, 12), _cut(details, 40),
                          key=str(e.id))
        if not rows:
            self.notice(_("No audit rows match; change the filters or press F5 for the newest"))
            return
        more = _("F7 older, ") if has_older else _("the oldest rows; ")
        self.notice(_("Page {page}: rows {first} to {last}; {more}Enter shows a row in full").format(
            page=len(self.pages), first=rows[0].id, last=rows[-1].id, more=more))

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#audit-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")

    # -- keys -------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a filter: the newest rows that match, from page one."""
        event.stop()
        self.pages = [None]
        self.load()
        self.set_focus(self.query_one("#audit-table", DataTable))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from pos_tui.tui.modals.audit_entry import AuditEntryModal

        entry = self.entries.get(int(event.row_key.value or 0))
        if entry is not None:
            self.app.push_screen(AuditEntryModal(entry, self.zone))

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#audit-action", Input))

    def action_to_table(self) -> None:
        self.set_focus(self.query_one("#audit-table", DataTable))

    def action_newest(self) -> None:
        self.pages = [None]
        self.load()

    def action_older(self) -> None:
        if self.loading:
            return
        if not self.has_older:
            self.notice(_("No older rows match"), error=True)
            return
        self.pages.append(min(self.entries))
        self.load()

    def action_newer(self) -> None:
        if self.loading:
            return
        if len(self.pages) == 1:
            self.notice(_("These are the newest rows; F5 reads them again"))
            return
        self.pages.pop()
        self.load()

    def action_verify(self) -> None:
        self.notice(_("Checking every row of the audit log…"))
        self._verify()

    @work(thread=True, exclusive=True, group="audit-verify")
    def _verify(self) -> None:
        from pos_tui.services.audit import verify
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                report = verify(self.actor)
        except PosError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._verified, report)

    def _verified(self, report: ChainReport) -> None:
        if report.intact:
            self.notice(_("Chain intact: all {rows} rows check out").format(rows=report.rows))
            return
        when = "?"
        if report.broken_time:
            local = report.broken_time.astimezone(self.zone)
            language = current_language()
            when = f"{format_date(local.date(), language)} {format_time(local, language, seconds=True)}"
        self.notice(_("Chain BROKEN at row {row} ({when}, {action}): {reason}").format(
            row=report.broken_id, when=when, action=report.broken_action, reason=report.reason), error=True)
        self.app.bell()
