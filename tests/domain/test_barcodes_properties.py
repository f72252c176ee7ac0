"""Barcodes under any input a scanner, a keyboard or a CSV can produce.

test_barcodes.py, test_codes_upce.py and test_codes_templates.py hold the worked
examples and the one-digit-typo properties; this file adds what they leave out:
arbitrary text never escapes as anything but a one-line ValidationError, swapped
neighbours are caught exactly when GS1 says they are, and any template a shop can
configure encodes and decodes its value exactly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pos_tui.domain.barcodes import (
    check_digit,
    compress_upca,
    decode,
    expand_upce,
    gtin_problem,
    is_valid_gtin,
    lookup_forms,
    parse_embedded,
    parse_template,
    parse_templates,
    price_verifier,
    validate_gtin,
    with_check_digit,
)
from pos_tui.errors import ValidationError

DIGITS = "0123456789"
# Characters a scanner, a paste or a CSV cell brings along with the digits.
NOISE = DIGITS + " \t\n\r\x00-+.,xX\u00a0\uff11\u0663\u00bd\u200b"

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=DIGITS, max_size=16),
    st.text(alphabet=NOISE, max_size=16),
    # Lone surrogates: what Python makes of non-UTF-8 bytes in argv or a file name.
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from(DIGITS), max_size=14),
)
TEMPLATES = parse_templates("21IIIIIWWWWWC,22IIIIIPPPPPC,23IIIIVPPPPPC,24IIIIIVPPPPC")


def gtins(lengths=(8, 12, 13, 14)) -> st.SearchStrategy[str]:
    return st.sampled_from(lengths).flatmap(lambda n: st.text(alphabet=DIGITS, min_size=n - 1, max_size=n - 1)).map(
        with_check_digit
    )


def _refused_on_one_line(call, *args):
    """Run `call`; a refusal must be a ValidationError with a one-line message."""
    try:
        return call(*args)
    except ValidationError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        return exc


# --- any text -------------------------------------------------------------------------


@given(ANY_TEXT)
@example("12\n34")
@example("0425261\x00")
@example("")
def test_any_text_is_a_gtin_or_a_one_line_refusal(text):
    """validate_gtin, lookup_forms and the UPC-E expansion answer or refuse; nothing else escapes."""
    valid = _refused_on_one_line(validate_gtin, text)
    assert isinstance(valid, ValidationError) or (valid == text.strip() and is_valid_gtin(valid))
    assert (gtin_problem(text) is None) == is_valid_gtin(text)
    forms = _refused_on_one_line(lookup_forms, text)
    if not isinstance(forms, ValidationError):
        assert all(is_valid_gtin(form) for form in forms)
    upca = _refused_on_one_line(expand_upce, text)
    assert isinstance(upca, ValidationError) or is_valid_gtin(upca)
    compressed = compress_upca(text)
    assert compressed is None or expand_upce(compressed) == text


@given(ANY_TEXT)
@example("2100001012343")
@example("2312346146851")
def test_any_text_decodes_to_a_label_none_or_a_one_line_refusal(text):
    """The till feeds every scan to decode: an unknown shape is None, a misprint a ValidationError."""
    found = _refused_on_one_line(decode, text, TEMPLATES)
    if found is not None and not isinstance(found, ValidationError):
        assert is_valid_gtin(text) and is_valid_gtin(found.base_code)
        assert (found.grams is None) != (found.price_minor is None)
    assert parse_embedded(text) is None or is_valid_gtin(text)


@given(ANY_TEXT)
def test_check_digit_and_price_verifier_refuse_what_they_cannot_weigh(text):
    digit = _refused_on_one_line(check_digit, text)
    assert isinstance(digit, ValidationError) or digit in range(10)
    verifier = _refused_on_one_line(price_verifier, text)
    assert isinstance(verifier, ValidationError) or verifier in range(10)


@given(st.one_of(st.text(max_size=30), st.text(alphabet="0123456789IWPVC,X \n", max_size=30)))
def test_any_templates_setting_parses_or_is_refused_on_one_line(text):
    """`pos config set barcode.templates …` gets whatever the admin types."""
    _refused_on_one_line(parse_templates, text)


# --- transpositions ---------------------------------------------------------------------


@given(gtins(), st.data())
def test_swapped_neighbours_are_caught_unless_they_differ_by_five(code, data):
    """The 3-1 weighting catches a swap of two different neighbours, except 0/5, 1/6, … (GS1 says so).

    The swap may include the check digit; the exception is exact, so both sides are asserted.
    """
    position = data.draw(st.integers(0, len(code) - 2))
    first, second = code[position], code[position + 1]
    swapped = code[:position] + second + first + code[position + 2 :]
    if first == second:
        assert swapped == code
    elif abs(int(first) - int(second)) == 5:
        assert is_valid_gtin(swapped)
    else:
        assert not is_valid_gtin(swapped)
        with pytest.raises(ValidationError, match="wrong check digit"):
            validate_gtin(swapped)


# --- UPC-E ----------------------------------------------------------------------------------


@given(st.sampled_from("01"), st.text(alphabet=DIGITS, min_size=6, max_size=6))
def test_a_scanned_upce_is_looked_up_under_its_upca_in_both_lengths(system, data):
    """Whatever the 6 data digits, the UPC-E finds the product the supplier listed as UPC-A."""
    body = system + data
    upca = None
    for check in DIGITS:
        try:
            upca = expand_upce(body + check)
        except ValidationError:
            continue
        assert lookup_forms(body + check)[:2] == (upca, "0" + upca)
    assert upca is not None, "exactly one check digit makes a UPC-E"


# --- templates ------------------------------------------------------------------------------


@st.composite
def templates(draw):
    """Any template parse_template accepts, built field by field in any order."""
    prefix = "2" + draw(st.text(alphabet=DIGITS, min_size=1, max_size=3))
    letter = draw(st.sampled_from("WP"))
    verifier = letter == "P" and draw(st.booleans())
    room = 12 - len(prefix)
    value_len = draw(st.sampled_from([4, 5])) if verifier else draw(st.integers(1, room - 1))
    item_len = room - value_len - verifier
    fields = ["I" * item_len, letter * value_len] + (["V"] if verifier else [])
    order = draw(st.permutations(fields))
    return parse_template(prefix + "".join(order) + "C")


def _mutated(text: str) -> st.SearchStrategy[str]:
    """A valid template with one character changed: the typo an admin makes."""
    return st.tuples(st.integers(0, len(text) - 1), st.sampled_from("0123456789IWPVC")).map(
        lambda change: text[: change[0]] + change[1] + text[change[0] + 1 :]
    )


@given(templates(), st.data())
def test_any_template_gives_back_the_exact_weight_or_price(template, data):
    """Whatever layout the shop configures, the label rings up the grams or cents the scale printed.

    Values come back as int (grams, minor units) and Decimal kilograms, never float.
    """
    item = data.draw(st.integers(0, 10 ** (template.item[1] - template.item[0]) - 1))
    value = data.draw(st.integers(0, 10 ** (template.value[1] - template.value[0]) - 1))
    label = template.encode(item, value)
    assert is_valid_gtin(label)
    found = decode(label, [template])
    if template.kind == "grams":
        assert type(found.grams) is int and found.grams == value and found.price_minor is None
        assert type(found.weight_kg) is Decimal and found.weight_kg * 1000 == value
    else:
        assert type(found.price_minor) is int and found.price_minor == value and found.grams is None
    if template.verifier is not None:
        assert int(label[template.verifier]) == price_verifier(label[slice(*template.value)])


@given(templates(), st.integers(), st.integers())
def test_encode_refuses_what_does_not_fit_and_never_truncates(template, item, value):
    """A weight too big for the label is refused, not printed as its last digits."""
    result = _refused_on_one_line(template.encode, item, value)
    if isinstance(result, ValidationError):
        widths = ((template.item, item), (template.value, value))
        assert any(not 0 <= number < 10 ** (stop - start) for (start, stop), number in widths)
    else:
        assert decode(result, [template]).base_code == decode(template.encode(item, 0), [template]).base_code


@given(
    st.one_of(
        st.text(alphabet="0123456789IWPVC", min_size=13, max_size=13),
        templates().map(lambda t: t.text).flatmap(_mutated),
    )
)
@example("2IIIIIIWWWWWC")
@example("20IIIIIPPPPVC")
@example("29VPPPPPIIIIC")
def test_a_template_that_parses_round_trips_its_largest_value(text):
    """Every accepted template can carry its full range; a refused one says why on one line."""
    template = _refused_on_one_line(parse_template, text)
    if isinstance(template, ValidationError):
        assert repr(text) in str(template)
        return
    top = 10 ** (template.value[1] - template.value[0]) - 1
    found = decode(template.encode(10 ** (template.item[1] - template.item[0]) - 1, top), [template])
    assert (found.grams if template.kind == "grams" else found.price_minor) == top
