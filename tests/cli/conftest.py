"""Helpers for the `pos` command tests: run it against a store, check its errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

import pytest

# The top-level conftest's store: repeated here because tests/ is not a package.
ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def check_error(result: Any, *fragments: str) -> str:
    """A refusal: non-zero exit, exactly one `error: ` line (the last), no traceback.

    Returns the error line; each fragment must appear in it.
    """
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    assert result.exit_code != 0, f"expected a refusal, got exit 0 with {out[:300]!r}"
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, f"expected one `error: ` line on stderr, got {err!r}"
    assert _lines(err)[-1] == errors[0], f"the error line must come last: {err!r}"
    assert "error:" not in out
    line = errors[0]
    assert "unexpected failure" not in line, line
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


def check_ok(result: Any) -> str:
    """A success: exit 0, nothing on stderr that looks like an error; returns stdout."""
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err
    assert result.exit_code == 0, f"exit {result.exit_code}: {(err or out)[:600]!r}"
    assert "error:" not in err
    return out


@pytest.fixture
def pos(cli, home: Path) -> Callable[..., Any]:
    """`pos --home HOME ARGS…` (the store at `home`, initialised or not)."""

    def run(*args: str, input: str | None = None):
        return cli("--home", str(home), *args, input=input)

    return run


@pytest.fixture
def query() -> Callable[..., list[tuple]]:
    """Rows from a store's SQLite file, read past the application's own code."""

    def run(db: Path, sql: str, *params: Any) -> list[tuple]:
        assert db.exists(), db
        conn = sqlite3.connect(db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    return run


@pytest.fixture
def refused() -> Callable[..., str]:
    """check_error as a fixture (tests/ is not a package, so nothing imports it)."""
    return check_error


@pytest.fixture
def ok() -> Callable[..., str]:
    return check_ok
