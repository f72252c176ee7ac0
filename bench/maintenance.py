"""`pos db backup` and `pos db check` on the large store, each against the least it could do.

Backup's floor: sqlite3's online backup into a new file and an integrity
check of the copy (what any checked backup must do), in this process. Check's
floor: SQLite's own integrity_check and foreign_key_check on the store (the
file half of `pos db check`; the shop's sums come on top).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _raw_backup(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise RuntimeError("the raw copy failed its integrity check")
    finally:
        src.close()
        dst.close()


def _raw_check(db_file: Path) -> None:
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        db.execute("PRAGMA integrity_check").fetchall()
        db.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        db.close()


def measure(pos: str, store: Path, env: dict[str, str], runs: int = 3) -> dict[str, tuple[list[float], list[float]]]:
    """{"backup" | "check": (seconds of the pos command, floor seconds)}; `pos db check` must find the store sound."""
    work = Path(tempfile.mkdtemp(prefix="pos-bench-maint-"))
    try:
        home = work / "store"
        shutil.copytree(store, home)
        out: dict[str, tuple[list[float], list[float]]] = {"backup": ([], []), "check": ([], [])}
        for n in range(runs):  # interleaved, so machine noise hits both alike
            out["backup"][0].append(_wall([pos, "--home", str(home), "db", "backup", str(work / f"pos-{n}.db")], env))
            out["backup"][1].append(_timed(lambda: _raw_backup(home / "pos.db", work / f"raw-{n}.db")))
            for done in (work / f"pos-{n}.db", work / f"raw-{n}.db"):
                done.unlink()
            out["check"][0].append(_wall([pos, "--home", str(home), "db", "check"], env))
            out["check"][1].append(_timed(lambda: _raw_check(home / "pos.db")))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
