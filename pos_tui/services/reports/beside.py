"""A report's independent part, run on a second connection while the caller's thread does the rest.

SQLite steps without Python's lock, so on a machine with a second core two reads
take about the time of the longer one. The part gets its own connection (closed
when it is done) and so reads its own snapshot, as a report's separate
statements already do. In line instead: one core, a store in memory (another
connection would see an empty one), or PostgreSQL (whose server does the work).
"""

from __future__ import annotations

import os
import threading
from typing import Callable, Generic, TypeVar

from peewee import SqliteDatabase

from pos_tui.db.models import database

T = TypeVar("T")


def parallel_ok() -> bool:
    """A second connection may read the store at once, and there is a second core to do it."""
    db = database.obj
    return ((os.cpu_count() or 1) >= 2 and isinstance(db, SqliteDatabase)
            and db.database not in ("", ":memory:") and not database.is_routed())


class Beside(Generic[T]):
    """`Beside(fn, *args)` starts `fn(*args)`; `.result()` waits for it (raising what it raised)."""

    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._fn, self._args = fn, args
        self._out: list = []
        self._thread: threading.Thread | None = None
        if parallel_ok():
            self._thread = threading.Thread(target=self._run, name="report-beside", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._out.append(self._fn(*self._args))
        except BaseException as exc:  # raised again in the caller's thread
            self._out.append(exc)
        finally:
            database.close()  # this thread's own connection

    def result(self) -> T:
        if self._thread is None:
            return self._fn(*self._args)
        self._thread.join()
        (out,) = self._out
        if isinstance(out, BaseException):
            raise out
        return out
