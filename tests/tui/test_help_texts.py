"""F1 speaks the till's language on every screen and dialog: each names itself and says how it is used, translated.

A class without its own HELP_TITLE and HOWTO would show its class name and its developer docstring in English
(or, in Chinese, only its keys), so every Screen in pos_tui.tui must carry both, and the catalogue must translate
them with the same {binding.id} placeholders, each naming a key the screen or the app declares.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

import pos_tui.tui
from pos_tui.i18n import _, parse_po, po_path, set_language
from pos_tui.tui.modals.help import TILL, howto, screen_title

_PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_.]+)\}")


def _till_screens() -> list[type[Screen]]:
    """Every Screen (ModalScreen included) a module of pos_tui.tui defines."""
    for module in pkgutil.walk_packages(pos_tui.tui.__path__, "pos_tui.tui."):
        importlib.import_module(module.name)
    found, todo = set(), [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("pos_tui.tui."):
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _binding_ids(*classes: type) -> set[str]:
    return {b.id for cls in classes for klass in cls.__mro__ for b in vars(klass).get("BINDINGS", [])
            if isinstance(b, Binding) and b.id}


SCREENS = _till_screens()


def test_the_walk_finds_the_tills_screens_and_dialogs():
    names = {cls.__name__ for cls in SCREENS}
    assert {"CheckoutScreen", "PaymentModal", "AdjustModal", "LookupModal", "ProductSearchModal",
            "HelpModal"} <= names
    assert "CartEdits" not in names  # a mixin, not a screen


@pytest.mark.parametrize("cls", SCREENS, ids=lambda cls: cls.__name__)
def test_every_screen_has_its_own_help_title_and_how_to_translated(cls):
    from pos_tui.tui.app import PosApp

    title, how = vars(cls).get("HELP_TITLE", ""), vars(cls).get("HOWTO", "")
    assert title and how, f"{cls.__name__} needs its own HELP_TITLE and HOWTO (else F1 shows a docstring)"
    catalogue = {entry.msgid: entry.msgstr for entry in parse_po(po_path("zh_CN").read_text(encoding="utf-8"))}
    for msgid in (title, how):
        assert msgid in catalogue and all(catalogue[msgid]), f"{cls.__name__}: not translated: {msgid!r}"
        assert sorted(_PLACEHOLDER.findall(catalogue[msgid][0])) == sorted(_PLACEHOLDER.findall(msgid))
    keys = _binding_ids(cls, PosApp)
    unknown = set(_PLACEHOLDER.findall(how)) - keys
    assert not unknown, f"{cls.__name__}: HOWTO names keys it does not have: {sorted(unknown)}"


class _Undocumented(Screen):
    """Developer notes: why this screen is built the way it is."""


async def test_a_screen_without_a_how_to_shows_its_docstring_in_english_only():
    app = App()
    async with app.run_test():
        screen = _Undocumented()
        await app.push_screen(screen)
        assert howto(screen) == "Developer notes: why this screen is built the way it is."
        assert screen_title(screen) == "Undocumented"
        set_language("zh_CN")
        assert howto(screen) == ""  # only its keys, no developer English
        assert screen_title(screen) == _(TILL) == "收银机"
