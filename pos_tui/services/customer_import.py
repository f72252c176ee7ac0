"""Customer CSV import and export: all or nothing, every bad row reported.

Columns: name required; phone,email,loyalty_code,notes optional, and one
address per row in label,recipient,street,city,postcode (it becomes, or
replaces, the customer's default address). The export writes the same
columns, so a file round-trips.

Which customer a row is:
- a row with a loyalty code updates the customer holding that code, or
  creates one with it;
- a row without one updates the customer without a code who has the same
  name (any case) and the same phone digits or email (or, when the row has
  neither, no phone or email either), when exactly one such customer exists;
  otherwise it creates a new customer. So an export imports back unchanged.
The same loyalty code twice in one file, the same name and phone/email twice
without a code, or two rows meaning one existing customer, are bad rows:
the file must say what it means once.

A column the file has sets the value (an empty cell clears it); a column it
lacks keeps what the customer has. Address cells all empty leave the
customer's addresses alone: an import never removes an address.
Needs `product.edit` (an import rewrites many records at once).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Customer, CustomerAddress
from pos_tui.errors import ImportRejected, PosError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.customers import (
    EDIT_PERMISSION, AddressFields, check_address, check_email, check_loyalty, check_name, check_notes, check_phone,
    refuse_training,
)
from pos_tui.services.permissions import require
from pos_tui.services.csv_rows import check_header, read_csv

__all__ = ["read_csv", "parse_customers", "import_customers", "export_rows", "to_csv", "COLUMNS"]

CUSTOMER_COLUMNS = ("name", "phone", "email", "loyalty_code", "notes")
ADDRESS_COLUMNS = ("label", "recipient", "street", "city", "postcode")
COLUMNS = CUSTOMER_COLUMNS + ADDRESS_COLUMNS
_CHUNK = 500  # ids per IN (...): under SQLite's variable limit


@dataclass(frozen=True)
class CustomerRow:
    line: int
    name: str
    present: frozenset[str]  # the optional columns the file has
    phone: str = ""
    email: str = ""
    loyalty_code: str = ""
    notes: str = ""
    address: AddressFields | None = None

    def match_key(self) -> tuple[str, str]:
        """Name with phone digits (or email, or nothing) for rows without a loyalty code."""
        return (self.name.casefold(), "".join(c for c in self.phone if c.isdigit()) or self.email.lower())


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    dry_run: bool


def _parse_row(line: int, raw: dict[str, str], header: list[str]) -> CustomerRow:
    problems: list[str] = []
    values: dict[str, object] = {}
    checks = {"name": check_name, "phone": check_phone, "email": check_email, "loyalty_code": check_loyalty,
              "notes": check_notes}
    for column, check in checks.items():
        if column not in header:
            continue
        try:
            values[column] = check(raw.get(column) or "")
        except PosError as exc:
            problems.append(str(exc))
    address = AddressFields(**{c: raw.get(c) or "" for c in ADDRESS_COLUMNS if c in header})
    if not address.is_blank():
        try:
            values["address"] = check_address(address)
        except PosError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationError("; ".join(problems))
    present = frozenset(c for c in CUSTOMER_COLUMNS if c in header and c != "name")
    return CustomerRow(line=line, present=present, **values)  # type: ignore[arg-type]


def parse_customers(text: str) -> list[CustomerRow]:
    """Every row checked; ImportRejected lists each bad row with its line number."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = [h.strip() for h in (reader.fieldnames or [])]
    check_header(header, ("name",), tuple(c for c in COLUMNS if c != "name"))
    reader.fieldnames = header
    rows: list[CustomerRow] = []
    problems: list[str] = []
    seen: dict[object, int] = {}
    line = 1
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append(_("line {line}: more fields than the header has").format(line=line))
                continue
            if all(not (v or "").strip() for v in raw.values()):
                continue
            try:
                row = _parse_row(line, raw, header)
            except ValidationError as exc:
                problems.append(_("line {line}: {exc}").format(line=line, exc=exc))
                continue
            key = ("code", row.loyalty_code) if row.loyalty_code else row.match_key()
            if key in seen:
                if row.loyalty_code:
                    what = _("loyalty code {code}").format(code=row.loyalty_code)
                elif key[1]:
                    what = _("{name} with that phone/email and no loyalty code").format(name=row.name)
                else:
                    what = _("{name} with no phone or email and no loyalty code").format(name=row.name)
                problems.append(_("line {line}: {what} repeats line {seen}; give one of them a loyalty code").format(line=line, what=what, seen=seen[key]))
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(_("line {line}: broken CSV ({exc})").format(line=line + 1, exc=exc))
    if problems:
        raise ImportRejected(problems)
    return rows


