"""`pos customer add|edit|delete|list|show|import|export` and `pos customer address …`.

A customer is named by id or loyalty code (`#12` is always the id).
"""


from pathlib import Path
from typing import Annotated, Any

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, export_rows_as, open_store, print_json, write_output
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Customers: add, edit, find, their history, import and export."), no_args_is_help=True)
address_app = typer.Typer(help=N_("A customer's addresses: add, edit, remove, make one the default."),
                          no_args_is_help=True)
app.add_typer(address_app, name="address")

Ref = Annotated[str, typer.Argument(metavar="ID_OR_LOYALTY", help=N_("the customer's id (or #id) or loyalty code"))]
AddressId = Annotated[int, typer.Argument(metavar="ADDRESS_ID", help=N_("as `pos customer show` lists it"))]
AsJson = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
Opt = Annotated[str | None, typer.Option()]


def _customer_json(c: Any) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "phone": c.phone, "email": c.email, "loyalty_code": c.loyalty_code or None,
            "notes": c.notes}


def _address_json(a: Any) -> dict[str, Any]:
    return {"id": a.id, "label": a.label, "recipient": a.recipient, "phone": a.phone, "street": a.street,
            "city": a.city, "postcode": a.postcode, "default": a.is_default}


def _address_fields(**parts: str | None):
    from pos_tui.services.customers import AddressFields

    return AddressFields(**{k: v or "" for k, v in parts.items()})


def _who(c: Any) -> str:
    return f"#{c.id} {c.name}" + (f" ({c.loyalty_code})" if c.loyalty_code else "")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    phone: Opt = None, email: Opt = None,
    loyalty: Annotated[str | None, typer.Option("--loyalty", help=N_("loyalty card code (upper-cased, unique)"))] = None,
    notes: Opt = None, label: Opt = None, recipient: Opt = None,
    street: Annotated[str | None, typer.Option(help=N_("with --city/--postcode: the default address"))] = None,
    city: Opt = None, postcode: Opt = None,
    as_user: AsUser = None, password_stdin: PasswordStdin = False,
) -> None:
    """Add a customer (any till user may), with an address if --street is given."""
    from pos_tui.services import customers

    open_store()
    actor = acting(as_user, password_stdin)
    address = _address_fields(label=label, recipient=recipient, street=street, city=city, postcode=postcode)
    info = customers.add_customer(actor, name, phone=phone or "", email=email or "", loyalty_code=loyalty or "",
                                  notes=notes or "", address=None if address.is_blank() else address)
    typer.echo(_("added customer {customer}").format(customer=_who(info)))


@app.command("edit")
def edit(
    ref: Ref,
    name: Opt = None, phone: Opt = None, email: Opt = None,
    loyalty: Annotated[str | None, typer.Option("--loyalty", help=N_("a new loyalty code ('' removes it)"))] = None,
    notes: Opt = None,
    as_user: AsUser = None, password_stdin: PasswordStdin = False,
) -> None:
    """Change what is given; an empty value ('') clears a field (not the name). Needs product.edit."""
    from pos_tui.errors import ValidationError
    from pos_tui.services import customers

    changes = dict(name=name, phone=phone, email=email, loyalty_code=loyalty, notes=notes)
    if all(v is None for v in changes.values()):
        raise ValidationError(_("nothing to change; give --name, --phone, --email, --loyalty or --notes"))
    open_store()
    actor = acting(as_user, password_stdin)
    info = customers.edit_customer(actor, ref, **changes)
    typer.echo(_("customer {customer} saved").format(customer=_who(info)))


