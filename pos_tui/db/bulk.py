"""Fast inserts for bulk loads (demo history, imports at scale).

Peewee builds SQL per row, which dominates big loads; this builds the INSERT
once and hands the DB-API cursor every row, converting values with each
field's own db_value so the stored form is identical.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from peewee import Model, __exception_wrapper__


def bulk_insert(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert dicts keyed by field name (missing fields take their defaults); call inside a transaction."""
    rows = list(rows)
    if not rows:
        return 0
    meta = model._meta
    db = meta.database
    given = set().union(*rows)
    fields = [f for f in meta.sorted_fields if f.name in given or f.default is not None]
    left, right = db.quote  # the dialect's identifier quotes, e.g. '""'

    def quote(name: str) -> str:
        return f"{left}{name}{right}"

    columns = ", ".join(quote(f.column_name) for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f"INSERT INTO {quote(meta.table_name)} ({columns}) VALUES ({marks})"
    def value(field, row):
        if field.name in row:
            return field.db_value(row[field.name])
        default = field.default() if callable(field.default) else field.default
        return field.db_value(default)

    params = [tuple(value(f, row) for f in fields) for row in rows]
    cursor = db.cursor()
    # Errors as Peewee's own (a full disk as OperationalError), as every other statement raises them,
    # so write_transaction() turns them into the same one-line StoreError.
    with __exception_wrapper__:
        cursor.executemany(sql, params)
    return len(params)


def _quoted(model: type[Model]):
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
        defaults = tuple(f.db_value(f.default() if callable(f.default) else f.default) for f in rest)
        params = [(*p, *defaults) for p in params]
    names = [_column(model, f) for f in fields] + [f.column_name for f in rest]
    columns = ", ".join(quote(n) for n in names)
    marks = ", ".join([db.param] * len(names))
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
    db.cursor().executemany(
        f"UPDATE {quote(model._meta.table_name)} SET {', '.join(sets)} WHERE {quote('id')} = {db.param}", params)
    return len(params)
