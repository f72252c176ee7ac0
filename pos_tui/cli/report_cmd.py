"""`pos report sales|turnover|customers|costs --from DATE --to DATE`: the owner's reports.

Periods are half-open, in the shop's time zone: --from 2026-11-01 --to 2026-12-01
is November. Tables for people; CSV and JSON (money as decimal strings) for the accountant.
"""


from typing import Annotated, Any

import typer

from pos_tui.cli.state import open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Sales, turnover, customer and cost reports (needs report.view)."), no_args_is_help=True)

From = Annotated[str, typer.Option("--from", metavar="DATE", help=N_("first day, YYYY-MM-DD (shop time)"))]
To = Annotated[str, typer.Option("--to", metavar="DATE", help=N_("day after the last, YYYY-MM-DD (not included)"))]
Format = Annotated[str, typer.Option("--format", metavar="FORMAT", help=N_("table, csv or json"))]
Category = Annotated[str | None, typer.Option("--category", metavar="NAME", help=N_("only this category and its subcategories"))]
AsJson = Annotated[bool, typer.Option("--json", help=N_("print JSON (the same as --format json)"))]
Top = Annotated[int, typer.Option("--top", metavar="N", help=N_("per product: the first N rows, the rest as one"))]
Every = Annotated[bool, typer.Option("--all", help=N_("per product: every product's row (for an export)"))]
FORMATS = ("table", "csv", "json")


def _cell(value: Any, kind: str, *, text: bool) -> Any:
    """A value as shown (the Reports screen's export rules); in JSON, None stays null and counts stay numbers."""
    from decimal import Decimal

    from pos_tui.services.report_export import cell

    if not text and (value is None or (kind not in ("money", "qty") and not isinstance(value, Decimal))):
        return value
    return cell(value, kind)


def _kinds(report: Any) -> dict[str, str]:
    return {c.key: c.kind for c in report.columns}


def _totals(totals: Any, *, text: bool) -> dict[str, Any]:
    from pos_tui.services.report_export import total_kind

    return {k: _cell(v, total_kind(k), text=text)
            for k, v in totals.items() if k != "label"}


def _as_json(report: Any) -> dict[str, Any]:
    kinds = _kinds(report)
    data: dict[str, Any] = {
        "report": report.name, "from": report.period.start.isoformat(), "to": report.period.end.isoformat(),
        "by": report.by,
        "rows": [{"key": r["key"], **{c: _cell(r.get(c), kinds[c], text=False) for c in kinds}} for r in report.rows],
        "totals": _totals(report.totals, text=False),
    }
    if report.previous is not None:
        previous = report.period.previous()
        data["previous"] = {"from": previous.start.isoformat(), "to": previous.end.isoformat(),
                            **_totals(report.previous, text=False)}
    for name, section in report.sections.items():
        data[name] = _as_json(section)
        for key in ("report", "from", "to", "by"):
            data[name].pop(key)
    data["notes"] = list(report.notes)
    return data


def _table(report: Any, title: str) -> list[str]:
    """Columns measured in terminal columns, so Chinese titles and product names line up."""
    from pos_tui.hardware.text_width import display_width, pad_left, pad_right, truncate

    kinds = _kinds(report)
    head = [_(c.title) for c in report.columns]  # the report's titles are marked N_() where they are defined
    body = [[_cell(r.get(c.key), c.kind, text=True) for c in report.columns] for r in report.rows]
    widths = [max([display_width(h)] + [display_width(str(row[i])) for row in body]) for i, h in enumerate(head)]
    widths[0] = min(widths[0], 40)
    numeric = [kinds[c.key] != "text" for c in report.columns]

    def line(cells: list[Any]) -> str:
        out = []
        for i, cell in enumerate(cells):
            text = truncate(str(cell), widths[i]) if i == 0 else str(cell)
            out.append(pad_left(text, widths[i]) if numeric[i] else pad_right(text, widths[i]))
        return "  ".join(out).rstrip()

    lines = [title, line(head), line(["-" * w for w in widths])] + [line(row) for row in body]
    if not body:
        lines.append(_("(nothing in this period)"))
    return lines


def _print(report: Any, fmt: str) -> None:
    if fmt == "json":
        print_json(_as_json(report))
        return
    if fmt == "csv":
        import csv
        import sys

        kinds = _kinds(report)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.key for c in report.columns])
        for r in report.rows:
            writer.writerow([_cell(r.get(c), kinds[c], text=True) for c in kinds])
        return
    title = _("{report} by {by}, {period}").format(report=report.name, by=report.by, period=report.period.label())
    for text in _table(report, title):
        typer.echo(text)
    typer.echo("")
    typer.echo(_("totals: {totals}").format(
        totals=", ".join(f"{k} {v}" for k, v in _totals(report.totals, text=True).items())))
    if report.previous is not None:
        previous = report.period.previous()
        typer.echo(_("previous ({start} to {end}): {totals}").format(
            start=previous.start, end=previous.end,
            totals=", ".join(f"{k} {v}" for k, v in _totals(report.previous, text=True).items())))
    for name, section in report.sections.items():
        typer.echo("")
        for text in _table(section, name.replace("_", " ")):
            typer.echo(text)
    for note in report.notes:
        typer.echo(_("note: {note}").format(note=note))


