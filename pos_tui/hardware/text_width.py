"""Text measured in terminal/printer columns, not characters.

A thermal printer (and a terminal) gives CJK and other East Asian wide or
fullwidth characters two columns and combining marks none, so `len()` would
push a Chinese product name's price off the paper. Everything here counts
columns with `unicodedata.east_asian_width`: 'W' and 'F' are two, combining
marks zero, the rest one.
"""

from __future__ import annotations

import unicodedata

_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me"})


def char_width(char: str) -> int:
    """Columns one character takes: 0 for combining marks, 2 for wide/fullwidth, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes on the paper."""
    return sum(char_width(char) for char in text)


def truncate(text: str, width: int) -> str:
    """The longest head of `text` within `width` columns; a wide character is never split.

    Combining marks that follow the last kept character stay with it; those of a
    dropped character go with it.
    """
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return text[:index]
    return text


def pad_right(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` columns (unchanged if already wider, like str.ljust)."""
    return text + " " * max(0, width - display_width(text))


def pad_left(text: str, width: int) -> str:
    """Spaces then `text`, right-aligned in `width` columns (unchanged if already wider)."""
    return " " * max(0, width - display_width(text)) + text


def center(text: str, width: int) -> str:
    """`text` centred in `width` columns, the odd space on the right; no trailing padding."""
    return " " * (max(0, width - display_width(text)) // 2) + text


def fit(text: str, width: int, *, align: str = "left") -> str:
    """`text` in exactly `width` columns: cut to fit, then padded; a wide character that would
    straddle the edge is dropped and its column padded, so table columns line up under CJK."""
    if align not in ("left", "right"):
        raise ValueError(f"align must be left or right, not {align!r}")
    head = truncate(text, max(0, width))
    return pad_right(head, width) if align == "left" else pad_left(head, width)


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap `text` into lines of at most `width` columns.

    Breaks at whitespace; a word wider than a line (or a run of CJK with no
    spaces) is broken between characters, never inside a wide one. A
    character wider than the whole line (a wide one when width is 1) becomes
    "?" so the result still fits. Blank text gives no lines.
    """
    if width < 1:
        raise ValueError(f"cannot wrap text into {width} columns")
    lines: list[str] = []
    current, used = "", 0
    for word in text.split():
        size = display_width(word)
        if current and used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        if current:
            lines.append(current)
        while size > width:
            head = truncate(word, width)
            if not head:  # the first character alone is wider than the line
                head, word = "?", word[1:]
            else:
                word = word[len(head):]
            lines.append(head)
            size = display_width(word)
        current, used = word, size
    if current:
        lines.append(current)
    return lines
