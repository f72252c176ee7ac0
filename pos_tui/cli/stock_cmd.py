"""`pos stock receive|adjust|count|low|history`."""


from pathlib import Path
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Stock: receive deliveries, adjust, count, list low stock, show history."),
                  no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
DryRun = Annotated[bool, typer.Option("--dry-run", help=N_("check the file and show what would change; change nothing"))]


def _qty(text: str, what: str):
    from pos_tui.domain.quantity import parse_qty

    return parse_qty(text, allow_negative=True, what=what)


@app.command("receive")
def receive(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=N_("UTF-8 CSV with barcode,qty[,unit_cost]"))],
    reference: Annotated[str, typer.Option("--reference", metavar="REF", help=N_("the delivery note or invoice number"))],
    supplier: Annotated[str, typer.Option("--supplier", metavar="NAME", help=N_("a supplier from `pos supplier list`"))] = "",
    keep_cost: Annotated[bool, typer.Option("--keep-cost", help=N_("do not copy unit costs onto the products"))] = False,
    dry_run: DryRun = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Receive a delivery, all or nothing: one bad row receives nothing."""
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import stock
    from pos_tui.services.permissions import require
    from pos_tui.services.csv_rows import read_csv

    open_store()
    actor = acting(as_user, password_stdin)
    require(actor, "stock.adjust")  # before reading the file
    stock.check_reference(reference)
    stock.supplier_name(supplier)
    lines = stock.parse_receipt(read_csv(file))
    result = stock.receive(actor, lines, supplier=supplier, reference=reference, update_cost=not keep_cost,
                           dry_run=dry_run)
    from pos_tui.hardware.text_width import fit

    for line in result.lines:
        cost = format_money(line.unit_cost) if line.unit_cost is not None else "-"
        typer.echo(f"{line.barcode:<14} {fit(line.name, 32)} +{format_qty(line.qty):>8} @ {cost:>8}  "
                   + _("stock {qty}").format(qty=format_qty(line.stock_after)))
    if dry_run:
        done = _("would receive {lines} lines, {units} units, {value} at cost, as {reference}{source}")
    else:
        done = _("received {lines} lines, {units} units, {value} at cost, as {reference}{source}")
    source = _(" from {supplier}").format(supplier=result.supplier) if result.supplier else ""
    typer.echo(done.format(lines=len(result.lines), units=format_qty(result.units), value=format_money(result.value),
                           reference=result.reference, source=source))


# A negative DELTA (-2) must reach the argument, not be taken for an unknown option.
@app.command("adjust", context_settings={"ignore_unknown_options": True})
def adjust(
    barcode: Annotated[str, typer.Argument(help=N_("the product's barcode"))],
    delta: Annotated[str, typer.Argument(metavar="DELTA", help=N_("change in stock, like -2 or 3 (weights: -0.250)"))],
    reason: Annotated[str, typer.Option("--reason", metavar="R", help=N_("damage, theft, expiry, own_use, correction or found"))],
    note: Annotated[str, typer.Option("--note", help=N_("a short note kept as the move's reference"))] = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Change one product's stock with a reason (the change is audited)."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import stock

    open_store()
    actor = acting(as_user, password_stdin)
    stock.check_reason(reason)
    result = stock.adjust(actor, barcode, _qty(delta, "DELTA"), reason, note)
    product = stock.find_product(barcode)
    sign = "+" if result.delta > 0 else ""
    typer.echo(_("{name}: {delta} ({reason}), stock now {stock}").format(
        name=product.name, delta=sign + format_qty(result.delta), reason=result.reason,
        stock=format_qty(result.stock_after)))


@app.command("count")
def count(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=N_("UTF-8 CSV with barcode,counted"))],
    reason: Annotated[str, typer.Option("--reason", help=N_("the reason the moves carry"))] = "stocktake",
    dry_run: DryRun = False,
    as_json: AsJson = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Apply a count sheet as a stocktake: every variance becomes a move; products not in the file stay as they are."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import stocktake
    from pos_tui.services.permissions import require
    from pos_tui.services.csv_rows import read_csv

    open_store()
    actor = acting(as_user, password_stdin)
    require(actor, "stock.adjust")
    stocktake.check_reason(reason)
    rows = stocktake.parse_counts(read_csv(file))
    result, applied = stocktake.count_file(actor, rows, reason=reason, dry_run=dry_run, source=file.name)
    if as_json:
        print_json({
            "stocktake": applied.stocktake.name if applied else None,
            "dry_run": dry_run,
            "lines": [{"barcode": v.barcode, "name": v.name, "on_hand": format_qty(v.on_hand),
                       "counted": format_qty(v.counted), "variance": format_qty(v.variance)} for v in result.lines],
        })
        return
    from pos_tui.hardware.text_width import fit

    for v in result.changed:
        sign = "+" if v.variance > 0 else ""
        typer.echo(f"{v.barcode:<14} {fit(v.name, 32)} " + _("on hand {on_hand} counted {counted} {variance}").format(
            on_hand=f"{format_qty(v.on_hand):>8}", counted=f"{format_qty(v.counted):>8}",
            variance=sign + format_qty(v.variance)))
    same = len(result.lines) - len(result.changed)
    if applied is None:
        typer.echo(_("would apply {n} variances ({same} counts match); nothing changed").format(
            n=len(result.changed), same=same))
    else:
        typer.echo(_("applied {stocktake}: {moves} moves ({same} counts match)").format(
            stocktake=applied.stocktake.name, moves=applied.moves, same=same))


@app.command("low")
def low(as_json: AsJson = False) -> None:
    """Listed products at or below their reorder level."""
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import stock

    open_store()
    items = stock.low_stock()
    if as_json:
        print_json([{"barcode": i.barcode, "name": i.name, "category": i.category, "stock": format_qty(i.stock),
                     "reorder_level": format_qty(i.reorder_level), "unit": i.unit} for i in items])
        return
    if not items:
        typer.echo(_("no product is at or below its reorder level"))
        return
    from pos_tui.hardware.text_width import fit

    for i in items:
        typer.echo(f"{i.barcode:<14} {fit(i.name, 36)} " + _("stock {stock}  reorder at {level}").format(
            stock=f"{format_qty(i.stock):>8}", level=format_qty(i.reorder_level)))


@app.command("history")
def history(
    barcode: Annotated[str, typer.Argument(help=N_("the product's barcode"))],
    limit: Annotated[int, typer.Option("--limit", min=1, help=N_("moves to show, newest first"))] = 50,
    before: Annotated[int | None, typer.Option("--before", metavar="ID", help=N_("only moves older than this move id"))] = None,
    as_json: AsJson = False,
) -> None:
    """A product's stock moves, newest first, with the stock after each."""
    from zoneinfo import ZoneInfo

    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import stock

    current = open_store()
    moves = stock.history(barcode, limit=limit, before=before)
    if as_json:
        print_json([{"id": m.id, "time": m.time, "delta": format_qty(m.delta), "reason": m.reason,
                     "reference": m.reference, "user": m.user, "stock_after": format_qty(m.stock_after)} for m in moves])
        return
    from pos_tui.hardware.text_width import fit

    zone = ZoneInfo(current.get("store.timezone"))
    for m in moves:
        sign = "+" if m.delta > 0 else ""
        typer.echo(f"{m.id:>7} {m.time.astimezone(zone):%Y-%m-%d %H:%M} {sign + format_qty(m.delta):>9} "
                   f"{m.reason:<10} {fit(m.reference, 20)} {fit(m.user, 12)} "
                   + _("stock {qty}").format(qty=format_qty(m.stock_after)))
