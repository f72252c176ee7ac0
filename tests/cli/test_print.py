"""`pos print`: the print queue from the shell, drained by the same worker as the till."""

from __future__ import annotations

import json

from pos_tui.db.models import PrintJob
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.services import audit, print_queue, sales
from pos_tui.services import product_import
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from tests.conftest import open_test_shift

TEA = "5000000000012"


def _queued_sale(store, actor) -> str:
    rows = product_import.parse_products(
        f"barcode,name,price,stock\n{TEA},Breakfast Tea,2.50,10\n", set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="test.csv")
    open_test_shift(store, "1")
    cart = Cart()
    cart.add(scan(TEA, store.tax_rates()))
    sale = sales.commit_sale(actor, cart, [Tender("cash", 500)], lane="1", settings=store)
    print_queue.enqueue_sale(store, sale)
    return sale.receipt_no


def test_queue_drain_and_reprint(store, admin_actor, pos, ok, home):
    receipt = _queued_sale(store, admin_actor)
    jobs = json.loads(ok(pos("print", "queue", "--json")))
    assert [(j["receipt_no"], j["kind"], j["state"]) for j in jobs] == [(receipt, "receipt", "queued")]
    assert "printed 1 job(s); 0 waiting" in ok(pos("print", "drain"))
    assert (home / "receipts" / f"{receipt}.txt").exists()
    assert json.loads(ok(pos("print", "queue", "--json"))) == []
    assert "queued job" in ok(pos("print", "reprint", receipt))
    assert audit.entries("receipt.reprint")[0].target == receipt
    ok(pos("print", "drain"))
    assert "COPY" in (home / "receipts" / f"{receipt}-copy.txt").read_text(encoding="utf-8")


def test_a_drain_that_fails_keeps_the_job_and_says_so(store, admin_actor, pos, refused, ok, home):
    receipt = _queued_sale(store, admin_actor)
    (home / "receipts").rename(home / "receipts.away")
    (home / "receipts").write_text("")  # the simulated printer cannot write: like a printer gone offline
    refused(pos("print", "drain"), "the printer", "pos print retry")
    (home / "receipts").unlink()
    (home / "receipts.away").rename(home / "receipts")
    assert PrintJob.get(PrintJob.receipt_no == receipt).state == "failed"
    assert "1 failed job(s) due now" in ok(pos("print", "retry"))
    ok(pos("print", "drain"))
    assert PrintJob.get(PrintJob.receipt_no == receipt).state == "done"


def test_reprint_of_an_unknown_receipt_is_refused(store, pos, refused):
    refused(pos("print", "reprint", "9-999999"), "no sale with receipt number")
