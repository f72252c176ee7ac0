"""Triggers or indexes set aside while a bulk write runs in its transaction, and made again after.

Row by row, a trigger or an index can cost a bulk load more than the load does;
the writer drops them, loads, makes them again, and brings up to date set-wise
what the triggers keep. SQLite only (elsewhere nothing is set aside): its DDL is
transactional, so no other connection sees a table without them, and a failure
rolls the drop back with the rest, which is why nothing is made again on the
way out of an error.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from peewee import SqliteDatabase

from pos_tui.db.models import database


@contextmanager
def set_aside(kind: str, wanted: bool, *, names: Sequence[str] | None = None, table: str | None = None,
              unless: Callable[[str], bool] | None = None) -> Iterator[set[str]]:
    """Without the `kind` ("trigger" or "index") objects named `names` or on `table` (but not those whose
    SQL `unless` keeps) while the block runs, when `wanted`; yields the names set aside."""
    found: list[tuple[str, str]] = []
    if wanted and isinstance(database.obj, SqliteDatabase):
        where, params = ["type = ?", "sql IS NOT NULL"], [kind]
        if names is not None:
            where.append(f"name IN ({', '.join('?' * len(names))})")
            params += names
        if table is not None:
            where.append("tbl_name = ?")
            params.append(table)
        found = [(name, sql) for name, sql in database.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE {' AND '.join(where)}", params).fetchall()
            if unless is None or not unless(sql)]
    for name, _sql in found:
        database.execute_sql(f'DROP {kind.upper()} "{name}"')
    yield {name for name, _sql in found}
    for _name, sql in found:
        database.execute_sql(sql)
