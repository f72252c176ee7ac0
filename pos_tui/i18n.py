"""Translations: English source strings, catalogues in pos_tui/locale/<lang>/LC_MESSAGES/pos_tui.po.

The .po file is the only source: it is read directly into a
`gettext.GNUTranslations` catalogue on first use (a few hundred entries parse
in about a millisecond), so there is no compiled .mo that can go stale, no
build step, and no cache directory to write next to an installed package.

`_()` and `ngettext()` translate into the current language, which the till
sets per user with `set_language()` (the store's `locale` setting is the
default). Text that must follow the store rather than the person at the
till, such as a receipt, asks `translation(lang)` for a catalogue of its own.
Strings defined before a language is known are marked with `N_()` and
translated where they are used.
"""

from __future__ import annotations

import gettext
import os
import re
import threading
from collections.abc import Callable

from pos_tui.errors import ValidationError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path

DOMAIN = "pos_tui"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "zh_CN")
# A str, so that loading a catalogue imports no pathlib (a Chinese store's `pos --help` pays every import).
LOCALE_DIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "locale")

_current = SOURCE_LANGUAGE
_loaded: dict[str, gettext.NullTranslations] = {}
_lock = threading.Lock()


def normalize_language(code: str) -> str:
    """"zh-CN", "zh_cn" and "zh_CN.UTF-8" are zh_CN; a code no catalogue has is a ValidationError."""
    text = str(code).strip().split(".", 1)[0].replace("-", "_")
    for known in LANGUAGES:
        if text.lower() == known.lower():
            return known
    raise ValidationError(f"language {str(code).strip()!r} is not one of {', '.join(LANGUAGES)}")


def set_language(code: str) -> str:
    """Make `code` the language of `_()` and `ngettext()` from now on; returns it normalized."""
    global _current
    language = normalize_language(code)
    translation(language)  # a broken catalogue fails here, not in the middle of a screen
    _current = language
    return language


def current_language() -> str:
    return _current


def translation(code: str) -> gettext.NullTranslations:
    """The catalogue of one language (English is the identity), loaded once per process."""
    language = normalize_language(code)
    found = _loaded.get(language)
    if found is None:
        with _lock:
            found = _loaded.get(language)
            if found is None:
                if language == SOURCE_LANGUAGE:
                    found = gettext.NullTranslations()
                else:
                    found = PoTranslations(os.path.join(LOCALE_DIR, language, "LC_MESSAGES", f"{DOMAIN}.po"))
                _loaded[language] = found
    return found


def po_path(language: str) -> Path:
    from pathlib import Path

    return Path(LOCALE_DIR, language, "LC_MESSAGES", f"{DOMAIN}.po")


def _(message: str) -> str:
    """`message` in the current language."""
    return translation(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message in the current language, by that language's plural rule."""
    return translation(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it yet (it is translated where used)."""
    return message


# --- the .po reader ------------------------------------------------------------------------------


class PoTranslations(gettext.GNUTranslations):
    """A GNUTranslations filled from a .po file instead of a .mo file.

    Like msgfmt, it leaves out fuzzy entries and entries with an empty
    translation, so those fall back to the English source string.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()  # no file: NullTranslations sets up _info, _charset, _fallback
        self._catalog: dict[object, str] = {}
        self.plural = lambda n: int(n != 1)
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"cannot read the translations in {path}: {exc}") from None
        for entry in parse_po(text, str(path)):
            if entry.msgid == "":
                self._read_header(entry.msgstr[0] if entry.msgstr else "")
                continue
            if entry.fuzzy or not all(entry.msgstr):
                continue
            key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            if entry.msgid_plural is None:
                self._catalog[key] = entry.msgstr[0]
            else:
                for index, text_n in enumerate(entry.msgstr):
                    self._catalog[(key, index)] = text_n

    def _read_header(self, header: str) -> None:
        for line in header.splitlines():
            name, _sep, value = line.partition(":")
            self._info[name.strip().lower()] = value.strip()
        forms = self._info.get("plural-forms", "")
        match = re.search(r"plural\s*=\s*([^;]+)", forms)
        if match:
            self.plural = gettext.c2py(match.group(1).strip())


class PoEntry:
    """One message of a .po file; `msgstr` has one item, or one per plural form."""

    __slots__ = ("msgctxt", "msgid", "msgid_plural", "msgstr", "fuzzy", "line")

    def __init__(self, line: int) -> None:
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr: list[str] = []
        self.fuzzy = False
        self.line = line


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(text: str, where: str = "<po>") -> list[PoEntry]:
    """The entries of a .po file, in order; a line it cannot read is a ValidationError naming it."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    field_name = ""
    fuzzy_next = False
    index = 0

    def fail(number: int, why: str) -> ValidationError:
        return ValidationError(f"{where}:{number}: {why}")

    # Only "\n" ends a line: str.splitlines would also split at U+2028 or a form feed inside a message.
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy_next = True
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, plural_index, quoted = match.groups()
            value = _unquote(quoted, lambda why: fail(number, why))
            if keyword == "msgctxt" or (keyword == "msgid" and field_name != "msgctxt"):
                entry = PoEntry(number)
                entries.append(entry)
                entry.fuzzy, fuzzy_next = fuzzy_next, False
            if entry is None:
                raise fail(number, f"{keyword} before any msgid")
            if keyword == "msgctxt":
                entry.msgctxt = value
            elif keyword == "msgid":
                entry.msgid = value
            elif keyword == "msgid_plural":
                entry.msgid_plural = value
            else:
                index = int(plural_index) if plural_index is not None else 0
                if index != len(entry.msgstr):
                    raise fail(number, f"msgstr[{index}] out of order")
                entry.msgstr.append(value)
            field_name = keyword if not keyword.startswith("msgstr") else "msgstr"
            continue
        if line.startswith('"') and entry is not None and field_name:
            value = _unquote(line, lambda why: fail(number, why))
            if field_name == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif field_name == "msgid":
                entry.msgid += value
            elif field_name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                entry.msgstr[-1] += value
            continue
        raise fail(number, f"cannot read {raw.strip()[:40]!r}")
    for entry in entries:
        if not entry.msgstr:
            raise fail(entry.line, f"msgid {entry.msgid!r} has no msgstr")
    return entries


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}


def _unquote(quoted: str, fail: Callable[[str], ValidationError]) -> str:
    """A C string literal of a .po file, as msgfmt reads it: octal and hex escapes are UTF-8 bytes."""
    body = quoted[1:-1]
    if len(quoted) > 1 and quoted[0] == quoted[-1] == '"' and '"' not in body and "\\" not in body:
        return body  # most strings have no escape: what _STRING matches, without a regular expression
    match = _STRING.fullmatch(quoted)
    if match is None:
        raise fail(f"bad string {quoted[:40]}")
    body = match.group(1)
    if "\\" not in body:
        return body
    out = bytearray()
    at = 0
    for escape in _ESCAPE.finditer(body):
        out += body[at:escape.start()].encode("utf-8")
        at = escape.end()
        octal, hexa, char = escape.groups()
        if octal or hexa:
            out.append(int(octal, 8) % 256 if octal else int(hexa, 16))
        elif char in _ESCAPES:
            out += _ESCAPES[char].encode("utf-8")
        else:
            raise fail(f"unknown escape \\{char} in {quoted[:40]}")
    out += body[at:].encode("utf-8")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise fail(f"escaped bytes that are not UTF-8 in {quoted[:40]}") from None
