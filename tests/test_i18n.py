"""Switching language, and reading .po files the way msgfmt would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui import i18n
from pos_tui.errors import ValidationError
from pos_tui.i18n import PoTranslations, current_language, ngettext, parse_po, set_language, translation


@pytest.fixture(autouse=True)
def _english_after() -> None:
    """The language is process-wide: leave it as the other tests expect it."""
    yield
    set_language("en")


def test_english_is_the_source_and_chinese_comes_from_the_catalogue() -> None:
    assert current_language() == "en"
    assert i18n._("TOTAL") == "TOTAL"
    assert set_language("zh_CN") == "zh_CN"
    assert current_language() == "zh_CN"
    assert i18n._("TOTAL") == "合计"
    assert i18n._("Lane {lane}").format(lane="2") == "收银台 2"
    assert i18n._("a sentence nobody translated") == "a sentence nobody translated"
    set_language("en")
    assert i18n._("TOTAL") == "TOTAL"


@pytest.mark.parametrize("spelling", ["zh-CN", "zh_cn", " ZH_CN ", "zh_CN.UTF-8"])
def test_usual_spellings_of_a_language_are_accepted(spelling: str) -> None:
    assert set_language(spelling) == "zh_CN"


@pytest.mark.parametrize("code", ["fr", "zh_TW", "", "english"])
def test_a_language_without_a_catalogue_is_refused_and_changes_nothing(code: str) -> None:
    set_language("zh_CN")
    with pytest.raises(ValidationError, match="is not one of en, zh_CN"):
        set_language(code)
    assert current_language() == "zh_CN"


def test_a_receipt_can_ask_for_a_language_other_than_the_current_one() -> None:
    set_language("en")
    assert translation("zh_CN").gettext("CHANGE") == "找零"
    assert current_language() == "en"


def _po(tmp_path: Path, body: str) -> PoTranslations:
    path = tmp_path / "t.po"
    path.write_text(body, encoding="utf-8")
    return PoTranslations(path)


HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

'''


def test_plural_forms_follow_the_header(tmp_path: Path) -> None:
    tr = _po(tmp_path, HEADER + '''
msgid "{n} item"
msgid_plural "{n} items"
msgstr[0] "{n} Stück"
msgstr[1] "{n} Stücke"
''')
    assert tr.ngettext("{n} item", "{n} items", 1) == "{n} Stück"
    assert tr.ngettext("{n} item", "{n} items", 3) == "{n} Stücke"
    assert tr.ngettext("{n} line", "{n} lines", 3) == "{n} lines"  # untranslated: English plural


def test_chinese_has_one_plural_form() -> None:
    set_language("zh_CN")
    assert translation("zh_CN").plural(5) == 0
    assert ngettext("{n} item", "{n} items", 5) == "{n} items"  # not in the catalogue: the English rule


def test_multiline_strings_escapes_context_and_comments(tmp_path: Path) -> None:
    tr = _po(tmp_path, HEADER + '''
# a translator's note
#: pos_tui/hardware/receipt.py:12
msgid ""
"two "
"parts"
msgstr "zwei "
"Teile"

msgid "say \\"hi\\"\\n"
msgstr "sag \\"hallo\\"\\n"

msgid "tab\\there"
msgstr "\\344\\270\\255 \\x41\\t"

msgctxt "tender"
msgid "Card"
msgstr "Karte"
''')
    assert tr.gettext("two parts") == "zwei Teile"
    assert tr.gettext('say "hi"\n') == 'sag "hallo"\n'
    assert tr.gettext("tab\there") == "中 A\t"  # octal and hex escapes are UTF-8 bytes, as msgfmt reads them
    assert tr.pgettext("tender", "Card") == "Karte"
    assert tr.gettext("Card") == "Card"


def test_fuzzy_and_empty_translations_fall_back_to_english(tmp_path: Path) -> None:
    tr = _po(tmp_path, HEADER + '''
#, fuzzy
msgid "TOTAL"
msgstr "Summe?"

msgid "CHANGE"
msgstr ""
''')
    assert tr.gettext("TOTAL") == "TOTAL"
    assert tr.gettext("CHANGE") == "CHANGE"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('msgid "a"\nmsgstr "b"\nnonsense\n', ":3: cannot read 'nonsense'"),
        ('msgstr "b"\n', ":1: msgstr before any msgid"),
        ('msgid "a"\nmsgstr "b\n', ":2: cannot read"),
        ('msgid "a"\nmsgstr "b" + "c"\n', ":2: bad string"),
        ('msgid "a"\nmsgstr "b\\q"\n', ":2: unknown escape \\q"),
        ('msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', ":1: msgid 'a' has no msgstr"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', ":3: msgstr[1] out of order"),
    ],
)
def test_a_broken_po_file_names_the_line(body: str, where: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_po(body, "x.po")
    assert str(info.value).startswith("x.po" + where)


def test_an_unreadable_catalogue_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "t.po").write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(ValidationError, match="cannot read the translations in"):
        PoTranslations(tmp_path / "t.po")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85")
               | st.sampled_from('\n\t"\\\u2028\u2029\x0c\x1c'), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
def test_any_message_written_to_a_po_file_reads_back(msgid: str, msgstr: str) -> None:
    entries = parse_po(f"msgid {_quote(msgid)}\nmsgstr {_quote(msgstr)}\n")
    assert [(e.msgid, e.msgstr) for e in entries] == [(msgid, [msgstr])]
