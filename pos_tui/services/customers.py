"""Customers: find one at the till, add, change, and keep their addresses.

Who may do what: any logged-in user may add a customer or an address (a
cashier signs someone up at the till); changing or removing what is there
needs `product.edit`, the shop's catalogue-and-records right (a dedicated
permission would need a migration to reach stores already made). A customer
with sales or orders is never deleted: reports and receipts name them.

A customer is named by id or loyalty code (`resolve`): the loyalty code is
tried first, so a numeric loyalty code wins over the id of the same digits;
`#12` is always the id (no loyalty code holds a '#').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from peewee import fn

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Customer, CustomerAddress, DeliveryOrder, Sale
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

EDIT_PERMISSION = "product.edit"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
_LOYALTY = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    name: str
    phone: str
    email: str
    loyalty_code: str
    notes: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class AddressInfo:
    id: int
    customer_id: int
    label: str
    recipient: str
    phone: str
    street: str
    city: str
    postcode: str
    is_default: bool

    def one_line(self) -> str:
        parts = [self.street.replace("\n", ", "), self.city, self.postcode]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class AddressFields:
    """An address as typed; `check_address` cleans it."""

    label: str = ""
    recipient: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""

    def is_blank(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))


def _info(row: Customer) -> CustomerInfo:
    return CustomerInfo(row.id, row.name, row.phone, row.email, row.loyalty_code or "", row.notes, row.created_at)


def _address(row: CustomerAddress) -> AddressInfo:
    return AddressInfo(row.id, row.customer_id, row.label, row.recipient, row.phone, row.street, row.city,
                       row.postcode, row.is_default)


# -- checking what was typed ---------------------------------------------------
def _text(value: str, what: str, limit: int, *, multiline: bool = False) -> str:
    cleaned = value.strip()
    allowed = "\n\t" if multiline else ""
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in cleaned):
        raise ValidationError(_("{what} has a control character; type it again as plain text").format(what=what))
    if len(cleaned) > limit:
        raise ValidationError(_("{what} is longer than {limit} characters").format(what=what, limit=limit))
    return cleaned


def check_name(value: str) -> str:
    name = _text(value, _("name"), 128)
    if not name:
        raise ValidationError(_("the customer's name is empty; type a name"))
    return name


def check_phone(value: str, what: str | None = None) -> str:
    what = what or _("phone")
    phone = _text(value, what, 32)
    if not phone:
        return ""
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE.match(phone) or not 3 <= digits <= 20:
        raise ValidationError(_("{what} {phone!r} is not a phone number; use digits, spaces and + - ( ), like +44 "
                                "7700 900123").format(what=what, phone=phone))
    return phone


def check_email(value: str) -> str:
    email = _text(value, _("email"), 128)
    if email and not _EMAIL.match(email):
        raise ValidationError(_("email {email!r} is not an address like name@example.com").format(email=email))
    return email


def check_loyalty(value: str) -> str:
    """Upper-cased; letters, digits and '-' (empty: no loyalty card)."""
    code = value.strip().upper()
    if code and not _LOYALTY.match(code):
        raise ValidationError(_("loyalty code {value!r} must be 1-32 letters, digits or '-'").format(value=value.strip()))
    return code


def check_notes(value: str) -> str:
    return _text(value, _("notes"), 2000, multiline=True)


def check_address(address: AddressFields) -> AddressFields:
    street = _text(address.street, _("street"), 256, multiline=True)
    if not street:
        raise ValidationError(_("the address needs a street; type the house and street"))
    return AddressFields(
        label=_text(address.label, _("address label"), 32), recipient=_text(address.recipient, _("recipient"), 128),
        phone=check_phone(address.phone, _("address phone")), street=street, city=_text(address.city, _("city"), 64),
        postcode=_text(address.postcode, _("postcode"), 16).upper(),
    )


def refuse_training(actor: Actor) -> None:
    """A trainee's practice customers would stay in the real list: refuse, as cash in/out does."""
    if actor.training:
        raise ValidationError(_("training mode: customers are not saved; leave training first"))


def _loyalty_free(code: str, except_id: int | None = None) -> None:
    if not code:
        return
    query = Customer.select().where(Customer.loyalty_code == code)
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    holder = query.first()
    if holder is not None:
        raise ValidationError(_("loyalty code {code} already belongs to {name} (#{id})").format(code=code, name=holder.name, id=holder.id))


