"""An Input fed by OrderedTyping: gaining focus never selects its text.

Focus lands a moment after the keys that follow it have been typed in; an
Input that selected all on focus would let the next key replace them (a
PIN of 2222 became 2). Screens select a prefilled value themselves.

Its text's width is not a layout matter either: Textual's Input sets its
scrollable width on every keystroke, and that laid out the whole screen for
each character a scanner sent. The field's own size never depends on it.

Nor is its border a keystroke's business: a change of text, cursor or blink
repaints the one line of text, and a change of style (focus, an error class,
the theme) the whole field with its border. Drawing the border again with
every character was a third of the scan field's share of each frame.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.widgets import Input


class TypedInput(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args, **kwargs) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(*args, **kwargs)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> TypedInput:
        if regions or layout or recompose or not repaint or not self.is_mounted:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return super().refresh(Region(0, 0, self.content_region.width, 1))  # the text's line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        super().refresh()  # a new style: the border too