def _announce_rebuild() -> None:
    """A rebuild of the roll-ups takes a while on a big store: say so on stderr, not silently."""
    from pos_tui.services.reports import rollups
    from pos_tui.services.reports.common import shop_zone

    if rollups.needs_rebuild(shop_zone()):
        typer.echo(_("note: building the report roll-ups from every sale (once; about a minute per million lines)"),
                   err=True)


def _run(kind: str, start: str, end: str, fmt: str, **options: Any) -> None:
    from pos_tui.errors import ValidationError
    from pos_tui.services.context import Actor
    from pos_tui.services.reports import costs, customers, sales, turnover
    from pos_tui.services.reports.periods import make_period

    if fmt not in FORMATS:
        raise ValidationError(_("--format {format} is not one of {formats}").format(
            format=repr(fmt), formats=", ".join(FORMATS)))
    period = make_period(start, end)
    open_store()
    actor = Actor.cli()
    _announce_rebuild()
    if kind == "sales":
        report = sales.sales_report(actor, period, **options)
    elif kind == "turnover":
        report = turnover.turnover_report(actor, period, **options)
    elif kind == "customers":
        report = customers.customers_report(actor, period, **options)
    else:
        report = costs.costs_report(actor, period, **options)
    _print(report, fmt)


@app.command("sales")
def sales_(
    start: From, end: To,
    by: Annotated[str, typer.Option("--by", metavar="BY", help=N_("day, week, month, hour, weekday, category, product, cashier, lane or tender"))] = "day",
    category: Category = None, top: Top = 100, every: Every = False, fmt: Format = "table", as_json: AsJson = False,
) -> None:
    """Sales by day, week, month, hour, weekday, category, product, cashier, lane or tender; refunds subtracted, voids and training left out."""
    _run("sales", start, end, "json" if as_json else fmt, by=by, category=category, top=None if every else top)


@app.command("turnover")
def turnover_(
    start: From, end: To,
    by: Annotated[str, typer.Option("--by", metavar="BY", help=N_("product or category"))] = "product",
    category: Category = None,
    dead_days: Annotated[int, typer.Option("--dead-days", metavar="N", help=N_("dead stock: no sale in N days"))] = 90,
    top: Top = 100, every: Every = False, fmt: Format = "table", as_json: AsJson = False,
) -> None:
    """COGS / average stock value, days of inventory, sell-through; slow movers and dead stock.

    Per product, rows and lists stop at the first --top products (100) by COGS or stock value, the rest summed
    in one "(N other products)" row; totals count every product. --all lists every one.
    """
    _run("turnover", start, end, "json" if as_json else fmt, by=by, category=category, dead_days=dead_days,
         top=None if every else top)


@app.command("customers")
def customers_(
    start: From, end: To,
    top: Annotated[int, typer.Option("--top", metavar="N", help=N_("how many top customers to list"))] = 20,
    fmt: Format = "table", as_json: AsJson = False,
) -> None:
    """New and returning customers, repeat rate, frequency, top customers, RFM segments, pairs bought together.

    RFM scores 1-5 at the period's end. R, days since the last purchase: <=7 5, <=30 4, <=90 3,
    <=180 2, else 1. F, purchases: >=20 5, >=10 4, >=5 3, >=2 2, else 1. M, net spend: >=1000.00 5,
    >=500.00 4, >=200.00 3, >=50.00 2, else 1.
    """
    _run("customers", start, end, "json" if as_json else fmt, top=top)


@app.command("costs")
def costs_(
    start: From, end: To,
    by: Annotated[str, typer.Option("--by", metavar="BY", help=N_("category or product"))] = "category",
    category: Category = None, top: Top = 100, every: Every = False, fmt: Format = "table", as_json: AsJson = False,
) -> None:
    """Gross margin by category or product, COGS, discounts, shrinkage, shipping costs, cash over/short."""
    _run("costs", start, end, "json" if as_json else fmt, by=by, category=category, top=None if every else top)


@app.command("rebuild")
def rebuild() -> None:
    """Rebuild the report roll-ups from the raw sales. Each sale keeps them current; a rebuild holds
    the database's write lock (about a minute per million lines), so run it after hours."""
    import time

    from pos_tui.services.context import Actor
    from pos_tui.services.reports import rollups
    from pos_tui.services.reports.common import shop_zone

    open_store()
    start = time.perf_counter()
    if rollups.rebuild_for(Actor.cli(), shop_zone()):
        typer.echo(_("report roll-ups rebuilt in {seconds} s").format(seconds=f"{time.perf_counter() - start:.1f}"))
    else:
        typer.echo(_("this database has no roll-ups (PostgreSQL sums the raw sales); nothing to rebuild"))
