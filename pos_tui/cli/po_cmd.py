"""`pos po suggest|create|edit|list|show|export|order|cancel|receive`: purchase orders."""


from pathlib import Path
from typing import Annotated, Any

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json, write_output
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Purchase orders: suggested, drafted, sent, received."), no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
Lines = Annotated[list[str] | None, typer.Option(
    "--line", metavar="BARCODE:QTY[:COST]", help=N_("a line; repeat for more (COST defaults to the product's cost)"))]


def parse_line(text: str, *, with_cost: bool = True) -> Any:
    """BARCODE:QTY[:COST] as typed on the command line."""
    from pos_tui.domain.money import parse_money
    from pos_tui.domain.quantity import parse_qty
    from pos_tui.errors import ValidationError
    from pos_tui.services.purchase_orders import LineSpec

    parts = text.strip().split(":")
    if len(parts) not in ((2, 3) if with_cost else (2,)) or not parts[0].strip():
        shape = "BARCODE:QTY[:COST]" if with_cost else "BARCODE:QTY"
        raise ValidationError(_("line {line} must look like {shape}, e.g. 5000000000012:12").format(
            line=repr(text), shape=shape))
    barcode = parts[0].strip()
    qty = parse_qty(parts[1], allow_negative=True, what=_("{barcode}: quantity").format(barcode=barcode))
    cost = parse_money(parts[2], what=_("{barcode}: unit cost").format(barcode=barcode)) if len(parts) == 3 else None
    return LineSpec(barcode, qty, cost)


