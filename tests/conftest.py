"""Shared fixtures: a fresh store, the sample demo store, the CLI runner."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pos_tui.config import Settings, load_settings
from pos_tui.db.database import close_database
from pos_tui.i18n import set_language
from pos_tui.services.context import Actor
from pos_tui.services.store import init_store, open_store

ADMIN = "owner"
ADMIN_PASSWORD = "s3cret-pw"
DEMO_TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """No test reads the developer's real store or POS_DB."""
    monkeypatch.setenv("POS_HOME", str(tmp_path / "default-home"))
    monkeypatch.delenv("POS_DB", raising=False)
    yield
    close_database()
    set_language("en")  # the language is process-wide: a test of a Chinese store must not leak into the next


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    """Cheaper scrypt for hashes made in the test process (2**10 instead of 2**14).

    A stored hash carries its own parameters and verification reads them from
    it, so logins, lockouts and refusals behave the same; only the cost falls
    (a hash takes milliseconds, not a fifth of a second, in hundreds of
    tests). Subprocesses (`pos` in tmux, CLI runs in a shell) keep the real cost.
    """
    from pos_tui.services import auth

    real = dict(auth._SCRYPT)
    auth._SCRYPT.update(n=2**10)
    yield
    auth._SCRYPT.update(real)


@pytest.fixture(scope="session")
def _store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store with its admin, made once per test process (migrations take most of a second)."""
    folder = tmp_path_factory.mktemp("store-template") / "store"
    init_store(load_settings(folder), ADMIN, ADMIN_PASSWORD)
    close_database()
    return folder


@pytest.fixture
def store(_store_template: Path, home: Path) -> Settings:
    """A new, migrated store with one admin, its database open (a copy of the template)."""
    shutil.copytree(_store_template, home)
    settings = load_settings(home)
    open_store(settings)
    return settings


@pytest.fixture
def admin_actor(store: Settings) -> Actor:
    from pos_tui.services.auth import authenticate

    return authenticate(ADMIN, ADMIN_PASSWORD)


def open_test_shift(settings: Settings, lane: str = "1", float_amount: int = 10000):
    """Open `lane`'s shift with a float (sales, refunds and no-sales need one); returns its ShiftInfo."""
    from pos_tui.db.models import User
    from pos_tui.services import shifts

    user = User.select().order_by(User.id).first()
    actor = Actor(user.username, user.role, user.id) if user else Actor.cli()
    counts = shifts.break_down(settings, float_amount)
    return shifts.open_shift(actor, settings, lane=lane, counts=counts).shift


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop with its 90-day history, built once per test process."""
    from pos_tui.services.demo import build_demo_store

    folder = tmp_path_factory.mktemp("demo-template")
    build_demo_store(load_settings(folder), today=DEMO_TODAY)
    close_database()
    return folder


@pytest.fixture
def demo_store(_demo_template: Path, tmp_path: Path) -> Settings:
    """A private copy of the demo store, open."""
    folder = tmp_path / "demo"
    shutil.copytree(_demo_template, folder)
    settings = load_settings(folder)
    open_store(settings)
    return settings


@pytest.fixture(scope="session")
def _pos_command():
    """Typer's command tree for `pos`, built once per process (a build costs about 0.1 s)."""
    import typer.main

    from pos_tui.cli.main import app

    return typer.main.get_command(app)


@pytest.fixture
def cli(_pos_command, monkeypatch):
    """Run `pos ARGS…` through Typer's runner; returns the Result."""
    import typer.testing

    from pos_tui.cli.main import app

    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: _pos_command)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        close_database()
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
