"""The till on a damaged store file: it stops with the file named and the way back, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.db.models import database
from pos_tui.tui.app import PosApp

from tests.tui.pilot_helpers import wait_until


def _damage(db: Path, how: str) -> None:
    data = db.read_bytes()
    db.write_bytes({"random bytes": os.urandom(len(data)), "cut in half": data[: len(data) // 2],
                    "zeroed header": b"\0" * 100 + data[100:]}[how])


@pytest.fixture
def damaged(store, request) -> Path:
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    db = store.home / "pos.db"
    _damage(db, request.param)
    return db


@pytest.mark.parametrize("damaged", ["random bytes", "cut in half", "zeroed header"], indirect=True)
async def test_the_till_stops_naming_the_damaged_file_and_the_backups(damaged, home):
    app = PosApp(load_settings(home), open_store=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.store_error is not None, "the store error")
    assert app.return_code == 1
    assert f"the database {damaged} is damaged" in app.store_error
    assert "pos db restore PATH" in app.store_error and str(home / "backups") in app.store_error


@pytest.mark.parametrize("damaged", ["cut in half"], indirect=True)
def test_pos_run_prints_one_error_line_for_a_damaged_store(damaged, home, cli, monkeypatch):
    real_run = PosApp.run
    monkeypatch.setattr(PosApp, "run", lambda self, **kw: real_run(self, headless=True, **kw))

    result = cli("--home", str(home), "run")

    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert f"the database {damaged} is damaged" in line and "pos db restore PATH" in line
