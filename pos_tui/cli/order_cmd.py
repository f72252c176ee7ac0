"""`pos order list|show|create|submit|approve|reject|pack|ship|deliver|cancel|return|slip|track-import`."""


from pathlib import Path
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Delivery and pickup orders: take them, review them, ship them, track them."),
                  no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
Number = Annotated[str, typer.Argument(metavar="NUMBER", help=N_("order number, like ORD-000012 (or 12)"))]
Note = Annotated[str, typer.Option("--note", help=N_("why, for the order's timeline"))]


def _zone(current):
    from zoneinfo import ZoneInfo

    return ZoneInfo(current.get("store.timezone"))


def _when(value, zone) -> str | None:
    return value.astimezone(zone).isoformat(timespec="seconds") if value is not None else None


def order_json(o, zone) -> dict:
    """An order as JSON: money as decimal strings, times in the shop's zone."""
    from pos_tui.domain.money import format_money as m
    from pos_tui.domain.quantity import format_qty

    return {
        "number": o.number, "status": o.status, "late": o.late, "customer": o.customer or None,
        "fulfilment": o.fulfilment, "payment": o.payment, "subtotal": m(o.subtotal), "discount": m(o.discount),
        "tax": m(o.tax), "total": m(o.total), "paid": m(o.paid), "balance": m(o.balance),
        "review_rule": o.review_rule, "reviewed_by": o.reviewed_by or None, "review_note": o.review_note,
        "recipient": o.recipient, "phone": o.recipient_phone, "address": o.address, "carrier": o.carrier or None,
        "service": o.service or None, "tracking_number": o.tracking_number or None,
        "expected_date": o.expected_date.isoformat() if o.expected_date else None,
        "shipping_cost": m(o.shipping_cost), "note": o.note, "lane": o.lane, "created_by": o.created_by,
        "created_at": _when(o.created_at, zone), "updated_at": _when(o.updated_at, zone),
        "shipped_at": _when(o.shipped_at, zone), "delivered_at": _when(o.delivered_at, zone),
        "lines": [{"barcode": l.barcode, "name": l.name, "qty": format_qty(l.qty), "unit_price": m(l.unit_price),
                   "discount": m(l.discount), "tax_rate": l.tax_rate, "tax": m(l.tax), "total": m(l.total)}
                  for l in o.lines],
        "payments": [{"time": _when(p.time, zone), "tender": p.tender, "amount": m(p.amount),
                      "tendered": m(p.tendered), "change": m(p.change), "shift": p.shift_id, "user": p.username}
                     for p in o.payments],
        "timeline": [{"time": _when(e.time, zone), "from": e.status_from or None, "to": e.status_to,
                      "user": e.username, "os_user": e.os_user, "note": e.note, "source": e.source}
                     for e in o.events],
    }


def _summary(o) -> str:
    from pos_tui.domain.money import format_money

    why = f" ({o.review_rule})" if o.status in ("approved", "pending_review") and o.review_rule else ""
    owed = _(", {amount} still owed").format(amount=format_money(o.balance)) if o.balance > 0 else ""
    return _("{number} {status}{why}: total {total}, paid {paid}{owed}").format(
        number=o.number, status=o.status, why=why, total=format_money(o.total), paid=format_money(o.paid), owed=owed)


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", metavar="S", help=N_("only orders in this status"))] = None,
    late: Annotated[bool, typer.Option("--late", help=N_("only late orders"))] = False,
    as_json: JsonOption = False,
) -> None:
    """Orders, late first then newest, with the count of each status."""
    from pos_tui.domain.money import format_money
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import orders

    current = open_store()
    zone = _zone(current)
    found = orders.list_orders(status.strip().lower().replace(" ", "_") if status else None, late=late)
    if as_json:
        print_json({"counts": found.counts, "late": found.late, "orders": [order_json(o, zone) for o in found.orders]})
        return
    counts = "  ".join(f"{name} {n}" for name, n in found.counts.items() if n)
    typer.echo(_("{counts}  late {late}").format(counts=counts or _("no orders"), late=found.late))
    for o in found.orders:
        flag = _("LATE") + " " if o.late else ""
        expected = o.expected_date.isoformat() if o.expected_date else "-"
        typer.echo(f"{o.number}  {flag}{o.status:<14} {o.created_at.astimezone(zone):%Y-%m-%d %H:%M}  "
                   f"{fit(o.customer or o.recipient or '-', 20)} {o.fulfilment:<8} {format_money(o.total):>10}  "
                   + _("expected {date}").format(date=expected))


