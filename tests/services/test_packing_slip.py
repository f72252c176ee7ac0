"""The packing slip: laid out for the paper, queued like a receipt, printed with the order's barcode."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from pos_tui.db.models import AuditLog, DeliveryOrder, PrintJob
from pos_tui.errors import NotFound
from pos_tui.hardware.escpos_printer import file_printer
from pos_tui.hardware.text_width import display_width
from pos_tui.services import orders, packing_slip, print_queue
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop, order

INIT = b"\x1b@"
CP437 = b"\x1bt\x00"
CUT = b"\x1bd\x06\x1dV\x00"


def code128(value: str) -> bytes:
    """What python-escpos sends for a centred CODE128 set B barcode with its text below (see tests/hardware)."""
    data = b"{B" + value.encode("ascii")
    return b"\x1ba\x01\x1dh\x40\x1dw\x03\x1df\x00\x1dH\x02\x1dkI" + bytes([len(data)]) + data


@pytest.fixture
def shipped(store, admin_actor):
    """Ann's order of tea and milk, shipped with DHL, taken on 2026-03-05."""
    store.values["store.name"] = "Corner Shop"
    store.values["printer.width"] = "32"
    shop = make_shop(store, admin_actor)
    made = order(shop, (TEA, "2"), (MILK, "1"), payment="on_delivery", note="Leave at the back door")
    DeliveryOrder.update(created_at=datetime(2026, 3, 5, 10, 0, tzinfo=timezone.utc)).execute()
    orders.pack(shop.sam, store, made.number)
    carrier = orders.carriers(store)[0]
    orders.ship(shop.sam, store, made.number, carrier=carrier, tracking="TRK123", service="next-day",
                expected=date(2026, 3, 7))
    return shop, made.number, carrier


def test_the_slip_names_the_order_the_recipient_the_carrier_and_the_lines(shipped):
    shop, number, carrier = shipped
    lines = packing_slip.slip_lines(shop.settings, number)
    assert lines == [
        "          Corner Shop",
        "          PACKING SLIP",
        "-" * 32,
        "Order     ORD-000001",
        "Date      2026-03-05",
        "Type      Delivery",
        "Customer  Ann Archer",
        "-" * 32,
        "DELIVER TO",
        "Ann Archer",
        "1 High Street",
        "Leeds LS1 1AA",
        "Phone     +44 7700 900001",
        f"Carrier   {carrier} next-day",
        "Tracking  TRK123",
        "Expected  2026-03-07",
        "-" * 32,
        " QTY  ITEM",
        "   2  Breakfast Tea 80 bags",
        "   1  Whole Milk 1L",
        "-" * 32,
        "Lines     2",
        "TO COLLECT                  6.00",
        "Note: Leave at the back door",
        "           Thank you!",
    ]


def test_cjk_names_and_long_addresses_stay_within_the_paper(store, admin_actor):
    shop = make_shop(store, admin_actor)
    cart = orders.cart_from_lines(store, [(TEA, 1)])
    cart.lines[0] = dataclasses.replace(cart.lines[0], name="烏龍茶 高山 特選 茶葉 一百グラム入り 贈答用")
    made = orders.create_order(shop.cathy, store, cart, customer_id=shop.bob, delivery=orders.Delivery(
        address="Flat 12, The Very Long Named Residential Building, 144 Westminster Bridge Road, London SE1 7RW"))
    for width in (32, 48):
        store.values["printer.width"] = str(width)
        lines = packing_slip.slip_lines(store, made.number)
        assert all(display_width(line) <= width for line in lines), lines
        assert any("烏龍茶" in line for line in lines)
        assert any("SE1 7RW" in line for line in lines)


def test_the_slip_bytes_reach_the_printer_with_the_order_barcode(shipped, tmp_path: Path):
    shop, number, _ = shipped
    lp0 = tmp_path / "lp0"
    lp0.write_bytes(b"")
    job = packing_slip.print_slip(shop.cathy, shop.settings, number, lane="7")
    assert (job.kind, job.receipt_no, job.barcode, job.state) == ("slip", number, number, "queued")
    printer = file_printer(str(lp0), timeout_s=0.3)

    done = print_queue.print_one(printer, "7")
    printer.close()

    assert done.state == "done"
    text = "\n".join(packing_slip.slip_lines(shop.settings, number)) + "\n"
    assert lp0.read_bytes() == INIT + CP437 + text.encode("ascii") + code128(number) + CUT
    row = AuditLog.select().where(AuditLog.action == "order.slip").get()
    assert (row.target, row.username) == (number, "cathy")


def test_an_unknown_order_prints_nothing(store, admin_actor):
    make_shop(store, admin_actor)
    with pytest.raises(NotFound, match="no order 'ORD-000404'"):
        packing_slip.print_slip(admin_actor, store, "ORD-000404")
    assert PrintJob.select().count() == 0


def test_pos_order_slip_queues_it_and_an_unknown_one_is_one_error_line(shipped, cli, home):
    shop, number, _ = shipped
    result = cli("--home", str(home), "order", "slip", "1")
    assert result.exit_code == 0, result.output
    assert result.output == f"packing slip for {number} queued on lane 1 (job 1)\n"
    bad = cli("--home", str(home), "order", "slip", "ORD-000404")
    assert bad.exit_code != 0
    assert bad.output.strip().splitlines() == ["error: no order 'ORD-000404'; see `pos order list`"]
    assert [j.kind for j in print_queue.list_jobs("1")] == ["slip"]
