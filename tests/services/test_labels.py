"""Shelf labels: laid out for the paper, queued like receipts, printed with their barcode."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_tui.db.models import AuditLog, PrintJob
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.hardware.escpos_printer import file_printer
from pos_tui.hardware.text_width import display_width
from pos_tui.services import auth, labels, print_queue, products
from pos_tui.services.catalog import get_product

INIT = b"\x1b@"
CP437 = b"\x1bt\x00"
CUT = b"\x1bd\x06\x1dV\x00"


def code128(value: str) -> bytes:
    """What python-escpos sends for a centred CODE128 set B barcode with its text below (see tests/hardware)."""
    data = b"{B" + value.encode("ascii")
    return b"\x1ba\x01\x1dh\x40\x1dw\x03\x1df\x00\x1dH\x02\x1dkI" + bytes([len(data)]) + data


def test_a_label_shows_the_name_and_price_centred_to_the_paper(catalog):
    tea = get_product(catalog.tea)
    assert labels.label_lines(tea, 32) == ["     Breakfast Tea 80 bags", "", "              2.50", ""]
    assert labels.label_lines(get_product(catalog.apples), 48)[2].strip() == "3.20 / kg"


def test_a_long_name_is_cut_to_three_lines_within_the_width(catalog, admin_actor):
    products.edit_product(admin_actor, catalog.tea, name="Extra Strong Breakfast Tea Blend With Assam And Ceylon Leaves x 240")
    lines = labels.label_lines(get_product(catalog.tea), 20)
    assert len(lines) == 3 + 3 and lines[2].rstrip().endswith("...")
    assert all(display_width(line) <= 20 for line in lines)


def test_print_label_queues_one_job_per_copy_and_audits_once(catalog, store, admin_actor):
    jobs = labels.print_label(admin_actor, store, catalog.tea, copies=3)

    assert [(j.kind, j.lane, j.barcode, j.state) for j in jobs] == [("label", "1", catalog.tea, "queued")] * 3
    assert len({j.name for j in jobs}) == 3
    assert jobs[0].lines == tuple(labels.label_lines(get_product(catalog.tea), int(store.get("printer.width"))))
    audit = AuditLog.select().where(AuditLog.action == "product.label").get()
    assert (audit.target, audit.details) == (catalog.tea, '{"copies": 3, "lane": "1", "price": "2.50"}')


def test_the_label_bytes_reach_the_printer_with_the_barcode(catalog, store, admin_actor, tmp_path: Path):
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    store.values["printer.width"] = "32"
    labels.print_label(admin_actor, store, catalog.tea, copies=2, lane="7")
    printer = file_printer(str(lp0), timeout_s=0.3)

    done = [print_queue.print_one(printer, "7") for _ in range(2)]
    printer.close()

    assert [j.state for j in done] == ["done", "done"]
    one = (INIT + CP437 + b"     Breakfast Tea 80 bags\n\n              2.50\n\n" + code128(catalog.tea) + CUT)
    assert lp0.read_bytes() == one + one


@pytest.mark.parametrize("copies", [0, -1, 101])
def test_copies_outside_1_to_100_are_refused(catalog, store, admin_actor, copies):
    with pytest.raises(ValidationError, match="copies must be 1 to 100"):
        labels.print_label(admin_actor, store, catalog.tea, copies=copies)
    assert PrintJob.select().count() == 0


def test_no_label_for_an_unknown_or_archived_product_or_a_cashier(catalog, store, admin_actor):
    with pytest.raises(NotFound):
        labels.print_label(admin_actor, store, "4000000000017")
    products.archive_product(admin_actor, catalog.milk)
    with pytest.raises(ValidationError, match="archived; unarchive it"):
        labels.print_label(admin_actor, store, catalog.milk)
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    with pytest.raises(AuthError, match=r"\[product.edit\]"):
        labels.print_label(auth.authenticate("casey", "1111"), store, catalog.tea)
    assert PrintJob.select().count() == 0
