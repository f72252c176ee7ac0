"""The Products screen at 100,000 products: open it and page to the end; filter by text.

Open-and-end runs the real till in a pty: a supervisor logs in, F12 P opens
the area (the clock starts at the P), its first page is drawn, End jumps, and
the clock stops when the last page is drawn. The floor is F12's menu drawn:
terminal, event loop and a redraw, without reading products.

Filter by text is the screen's read (product_browse.first_page) for terms a
shop types, 1-3 characters and longer, against the floor of a raw LIKE
query with the same LIMIT.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from harness import _drain
from scan_screen import Till, prepare

TERMS = ["a", "m", "苹", "te", "ch", "oi", "牛奶", "tea", "jam", "sou", "milk", "olive", "juice", "bread",
         "green tea", "cat food", "dark chocolate", "coffee beans 12", "770000", "4010079190010", "zzz"]


def open_and_end(pos: str, store: Path, env: dict[str, str], runs: int = 5) -> tuple[list[float], list[float]]:
    """Seconds from P (in the menu) to the last page drawn, one fresh till per run; and the floor."""
    env = {**env, "TERM": "xterm-256color"}
    work, home = prepare(pos, store, env, "pos-bench-products-")
    times, floor = [], []
    try:
        for _ in range(runs):
            till = Till(pos, home, env)
            try:
                till.read_until(b"Password or PIN", timeout=60)
                os.write(till.fd, b"supervisor\r2222\r")
                till.read_until(b"Barcode")
                _drain(till.fd, 0.5)
                floor.append(till.send(b"\x1b[24~", b"Go to"))  # F12: the menu
                start = time.perf_counter()
                till.send(b"p", b"page 1:")
                till.send(b"\x1b[4~", b"(the end)")  # End
                times.append(time.perf_counter() - start)
            finally:
                till.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return times, floor


def filter_by_text(store: Path, rounds: int = 15) -> tuple[list[float], list[float]]:
    """Each term's first page, `rounds` times over the terms in a shuffled order; and the raw LIKE floor."""
    from pos_tui.config import load_settings
    from pos_tui.services import product_browse
    from pos_tui.services.store import open_store, upgrade_store

    work = Path(tempfile.mkdtemp(prefix="pos-bench-filter-"))
    home = work / "store"
    shutil.copytree(store, home)
    settings = load_settings(home)
    upgrade_store(settings)
    open_store(settings)
    raw = sqlite3.connect(home / "pos.db")
    rng = random.Random(3)
    terms = [t for _ in range(rounds) for t in rng.sample(TERMS, len(TERMS))]
    times, floor = [], []
    try:
        for term in terms:  # interleaved, so machine noise hits both alike
            start = time.perf_counter()
            product_browse.first_page(product_browse.Filters(text=term))
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw.execute("SELECT * FROM product WHERE name LIKE ? ORDER BY name LIMIT 51", (f"%{term}%",)).fetchall()
            floor.append(time.perf_counter() - start)
    finally:
        raw.close()
        shutil.rmtree(work, ignore_errors=True)
    return times, floor

