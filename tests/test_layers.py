"""The layers stay apart: a till-free core, an I/O-free domain, no float money."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import pos_tui

PACKAGE = Path(pos_tui.__file__).resolve().parent
CORE_LAYERS = ["domain", "services", "db", "hardware"]
# Modules whose import would mean the domain does I/O.
IO_MODULES = {
    "peewee", "playhouse", "sqlite3", "psycopg", "psycopg2", "os", "pathlib", "shutil", "tempfile",
    "io", "socket", "serial", "escpos", "subprocess", "urllib", "http", "requests", "logging",
}


def _sources(*layers: str) -> list[Path]:
    files = [f for layer in layers if (PACKAGE / layer).is_dir() for f in sorted((PACKAGE / layer).rglob("*.py"))]
    return files


def _imports_in(source: str, package: str) -> list[tuple[int, str]]:
    """Every module `source` imports (relative imports resolved against `package`), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def _imports(path: Path) -> list[tuple[int, str]]:
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _banned(module: str, banned: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in banned)


def _offenders(files: list[Path], banned: set[str]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in files
        for line, module in _imports(path)
        if _banned(module, banned)
    ]


def test_there_is_source_to_check() -> None:
    """Guard against the layer tests passing because they found no files."""
    assert len(_sources("domain")) >= 5
    assert len(_sources("services")) >= 3
    assert len(_sources("db")) >= 2


def test_core_layers_never_import_textual() -> None:
    """The CLI over SSH and the services must work without the till's UI library."""
    assert _offenders(_sources(*CORE_LAYERS), {"textual"}) == []


def test_domain_does_no_io() -> None:
    """Money, tax, barcodes and the cart are pure so they can be tested exhaustively."""
    assert _offenders(_sources("domain"), IO_MODULES) == []


def test_domain_imports_no_outer_layer() -> None:
    """The domain sits at the bottom: it never reaches up into db, services or UI."""
    outer = {f"pos_tui.{name}" for name in ("db", "services", "hardware", "tui", "cli", "config")}
    assert _offenders(_sources("domain"), outer) == []


def test_services_and_db_never_import_the_ui_layers() -> None:
    """A shop rule lives in services so the till and the CLI enforce it the same way."""
    assert _offenders(_sources("services", "db", "hardware"), {"pos_tui.tui", "pos_tui.cli"}) == []


def test_import_checker_catches_every_import_form() -> None:
    """The checker sees plain, dotted, from- and relative imports, so the tests above can fail."""
    source = (
        "import textual.app\n"
        "from textual import on\n"
        "def later():\n"
        "    import os\n"
        "from ..db import models\n"
        "from . import money\n"
    )
    modules = sorted(m for _, m in _imports_in(source, "pos_tui.domain"))
    assert modules == ["os", "pos_tui.db", "pos_tui.domain", "textual", "textual.app"]
    assert _banned("textual.app", {"textual"}) and _banned("os", IO_MODULES)
    assert _banned("pos_tui.db", {"pos_tui.db"}) and not _banned("textualize", {"textual"})


def test_pos_help_loads_neither_textual_nor_peewee() -> None:
    """`pos --help` over a slow SSH link must not pay for the UI or the database."""
    script = (
        "import sys, json, contextlib, io\n"
        "from pos_tui.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    rc = main(['--help'])\n"
        "loaded = lambda name: any(m == name or m.startswith(name + '.') for m in sys.modules)\n"
        "print(json.dumps({'rc': rc, 'help': out.getvalue(), 'textual': loaded('textual'), 'peewee': loaded('peewee')}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=PACKAGE.parent
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["rc"] == 0
    assert "Usage" in report["help"] and "pos" in report["help"]
    assert report["textual"] is False
    assert report["peewee"] is False


def _float_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float"
    ]


@pytest.mark.parametrize("layer", ["domain", "services"])
def test_money_never_touches_float(layer: str) -> None:
    """float(…) in the money path turns 0.1 + 0.2 into a wrong receipt."""
    files = _sources(layer)
    assert files
    assert [hit for path in files for hit in _float_calls(path)] == []
    assert [str(p) for p in files if "float(" in p.read_text(encoding="utf-8")] == []
