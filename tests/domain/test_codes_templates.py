"""In-store labels (GS1 prefixes 20-29): the shop's templates and the GS1 price verifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.config import KEYS
from pos_tui.domain.barcodes import (
    FIVE_MINUS,
    FIVE_PLUS,
    THREE,
    TWO_MINUS,
    EmbeddedBarcode,
    decode,
    is_valid_gtin,
    parse_templates,
    price_verifier,
    with_check_digit,
)
from pos_tui.errors import ValidationError

DIGITS = "0123456789"


# --- price verifier ----------------------------------------------------------


def test_weighting_factor_tables_are_the_ones_gs1_prints():
    """GS1 General Specifications 7.9.3: the weighted product of each digit 0-9."""
    assert TWO_MINUS == (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
    assert THREE == (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
    assert FIVE_PLUS == (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
    assert FIVE_MINUS == (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)


def test_four_digit_price_worked_example():
    """GS1 GenSpecs 7.9.3, price 28.75: weights 2- 2- 3 5- give 4+5+1+3 = 13; 13 x 3 = 39; verifier 9."""
    assert price_verifier("2875") == 9


def test_five_digit_price_worked_example():
    """GS1 GenSpecs 7.9.4, price 146.85: weights 5+ 2- 5- 5+ 2- give 5+8+7+4+9 = 33;
    40 - 33 = 7; the digit whose 5- product is 7 is 6."""
    assert price_verifier("14685") == 6


@pytest.mark.parametrize(
    "price, verifier",
    [
        ("0000", 0),
        ("00000", 0),
        ("0001", 5),  # 5- of 1 is 5; 5 x 3 = 15
        ("9999", 6),  # 7 + 7 + 7 + 1 = 22; 22 x 3 = 66
        ("00001", 4),  # 2- of 1 is 2; 10 - 2 = 8; 5- of 4 is 8
    ],
)
def test_edge_prices_worked_by_hand(price, verifier):
    assert price_verifier(price) == verifier


@given(st.sampled_from([4, 5]).flatmap(lambda n: st.text(alphabet=DIGITS, min_size=n, max_size=n)), st.data())
def test_any_single_digit_misread_in_the_price_changes_the_verifier(price, data):
    """Each weighting is a one-to-one map of 0-9, so one wrong price digit is always caught."""
    position = data.draw(st.integers(0, len(price) - 1))
    new = data.draw(st.sampled_from([d for d in DIGITS if d != price[position]]))
    assert price_verifier(price[:position] + new + price[position + 1 :]) != price_verifier(price)


@pytest.mark.parametrize("price", ["123", "123456", "12a4"])
def test_price_verifier_only_covers_four_or_five_digits(price):
    with pytest.raises(ValidationError, match="4 or 5 digits"):
        price_verifier(price)


# --- parse_templates ------------------------------------------------------------


def test_the_shipped_default_templates_parse():
    weight, price = parse_templates(KEYS["barcode.templates"].default)
    assert (weight.prefix, weight.kind, weight.item, weight.value) == ("21", "grams", (2, 7), (7, 12))
    assert (price.prefix, price.kind, price.item, price.value) == ("22", "price", (2, 7), (7, 12))


def test_the_example_from_the_settings_help_parses_with_its_verifier():
    templates = parse_templates("21IIIIIWWWWWC, 22IIIIIPPPPPC,23IIIIVPPPPPC,")
    assert [t.text for t in templates] == ["21IIIIIWWWWWC", "22IIIIIPPPPPC", "23IIIIVPPPPPC"]
    assert templates[2].verifier == 6 and templates[2].item == (2, 6)


def test_no_templates_means_no_in_store_labels():
    assert parse_templates("") == [] and parse_templates(" , ") == []


@pytest.mark.parametrize(
    "text, problem",
    [
        ("21IIIIIWWWWC", "has 12 characters; a template has 13"),
        ("21IIIIIWWWWWWC", "has 14 characters"),
        ("21IIIIIXWWWWC", "unknown letter 'X'"),
        ("21iiiiiWWWWWC", "unknown letter 'i'"),
        ("21WWWWWWWWWWC", "no I (item) digits"),
        ("21IIIIIWWPPPC", "both W (weight) and P (price)"),
        ("21IIIIIIIIIIC", "no W (weight) or P (price)"),
        ("31IIIIIWWWWWC", "GS1 prefix 20-29"),
        ("2IIIIIIWWWWWC", "GS1 prefix 20-29"),
        ("21III0IWWWWWC", "digits after its letters"),
        ("21IIIIIWWWWWW", "must end with C"),
        ("21IIIICWWWWWC", "no other C"),
        ("21IIWIIWWWWWC", "I digits apart"),
        ("21IIIIIWWPWWC", "W digits apart"),
        ("21IIIIIWWWIIC", "I digits apart"),
        ("21IIIIIVWWWWC", "V without 4 or 5 P digits"),
        ("21IIIIVPPPPPP", "must end with C"),
        ("21IIIVVPPPPPC", "more than one V"),
        ("21IIIIIIVPPPC", "V without 4 or 5 P digits"),
    ],
)
def test_a_bad_template_is_refused_naming_it_and_the_problem(text, problem):
    """The admin sees which template of the list is wrong and why."""
    with pytest.raises(ValidationError) as err:
        parse_templates(f"22IIIIIPPPPPC,{text}")
    message = str(err.value)
    assert message.startswith(f"barcode template {text!r} ") and problem in message


def test_two_templates_claiming_the_same_codes_are_refused():
    with pytest.raises(ValidationError, match="'21IIIIIWWWWWC' and '21IIIIIPPPPPC' both match codes starting 21"):
        parse_templates("21IIIIIWWWWWC,21IIIIIPPPPPC")
    with pytest.raises(ValidationError, match="both match codes starting 23"):
        parse_templates("23IIIIIPPPPPC,234IIIIPPPPPC")


# --- decode -------------------------------------------------------------------

DEFAULTS = parse_templates("21IIIIIWWWWWC,22IIIIIPPPPPC")
WITH_VERIFIERS = parse_templates("23IIIIVPPPPPC,24IIIIIVPPPPC")


def test_weight_label_decodes_to_base_code_and_grams():
    assert decode("2100001012342", DEFAULTS) == EmbeddedBarcode("2100001000004", grams=1234)


def test_price_label_decodes_to_base_code_and_price():
    assert decode(with_check_digit("220000200499"), DEFAULTS) == EmbeddedBarcode(
        with_check_digit("220000200000"), price_minor=499
    )


def test_labels_with_a_price_verifier_decode_and_zero_it_in_the_base_code():
    five = with_check_digit("23" + "1234" + "6" + "14685")  # 146.85, verifier 6
    four = with_check_digit("24" + "12345" + "9" + "2875")  # 28.75, verifier 9
    assert decode(five, WITH_VERIFIERS) == EmbeddedBarcode(with_check_digit("231234000000"), price_minor=14685)
    assert decode(four, WITH_VERIFIERS) == EmbeddedBarcode(with_check_digit("241234500000"), price_minor=2875)


def test_a_wrong_price_verifier_is_an_invalid_code_even_with_a_right_check_digit():
    """A misprinted price must not ring up at the wrong amount, nor look like an unknown item."""
    label = with_check_digit("23" + "1234" + "5" + "14685")
    assert is_valid_gtin(label)
    with pytest.raises(ValidationError, match=rf"^invalid barcode {label}: has a wrong price check digit \(expected 6\)"):
        decode(label, WITH_VERIFIERS)


def test_a_wrong_check_digit_on_a_matching_label_is_an_invalid_code():
    with pytest.raises(ValidationError, match=r"^invalid barcode 2100001012343: has a wrong check digit \(expected 2\)"):
        decode("2100001012343", DEFAULTS)


@pytest.mark.parametrize("code", ["4006381333931", "2000001012345", "036000291452", "210000101234", "21000010123x2"])
def test_codes_no_template_claims_are_not_labels(code):
    assert decode(code, DEFAULTS) is None


@st.composite
def templates_and_values(draw):
    """Any valid template, with an item and a value that fit it."""
    prefix = "2" + draw(st.text(alphabet=DIGITS, min_size=1, max_size=3))
    letter = draw(st.sampled_from("WP"))
    verifier = letter == "P" and draw(st.booleans())
    room = 12 - len(prefix)
    value_len = draw(st.sampled_from([4, 5])) if verifier else draw(st.integers(1, room - 1))
    item_len = room - value_len - verifier
    fields = ["I" * item_len, ("V" if verifier else "") + letter * value_len]
    if draw(st.booleans()):
        fields.reverse()
    text = prefix + "".join(fields) + "C"
    (template,) = parse_templates(text)
    item = draw(st.integers(0, 10**item_len - 1))
    value = draw(st.integers(0, 10**value_len - 1))
    return template, item, value


@given(templates_and_values())
def test_every_encoded_label_decodes_back_to_its_item_and_value(case):
    template, item, value = case
    label = template.encode(item, value)
    assert len(label) == 13 and is_valid_gtin(label) and label.startswith(template.prefix)
    found = decode(label, [template])
    assert (found.grams if template.kind == "grams" else found.price_minor) == value
    # The base code is the prefix, the item digits in place and zeros elsewhere.
    expected = ["0"] * 12
    expected[: len(template.prefix)] = template.prefix
    expected[slice(*template.item)] = label[slice(*template.item)]
    assert found.base_code == with_check_digit("".join(expected))
    assert decode(template.encode(item, 0), [template]).base_code == found.base_code


@given(templates_and_values(), st.data())
def test_a_changed_digit_never_decodes_to_a_value(case, data):
    """One misread digit is refused or is no label at all; it never rings up a wrong weight or price."""
    template, item, value = case
    label = template.encode(item, value)
    position = data.draw(st.integers(0, 12))
    new = data.draw(st.sampled_from([d for d in DIGITS if d != label[position]]))
    changed = label[:position] + new + label[position + 1 :]
    try:
        assert decode(changed, [template]) is None  # only a changed prefix gets here
        assert position < len(template.prefix)
    except ValidationError as exc:
        assert "check digit" in str(exc)


@given(templates_and_values().filter(lambda c: c[0].verifier is not None), st.data())
def test_a_changed_price_digit_with_a_recomputed_check_digit_fails_the_price_verifier(case, data):
    template, item, value = case
    label = template.encode(item, value)
    position = data.draw(st.integers(template.value[0], template.value[1] - 1))
    new = data.draw(st.sampled_from([d for d in DIGITS if d != label[position]]))
    forged = with_check_digit(label[:position] + new + label[position + 1 : 12])
    with pytest.raises(ValidationError, match="price check digit"):
        decode(forged, [template])


def test_encode_refuses_values_that_do_not_fit():
    (template,) = parse_templates("21IIIIIWWWWWC")
    with pytest.raises(ValidationError, match="100000 does not fit 5 digits"):
        template.encode(1, 100000)
