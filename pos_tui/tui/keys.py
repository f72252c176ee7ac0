"""The keys of the screen in front, read from its live bindings (remapped keys included).

The footer and the help (F1) both read them here, so neither can go stale
when a binding is added or a shop remaps one with keys.<binding id>; the
descriptions are translated here too, as they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.screen import Screen

from pos_tui.i18n import _


@dataclass(frozen=True)
class Key:
    key: str  # the key as Textual names it ("f10"), for simulate_key
    display: str  # as shown ("f10", "^p")
    description: str  # in the current language (bindings mark theirs with N_())
    enabled: bool = True


def screen_keys(screen: Screen, *, every: bool = False) -> list[Key]:
    """The footer's keys: one per action, in binding order.

    With `every`, also the hidden keys the till defines itself (they carry
    an id, e.g. Up/Down to pick a cart line), but not the editing keys of a
    text field, which every field has.
    """
    app = screen.app
    seen: set[str] = set()
    keys: list[Key] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not (binding.show or (every and binding.id)):
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        keys.append(Key(binding.key, app.get_key_display(binding), _(binding.description), active.enabled))
    if every:
        keys += _shadowed(screen, seen)
    return sorted(keys, key=_order)


def _shadowed(screen: Screen, seen: set[str]) -> list[Key]:
    """The screen's hidden keys that the focused field's own binding of the same key hides from
    active_bindings (Up/Down at the checkout run the screen's after the field passes them on)."""
    app = screen.app
    remapped = app.settings.keymap() if hasattr(app, "settings") else {}
    keys = []
    for klass in type(screen).__mro__:
        for binding in klass.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or binding.show or not binding.id or not binding.description:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            key = remapped.get(binding.id, binding.key).split(",")[0].strip()
            keys.append(Key(key, app.get_key_display(Binding(key, "")), _(binding.description)))
    return keys


def _order(key: Key) -> tuple[int, int]:
    """F1 to F12 in number order first (wherever a binding was declared), then the rest as declared."""
    if key.key[:1] == "f" and key.key[1:].isdigit():
        return (0, int(key.key[1:]))
    return (1, 0)
