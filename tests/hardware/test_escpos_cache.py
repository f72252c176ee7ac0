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


def _start(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env["XDG_CACHE_HOME"] = str(cache)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
