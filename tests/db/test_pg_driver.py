"""The PostgreSQL driver stays out of a SQLite lane's process."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_a_sqlite_store_never_loads_libpq():
    shown = _run(
        "import sys, tempfile, pathlib\n"
        "from pos_tui.config import load_settings\n"
        "from pos_tui.services.store import init_store\n"
        "init_store(load_settings(pathlib.Path(tempfile.mkdtemp()) / 's'), 'owner', 's3cret-pw')\n"
        "print('psycopg2' in sys.modules)"
    )
    assert shown == "False"


def test_a_postgresql_url_hands_peewee_the_driver():
    shown = _run(
        "import peewee\n"
        "from pos_tui.db.database import make_database\n"
        "make_database('postgresql://pos@127.0.0.1:1/shop')\n"
        "print(peewee.psycopg2 is not None, peewee.Psycopg2Adapter.txn_idle is not None)"
    )
    assert shown == "True True"
