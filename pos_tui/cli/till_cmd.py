"""`pos run` and `pos demo`: open the Textual till (imported only here)."""


import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pos_tui.cli.state import settings, setup_logging, state
from pos_tui.i18n import N_, _

if TYPE_CHECKING:
    from pos_tui.config import Settings
    from pos_tui.services.demo_scenarios import Brief


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("demo")(demo)


def run(
    offline: Annotated[bool, typer.Option("--offline", help=N_("a lane on PostgreSQL: sell from its synced catalogue if the server cannot be reached"))] = False,
) -> None:
    """Open the till on the configured store."""
    from pos_tui.cli.lane_cmd import till_on_lane
    from pos_tui.config import sqlite_path
    from pos_tui.errors import StoreError

    current = settings()
    if till_on_lane(current, offline, _open_till):  # a lane on PostgreSQL: online, or offline from its copy
        return
    path = sqlite_path(current.db_url)
    if path is not None and not path.exists():
        raise StoreError(_("no store at {path}; run `pos init` first (or check --home / POS_DB)").format(path=path))
    _open_till(current, open_store=True)


def demo(
    keep: Annotated[Path | None, typer.Option("--keep", metavar="PATH", help=N_("build (or reuse) the demo store at PATH and keep it"))] = None,
    reset: Annotated[bool, typer.Option("--reset", help=N_("with --keep: throw the kept demo store away and build it again (without --keep every demo is new, so there is nothing to reset)"))] = False,
    scenario: Annotated[str | None, typer.Option("--scenario", metavar="NAME", help=N_("start in a prepared situation (see --list); with --keep on an existing store, only the one it was built for"))] = None,
    list_: Annotated[bool, typer.Option("--list", help=N_("list the scenarios, one line each, and exit"))] = False,
    web: Annotated[bool, typer.Option("--web", help=N_("serve the demo in a browser, a till per tab (needs: pip install 'pos-tui[web]')"))] = False,
    host: Annotated[str, typer.Option("--host", metavar="HOST", help=N_("with --web: the address to listen on"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=1, max=65535, help=N_("with --web: the port to listen on"))] = 8000,
) -> None:
    """Open the till on a throwaway demo store with simulated hardware."""
    from pos_tui.services import demo_scenarios

    if list_:
        width = max(len(name) for name in demo_scenarios.SCENARIOS)
        for item in demo_scenarios.SCENARIOS.values():
            typer.echo(f"{item.name:<{width}}  {_(item.summary)}")  # summaries are marked N_() where defined
        return
    if scenario is not None:
        demo_scenarios.get(scenario)  # an unknown name is refused before anything is built
    folder = keep.expanduser().absolute() if keep else None
    if web:
        _serve_web(folder, scenario, reset, host, port)
        return
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="pos-demo-"))
    ready = False
    try:
        demo_settings, brief = _demo_store(folder, kept=keep is not None, reset=reset, scenario=scenario)
        ready = True
        setup_logging(demo_settings)
        _open_till(demo_settings, brief=brief)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        elif ready:
            typer.echo(_("the demo store is kept at {folder}; inspect it with `pos --home {folder} sale list`").format(
                folder=folder), err=True)


def _demo_store(folder: Path, *, kept: bool, reset: bool, scenario: str | None) -> tuple["Settings", "Brief | None"]:
    """The demo store at `folder`, open: reused when kept (and not reset), else built; with its scenario's brief."""
    from datetime import date

    from pos_tui.config import load_settings
    from pos_tui.errors import ValidationError
    from pos_tui.services import demo_scenarios
    from pos_tui.services.demo import build_demo_store
    from pos_tui.services.store import open_store as open_db, store_exists

    demo_settings = load_settings(folder, state.db if kept else None)
    if kept and store_exists(demo_settings):
        if not demo_settings.get("store.demo"):
            raise ValidationError(_("{folder} holds a store that is not a demo; `pos demo --keep` only reuses or "
                                    "resets a demo store, pick another PATH").format(folder=folder))
        if reset:
            typer.echo(_("throwing away the demo store at {folder} …").format(folder=folder), err=True)
            shutil.rmtree(folder)
            demo_settings = load_settings(folder, state.db)
        else:
            open_db(demo_settings)
            brief = demo_scenarios.recorded()
            if scenario is not None and (brief is None or brief.name != scenario):
                built = _("scenario {name}").format(name=brief.name) if brief else _("no scenario")
                raise ValidationError(_("the demo store at {folder} was built for {built}; add --reset to rebuild "
                                        "it for {scenario}").format(folder=folder, built=built, scenario=scenario))
            return demo_settings, brief
    typer.echo(_("building the demo store in {folder} …").format(folder=folder), err=True)
    build_demo_store(demo_settings, today=date.today())
    return demo_settings, demo_scenarios.prepare(demo_settings, scenario) if scenario else None


def _serve_web(folder: Path | None, scenario: str | None, reset: bool, host: str, port: int) -> None:
    """A kept store is made ready once here (built, reset, scenario); each browser tab then opens it."""
    from pos_tui.cli.demo_web import serve, server_class, web_command
    from pos_tui.db.database import close_database

    server_class()  # not installed: say how, before building anything
    if folder is not None:
        _demo_store(folder, kept=True, reset=reset, scenario=scenario)
        close_database()
    serve(web_command(keep=folder, scenario=scenario, db=state.db), host=host, port=port)


def _open_till(current: "Settings", *, open_store: bool = False, brief: "Brief | None" = None) -> None:
    """The till, run to its end (pos_tui/cli/till_start.py, which `pos run` on a SQLite store takes without Typer)."""
    from pos_tui.cli.till_start import run_till, till_app

    run_till(till_app(current, open_store=open_store, brief=brief))
