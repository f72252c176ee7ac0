"""A demo store for the terminal tests, built once per test process and copied per test.

`pos demo --keep DIR` reuses a store already at DIR, so a test that starts
from a copy sees exactly what a fresh `pos demo` would build today, without
paying the build (seconds) each time. tests/e2e/test_demo_till.py still
builds one from nothing.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pos_tui.config import load_settings
from pos_tui.db.database import close_database


@pytest.fixture(scope="session")
def _today_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pos_tui.services.demo import build_demo_store

    folder = tmp_path_factory.mktemp("e2e-demo") / "store"
    build_demo_store(load_settings(folder), today=date.today())
    close_database()
    return folder


@pytest.fixture
def demo_home(_today_demo: Path, tmp_path: Path) -> Path:
    """A private copy of today's demo store, for `pos demo --keep` to open."""
    folder = tmp_path / "store"
    shutil.copytree(_today_demo, folder)
    return folder
