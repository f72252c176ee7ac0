"""Customer messages: written with each order change, sent later by the shop's own command.

A message is a row (OutboxMessage) written inside the order change's own
transaction, so a message exists exactly when its change does. Sending is
separate and may fail: `notify.command` (a shell command) gets the message as
JSON on stdin and exit 0 means sent; anything else, or running past
notify.timeout_s, leaves the message `failed` with the reason, tried again
after a growing pause (2, 4, 8 ... 60 s, as the print queue does). With no
command configured, messages stay `queued`: `pos outbox list` shows what
would be sent. `pos outbox send` (run it from cron, or the till's worker
calls send_due) sends what is due, after writing the messages of orders
that became late (once per order).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from peewee import JOIN

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Customer, DeliveryOrder, OutboxMessage
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.order_info import _late_condition, shop_today
from pos_tui.services.print_queue import backoff_seconds

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATES = (QUEUED, SENDING, SENT, FAILED)
LATE = "late"
STALE_SENDING = timedelta(minutes=10)  # a sender that crashed mid-send: the message goes back to queued


@dataclass(frozen=True)
class MessageInfo:
    id: int
    order: str
    event: str
    channel: str
    recipient: str
    text: str
    state: str
    attempts: int
    last_error: str
    next_try_at: datetime
    created_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0
    late_queued: int = 0
    waiting: int = 0  # queued with no notify.command to send them
    errors: tuple[str, ...] = ()


def _info(row: OutboxMessage, number: str = "") -> MessageInfo:
    return MessageInfo(row.id, number, row.event, row.channel, row.recipient, row.text, row.state, row.attempts,
                       row.last_error, row.next_try_at, row.created_at, row.sent_at)


def render(settings: Settings, event: str, order: DeliveryOrder, name: str) -> str:
    """The event's template filled in with the order's values."""
    template = str(settings.get(f"notify.template.{event}"))
    values = {
        "number": order.number, "name": name, "status": order.status.replace("_", " "),
        "carrier": order.carrier or "-", "tracking": order.tracking_number or "-",
        "expected": order.expected_date or "-",
    }
    return template.format(**values)


def _contact(order: DeliveryOrder) -> tuple[Customer | None, str, str, str]:
    """(customer, channel, recipient, name): email first, then the customer's phone, then the delivery phone."""
    customer = Customer.get_by_id(order.customer_id) if order.customer_id else None
    name = customer.name if customer else order.recipient
    if customer is not None and customer.email:
        return customer, "email", customer.email, name
    if customer is not None and customer.phone:
        return customer, "sms", customer.phone, name
    if order.recipient_phone:
        return customer, "sms", order.recipient_phone, name
    return customer, "", "", name


def queue(settings: Settings, order: DeliveryOrder, event: str, at: datetime | None = None) -> OutboxMessage | None:
    """Write the message of `event` for `order`; call inside the change's write_transaction.

    An order with nobody to write to (no customer contact, no phone) gets none.
    Events without a template (a draft being created) write nothing.
    """
    from pos_tui.config import KEYS

    if f"notify.template.{event}" not in KEYS:
        return None
    customer, channel, recipient, name = _contact(order)
    if not recipient:
        return None
    now = at or utc_now()
    return OutboxMessage.create(order=order.id, customer=customer.id if customer else None, event=event,
                                channel=channel, recipient=recipient, text=render(settings, event, order, name),
                                state=QUEUED, next_try_at=now, created_at=now)


def queue_late(settings: Settings, today: date | None = None) -> int:
    """Write one "late" message for each late order that has none yet; returns how many."""
    today = today or shop_today(settings)
    written = 0
    with write_transaction():
        already = OutboxMessage.select(OutboxMessage.order).where(
            (OutboxMessage.event == LATE) & OutboxMessage.order.is_null(False))
        for order in DeliveryOrder.select().where(_late_condition(today) & ~DeliveryOrder.id.in_(already)):
            if queue(settings, order, LATE) is not None:
                written += 1
    return written


def list_messages(state: str | None = None, *, limit: int = 100) -> list[MessageInfo]:
    """Newest first."""
    if state is not None and state not in STATES:
        raise ValidationError(_("unknown message state {state!r}; use one of {STATES}").format(state=state, STATES=', '.join(STATES)))
    query = (OutboxMessage.select(OutboxMessage, DeliveryOrder.number.alias("order_number"))
             .join(DeliveryOrder, on=(OutboxMessage.order == DeliveryOrder.id), join_type=JOIN.LEFT_OUTER)
             .order_by(OutboxMessage.id.desc()).limit(limit))
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    return [_info(row, getattr(row, "order_number", None) or "") for row in query.objects()]


