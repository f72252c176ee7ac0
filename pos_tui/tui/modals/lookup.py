"""Type to look something up (products, customers); Enter picks the highlighted row.

The query runs in a thread worker on every change; a result that arrives
after newer typing is dropped.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from pos_tui.i18n import N_, _
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

Row = TypeVar("Row")


class LookupModal(OrderedTyping, ModalScreen[Any], Generic[Row]):
    """Subclasses set TITLE_TEXT, COLUMNS (label, width) and LIMIT, and define find() and cells().

    The texts are marked with N_() and translated here, when the box is drawn.
    """

    HELP_TITLE = N_("Find")
    HOWTO = N_("Type to search: the list follows what you type.\n"
               "Up/Down picks a row, Enter takes it; {lookup.cancel} closes.")

    TITLE_TEXT = N_("Find")
    HINT = N_("Enter picks, Esc closes")
    PLACEHOLDER = N_("Search")
    COLUMNS: tuple[tuple[str, int], ...] = ()
    LIMIT = 50
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="lookup.cancel"),
        Binding("up", "move(-1)", N_("Up"), id="lookup.up", show=False),
        Binding("down", "move(1)", N_("Down"), id="lookup.down", show=False),
    ]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.initial = text
        self.rows: list[Row] = []

    def find(self, text: str) -> list[Row]:
        raise NotImplementedError

    def cells(self, row: Row) -> tuple[Any, ...]:
        raise NotImplementedError

    def picked(self, row: Row) -> Any:
        return row

    def compose(self) -> ComposeResult:
        with Vertical(classes="lookup-box"):
            yield Label(f"[b]{_(self.TITLE_TEXT)}[/b]  ({_(self.HINT)})")
            yield TypedInput(value=self.initial, placeholder=_(self.PLACEHOLDER), id="lookup")
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            yield Static("", id="lookup-message")

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        for label, width in self.COLUMNS:
            table.add_column(_(label), width=width)
        self.set_focus(self.query_one("#lookup", Input))
        self.replay_early_keys()
        self._search(self.initial)

    @on(Input.Changed, "#lookup")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="lookup")
    def _search(self, text: str) -> None:
        from pos_tui.services.store import thread_session

        with thread_session():
            found = self.find(text) if text.strip() else []
        self.app.call_from_thread(self._show, text, found)

    def _show(self, text: str, found: list[Row]) -> None:
        if text != self.query_one("#lookup", Input).value:
            return  # a newer search is on its way
        table = self.query_one("#results", DataTable)
        table.clear()
        self.rows = found
        for row in found:
            table.add_row(*self.cells(row))
        if not text.strip():
            message = _("Type to search")
        elif len(found) >= self.LIMIT:
            message = _("{n} found; the first {limit} are shown, type more to narrow").format(
                n=len(found), limit=self.LIMIT)
        else:
            message = _("{n} found").format(n=len(found))
        self.query_one("#lookup-message", Static).update(message)

    def highlighted(self) -> Row | None:
        """The row under the cursor, if any."""
        if not self.rows:
            return None
        index = self.query_one("#results", DataTable).cursor_row
        return self.rows[max(0, min(index, len(self.rows) - 1))]

    def action_move(self, step: int) -> None:
        table = self.query_one("#results", DataTable)
        table.action_cursor_up() if step < 0 else table.action_cursor_down()

    def field_submitted(self, field: Input) -> None:
        if self.rows:
            index = self.query_one("#results", DataTable).cursor_row
            self.dismiss(self.picked(self.rows[max(0, min(index, len(self.rows) - 1))]))

    def action_cancel(self) -> None:
        self.dismiss(None)
