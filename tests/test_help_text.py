"""The troubleshooting text F1 shows is the README's, and names only commands `pos` has."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from pos_tui.cli.main import app, load_all
from pos_tui.help_text import commands, headings, paragraphs, troubleshooting

README = Path(__file__).resolve().parents[1] / "README.md"
NEEDED = ("scanner", "drawer", "printer", "permission", "crashed", "Data loss")


def test_the_readme_carries_the_same_troubleshooting_text_as_the_till():
    text, readme = troubleshooting(), README.read_text(encoding="utf-8")
    assert text.strip() in readme, "copy pos_tui/docs/troubleshooting.md into the README unchanged"
    for heading in headings(text):
        assert f"## {heading}" in readme
    for command in commands(text):
        assert command in " ".join(readme.split())


def test_troubleshooting_covers_the_shops_common_problems():
    text = troubleshooting()
    found = headings(text)
    for topic in NEEDED:
        assert any(topic.lower() in heading.lower() for heading in found), topic
    for command in ("pos hardware test scanner", "pos hardware test drawer", "pos db backup", "pos db restore PATH",
                    "pos role grant ROLE PERMISSION", "pos user role NAME ROLE"):
        assert command in commands(text)


def _resolve(words: list[str]):
    """The command `pos WORDS…` runs (a group has `commands`), and the words left for it."""
    command = load_all(typer.main.get_command(app))  # the groups load lazily: all of them, to walk
    while words and words[0] in getattr(command, "commands", {}):
        command, words = command.commands[words[0]], words[1:]
    return command, words


@pytest.mark.parametrize("written", sorted(set(commands(troubleshooting()))))
def test_every_command_named_in_the_troubleshooting_exists_with_its_options(written):
    command, rest = _resolve(written.split()[1:])
    assert not hasattr(command, "commands"), f"`{written}` names no command (stops at a group)"
    options = {opt for param in command.params for opt in param.opts}
    for word in rest:
        if word.startswith("-"):
            assert word in options, f"`{written}`: {command.name} has no option {word}"


def test_wrapped_lines_join_into_one_step_each():
    blocks = paragraphs("### A\n\n1. one\n   more\n2. two\n\nplain\ntext\n")
    assert blocks == [("heading", "A"), ("item", "1. one more"), ("item", "2. two"), ("text", "plain text")]
