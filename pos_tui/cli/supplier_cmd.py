"""`pos supplier list|show|add|edit|archive|unarchive|assign`."""


from typing import Annotated, Any

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _, ngettext

app = typer.Typer(help=N_("Who the shop buys from, and their lead times."), no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
Contact = Annotated[str | None, typer.Option("--contact", help=N_("the person to talk to"))]
Phone = Annotated[str | None, typer.Option("--phone")]
Email = Annotated[str | None, typer.Option("--email")]
LeadTime = Annotated[int | None, typer.Option("--lead-time", metavar="DAYS", help=N_("days from order to delivery, 0-365"))]
Notes = Annotated[str | None, typer.Option("--notes")]


def supplier_json(s: Any) -> dict[str, Any]:
    return {"name": s.name, "contact": s.contact, "phone": s.phone, "email": s.email,
            "lead_time_days": s.lead_time_days, "notes": s.notes, "archived": s.archived,
            "products": s.products, "open_orders": s.open_orders}


@app.command("list")
def list_(
    archived: Annotated[bool, typer.Option("--archived", help=N_("include archived suppliers"))] = False,
    as_json: JsonOpt = False,
) -> None:
    """Suppliers by name, with their products and open orders."""
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import suppliers

    open_store()
    rows = suppliers.list_suppliers(include_archived=archived)
    if as_json:
        print_json([supplier_json(s) for s in rows])
        return
    for s in rows:
        flag = " " + _("(archived)") if s.archived else ""
        typer.echo(f"{fit(s.name, 30)} " + _("{days}d {products} products {orders} open").format(
            days=f"{s.lead_time_days:>3}", products=f"{s.products:>6}", orders=f"{s.open_orders:>3}")
            + f" {s.contact}{flag}")


@app.command("show")
def show(name: str, as_json: JsonOpt = False) -> None:
    """One supplier."""
    from pos_tui.hardware.text_width import pad_right
    from pos_tui.services import suppliers

    open_store()
    data = supplier_json(suppliers.get_supplier(name))
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        field = _FIELDS[key]
        typer.echo(f"{pad_right(_(field), 15)} {value}")


# The fields `pos supplier show` names (its JSON keys stay as they are).
_FIELDS = {"name": N_("name"), "contact": N_("contact"), "phone": N_("phone"), "email": N_("email"),
           "lead_time_days": N_("lead_time_days"), "notes": N_("notes"), "archived": N_("archived"),
           "products": N_("products"), "open_orders": N_("open_orders")}


@app.command("add")
def add(name: str, contact: Contact = None, phone: Phone = None, email: Email = None, lead_time: LeadTime = None,
        notes: Notes = None, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Add a supplier (lead time defaults to 7 days)."""
    from pos_tui.services import suppliers

    open_store()
    actor = acting(as_user, password_stdin)
    s = suppliers.add_supplier(actor, name, contact=contact or "", phone=phone or "", email=email or "",
                               lead_time_days=7 if lead_time is None else lead_time, notes=notes or "")
    typer.echo(_("added supplier {name} (lead time {days} days)").format(name=s.name, days=s.lead_time_days))


@app.command("edit")
def edit(name: str,
         new_name: Annotated[str | None, typer.Option("--name", help=N_("rename the supplier"))] = None,
         contact: Contact = None, phone: Phone = None, email: Email = None, lead_time: LeadTime = None,
         notes: Notes = None, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Change the fields given; the others stay."""
    from pos_tui.services import suppliers

    open_store()
    actor = acting(as_user, password_stdin)
    s = suppliers.edit_supplier(actor, name, new_name=new_name, contact=contact, phone=phone, email=email,
                                lead_time_days=lead_time, notes=notes)
    typer.echo(_("saved supplier {name}").format(name=s.name))


@app.command("archive")
def archive(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """No new orders to this supplier; its orders and products keep its name."""
    from pos_tui.services import suppliers

    open_store()
    s = suppliers.set_archived(acting(as_user, password_stdin), name, True)
    typer.echo(_("archived supplier {name}").format(name=s.name))


@app.command("unarchive")
def unarchive(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Bring an archived supplier back."""
    from pos_tui.services import suppliers

    open_store()
    s = suppliers.set_archived(acting(as_user, password_stdin), name, False)
    typer.echo(_("unarchived supplier {name}").format(name=s.name))


@app.command("assign")
def assign(
    name: str,
    barcodes: Annotated[list[str], typer.Argument(metavar="BARCODE...", help=N_("products this supplier delivers"))],
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Make NAME the usual supplier of these products (their reorders use its lead time)."""
    from pos_tui.services import suppliers

    open_store()
    count = suppliers.assign_products(acting(as_user, password_stdin), name, barcodes)
    typer.echo(ngettext("{n} product now supplied by {name}", "{n} products now supplied by {name}", count).format(
        n=count, name=name.strip()))
