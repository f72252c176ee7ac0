"""python-escpos's printer database is parsed once per machine, then read from the kept copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import json, pos_tui.hardware.escpos_printer; from escpos import capabilities as c;"
    "print(json.dumps({'pickle': c.pickle_path, 'full_load': c.full_load,"
    " 'profiles': sorted(c.CAPABILITIES['profiles'])[:5]}))"
)


def _env(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache)
    return env


def _start(cache: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], env=_env(cache), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kept_copy(cache: Path) -> Path:
    first = _start(cache)
    return cache / "pos-tui" / "escpos" / Path(first["pickle"]).name


def _older_than_the_database(kept: Path) -> None:
    from importlib.util import find_spec

    database = Path(find_spec("escpos").submodule_search_locations[0]) / "capabilities.json"
    then = database.stat().st_mtime - 3600
    os.utime(kept, (then, then))


def test_the_first_start_parses_and_keeps_a_copy_the_next_start_reads(tmp_path):
    first = _start(tmp_path)
    assert first["full_load"] is True
    kept = tmp_path / "pos-tui" / "escpos" / Path(first["pickle"]).name
    assert kept.is_file(), "the parsed database is kept in the user's cache folder"

    second = _start(tmp_path)
    assert second["full_load"] is False and Path(second["pickle"]) == kept
    assert second["profiles"] == first["profiles"]


def test_a_cache_folder_that_cannot_be_written_only_costs_the_parse(tmp_path):
    (tmp_path / "pos-tui").write_text("a file where the folder would go")
    assert _start(tmp_path)["full_load"] is True
    assert _start(tmp_path)["full_load"] is True


def test_a_copy_older_than_the_installed_database_is_replaced_not_read(tmp_path):
    kept = _kept_copy(tmp_path)
    _older_than_the_database(kept)
    again = _start(tmp_path)
    assert again["full_load"] is True and Path(again["pickle"]) != kept, "parsed in its own folder"
    assert _start(tmp_path)["full_load"] is False, "the fresh copy replaced the old one"


def test_a_cut_short_copy_is_parsed_past_and_replaced(tmp_path):
    kept = _kept_copy(tmp_path)
    kept.write_bytes(kept.read_bytes()[:1000])
    assert _start(tmp_path)["full_load"] is True
    kept.write_bytes(b"")
    assert _start(tmp_path)["full_load"] is True
    assert _start(tmp_path)["full_load"] is False


def test_starts_at_once_after_an_upgrade_all_open(tmp_path):
    """Two till processes (or two test workers) starting together after python-escpos was upgraded:
    none may see the copy while another rewrites it."""
    kept = _kept_copy(tmp_path)
    _older_than_the_database(kept)
    starts = [
        subprocess.Popen([sys.executable, "-c", PROBE], env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    for start in starts:
        out, err = start.communicate(timeout=60)
        assert start.returncode == 0, err
        assert json.loads(out.strip().splitlines()[-1])["profiles"]
