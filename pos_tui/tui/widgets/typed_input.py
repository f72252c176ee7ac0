"""An Input fed by OrderedTyping: gaining focus never selects its text.

Focus lands a moment after the keys that follow it have been typed in; an
Input that selected all on focus would let the next key replace them (a
PIN of 2222 became 2). Screens select a prefilled value themselves.

Its text's width is not a layout matter either: Textual's Input sets its
scrollable width on every keystroke, and that laid out the whole screen for
each character a scanner sent. The field's own size never depends on it.

A field nobody listens to can keep quiet: the checkout's scan field posts no
Input.Changed, which bubbled up through every container twice per scan.

Nor is its border a keystroke's business: a change of text, cursor or blink
repaints the one line of text, and a change of style (focus, an error class,
the theme) the whole field with its border. Drawing the border again with
every character was a third of the scan field's share of each frame.
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input


class TypedInput(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    announce_changes = True  # (a class default: Input posts messages while it is being made)

    def __init__(self, *args, announce_changes: bool = True, **kwargs) -> None:
        kwargs["select_on_focus"] = False
        super().__init__(*args, **kwargs)
        self.announce_changes = announce_changes

    def post_message(self, message: Message) -> bool:
        if not self.announce_changes and isinstance(message, Input.Changed):
            return True
        return super().post_message(message)

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> TypedInput:
        if regions or layout or recompose or not repaint or not self.is_mounted:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return super().refresh(Region(0, 0, self.content_region.width, 1))  # the text's line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._empty_line = None
        super().refresh()  # a new style: the border too

    _empty_line: tuple[tuple, Strip] | None = None

    def render_line(self, y: int) -> Strip:
        """An empty field (the scan field after every scan) draws its placeholder once per look."""
        if y != 0 or self.value:
            return super().render_line(y)
        key = (self.placeholder, self.has_focus, self._cursor_visible, self.scrollable_content_region.width)
        if self._empty_line is None or self._empty_line[0] != key:
            self._empty_line = (key, super().render_line(y))
        return self._empty_line[1]
