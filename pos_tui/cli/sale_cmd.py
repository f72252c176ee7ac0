"""`pos sale list|show`."""


from typing import Annotated

import typer

from pos_tui.cli.state import open_store, parse_day, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Sales rung up at the till."), no_args_is_help=True)


@app.command("list")
def list_(
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help=N_("from this day on (YYYY-MM-DD, shop time)"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False,
) -> None:
    """Sales, oldest first."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from pos_tui.cli.serialize import sale_json
    from pos_tui.domain.money import format_money
    from pos_tui.services import sales

    current = open_store()
    zone = ZoneInfo(current.get("store.timezone"))
    start = datetime.combine(parse_day(since, "--since"), time.min, tzinfo=zone) if since is not None else None
    found = sales.list_sales(start, with_details=as_json)
    if as_json:
        print_json([sale_json(s, zone) for s in found])
        return
    for s in found:
        flags = " " + _("TRAINING") if s.training else ""
        flags += " " + _("of {receipt}").format(receipt=s.original) if s.original else ""
        typer.echo(f"{s.receipt_no:<12} {s.time.astimezone(zone):%Y-%m-%d %H:%M} {s.cashier:<12} "
                   f"{format_money(s.total):>10} {s.status}{flags}")


@app.command("show")
def show(receipt_no: str, as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """One sale with its lines and tenders."""
    from zoneinfo import ZoneInfo

    from pos_tui.cli.serialize import sale_json
    from pos_tui.hardware.text_width import fit, pad_right
    from pos_tui.services import sales

    current = open_store()
    data = sale_json(sales.get_sale(receipt_no), ZoneInfo(current.get("store.timezone")))
    if as_json:
        print_json(data)
        return
    typer.echo(_("receipt {receipt}  {time}  cashier {cashier}  {status}").format(
        receipt=data["receipt_no"], time=data["time"], cashier=data["cashier"], status=data["status"]))
    for line in data["lines"]:
        typer.echo(f"  {line['qty']:>7} x {fit(line['name'], 36)} {line['unit_price']:>9} {line['total']:>10}")
    typer.echo(f"  {pad_right(_('subtotal'), 56)}{data['subtotal']:>10}")
    typer.echo(f"  {pad_right(_('tax'), 56)}{data['tax']:>10}")
    typer.echo(f"  {pad_right(_('TOTAL'), 56)}{data['total']:>10}")
    for tender in data["tenders"]:
        typer.echo(f"  {tender['tender']:<20} " + _("tendered {tendered}  change {change}").format(
            tendered=f"{tender['tendered']:>10}", change=f"{tender['change']:>8}"))
