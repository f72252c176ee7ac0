"""Customer CSV import/export: all or nothing, every bad row named, the matching rule, round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_tui.db.models import AuditLog, Customer, CustomerAddress
from pos_tui.errors import ImportRejected, ValidationError
from pos_tui.services import auth, customer_import, customers
from pos_tui.services.customers import AddressFields, add_customer
from pos_tui.services.permissions import PermissionDenied

HEADER = "name,phone,email,loyalty_code,notes,label,recipient,street,city,postcode\n"


def _state() -> tuple:
    return (list(Customer.select().tuples()), list(CustomerAddress.select().tuples()), AuditLog.select().count())


def _import(actor, text: str, **kwargs):
    return customer_import.import_customers(actor, customer_import.parse_customers(text), **kwargs)


def test_a_file_creates_customers_with_their_default_address(store, admin_actor):
    result = _import(admin_actor, HEADER
                     + "Ann Lee,+44 7700 900123,ann@example.com,lc1,\"likes rye\",home,,\"12 Mill Lane\nFlat 2\",Leeds,ls6 2ab\n"
                     + "Bob Hay,,,,,,,,,\n")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    ann = customers.resolve("LC1")
    [home] = customers.addresses(ann.id)
    assert (ann.name, ann.notes, home.street, home.postcode, home.is_default) == (
        "Ann Lee", "likes rye", "12 Mill Lane\nFlat 2", "LS6 2AB", True)
    assert customers.addresses(customers.resolve("#" + str(ann.id + 1)).id) == []


def test_every_bad_row_is_named_by_its_line_and_nothing_is_imported(store, admin_actor):
    add_customer(admin_actor, "Kept", loyalty_code="K1")
    before = _state()
    text = (HEADER
            + "Good,,,G1,,,,,,\n"                       # line 2
            + ",,,,,,,,,\n"                             # blank: skipped
            + "Bad Mail,,ann@@x,,,,,,,\n"               # line 4
            + ",0113,,,,,,,,\n"                         # line 5: no name
            + "Dup,,,g1,,,,,,\n"                        # line 6: G1 again
            + "No Street,,,,,home,,,Leeds,\n"           # line 7
            + "Phone,call me,,,,,,,,\n")                # line 8
    with pytest.raises(ImportRejected) as err:
        _import(admin_actor, text)
    problems = err.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 4", "line 5", "line 6", "line 7", "line 8"]
    assert "name@example.com" in problems[0] and "repeats line 2" in " ".join(problems)
    assert _state() == before


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("phone,email\n", "missing column(s) name"),
    ("name,fax\n", "unknown column(s) fax"),
    ("name,name\n", "repeated column(s) name"),
])
def test_a_bad_header_is_refused_before_any_row(text, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        customer_import.parse_customers(text)


def test_rows_update_by_loyalty_code_else_by_name_and_phone_else_create(store, admin_actor):
    coded = add_customer(admin_actor, "Ann", loyalty_code="LC1", email="old@example.com")
    plain = add_customer(admin_actor, "Bob Hay", phone="0113 496 0000",
                         address=AddressFields(street="1 Old Rd", postcode="LS1 1AA"))
    result = _import(admin_actor, HEADER
                     + "Ann Smith,,new@example.com,lc1,,,,,,\n"          # by code: renamed
                     + "bob hay,0113-496-0000,,,regular,,,2 New Rd,,LS2 2BB\n"   # by name + phone digits
                     + "Bob Hay,0999 000 000,,,,,,,,\n")                 # another Bob: new
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    assert (customers.resolve(coded.id).name, customers.resolve(coded.id).email) == ("Ann Smith", "new@example.com")
    bob = customers.resolve(plain.id)
    assert (bob.name, bob.notes) == ("bob hay", "regular")
    assert [(a.street, a.postcode, a.is_default) for a in customers.addresses(bob.id)] == [("2 New Rd", "LS2 2BB", True)]
    assert Customer.select().count() == 3


def test_a_column_the_file_lacks_keeps_the_value_and_a_dry_run_writes_nothing(store, admin_actor):
    add_customer(admin_actor, "Ann", loyalty_code="LC1", phone="0113 496 0000", notes="keep me")
    before = _state()
    dry = _import(admin_actor, "name,loyalty_code,email\nAnn,LC1,ann@example.com\nCy,LC2,\n", dry_run=True)
    assert (dry.created, dry.updated, dry.dry_run) == (1, 1, True)
    assert _state() == before
    _import(admin_actor, "name,loyalty_code,email\nAnn,LC1,ann@example.com\n")
    ann = customers.resolve("LC1")
    assert (ann.phone, ann.notes, ann.email) == ("0113 496 0000", "keep me", "ann@example.com")


def test_importing_needs_product_edit(store, admin_actor):
    auth.add_user(admin_actor, "cas", "1234", "cashier")
    with pytest.raises(PermissionDenied):
        _import(auth.authenticate("cas", "1234"), HEADER + "Ann,,,,,,,,,\n")
    assert Customer.select().count() == 0


def test_two_rows_meaning_one_existing_customer_are_refused(store, admin_actor):
    add_customer(admin_actor, "Ann", phone="0113 496 0000", email="ann@example.com")
    with pytest.raises(ImportRejected) as err:
        _import(admin_actor, "name,phone,email\nAnn,0113 496 0000,\nAnn,,ann@example.com\n")
    assert err.value.problems == ["line 3: Ann is the customer line 2 already updates"]


# -- round trips ------------------------------------------------------------------------
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
               max_size=20).map(str.strip)
NAME = TEXT.filter(bool)
PHONE = st.from_regex(r"\A\+?[0-9]{3,12}( [0-9]{1,4})?\Z")
EMAIL = st.from_regex(r"\A[a-z0-9._]{1,10}@[a-z0-9]{1,8}\.[a-z]{2,4}\Z")
NOTES = st.text(alphabet=st.one_of(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                                   st.sampled_from("\n\t")), max_size=40)
POSTCODE = st.from_regex(r"\A[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}\Z")


@st.composite
def customer_rows(draw) -> list[dict[str, str]]:
    count = draw(st.integers(0, 8))
    rows = []
    for n in range(count):
        has_code = draw(st.booleans())
        has_address = draw(st.booleans())
        rows.append({
            # a row without a code is told apart by its unique name
            "name": f"{draw(NAME)} {n}", "phone": draw(st.one_of(st.just(""), PHONE)),
            "email": draw(st.one_of(st.just(""), EMAIL)), "loyalty_code": f"LC{n:04d}" if has_code else "",
            "notes": draw(NOTES).strip(),
            "label": draw(TEXT.map(lambda t: t[:32])) if has_address else "",
            "recipient": draw(TEXT) if has_address else "",
            "street": f"{n} {draw(TEXT)}".strip() if has_address else "",
            "city": draw(TEXT) if has_address else "", "postcode": draw(POSTCODE) if has_address else "",
        })
    return rows


def _canonical(rows: list[dict[str, str]]) -> list[tuple]:
    return sorted(tuple(row[c] for c in customer_import.COLUMNS) for row in rows)


@given(rows=customer_rows())
@settings(max_examples=60, deadline=None)
def test_the_parser_reads_back_every_row_the_export_writes(rows):
    parsed = customer_import.parse_customers(customer_import.to_csv(rows))
    back = [{"name": r.name, "phone": r.phone, "email": r.email, "loyalty_code": r.loyalty_code, "notes": r.notes,
             **{c: getattr(r.address, c) if r.address else "" for c in customer_import.ADDRESS_COLUMNS}}
            for r in parsed]
    assert back == rows


@given(rows=customer_rows())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_rows_import_export_and_import_again_unchanged(store, admin_actor, rows):
    CustomerAddress.delete().execute()
    Customer.delete().execute()
    text = customer_import.to_csv(rows)
    first = _import(admin_actor, text)
    assert first.created == len(rows)
    exported = customer_import.export_rows()
    assert _canonical(exported) == _canonical(rows)
    again = _import(admin_actor, customer_import.to_csv(exported))
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows))
