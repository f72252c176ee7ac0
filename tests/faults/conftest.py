"""A store with a small catalogue and a cashier, and a child process that sells on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pos_tui.config import Settings
from pos_tui.services import auth, product_import
from pos_tui.services.context import Actor

SELLER = Path(__file__).with_name("seller.py")
CODES = ("5000000000012", "5000000000029", "5000000000036")
CATALOG = "barcode,name,price,stock,tax_class\n" + "".join(
    f"{code},Item {n},{n}.25,1000,standard\n" for n, code in enumerate(CODES, start=1))


@pytest.fixture
def shop(store: Settings) -> Settings:
    rows = product_import.parse_products(CATALOG, set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="faults.csv")
    auth.add_user(Actor.cli(), "casey", "1111", "cashier")
    from tests.conftest import open_test_shift

    open_test_shift(store, "1")  # lane 1's shift is open; a seller on another lane opens its own
    return store


def start_seller(settings: Settings, lane: str, count: int, codes=CODES) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.Popen(
        [sys.executable, str(SELLER), str(settings.home), lane, str(count), ",".join(codes)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
