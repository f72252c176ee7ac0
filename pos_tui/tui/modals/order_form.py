"""Turn the cart into an order: delivery or pickup, where to, how it is paid.

The address is pre-filled from the customer's default address (read in a
worker). Enter moves to the next field and finishes after the last; F10
finishes from anywhere. The form only gathers and checks what was typed;
the checkout takes the money and saves the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.tui.ordered_typing import OrderedTyping
from pos_tui.tui.widgets.typed_input import TypedInput

# The letters typed (D, P, F, L) stay the same in every language; the labels say what they mean.
FIELDS = (("fulfilment", N_("D delivery/P pickup")), ("payment", N_("F full/D deposit/L later")),
          ("deposit", N_("Deposit")), ("recipient", N_("Recipient")), ("phone", N_("Phone")),
          ("address", N_("Address")), ("expected", N_("Expected date")), ("note", N_("Note")))
FULFILMENT = {"D": "delivery", "P": "pickup"}
PAYMENT = {"F": "paid", "D": "deposit", "L": "on_delivery"}


@dataclass(frozen=True)
class OrderRequest:
    customer_id: int | None
    fulfilment: str
    payment: str
    deposit: int | None
    recipient: str
    phone: str
    address: str
    expected: date | None
    note: str


class OrderFormModal(OrderedTyping, ModalScreen[OrderRequest | None]):
    """Returns what the order should be, or None when cancelled."""

    HELP_TITLE = N_("Take an order")
    HOWTO = N_("Turn the cart into an order: D delivery or P pickup; F paid in full,\n"
               "D a deposit (type it below) or L pay later, on delivery. Enter moves on;\n"
               "the address comes from the customer's. {order_form.save} takes the order,\n"
               "{order_form.cancel} goes back to the cart.")

    DEFAULT_CSS = """
    OrderFormModal { align: center middle; }
    #order-form-box { width: 72; height: auto; max-height: 100%; border: $frame-heavy $accent; background: $surface;
                      padding: 0 1; }
    .order-form-row { height: 1; }
    .order-form-row Label { width: 26; }
    #order-form-box Input { height: 1; border: none; width: 1fr; }
    #order-form-message { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="order_form.cancel"),
        Binding("f10", "save", N_("Take order"), id="order_form.save", priority=True),
    ]

    def __init__(self, total: int, customer_id: int | None, customer_name: str) -> None:
        super().__init__()
        self.total, self.customer_id, self.customer_name = total, customer_id, customer_name

    def compose(self) -> ComposeResult:
        who = self.customer_name or _("no customer (a pickup, or give the delivery details)")
        with Vertical(id="order-form-box"):
            yield Label(_("[b]Order of {total}[/b] for {who}").format(total=format_money(self.total), who=who))
            for key, label in FIELDS:
                value = {"fulfilment": "D", "payment": "F"}.get(key, "")
                with Horizontal(classes="order-form-row"):
                    yield Label(_(label))
                    yield TypedInput(value=value, id=f"order-{key}",
                                     placeholder="YYYY-MM-DD" if key == "expected" else "")
            yield Static("", id="order-form-message")
            yield Static(_("Enter: next (done after Note)  F10: take order  Esc: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#order-fulfilment", Input))
        self.replay_early_keys()
        if self.customer_id is not None:
            self._prefill(self.customer_id)

    @work(thread=True, exclusive=True, group="order-form")
    def _prefill(self, customer_id: int) -> None:
        from pos_tui.services.customers import addresses, resolve
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                found = addresses(customer_id)
                customer = resolve(customer_id)
        except PosError as exc:  # gone meanwhile: the fields stay for the cashier to type
            self.app.call_from_thread(self.say, str(exc))
            return
        default = next((a for a in found if a.is_default), found[0] if found else None)
        values = {"recipient": (default.recipient if default else "") or customer.name,
                  "phone": (default.phone if default else "") or customer.phone,
                  "address": ", ".join(p for p in (default.street, " ".join(
                      x for x in (default.city, default.postcode) if x)) if p) if default else ""}
        self.app.call_from_thread(self._fill, values)

    def _fill(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            field = self.query_one(f"#order-{key}", Input)
            if not field.value:
                field.value = value

    def say(self, text: str) -> None:
        widget = self.query_one("#order-form-message", Static)
        widget.update(text)
        widget.set_class(bool(text), "error")

    def field_submitted(self, field: Input) -> None:
        self.next_field_or_save(field)

    def request(self) -> OrderRequest:
        v = {key: self.query_one(f"#order-{key}", Input).value.strip() for key, _ in FIELDS}
        fulfilment = FULFILMENT.get(v["fulfilment"].upper())
        if fulfilment is None:
            raise ValidationError(_("type D for a delivery or P for a pickup"))
        payment = PAYMENT.get(v["payment"].upper())
        if payment is None:
            raise ValidationError(_("type F (paid in full), D (a deposit) or L (pay later, on delivery)"))
        deposit = None
        if payment == "deposit":
            if not v["deposit"]:
                raise ValidationError(_("type the deposit taken now"))
            deposit = parse_money(v["deposit"], what=_("deposit"))
            if not 0 < deposit < self.total:
                raise ValidationError(_("a deposit is more than 0.00 and less than {total}").format(
                    total=format_money(self.total)))
        expected = None
        if v["expected"]:
            try:
                expected = date.fromisoformat(v["expected"])
            except ValueError:
                raise ValidationError(_("expected date {date} must be YYYY-MM-DD").format(
                    date=repr(v["expected"]))) from None
        if fulfilment == "delivery" and not v["address"]:
            raise ValidationError(_("a delivery needs an address (or type P for a pickup)"))
        return OrderRequest(self.customer_id, fulfilment, payment, deposit, v["recipient"], v["phone"],
                            v["address"], expected, v["note"])

    def action_save(self) -> None:
        try:
            self.dismiss(self.request())
        except PosError as exc:
            self.say(str(exc))

    def action_cancel(self) -> None:
        self.dismiss(None)
