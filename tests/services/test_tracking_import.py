"""A carrier's tracking CSV: applied in full, or refused with every bad line and nothing changed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pos_tui.db.models import AuditLog, DeliveryOrder, OrderEvent, OutboxMessage, StockMove
from pos_tui.errors import AuthError, ImportRejected, ValidationError
from pos_tui.services import integrity, orders
from pos_tui.services.tracking_import import import_tracking
from tests.services.conftest import MILK, TEA
from tests.services.order_helpers import make_shop, order


@pytest.fixture
def shop(store, admin_actor):
    shop = make_shop(store, admin_actor)
    shop.settings.set("store.timezone", "Europe/London")
    return shop


def _shipped(shop, tracking: str, *lines) -> str:
    made = order(shop, *(lines or ((TEA, "1"),)))
    orders.pack(shop.cathy, shop.settings, made.number)
    orders.ship(shop.sam, shop.settings, made.number, carrier="DPD", tracking=tracking)
    return made.number


def _snapshot():
    return ([(o.number, o.status) for o in DeliveryOrder.select().order_by(DeliveryOrder.id)],
            OrderEvent.select().count(), OutboxMessage.select().count(), StockMove.select().count(),
            AuditLog.select().count())


def test_a_tracking_file_delivers_and_notes_in_file_order(shop):
    first, second = _shipped(shop, "T1"), _shipped(shop, "T2", (MILK, "2"))
    text = ("tracking_number,status,time,note\n"
            "T1,shipped,2026-11-25T09:00,in transit at hub\n"
            "T1,delivered,2026-11-26 14:05,left with neighbour\n"
            "T2,delivered,,\n"
            "T2,returned,2026-11-26T18:00:00+00:00,refused at the door\n")
    result = import_tracking(shop.sam, shop.settings, text, source_name="dpd.csv")
    assert (result.changed, result.notes, result.orders) == (3, 1, (first, second))
    one = orders.get_order(first)
    assert one.status == "delivered"
    assert [(e.status_from, e.status_to, e.note, e.source) for e in one.events[-2:]] == [
        ("shipped", "shipped", "in transit at hub", "track-import"),
        ("shipped", "delivered", "left with neighbour", "track-import")]
    assert one.delivered_at == datetime(2026, 11, 26, 14, 5, tzinfo=timezone.utc)  # London is UTC in November
    assert orders.get_order(second).status == "returned"
    assert StockMove.select().where((StockMove.reason == "return") & (StockMove.reference == second)).count() == 1
    assert integrity.check_store() == []
    assert AuditLog.select().where(AuditLog.action == "order.track_import").count() == 1


def test_every_bad_line_is_reported_and_nothing_changes(shop):
    number = _shipped(shop, "T1")
    cancelled = order(shop, (TEA, "1"))
    orders.cancel(shop.sam, shop.settings, cancelled.number)
    before = _snapshot()
    text = ("tracking_number,status,time,note\n"
            "T1,delivered,2026-11-26T10:00,ok\n"
            "NOPE,delivered,,\n"
            "T1,approved,,\n"
            "T1,delivered,yesterday,\n"
            "T1,shipped,,back on the van\n")
    with pytest.raises(ImportRejected) as caught:
        import_tracking(shop.sam, shop.settings, text)
    assert caught.value.problems == [
        "line 3: no order has tracking number 'NOPE'",
        "line 4: status 'approved' is not one of shipped, delivered, returned",
        "line 5: time 'yesterday' is not a date and time; use 2026-11-26T14:05; "
        f"cannot deliver order {number}: it is delivered; allowed now: return",
        f"line 6: cannot ship order {number}: it is delivered; allowed now: return",
    ]
    assert str(caught.value) == "4 bad rows; nothing was imported"
    assert _snapshot() == before


def test_a_file_without_the_columns_is_refused(shop):
    with pytest.raises(ValidationError, match="needs the columns tracking_number, status, time, note; missing status"):
        import_tracking(shop.sam, shop.settings, "tracking_number,state\nT1,delivered\n")


def test_importing_needs_order_approve(shop):
    _shipped(shop, "T1")
    with pytest.raises(AuthError):
        import_tracking(shop.cathy, shop.settings, "tracking_number,status\nT1,delivered\n")
    assert orders.get_order("1").status == "shipped"
