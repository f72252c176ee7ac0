"""`pos run` and `pos demo`: open the Textual till (imported only here)."""


import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from pos_tui.cli.state import settings, setup_logging, state


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("demo")(demo)


def run() -> None:
    """Open the till on the configured store."""
    from pos_tui.config import sqlite_path
    from pos_tui.errors import StoreError

    current = settings()
    path = sqlite_path(current.db_url)
    if path is not None and not path.exists():
        raise StoreError(f"no store at {path}; run `pos init` first (or check --home / POS_DB)")
    _open_till(current, open_store=True)


def demo(
    keep: Annotated[Path | None, typer.Option("--keep", metavar="PATH", help="build (or reuse) the demo store at PATH and keep it")] = None,
) -> None:
    """Open the till on a throwaway demo store with simulated hardware."""
    from datetime import date

    from pos_tui.config import load_settings
    from pos_tui.services.demo import build_demo_store
    from pos_tui.services.store import open_store as open_db, store_exists

    folder = keep.expanduser().absolute() if keep else Path(tempfile.mkdtemp(prefix="pos-demo-"))
    try:
        demo_settings = load_settings(folder, state.db if keep else None)
        if keep and store_exists(demo_settings):
            open_db(demo_settings)
        else:
            typer.echo(f"building the demo store in {folder} …", err=True)
            build_demo_store(demo_settings, today=date.today())
        setup_logging(demo_settings)
        _open_till(demo_settings)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            typer.echo(f"the demo store is kept at {folder}; inspect it with `pos --home {folder} sale list`", err=True)


def _open_till(current, *, open_store: bool = False) -> None:
    from pos_tui.errors import StoreError
    from pos_tui.tui.app import PosApp

    app = PosApp(current, open_store=open_store)
    app.run()
    if app.store_error:
        raise StoreError(app.store_error)
