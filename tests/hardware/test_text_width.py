"""Column counting: a Chinese name takes two columns a character on the paper, an accent none."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_tui.hardware.text_width import center, display_width, fit, pad_left, pad_right, truncate, wrap

# Latin, accented Latin, combining accents, CJK ideographs, Hangul, fullwidth forms and spaces.
MIXED = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xC0, max_codepoint=0x17F),
        st.characters(min_codepoint=0x300, max_codepoint=0x36F),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.sampled_from(" \u3000"),
    ),
    max_size=80,
)


def test_wide_and_fullwidth_count_two_combining_marks_zero() -> None:
    assert display_width("Milk") == 4
    assert display_width("乌龙茶") == 6
    assert display_width("ＡＢ") == 4  # fullwidth Latin
    assert display_width("김치") == 4
    assert display_width("Cafe\u0301") == 4  # e + combining acute is one column
    assert display_width("ｶﾞ") == 2  # halfwidth katakana stays narrow


def test_truncate_never_splits_a_wide_character() -> None:
    assert truncate("乌龙茶", 5) == "乌龙"
    assert truncate("乌龙茶", 1) == ""
    assert truncate("Cafe\u0301 au lait", 4) == "Cafe\u0301"  # the accent stays with its letter
    assert truncate("Tea", 10) == "Tea"


def test_padding_aligns_by_columns_not_characters() -> None:
    assert pad_right("茶", 4) == "茶  "
    assert pad_left("茶", 4) == "  茶"
    assert center("茶", 6) == "  茶"
    assert pad_right("Too long", 3) == "Too long"  # like str.ljust: never cuts text


def test_wrap_breaks_at_spaces_then_inside_long_words() -> None:
    assert wrap("Breakfast Tea 80 bags", 10) == ["Breakfast", "Tea 80", "bags"]
    assert wrap("有机龙井绿茶礼盒装", 8) == ["有机龙井", "绿茶礼盒", "装"]
    assert wrap("   ", 8) == []
    assert wrap("茶", 1) == ["?"]  # a wide character cannot fit one column; it is marked, not lost silently
    with pytest.raises(ValueError):
        wrap("Tea", 0)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.integers(min_value=0, max_value=50))
def test_truncate_is_the_longest_head_that_fits(text: str, width: int) -> None:
    head = truncate(text, width)
    assert text.startswith(head)
    assert display_width(head) <= width
    if head != text:
        assert display_width(head + text[len(head)]) > width


@settings(max_examples=300, deadline=None)
@given(MIXED, st.integers(min_value=2, max_value=50))
def test_wrap_fits_the_width_and_loses_no_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join("".join(line.split()) for line in lines) == "".join(text.split())


def test_fit_cuts_before_a_wide_character_and_pads_its_column() -> None:
    assert fit("乌龙茶", 5) == "乌龙 "
    assert fit("乌龙茶", 5, align="right") == " 乌龙"
    assert fit("Tea", 5) == "Tea  "
    assert fit("乌龙茶", 0) == ""


@settings(max_examples=150, deadline=None)
@given(MIXED, st.sampled_from([0, 1, 2, 3, 32, 48]), st.sampled_from(["left", "right"]))
def test_fit_is_exactly_the_width_and_keeps_a_head_of_the_text(text: str, width: int, align: str) -> None:
    """Receipt and table columns: always `width` columns, never half a wide character."""
    fitted = fit(text, width, align=align)
    assert display_width(fitted) == width
    assert text.lstrip(" ").startswith(fitted.strip(" "))
    if display_width(text) <= width:
        assert fitted.strip(" ") == text.strip(" ")  # nothing cut that fitted


@settings(max_examples=150, deadline=None)
@given(MIXED, st.sampled_from([32, 48]))
def test_padding_fills_exactly_the_columns_left(text: str, width: int) -> None:
    head = truncate(text, width)
    assert display_width(pad_left(head, width)) == width
    assert display_width(pad_right(head, width)) == width
    assert display_width(center(head, width)) <= width
    assert pad_left(head, width).endswith(head) and pad_right(head, width).startswith(head)
