"""A stocktake at the till: choose the scope, scan and count, see the variances, apply them.

Counts are written as they are scanned, so leaving the screen (or the till
closing) loses nothing: the open stocktake is resumed next time. A scan adds
one (`12*CODE` adds twelve, as a counter tallies a shelf); F3 sets the
highlighted product's count outright (a recount). F10 applies after a
confirmation; products of the section nobody counted are left alone unless
the supervisor chooses to zero them.
"""

from __future__ import annotations

import threading
from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import truncate
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.services.stocktake import ApplyResult, CountInfo, StocktakeInfo, Variances
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput
from pos_tui.tui.widgets.key_footer import KeyFooter


COLUMNS = (N_("Barcode"), N_("Name"), N_("On hand"), N_("Counted"), N_("Variance"))


def _signed(qty: Decimal) -> str:
    return ("+" if qty > 0 else "") + format_qty(qty)


class StocktakeScreen(OrderedTyping, Screen[None]):
    HELP_TITLE = N_("Stocktake")
    HOWTO = N_("""
        Each scan counts one (12*CODE counts twelve); {stocktake.set} sets the highlighted
        product's count outright. Counts are saved as you go, so leaving loses
        nothing. {stocktake.refresh} shows the variances, {stocktake.apply} applies them as stock moves
        (asking whether to zero what was not counted), {stocktake.cancel} cancels the count.
    """)

    DEFAULT_CSS = """
    #st-table { height: 1fr; }
    #st-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f3", "set_count", N_("Recount"), id="stocktake.set"),
        Binding("f5", "refresh", N_("Variances"), id="stocktake.refresh"),
        Binding("f8", "cancel_take", N_("Cancel"), id="stocktake.cancel"),
        Binding("f10", "apply", N_("Apply"), id="stocktake.apply"),
        Binding("escape", "leave", N_("Back"), id="stocktake.back"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.take: StocktakeInfo | None = None
        self.rows: dict[str, list[str]] = {}  # barcode -> shown cells, in the order first counted
        self.uncounted = 0
        self.busy = False
        self.count_turn = threading.Condition()  # counts are written one at a time, in the order scanned
        self.counts_asked = self.counts_written = 0
        self.pending = 0  # counts scanned but not yet written: apply waits for them
        self.counts_shown = 0  # counts drawn as they landed: a refresh read before one of them is read again

    def compose(self) -> ComposeResult:
        yield Static(_("Stocktake"), id="status-line")
        yield DataTable(id="st-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("Looking for an open stocktake…"), id="st-notice")
        yield TypedInput(placeholder=_("Scan to count (12*CODE counts 12)"), id="st-scan")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#st-table", DataTable).add_columns(*(_(title) for title in COLUMNS))
        self.set_focus(self.query_one("#st-scan", Input))
        self._load()
        self.replay_early_keys()

    def typing_target(self) -> Input:
        return self.query_one("#st-scan", Input)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#st-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")
        if error:
            self.app.bell()

    def failed(self, message: str) -> None:
        self.busy = False
        self.notice(message, error=True)

    # -- opening or resuming ---------------------------------------------------
    @work(thread=True, exclusive=True, group="stocktake-read")
    def _load(self) -> None:
        from pos_tui.services import stocktake
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                take = stocktake.current()
                found = stocktake.variances(take.id) if take else None
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, found)

    def _loaded(self, found: Variances | None) -> None:
        if found is not None:
            self._show(found, resumed=True)
            return
        from pos_tui.tui.modals.choose import ChooseModal

        def chosen(letter: str | None) -> None:
            if letter == "W":
                self._open("")
            elif letter == "S":
                self.ask_section()
            else:
                self.dismiss()

        self.app.push_screen(ChooseModal(_("Count what?"), {"W": _("the whole shop"),
                                                             "S": _("one section (a category)")}), chosen)

    def ask_section(self) -> None:
        from pos_tui.tui.modals.ask import AskModal

        def named(name: str | None) -> None:
            if name is None:
                self.dismiss()
            else:
                self._open(name)

        self.app.push_screen(AskModal(_("Count a section"), _("Category name (its sub-categories are counted too)")),
                             named)

    @work(thread=True, exclusive=True, group="stocktake-read")
    def _open(self, scope: str) -> None:
        from pos_tui.services import stocktake
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                take = stocktake.open_stocktake(self.actor, scope)
                found = stocktake.variances(take.id)
        except PosError as exc:
            self.app.call_from_thread(self._open_failed, str(exc))
            return
        self.app.call_from_thread(self._show, found)

    def _open_failed(self, message: str) -> None:
        self.failed(message)
        self.call_after_refresh(self._loaded, None)  # ask again: another scope, or Esc to leave

    def _show(self, found: Variances, *, resumed: bool = False) -> None:
        self.take = found.stocktake
        self.uncounted = found.uncounted_total
        self.rows = {line.barcode: [line.barcode, truncate(line.name, 30), format_qty(line.on_hand),
                                    format_qty(line.counted), _signed(line.variance)] for line in found.lines}
        self._redraw()
        self.query_one("#status-line", Static).update(_("Stocktake {name} | {scope} | {user} ({role})").format(
            name=self.take.name, scope=self.take.scope_label, user=self.actor.username, role=self.actor.role))
        said = (_("Resumed {name}: {counted} counted, {uncounted} not counted yet, variance {value} at cost. "
                  "Scan to count") if resumed else
                _("Opened {name}: {counted} counted, {uncounted} not counted yet, variance {value} at cost. "
                  "Scan to count"))
        self.notice(said.format(name=self.take.name, counted=len(found.lines), uncounted=found.uncounted_total,
                                value=format_money(found.value)))

    def _redraw(self, highlight: str | None = None) -> None:
        table = self.query_one("#st-table", DataTable)
        table.clear()
        for barcode, cells in self.rows.items():
            table.add_row(*cells, key=barcode)
        if highlight in self.rows:
            table.move_cursor(row=list(self.rows).index(highlight))

    # -- counting ----------------------------------------------------------------
    def field_submitted(self, field: Input) -> None:
        from pos_tui.domain.scan_input import split_multiplier

        text = field.value.strip()
        field.value = ""
        if not text:
            return
        if self.take is None:
            return self.notice(_("Choose what to count first"), error=True)
        try:
            qty, code = split_multiplier(text)
        except PosError as exc:
            return self.notice(str(exc), error=True)
        self._ask_count(self.take.id, code, qty or Decimal(1), "add")

    def take_paste(self, text: str) -> bool:
        """A pasted block of codes: one count per line, in order."""
        if "\n" not in text.strip():
            return False
        field = self.typing_target()
        for line in text.splitlines():
            field.value = line
            self.field_submitted(field)
        return True

    def _ask_count(self, take_id: int, code: str, qty: Decimal, mode: str) -> None:
        self.pending += 1
        self._count(self.counts_asked, take_id, code, qty, mode)
        self.counts_asked += 1

    @work(thread=True, group="stocktake-count")
    def _count(self, turn: int, take_id: int, code: str, qty: Decimal, mode: str) -> None:
        """Each scan's worker waits for its turn, so counts are written, and their totals shown, in the
        order scanned: the line last shown is the code last scanned (a "set" then an "add" keep their order).
        Threads may start in any order; without turns a burst's last line could be an earlier code."""
        from pos_tui.services.stocktake import record_count
        from pos_tui.services.store import thread_session

        with self.count_turn:
            self.count_turn.wait_for(lambda: self.counts_written >= turn, timeout=60)
        try:
            try:
                with thread_session():
                    counted = record_count(self.actor, take_id, code, qty, mode=mode)
            except PosError as exc:
                self.app.call_from_thread(self._count_failed, f"{code}: {exc}")
            else:
                self.app.call_from_thread(self._counted, counted)  # shown before the next turn writes
        finally:
            with self.count_turn:
                self.counts_written += 1
                self.count_turn.notify_all()

    def _count_failed(self, message: str) -> None:
        self.pending -= 1
        self.notice(message, error=True)

    def _counted(self, counted: CountInfo) -> None:
        self.pending -= 1
        self.counts_shown += 1
        self.rows.pop(counted.barcode, None)  # the latest counted goes to the bottom, under the cursor
        self.rows[counted.barcode] = [counted.barcode, truncate(counted.name, 30), format_qty(counted.on_hand),
                                      format_qty(counted.counted), _signed(counted.counted - counted.on_hand)]
        self._redraw(counted.barcode)
        self.notice(_("{name}: counted {counted}, on hand {on_hand}").format(
            name=counted.name, counted=format_qty(counted.counted), on_hand=format_qty(counted.on_hand)))

    def action_set_count(self) -> None:
        from pos_tui.tui.modals.ask import AskModal

        table = self.query_one("#st-table", DataTable)
        if self.take is None or not self.rows:
            return self.notice(_("Scan a product first; F3 then sets its count"), error=True)
        barcode = list(self.rows)[min(max(table.cursor_row, 0), len(self.rows) - 1)]
        cells = self.rows[barcode]
        take_id = self.take.id

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                qty = parse_qty(text, what=_("count"))
            except PosError as exc:
                return self.notice(str(exc), error=True)
            self._ask_count(take_id, barcode, qty, "set")

        self.app.push_screen(AskModal(cells[1], _("How many are there in all?"), value=cells[3]), answered)

    def action_refresh(self) -> None:
        if self.take is not None:
            self._reload(self.take.id, self.counts_shown)

    @work(thread=True, exclusive=True, group="stocktake-read")
    def _reload(self, take_id: int, seen: int) -> None:
        from pos_tui.services import stocktake
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                found = stocktake.variances(take_id)
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._reloaded, found, seen)

    def _reloaded(self, found: Variances, seen: int) -> None:
        if seen != self.counts_shown:  # a count landed on screen after this read: its line would drop out
            self._reload(found.stocktake.id, self.counts_shown)
            return
        self._show(found, resumed=True)

    # -- applying and cancelling ---------------------------------------------------
    def action_apply(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        if self.take is None or self.busy:
            return
        if self.pending:
            return self.notice(_("Still writing {n} count(s); press F10 again in a moment").format(n=self.pending),
                               error=True)
        changed = sum(1 for cells in self.rows.values() if cells[4] != "0")
        choices = {"Y": _("apply {changed} variance(s); leave the {uncounted} not counted as they are").format(
            changed=changed, uncounted=self.uncounted)}
        if self.uncounted:
            choices["Z"] = _("apply, and set the {uncounted} not counted to 0").format(uncounted=self.uncounted)
        choices["N"] = _("not yet: keep counting")
        take_id = self.take.id

        def answered(letter: str | None) -> None:
            if letter in ("Y", "Z"):
                self.busy = True
                self.notice(_("Applying ST-{id}…").format(id=take_id))
                self._apply(take_id, letter == "Z")

        self.app.push_screen(ChooseModal(_("Apply ST-{id}?").format(id=take_id), choices), answered)

    @work(thread=True, exclusive=True, group="stocktake-write")
    def _apply(self, take_id: int, zero_uncounted: bool) -> None:
        from pos_tui.services.stocktake import apply
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                result = apply(self.actor, take_id, zero_uncounted=zero_uncounted)
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._applied, result)

    def _applied(self, result: ApplyResult) -> None:
        self.busy = False
        self.take = None
        zeroed = _(", {n} set to 0").format(n=result.zeroed) if result.zeroed else ""
        self.notice(_("Applied {name}: {moves} stock move(s){zeroed}, {value} at cost. Esc goes back").format(
            name=result.stocktake.name, moves=result.moves, zeroed=zeroed, value=format_money(result.value)))

    def action_cancel_take(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        if self.take is None or self.busy:
            return
        take_id = self.take.id

        def answered(letter: str | None) -> None:
            if letter == "Y":
                self._cancel(take_id)

        self.app.push_screen(ChooseModal(_("Cancel ST-{id}?").format(id=take_id), {
            "Y": _("cancel it; stock stays as it is"), "N": _("keep it")}), answered)

    @work(thread=True, exclusive=True, group="stocktake-write")
    def _cancel(self, take_id: int) -> None:
        from pos_tui.services.stocktake import cancel
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                info = cancel(self.actor, take_id)
        except PosError as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._cancelled, info)

    def _cancelled(self, info: StocktakeInfo) -> None:
        self.take = None
        self.notice(_("Cancelled {name}; stock is unchanged. Esc goes back").format(name=info.name))

    def action_leave(self) -> None:
        """Counts are in the database: leaving keeps an open stocktake for later."""
        self.dismiss()
