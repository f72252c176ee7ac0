"""Add or edit one product: typed fields checked as you type; F10 saves, Esc cancels.

The cheap checks (check digit, money, quantities, an empty name) run on every
change and mark the field; the save itself runs services.products in a
worker, which checks everything again (unique barcode, known category and
supplier, a product changed since the form opened) and whose message is
shown without closing the form, so nothing typed is lost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from pos_tui.domain.barcodes import gtin_problem
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.quantity import format_qty, parse_qty
from pos_tui.errors import PosError, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services.catalog import ProductInfo
from pos_tui.services.context import Actor
from pos_tui.tui.ordered_typing import OrderedTyping

UNITS = ((N_("each (by the piece)"), "each"), (N_("kg (weighed)"), "kg"))


def _barcode(text: str) -> str:
    problem = gtin_problem(text.strip())
    if problem:
        raise ValidationError(_("barcode {problem}").format(problem=problem))
    return text.strip()


def _name(text: str) -> str:
    if not text.strip():
        raise ValidationError(_("the name is empty; type a name"))
    return " ".join(text.split())


def _money(what: str) -> Callable[[str], int]:
    """`what` is N_() marked: it names the field in a message, in the language of the moment."""
    return lambda text: parse_money(text or "0", what=_(what))


def _qty(what: str) -> Callable[[str], Decimal]:
    return lambda text: parse_qty(text or "0", what=_(what))


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.replace(";", ",").split(",") if t.strip())


# field id -> (label, parse): every text field of the form; labels are translated where shown
FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "barcode": (N_("Barcode"), _barcode),
    "name": (N_("Name"), _name),
    "price": (N_("Price"), _money(N_("price"))),
    "cost": (N_("Cost"), _money(N_("cost"))),
    "tags": (N_("Tags (a, b)"), _tags),
    "reorder_level": (N_("Reorder level"), _qty(N_("reorder level"))),
    "supplier": (N_("Supplier"), str.strip),
    "stock": (N_("Opening stock"), _qty(N_("opening stock"))),
}


class ProductFormModal(OrderedTyping, ModalScreen[ProductInfo | None]):
    """Returns the product as saved, or None when cancelled.

    Typing goes to the field the keys were meant for, in order (OrderedTyping):
    a name, Tab and a price typed in one burst land in two fields, though
    Textual moves the focus only after the burst.
    """

    HELP_TITLE = N_("Product")
    HOWTO = N_("Type each field; Tab or Enter moves to the next. A field in red is not\n"
               "right: the line below says why. {product_form.save} saves; a refusal keeps what\n"
               "you typed. {product_form.cancel} cancels. A product's stock changes by stock moves.")

    submit_keys = ("enter", "tab")

    DEFAULT_CSS = """
    ProductFormModal { align: center middle; }
    ProductFormModal > Vertical { width: 64; height: auto; max-height: 100%; border: $frame $accent;
                                  background: $surface; padding: 0 1; }
    ProductFormModal Grid { grid-size: 2; grid-columns: 15 1fr; grid-rows: 1; height: auto; }
    ProductFormModal Input.-bad { color: $error; }
    #form-message { height: auto; max-height: 2; }
    """
    BINDINGS = [
        Binding("f10", "save", N_("Save"), id="product_form.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="product_form.cancel"),
    ]

    def __init__(self, actor: Actor, product: ProductInfo | None = None, *, barcode: str = "") -> None:
        super().__init__()
        self.actor = actor
        self.product = product
        self.barcode = barcode
        self.saving = False
        self.current: Input | Select | None = None  # where typing goes now, ahead of the focus
        self.moved_to: list[object] = []  # focus changes asked for and not yet arrived

    def _value(self, key: str) -> str:
        p = self.product
        if p is None:
            return {"barcode": self.barcode}.get(key, "")
        return {
            "barcode": p.barcode, "name": p.name, "price": format_money(p.price), "cost": format_money(p.cost),
            "tags": ", ".join(p.tags), "reorder_level": format_qty(p.reorder_level),
            "supplier": getattr(p, "supplier", ""), "stock": format_qty(p.stock),
        }[key]

    def compose(self) -> ComposeResult:
        from pos_tui.services.product_browse import choices

        categories, _tags = choices()  # a small table, read once
        p = self.product
        # a product's own class stays on offer, so opening and saving it never changes its tax
        tax_classes = sorted(set(self.app.settings.tax_rates()) | ({p.tax_class} if p is not None else set()))
        title = _("Edit {name}").format(name=p.name) if p is not None else _("Add a product")
        with Vertical():
            yield Label(f"[b]{title}[/b]")
            with Grid():
                for key in ("barcode", "name", "price", "cost"):
                    yield from self._row(key)
                yield Label(_("Tax class"))
                yield Select([(t, t) for t in tax_classes], allow_blank=False, compact=True, id="field-tax_class",
                             value=p.tax_class if p is not None
                             else ("standard" if "standard" in tax_classes else tax_classes[0]))
                yield Label(_("Unit"))
                yield Select([(_(label), unit) for label, unit in UNITS], allow_blank=False, compact=True,
                             id="field-unit", value=p.unit if p is not None else "each")
                yield Label(_("Category"))
                categories = categories + ([p.category] if p is not None and p.category not in categories + [""] else [])
                yield Select([(_("(none)"), "")] + [(c, c) for c in categories], allow_blank=False, compact=True,
                             id="field-category", value=p.category if p is not None else "")
                for key in ("tags", "reorder_level", "supplier"):
                    yield from self._row(key)
                if p is None:
                    yield from self._row("stock")
                else:
                    yield Label(_("Stock"))
                    yield Label(_("{qty} (stock moves change it, not this form)").format(qty=format_qty(p.stock)))
            yield Static("", id="form-message")
            yield Static(_("Tab/Enter next field; F10 saves, Esc cancels"), classes="hint")

    def _row(self, key: str) -> ComposeResult:
        label = FIELDS[key][0]
        yield Label(_(label))
        yield Input(self._value(key), compact=True, id=f"field-{key}", select_on_focus=False)

    def on_mount(self) -> None:
        first = "name" if self.product is None and self.barcode else "barcode"
        self.go_to(self.query_one(f"#field-{first}", Input))
        if self.barcode:
            self._check(self.query_one("#field-barcode", Input))
        self.replay_early_keys()

    # -- moving between fields ----------------------------------------------
    def typing_target(self) -> Input | None:
        return self.current if isinstance(self.current, Input) else None

    def go_to(self, widget: Input | Select) -> None:
        self.current = widget
        self.moved_to.append(widget)
        self.set_focus(widget)

    def field_submitted(self, field: Input) -> None:
        """Enter or Tab: the next field, at once for the keys that follow."""
        order = [w for w in self.query("Input, Select") if isinstance(w, (Input, Select))]
        self.go_to(order[(order.index(field) + 1) % len(order)])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A focus this form asked for arrives late; any other (a click, Shift+Tab) moves the typing."""
        if event.widget in self.moved_to:
            self.moved_to.remove(event.widget)
        elif isinstance(event.widget, (Input, Select)):
            self.moved_to.clear()
            self.current = event.widget

    # -- checking -----------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.input)

    def _check(self, field: Input) -> str | None:
        """The field's problem (shown, and the field marked), or None."""
        key = (field.id or "").removeprefix("field-")
        if key not in FIELDS:
            return None
        try:
            FIELDS[key][1](field.value)
        except ValidationError as exc:
            field.add_class("-bad")
            self.say(str(exc), error=True)
            return str(exc)
        field.remove_class("-bad")
        if self.query_one("#form-message", Static).has_class("error"):
            self.say("")
        return None

    def say(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#form-message", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def values(self) -> dict[str, Any]:
        """Every field parsed; the first problem raises ValidationError (and focuses its field)."""
        out: dict[str, Any] = {}
        for field in self.query(Input):
            key = (field.id or "").removeprefix("field-")
            if key not in FIELDS:
                continue
            try:
                out[key] = FIELDS[key][1](field.value)
            except ValidationError:
                self.go_to(field)
                raise
        for key in ("tax_class", "unit", "category"):
            out[key] = str(self.query_one(f"#field-{key}", Select).value)
        return out

    # -- saving -------------------------------------------------------------
    def action_save(self) -> None:
        if self.saving:
            return
        try:
            values = self.values()
        except ValidationError as exc:
            self.say(str(exc), error=True)
            return
        if self.product is not None:
            values = self.changes(values)
            if not values:
                self.say(_("Nothing changed; Esc closes the form"))
                return
        self.saving = True
        self.say(_("Saving…"))
        self._save(values)

    def changes(self, values: dict[str, Any]) -> dict[str, Any]:
        """Only what differs from the product as loaded: an untouched field is never checked or written."""
        p = self.product
        assert p is not None
        loaded = {"barcode": p.barcode, "name": p.name, "price": p.price, "cost": p.cost, "tags": tuple(p.tags),
                  "reorder_level": p.reorder_level, "supplier": getattr(p, "supplier", ""),
                  "tax_class": p.tax_class, "unit": p.unit, "category": p.category}
        return {key: value for key, value in values.items() if key in loaded and value != loaded[key]}

    @work(thread=True, exclusive=True, group="product-form")
    def _save(self, values: dict[str, Any]) -> None:
        from pos_tui.services import products
        from pos_tui.services.store import thread_session

        tax_classes = set(self.app.settings.tax_rates())
        try:
            with thread_session():
                if self.product is None:
                    saved = products.add_product(self.actor, tax_classes=tax_classes, **values)
                else:
                    saved = products.edit_product(self.actor, self.product.barcode, tax_classes=tax_classes,
                                                  expected_updated_at=getattr(self.product, "updated_at", None),
                                                  **values)
        except PosError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, saved)

    def _refused(self, message: str) -> None:
        self.saving = False
        self.current: Input | Select | None = None  # where typing goes now, ahead of the focus
        self.moved_to: list[object] = []  # focus changes asked for and not yet arrived
        self.say(message, error=True)
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)
