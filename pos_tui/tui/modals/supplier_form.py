"""Add or edit a supplier: name, contact, phone, email, lead time, notes.

Enter moves to the next field and saves after the last; F10 saves from
anywhere. The save runs in a worker; a refusal (a name taken, a lead time
past 365 days) is shown here with the form kept as typed.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

# field key -> its label, translated where shown
FIELDS = (("name", N_("Name")), ("contact", N_("Contact")), ("phone", N_("Phone")), ("email", N_("Email")),
          ("lead_time_days", N_("Lead time (days)")), ("notes", N_("Notes")))


class SupplierFormModal(OrderedTyping, ModalScreen[object | None]):
    """Returns the saved SupplierInfo, or None when cancelled."""

    HELP_TITLE = N_("Supplier")
    HOWTO = N_("A supplier's name, contact, phone, email, lead time (days) and notes.\n"
               "Enter moves on and saves after Notes; {supplier_form.save} saves from any field.\n"
               "A refusal is shown here and keeps what you typed. {supplier_form.cancel} cancels.")

    DEFAULT_CSS = """
    SupplierFormModal { align: center middle; }
    #supplier-box { width: 64; height: auto; max-height: 100%; border: $frame-heavy $accent; background: $surface;
                    padding: 0 1; }
    .supplier-row { height: 1; }
    .supplier-row Label { width: 18; }
    #supplier-box Input { height: 1; border: none; width: 1fr; }
    #supplier-message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="supplier_form.cancel"),
        Binding("f10", "save", N_("Save"), id="supplier_form.save", priority=True),
    ]

    def __init__(self, actor: Actor, supplier=None) -> None:
        super().__init__()
        self.actor, self.supplier = actor, supplier

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        s = self.supplier
        with Vertical(id="supplier-box"):
            title = _("Edit supplier {name}").format(name=s.name) if s else _("Add a supplier")
            yield Label(f"[b]{title}[/b]")
            for key, label in FIELDS:
                value = "" if s is None else str(getattr(s, key))
                if s is None and key == "lead_time_days":
                    value = "7"
                with Horizontal(classes="supplier-row"):
                    yield Label(_(label))
                    yield TypedInput(value=value, id=f"supplier-{key}")
            yield Static("", id="supplier-message")
            yield Static(_("Enter: next (saves after Notes)  F10: save  Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#supplier-name", Input))
        self.replay_early_keys()

    def say(self, text: str) -> None:
        widget = self.query_one("#supplier-message", Static)
        widget.update(text)
        widget.set_class(bool(text), "error")

    def field_submitted(self, field: Input) -> None:
        self.next_field_or_save(field)

    def values(self) -> dict:
        found = {key: self.query_one(f"#supplier-{key}", Input).value for key, _label in FIELDS}
        days = found["lead_time_days"].strip()
        if not days.isdigit():
            raise ValidationError(_("lead time {days!r} must be a whole number of days, 0 to 365").format(days=days))
        found["lead_time_days"] = int(days)
        return found

    def action_save(self) -> None:
        try:
            values = self.values()
        except PosError as exc:
            self.say(str(exc))
            return
        self.say(_("Saving…"))
        self._save(values)

    @work(thread=True, exclusive=True, group="supplier-form")
    def _save(self, values: dict) -> None:
        from pos_tui.services import suppliers
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                if self.supplier is None:
                    saved = suppliers.add_supplier(self.actor, **values)
                else:
                    name = values.pop("name")
                    saved = suppliers.edit_supplier(self.actor, self.supplier.name, new_name=name, **values)
        except PosError as exc:
            self.app.call_from_thread(self.say, str(exc))
            return
        self.app.call_from_thread(self.dismiss, saved)

    def action_cancel(self) -> None:
        self.dismiss(None)
