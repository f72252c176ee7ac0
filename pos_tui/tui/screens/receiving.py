"""Receiving a delivery at the till: supplier, delivery reference, then scan what came in.

A scan of a known product adds a line of 1 or adds 1 to its line (`6*CODE`
adds 6); F3 changes the highlighted line's quantity and unit cost; F10
receives it all in one transaction (services.stock.receive). Typing is taken
in arrival order (ordered_typing), so a scanner's burst of codes is never
run together or lost, and the product lookups are indexed reads done in
that order, as at checkout; the write runs in a thread worker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError, ValidationError
from pos_tui.hardware.text_width import truncate
from pos_tui.i18n import N_, _, ngettext
from pos_tui.services.context import Actor
from pos_tui.services.stock import ReceiveResult
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput
from pos_tui.tui.widgets.key_footer import KeyFooter

STEPS = ("recv-supplier", "recv-reference", "recv-scan")
COLUMNS = (N_("Barcode"), N_("Name"), N_("Qty"), N_("Unit cost"), N_("Was"))


@dataclass(frozen=True)
class Draft:
    """One line of the delivery being scanned."""

    barcode: str
    name: str
    unit: str
    qty: Decimal
    unit_cost: int | None  # None: keep the product's cost
    cost_now: int


class ReceivingScreen(OrderedTyping, Screen[None]):
    HELP_TITLE = N_("Receiving")
    HOWTO = N_("""
        Type the supplier and the delivery reference, then scan what came in:
        each scan adds one (6*CODE adds six). {receiving.edit} sets the highlighted
        line's quantity and unit cost, {receiving.remove} removes it, {receiving.commit} receives it all
        at once. {receiving.back} goes back without receiving.
    """)

    DEFAULT_CSS = """
    #recv-head { height: 3; }
    #recv-supplier { width: 1fr; }
    #recv-reference { width: 1fr; }
    #recv-lines { height: 1fr; }
    #recv-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f3", "edit_line", N_("Qty/cost"), id="receiving.edit"),
        Binding("f8", "remove_line", N_("Remove"), id="receiving.remove"),
        Binding("f10", "commit", N_("Receive"), id="receiving.commit"),
        Binding("escape", "leave", N_("Back"), id="receiving.back"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.step = 0
        self.supplier = ""
        self.reference = ""
        self.lines: dict[str, Draft] = {}
        self.busy = False
        self.sent: dict[str, Draft] = {}  # the lines a receive in progress was given

    def compose(self) -> ComposeResult:
        yield Static(_("Receive a delivery | {user} ({role})").format(user=self.actor.username, role=self.actor.role),
                     id="status-line")
        with Horizontal(id="recv-head"):
            yield TypedInput(placeholder=_("Supplier (Enter; empty for none)"), id=STEPS[0])
            yield TypedInput(placeholder=_("Delivery note or invoice no."), id=STEPS[1])
        yield DataTable(id="recv-lines", cursor_type="row", zebra_stripes=True)
        yield Static(_("Type the supplier, Enter, then the delivery reference"), id="recv-notice")
        yield TypedInput(placeholder=_("Scan items"), id=STEPS[2])
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#recv-lines", DataTable)
        table.add_columns(*(_(title) for title in COLUMNS))
        self.set_focus(self.typing_target())
        self.replay_early_keys()

    def typing_target(self) -> Input:
        return self.query_one(f"#{STEPS[self.step]}", Input)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#recv-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")
        if error:
            self.app.bell()

    # -- typing ------------------------------------------------------------
    def field_submitted(self, field: Input) -> None:
        from pos_tui.services import stock

        text = field.value.strip()
        if self.step == 0:
            try:
                self.supplier = stock.supplier_name(text)
            except PosError as exc:
                return self.notice(str(exc), error=True)
            field.value = self.supplier
            self.go(1, _("Type the delivery reference (the delivery note or invoice number), Enter"))
        elif self.step == 1:
            try:
                self.reference = stock.check_reference(text)
            except PosError as exc:
                return self.notice(str(exc), error=True)
            self.go(2, _("Scan the items of {reference}; F3 sets qty and cost, F10 receives").format(
                reference=self.reference))
        else:
            field.value = ""
            if text:
                self.scan(text)

    def take_paste(self, text: str) -> bool:
        """A pasted block of codes (some scanners paste): one scan per line, in order."""
        if self.step < 2 or "\n" not in text.strip():
            return False
        for line in text.splitlines():
            if line.strip():
                self.scan(line.strip())
        return True

    def go(self, step: int, hint: str) -> None:
        self.step = step
        self.set_focus(self.typing_target())
        self.notice(hint)

    def scan(self, text: str) -> None:
        """One scanned code: an indexed read, now, in scan order."""
        from pos_tui.domain.scan_input import split_multiplier
        from pos_tui.services.stock import find_product

        try:
            qty, code = split_multiplier(text)
            product = find_product(code)
        except PosError as exc:
            return self.notice(str(exc), error=True)
        qty = qty or Decimal(1)
        line = self.lines.get(product.barcode)
        if line is None:
            line = Draft(product.barcode, product.name, product.unit, qty, None, product.cost)
        else:
            line = replace(line, qty=line.qty + qty)
        self.lines[product.barcode] = line
        self.show(product.barcode)
        self.notice(_("{name}: {qty} | {lines} line(s), {units} units").format(
            name=product.name, qty=format_qty(line.qty), lines=len(self.lines), units=format_qty(self.units())))

    def units(self) -> Decimal:
        return sum((line.qty for line in self.lines.values()), Decimal(0))

    def show(self, highlight: str | None = None) -> None:
        table = self.query_one("#recv-lines", DataTable)
        table.clear()
        for line in self.lines.values():
            cost = format_money(line.unit_cost) if line.unit_cost is not None else "-"
            table.add_row(line.barcode, truncate(line.name, 30), format_qty(line.qty), cost,
                          format_money(line.cost_now), key=line.barcode)
        if highlight is not None and highlight in self.lines:
            table.move_cursor(row=list(self.lines).index(highlight))

    def current_line(self) -> Draft | None:
        table = self.query_one("#recv-lines", DataTable)
        if not self.lines or table.cursor_row < 0:
            return None
        return list(self.lines.values())[min(table.cursor_row, len(self.lines) - 1)]

    # -- keys --------------------------------------------------------------
    def action_edit_line(self) -> None:
        from pos_tui.tui.modals.ask import AskModal

        line = self.current_line()
        if line is None:
            return self.notice(_("Scan an item first"), error=True)

        def got_cost(text: str | None, qty: Decimal) -> None:
            if text is None:
                return
            try:
                cost = None if text.strip() == "-" else parse_money(text, what=_("unit cost"))
            except PosError as exc:
                return self.notice(str(exc), error=True)
            self.lines[line.barcode] = replace(line, qty=qty, unit_cost=cost)
            self.show(line.barcode)
            said = (_("{name}: {qty} at {cost}") if cost is not None else _("{name}: {qty} at the same cost"))
            self.notice(said.format(name=line.name, qty=format_qty(qty),
                                    cost=format_money(cost) if cost is not None else ""))

        def got_qty(text: str | None) -> None:
            if text is None:
                return
            try:
                qty = parse_qty(text, what=_("quantity"))
                if qty <= 0:
                    raise ValidationError(_("the quantity must be more than 0; F8 removes the line"))
            except PosError as exc:
                return self.notice(str(exc), error=True)
            cost = format_money(line.unit_cost if line.unit_cost is not None else line.cost_now)
            self.app.push_screen(AskModal(line.name, _("Unit cost (- keeps the product's cost)"), value=cost),
                                 lambda text: got_cost(text, qty))

        self.app.push_screen(AskModal(line.name, _("Quantity received"), value=format_qty(line.qty)), got_qty)

    def action_remove_line(self) -> None:
        line = self.current_line()
        if line is not None:
            del self.lines[line.barcode]
            self.show()
            self.notice(_("Removed {name}").format(name=line.name))

    def action_commit(self) -> None:
        from pos_tui.services.stock import ReceiveLine

        if self.busy:
            return
        if self.step < 2:
            return self.notice(_("Type the supplier and the delivery reference first"), error=True)
        if not self.lines:
            return self.notice(_("Scan the delivered items first"), error=True)
        self.busy = True
        self.notice(_("Receiving {n} line(s)…").format(n=len(self.lines)))
        self.sent = dict(self.lines)  # what scans go on adding meanwhile stays for the next F10
        lines = [ReceiveLine(d.barcode, d.qty, d.unit_cost) for d in self.lines.values()]
        self._commit(lines, self.supplier, self.reference)

    @work(thread=True, exclusive=True, group="receive")
    def _commit(self, lines, supplier: str, reference: str) -> None:
        from pos_tui.services.stock import receive
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                result = receive(self.actor, lines, supplier=supplier, reference=reference)
        except PosError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._received, result)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notice(_("{message}; nothing was received").format(message=message), error=True)

    def _received(self, result: ReceiveResult) -> None:
        self.busy = False
        for barcode, sent in self.sent.items():
            now = self.lines.get(barcode)
            if now is not None and now.qty > sent.qty:  # scanned again while it was received
                self.lines[barcode] = replace(now, qty=now.qty - sent.qty)
            else:
                self.lines.pop(barcode, None)
        self.show()
        said = _("Received {lines} line(s), {units} units as {reference}.").format(
            lines=len(result.lines), units=format_qty(result.units), reference=result.reference)
        if self.lines:  # scanned while the delivery was being received: kept, for the same delivery
            return self.notice(" ".join((said, ngettext(
                "{n} line scanned meanwhile is still here; F10 receives it too",
                "{n} lines scanned meanwhile are still here; F10 receives them too", len(self.lines)).format(
                    n=len(self.lines)))))
        for field in STEPS[:2]:
            self.query_one(f"#{field}", Input).value = ""
        self.supplier = self.reference = ""
        self.go(0, " ".join((said, _("Next delivery: supplier, Enter"))))

    def action_leave(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        if not self.lines:
            self.dismiss()
            return

        def answered(letter: str | None) -> None:
            if letter == "Y":
                self.dismiss()

        self.app.push_screen(ChooseModal(_("Leave without receiving {n} line(s)?").format(n=len(self.lines)), {
            "Y": _("leave; nothing is received"), "N": _("stay and finish the delivery")}), answered)
