"""A new customer at the till (F2 in the customer search): name, phone, email, address.

Enter moves to the next field and saves on the last (or F10 anywhere).
Each field is checked as the service will check it, so a mistake puts the
cursor back in that field with the reason; the service then adds the
customer (any logged-in user may) in a thread worker.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

FIELDS = (("name", N_("Name")), ("phone", N_("Phone")), ("email", N_("Email")), ("street", N_("Street")),
          ("city", N_("City")), ("postcode", N_("Postcode")))


class CustomerFormModal(OrderedTyping, ModalScreen[object]):
    """Returns the new CustomerInfo, or None when cancelled."""

    HELP_TITLE = N_("New customer")
    HOWTO = N_("Sign a customer up: name, phone, email, and an address for deliveries.\n"
               "Enter moves to the next field and saves after the last; {customer_form.save} saves.\n"
               "A field that is not right keeps the cursor and says why.\n"
               "{customer_form.cancel} cancels.")

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="customer_form.cancel"),
        Binding("f10", "save", N_("Save"), id="customer_form.save", priority=True),
    ]

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.initial_name = name
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog customer-form"):
            yield Label(f"[b]{_('New customer')}[/b]")
            for key, label in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(_("{field}:").format(field=_(label)), classes="form-label")
                    yield TypedInput(value=self.initial_name if key == "name" else "", id=f"customer-{key}",
                                     compact=True)
            yield Static(_("Enter: next field   F10: save   Esc: cancel"), id="customer-form-message", classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#customer-name", Input))
        self.replay_early_keys()

    def _field(self, key: str) -> Input:
        return self.query_one(f"#customer-{key}", Input)

    def _message(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#customer-form-message", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def field_submitted(self, field: Input) -> None:
        self.next_field_or_save(field)

    def action_save(self) -> None:
        from pos_tui.services.customers import (
            AddressFields, check_address, check_email, check_name, check_phone,
        )

        if self.saving:
            return
        values = {key: self._field(key).value for key, _label in FIELDS}
        address = AddressFields(street=values["street"], city=values["city"], postcode=values["postcode"])
        checks = (("name", check_name), ("phone", check_phone), ("email", check_email),
                  ("street", lambda _street: None if address.is_blank() else check_address(address)))
        for key, check in checks:
            try:
                check(values[key])
            except PosError as exc:
                self.set_focus(self._field(key))
                self._message(str(exc), error=True)
                return
        self.saving = True
        self._message(_("Saving…"))
        self._save(values["name"], values["phone"], values["email"], None if address.is_blank() else address)

    @work(thread=True, exclusive=True, group="customer_form")
    def _save(self, name: str, phone: str, email: str, address) -> None:
        from pos_tui.services.customers import add_customer
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                info = add_customer(self.app.actor, name, phone=phone, email=email, address=address)
        except PosError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, info)

    def _refused(self, message: str) -> None:
        self.saving = False
        self._message(message, error=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
