"""Fast inserts for bulk loads (demo history, imports at scale).

Peewee builds SQL per row, which dominates big loads; this builds the INSERT
once and hands the DB-API cursor every row, converting values with each
field's own db_value so the stored form is identical.
"""

from __future__ import annotations

from typing import Any, Iterable

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