# -- reading --------------------------------------------------------------------
def _row(ref: str | int) -> Customer:
    text = str(ref).strip()
    if not text:
        raise ValidationError(_("name a customer by id or loyalty code"))
    row = Customer.get_or_none(Customer.loyalty_code == text.upper())
    if row is None and text.lstrip("#").isdigit():
        row = Customer.get_or_none(Customer.id == int(text.lstrip("#")))
    if row is None:
        raise NotFound(_("no customer with id or loyalty code {text!r}; see `pos customer list --search`").format(text=text))
    return row


def resolve(ref: str | int) -> CustomerInfo:
    """The customer an id or loyalty code names."""
    return _info(_row(ref))


def addresses(customer_id: int) -> list[AddressInfo]:
    """Default first, then oldest first."""
    query = (CustomerAddress.select().where(CustomerAddress.customer == customer_id)
             .order_by(CustomerAddress.is_default.desc(), CustomerAddress.id))
    return [_address(row) for row in query]


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _squash(field):
    """A column with spaces, '+' and '-' taken out, for comparing digits or postcodes."""
    return fn.REPLACE(fn.REPLACE(fn.REPLACE(field, " ", ""), "+", ""), "-", "")


def find_customers(text: str, limit: int = 20) -> list[CustomerInfo]:
    """By loyalty code (exact), phone (digits anywhere), name or email (part, any case),
    or an address: street, city or postcode (part, any case, spaces ignored in postcodes)."""
    text = text.strip()
    if not text:
        return []
    lowered = text.lower()
    digits = _digits(text)
    condition = (
        fn.LOWER(Customer.name).contains(lowered) | (Customer.loyalty_code == text.upper())
        | fn.LOWER(Customer.email).contains(lowered)
    )
    if len(digits) >= 3:
        # phones are stored as typed ("+44 7700 900017"); compare digits only
        condition |= _squash(Customer.phone).contains(digits)
    if len(text) >= 3:
        squashed = lowered.replace(" ", "")
        at_address = CustomerAddress.select(CustomerAddress.customer).where(
            fn.LOWER(CustomerAddress.street).contains(lowered) | fn.LOWER(CustomerAddress.city).contains(lowered)
            | fn.LOWER(fn.REPLACE(CustomerAddress.postcode, " ", "")).contains(squashed)
        )
        condition |= Customer.id.in_(at_address)
    query = Customer.select().where(condition).order_by(Customer.name, Customer.id).limit(limit)
    return [_info(row) for row in query]


def list_customers(search: str = "", limit: int | None = None) -> list[CustomerInfo]:
    """Every customer by name, or those `search` finds."""
    if search.strip():
        return find_customers(search, limit=limit or 1000)
    query = Customer.select().order_by(Customer.name, Customer.id)
    if limit:
        query = query.limit(limit)
    return [_info(row) for row in query]


# -- writing --------------------------------------------------------------------
def add_customer(
    actor: Actor, name: str, *, phone: str = "", email: str = "", loyalty_code: str = "", notes: str = "",
    address: AddressFields | None = None,
) -> CustomerInfo:
    """A new customer (and their first address, the default); any logged-in user may."""
    refuse_training(actor)
    values = dict(name=check_name(name), phone=check_phone(phone), email=check_email(email),
                  loyalty_code=check_loyalty(loyalty_code), notes=check_notes(notes))
    cleaned = check_address(address) if address is not None and not address.is_blank() else None
    with write_transaction():
        _loyalty_free(values["loyalty_code"])
        row = Customer.create(**{**values, "loyalty_code": values["loyalty_code"] or None})
        if cleaned is not None:
            CustomerAddress.create(customer=row, is_default=True, **vars(cleaned))
        audit.record("customer.add", actor, str(row.id), **values, address=cleaned.street if cleaned else "")
    return _info(row)


_CHECKS = {"name": check_name, "phone": check_phone, "email": check_email, "loyalty_code": check_loyalty,
           "notes": check_notes}


