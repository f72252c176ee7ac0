"""Applying the numbered files in migrations/ with Peewee's migration runner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import Database
from playhouse.migrations import Migration, MigrationError, Runner

from pos_tui.errors import StoreError
from pos_tui.i18n import _
from pos_tui.resources import data_dir

HISTORY_TABLE = "schema_migration"


@dataclass(frozen=True)
class MigrationState:
    name: str
    applied: datetime | None
    missing_file: bool = False


def runner(db: Database) -> Runner:
    return Runner(db, directory=str(data_dir("migrations")), table_name=HISTORY_TABLE)


def upgrade(db: Database, target: str | None = None) -> list[str]:
    """Apply pending migrations in order (up to `target`); returns their names."""
    try:
        return runner(db).up(target)
    except MigrationError as exc:
        raise StoreError(_("migration failed: {exc}").format(exc=exc)) from None


def status(db: Database) -> list[MigrationState]:
    return [
        MigrationState(m.name, m.applied, missing_file=m.path is None)
        for m in runner(db).status()
    ]


def known() -> list[str]:
    """The migrations this version of pos-tui ships, in order."""
    return [m.name for m in Migration.load_directory(str(data_dir("migrations")))]


def pending(db: Database) -> list[str]:
    return [state.name for state in status(db) if state.applied is None]