@app.command("delete")
def delete(ref: Ref, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delete a customer added by mistake; one with sales or orders is kept. Needs product.edit."""
    from pos_tui.services import customers

    open_store()
    info = customers.delete_customer(acting(as_user, password_stdin), ref)
    typer.echo(_("deleted customer {customer}").format(customer=_who(info)))


@app.command("list")
def list_(
    search: Annotated[str, typer.Option("--search", help=N_("part of a name, phone, email, code, street or postcode"))] = "",
    as_json: AsJson = False,
) -> None:
    """Customers by name."""
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import customers

    open_store()
    found = customers.list_customers(search)
    if as_json:
        print_json([_customer_json(c) for c in found])
        return
    for c in found:
        typer.echo(f"{c.id:>5} {fit(c.name, 28)} {fit(c.phone, 18)} {c.loyalty_code:<10} {c.email}")


@app.command("show")
def show(
    ref: Ref, as_json: AsJson = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help=N_("purchases and orders shown"))] = 20,
) -> None:
    """One customer: details, addresses, totals, purchases and orders, newest first."""
    from zoneinfo import ZoneInfo

    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty
    from pos_tui.hardware.text_width import pad_right
    from pos_tui.services.customer_history import customer_detail

    current = open_store()
    zone = ZoneInfo(current.get("store.timezone"))
    d = customer_detail(ref, limit=limit)

    def when(moment):
        return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None

    if as_json:
        print_json({
            **_customer_json(d.customer), "addresses": [_address_json(a) for a in d.addresses],
            "visits": d.visits, "spent": format_money(d.spent), "returns": d.returns,
            "first_visit": when(d.first_visit), "last_visit": when(d.last_visit),
            "purchases": [{"receipt_no": p.receipt_no, "time": when(p.time), "total": format_money(p.total),
                           "items": format_qty(p.items), "summary": p.summary,
                           "kind": "return" if p.is_return else "sale", "original_receipt": p.original or None}
                          for p in d.purchases],
            "orders": [{"number": o.number, "time": when(o.time), "status": o.status, "fulfilment": o.fulfilment,
                        "total": format_money(o.total)} for o in d.orders],
        })
        return
    c = d.customer
    for key, value in ((N_("id"), c.id), (N_("name"), c.name), (N_("phone"), c.phone), (N_("email"), c.email),
                       (N_("loyalty_code"), c.loyalty_code), (N_("notes"), c.notes.replace("\n", " / "))):
        typer.echo(f"{pad_right(_(key), 13)} {value}")
    for a in d.addresses:
        mark = " " + _("(default)") if a.is_default else ""
        typer.echo(f"{pad_right(_('address'), 13)} #{a.id} {a.label + ': ' if a.label else ''}{a.one_line()}{mark}")
    last = d.last_visit.astimezone(zone).strftime("%Y-%m-%d") if d.last_visit else _("never")
    returns = _(", {n} return(s)").format(n=d.returns) if d.returns else ""
    typer.echo(pad_right(_("visits"), 13) + " " + _("{visits}, spent {spent}, last visit {last}{returns}").format(
        visits=d.visits, spent=format_money(d.spent), last=last, returns=returns))
    for p in d.purchases:
        if p.is_return:
            kind = _("return of {receipt}").format(receipt=p.original)
        else:
            kind = _("{n} items").format(n=format_qty(p.items))
        typer.echo(f"  {p.receipt_no:<12} {p.time.astimezone(zone):%Y-%m-%d %H:%M} {format_money(p.total):>9}  "
                   f"{kind}: {p.summary}")
    for o in d.orders:
        typer.echo(f"  {o.number:<12} {o.time.astimezone(zone):%Y-%m-%d %H:%M} {format_money(o.total):>9}  "
                   + _("{fulfilment} order, {status}").format(fulfilment=o.fulfilment, status=o.status))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=N_("UTF-8 CSV with name,phone,email,loyalty_code,…"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("only check the file"))] = False,
    as_user: AsUser = None, password_stdin: PasswordStdin = False,
) -> None:
    """Import customers, all or nothing: one bad row imports nothing. Needs product.edit."""
    from pos_tui.services import customer_import
    from pos_tui.services.customers import EDIT_PERMISSION
    from pos_tui.services.permissions import require

    open_store()
    actor = acting(as_user, password_stdin)
    require(actor, EDIT_PERMISSION)  # before reading a large file
    rows = customer_import.parse_customers(customer_import.read_csv(file))
    result = customer_import.import_customers(actor, rows, dry_run=dry_run, source=file.name)
    if dry_run:
        done = _("would import {rows} rows: {new} new, {updated} updated, {unchanged} unchanged")
    else:
        done = _("imported {rows} rows: {new} new, {updated} updated, {unchanged} unchanged")
    typer.echo(done.format(rows=len(rows), new=result.created, updated=result.updated, unchanged=result.unchanged))


@app.command("export")
def export(
    file: Annotated[Path | None, typer.Argument(metavar="[FILE]", help=N_("write here instead of stdout"))] = None,
    fmt: Annotated[str, typer.Option("--format", help=N_("csv or json"))] = "csv",
) -> None:
    """Every customer with their default address, in the import's columns (so the file imports back)."""
    from pos_tui.services import customer_import

    open_store()
    rows = customer_import.export_rows()
    write_output(export_rows_as(rows, fmt, customer_import.to_csv), file, _("{n} customers").format(n=len(rows)))


@address_app.command("add")
def address_add(
    ref: Ref,
    street: Annotated[str, typer.Option(help=N_("house and street (required)"))],
    city: Opt = None, postcode: Opt = None, label: Opt = None, recipient: Opt = None, phone: Opt = None,
    default: Annotated[bool, typer.Option("--default", help=N_("make it the default address"))] = False,
    as_user: AsUser = None, password_stdin: PasswordStdin = False,
) -> None:
    """Add an address (a customer's first is their default)."""
    from pos_tui.services import customers

    open_store()
    actor = acting(as_user, password_stdin)
    fields = _address_fields(label=label, recipient=recipient, phone=phone, street=street, city=city,
                             postcode=postcode)
    a = customers.add_address(actor, ref, fields, default=default)
    typer.echo(_("added address #{id}: {address}").format(id=a.id, address=a.one_line())
               + (" " + _("(default)") if a.is_default else ""))


@address_app.command("edit")
def address_edit(
    address_id: AddressId,
    street: Opt = None, city: Opt = None, postcode: Opt = None, label: Opt = None, recipient: Opt = None,
    phone: Opt = None,
    as_user: AsUser = None, password_stdin: PasswordStdin = False,
) -> None:
    """Change the parts given. Needs product.edit."""
    from pos_tui.errors import ValidationError
    from pos_tui.services import customers

    changes = dict(street=street, city=city, postcode=postcode, label=label, recipient=recipient, phone=phone)
    if all(v is None for v in changes.values()):
        raise ValidationError(
            _("nothing to change; give --street, --city, --postcode, --label, --recipient or --phone"))
    open_store()
    a = customers.edit_address(acting(as_user, password_stdin), address_id, **changes)
    typer.echo(_("address #{id} saved: {address}").format(id=a.id, address=a.one_line()))


@address_app.command("remove")
def address_remove(address_id: AddressId, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Remove an address (orders keep their own copy). Needs product.edit."""
    from pos_tui.services import customers

    open_store()
    a = customers.remove_address(acting(as_user, password_stdin), address_id)
    typer.echo(_("removed address #{id}: {address}").format(id=a.id, address=a.one_line()))


@address_app.command("default")
def address_default(address_id: AddressId, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Make an address the customer's default. Needs product.edit."""
    from pos_tui.services import customers

    open_store()
    a = customers.set_default_address(acting(as_user, password_stdin), address_id)
    typer.echo(_("address #{id} is now the default: {address}").format(id=a.id, address=a.one_line()))
