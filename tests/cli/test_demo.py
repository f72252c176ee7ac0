"""`pos demo --list/--scenario/--reset/--keep/--web`, with the till itself left out (tests/tui covers it)."""

from __future__ import annotations

import shlex
import shutil
import sys
import types
from pathlib import Path

import pytest

from pos_tui.cli import till_cmd
from pos_tui.cli.demo_web import web_command
from pos_tui.config import load_settings
from pos_tui.db.database import close_database
from pos_tui.services.store import open_store

SCENARIOS = ("basic-sale", "split-payment", "return-with-receipt", "no-sale", "shift-shortage", "large-order-review")


@pytest.fixture
def tills(monkeypatch) -> list:
    """Each till `pos demo` would open: (its store's folder, the scenario brief shown)."""
    opened: list = []
    monkeypatch.setattr(till_cmd, "_open_till", lambda current, brief=None, **_: opened.append((current.home, brief)))
    return opened


@pytest.fixture
def kept(_demo_template: Path, tmp_path: Path) -> Path:
    """A kept demo store, as an earlier `pos demo --keep PATH` left it (a copy of the built one)."""
    folder = tmp_path / "kept-demo"
    shutil.copytree(_demo_template, folder)
    return folder


def test_list_prints_one_line_per_scenario_and_opens_nothing(cli, ok, tills):
    lines = ok(cli("demo", "--list")).splitlines()
    assert [line.split()[0] for line in lines] == list(SCENARIOS)
    assert all(len(line.split(None, 1)[1]) > 10 for line in lines), "each has its summary"
    assert tills == []


def test_an_unknown_scenario_is_refused_naming_them_and_nothing_is_built(cli, refused, tills, tmp_path):
    result = cli("demo", "--keep", str(tmp_path / "new"), "--scenario", "closing")
    refused(result, "no demo scenario 'closing'", *SCENARIOS)
    assert "building" not in result.stderr
    assert not (tmp_path / "new").exists() and tills == []


def test_reset_with_keep_throws_the_kept_store_away_and_builds_the_scenario(cli, ok, tills, kept, query,
                                                                             monkeypatch):
    from pos_tui.services import demo

    built = demo.build_demo_store
    monkeypatch.setattr(demo, "build_demo_store", lambda settings, *, today: built(settings, today=today,
                                                                                 with_history=False))  # fast
    settings = load_settings(kept)
    open_store(settings)
    from pos_tui.services import demo_scenarios

    demo_scenarios.prepare(settings, "split-payment")  # the trainee's earlier session, a cart parked
    close_database()
    result = cli("demo", "--keep", str(kept), "--reset", "--scenario", "no-sale")
    ok(result)
    assert "throwing away the demo store" in result.stderr and "building the demo store" in result.stderr
    [(home, brief)] = tills
    assert home == kept and brief.name == "no-sale"
    db = kept / "pos.db"
    assert query(db, "SELECT label FROM held_cart") == []
    assert "no-sale" in query(db, "SELECT value FROM setting WHERE key = 'demo.scenario'")[0][0]


def test_a_kept_store_is_reused_but_not_silently_turned_into_another_scenario(cli, ok, refused, tills, kept, query):
    before = query(kept / "pos.db", "SELECT COUNT(*) FROM sale")
    refused(cli("demo", "--keep", str(kept), "--scenario", "basic-sale"),
            "was built for no scenario", "add --reset")
    assert tills == []
    result = cli("demo", "--keep", str(kept))
    ok(result)
    assert "building" not in result.stderr and tills == [(kept, None)]
    assert query(kept / "pos.db", "SELECT COUNT(*) FROM sale") == before


def test_reset_refuses_a_store_that_is_not_a_demo(cli, refused, tills, store, home, query):
    close_database()
    refused(cli("demo", "--keep", str(home), "--reset"), "not a demo")
    assert query(home / "pos.db", "SELECT username FROM user") == [("owner",)] and tills == []


def test_web_without_the_extra_says_how_to_install_it(cli, refused, tills, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import textual_serve raises ImportError
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    refused(cli("demo", "--web", "--scenario", "no-sale"), "textual-serve", "pip install 'pos-tui[web]'")
    assert tills == []


def test_each_browser_session_runs_pos_demo_with_the_same_store_and_scenario():
    kept = Path("/srv/demo")
    assert web_command(keep=kept, scenario="no-sale", db="sqlite:////srv/other.db", python="/py") == [
        "/py", "-m", "pos_tui", "--db", "sqlite:////srv/other.db", "demo", "--keep", "/srv/demo",
        "--scenario", "no-sale"]
    assert web_command(keep=None, scenario=None, db="sqlite:////x.db", python="/py") == [
        "/py", "-m", "pos_tui", "demo"]


def test_web_serves_that_command_on_the_host_and_port(cli, ok, tills, kept, monkeypatch):
    served: list = []

    class Server:  # textual-serve's Server, as far as pos demo uses it
        def __init__(self, command: str, host: str, port: int, title: str) -> None:
            served.append((shlex.split(command), host, port))

        def serve(self) -> None:
            served.append("serving")

    module = types.ModuleType("textual_serve.server")
    module.Server = Server
    monkeypatch.setitem(sys.modules, "textual_serve", types.ModuleType("textual_serve"))
    monkeypatch.setitem(sys.modules, "textual_serve.server", module)
    ok(cli("demo", "--web", "--keep", str(kept), "--port", "8123"))
    assert served == [([sys.executable, "-m", "pos_tui", "demo", "--keep", str(kept)], "127.0.0.1", 8123), "serving"]
    assert tills == [], "the serving process opens no till itself"