def edit_customer(actor: Actor, ref: str | int, **changes: str | None) -> CustomerInfo:
    """Change the fields given (None: keep; "" clears all but the name). Needs product.edit."""
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    unknown = set(changes) - set(_CHECKS)
    if unknown:
        raise ValueError(f"unknown customer field(s) {sorted(unknown)}")
    wanted = {key: _CHECKS[key](value) for key, value in changes.items() if value is not None}
    with write_transaction():
        row = _row(ref)
        if "loyalty_code" in wanted:
            _loyalty_free(wanted["loyalty_code"], except_id=row.id)
        before = _info(row)
        changed: dict[str, Any] = {}
        for key, value in wanted.items():
            if getattr(before, key) != value:
                changed[key] = [getattr(before, key), value]
                setattr(row, key, value or None if key == "loyalty_code" else value)
        if changed:
            row.save()
            audit.record("customer.edit", actor, str(row.id), **changed)
    return _info(row)


def delete_customer(actor: Actor, ref: str | int) -> CustomerInfo:
    """Only a customer without sales or orders (a mistake just made); history keeps everyone else."""
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    with write_transaction():
        row = _row(ref)
        sales = Sale.select().where(Sale.customer == row.id).count()
        orders = DeliveryOrder.select().where(DeliveryOrder.customer == row.id).count()
        if sales or orders:
            raise ValidationError(
                _("{name} has {sales} sale(s) and {orders} order(s); a customer with history is kept").format(name=row.name, sales=sales, orders=orders))
        info = _info(row)
        CustomerAddress.delete().where(CustomerAddress.customer == row.id).execute()
        row.delete_instance()
        audit.record("customer.delete", actor, str(info.id), name=info.name, loyalty_code=info.loyalty_code)
    return info


def add_address(actor: Actor, ref: str | int, address: AddressFields, *, default: bool = False) -> AddressInfo:
    """Any logged-in user may; a customer's first address is their default."""
    refuse_training(actor)
    cleaned = check_address(address)
    with write_transaction():
        row = _row(ref)
        first = not CustomerAddress.select().where(CustomerAddress.customer == row.id).exists()
        if default and not first:
            CustomerAddress.update(is_default=False).where(CustomerAddress.customer == row.id).execute()
        created = CustomerAddress.create(customer=row, is_default=default or first, **vars(cleaned))
        audit.record("customer.address.add", actor, str(row.id), address=created.id, street=cleaned.street,
                     postcode=cleaned.postcode, default=created.is_default)
    return _address(created)


def _address_row(address_id: int) -> CustomerAddress:
    row = CustomerAddress.get_or_none(CustomerAddress.id == address_id)
    if row is None:
        raise NotFound(_("no address #{address_id}; `pos customer show` lists a customer's addresses").format(address_id=address_id))
    return row


def edit_address(actor: Actor, address_id: int, **changes: str | None) -> AddressInfo:
    """Change the parts given (None: keep). Needs product.edit."""
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    with write_transaction():
        row = _address_row(address_id)
        current = AddressFields(row.label, row.recipient, row.phone, row.street, row.city, row.postcode)
        cleaned = check_address(replace(current, **{k: v for k, v in changes.items() if v is not None}))
        changed = {k: [getattr(current, k), v] for k, v in vars(cleaned).items() if getattr(current, k) != v}
        if changed:
            for key, value in vars(cleaned).items():
                setattr(row, key, value)
            row.save()
            audit.record("customer.address.edit", actor, str(row.customer_id), address=row.id, **changed)
    return _address(row)


def remove_address(actor: Actor, address_id: int) -> AddressInfo:
    """Orders keep their own copy of an address, so removing one rewrites no history."""
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    with write_transaction():
        row = _address_row(address_id)
        info = _address(row)
        row.delete_instance()
        if info.is_default:
            oldest = (CustomerAddress.select().where(CustomerAddress.customer == info.customer_id)
                      .order_by(CustomerAddress.id).first())
            if oldest is not None:
                oldest.is_default = True
                oldest.save()
        audit.record("customer.address.remove", actor, str(info.customer_id), address=info.id, street=info.street)
    return info


def set_default_address(actor: Actor, address_id: int) -> AddressInfo:
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    with write_transaction():
        row = _address_row(address_id)
        CustomerAddress.update(is_default=False).where(CustomerAddress.customer == row.customer_id).execute()
        row.is_default = True
        row.save()
        audit.record("customer.address.default", actor, str(row.customer_id), address=row.id)
    return _address(row)
