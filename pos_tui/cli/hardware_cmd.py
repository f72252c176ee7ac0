"""`pos hardware list|detect|test printer|drawer|scanner`: check the shop's devices from a shell."""


import sys
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json, settings
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("The receipt printer, cash drawer and scanner: status, detection, tests."),
                  no_args_is_help=True)
test_app = typer.Typer(help=N_("Try a device: a test page, a drawer kick, test scans."), no_args_is_help=True)
app.add_typer(test_app, name="test")

JsonOpt = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """The configured devices and their live status (each asked with a short timeout)."""
    from pos_tui.services.hardware_check import device_reports

    reports = device_reports(settings())
    if as_json:
        print_json({"devices": [r.as_dict() for r in reports]})
        return
    for report in reports:
        where = f" ({report.where})" if report.where else ""
        if report.device == "scanner":
            typer.echo(f"{report.device:8} {report.type}{where}")
            continue
        if report.error:
            state = _("fault: {error}").format(error=report.error)
        elif report.status is None:
            state = _("not configured") if report.type == "none" else _("no status (the device cannot tell)")
        else:
            state = ", ".join(f"{k} {_show(v)}" for k, v in report.status.items())
        typer.echo(f"{report.device:8} {report.type}{where}: {state}")


@app.command("detect")
def detect(
    as_json: JsonOpt = False,
    dev_root: Annotated[str, typer.Option("--dev-root", hidden=True)] = "/dev",
    sys_root: Annotated[str, typer.Option("--sys-root", hidden=True)] = "/sys",
) -> None:
    """Serial ports, USB printer files and USB printers a device could be on, and access problems."""
    from pos_tui.services.hardware_check import detect_devices

    found, notes = detect_devices(dev_root, sys_root)
    if as_json:
        print_json({"candidates": found, "notes": notes})
        return
    if not found:
        typer.echo(_("no serial ports or printer devices found"))
    for item in found:
        problem = f"  ({item['problem']})" if item["problem"] else ""
        typer.echo(f"{item['path']:16} {item['description']}{problem}")
    for note in notes:
        typer.echo(_("note: {note}").format(note=note))


@test_app.command("printer")
def test_printer(as_json: JsonOpt = False) -> None:
    """Print a test page: a column ruler, a CJK line, a CODE128 barcode and a cut."""
    from pos_tui.services.hardware_check import print_test_page

    result = print_test_page(settings())
    if as_json:
        print_json(result)
        return
    status = result["status"]
    typer.echo(_("test page printed") + (_("; paper {paper}").format(paper=status["paper"]) if status else ""))


@test_app.command("drawer")
def test_drawer(as_json: JsonOpt = False, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Kick the drawer, with its sensor read before and after (audited as drawer.open, reason test)."""
    from pos_tui.services.hardware_check import try_drawer

    current = open_store()
    actor = acting(as_user, password_stdin)
    result = try_drawer(actor, current)
    if as_json:
        print_json(result.as_dict())
        return
    typer.echo(_("drawer {outcome} (open before: {before}, after: {after})").format(
        outcome=result.outcome, before=_show(result.opened_before), after=_show(result.opened_after)))


@test_app.command("scanner")
def test_scanner(
    as_json: JsonOpt = False,
    wait: Annotated[float, typer.Option("--wait", help=N_("serial scanner: stop after this many seconds without a scan"))] = 10.0,
) -> None:
    """Scan codes until a blank line or Ctrl+D: the suffix seen, key timing and check digits of each."""
    from pos_tui.services.hardware_check import scan_report

    current = settings()
    reports = []
    for raw, suffix, times in _scans(current, wait):
        report = scan_report(current, raw, suffix, times)
        reports.append(report.as_dict())
        if not as_json:
            typer.echo(_scan_line(report.as_dict(), str(current.get("scanner.suffix"))))
    if as_json:
        print_json({"scans": reports, "expected_suffix": current.get("scanner.suffix")})
    elif not reports:
        typer.echo(_("no scans"))


def _scans(current, wait: float):  # type: ignore[no-untyped-def]
    """(text, suffix, key times) per scan, from a serial scanner, a terminal or a pipe."""
    if current.get("scanner.type") == "serial":
        from pos_tui.hardware.devices import make_scanner

        scanner = make_scanner(current)
        try:
            while (code := scanner.read_code(wait)) is not None:
                yield code, "enter", None
        finally:
            scanner.close()
        return
    if sys.stdin.isatty():
        yield from _tty_scans()
        return
    for line in sys.stdin:
        body = line.rstrip("\n").rstrip("\r")
        suffix = "enter" if line.endswith("\n") else "none"
        if "\t" in body:
            body, suffix = body.split("\t", 1)[0], "tab"
        if not body.strip():
            return
        yield body, suffix, None


def _tty_scans():  # type: ignore[no-untyped-def]
    """Keys one at a time with their times, so a scanner (a few ms a key) tells itself from typing."""
    import termios
    import time
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    typer.echo(_("scan codes; a blank line or Ctrl+D ends"), err=True)
    try:
        tty.setcbreak(fd)
        while True:
            chars: list[str] = []
            times: list[float] = []
            while True:
                char = sys.stdin.read(1)
                if char in ("", "\x04"):
                    return
                if char in ("\r", "\n", "\t"):
                    break
                chars.append(char)
                times.append(time.monotonic())
            if not chars:
                return
            times.append(time.monotonic())
            yield "".join(chars), "tab" if char == "\t" else "enter", times
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _scan_line(report: dict, expected: str) -> str:
    suffix = report["suffix"] + ("" if report["suffix_matches"] else
                                 " " + _("(scanner.suffix is {expected})").format(expected=expected))
    timing = _(", {keys} keys in {ms} ms").format(keys=report["keys"], ms=report["ms_total"]) \
        if report["ms_total"] is not None else ""
    problem = f" - {report['problem']}" if report["problem"] else ""
    return _("{code}: suffix {suffix}, check digit {check}{timing}{problem}").format(
        code=report["code"], suffix=suffix, check=report["check_digit"], timing=timing, problem=problem)


def _show(value: object) -> str:
    if value is None:
        return _("unknown")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