def retry(actor: Actor, message_id: int | None = None, now: datetime | None = None) -> int:
    """Make failed messages (or the one named) due now; returns how many. Audited."""
    now = now or utc_now()
    with write_transaction():
        condition = OutboxMessage.state == FAILED
        if message_id is not None:
            row = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
            if row is None:
                raise NotFound(_("no message {message_id}; see `pos outbox list`").format(message_id=message_id))
            if row.state != FAILED:
                raise ValidationError(_("message {message_id} is {state}, not failed; only failed ones are retried").format(message_id=message_id, state=row.state))
            condition &= OutboxMessage.id == message_id
        count = OutboxMessage.update(next_try_at=now).where(condition).execute()
        audit.record("outbox.retry", actor, str(message_id or "all"), messages=count)
    return count


def _claim(now: datetime) -> OutboxMessage | None:
    """Take the oldest due message, marking it sending (another sender skips it)."""
    with write_transaction():
        OutboxMessage.update(state=QUEUED).where(
            (OutboxMessage.state == SENDING)
            & (OutboxMessage.next_try_at <= OutboxMessage.next_try_at.db_value(now - STALE_SENDING))).execute()
        row = (OutboxMessage.select()
               .where(OutboxMessage.state.in_((QUEUED, FAILED))
                      & (OutboxMessage.next_try_at <= OutboxMessage.next_try_at.db_value(now)))
               .order_by(OutboxMessage.next_try_at, OutboxMessage.id).first())
        if row is None:
            return None
        OutboxMessage.update(state=SENDING, attempts=OutboxMessage.attempts + 1, next_try_at=now).where(
            OutboxMessage.id == row.id).execute()
    return OutboxMessage.get_by_id(row.id)


def payload(row: OutboxMessage) -> dict:
    """What notify.command reads on stdin."""
    number = DeliveryOrder.get_by_id(row.order_id).number if row.order_id else None
    return {"id": row.id, "event": row.event, "channel": row.channel, "recipient": row.recipient, "text": row.text,
            "order": number, "attempt": row.attempts}


def run_command(command: str, message: dict, timeout_s: float) -> str | None:
    """Run the shop's command with the message as JSON on stdin; None if it exited 0, else why not.

    The command runs in its own process group, so a timeout kills whatever it started too.
    """
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return _("notify.command could not start: {exc}").format(exc=exc)
    try:
        _out, err = proc.communicate(data, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        return _("notify.command took longer than {timeout_s:g} s and was stopped").format(timeout_s=timeout_s)
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()
        reason = f": {tail[-1][:200]}" if tail else ""
        return _("notify.command exited {returncode}{reason}").format(returncode=proc.returncode, reason=reason)
    return None


def send_due(settings: Settings, now: datetime | None = None, *, limit: int = 100) -> SendReport:
    """Queue late messages, then send what is due through notify.command (nothing without one)."""
    late = queue_late(settings)
    command = str(settings.get("notify.command")).strip()
    if not command:
        waiting = OutboxMessage.select().where(OutboxMessage.state.in_((QUEUED, FAILED))).count()
        return SendReport(late_queued=late, waiting=waiting)
    timeout = int(Decimal(str(settings.get("notify.timeout_s"))) * 1000) / 1000  # seconds, no money near
    sent = failed = 0
    errors: list[str] = []
    for _attempt in range(limit):
        at = now or utc_now()
        row = _claim(at)
        if row is None:
            break
        problem = run_command(command, payload(row), timeout)
        done = utc_now() if now is None else at
        with write_transaction():
            if problem is None:
                OutboxMessage.update(state=SENT, last_error="", sent_at=done).where(
                    OutboxMessage.id == row.id).execute()
                sent += 1
            else:
                pause = timedelta(seconds=backoff_seconds(row.attempts))
                OutboxMessage.update(state=FAILED, last_error=problem[:500], next_try_at=done + pause).where(
                    OutboxMessage.id == row.id).execute()
                failed += 1
                errors.append(_("message {id}: {problem}").format(id=row.id, problem=problem))
    return SendReport(sent=sent, failed=failed, late_queued=late, errors=tuple(errors))
