"""The catalogues keep up with the code: every message translated, placeholders intact, no English left behind.

Messages are found with `ast` (pos_tui/i18n_extract.py, which also appends
new ones to the catalogues: `python -m pos_tui.i18n_extract --update`). The check that
no user-facing English bypasses gettext covers only the modules listed in
CONVERTED; a module joins the list when its strings have been wrapped, until
the list is every module with text a person reads.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import pos_tui
from pos_tui.i18n import LANGUAGES, SOURCE_LANGUAGE, parse_po, po_path
from pos_tui.i18n_extract import CALLS, extract, source_messages
from pos_tui.i18n_extract import called_name as _called_name

PACKAGE = Path(pos_tui.__file__).resolve().parent
_CALLS = CALLS
# Modules (or functions) whose user-facing text all goes through gettext, and the English literals in each that a
# person may read but that are deliberately not translated (units, samples, defaults a shop renames).
# One table per area, so work on different areas merges cleanly; CONVERTED is their union.
_RECEIPTS: dict[str, set[str]] = {
    "hardware/receipt.py": {
        " kg x ",  # the unit of a weighed line, as Chinese receipts print it too
        "/kg",
        "My Shop",  # store.name's default: a shop names itself
        "UTC",  # a time zone's name
    },
    # module::function when only part of a module is converted so far
    "services/hardware_check.py::page_lines": {
        "Accents: café naïve",  # a sample of accented Latin, the same in every language
    },
}

# The till: login, checkout, payment, overrides, parking, returns, shifts at the till, help.
_TILL: dict[str, set[str]] = {
}

# Back office, stock side: products, stock, stocktake, receiving, purchasing.
_STOCK: dict[str, set[str]] = {
}

# Back office, the rest: orders, customers, reports, audit log, settings screens.
_OFFICE: dict[str, set[str]] = {
}

# The `pos` command: its help, output and messages.
_CLI: dict[str, set[str]] = {
    # main.py: the lazy groups
    "cli/main.py": {
        "--db", "--debug", "--help", "--home", "--version",  # option names
        "PATH", "URL",  # metavars, as every shell's help writes them
        "error: ",  # the prefix scripts grep for
        "pos-tui ",  # the product's name, before its version
        "refused: %s", "unexpected failure", "damaged database: %s",  # log lines for developers
        "utf-8",  # an encoding's name
    },
}

# Services, hardware and domain: messages (errors, refusals) that reach the till or the CLI, printed slips.
_SERVICES: dict[str, set[str]] = {
}

CONVERTED: dict[str, set[str]] = {**_RECEIPTS, **_TILL, **_STOCK, **_OFFICE, **_CLI, **_SERVICES}


def _placeholders(text: str) -> list[str]:
    """{name} fields and %-style conversions, sorted, so their order may change but not their set."""
    fields = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    percents = re.findall(r"%(?:\([a-z_]+\))?[sdrif]", text)
    return sorted(fields + percents)


TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def messages() -> set[str]:
    found, bad = source_messages()
    assert bad == [], "translate literals, not built strings: use _('… {name}').format(name=…)"
    return set(found)  # a plural's msgid_plural lives in the same entry


def test_the_extractor_sees_every_call_form() -> None:
    found, bad = extract(
        "_('a')\nN_('b')\ntr.gettext('c')\nngettext('d', 'ds', n)\nx = _(BANNER)\n_(f'{x} e')\n", "m.py")
    assert found == {"a": None, "b": None, "c": None, "d": "ds"}
    assert bad == ["m.py:6: f'{x} e'"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language: str, messages: set[str]) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    translated = {e.msgid for e in entries if e.msgid and not e.fuzzy and all(s.strip() for s in e.msgstr)}
    assert messages, "no _() calls found: the extractor is broken"
    assert sorted(messages - translated) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_nothing_the_code_no_longer_says(language: str, messages: set[str]) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    ids = [e.msgid for e in entries if e.msgid]
    assert sorted(set(ids) - messages) == []
    assert len(ids) == len(set(ids)), "a msgid appears twice"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_match(language: str) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    wrong = [
        (e.msgid, text) for e in entries if e.msgid for text in e.msgstr
        if _placeholders(text) != _placeholders(e.msgid if e.msgid_plural is None else e.msgid_plural)
    ]
    assert wrong == []


def test_placeholder_check_can_fail() -> None:
    assert _placeholders("收银台 {lane}") == _placeholders("Lane {lane}")
    assert _placeholders("收银台 {name}") != _placeholders("Lane {lane}")
    assert _placeholders("%s 件") != _placeholders("%d items")


# --- nothing a person reads bypasses gettext (in the converted modules) -----------------------------

_PROSE = re.compile(r"[A-Za-z]{2,}")
_NOT_PROSE = re.compile(r"^[a-z0-9_.]+$|^%[-%A-Za-z :]+$")  # setting keys and names, strftime patterns


def untranslated_prose(source: str) -> set[str]:
    """English literals outside _()/N_(), docstrings, exceptions for programmers, keys and format codes."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and _called_name(node) in _CALLS:
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Raise):  # ValueError/TypeError for a caller's bug, not for a cashier
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Call) and _called_name(node) in ("get", "getattr", "compile", "ZoneInfo"):
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Compare):  # comparing with a code ("void", "return") shows nothing
            skip.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if _PROSE.search(text) and not _NOT_PROSE.match(text.strip()):
                found.add(text)
    return found


def _converted_source(unit: str) -> str:
    module, _, function = unit.partition("::")
    source = (PACKAGE / module).read_text(encoding="utf-8")
    if not function:
        return source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return ast.unparse(node)
    raise AssertionError(f"{unit}: no such function; update CONVERTED")


@pytest.mark.parametrize("unit", sorted(CONVERTED))
def test_converted_modules_say_nothing_in_english_outside_gettext(unit: str) -> None:
    leftover = untranslated_prose(_converted_source(unit)) - CONVERTED[unit]
    assert sorted(leftover) == []


def test_the_bypass_check_can_fail() -> None:
    source = 'def f(x):\n    """Doc."""\n    out = _("TOTAL")\n    raise ValueError("for a programmer")\n' \
             '    return [f"Lane {x}", "store.name", "SUBTOTAL", "%Y-%m-%d"]\n'
    assert untranslated_prose(source) == {"Lane ", "SUBTOTAL"}


# --- the tool that adds new messages for a translator --------------------------------------------


def test_update_appends_new_messages_for_a_translator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pos_tui import i18n_extract

    source = tmp_path / "src"
    source.mkdir()
    (source / "screen.py").write_text(
        'from pos_tui.i18n import _, ngettext\n'
        'a = _("TOTAL")\n'
        'b = _("Welcome,\\n{name}")\n'
        'c = ngettext("{n} item", "{n} items", 2)\n', encoding="utf-8")
    po = tmp_path / "zh_CN.po"
    po.write_text('msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=0;\\n"\n\nmsgid "TOTAL"\nmsgstr "合计"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n_extract, "po_path", lambda language: po)
    monkeypatch.setattr(i18n_extract, "PACKAGE", source)

    assert i18n_extract.main([]) == 1  # something to translate: a failing exit for CI
    assert i18n_extract.main(["--update"]) == 0
    entries = {e.msgid: e for e in parse_po(po.read_text(encoding="utf-8"))}
    assert entries["TOTAL"].msgstr == ["合计"]  # kept as it was
    assert entries["Welcome,\n{name}"].msgstr == [""]
    assert (entries["{n} item"].msgid_plural, entries["{n} item"].msgstr) == ("{n} items", [""])
    assert i18n_extract.main([]) == 0  # all present now (translating them is the catalogue test's job)
