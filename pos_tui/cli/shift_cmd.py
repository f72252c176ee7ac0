"""`pos shift list|show|report`: the lanes' shifts and their X/Z reports from the shell."""


from typing import Annotated

import typer

from pos_tui.cli.state import open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Shifts: the float, cash in and out, the X and Z reports."), no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]


def _when(value, zone) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def _shift_json(s, zone) -> dict:
    from pos_tui.domain.money import format_money

    money = lambda v: format_money(v) if v is not None else None  # noqa: E731
    return {
        "id": s.id, "lane": s.lane, "number": s.number, "state": "open" if s.is_open else "closed",
        "opened_by": s.opened_by, "opened_at": _when(s.opened_at, zone), "float": money(s.float_amount),
        "float_counts": {format_money(d): n for d, n in s.float_counts},
        "closed_by": s.closed_by or None, "closed_at": _when(s.closed_at, zone), "counted": money(s.counted),
        "counts": {format_money(d): n for d, n in s.counts}, "expected": money(s.expected),
        "over_short": money(s.over_short), "approver": s.approver or None, "note": s.note,
        "batch_totals": {t: format_money(v) for t, v in s.batch_totals},
    }


def _report_json(r, zone) -> dict:
    from pos_tui.domain.money import format_money as m

    return {
        "kind": r.kind, "shift_id": r.shift_id, "lane": r.lane, "number": r.number, "at": _when(r.at, zone),
        "tenders": [{"tender": t.tender, "sales_count": t.sales_count, "sales": m(t.sales),
                     "refunds_count": t.refunds_count, "refunds": m(t.refunds)} for t in r.tenders],
        "sales_count": r.sales_count, "sales": m(r.sales_total), "refunds_count": r.refunds_count,
        "refunds": m(r.refunds_total), "net": m(r.net_total), "discounts_count": r.discounts_count,
        "discounts": m(r.discounts), "voids": r.voids, "no_sales": r.no_sales,
        "cash": {"float": m(r.float_amount), "sales": m(r.cash_sales), "refunds": m(r.cash_refunds),
                 "paid_in": m(r.paid_in), "paid_out": m(r.paid_out), "safe_drops": m(r.safe_drops),
                 "orders": m(r.order_cash), "expected": m(r.expected_cash)},
        "movements": [{"kind": x.kind, "amount": m(x.amount), "reason": x.reason, "note": x.note, "user": x.user,
                       "approver": x.approver or None, "time": _when(x.time, zone)} for x in r.movements],
        "counted": m(r.counted) if r.counted is not None else None,
        "over_short": m(r.over_short) if r.over_short is not None else None,
        "batch": [{"tender": b.tender, "recorded": m(b.recorded),
                   "terminal": m(b.terminal) if b.terminal is not None else None,
                   "difference": m(b.difference) if b.difference is not None else None} for b in r.batch],
    }


def _zone(current):
    from zoneinfo import ZoneInfo

    return ZoneInfo(current.get("store.timezone"))


@app.command("list")
def list_(lane: Annotated[str | None, typer.Option("--lane", help=N_("only this lane's shifts"))] = None,
          as_json: JsonOption = False) -> None:
    """Shifts, newest first."""
    from pos_tui.domain.money import format_money
    from pos_tui.services import shifts

    current = open_store()
    zone = _zone(current)
    found = shifts.list_shifts(lane)
    if as_json:
        print_json([_shift_json(s, zone) for s in found])
        return
    for s in found:
        if s.is_open:
            state = _("open")
        else:
            state = _("closed {time}").format(time=f"{s.closed_at.astimezone(zone):%Y-%m-%d %H:%M}")
        over = "  " + _("over/short {amount}").format(amount=format_money(s.over_short)) if s.over_short is not None else ""
        typer.echo(f"{s.id:>5}  " + _("lane {lane}").format(lane=f"{s.lane:<6}")
                   + f" Z {s.number:<5} {s.opened_at.astimezone(zone):%Y-%m-%d %H:%M} {s.opened_by:<12} {state}{over}")


def _shift_id(text: str) -> int:
    from pos_tui.errors import ValidationError

    if not text.strip().isdigit():
        raise ValidationError(_("shift id {id} must be a number; see `pos shift list`").format(id=repr(text)))
    return int(text.strip())


@app.command("show")
def show(shift_id: Annotated[str, typer.Argument(metavar="ID")], as_json: JsonOption = False) -> None:
    """One shift: the X figures while it is open, the Z figures once closed."""
    from pos_tui.services import shifts
    from pos_tui.services.shift_reports import x_report

    current = open_store()
    zone = _zone(current)
    number = _shift_id(shift_id)
    info = shifts.get_shift(number)
    report = x_report(number)
    if as_json:
        print_json({**_shift_json(info, zone), "report": _report_json(report, zone)})
        return
    typer.echo(shifts.report_text(current, number))


@app.command("report")
def report(shift_id: Annotated[str, typer.Argument(metavar="ID")],
           fmt: Annotated[str, typer.Option("--format", help=N_("text (as printed) or json"))] = "text") -> None:
    """The Z report exactly as stored and printed (an open shift: its X report, marked X)."""
    from pos_tui.errors import ValidationError
    from pos_tui.services import shifts
    from pos_tui.services.shift_reports import x_report

    if fmt not in ("text", "json"):
        raise ValidationError(_("--format must be text or json, not {format}").format(format=repr(fmt)))
    current = open_store()
    number = _shift_id(shift_id)
    text = shifts.report_text(current, number)
    if fmt == "json":
        print_json({**_report_json(x_report(number), _zone(current)), "text": text})
        return
    typer.echo(text)
