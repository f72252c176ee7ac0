"""An Input fed by OrderedTyping: gaining focus never selects its text.

Focus lands a moment after the keys that follow it have been typed in; an
Input that selected all on focus would let the next key replace them (a
PIN of 2222 became 2). Screens select a prefilled value themselves.
"""

from __future__ import annotations

from textual.widgets import Input


class TypedInput(Input):
    def __init__(self, *args, **kwargs) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(*args, **kwargs)
