"""`pos run` draws the login first and opens the store and the devices after it, losing nothing for it (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pos_tui.cli.main import main
from pos_tui.config import Settings, load_settings, save_settings
from pos_tui.db import migrate
from pos_tui.db.database import close_database, open_database
from pos_tui.tui.app import PosApp

from tests.tui.pilot_helpers import login, shown, wait_until

ROOT = Path(__file__).resolve().parents[2]


def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = PosApp.run
    monkeypatch.setattr(PosApp, "run", lambda self, **kw: real_run(self, headless=True, **kw))


async def test_the_login_takes_typing_while_the_store_is_still_opening(demo_store, monkeypatch):
    from pos_tui.services import store

    release = threading.Event()
    real_open = store.open_store

    def slow_open(settings: Settings, **options):
        assert release.wait(10), "the test never let the store open"
        return real_open(settings, **options)

    monkeypatch.setattr(store, "open_store", slow_open)
    app = PosApp(demo_store, open_store=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"cashier", "enter", *"1111", "enter")  # a fast typist, before the store is open
        await wait_until(pilot, lambda: "Checking" in shown(app, "#login-message"), "the password being checked")
        assert not app.store_ready.is_set() and app.actor is None
        release.set()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CheckoutScreen"
                         and getattr(app.focused, "id", None) == "scan", "the checkout, ready for a scan")
    assert app.actor.username == "cashier"


async def test_a_printer_the_settings_cannot_make_is_named_in_the_status_line(demo_store):
    demo_store.set("printer.type", "network")  # and no printer.host: the till sells, and says why it cannot print
    app = PosApp(demo_store, open_store=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await wait_until(pilot, lambda: "no printer" in shown(app, "#device-warnings"), "the printer warning")


def test_pos_run_on_a_store_needing_an_upgrade_stops_with_one_error_line(tmp_path, monkeypatch, capsys):
    home = tmp_path / "shop"
    db = open_database(load_settings(home).db_url, create=True)
    migrate.upgrade(db, target=migrate.known()[0])
    close_database()
    _headless(monkeypatch)

    code = main(["--home", str(home), "run"])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "run `pos db upgrade`" in line


def test_pos_run_with_a_broken_setting_says_so_and_never_opens_the_till(store, monkeypatch, capsys):
    with open(store.home / "config.toml", "a", encoding="utf-8") as file:
        file.write('\n[till]\nidle_lock_minutes = "soon"\n')
    opened: list[PosApp] = []
    monkeypatch.setattr(PosApp, "run", lambda self, **kw: opened.append(self))

    code = main(["--home", str(store.home), "run"])

    err = capsys.readouterr().err
    assert code == 1 and opened == []
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "till.idle_lock_minutes" in line


def test_pos_run_help_shows_the_help_instead_of_opening_the_till(store, monkeypatch, capsys):
    opened: list[PosApp] = []
    monkeypatch.setattr(PosApp, "run", lambda self, **kw: opened.append(self))

    code = main(["--home", str(store.home), "run", "--help"])

    assert code == 0 and opened == []
    assert "--offline" in capsys.readouterr().out


# Started the way `pos run` starts, up to the moment the login screen is mounted (its first paint comes next).
_LOGIN_IMPORTS = """
import json, sys
from pos_tui.tui.app import PosApp
from pos_tui.tui.screens.login import LoginScreen

real_run, real_mount, seen = PosApp.run, LoginScreen.on_mount, {}
PosApp.run = lambda self, **kw: real_run(self, headless=True, **kw)

def on_mount(self):
    real_mount(self)
    seen["modules"] = sorted(sys.modules)
    self.app.call_after_refresh(self.app.exit)

LoginScreen.on_mount = on_mount
from pos_tui.cli.main import main
code = main(["--home", sys.argv[1], "run"])
print(json.dumps({"code": code, "modules": seen.get("modules")}))
"""
# What the login does not need; each is imported after it is drawn, or when a screen needing it opens.
NOT_FOR_THE_LOGIN = (
    "peewee", "pos_tui.db.models", "pos_tui.services.sales", "pos_tui.services.offline_start",
    "pos_tui.services.reports", "escpos", "serial", "pos_tui.tui.screens.checkout",
    "pos_tui.cli.till_cmd",  # `pos run` goes round Typer's command machinery (pos_tui/cli/till_start.py)
    "typer", "click",  # nor does `pos` itself import them for it (pos_tui/cli/main.py)
)


def test_the_login_screen_starts_without_the_store_the_printer_driver_or_the_other_screens(store):
    store.set("printer.type", "network")  # a real printer: python-escpos is loaded after the login is drawn
    store.set("printer.host", "192.0.2.10")
    save_settings(store)
    close_database()

    done = subprocess.run([sys.executable, "-c", _LOGIN_IMPORTS, str(store.home)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)

    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr  # quit as it opened: no traceback
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["modules"] is not None, done.stderr
    loaded = set(result["modules"])
    assert "pos_tui.tui.screens.login" in loaded
    assert [name for name in NOT_FOR_THE_LOGIN if name in loaded] == []