@app.command("show")
def show(number: Number, as_json: JsonOption = False) -> None:
    """One order with its lines, payments and timeline."""
    from pos_tui.hardware.text_width import fit, pad_right
    from pos_tui.services import orders

    current = open_store()
    zone = _zone(current)
    o = orders.get_order(number)
    data = order_json(o, zone)
    if as_json:
        print_json(data)
        return
    late = "  " + _("LATE") if o.late else ""
    typer.echo(f"{o.number}  {o.status}{late}  {o.fulfilment}, {o.payment}  "
               + _("customer {customer}").format(customer=o.customer or "-"))
    if o.fulfilment == "delivery":
        typer.echo("  " + _("to {recipient}, {phone}: {address}").format(
            recipient=o.recipient, phone=o.recipient_phone, address=o.address.replace(chr(10), ", ")))
    if o.carrier:
        typer.echo("  " + _("{carrier} {service} tracking {tracking}, expected {expected}, shipping {cost}").format(
            carrier=o.carrier, service=o.service, tracking=o.tracking_number,
            expected=data["expected_date"] or "-", cost=data["shipping_cost"]))
    if o.review_rule:
        reviewed = _("; reviewed by {user}: {note}").format(user=o.reviewed_by, note=o.review_note) if o.reviewed_by else ""
        typer.echo("  " + _("review: {rule}{reviewed}").format(rule=o.review_rule, reviewed=reviewed))
    for line in data["lines"]:
        typer.echo(f"  {line['qty']:>7} x {fit(line['name'], 36)} {line['unit_price']:>9} {line['total']:>10}")
    typer.echo(f"  {pad_right(_('TOTAL'), 56)}{data['total']:>10}")
    typer.echo(f"  {pad_right(_('paid'), 56)}{data['paid']:>10}")
    if o.balance:
        typer.echo(f"  {pad_right(_('still owed'), 56)}{data['balance']:>10}")
    typer.echo(_("timeline:"))
    for e in data["timeline"]:
        step = f"{e['from']} -> {e['to']}" if e["from"] and e["from"] != e["to"] else e["to"]
        note = f"  {e['note']}" if e["note"] else ""
        typer.echo(f"  {e['time'][:16].replace('T', ' ')}  {step:<28} {e['user']:<12} {e['source']:<12}{note}")


def _lines(specs: list[str]):
    from pos_tui.domain.quantity import parse_qty
    from pos_tui.errors import ValidationError

    if not specs:
        raise ValidationError(_("an order needs at least one --line BARCODE:QTY"))
    out = []
    for spec in specs:
        code, sep, qty = spec.partition(":")
        if not code.strip():
            raise ValidationError(_("--line {spec} must look like BARCODE:QTY, like 5000000000014:2").format(
                spec=repr(spec)))
        what = _("quantity of {barcode}").format(barcode=code.strip())
        out.append((code.strip(), parse_qty(qty, what=what) if sep else parse_qty("1")))
    return out


