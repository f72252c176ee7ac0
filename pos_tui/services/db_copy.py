"""Moving a store to PostgreSQL: `pos db copy --to postgresql://…`.

The target is migrated to the same schema, then every table is copied in
dependency order, in batches, in one transaction: a copy that fails half way
leaves the target as empty as it was. Rows keep their ids (sequences are moved
past them) and the audit rows their hashes, so the chain verifies there too;
the copy itself is the target's next audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from peewee import BooleanField, Database, ForeignKeyField, PostgresqlDatabase, sort_models

from pos_tui.config import sqlite_path
from pos_tui.db import migrate
from pos_tui.db.database import make_database, one_line, redact
from pos_tui.db.models import ALL_MODELS, AuditLog, database
from pos_tui.errors import StoreError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

BATCH = 1000  # rows per INSERT: few round trips, bounded memory


@dataclass(frozen=True)
class CopyReport:
    target: str  # the URL without its password
    tables: int
    rows: int
    migrations: tuple[str, ...]


def copy_store(actor: Actor, to_url: str) -> CopyReport:
    """Copy the open store into the empty PostgreSQL database at `to_url`."""
    require(actor, "backup.run")
    parsed = urlparse(to_url.strip())
    if parsed.scheme not in ("postgresql", "postgres") or sqlite_path(to_url) is not None:
        raise ValidationError(_("--to must be a postgresql://USER@HOST/NAME URL, not {redact!r}").format(redact=redact(to_url)))
    source = database.obj
    if source is None:
        raise StoreError(_("no store is open to copy"))
    target = make_database(to_url.strip())
    assert isinstance(target, PostgresqlDatabase)
    try:
        target.connect()
    except Exception as exc:
        raise StoreError(_("cannot connect to {redact!r}: {one_line}").format(redact=redact(to_url), one_line=one_line(exc))) from None
    try:
        _refuse_non_empty(target, to_url)
        applied = tuple(migrate.upgrade(target))
        models = sort_models(ALL_MODELS)
        rows = 0
        with target.atomic():
            target.execute_sql("SET LOCAL lock_timeout = '10s'")
            tables = [model._meta.table_name for model in models]
            for table in reversed(tables):  # what the migrations seeded (the built-in roles) makes way
                target.execute_sql(f'DELETE FROM "{table}"')
            # The guards (closed shifts take no sales) judge new rows, not history copied as it was.
            for table in tables:
                target.execute_sql(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            for model in models:
                rows += _copy_table(source, target, model)
            for table in tables:
                target.execute_sql(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            for model in models:
                _reset_sequence(target, model)
            with AuditLog.bind_ctx(target):
                audit.record("db.copy", actor, redact(to_url), tables=len(models), rows=rows)
        return CopyReport(redact(to_url), len(models), rows, applied)
    finally:
        target.close()


def _refuse_non_empty(target: Database, url: str) -> None:
    """Never mix two shops: the target holds no tables, or only our schema with no history
    (what an earlier copy that failed leaves: its migrations stay, its rows were rolled back)."""
    tables = target.get_tables()
    if not tables:
        return
    if migrate.HISTORY_TABLE in tables and AuditLog._meta.table_name in tables:
        with AuditLog.bind_ctx(target):
            if not AuditLog.select().exists():
                return
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    raise ValidationError(_("the database {redact!r} is not empty (it has {shown}); copy into a new, empty database").format(redact=redact(url), shown=shown))


def _copy_table(source: Database, target: Database, model: type) -> int:
    """Every row of one table, in id order, in batches; returns how many."""
    from psycopg2.extras import execute_values  # only a PostgreSQL target needs the driver

    table = model._meta.table_name
    fields = model._meta.sorted_fields
    columns = [f.column_name for f in fields]
    pk = model._meta.primary_key.column_name
    # A row pointing at a later row of its own table (a category's parent) gets that link afterwards.
    deferred = [i for i, f in enumerate(fields) if isinstance(f, ForeignKeyField) and f.rel_model is model]
    booleans = [i for i, f in enumerate(fields) if isinstance(f, BooleanField)]
    quoted = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES %s'
    cursor = source.execute_sql(f'SELECT {quoted} FROM "{table}" ORDER BY "{pk}"')
    links: dict[int, list[tuple]] = {i: [] for i in deferred}
    count = 0
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            break
        values = []
        for row in batch:
            row = list(row)
            for i in booleans:  # SQLite keeps 0/1; PostgreSQL wants true/false
                row[i] = None if row[i] is None else bool(row[i])
            for i in deferred:
                if row[i] is not None:
                    links[i].append((row[i], row[columns.index(pk)]))
                    row[i] = None
            values.append(tuple(row))
        execute_values(target.cursor(), insert, values, page_size=BATCH)
        count += len(values)
    for i, pairs in links.items():
        target.cursor().executemany(f'UPDATE "{table}" SET "{columns[i]}" = %s WHERE "{pk}" = %s', pairs)
    return count


def _reset_sequence(target: Database, model: type) -> None:
    """The next id PostgreSQL hands out follows the copied rows."""
    pk = model._meta.primary_key
    if pk is None or pk.field_type != "AUTO":
        return
    table, column = model._meta.table_name, pk.column_name
    target.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
        f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table}"'
    )
