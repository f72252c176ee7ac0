"""Deterministic stores at scale for the benchmarks, built once and cached in bench/.cache/."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CACHE = ROOT / ".cache"

WORDS = ("Organic Whole Milk Sourdough Loaf Apple Juice Dark Chocolate Green Tea Basmati Rice Olive Oil "
         "Pasta Penne Tomato Sauce Cheddar Cheese Greek Yogurt Coffee Beans Oat Biscuits Sparkling Water "
         "Lemon Soap Paper Towels Dish Liquid Cat Food Dog Treats Honey Jam Peanut Butter Crisps 苹果 牛奶 面包").split()


def big_store(products: int = 100_000) -> Path:
    """The sample shop plus `products` generated items (valid EAN-13s), no history."""
    home = CACHE / f"store-{products}"
    if (home / "pos.db").exists():
        upgrade(home)
        return home
    script = f"""
import random
from datetime import date
from pos_tui.config import load_settings
from pos_tui.db.bulk import bulk_insert
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Category, Product
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.services.demo import build_demo_store
build_demo_store(load_settings({str(home)!r}), today=date.today(), with_history=False)
rng = random.Random(12)
words = {WORDS!r}
with write_transaction():
    cats = [c.id for c in Category.select()]
    now = utc_now()
    rows = []
    for i in range({products}):
        name = " ".join(rng.sample(words, 3)) + f" {{i}}"
        rows.append(dict(barcode=with_check_digit(f"77{{i:010d}}"), name=name, price=rng.randrange(50, 5000),
                         cost=rng.randrange(20, 40), tax_class="standard", unit="each", category=rng.choice(cats),
                         stock=0, reorder_level=0, archived=False, created_at=now, updated_at=now))
    bulk_insert(Product, rows)
"""
    subprocess.run([sys.executable, "-c", script], check=True)
    return home


def upgrade(home: Path) -> None:
    """A cached store built by an older version gets the migrations since (a no-op when current)."""
    pos = str(Path(sys.executable).parent / "pos")
    subprocess.run([pos, "--home", str(home), "db", "upgrade"], check=True, stdout=subprocess.DEVNULL)
