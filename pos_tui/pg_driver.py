"""PostgreSQL's driver, loaded only for a PostgreSQL store.

Peewee imports psycopg2 as it is imported, whenever it is installed: libpq
and OpenSSL, about 11 MiB of a till's memory and time at every start, for a
SQLite lane that never uses them. `defer()` (run as pos_tui is imported)
refuses psycopg2 to peewee's own import only; `load()` hands it to peewee
when a PostgreSQL database is opened.
"""

import sys

DRIVERS = ("psycopg2", "psycopg", "psycopg2cffi")
IMPORTERS = ("peewee", "playhouse.postgres_ext")


class _NotWhilePeeweeImports:  # a meta path finder (importlib.abc would cost `pos --help` 25 ms)
    """Refuses the drivers while peewee (or its playhouse.postgres_ext) is being imported, and only then."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in DRIVERS and any(_importing(m) for m in IMPORTERS):
            raise ModuleNotFoundError(f"{name} is loaded only for a PostgreSQL store", name=name)
        return None


def _importing(module_name: str) -> bool:
    module = sys.modules.get(module_name)
    return module is not None and bool(getattr(getattr(module, "__spec__", None), "_initializing", False))


def defer() -> None:
    if "peewee" not in sys.modules and not any(isinstance(f, _NotWhilePeeweeImports) for f in sys.meta_path):
        sys.meta_path.insert(0, _NotWhilePeeweeImports())


def load() -> None:
    """Give peewee the psycopg2 driver (a no-op when it already has it); ImportError when it is not installed."""
    import peewee

    if peewee.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.psycopg2, peewee.pg_extensions, peewee.Json_pg2 = psycopg2, extensions, Json
    adapter = peewee.Psycopg2Adapter  # what its class body sets when the driver is there at import
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
