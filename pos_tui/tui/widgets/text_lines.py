"""Plain text of a fixed size, drawn line by line: a change repaints only the lines that changed.

A Static re-renders all of itself on every update, and a style class toggled
on it re-applies the stylesheet. After each scan the checkout's totals (a
whole column) and its notice were redrawn that way, a large share of the
scan's frame. Here each line has a kind ("" plain, "strong", "error") drawn
from a component class, and its strip is kept until its text, kind or width
changes. The text is never read as markup, so a product named "Tea [green]"
shows as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

Line = tuple[str, str]  # (text, kind)


class TextLines(Widget):
    """Lines of text; its size comes from CSS, never from the text, so a change needs no layout."""

    COMPONENT_CLASSES = {"text-lines--strong", "text-lines--error"}

    DEFAULT_CSS = """
    TextLines {
        height: auto;
        & > .text-lines--strong { text-style: bold; }
        & > .text-lines--error { color: $error; text-style: bold; }
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Line] = [(line, "") for line in text.split("\n")] if text else []
        self._drawn: dict[int, tuple[tuple[Line, int], Strip]] = {}

    @property
    def text(self) -> str:
        return "\n".join(line for line, _kind in self._lines)

    def set_lines(self, lines: Sequence[Line]) -> None:
        """Show `lines`; only those that differ from what is shown are drawn again."""
        old, self._lines = self._lines, list(lines)
        width = self.size.width
        for y in range(max(len(old), len(self._lines))):
            if y >= len(old) or y >= len(self._lines) or old[y] != self._lines[y]:
                self.refresh(Region(0, y, width, 1))

    def render(self) -> Text:
        """The whole text (what a reader of the widget, or an auto size, wants)."""
        return Text(self.text)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001 (Textual's signature)
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        line = self._lines[y] if y < len(self._lines) else ("", "")
        key = (line, width)
        drawn = self._drawn.get(y)
        if drawn is not None and drawn[0] == key:
            return drawn[1]
        text, kind = line
        style = self.rich_style
        if kind:
            style += self.get_component_rich_style(f"text-lines--{kind}")
        if cell_len(text) > width:  # cut, and seen to be cut (a Chinese character counts as two cells)
            text = set_cell_size(text, max(width - 1, 0)) + "…"
        strip = Strip([Segment(set_cell_size(text, width), style)], width)
        self._drawn[y] = (key, strip)
        return strip

    def notify_style_update(self) -> None:
        """A theme or CSS change: every line is drawn again in the new colours."""
        super().notify_style_update()
        self._drawn.clear()
        self.refresh()


class Notice(TextLines):
    """The one-line message under the cart; an error shows in the error colour."""

    error = False

    def show(self, text: str, *, error: bool = False) -> None:
        self.error = error
        self.set_lines([(" ".join(text.splitlines()), "error" if error else "")])
