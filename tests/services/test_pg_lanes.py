"""Four tills selling the same products at once on one PostgreSQL store lose nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from decimal import Decimal

from pos_tui.config import load_settings
from pos_tui.db.models import Product, Sale, StockMove
from pos_tui.services.integrity import check_store
from pos_tui.services.store import open_store
from tests.pg_lanes import MILK, START_STOCK, TEA, audit_lane, prepare, run_lanes

pytestmark = pytest.mark.pg

SALES_PER_LANE = 25
LANES = ["1", "1", "2", "3"]  # two tills on lane 1 share its receipt numbering


def test_four_lanes_lose_no_stock_update_and_repeat_no_receipt_number(pg_url):
    prepare(pg_url, LANES)

    run = run_lanes(pg_url, LANES, SALES_PER_LANE)

    assert run.errors == []
    sold = len(LANES) * SALES_PER_LANE
    assert run.sales == sold
    duplicates = [no for no, n in Counter(run.receipts).items() if n > 1]
    assert duplicates == []
    open_store(load_settings(db=pg_url))
    lane_1 = sorted(no for no in run.receipts if no.startswith("1-"))
    assert lane_1 == [f"1-{n:06d}" for n in range(1, 2 * SALES_PER_LANE + 1)]  # no gap, no repeat
    for code in (TEA, MILK):
        assert Product.get(Product.barcode == code).stock == Decimal(START_STOCK - sold)
    assert Sale.select().count() == sold
    assert StockMove.select().where(StockMove.reason == "sale").count() == 2 * sold
    assert check_store() == []  # stock = its moves, totals, and one unbroken audit chain


def test_lanes_writing_only_audit_rows_at_once_keep_one_unbroken_chain(pg_url):
    from pos_tui.db.models import AuditLog
    from pos_tui.services import audit

    run = run_lanes(pg_url, ["1", "2", "3", "4"], 30, work=audit_lane)

    assert run.errors == []
    open_store(load_settings(db=pg_url))
    assert AuditLog.select().where(AuditLog.action == "till.event").count() == 120
    assert audit.verify_chain() is None
