"""Count cash row by row: pieces of each note and coin (or one amount), the running total, a final confirm.

Used for the opening float, the blind count at a close and the card
terminal's batch totals. It never knows what the drawer should hold, so a
blind count cannot show it. Enter takes a row and moves down (a blank row is
0, or "not typed" for optional rows); Up/Down pick a row; after the last row
(or F10) the total is shown once more and Enter confirms.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.cash_count import whole_count
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

PIECES, MONEY = "pieces", "money"


@dataclass(frozen=True)
class CountRow:
    """One line of the form: `weight` x pieces (a denomination), or an amount of money (weight 1)."""

    key: object
    label: str
    kind: str = PIECES
    weight: int = 1
    optional: bool = False  # blank means "not typed" (None), not 0


def denomination_rows(denominations: tuple[int, ...]) -> list[CountRow]:
    return [CountRow(d, format_money(d), PIECES, d) for d in denominations]


class CountFormModal(OrderedTyping, ModalScreen[dict[object, int | None] | None]):
    """Returns {row key: pieces or amount (None: left blank on an optional row)}, or None when cancelled."""

    HELP_TITLE = N_("Cash count")
    HOWTO = N_("""
        Count the cash: type how many of each note and coin (or the amount),
        Enter moves down a row, Up goes back; a blank row counts 0.
        After the last row (or {count.done}) the total shows once more: Enter confirms.
        At a shift close the count is blind: the till does not show what it expects.
    """)

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="count.cancel"),
        Binding("f10", "done", N_("Done"), id="count.done", priority=True),
        Binding("up", "move(-1)", N_("Up"), id="count.up", show=False),
        Binding("down", "move(1)", N_("Down"), id="count.down", show=False),
    ]

    def __init__(self, title: str, rows: list[CountRow], *, confirm: str, show_total: bool = True,
                 values: dict[object, int | None] | None = None) -> None:
        super().__init__()
        self.title_text, self.rows, self.confirm, self.show_total = title, rows, confirm, show_total
        self.values: dict[object, int | None] = {row.key: None for row in rows}
        self.values.update(values or {})
        self.confirming = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="count-box"):
            yield Label(f"[b]{self.title_text}[/b]", id="count-title")
            yield DataTable(id="count-rows", cursor_type="row", show_cursor=True)
            yield Label("", id="count-prompt")
            yield TypedInput(id="count-field")
            yield Static("", id="count-total")
            yield Static(_("Enter: next row   Up/Down: pick a row   F10: done   Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#count-rows", DataTable)
        table.can_focus = False
        for label, width in (("", 12), (_("Count") if self.rows[0].kind == PIECES else _("Amount"), 10),
                             (_("Value"), 12)):
            table.add_column(label, width=width)
        self._show(0)
        self.set_focus(self.query_one("#count-field", Input))
        self.replay_early_keys()

    @property
    def total(self) -> int:
        return sum(row.weight * (self.values[row.key] or 0) for row in self.rows)

    def _cell(self, row: CountRow) -> tuple[str, str]:
        value = self.values[row.key]
        if value is None:
            return "", ""
        shown = str(value) if row.kind == PIECES else format_money(value)
        return shown, format_money(row.weight * value)

    def _show(self, index: int) -> None:
        table = self.query_one("#count-rows", DataTable)
        table.clear()
        for row in self.rows:
            shown, worth = self._cell(row)
            table.add_row(row.label, Text(shown, justify="right"), Text(worth, justify="right"))
        table.move_cursor(row=index, animate=False)
        row = self.rows[index]
        what = _("How many {label}?").format(label=row.label) if row.kind == PIECES else f"{row.label}:"
        self.query_one("#count-prompt", Label).update(what + (_(" (blank: not typed)") if row.optional else ""))
        field = self.query_one("#count-field", Input)
        value = self.values[row.key]
        field.value = "" if value is None else (str(value) if row.kind == PIECES else format_money(value))
        field.select_all()
        self._total(_("Total {amount}").format(amount=format_money(self.total)) if self.show_total else "")

    def _total(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#count-total", Static)
        widget.update(text)
        widget.set_class(error, "error")

    @property
    def index(self) -> int:
        return self.query_one("#count-rows", DataTable).cursor_row

    def typing_target(self) -> Input | None:
        return None if self.confirming else super().typing_target()

    def key_without_field(self, event: events.Key) -> bool:
        """While confirming: Enter confirms, Backspace goes back to the last row."""
        if self.confirming and event.key == "enter":
            self.dismiss(dict(self.values))
            return True
        if self.confirming and event.key == "backspace":
            self.action_move(0)
            return True
        return self.confirming  # nothing typed lands while the total is asked about

    def _take(self, field: Input) -> bool:
        row = self.rows[self.index]
        text = field.value.strip()
        try:
            if not text:
                value = None if row.optional else 0
            elif row.kind == PIECES:
                value = whole_count(text, _("the count of {label}").format(label=row.label))
            else:
                value = parse_money(text, what=row.label)
                if value < 0:
                    raise ValidationError(_("{label} must be 0.00 or more").format(label=row.label))
        except ValidationError as exc:
            self._total(str(exc), error=True)
            field.select_all()
            return False
        self.values[row.key] = value
        return True

    def field_submitted(self, field: Input) -> None:
        if not self._take(field):
            return
        if self.index + 1 < len(self.rows):
            self._show(self.index + 1)
        else:
            self._show(self.index)
            self._ask_confirm()

    def _ask_confirm(self) -> None:
        self.confirming = True
        self.query_one("#count-field", Input).disabled = True
        total = _("Total {amount}. ").format(amount=format_money(self.total)) if self.show_total else ""
        self._total(_("{total}{confirm}: Enter. Backspace: correct. Esc: cancel").format(total=total,
                                                                                          confirm=self.confirm))

    def action_done(self) -> None:
        """F10: take the row being typed and go to the confirm step."""
        if self.confirming:
            return
        if self._take(self.query_one("#count-field", Input)):
            self._show(self.index)
            self._ask_confirm()

    def action_move(self, step: int) -> None:
        if self.confirming:
            self.confirming = False
            field = self.query_one("#count-field", Input)
            field.disabled = False
            self.set_focus(field)
        elif step and not self._take(self.query_one("#count-field", Input)):
            return
        self._show(max(0, min(len(self.rows) - 1, self.index + step)))

    def action_cancel(self) -> None:
        self.dismiss(None)
