"""SIGKILL a selling till at random moments, 50 times: every sale it reported is whole, none is half."""

from __future__ import annotations

import random
import signal
import time

from pos_tui.db.models import Payment, Product, Sale, SaleLine, StockMove
from pos_tui.services.integrity import check_store

from tests.faults.conftest import CODES, start_seller

ROUNDS = 50


def _kill_at_random(settings, rng: random.Random) -> list[str]:
    """Start a seller, let it sell for a random while, SIGKILL it; the receipts it reported."""
    child = start_seller(settings, "1", 10_000)
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    reported: list[str] = []
    for _ in range(rng.randint(0, 3)):  # a few sales first, sometimes none
        reported.append(child.stdout.readline().split()[1])
    time.sleep(rng.uniform(0, 0.02))  # then a random point, most often inside a commit
    child.send_signal(signal.SIGKILL)
    child.wait()
    reported += [line.split()[1] for line in child.stdout.read().splitlines() if line.startswith("sold ")]
    child.stdout.close()
    child.stderr.close()
    return reported


def test_a_till_killed_mid_commit_leaves_each_sale_whole_or_absent(shop):
    rng = random.Random(20261126)
    reported: list[str] = []
    for round_no in range(ROUNDS):
        reported += _kill_at_random(shop, rng)

        problems = check_store()
        assert problems == [], f"round {round_no}: {problems}"
        receipts = [s.receipt_no for s in Sale.select(Sale.receipt_no).order_by(Sale.id)]
        assert set(reported) <= set(receipts), f"round {round_no}: a reported sale was lost"
        # Numbers run 1-000001, 1-000002, … with no gap: a killed sale took no number with it.
        assert receipts == [f"1-{n:06d}" for n in range(1, len(receipts) + 1)]

    sales = Sale.select().count()
    assert sales >= len(reported) > ROUNDS  # most rounds sold something before the kill
    assert SaleLine.select().count() == sales * len(CODES)
    assert Payment.select().count() == sales
    assert StockMove.select().where(StockMove.reason == "sale").count() == sales * len(CODES)
    for product in Product.select():
        assert product.stock == 1000 - sales
