"""The `pos` command as installed: the console script in a real process, and the wheel.

The wheel must carry migrations/ and sample_data/ (they live at the top of the
repo), or an installed `pos init` cannot build a store.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POS = Path(sys.executable).parent / "pos"
MIGRATIONS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "migrations").glob("[0-9]*.py"))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POS_DB", "PYTHONPATH")}
    env.update(extra)
    return env


def _run(args: list, *, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None):
    return subprocess.run(
        [str(a) for a in args], input=input, capture_output=True, text=True, env=env or _env(), cwd=cwd, timeout=120,
    )


def _check_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], proc.stderr
    for fragment in fragments:
        assert fragment in errors[0]
    return errors[0]


def _check_ok(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "error:" not in proc.stderr
    return proc.stdout


# --- the console script ----------------------------------------------------


def test_the_console_script_is_installed_next_to_python():
    assert POS.is_file() and os.access(POS, os.X_OK)


def test_console_script_init_then_list_users(tmp_path):
    home = tmp_path / "shop"

    out = _check_ok(_run([POS, "--home", home, "init", "--admin", "boss", "--password-stdin"], input="pw-1234\n"))

    assert "boss" in out
    users = json.loads(_check_ok(_run([POS, "--home", home, "user", "list", "--json"])))
    assert [(u["username"], u["role"], u["disabled"]) for u in users] == [("boss", "admin", False)]


def test_console_script_refuses_with_one_error_line_and_exit_1(tmp_path):
    missing = tmp_path / "missing"

    _check_error(_run([POS, "--home", missing, "user", "list", "--json"]), "pos init")

    assert not missing.exists()


def test_console_script_lists_each_bad_import_row_then_the_error(tmp_path):
    home = tmp_path / "shop"
    _check_ok(_run([POS, "--home", home, "init", "--admin", "boss", "--password-stdin"], input="pw-1234\n"))
    bad = tmp_path / "bad.csv"
    bad.write_text("barcode,name,price\n4010079190011,A,1.00\n4010079190010,,1.00\n", encoding="utf-8")

    proc = _run([POS, "--home", home, "product", "import", bad])

    _check_error(proc, "2 bad rows", "nothing was imported")
    lines = proc.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("line 2: ") and lines[1].startswith("line 3: ")
    assert proc.stdout == ""


def test_console_script_environment_selects_the_store(tmp_path):
    home = tmp_path / "shop"
    _check_ok(_run([POS, "init", "--admin", "envboss", "--password-stdin"], input="pw-1234\n",
                   env=_env(POS_HOME=str(home))))

    assert (home / "pos.db").exists()
    via_db = _check_ok(_run([POS, "user", "list", "--json"],
                            env=_env(POS_HOME=str(tmp_path / "empty"), POS_DB=f"sqlite:///{home / 'pos.db'}")))
    assert [u["username"] for u in json.loads(via_db)] == ["envboss"]


def test_piping_a_long_list_into_head_is_not_an_unexpected_failure(demo_store, tmp_path):
    """`pos sale list | head -1`: the reader goes away early; that is no failure of pos."""
    from pos_tui.db.database import close_database

    close_database()
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        proc = subprocess.Popen(
            [str(POS), "--home", str(demo_store.home), "sale", "list"], stdout=subprocess.PIPE, stderr=stderr, env=_env(),
        )
        first = proc.stdout.readline()
        proc.stdout.close()  # like `head -1` exiting; the list is far longer than a pipe's buffer
        proc.wait(timeout=60)
    said = errors.read_text()

    assert first.startswith(b"1-000001")
    assert "Traceback" not in said
    assert "unexpected failure" not in said


# --- the wheel -------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once and installed with `pip --target` into its own folder."""
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        build.append("--no-build-isolation")  # else pip fetches the build backend into an isolated env
    built = subprocess.run([*build, str(REPO)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = out.glob("pos_tui-*.whl")
    site = out / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q",
         "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    return site


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory with no checkout in sight."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


SNIPPET = """
import json, pos_tui
from pos_tui.resources import data_dir
print(json.dumps({
    "package": pos_tui.__file__,
    "migrations": str(data_dir("migrations")),
    "sample_data": str(data_dir("sample_data")),
    "migration_files": sorted(p.name for p in data_dir("migrations").glob("*.py")),
    "sample_files": sorted(p.name for p in data_dir("sample_data").iterdir()),
}))
"""


def test_the_wheel_carries_migrations_and_sample_data(wheel_site, elsewhere):
    found = json.loads(_check_ok(_run([sys.executable, "-c", SNIPPET], env=_env(PYTHONPATH=str(wheel_site)),
                                      cwd=elsewhere)))

    assert Path(found["package"]).is_relative_to(wheel_site)
    assert Path(found["migrations"]) == wheel_site / "pos_tui" / "_data" / "migrations"
    assert Path(found["sample_data"]) == wheel_site / "pos_tui" / "_data" / "sample_data"
    assert [f"{name}.py" for name in MIGRATIONS] == [f for f in found["migration_files"] if f[0].isdigit()]
    assert {"products.csv", "users.csv", "customers.csv"} <= set(found["sample_files"])


def test_the_installed_wheel_builds_a_migrated_store(wheel_site, elsewhere, tmp_path):
    env = _env(PYTHONPATH=str(wheel_site))
    home = tmp_path / "shop"

    _check_ok(_run([sys.executable, "-m", "pos_tui", "--home", home, "init", "--admin", "a", "--password-stdin"],
                   input="pw-1234\n", env=env, cwd=elsewhere))

    status = json.loads(_check_ok(_run([sys.executable, "-m", "pos_tui", "--home", home, "db", "status", "--json"],
                                       env=env, cwd=elsewhere)))
    assert [m["name"] for m in status["migrations"]] == MIGRATIONS
    assert all(m["applied"] and not m["missing_file"] for m in status["migrations"])
    assert status["pending"] == []


def test_the_installed_wheel_imports_its_own_sample_products(wheel_site, elsewhere, tmp_path):
    env = _env(PYTHONPATH=str(wheel_site))
    home = tmp_path / "shop"
    sample = wheel_site / "pos_tui" / "_data" / "sample_data" / "products.csv"
    _check_ok(_run([sys.executable, "-m", "pos_tui", "--home", home, "init", "--admin", "a", "--password-stdin"],
                   input="pw-1234\n", env=env, cwd=elsewhere))

    out = _check_ok(_run([sys.executable, "-m", "pos_tui", "--home", home, "product", "import", sample],
                         env=env, cwd=elsewhere))

    rows = len(sample.read_text(encoding="utf-8").splitlines()) - 1
    assert out.startswith(f"imported {rows} rows: {rows} new")


def test_the_editable_install_uses_the_repos_own_folders():
    import pos_tui
    from pos_tui.resources import data_dir

    assert Path(pos_tui.__file__).resolve().is_relative_to(REPO)
    assert data_dir("migrations") == REPO / "migrations"
    assert data_dir("sample_data") == REPO / "sample_data"


def test_the_installed_wheel_carries_the_chinese_catalogue(wheel_site, elsewhere):
    """pos_tui/locale/ is package data: hatch ships every file under pos_tui/, no pyproject entry needed."""
    snippet = ("from pos_tui.i18n import po_path, translation\n"
               "print(po_path('zh_CN'))\nprint(translation('zh_CN').gettext('TOTAL'))")
    env = _env(PYTHONPATH=str(wheel_site), PYTHONIOENCODING="utf-8")
    where, total = _check_ok(_run([sys.executable, "-c", snippet], env=env, cwd=elsewhere)).splitlines()
    assert Path(where).is_relative_to(wheel_site)
    assert total == "合计"