@app.command("create")
def create(
    lines: Annotated[list[str], typer.Option("--line", metavar="BARCODE:QTY", help=N_("a product and how many (repeat)"))] = [],  # noqa: B006
    customer: Annotated[str | None, typer.Option("--customer", metavar="C", help=N_("loyalty code, phone or name"))] = None,
    pickup: Annotated[bool, typer.Option("--pickup", help=N_("collected at the shop, not delivered"))] = False,
    payment: Annotated[str, typer.Option("--payment", help=N_("paid, deposit or on_delivery"))] = "paid",
    deposit: Annotated[str | None, typer.Option("--deposit", metavar="AMOUNT", help=N_("with --payment deposit"))] = None,
    tender: Annotated[str, typer.Option("--tender", help=N_("how the money now is paid: cash or card"))] = "cash",
    address: Annotated[str, typer.Option("--address", help=N_("delivery address (default: the customer's)"))] = "",
    recipient: Annotated[str, typer.Option("--recipient", help=N_("who receives it (default: the customer)"))] = "",
    phone: Annotated[str, typer.Option("--phone", help=N_("recipient's phone (default: the customer's)"))] = "",
    expected: Annotated[str | None, typer.Option("--expected", metavar="DATE", help=N_("expected delivery, YYYY-MM-DD"))] = None,
    note: Annotated[str, typer.Option("--note", help=N_("a note on the order"))] = "",
    draft: Annotated[bool, typer.Option("--draft", help=N_("keep it a draft (submit it later)"))] = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Take an order: money due now goes into this lane's open shift; then review approves it or holds it."""
    from pos_tui.cli.state import parse_day
    from pos_tui.domain.money import parse_money
    from pos_tui.services import orders

    current = open_store()
    actor = acting(as_user, password_stdin)
    parsed = _lines(lines)
    customer_id = orders.resolve_customer(customer) if customer else None
    cart = orders.cart_from_lines(current, parsed)
    made = orders.create_order(
        actor, current, cart, customer_id=customer_id, fulfilment="pickup" if pickup else "delivery",
        payment=payment.strip().lower(), deposit=parse_money(deposit, what="--deposit") if deposit is not None else None,
        tender=tender.strip().lower(), delivery=orders.Delivery(recipient, phone, address.replace("\\n", "\n")),
        expected_date=parse_day(expected, "--expected") if expected else None, note=note, submit=not draft,
    )
    typer.echo(_summary(made))


def _write(fn_name: str, number: str, as_user, password_stdin, **kwargs) -> None:
    from pos_tui.services import orders

    current = open_store()
    actor = acting(as_user, password_stdin)
    typer.echo(_summary(getattr(orders, fn_name)(actor, current, number, **kwargs)))


@app.command("submit")
def submit(number: Number, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Put a draft through review."""
    _write("submit_order", number, as_user, password_stdin)


@app.command("approve")
def approve(number: Number, note: Annotated[str, typer.Option("--note", help=N_("why (required)"))] = "",
            as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Approve an order waiting for review (needs order.approve); its stock is reserved."""
    _write("approve", number, as_user, password_stdin, note=note)


@app.command("reject")
def reject(number: Number, note: Annotated[str, typer.Option("--note", help=N_("why (required)"))] = "",
           as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Turn down an order waiting for review (needs order.approve); any money taken is given back."""
    _write("reject", number, as_user, password_stdin, note=note)


@app.command("pack")
def pack(number: Number, note: Note = "", as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Mark an approved order packed."""
    _write("pack", number, as_user, password_stdin, note=note)


@app.command("ship")
def ship(
    number: Number,
    carrier: Annotated[str, typer.Option("--carrier", help=N_("one of orders.carriers"))],
    tracking: Annotated[str, typer.Option("--tracking", help=N_("the carrier's tracking number"))],
    service: Annotated[str, typer.Option("--service", help=N_("the carrier's service, like next-day"))] = "",
    expected: Annotated[str | None, typer.Option("--expected", metavar="DATE", help=N_("expected delivery, YYYY-MM-DD"))] = None,
    cost: Annotated[str, typer.Option("--cost", metavar="AMOUNT", help=N_("what shipping cost the shop"))] = "0",
    note: Note = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Hand a packed order to a carrier (needs order.approve); its stock leaves now."""
    from pos_tui.cli.state import parse_day
    from pos_tui.domain.money import parse_money

    _write("ship", number, as_user, password_stdin, carrier=carrier, tracking=tracking, service=service,
           expected=parse_day(expected, "--expected") if expected else None,
           cost=parse_money(cost, what="--cost"), note=note)


@app.command("deliver")
def deliver(
    number: Number,
    tender: Annotated[str | None, typer.Option("--tender", help=N_("take what is still owed: cash or card"))] = None,
    note: Note = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """A delivery arrived or a pickup was collected; with --tender the balance is taken now."""
    _write("deliver", number, as_user, password_stdin, tender=tender.strip().lower() if tender else None, note=note)


@app.command("cancel")
def cancel(number: Number, note: Note = "", as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Cancel an order not yet shipped: stock released, money given back in this lane's shift."""
    _write("cancel", number, as_user, password_stdin, note=note)


@app.command("return")
def return_(number: Number, note: Note = "", as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """The goods came back (needs order.approve): they are restocked."""
    _write("return_order", number, as_user, password_stdin, note=note)


@app.command("slip")
def slip(number: Number, lane: Annotated[str | None, typer.Option("--lane", help=N_("the lane whose printer prints it"))] = None,
         as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Queue the order's packing slip on the lane's receipt printer (`pos print drain` prints it)."""
    from pos_tui.services.packing_slip import print_slip

    current = open_store()
    actor = acting(as_user, password_stdin)
    job = print_slip(actor, current, number, lane=lane)
    typer.echo(_("packing slip for {order} queued on lane {lane} (job {job})").format(
        order=job.receipt_no, lane=job.lane, job=job.id))


@app.command("track-import")
def track_import(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=N_("tracking_number,status,time,note"))],
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Apply a carrier's tracking file, all or nothing: one bad line changes nothing."""
    from pos_tui.services.csv_rows import read_csv
    from pos_tui.services.tracking_import import import_tracking

    current = open_store()
    actor = acting(as_user, password_stdin)
    result = import_tracking(actor, current, read_csv(file), source_name=file.name)
    typer.echo(_("{changes} status changes and {notes} tracking notes on {orders} orders").format(
        changes=result.changed, notes=result.notes, orders=len(result.orders)))
