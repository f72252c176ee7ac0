"""An Input fed by OrderedTyping: gaining focus never selects its text.

Focus lands a moment after the keys that follow it have been typed in; an
Input that selected all on focus would let the next key replace them (a
PIN of 2222 became 2). Screens select a prefilled value themselves.

Its text's width is not a layout matter either: Textual's Input sets its
scrollable width on every keystroke, and that laid out the whole screen for
each character a scanner sent. The field's own size never depends on it.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TypedInput(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(*args, **kwargs)
