"""UPC-E labels on small packs and the other forms a catalogue may file a GTIN under."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.barcodes import compress_upca, expand_upce, is_valid_gtin, lookup_forms, with_check_digit
from pos_tui.errors import ValidationError

DIGITS = "0123456789"
SYSTEM = st.sampled_from("01")


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=DIGITS, min_size=n, max_size=n)


def upce_for(system: str, data: str) -> str:
    """A printed UPC-E: its check digit is the expanded UPC-A's, whatever that is."""
    for check in DIGITS:
        try:
            expand_upce(system + data + check)
            return system + data + check
        except ValidationError:
            pass
    raise AssertionError(f"no check digit fits {system}{data}")


@pytest.mark.parametrize(
    "upce, upca",
    [
        ("04252614", "042100005264"),  # published example; 6th digit 0-2: maker 42100, item 00526
        ("01234565", "012345000065"),  # published example; 6th digit 5-9: maker 12345, item 00005
    ],
)
def test_printed_upce_codes_expand_to_their_upca(upce, upca):
    """A UPC-E on a can finds the product the supplier listed under its UPC-A."""
    assert expand_upce(upce) == upca
    assert compress_upca(upca) == upce


@pytest.mark.parametrize(
    "system, data, body",
    [
        ("0", "123450", "0" + "12000" + "00345"),  # 6th digit 0: maker ends 000, item 00XXX
        ("1", "987652", "1" + "98200" + "00765"),  # 6th digit 2
        ("0", "456783", "0" + "45600" + "00078"),  # 6th digit 3: maker ends 00, item 000XX
        ("1", "456784", "1" + "45670" + "00008"),  # 6th digit 4: maker ends 0, item 0000X
        ("0", "456787", "0" + "45678" + "00007"),  # 6th digit 5-9: item 0000 then that digit
    ],
)
def test_each_expansion_rule_places_the_digits_where_gs1_says(system, data, body):
    code = upce_for(system, data)
    assert expand_upce(code) == with_check_digit(body)


@pytest.mark.parametrize(
    "code, problem",
    [
        ("425261", "has 6 digits; a UPC-E has 8"),  # the body alone: no number system, no check digit
        ("0425261", "has 7 digits"),
        ("24252614", "starts with number system 0 or 1"),
        ("04252615", r"wrong UPC-E check digit \(expected 4\)"),
        ("0425261x", "digits only"),
    ],
)
def test_what_is_not_a_upce_is_refused_naming_why(code, problem):
    with pytest.raises(ValidationError, match=rf"^invalid barcode {code}: .*{problem}"):
        expand_upce(code)


@given(SYSTEM, digits(6))
def test_every_upce_expands_to_a_valid_upca_that_compresses_back_to_the_same_product(system, data):
    upca = expand_upce(upce_for(system, data))
    assert is_valid_gtin(upca) and upca[0] == system
    # Several UPC-E spellings can share a UPC-A; its compression is one of them.
    assert expand_upce(compress_upca(upca)) == upca


# UPC-As with the zeros that let them print as UPC-E, one strategy per rule.
COMPRESSIBLE = st.one_of(
    st.tuples(SYSTEM, digits(2), st.sampled_from("012"), digits(3)).map(lambda t: t[0] + t[1] + t[2] + "0000" + t[3]),
    st.tuples(SYSTEM, digits(2), st.sampled_from("3456789"), digits(2)).map(lambda t: t[0] + t[1] + t[2] + "00000" + t[3]),
    st.tuples(SYSTEM, digits(3), st.sampled_from("123456789"), digits(1)).map(lambda t: t[0] + t[1] + t[2] + "00000" + t[3]),
    st.tuples(SYSTEM, digits(4), st.sampled_from("123456789"), st.sampled_from("56789")).map(
        lambda t: t[0] + t[1] + t[2] + "0000" + t[3]
    ),
).map(with_check_digit)


@given(COMPRESSIBLE)
def test_every_compressible_upca_round_trips_through_upce(upca):
    upce = compress_upca(upca)
    assert upce is not None and len(upce) == 8
    assert expand_upce(upce) == upca
    assert compress_upca(expand_upce(upce)) == upce


@given(SYSTEM, digits(10))
def test_compression_never_changes_the_product(system, rest):
    upca = with_check_digit(system + rest)
    upce = compress_upca(upca)
    assert upce is None or expand_upce(upce) == upca


def test_codes_without_the_zeros_or_outside_number_system_0_1_have_no_upce():
    assert compress_upca("036000291452") is None  # a real UPC-A without the zeros
    assert compress_upca(with_check_digit("21234500006")) is None  # number system 2


@given(SYSTEM, digits(6), st.data())
def test_a_changed_digit_is_caught_except_the_layout_digit(system, data, draw):
    """A misread in the number system, the first five data digits or the check digit never finds another product.

    The sixth data digit picks the layout, so changing it moves digits around
    and is not guaranteed to be caught; that position is left out on purpose.
    """
    code = upce_for(system, data)
    position = draw.draw(st.sampled_from([0, 1, 2, 3, 4, 5, 7]))
    new = draw.draw(st.sampled_from([d for d in DIGITS if d != code[position]]))
    with pytest.raises(ValidationError):
        expand_upce(code[:position] + new + code[position + 1 :])


@pytest.mark.parametrize(
    "code, forms",
    [
        ("036000291452", ("0036000291452",)),  # UPC-A, as 13 digits too
        ("0036000291452", ("036000291452",)),  # UPC-A sent as EAN-13, as 12 digits too
        ("4006381333931", ()),  # an EAN-13 is only itself
        ("96385074", ()),  # EAN-8 with number system 9: no UPC-E reading
        ("00554336", ()),  # starts 0 but only the EAN-8 check digit fits
        ("04252614", ("042100005264", "0042100005264")),  # UPC-E: its UPC-A, 12 and 13 digits
        ("00079198", ("000791000098", "0000791000098")),  # fits as EAN-8 and UPC-E: the exact code is tried first
    ],
)
def test_lookup_forms_lists_where_else_a_catalogue_files_a_code(code, forms):
    assert lookup_forms(code) == forms


@pytest.mark.parametrize(
    "code, message",
    [
        ("04252615", r"wrong check digit \(expected 0 for EAN-8 or 4 for UPC-E\)"),
        ("96385075", r"wrong check digit \(expected 4\)$"),
        ("12345", "has 5 digits; expected 8, 12, 13 or 14"),
        ("036000291453", r"wrong check digit \(expected 2\)"),
        ("03600O291452", "digits only"),
    ],
)
def test_lookup_forms_refuses_what_is_no_barcode(code, message):
    with pytest.raises(ValidationError, match=rf"^invalid barcode {code}: .*{message}"):
        lookup_forms(code)
