"""Shared fixtures: a fresh store, the sample demo store, the CLI runner."""

from __future__ import annotations

import os
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


PG_TEMPLATE = "pos_template"
BACKENDS = ("sqlite", "postgresql")
# Run on both back ends in every `make test` (a representative subset: the whole of
# tests/services and tests/db runs on PostgreSQL with POS_TEST_DB=postgresql).
PG_SUBSET = frozenset({
    "tests/services/test_sales.py",
    "tests/services/test_returns.py",
    "tests/services/test_returns_no_receipt.py",
    "tests/services/test_shifts.py",
    "tests/services/test_stock.py",
    "tests/services/test_orders.py",
    "tests/services/test_purchase_orders.py",
    "tests/services/test_audit.py",
    "tests/services/test_products.py",
    "tests/services/test_customers.py",
    "tests/services/reports/test_reports_by_hand.py",
})
_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pg: also runs on PostgreSQL (the store fixture is parametrized by back end)")
    config.addinivalue_line("markers", "sqlite_only(why): tests a SQLite-only feature; never runs on PostgreSQL")


def _both_backends(metafunc: pytest.Metafunc) -> bool:
    definition = metafunc.definition
    if "db_backend" not in metafunc.fixturenames or definition.get_closest_marker("sqlite_only"):
        return False
    where = Path(str(definition.path)).resolve()
    in_subset = where.is_relative_to(_ROOT) and where.relative_to(_ROOT).as_posix() in PG_SUBSET
    return in_subset or definition.get_closest_marker("pg") is not None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `pg` (or in PG_SUBSET) whose store comes from `store` runs on both back ends."""
    if _both_backends(metafunc):
        metafunc.parametrize("db_backend", BACKENDS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`-m pg` selects every test that runs on PostgreSQL."""
    for item in items:
        spec = getattr(item, "callspec", None)
        if spec is not None and spec.params.get("db_backend") == "postgresql":
            item.add_marker(pytest.mark.pg)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL server for this test process, or a skip saying why there is none."""
    from tests.pg_server import PgCluster, PgUnavailable

    cluster = PgCluster()
    try:
        cluster.start()
    except PgUnavailable as exc:
        cluster.stop()
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield cluster
    close_database()
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated PostgreSQL store with the test admin, the template each test's database copies."""
    pg_cluster.execute(f'CREATE DATABASE "{PG_TEMPLATE}"')
    settings = load_settings(tmp_path_factory.mktemp("pg-template"))
    settings.set("database.url", pg_cluster.url(PG_TEMPLATE))
    init_store(settings, ADMIN, ADMIN_PASSWORD)
    close_database()  # CREATE DATABASE … TEMPLATE refuses a template in use
    return PG_TEMPLATE


@pytest.fixture
def pg_url(pg_cluster, pg_template: str):
    """The URL of a private PostgreSQL database holding a migrated store with the test admin."""
    url = pg_cluster.create_database(template=pg_template)
    yield url
    close_database()
    pg_cluster.drop_database(url)


@pytest.fixture
def empty_pg_url(pg_cluster):
    """The URL of a private, empty PostgreSQL database."""
    url = pg_cluster.create_database()
    yield url
    close_database()
    pg_cluster.drop_database(url)


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    """SQLite unless POS_TEST_DB=postgresql (a test marked `pg` runs on both; `sqlite_only` never on PostgreSQL)."""
    if request.node.get_closest_marker("sqlite_only"):
        return "sqlite"
    return "postgresql" if os.environ.get("POS_TEST_DB", "").startswith("postgres") else "sqlite"


@pytest.fixture
def store(_store_template: Path, home: Path, db_backend: str, request: pytest.FixtureRequest) -> Settings:
    """A new, migrated store with one admin, its database open (SQLite: a copy of the template; or PostgreSQL by `db_backend`)."""
    if db_backend != "postgresql":
        shutil.copytree(_store_template, home)
        settings = load_settings(home)
        open_store(settings)
        return settings
    from pos_tui.config import save_settings
    from pos_tui.services.store import make_home

    settings = load_settings(home)
    make_home(home)
    settings.set("database.url", request.getfixturevalue("pg_url"))
    save_settings(settings)
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


@pytest.fixture(scope="session")
def pg_demo_template(pg_cluster, _demo_template: Path) -> str:
    """The demo store moved to PostgreSQL once (by `pos db copy`'s service), the template of each test's copy."""
    from pos_tui.services.db_copy import copy_store

    name = "pos_demo_template"
    pg_cluster.execute(f'CREATE DATABASE "{name}"')
    open_store(load_settings(_demo_template))
    copy_store(Actor.cli(), pg_cluster.url(name))
    close_database()
    return name


@pytest.fixture
def demo_store(_demo_template: Path, tmp_path: Path, db_backend: str, request: pytest.FixtureRequest) -> Settings:
    """A private copy of the demo store, open (on PostgreSQL by `db_backend`: its config points there)."""
    folder = tmp_path / "demo"
    shutil.copytree(_demo_template, folder)
    settings = load_settings(folder)
    if db_backend == "postgresql":
        from pos_tui.config import save_settings

        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database(template=request.getfixturevalue("pg_demo_template"))
        request.addfinalizer(lambda: (close_database(), cluster.drop_database(url)))
        settings.set("database.url", url)
        save_settings(settings)
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
