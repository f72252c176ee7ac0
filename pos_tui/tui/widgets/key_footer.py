"""The footer of every till screen: all its keys, on a second line when 80 columns are too few.

Textual's Footer keeps to one line and cuts off what does not fit, so at
80x24 the checkout lost F9 to Ctrl+Q. This one packs whole "key description"
items into as many lines as the width needs; a click on an item presses its key.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer

from pos_tui.tui.keys import Key, screen_keys

GAP = 1  # a space between two items: the reversed key marks where each starts


def pack(items: list[tuple[str, int]], width: int) -> list[list[int]]:
    """Item indexes per line: whole items, in order, each line at most `width` cells."""
    lines: list[list[int]] = [[]]
    used = 0
    for index, (_, cells) in enumerate(items):
        need = cells if not lines[-1] else used + GAP + cells
        if lines[-1] and need > width:
            lines.append([])
            need = cells
        lines[-1].append(index)
        used = need
    return [line for line in lines if line]


class KeyLines(Widget):
    """The packed keys; as tall as the width needs."""

    DEFAULT_CSS = """
    KeyLines { width: 1fr; height: auto; }
    """

    def __init__(self, keys: list[Key]) -> None:
        super().__init__()
        self.keys = keys

    def _items(self) -> list[tuple[Content, int]]:
        items = []
        for key in self.keys:
            style = "b reverse" if key.enabled else "dim reverse"
            content = Content.assemble((key.display, style), " ", (key.description, "" if key.enabled else "dim"))
            items.append((content, content.cell_length))
        return items

    def _lines(self, width: int) -> list[Content]:
        items = self._items()
        gap = Content(" " * GAP)
        return [gap.join(items[i][0] for i in line) for line in pack(items, max(width, 1))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._lines(width)))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or self.size.width))

    def on_click(self, event: events.Click) -> None:
        """A click on an item presses its key, as Textual's footer does."""
        width = self.content_region.width or self.size.width
        items = self._items()
        lines = pack(items, max(width, 1))
        row, column = event.y, event.x - self.styles.padding.left
        if not 0 <= row < len(lines):
            return
        x = 0
        for index in lines[row]:
            if x <= column < x + items[index][1]:
                if self.keys[index].enabled:
                    self.app.simulate_key(self.keys[index].key)
                return
            x += items[index][1] + GAP


class KeyFooter(Footer):
    """Drop-in for Footer (same signals and recompose), wrapping instead of cutting off."""

    DEFAULT_CSS = """
    KeyFooter { layout: vertical; height: auto; max-height: 4; }
    """

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        yield KeyLines(screen_keys(self.screen))
