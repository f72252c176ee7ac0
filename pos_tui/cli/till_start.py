"""`pos run` on a SQLite store: the till, started without Typer's command machinery (issue 12).

A cashier waits for `pos run` on every start of the till, and Typer's imports and
its parse of the command line cost it about a tenth of a second on a till's CPU
for two words. So main() hands the command line here first: `run` (with
`--offline`) after any of the global options `--home`, `--db` and `--debug`.
Everything else, and every start that goes wrong before the till opens (a
config error, no store, a lane on PostgreSQL that may ask whether to sell
offline), returns None and goes the usual way through Typer, which says what
is wrong exactly as every other command does. Once the till has run, its own
errors (a store needing `pos db upgrade`, a damaged file) are reported here, as
PosGroup.invoke reports them: one `error: …` line.

Nothing here imports Typer, click, Peewee or the services; tests/tui/test_till_start.py holds it so.
"""

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_tui.config import Settings
    from pos_tui.services.demo_scenarios import Brief

_VALUED = ("--home", "--db")  # the global options that take a value


def parse(args: list[str]) -> tuple[str | None, str | None, bool] | None:
    """(home, db, debug) for `[--home PATH] [--db URL] [--debug] run [--offline]`; None for any other line."""
    home = db = None
    debug = False
    rest = list(args)
    while rest and rest[0] != "run":
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if arg == "--debug":
            debug = True
            continue
        if name not in _VALUED:
            return None  # --help, --version, another command, anything unusual: Typer's
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None  # an empty or dash-led value: Typer's way of reading it stands
        if name == "--home":
            home = value
        else:
            db = value
    if not rest or rest[1:] not in ([], ["--offline"]):  # --offline is for a lane on PostgreSQL: Typer's
        return None
    return home, db, debug


def run_fast(args: list[str]) -> int | None:
    """Run the till for `pos ARGS` and return the exit code; None: not handled here, ask Typer."""
    parsed = parse(args)
    if parsed is None or any(_not_utf8(arg) for arg in args):
        return None
    home, db, debug = parsed
    from pos_tui.config import load_settings, sqlite_path
    from pos_tui.errors import PosError

    try:
        current = load_settings(home, db)
        path = sqlite_path(current.db_url)
        if path is None or not path.exists():
            return None  # a lane on PostgreSQL, or no store yet
        from pos_tui.cli.log_file import setup_logging
        from pos_tui.i18n import set_language

        setup_logging(current)
        set_language(str(current.get("locale")))  # the store's language; the till may switch per user
        app = till_app(current, open_store=True)
    except PosError:
        return None  # Typer's path finds the same problem and says it the usual way
    try:
        run_till(app)
    except Exception as exc:
        return _report(exc, current, debug)
    return 0


def till_app(current: "Settings", *, open_store: bool = False, brief: "Brief | None" = None):
    """The till on `current` (with `open_store`, the database is opened and checked after the login draws)."""
    from pos_tui.tui.app import PosApp

    app = PosApp(current, open_store=open_store)
    app.demo_brief = brief
    return app


def run_till(app) -> None:
    """Run the till; a store it could not open (needing an upgrade, damaged) is a StoreError once it closed."""
    from pos_tui.errors import StoreError

    app.run()
    if app.store_error:
        raise StoreError(app.store_error)


def _not_utf8(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _report(exc: Exception, current: "Settings", debug: bool) -> int:
    """One `error: …` line for what stopped the till, as PosGroup.invoke prints it for every command."""
    import logging

    from pos_tui.cli.main import one_line
    from pos_tui.errors import PosError
    from pos_tui.i18n import _

    log = logging.getLogger("pos_tui.cli")
    if isinstance(exc, PosError):
        log.info("refused: %s", exc)
        if debug:
            raise exc
        for problem in getattr(exc, "problems", []):
            print(one_line(problem), file=sys.stderr)
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    if debug:
        raise exc
    from pos_tui.db.database import is_damage

    if is_damage(exc):
        from pos_tui.services.store import damage_error

        log.error("damaged database: %s", exc)
        print(f"error: {one_line(str(damage_error(current, exc)))}", file=sys.stderr)
        return 1
    log.exception("unexpected failure")
    print("error: " + one_line(_("unexpected failure ({kind}: {error}); rerun with --debug for details").format(
        kind=type(exc).__name__, error=exc)), file=sys.stderr)
    return 1