def _zone(current: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(current.get("store.timezone"))


def order_json(o: Any, zone: Any) -> dict[str, Any]:
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty

    data = {"number": o.number, "supplier": o.supplier, "status": o.status, "reference": o.reference,
            "note": o.note, "created_by": o.created_by,
            "created_at": o.created_at.astimezone(zone).isoformat(timespec="seconds"),
            "updated_at": o.updated_at.astimezone(zone).isoformat(timespec="seconds"),
            "line_count": o.line_count, "total": format_money(o.total)}
    if o.lines:
        data["lines"] = [{"barcode": l.barcode, "name": l.name, "qty_ordered": format_qty(l.qty_ordered),
                          "qty_received": format_qty(l.qty_received), "unit_cost": format_money(l.unit_cost),
                          "line_total": format_money(l.total)} for l in o.lines]
    return data


@app.command("suggest")
def suggest(as_json: JsonOpt = False) -> None:
    """What to order: 28 days of sales x lead time + reorder level - stock - on order (and what is low)."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.hardware.text_width import fit, pad_left as right, pad_right as left
    from pos_tui.services import reorder

    current = open_store()
    rows = reorder.suggestions(default_lead_days=current.get("stock.default_lead_time_days"))
    if as_json:
        print_json([{"barcode": s.barcode, "name": s.name, "supplier": s.supplier or None,
                     "stock": format_qty(s.stock), "reorder_level": format_qty(s.reorder_level),
                     "sold_28d": format_qty(s.sold), "lead_time_days": s.lead_time_days,
                     "on_order": format_qty(s.on_order), "suggested": format_qty(s.suggested), "low": s.low}
                    for s in rows])
        return
    if not rows:
        typer.echo(_("nothing is low or needs ordering"))
        return
    typer.echo(f"{left(_('barcode'), 14)} {left(_('name'), 28)} {right(_('stock'), 7)} {right(_('level'), 6)} "
               f"{right(_('sold28'), 6)} {right(_('lead'), 4)} {right(_('order'), 6)} {right(_('suggest'), 7)} "
               + _("supplier"))
    for s in rows:
        typer.echo(f"{s.barcode:<14} {fit(s.name, 28)} {format_qty(s.stock):>7} {format_qty(s.reorder_level):>6} "
                   f"{format_qty(s.sold):>6} {s.lead_time_days:>4} {format_qty(s.on_order):>6} "
                   f"{format_qty(s.suggested):>7} {s.supplier or '-'}")


@app.command("create")
def create(
    supplier: Annotated[str | None, typer.Option("--supplier", help=N_("who the order goes to"))] = None,
    line: Lines = None,
    from_suggestions: Annotated[bool, typer.Option(
        "--from-suggestions", help=N_("one draft per supplier from `pos po suggest`"))] = False,
    reference: Annotated[str, typer.Option("--reference", help=N_("your or the supplier's reference"))] = "",
    note: Annotated[str, typer.Option("--note")] = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Draft an order: to one supplier with --line, or from the reorder suggestions."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.errors import ValidationError
    from pos_tui.services import purchase_orders

    if from_suggestions == (supplier is not None):
        raise ValidationError(_("give --supplier NAME (with --line BARCODE:QTY) or --from-suggestions, not both"))
    if from_suggestions and line:
        raise ValidationError(_("--line goes with --supplier, not --from-suggestions"))
    specs = [parse_line(text) for text in line or []]
    current = open_store()
    actor = acting(as_user, password_stdin)
    if supplier is not None:
        order = purchase_orders.create_order(actor, supplier, specs, reference=reference, note=note)
        typer.echo(_("drafted {number} to {supplier}: {lines} lines").format(
            number=order.number, supplier=order.supplier, lines=order.line_count))
        return
    drafted = purchase_orders.draft_from_suggestions(
        actor, default_lead_days=current.get("stock.default_lead_time_days"))
    for order in drafted.orders:
        typer.echo(_("drafted {number} to {supplier}: {lines} lines").format(
            number=order.number, supplier=order.supplier, lines=order.line_count))
    if not drafted.orders:
        typer.echo(_("no order drafted: nothing with a supplier needs ordering"))
    for barcode, name, qty in drafted.unplaced:
        typer.echo(_("no supplier: {barcode} {name} (suggested {qty}); set its supplier or order it by hand").format(
            barcode=barcode, name=name, qty=format_qty(qty)))


@app.command("edit")
def edit(
    number: Annotated[str, typer.Argument(metavar="PO")],
    line: Lines = None,
    remove: Annotated[list[str] | None, typer.Option("--remove", metavar="BARCODE", help=N_("take a line off"))] = None,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set, add or remove lines of a draft."""
    from pos_tui.services import purchase_orders

    specs = [parse_line(text) for text in line or []]
    open_store()
    actor = acting(as_user, password_stdin)
    order = purchase_orders.edit_lines(actor, number, specs, remove=list(remove or []))
    typer.echo(_("saved {number}: {lines} lines").format(number=order.number, lines=order.line_count))


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help=N_("draft, ordered, partial, received or cancelled"))] = None,
    supplier: Annotated[str | None, typer.Option("--supplier")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Orders, newest first."""
    from pos_tui.domain.money import format_money
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import purchase_orders

    current = open_store()
    orders = purchase_orders.list_orders(status=status, supplier=supplier)
    if as_json:
        print_json([order_json(o, _zone(current)) for o in orders])
        return
    for o in orders:
        typer.echo(f"{o.number} {o.created_at.astimezone(_zone(current)):%Y-%m-%d} {o.status:<9} "
                   f"{fit(o.supplier, 24)} " + _("{lines} lines").format(lines=f"{o.line_count:>4}")
                   + f" {format_money(o.total):>10}")


@app.command("show")
def show(number: Annotated[str, typer.Argument(metavar="PO")], as_json: JsonOpt = False) -> None:
    """One order with its lines."""
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import purchase_orders

    current = open_store()
    o = purchase_orders.get_order(number)
    if as_json:
        print_json(order_json(o, _zone(current)))
        return
    typer.echo(_("{number} to {supplier}: {status}, drafted by {user} {time}").format(
        number=o.number, supplier=o.supplier, status=o.status, user=o.created_by,
        time=f"{o.created_at.astimezone(_zone(current)):%Y-%m-%d %H:%M}")
        + (_(", ref {reference}").format(reference=o.reference) if o.reference else ""))
    for l in o.lines:
        typer.echo(f"  {l.barcode:<14} {fit(l.name, 28)} {format_qty(l.qty_received):>7}/{format_qty(l.qty_ordered):<7} "
                   f"x {format_money(l.unit_cost):>8} = {format_money(l.total):>9}")
    typer.echo("  " + _("total {total}").format(total=format_money(o.total)))


@app.command("export")
def export(
    number: Annotated[str, typer.Argument(metavar="PO")],
    file: Annotated[Path | None, typer.Argument(metavar="[FILE]", help=N_("write here instead of stdout"))] = None,
) -> None:
    """The order as CSV for the supplier: their details, then barcode,name,qty,unit_cost,line_total."""
    from pos_tui.services import po_files

    open_store()
    text = po_files.export_csv(number)
    write_output(text, file, number.strip().upper())


@app.command("order")
def order(
    number: Annotated[str, typer.Argument(metavar="PO")],
    reference: Annotated[str | None, typer.Option("--reference", help=N_("e.g. the supplier's order number"))] = None,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Mark a draft as sent to the supplier."""
    from pos_tui.services import purchase_orders

    open_store()
    o = purchase_orders.mark_ordered(acting(as_user, password_stdin), number, reference=reference)
    typer.echo(_("{number} ordered from {supplier}").format(number=o.number, supplier=o.supplier))


@app.command("cancel")
def cancel(number: Annotated[str, typer.Argument(metavar="PO")], as_user: AsUser = None,
           password_stdin: PasswordStdin = False) -> None:
    """Nothing more is expected on this order."""
    from pos_tui.services import purchase_orders

    open_store()
    o = purchase_orders.cancel(acting(as_user, password_stdin), number)
    typer.echo(_("{number} cancelled").format(number=o.number))


@app.command("receive")
def receive(
    number: Annotated[str, typer.Argument(metavar="PO")],
    file: Annotated[Path | None, typer.Argument(metavar="[FILE.csv]", help=N_("barcode,qty per row"))] = None,
    receive_all: Annotated[bool, typer.Option("--all", help=N_("everything still outstanding arrived"))] = False,
    line: Annotated[list[str] | None, typer.Option("--line", metavar="BARCODE:QTY", help=N_("what arrived; repeat"))] = None,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Goods in against an order: stock moves with the PO as reference; more than ordered is refused."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.errors import ValidationError
    from pos_tui.services import purchase_orders

    if sum((receive_all, bool(line), file is not None)) != 1:
        raise ValidationError(
            _("say what arrived: --all, --line BARCODE:QTY (repeatable) or a FILE.csv, one of them"))
    quantities = None
    if line:
        quantities = {}
        for text in line:
            spec = parse_line(text, with_cost=False)
            quantities[spec.barcode] = quantities.get(spec.barcode, 0) + spec.qty
    elif file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(_("cannot read {file}: {why}").format(
                file=file, why=getattr(exc, "strerror", None) or exc)) from None
        from pos_tui.services.po_files import parse_receipt_csv

        quantities = parse_receipt_csv(text)
    open_store()
    o = purchase_orders.receive(acting(as_user, password_stdin), number, quantities, receive_all=receive_all)
    got = sum(l.qty_received for l in o.lines)
    want = sum(l.qty_ordered for l in o.lines)
    typer.echo(_("{number} {status}: {got} of {wanted} received").format(
        number=o.number, status=o.status, got=format_qty(got), wanted=format_qty(want)))
