"""A deterministic product CSV at scale for the import/export benchmarks.

Valid EAN-13s (check digits), two dozen categories, a few tags per product,
costs, opening stock and reorder levels; a few weighed items. The same seed
gives the same file, so a re-import is "unchanged" and `price_step` gives a
file that differs from it only in every price.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from stores import WORDS, empty_store

COLUMNS = ("barcode", "name", "price", "category", "cost", "stock", "tax_class", "reorder_level", "tags", "unit")
CATEGORIES = tuple(f"{a} {b}" for a in ("Fresh", "Dry", "Frozen", "Household") for b in
                   ("Dairy", "Bakery", "Drinks", "Snacks", "Pantry", "Care"))
TAGS = ("promo", "local", "organic", "vegan", "gluten-free", "new", "seasonal", "fairtrade", "bulk", "kids")


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _ean13(number: int) -> str:
    body = f"78{number:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def write_csv(path: Path, products: int = 100_000, *, price_step: int = 0, seed: int = 7) -> Path:
    """`products` rows; `price_step` minor units added to every price (0: the base file)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for i in range(products):
            weighed = i % 50 == 0
            price = rng.randrange(50, 5000)
            tags = ";".join(sorted(rng.sample(TAGS, rng.randrange(0, 3))))
            writer.writerow((
                _ean13(i), " ".join(rng.sample(WORDS, 3)) + f" {i}", _money(price + price_step),
                rng.choice(CATEGORIES), _money(price * 6 // 10), f"{rng.randrange(0, 2000)}.250" if weighed
                else str(rng.randrange(0, 200)), rng.choice(("standard", "standard", "reduced", "zero")),
                str(rng.randrange(0, 10)), tags, "kg" if weighed else "each",
            ))
    return path


def raw_floor(csv_path: Path, work: Path) -> float:
    """The least any import does: read the file with the csv module and insert its rows into one indexed
    SQLite table in one transaction, with the store's pragmas. No checks, no search index."""
    import shutil
    import sqlite3
    import time

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    start = time.perf_counter()
    db = sqlite3.connect(work / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA synchronous=2")
    db.execute(f"CREATE TABLE product ({', '.join(COLUMNS)})")
    db.execute("CREATE UNIQUE INDEX product_barcode ON product (barcode)")
    with csv_path.open(encoding="utf-8", newline="") as text:
        rows = csv.reader(text)
        next(rows)
        db.execute("BEGIN IMMEDIATE")
        db.executemany(f"INSERT INTO product VALUES ({', '.join('?' * len(COLUMNS))})", rows)
        db.execute("COMMIT")
    db.close()
    return time.perf_counter() - start


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of `command`.

    CPU time is reported beside the wall time: on a shared machine the wall
    time also counts other people's work."""
    import resource

    from harness import wall

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = wall(command, env).seconds
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(pos: str, env_for, cache: Path, products: int = 100_000,
            runs: int = 3) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """`pos product import` (new store, the same file again, every price changed) and `pos product
    export`, each run on a fresh copy of an empty store: {scenario: (wall times, CPU times, floor)}."""
    import shutil
    import tempfile

    cache.mkdir(parents=True, exist_ok=True)
    base, prices = cache / f"catalogue-{products}.csv", cache / f"catalogue-{products}-prices.csv"
    for path, step in ((base, 0), (prices, 10)):
        if not path.exists():
            write_csv(path, products, price_step=step)
    empty = empty_store()
    keys = ("fresh", "unchanged", "prices", "export")
    times: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, list[float]] = {key: [] for key in keys}
    floor: list[float] = []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="pos-bench-import-"))
        try:
            shutil.copytree(empty, work / "store")
            env = env_for(work / "store")
            commands = {key: [pos, "product", "import", str(path)]
                        for key, path in (("fresh", base), ("unchanged", base), ("prices", prices))}
            commands["export"] = [pos, "product", "export", str(work / "out.csv")]
            for key in keys:
                seconds, used = _run(commands[key], env)
                times[key].append(seconds)
                cpu[key].append(used)
            floor.append(raw_floor(base, work / "floor"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return {key: (times[key], cpu[key], floor) for key in keys}
