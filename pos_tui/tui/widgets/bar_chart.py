"""Charts drawn with characters: vertical bars (by day, by hour) and horizontal shares.

Block characters (eighths of a cell) on a terminal that has them; plain ASCII
on the Linux console (TERM=linux), whose font lacks most of them. The drawing
is plain functions of the values so it can be tested without a screen.
"""

from __future__ import annotations

import math
from typing import Sequence

from rich.cells import cell_len, set_cell_size
from textual.widgets import Static

from pos_tui.i18n import _
from pos_tui.tui.console import is_linux_console

EIGHTHS = " ▁▂▃▄▅▆▇█"
ASCII_BAR = "#"
SHARE_FULL, SHARE_PART = "█", "▌"
ASCII_TREND = "_.-=^"


def half_up(x: float) -> int:
    """Rounded half up (round() rounds halves to even: 0.5 would draw nothing)."""
    return math.floor(x + 0.5)


def fit(values: Sequence[int], width: int) -> list[int]:
    """At most `width` values: neighbours summed in equal runs (a year's days become weeks or so)."""
    if width < 1 or len(values) <= width:
        return list(values)
    run = math.ceil(len(values) / width)
    return [sum(values[i:i + run]) for i in range(0, len(values), run)]


def bar_rows(values: Sequence[int], height: int, *, ascii_only: bool = False, column: int = 1) -> list[str]:
    """Rows, top first, of `column` cells per value scaled to the largest; negatives draw as nothing."""
    top = max([v for v in values if v > 0], default=0)
    steps = 1 if ascii_only else 8
    levels = [half_up(max(v, 0) * height * steps / top) if top else 0 for v in values]
    rows = []
    for line in range(height - 1, -1, -1):
        cells = []
        for level in levels:
            part = min(max(level - line * steps, 0), steps)
            cells.append(((ASCII_BAR if part else " ") if ascii_only else EIGHTHS[part]) * column)
        rows.append("".join(cells))
    return rows


def share_lines(shares: Sequence[tuple[str, int]], width: int, *, ascii_only: bool = False,
                label_width: int = 16) -> list[str]:
    """One line per share: its label, a bar of its part of the whole and the percent (one decimal)."""
    whole = sum(v for _, v in shares if v > 0)
    bar_width = max(width - label_width - 8, 1)
    lines = []
    for label, value in shares:
        part = max(value, 0) / whole if whole else 0.0
        halves = half_up(part * bar_width * 2)
        if ascii_only:
            bar = "#" * (halves // 2) + ("+" if halves % 2 else "")
        else:
            bar = SHARE_FULL * (halves // 2) + (SHARE_PART if halves % 2 else "")
        name = label if cell_len(label) <= label_width else set_cell_size(label, label_width - 1) + "~"
        lines.append(f"{set_cell_size(name, label_width)} {bar:<{bar_width}} {part * 100:5.1f}%")
    return lines


def trend_line(values: Sequence[int], width: int, *, levels: str = ASCII_TREND) -> str:
    """A one-line trend in ASCII (the sparkline's fallback): each value's level among `levels`."""
    values = fit(list(values), width)
    low, high = min(values, default=0), max(values, default=0)
    top = len(levels) - 1
    return "".join(levels[half_up((v - low) * top / (high - low)) if high > low else 0] for v in values)


class BarChart(Static):
    """Vertical bars with a caption line under them: the first and last labels and the peak."""

    DEFAULT_CSS = "BarChart { height: auto; }"

    def __init__(self, *, height: int = 5, ascii_only: bool | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.bar_height = height
        self.ascii_only = is_linux_console() if ascii_only is None else ascii_only

    def plot(self, points: Sequence[tuple[str, int]], caption: str, width: int) -> None:
        """Draw `points` (label, value) into `width` columns; `caption` names the unit."""
        values = fit([v for _, v in points], width)
        column = max(1, min(3, width // max(len(values), 1)))  # a month's days two cells wide, hours three
        rows = bar_rows(values, self.bar_height, ascii_only=self.ascii_only, column=column)
        first, last = (points[0][0], points[-1][0]) if points else ("", "")
        foot = f"{first} .. {last}  {caption}"
        self.update("\n".join(rows + [foot if cell_len(foot) <= width else set_cell_size(foot, width)]))

    def plot_shares(self, shares: Sequence[tuple[str, int]], width: int, lines: int) -> None:
        """The biggest shares as horizontal bars; the rest summed into "others"."""
        ordered = sorted(shares, key=lambda kv: -kv[1])
        if len(ordered) > lines:
            ordered = ordered[: lines - 1] + [(_("others"), sum(v for _, v in ordered[lines - 1:]))]
        self.update("\n".join(share_lines(ordered, width, ascii_only=self.ascii_only)) or _("(no sales)"))
