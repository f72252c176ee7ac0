"""A carrier's tracking CSV applied to orders: all or nothing, every bad line reported.

Columns: tracking_number,status,time,note (note and time may be empty; a
time without a zone is the shop's). Lines apply in file order, so one file
may carry an order from shipped to delivered. A line whose status is the
order's current status "shipped" is a tracking note on the timeline (in
transit, out for delivery); any other change must be one the status machine
allows from where the earlier lines left the order. One bad line and nothing
is changed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import DeliveryOrder, OrderEvent
from pos_tui.errors import ImportRejected, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit, order_status as st
from pos_tui.services.context import Actor
from pos_tui.services.orders import apply_change
from pos_tui.services.permissions import require

COLUMNS = ("tracking_number", "status", "time", "note")
# What a carrier can report; approving or packing is the shop's business.
CARRIER_STATUSES = (st.SHIPPED, st.DELIVERED, st.RETURNED)
SOURCE = "track-import"


@dataclass(frozen=True)
class TrackingRow:
    line: int
    tracking: str
    order_id: int
    number: str
    status: str
    time: datetime
    note: str
    change: bool  # False: a note on the timeline, the status stays


@dataclass(frozen=True)
class TrackingResult:
    changed: int
    notes: int
    orders: tuple[str, ...]


def _time(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    if not text.strip():
        return now
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(_("time {text!r} is not a date and time; use 2026-11-26T14:05").format(text=text.strip())) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(ZoneInfo("UTC"))


def parse(settings: Settings, text: str, *, now: datetime | None = None) -> list[TrackingRow]:
    """Check every line against the orders as they are; ImportRejected lists every bad one."""
    now = now or utc_now()
    zone = ZoneInfo(str(settings.get("store.timezone")))
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("tracking_number", "status") if c not in header]
    if missing:
        raise ValidationError(_("the file needs the columns {COLUMNS}; missing {missing}").format(COLUMNS=', '.join(COLUMNS), missing=', '.join(missing)))
    reader.fieldnames = header
    problems: list[str] = []
    rows: list[TrackingRow] = []
    current: dict[int, str] = {}  # where earlier lines leave each order
    for raw in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        tracking, status = values.get("tracking_number", ""), values.get("status", "").lower().replace(" ", "_")
        if not tracking and not status:
            continue
        errors: list[str] = []
        if status not in CARRIER_STATUSES:
            errors.append(_("status {status!r} is not one of {CARRIER_STATUSES}").format(status=status, CARRIER_STATUSES=', '.join(CARRIER_STATUSES)))
        try:
            at = _time(values.get("time", ""), zone, now)
        except ValidationError as exc:
            errors.append(str(exc))
            at = now
        found = list(DeliveryOrder.select(DeliveryOrder.id, DeliveryOrder.number, DeliveryOrder.status,
                                          DeliveryOrder.fulfilment)
                     .where(DeliveryOrder.tracking_number == tracking)) if tracking else []
        if not tracking:
            errors.append(_("no tracking number"))
        elif not found:
            errors.append(_("no order has tracking number {tracking!r}").format(tracking=tracking))
        elif len(found) > 1:
            errors.append(_("tracking number {tracking!r} is on several orders: {number}").format(tracking=tracking, number=', '.join((o.number for o in found))))
        change = True
        if len(found) == 1 and status in CARRIER_STATUSES:
            order = found[0]
            was = current.get(order.id, order.status)
            if status == was == st.SHIPPED:
                change = False
            elif status not in st.allowed_from(was, order.fulfilment):
                errors.append(str(st.IllegalTransition(order.number, was, status, order.fulfilment)))
            else:
                current[order.id] = status
        if errors:
            problems.append(_("line {line}: {problems}").format(line=line, problems="; ".join(errors)))
            continue
        rows.append(TrackingRow(line, tracking, found[0].id, found[0].number, status, at,
                                values.get("note", ""), change))
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ValidationError(_("the file has no tracking lines"))
    return rows


def import_tracking(actor: Actor, settings: Settings, text: str, *, source_name: str = "") -> TrackingResult:
    """Apply a tracking file in one transaction; needs order.approve (it ships, delivers and returns)."""
    require(actor, "order.approve")
    if actor.training:
        raise ValidationError(_("orders are not changed in training mode; leave training mode first"))
    changed = notes = 0
    with write_transaction():  # checked under the write lock, so no other lane moves an order in between
        rows = parse(settings, text)
        for row in rows:
            order = DeliveryOrder.get_by_id(row.order_id)
            if row.change:
                apply_change(actor, settings, order, row.status, note=row.note, source=SOURCE, at=row.time)
                changed += 1
            else:
                OrderEvent.create(order=order.id, status_from=order.status, status_to=order.status,
                                  username=actor.username or actor.os_user, os_user=actor.os_user,
                                  note=row.note, source=SOURCE, created_at=row.time)
                notes += 1
        audit.record("order.track_import", actor, source_name, lines=len(rows), changed=changed, notes=notes)
    return TrackingResult(changed, notes, tuple(dict.fromkeys(r.number for r in rows)))
