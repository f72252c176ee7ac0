"""Printing an order's packing slip on the lane's receipt printer.

A slip is a print job like a receipt (kind "slip"), so it goes through the
lane's durable queue: a printer out of paper keeps it waiting, never loses
it. The barcode under it is the order number, for scanning at the door.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.hardware.packing_slip import layout_packing_slip
from pos_tui.services import audit, print_queue
from pos_tui.services.context import Actor
from pos_tui.services.order_info import get_order


def slip_lines(settings: Settings, number: str) -> list[str]:
    """The order's slip laid out for the shop's paper (printer.width), in the shop's language (locale)."""
    return layout_packing_slip(get_order(number), shop_name=str(settings.get("store.name")),
                               width=int(settings.get("printer.width")),
                               zone=ZoneInfo(str(settings.get("store.timezone"))),
                               language=str(settings.get("locale")))  # the shop's language, like a receipt


def print_slip(actor: Actor, settings: Settings, number: str, *, lane: str | None = None) -> print_queue.JobInfo:
    """Queue the slip on the lane's printer (anyone who packs may print it); audited."""
    order = get_order(number)
    lines = slip_lines(settings, order.number)
    lane = lane if lane is not None else str(settings.get("lane"))
    stamp = utc_now().strftime("%Y%m%d%H%M%S")  # a reprint's name stays apart from the last one
    with write_transaction():
        job = print_queue.enqueue(lane, order.number, lines, order.number, kind="slip",
                                  name=f"slip-{order.number}-{stamp}")
        audit.record("order.slip", actor, order.number, lane=lane)
    return job
