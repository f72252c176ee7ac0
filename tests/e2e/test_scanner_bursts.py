"""A keyboard-wedge scanner on a real pty: bursts, Tab suffix, one-read bursts, pastes.

300 scans must give exactly 300 lines in scan order: none merged, split, lost or
reordered. Repeat scans are set not to merge, so every scan is its own line.
"""

from __future__ import annotations

import csv
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e.pty_till import KEYS, PtyTill, wait_for_file_condition
from tests.e2e.terminal import POS, clean_env

pytestmark = pytest.mark.e2e

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "products.csv"


def _codes(count: int) -> list[str]:
    """`count` scans cycling through the sample shop's counted products."""
    with SAMPLE.open(encoding="utf-8") as handle:
        counted = [row["barcode"] for row in csv.DictReader(handle) if row["unit"] == "each"]
    return [counted[i % len(counted)] for i in range(count)]


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    """A demo store (no history) where repeat scans stay separate lines."""
    home = tmp_path_factory.mktemp("scanner") / "store"
    script = (
        "from datetime import date; from pos_tui.config import load_settings;"
        "from pos_tui.services.demo import build_demo_store;"
        f"build_demo_store(load_settings({str(home)!r}), today=date.today(), with_history=False)"
    )
    subprocess.run([str(Path(POS).parent / "python"), "-c", script], check=True, env=clean_env())
    subprocess.run([POS, "--home", str(home), "config", "set", "scanner.merge_repeats", "false"],
                   check=True, capture_output=True, env=clean_env())
    return home


def _store(built_store: Path, tmp_path: Path, **settings: str) -> Path:
    import shutil

    home = tmp_path / "store"
    shutil.copytree(built_store, home)
    for key, value in settings.items():
        subprocess.run([POS, "--home", str(home), "config", "set", key, value],
                       check=True, capture_output=True, env=clean_env())
    return home


def _sales(home: Path) -> int:
    with sqlite3.connect(home / "pos.db") as db:
        return db.execute("select count(*) from sale").fetchone()[0]


def _last_sale_codes(home: Path) -> list[str]:
    with sqlite3.connect(home / "pos.db") as db:
        (sale_id,) = db.execute("select max(id) from sale").fetchone()
        return [row[0] for row in db.execute(
            "select barcode from sale_line where sale_id = ? order by position", (sale_id,))]


def _ring_up(home: Path, send) -> list[str]:
    """Log in, let `send(till)` scan, pay with F10 Enter, quit; the sale's codes in order."""
    till = PtyTill("--home", str(home), "run")
    try:
        till.wait_for("Password or PIN")
        till.write(b"cashier\r1111\r")
        till.wait_for("Barcode")
        send(till)
        till.write(KEYS["f10"])
        till.wait_for("Amount due")
        till.write(KEYS["enter"])
        wait_for_file_condition(lambda: _sales(home) == 1, till=till)
        till.write(KEYS["ctrl+q"])
        assert till.wait_exit(60) == 0, "the till did not quit cleanly"
    except BaseException:
        till.close()
        raise
    return _last_sale_codes(home)


def test_300_scans_at_5ms_per_key_are_300_lines_in_order(built_store, tmp_path):
    home = _store(built_store, tmp_path)
    codes = _codes(300)
    burst = b"".join(code.encode() + KEYS["enter"] for code in codes)
    assert _ring_up(home, lambda till: till.type(burst, per_key=0.005)) == codes


def test_100_scans_with_a_tab_suffix(built_store, tmp_path):
    # The suffix is what differs from the 300-scan Enter burst above: 100 scans at scanner speed prove it,
    # in a third of the time (typing at 5 ms a key is most of this test).
    home = _store(built_store, tmp_path, **{"scanner.suffix": "tab"})
    codes = _codes(100)
    burst = b"".join(code.encode() + KEYS["tab"] for code in codes)
    assert _ring_up(home, lambda till: till.type(burst, per_key=0.005)) == codes


def test_300_scans_arriving_in_one_read_as_over_ssh(built_store, tmp_path):
    home = _store(built_store, tmp_path)
    codes = _codes(300)
    burst = b"".join(code.encode() + KEYS["enter"] for code in codes)
    assert _ring_up(home, lambda till: till.write(burst)) == codes


def test_a_pasted_block_of_codes_is_one_scan_per_line(built_store, tmp_path):
    home = _store(built_store, tmp_path)
    codes = _codes(12)
    paste = b"\x1b[200~" + "\n".join(codes).encode() + b"\n\x1b[201~"
    assert _ring_up(home, lambda till: till.write(paste)) == codes


def test_a_person_typing_a_code_and_enter(built_store, tmp_path):
    home = _store(built_store, tmp_path)
    codes = _codes(2)

    def slow(till: PtyTill) -> None:
        for code in codes:
            till.type(code.encode() + KEYS["enter"], per_key=0.08)

    assert _ring_up(home, slow) == codes
