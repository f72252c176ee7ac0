"""Categories (two levels) and tags, managed from the Products screen.

Tab switches between the two lists; F3 adds, F4 renames, F5 moves a category
under another (or to the top), F6 deletes. The services check product.edit
and the rules (a category in use is not deleted; a tag is taken off its
products first); their message is shown here. Every write runs in a worker.
"""

from __future__ import annotations

from typing import Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor


class CategoriesTagsModal(ModalScreen[bool]):
    """Returns True when anything was changed (the product list reads again)."""

    HELP_TITLE = N_("Categories and tags")
    HOWTO = N_("The shop's categories (two levels) and tags; Tab switches list.\n"
               "{manage.add} adds, {manage.rename} renames, {manage.move} moves a category under another.\n"
               "{manage.delete} deletes: a category only when no product uses it,\n"
               "a tag after taking it off its products. {manage.close} closes.")

    DEFAULT_CSS = """
    CategoriesTagsModal { align: center middle; }
    CategoriesTagsModal > Vertical { width: 78; height: 22; border: $frame $accent; background: $surface;
                                     padding: 0 1; }
    CategoriesTagsModal Horizontal { height: 1fr; }
    #cat-table { width: 1fr; }
    #tag-table { width: 30; }
    #manage-message { height: auto; max-height: 2; }
    """
    BINDINGS = [
        Binding("f3", "add", N_("Add"), id="manage.add", priority=True),
        Binding("f4", "rename", N_("Rename"), id="manage.rename", priority=True),
        Binding("f5", "move", N_("Move"), id="manage.move", priority=True),
        Binding("f6", "delete", N_("Delete"), id="manage.delete", priority=True),
        Binding("escape", "close", N_("Close"), id="manage.close"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("[b]Categories and tags[/b]  (Tab switches list)"))
            with Horizontal():
                yield DataTable(id="cat-table", cursor_type="row")
                yield DataTable(id="tag-table", cursor_type="row")
            yield Static("", id="manage-message")
            yield Static(_("F3 add, F4 rename, F5 move (categories), F6 delete, Esc closes"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#cat-table", DataTable).add_columns(_("Category"), _("Under"), _("Items"))
        self.query_one("#tag-table", DataTable).add_columns(_("Tag"), _("Items"))
        self.set_focus(self.query_one("#cat-table", DataTable))
        self._read()

    @property
    def on_tags(self) -> bool:
        return self.focused is not None and self.focused.id == "tag-table"

    def highlighted(self) -> str | None:
        table = self.query_one("#tag-table" if self.on_tags else "#cat-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def say(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#manage-message", Static)
        widget.update(text)
        widget.set_class(error, "error")

    # -- reading and writing ----------------------------------------------
    @work(thread=True, exclusive=True, group="manage-read")
    def _read(self) -> None:
        from pos_tui.services.categories import list_categories
        from pos_tui.services.store import thread_session
        from pos_tui.services.tags import list_tags

        try:
            with thread_session():
                categories, tags = list_categories(), list_tags()
        except PosError as exc:
            self.app.call_from_thread(lambda: self.say(str(exc), error=True))
            return
        self.app.call_from_thread(self._show, categories, tags)

    def _show(self, categories: list, tags: list) -> None:
        cats = self.query_one("#cat-table", DataTable)
        cats.clear()
        for c in categories:
            cats.add_row(("  " if c.parent else "") + c.name, c.parent, str(c.products), key=c.name)
        table = self.query_one("#tag-table", DataTable)
        table.clear()
        for t in tags:
            table.add_row(t.name, str(t.products), key=t.name)

    @work(thread=True, group="manage-write")
    def _write(self, call: Callable[[], Any], done: str) -> None:
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                call()
        except PosError as exc:
            self.app.call_from_thread(lambda: self.say(str(exc), error=True))
            return
        self.app.call_from_thread(self._written, done)

    def _written(self, done: str) -> None:
        self.changed = True
        self.say(done)
        self._read()

    def _ask(self, title: str, prompt: str, value: str, then: Callable[[str], None]) -> None:
        from pos_tui.tui.modals.ask import AskModal

        def answered(text: str | None) -> None:
            if text is not None:
                then(text)

        self.app.push_screen(AskModal(title, prompt, value=value), answered)

    # -- keys -------------------------------------------------------------
    def action_add(self) -> None:
        from pos_tui.services import categories, tags

        if self.on_tags:
            self._ask(_("New tag"), _("Tag name:"), "", lambda name: self._write(
                lambda: tags.add_tag(self.actor, name), _("Added tag {name}").format(name=name)))
            return

        def add(text: str) -> None:
            parent, _slash, name = text.rpartition("/")
            self._write(lambda: categories.add_category(self.actor, name.strip(), parent.strip()),
                        _("Added category {name}").format(name=name.strip()))

        self._ask(_("New category"), _("Name, or Parent/Name for a subcategory:"), "", add)

    def action_rename(self) -> None:
        from pos_tui.services import categories, tags

        old = self.highlighted()
        if old is None:
            self.say(_("Nothing highlighted to rename"), error=True)
            return
        if self.on_tags:
            self._ask(_("Rename tag {name}").format(name=old), _("New name:"), old, lambda new: self._write(
                lambda: tags.rename_tag(self.actor, old, new), _("Renamed {old} to {new}").format(old=old, new=new)))
        else:
            self._ask(_("Rename category {name}").format(name=old), _("New name:"), old, lambda new: self._write(
                lambda: categories.rename_category(self.actor, old, new),
                _("Renamed {old} to {new}").format(old=old, new=new)))

    def action_move(self) -> None:
        from pos_tui.services import categories

        name = None if self.on_tags else self.highlighted()
        if name is None:
            self.say(_("Highlight a category to move (tags have no place)"), error=True)
            return

        def move(parent: str) -> None:
            under = None if parent.strip() == "-" else parent.strip()
            self._write(lambda: categories.move_category(self.actor, name, under),
                        _("Moved {name} to the top").format(name=name) if under is None
                        else _("Moved {name} under {parent}").format(name=name, parent=under))

        self._ask(_("Move category {name}").format(name=name), _("Under which category? (- for the top level)"), "",
                  move)

    def action_delete(self) -> None:
        from pos_tui.services import categories, tags
        from pos_tui.tui.modals.choose import ChooseModal

        name = self.highlighted()
        if name is None:
            self.say(_("Nothing highlighted to delete"), error=True)
            return
        kind = "tag" if self.on_tags else "category"

        def chosen(letter: str | None) -> None:
            if letter != "Y":
                return
            if kind == "tag":
                self._write(lambda: tags.delete_tag(self.actor, name), _("Deleted tag {name}").format(name=name))
            else:
                self._write(lambda: categories.delete_category(self.actor, name),
                            _("Deleted category {name}").format(name=name))

        if kind == "tag":
            title, yes = _("Delete tag {name}?"), _("delete it and take it off its products")
        else:
            title, yes = _("Delete category {name}?"), _("delete it (only when unused)")
        self.app.push_screen(ChooseModal(title.format(name=name), {"Y": yes, "N": _("keep it")}), chosen)

    def action_close(self) -> None:
        self.dismiss(self.changed)
