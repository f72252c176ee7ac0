"""The troubleshooting text: one Markdown file shipped in the package, shown by F1 and in the README.

It lives in pos_tui/docs/troubleshooting.md so the till reads it where it is
installed (importlib.resources) and a test holds the README to the same text.
"""

from __future__ import annotations

import re
from importlib.resources import files

_COMMAND = re.compile(r"`(pos [^`]+)`")
_HEADING = re.compile(r"^#{2,3} (.+)$", re.M)
_ITEM = re.compile(r"^\d+\. ")


def troubleshooting() -> str:
    """The Markdown text, starting at its "## Troubleshooting" heading."""
    return files("pos_tui").joinpath("docs", "troubleshooting.md").read_text(encoding="utf-8")


def headings(markdown: str) -> list[str]:
    return _HEADING.findall(markdown)


def commands(markdown: str) -> list[str]:
    """Every `pos ...` command the text names, as written (a line break inside is one space)."""
    return [" ".join(found.split()) for found in _COMMAND.findall(markdown)]


def paragraphs(markdown: str) -> list[tuple[str, str]]:
    """(kind, text) per block: "title" (##), "heading" (###), "item" (a numbered step) or "text".

    Wrapped source lines are joined, so the screen wraps them at its own width.
    """
    blocks: list[tuple[str, str]] = []
    joinable = False
    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            joinable = False
            continue
        if raw.startswith("## ") or raw.startswith("### "):
            blocks.append(("title" if raw.startswith("## ") else "heading", line.lstrip("#").strip()))
            joinable = False
        elif _ITEM.match(line):
            blocks.append(("item", line))
            joinable = True
        elif joinable:
            kind, text = blocks[-1]
            blocks[-1] = (kind, f"{text} {line}")
        else:
            blocks.append(("text", line))
            joinable = True
    return blocks


def code_runs(text: str) -> list[tuple[str, bool]]:
    """The text's runs as (text, is_code): `...` spans are code, backticks dropped."""
    return [(part, index % 2 == 1) for index, part in enumerate(text.split("`")) if part]
