"""The terminal the till draws on: the Linux text console gets ASCII and 16 colours.

The Linux console (TERM=linux) has 16 colours and a font that lacks most
box-drawing and block glyphs, so there the till uses ASCII borders, a theme
of ANSI colour names, and a last filter that turns any glyph a Textual widget
still draws (a tall input border, a scroll bar's eighths) into ASCII.
"""

from __future__ import annotations

import os

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter
from textual.theme import Theme

CONSOLE_THEME = Theme(
    name="pos-console",
    ansi=True,  # the colours go out as the console's own 16, not RGB guesses
    dark=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border-blurred": "ansi_white",
        "border": "ansi_bright_cyan",
        "footer-background": "ansi_blue",
        "footer-foreground": "ansi_bright_white",
        "footer-key-foreground": "ansi_bright_yellow",
        "footer-description-foreground": "ansi_bright_white",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-selection-background": "ansi_blue",
        "screen-selection-background": "ansi_blue",
    },
)

# Border types by role in till.tcss: `border: $frame $accent;`, `border-left: $rule $accent;`.
FANCY_FRAMES = {"frame": "round", "frame-heavy": "thick", "rule": "solid", "field": "tall"}
ASCII_FRAMES = {"frame": "ascii", "frame-heavy": "ascii", "rule": "ascii", "field": "ascii"}

# Every glyph the console font may lack, as the ASCII that draws the same shape.
_BOXES = {
    **{chr(c): "-" for c in range(0x2500, 0x2580)},  # box drawing: lines first...
    **{ch: "|" for ch in "│┃║╎╏┆┇┊┋╵╷╹╻╽╿"},
    **{ch: "+" for ch in "┌┐└┘├┤┬┴┼╭╮╯╰┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫"},
    **{ch: "|" for ch in "▌▍▎▏▐▕▊▋▉"},  # left/right part blocks: the sides of tall borders
    **{ch: "-" for ch in "▔▀"},
    **{ch: "_" for ch in "▁▂▃▄"},
    **{ch: "#" for ch in "▅▆▇█▓▒░■"},
    **{ch: " " for ch in "▖▗▘▙▚▛▜▝▞▟"},
}
ASCII_TABLE = str.maketrans(_BOXES)


def is_linux_console(term: str | None = None) -> bool:
    """The Linux text console draws only ASCII reliably, in 16 colours."""
    return (os.environ.get("TERM", "") if term is None else term) == "linux"


def frame_variables(term: str | None = None) -> dict[str, str]:
    """The CSS variables for border types: ASCII on the Linux console."""
    return dict(ASCII_FRAMES if is_linux_console(term) else FANCY_FRAMES)


def to_ascii(text: str) -> str:
    return text.translate(ASCII_TABLE)


class AsciiGlyphs(LineFilter):
    """The last word on the Linux console: no box or block glyph reaches the screen."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text.translate(ASCII_TABLE), style, control) if not control else Segment(text, style, control)
                for text, style, control in segments]