def _chunks(values: list, size: int = _CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _targets(rows: list[CustomerRow]) -> list[Customer | None]:
    """The existing customer each row updates (None: a new one); the module docstring has the rule."""
    codes = [r.loyalty_code for r in rows if r.loyalty_code]
    by_code: dict[str, Customer] = {}
    for chunk in _chunks(codes):
        by_code.update({c.loyalty_code: c for c in Customer.select().where(Customer.loyalty_code.in_(chunk))})
    by_key: dict[tuple[str, str], list[Customer]] = {}
    if any(not r.loyalty_code for r in rows):
        for customer in Customer.select().where(Customer.loyalty_code.is_null()):
            contacts = {"".join(c for c in customer.phone if c.isdigit()), customer.email.lower()} - {""}
            for contact in contacts or {""}:
                by_key.setdefault((customer.name.casefold(), contact), []).append(customer)
    targets: list[Customer | None] = []
    for row in rows:
        if row.loyalty_code:
            targets.append(by_code.get(row.loyalty_code))
            continue
        found = by_key.get(row.match_key(), [])
        targets.append(found[0] if len(found) == 1 else None)
    return targets


def _address_values(address: AddressFields) -> dict[str, str]:
    """The parts a file carries (an address's own phone is kept: the file has no column for it)."""
    return {c: getattr(address, c) for c in ADDRESS_COLUMNS}


def _changes(customer: Customer, row: CustomerRow, default: CustomerAddress | None) -> bool:
    if customer.name != row.name:
        return True
    if any((getattr(customer, c) or "") != getattr(row, c) for c in row.present):
        return True
    if row.address is not None:
        if default is None:
            return True
        return any(getattr(default, k) != v for k, v in _address_values(row.address).items())
    return False


def import_customers(actor: Actor, rows: list[CustomerRow], *, dry_run: bool = False,
                     source: str = "") -> ImportResult:
    """Create or update every row in one transaction (checked again inside it)."""
    require(actor, EDIT_PERMISSION)
    refuse_training(actor)
    created = updated = unchanged = 0
    with write_transaction():
        targets = _targets(rows)
        claimed: dict[int, int] = {}
        problems = []
        for row, target in zip(rows, targets):
            if target is not None and target.id in claimed:
                problems.append(_("line {line}: {name} is the customer line {claimed} already updates").format(line=row.line, name=row.name, claimed=claimed[target.id]))
            elif target is not None:
                claimed[target.id] = row.line
        if problems:
            raise ImportRejected(problems)
        ids = [t.id for t in targets if t is not None]
        defaults: dict[int, CustomerAddress] = {}
        for chunk in _chunks(ids):
            defaults.update({a.customer_id: a for a in CustomerAddress.select().where(
                CustomerAddress.customer.in_(chunk) & (CustomerAddress.is_default == True))})  # noqa: E712
        plan: list[tuple[CustomerRow, Customer | None]] = []
        for row, target in zip(rows, targets):
            if target is None:
                created += 1
            elif _changes(target, row, defaults.get(target.id)):
                updated += 1
            else:
                unchanged += 1
                continue
            plan.append((row, target))
        if dry_run:
            return ImportResult(created, updated, unchanged, True)
        for row, target in plan:
            values = {c: getattr(row, c) for c in row.present}
            if "loyalty_code" in values:
                values["loyalty_code"] = values["loyalty_code"] or None
            if target is None:
                target = Customer.create(name=row.name, **values)
            else:
                Customer.update(name=row.name, **values).where(Customer.id == target.id).execute()
            if row.address is None:
                continue
            default = defaults.get(target.id)
            if default is not None:
                CustomerAddress.update(**_address_values(row.address)).where(
                    CustomerAddress.id == default.id).execute()
            else:
                CustomerAddress.update(is_default=False).where(CustomerAddress.customer == target.id).execute()
                CustomerAddress.create(customer=target.id, is_default=True, **vars(row.address))
        audit.record("customer.import", actor, source, created=created, updated=updated, unchanged=unchanged)
    return ImportResult(created, updated, unchanged, False)


def export_rows() -> list[dict[str, str]]:
    """Every customer with their default address, in the import's columns."""
    defaults = {a.customer_id: a for a in CustomerAddress.select().where(CustomerAddress.is_default == True)}  # noqa: E712
    out = []
    for c in Customer.select().order_by(Customer.name, Customer.id):
        address = defaults.get(c.id)
        row = {"name": c.name, "phone": c.phone, "email": c.email, "loyalty_code": c.loyalty_code or "",
               "notes": c.notes}
        row.update({k: getattr(address, k) if address else "" for k in ADDRESS_COLUMNS})
        out.append(row)
    return out


def to_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
