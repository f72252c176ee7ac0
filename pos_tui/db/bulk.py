"""Fast inserts for bulk loads (demo history, imports at scale) and the sale commit.

Peewee builds SQL per row, which dominates big loads; this builds the INSERT
once and hands the DB-API cursor every row, converting values with each
field's own db_value so the stored form is identical. The sale commit's
statements are built once per dialect and kept (its hot path runs the same few).
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable, Sequence

from peewee import Database, Field, Model, SqliteDatabase, __exception_wrapper__

from pos_tui.db.fixed_select import in_dialect
from pos_tui.db.models import database

# The INSERT for a model and a set of given fields, per dialect: built once, as the
# sale commit runs the same few statements on every sale.
_INSERTS: dict[tuple, tuple[str, list[Field]]] = {}


def _insert_sql(model: type[Model], given: frozenset[str], returning: bool) -> tuple[str, list[Field]]:
    meta = model._meta
    db = meta.database
    key = (model, given, db.param, db.quote, returning)
    found = _INSERTS.get(key)
    if found is None:
        fields = [f for f in meta.sorted_fields if f.name in given or f.default is not None]
        quote = _quoted(model)
        columns = ", ".join(quote(f.column_name) for f in fields)
        marks = ", ".join([db.param] * len(fields))
        sql = f"INSERT INTO {quote(meta.table_name)} ({columns}) VALUES ({marks})"
        if returning:
            sql += f" RETURNING {quote(meta.primary_key.column_name)}"
        found = _INSERTS[key] = (sql, fields)
    return found


def _stored(fields: list[Field], row: dict[str, Any]) -> tuple:
    return tuple(field.db_value(row[field.name]) if field.name in row else _default(field) for field in fields)


def _default(field: Field) -> Any:
    """The stored form of a field's default, as create() would write it."""
    return field.db_value(field.default() if callable(field.default) else field.default)


def bulk_insert(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert dicts keyed by field name (missing fields take their defaults); call inside a transaction."""
    rows = list(rows)
    if not rows:
        return 0
    sql, fields = _insert_sql(model, frozenset().union(*rows), returning=False)
    params = [_stored(fields, row) for row in rows]
    cursor = model._meta.database.cursor()
    # Errors as Peewee's own (a full disk as OperationalError), as every other statement raises them,
    # so write_transaction() turns them into the same one-line StoreError.
    with __exception_wrapper__:
        cursor.executemany(sql, params)
    return len(params)


def insert_row(model: type[Model], row: dict[str, Any]) -> int:
    """Insert one dict as bulk_insert would and return the new row's id (no Peewee instance built)."""
    db = model._meta.database
    returning = not isinstance(getattr(db, "obj", db), SqliteDatabase)  # SQLite has lastrowid
    sql, fields = _insert_sql(model, frozenset(row), returning=returning)
    cursor = db.execute_sql(sql, _stored(fields, row))
    return cursor.fetchone()[0] if returning else cursor.lastrowid


def has_returning(db: Database) -> bool:
    """PostgreSQL, and SQLite from 3.35, hand back written values with RETURNING."""
    return not isinstance(db, SqliteDatabase) or sqlite3.sqlite_version_info >= (3, 35, 0)


def dialect_sql(template: str) -> str:
    """A statement written with `?` marks and double-quoted names, in the bound database's
    parameter style: hot paths run a fixed statement without building it each time."""
    db = database.obj
    return in_dialect(template, db.param, db.quote)


def _quoted(model: type[Model]):
    """A function quoting a name as the model's database quotes identifiers."""
    left, right = model._meta.database.quote
    return lambda name: f"{left}{name}{right}"


def _column(model: type[Model], name: str) -> str:
    return model._meta.fields[name].column_name


def insert_stored(model: type[Model], fields: Sequence[str], params: Iterable[tuple]) -> int:
    """Insert tuples already in stored form (milli quantities, UTC text, ids) for `fields`.

    For loads that have the stored values at hand: no per-value conversion.
    Call inside a transaction.
    """
    params = list(params)
    if not params:
        return 0
    quote, db = _quoted(model), model._meta.database
    # Fields not named take their default (computed once), as bulk_insert and create would.
    rest = [f for f in model._meta.sorted_fields if f.name not in fields and f.default is not None]
    if rest:
        defaults = tuple(_default(f) for f in rest)
        params = [(*p, *defaults) for p in params]
    names = [_column(model, f) for f in fields] + [f.column_name for f in rest]
    columns = ", ".join(quote(n) for n in names)
    marks = ", ".join([db.param] * len(names))
    with __exception_wrapper__:
        db.cursor().executemany(f"INSERT INTO {quote(model._meta.table_name)} ({columns}) VALUES ({marks})", params)
    return len(params)


def update_stored(model: type[Model], fields: Sequence[str], params: Iterable[tuple], *,
                  add: Sequence[str] = ()) -> int:
    """UPDATE by id, each tuple the stored values of `fields`, then of `add`, then the id.

    `add` fields are changed relative to their value (`stock = stock + ?`), as a
    stock change must be. Only the named columns are written, so a trigger on
    another column (the name's search index) does not fire.
    """
    params = list(params)
    if not params:
        return 0
    quote, db = _quoted(model), model._meta.database
    sets = [f"{quote(_column(model, f))} = {db.param}" for f in fields]
    sets += [f"{quote(_column(model, f))} = {quote(_column(model, f))} + {db.param}" for f in add]
    with __exception_wrapper__:
        db.cursor().executemany(
            f"UPDATE {quote(model._meta.table_name)} SET {', '.join(sets)} WHERE {quote('id')} = {db.param}",
            params)
    return len(params)
