"""A database proxy that one thread can point elsewhere for a while.

An offline lane keeps two stores open at once: the shop's PostgreSQL server
and its own SQLite copy. The models are bound to one proxy, so the lane's
sender thread routes its own calls (`with routed(db):`) to the store it needs
while the till's other threads keep using the store the proxy points at.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from peewee import Database, DatabaseProxy


class RoutedProxy(DatabaseProxy):
    """`obj` is this thread's routed database if it has one, else the process-wide one."""

    __slots__ = ("_shared", "_routes")

    def __init__(self) -> None:
        object.__setattr__(self, "_routes", threading.local())
        super().__init__()

    @property  # type: ignore[override]
    def obj(self) -> Database | None:
        routed = getattr(self._routes, "db", None)
        return routed if routed is not None else self._shared

    @obj.setter
    def obj(self, value: Database | None) -> None:
        object.__setattr__(self, "_shared", value)

    def __setattr__(self, attr: str, value: object) -> None:
        # Proxy's own check reads this class's __slots__, which leave out its attributes.
        object.__setattr__(self, "_shared" if attr == "obj" else attr, value)

    @property
    def shared(self) -> Database | None:
        """The process-wide database, whatever this thread is routed to."""
        return self._shared

    def is_routed(self) -> bool:
        """This thread is routed somewhere for now (its calls do not follow the process-wide database)."""
        return getattr(self._routes, "db", None) is not None

    @contextmanager
    def routed(self, db: Database) -> Iterator[Database]:
        """This thread's model calls go to `db` until the block ends (nests)."""
        before = getattr(self._routes, "db", None)
        self._routes.db = db
        try:
            yield db
        finally:
            self._routes.db = before
