"""Which products the Products screen lists: category, tag, low stock, archived; F10 applies, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label, Select, Static

from pos_tui.i18n import N_, _
from pos_tui.services.product_browse import Filters

ARCHIVED_CHOICES = ((N_("Active products"), "active"), (N_("Archived only"), "archived"),
                    (N_("Active and archived"), "all"))


class ProductFiltersModal(ModalScreen[Filters | None]):
    """Returns the new Filters (the search text kept), or None when cancelled."""

    HELP_TITLE = N_("Show products")
    HOWTO = N_("Which products the list shows: a category, a tag, active or archived,\n"
               "low stock only. Tab moves, Space or Enter picks.\n"
               "{filters.apply} applies; {filters.cancel} keeps the list as it was.")

    DEFAULT_CSS = """
    ProductFiltersModal { align: center middle; }
    ProductFiltersModal > Vertical { width: 60; height: auto; border: $frame $accent; padding: 0 1;
                                     background: $surface; }
    ProductFiltersModal Select { width: 100%; }
    """
    BINDINGS = [
        Binding("f10", "apply", N_("Apply"), id="filters.apply", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="filters.cancel"),
    ]

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        from pos_tui.services.product_browse import choices

        categories, tags = choices()  # two small tables, read once
        f = self.filters
        with Vertical():
            yield Label(f"[b]{_('Show products')}[/b]")
            yield Select([(_("All categories"), "")] + [(name, name) for name in categories],
                         allow_blank=False, value=f.category if f.category in categories else "", id="filter-category")
            yield Select([(_("Any tag"), "")] + [(name, name) for name in tags],
                         allow_blank=False, value=f.tag if f.tag in tags else "", id="filter-tag")
            yield Select([(_(label), value) for label, value in ARCHIVED_CHOICES], allow_blank=False,
                         value=f.archived, id="filter-archived")
            yield Checkbox(_("Low stock only (at or below the reorder level)"), f.low_stock, id="filter-low")
            yield Static(_("Tab moves, Space/Enter picks; F10 applies, Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#filter-category", Select))

    def action_apply(self) -> None:
        self.dismiss(Filters(
            text=self.filters.text,
            category=str(self.query_one("#filter-category", Select).value),
            tag=str(self.query_one("#filter-tag", Select).value),
            low_stock=self.query_one("#filter-low", Checkbox).value,
            archived=str(self.query_one("#filter-archived", Select).value),
        ))

    def action_cancel(self) -> None:
        self.dismiss(None)
