"""Find the messages in the source and add the new ones to each catalogue (a developer tool).

    python -m pos_tui.i18n_extract          # list messages a catalogue lacks, exit 1 if any
    python -m pos_tui.i18n_extract --update # append them with an empty msgstr, for a translator

Messages are the literal arguments of `_()`, `N_()`, `gettext()` and
`ngettext()` (singular and plural), found with `ast`, so nothing is imported
or run; under pos_tui/cli also the docstrings of command functions (click
shows them as help; pos_tui/cli/help_i18n.py translates them), cleaned as
click cleans them so the msgid is the text at run time. Appending keeps the file as people wrote it; an entry with an empty
msgstr falls back to English until someone translates it, and the catalogue
test (tests/test_i18n_catalogue.py) fails until then.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from pos_tui.i18n import LANGUAGES, SOURCE_LANGUAGE, parse_po, po_path

PACKAGE = Path(__file__).resolve().parent
CALLS = {"_": 1, "N_": 1, "gettext": 1, "ngettext": 2}
# Files with none of these cannot call gettext: skip parsing them (the package has hundreds of modules).
_MAY_CALL = re.compile(r"(?<![\w])(?:N_|_|gettext|ngettext)\(|\.(?:n?gettext)\b")


def called_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def extract(source: str, where: str, docstrings: bool = False) -> tuple[dict[str, str | None], list[str]]:
    """Message id -> its plural (or None) in `source`, and calls given a built string instead of a literal.

    With `docstrings`, the docstrings of command functions count as messages too.
    """
    found: dict[str, str | None] = {}
    bad: list[str] = []
    tree = ast.parse(source)
    if docstrings:
        for doc in command_docstrings(tree):
            found.setdefault(doc, None)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        count = CALLS.get(called_name(node))
        if count is None or len(node.args) < count:
            continue
        args = node.args[:count]
        if all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args):
            found.setdefault(args[0].value, args[1].value if count == 2 else None)  # type: ignore[attr-defined]
            continue
        for arg in args:  # a name or attribute holds an N_() marked constant; anything else is a bug
            if not isinstance(arg, (ast.Constant, ast.Name, ast.Attribute)) or (
                    isinstance(arg, ast.Constant) and not isinstance(arg.value, str)):
                bad.append(f"{where}:{node.lineno}: {ast.unparse(arg)[:60]}")
    return found, bad


def _is_command_call(node: ast.expr) -> bool:
    """`app.command(...)` or `app.callback(...)`: what registers a function as a click command."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("command",
                                                                                                    "callback")


def command_docstrings(tree: ast.AST) -> list[str]:
    """Docstrings of functions decorated with `.command(`/`.callback(` or registered as `app.command("x")(fn)`.

    Cleaned with inspect.cleandoc (ast.get_docstring's `clean`), as Typer does before click shows them.
    """
    registered = {
        node.args[0].id for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_command_call(node.func) and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
    }
    docs = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (
                node.name in registered or any(_is_command_call(d) for d in node.decorator_list)):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                docs.append(doc)
    return docs


def source_messages(root: Path | None = None) -> tuple[dict[str, str | None], list[str]]:
    """Every message under `root` (the package), and every call that passes a built string."""
    root = root or PACKAGE
    messages: dict[str, str | None] = {}
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        in_cli = path.relative_to(root).parts[0] == "cli"
        commands = in_cli and (".command(" in text or ".callback(" in text)
        if not _MAY_CALL.search(text) and not commands:
            continue
        found, wrong = extract(text, str(path.relative_to(root)), docstrings=in_cli)
        for msgid, plural in found.items():
            messages.setdefault(msgid, plural)
        bad += wrong
    return messages, bad


def quote(text: str) -> str:
    """A .po string literal; a message with new lines is split after each, as msgmerge writes it."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    parts = escaped.split("\n")
    if len(parts) == 1:
        return f'"{parts[0]}"'
    pieces = [part + "\\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{piece}"' for piece in pieces)


def missing(language: str, messages: dict[str, str | None]) -> list[str]:
    """The messages `language`'s catalogue has no entry for (translated or not), in source order."""
    have = {entry.msgid for entry in parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))}
    return [msgid for msgid in messages if msgid not in have]


def append_entries(language: str, messages: dict[str, str | None], msgids: list[str]) -> None:
    path = po_path(language)
    blocks = []
    for msgid in msgids:
        plural = messages[msgid]
        if plural is None:
            blocks.append(f"msgid {quote(msgid)}\nmsgstr \"\"\n")
        else:
            blocks.append(f"msgid {quote(msgid)}\nmsgid_plural {quote(plural)}\nmsgstr[0] \"\"\n")
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(blocks)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    messages, bad = source_messages()
    for line in bad:
        print(f"error: {line}: translate a literal, then .format() it", file=sys.stderr)
    status = 1 if bad else 0
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        lacking = missing(language, messages)
        if lacking and "--update" in argv:
            append_entries(language, messages, lacking)
            print(f"{po_path(language)}: added {len(lacking)} message(s) to translate")
        elif lacking:
            status = 1
            print(f"{po_path(language)}: lacks {len(lacking)} message(s): run with --update")
            for msgid in lacking:
                print(f"  {msgid!r}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
