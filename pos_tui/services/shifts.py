"""Shifts and cash control: open with a counted float, cash in and out, close with a blind count.

One open shift per lane (a service check inside the IMMEDIATE write
transaction, backed by the partial unique index `shift_one_open_per_lane`).
Sales, refunds and no-sales need the lane's open shift (services/shift_guard.py);
training sales need one too, so the till works the same, but never count.
A close records the count first and only then says the over/short (a blind
count); it stores the Z report as printed and queues it; a closed shift never
changes (SQLite triggers refuse it). The drawer opens after each commit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from peewee import fn

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import CashMovement, Shift
from pos_tui.domain import rule_values as rv
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.tender import CASH
from pos_tui.errors import NotFound, PosError, ValidationError
from pos_tui.hardware.base import Drawer
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.cash_count import break_down, counted, denominations, parse_counts  # noqa: F401 (the API)
from pos_tui.services.context import Actor
from pos_tui.services.drawer import DrawerOutcome, open_drawer
from pos_tui.services.drawer_rules import CashEvent, ShiftEvent
from pos_tui.services.limits import NeedsApproval, refusal_for
from pos_tui.services.permissions import has, require
from pos_tui.services.shift_guard import open_shift_id
from pos_tui.services.shift_reports import (
    MOVEMENT_KINDS, PAID_IN, MovementInfo, ShiftReport, build_report, cash_expected, counts_from_json,
    counts_to_json,
)

MAX_NOTE = 200


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    lane: str
    number: int
    opened_by: str
    opened_at: datetime
    float_amount: int
    float_counts: tuple[tuple[int, int], ...]
    closed_by: str = ""
    closed_at: datetime | None = None
    counted: int | None = None
    counts: tuple[tuple[int, int], ...] = ()
    expected: int | None = None
    over_short: int | None = None
    approver: str = ""
    note: str = ""
    batch_totals: tuple[tuple[str, int], ...] = ()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Opened:
    shift: ShiftInfo
    drawer: DrawerOutcome | None


@dataclass(frozen=True)
class Moved:
    movement: MovementInfo
    expected_after: int  # what the drawer should hold after it
    drawer: DrawerOutcome | None


@dataclass(frozen=True)
class Closed:
    """The close as recorded: the over/short is shown only now, after the count was saved."""

    shift: ShiftInfo
    report: ShiftReport
    z_lines: tuple[str, ...]
    drawer: DrawerOutcome | None
    backup_path: str = ""
    backup_error: str = ""  # the close stands; the backup failed and says why
    print_error: str = ""

    @property
    def over_short(self) -> int:
        return self.shift.over_short or 0


def _who(actor: Actor) -> str:
    return actor.username or actor.os_user or "unknown"


def _info(row: Shift) -> ShiftInfo:
    return ShiftInfo(
        row.id, row.lane, row.number, row.opened_by, row.opened_at, row.float_amount,
        counts_from_json(row.float_counts), row.closed_by, row.closed_at, row.counted, counts_from_json(row.counts),
        row.expected, row.over_short, row.approver, row.note,
        tuple(sorted((k, int(v)) for k, v in json.loads(row.batch_totals).items())),
    )


def _lane(settings: Settings, lane: str | None) -> str:
    return str(settings.get("lane")) if lane is None else lane


def _note(note: str) -> str:
    text = note.strip()
    if len(text) > MAX_NOTE or any(ord(c) < 0x20 for c in text):
        raise ValidationError(_("a note must be one line of at most {MAX_NOTE} characters").format(MAX_NOTE=MAX_NOTE))
    return text


# -- reading -------------------------------------------------------------------
def current_shift(lane: str) -> ShiftInfo | None:
    """The lane's open shift, or None."""
    row = Shift.get_or_none((Shift.lane == lane) & Shift.closed_at.is_null())
    return _info(row) if row else None


def get_shift(shift_id: int) -> ShiftInfo:
    row = Shift.get_or_none(Shift.id == shift_id)
    if row is None:
        raise NotFound(_("no shift with id {shift_id}; see `pos shift list`").format(shift_id=shift_id))
    return _info(row)


def list_shifts(lane: str | None = None, limit: int | None = None) -> list[ShiftInfo]:
    """Shifts newest first."""
    query = Shift.select().order_by(Shift.id.desc())
    if lane is not None:
        query = query.where(Shift.lane == lane)
    if limit is not None:
        query = query.limit(limit)
    return [_info(row) for row in query]


def expected_cash(lane: str) -> int:
    """What the lane's drawer should hold now (for a supervisor; the blind count never shows it)."""
    shift_id = open_shift_id(lane)
    if shift_id is None:
        raise ValidationError(_("lane {lane} has no open shift").format(lane=lane))
    return cash_expected(shift_id)


# -- opening -------------------------------------------------------------------
def open_shift(actor: Actor, settings: Settings, *, lane: str | None = None, counts: Mapping | None = None,
               amount: int | None = None, drawer: Drawer | None = None, at: datetime | None = None) -> Opened:
    """Start the lane's shift with the float counted; refuses while another is open. No permission needed."""
    lane = _lane(settings, lane)
    total, parsed = counted(settings, counts, amount, _("float"))
    at = at or utc_now()
    with write_transaction():
        existing = Shift.get_or_none((Shift.lane == lane) & Shift.closed_at.is_null())
        if existing is not None:
            raise ValidationError(_("lane {lane} already has shift {number} open (opened by {opened_by}); close it "
                                    "before opening another").format(lane=lane, number=existing.number, opened_by=existing.opened_by))
        number = (Shift.select(fn.MAX(Shift.number)).where(Shift.lane == lane).scalar() or 0) + 1
        row = Shift.create(lane=lane, number=number, opened_by=_who(actor), opened_at=at, float_amount=total,
                           float_counts=counts_to_json(parsed))
        audit.record("shift.open", actor, lane, shift=row.id, number=number, float=total,
                     counts=json.loads(row.float_counts))
    outcome = None
    if drawer is not None:
        outcome = open_drawer(actor, settings, drawer, ShiftEvent("open", training=actor.training), lane=lane)
    return Opened(_info(row), outcome)


def open_for_count(actor: Actor, settings: Settings, drawer: Drawer, kind: str, *, lane: str | None = None
                   ) -> DrawerOutcome:
    """Open the drawer to count the cash before a shift opens or closes, if drawer.rules.shift_<kind> says so."""
    return open_drawer(actor, settings, drawer, ShiftEvent(kind, training=actor.training), lane=_lane(settings, lane))


# -- cash in and out -----------------------------------------------------------
def movement_reasons(settings: Settings) -> tuple[str, ...]:
    return rv.parse_reasons(settings.get("cash.movement_reasons"))


def cash_movement(actor: Actor, settings: Settings, kind: str, amount: int, reason: str, *, lane: str | None = None,
                  note: str = "", approver: Actor | None = None, drawer: Drawer | None = None,
                  at: datetime | None = None) -> Moved:
    """Pay cash in or out of the lane's open shift (kind paid_in, paid_out or safe_drop).

    Needs cash.in_out (the actor's or the approver's). Cash out past what the
    drawer should hold needs shift.close_over_limit too (a supervisor).
    A refusal raises (ValidationError, NeedsApproval, AuthError) and changes nothing.
    """
    lane = _lane(settings, lane)
    if kind not in MOVEMENT_KINDS:
        raise ValidationError(_("{kind!r} is not a cash movement; use one of {MOVEMENT_KINDS}").format(kind=kind, MOVEMENT_KINDS=', '.join(MOVEMENT_KINDS)))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValidationError(_("the amount must be more than 0.00"))
    reason = reason.strip()
    reasons = movement_reasons(settings)
    if reason not in reasons:
        raise ValidationError(_("{reason!r} is not a reason for cash in or out; pick one of: {reasons}").format(reason=reason, reasons=', '.join(reasons)))
    note = _note(note)
    if actor.training:
        raise ValidationError(_("training mode: cash in and out is not recorded; leave training first"))
    _check(settings, actor, approver, NeedsApproval(
        _("{who} may not pay cash in or out [cash.in_out]; a supervisor must approve").format(who=actor.username or _("this user")),
        cash_in_out=True),
        lambda who: has(who, "cash.in_out"))
    at = at or utc_now()
    with write_transaction():
        shift_id = open_shift_id(lane)
        if shift_id is None:
            raise ValidationError(_("lane {lane} has no open shift; open a shift before paying cash in or out").format(lane=lane))
        expected = cash_expected(shift_id)
        if kind != PAID_IN and amount > expected:
            _check(settings, actor, approver, NeedsApproval(
                _("{amount} is more than the {expected} the drawer should hold; a supervisor must approve").format(amount=format_money(amount), expected=format_money(expected)), cash_over=True, cash_in_out=True),
                lambda who: has(who, "shift.close_over_limit") and has(who, "cash.in_out"))
        row = CashMovement.create(shift=shift_id, kind=kind, amount=amount, reason=reason, note=note,
                                  user=_who(actor), approver=approver.username if approver else "", created_at=at)
        after = expected + (amount if kind == PAID_IN else -amount)
        audit.record("cash.movement", actor, lane, shift=shift_id, kind=kind, amount=amount, reason=reason, note=note,
                     approver=approver.username if approver else None, expected_after=after)
    outcome = None
    if drawer is not None:
        outcome = open_drawer(actor, settings, drawer, CashEvent(kind, amount, training=actor.training), lane=lane,
                              approver=approver)
    return Moved(MovementInfo(row.id, kind, amount, reason, note, row.user, row.approver, at), after, outcome)


def _check(settings: Settings, actor: Actor, approver: Actor | None, request: NeedsApproval, allowed) -> None:
    """The actor may, or the approver they named may (re-checked here); else NeedsApproval / AuthError."""
    from pos_tui.errors import AuthError

    if allowed(actor):
        return
    if approver is None:
        raise request
    refusal = refusal_for(settings, approver, request)
    if refusal:
        raise AuthError(refusal)


# -- closing -------------------------------------------------------------------
def z_name(lane: str, number: int) -> str:
    return f"Z-{lane}-{number:04d}"


def _batch(settings: Settings, batch_totals: Mapping[str, int] | None) -> dict[str, int]:
    from pos_tui.services.tenders import tender_choices

    if not batch_totals:
        return {}
    kinds = [c.kind for c in tender_choices(settings) if c.kind != CASH]
    out = {}
    for tender, value in batch_totals.items():
        if tender not in kinds:
            raise ValidationError(_("{tender!r} is not a card or other tender; use one of {kinds}").format(tender=tender, kinds=', '.join(kinds)))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(_("the terminal's {tender} total must be an amount of 0.00 or more").format(tender=tender))
        out[tender] = value
    return out


def count_needs_note(settings: Settings, *, lane: str | None = None, counts: Mapping | None = None,
                     amount: int | None = None) -> bool:
    """Whether this count is off by more than shift.over_short_limit (then closing needs a note).

    For the till to ask for the note up front; never says by how much (the count is blind).
    """
    total, _parsed = counted(settings, counts, amount, _("cash"))
    limit = parse_money(str(settings.get("shift.over_short_limit")), what="shift.over_short_limit")
    return abs(total - expected_cash(_lane(settings, lane))) > limit


def close_shift(actor: Actor, settings: Settings, *, lane: str | None = None, counts: Mapping | None = None,
                amount: int | None = None, note: str = "", approver: Actor | None = None,
                batch_totals: Mapping[str, int] | None = None, drawer: Drawer | None = None,
                at: datetime | None = None) -> Closed:
    """Close the lane's open shift with the blind count; the over/short is in the result, after it was saved.

    An over/short past shift.over_short_limit needs shift.close_over_limit (the
    actor's or the approver's) and a note. Then: the Z report is queued to
    print, the database backed up (backup.on_shift_close; a failure is
    reported, the close stands) and the drawer opened (drawer.rules.shift_close).
    """
    lane = _lane(settings, lane)
    if actor.training:  # the count and the Z report are the real drawer's
        raise ValidationError(_("training mode: the shift is not closed; a live user closes it (leave training first)"))
    total, parsed = counted(settings, counts, amount, _("cash"))
    note = _note(note)
    typed = _batch(settings, batch_totals)
    limit = parse_money(str(settings.get("shift.over_short_limit")), what="shift.over_short_limit")
    at = at or utc_now()
    with write_transaction():
        row = Shift.get_or_none((Shift.lane == lane) & Shift.closed_at.is_null())
        if row is None:
            last = Shift.select().where(Shift.lane == lane).order_by(Shift.number.desc()).first()
            already = _(" (shift {number} is already closed)").format(number=last.number) if last else ""
            raise ValidationError(_("lane {lane} has no open shift to close{already}; nothing changed").format(lane=lane, already=already))
        expected = cash_expected(row.id)
        over_short = total - expected
        if abs(over_short) > limit:
            _check(settings, actor, approver, NeedsApproval(
                _("the count is off by more than the {limit} limit; a supervisor must approve with a note").format(limit=format_money(limit)), cash_over=True), lambda who: has(who, "shift.close_over_limit"))
            if not note:
                raise ValidationError(_("the count is off by more than the {limit} limit; write a note saying why").format(limit=format_money(limit)))
        # The figures and the Z text from the row as it will be, then one write: the trigger
        # freezes the row as soon as closed_at is set.
        row.closed_by, row.closed_at, row.counted, row.counts = _who(actor), at, total, counts_to_json(parsed)
        row.expected, row.over_short, row.note = expected, over_short, note
        row.approver = approver.username if approver else ""
        row.batch_totals = json.dumps(typed, sort_keys=True)
        report = build_report(row)
        lines = z_report_lines(settings, report)
        row.z_report = "\n".join(lines)
        row.save()
        audit.record("shift.close", actor, lane, shift=row.id, number=row.number, counted=total, expected=expected,
                     over_short=over_short, approver=approver.username if approver else None, note=note,
                     batch=typed)
    return _after_close(actor, settings, lane, row, report, lines, drawer)


def _after_close(actor: Actor, settings: Settings, lane: str, row: Shift, report: ShiftReport, lines: list[str],
                 drawer: Drawer | None) -> Closed:
    """Print, back up and open the drawer: each may fail and says so; the close itself stands."""
    from pos_tui.services import print_queue
    from pos_tui.services.backup import backup_at_shift_close

    print_error = backup_error = backup_path = ""
    try:
        print_queue.enqueue(lane, z_name(lane, row.number), lines, None, kind="report")
    except PosError as exc:
        print_error = str(exc)
    try:
        taken = backup_at_shift_close(actor, settings)
        backup_path = str(taken.path) if taken is not None else ""
    except PosError as exc:
        backup_error = str(exc)
    outcome = None
    if drawer is not None:
        outcome = open_drawer(actor, settings, drawer, ShiftEvent("close", training=actor.training), lane=lane)
    return Closed(_info(row), report, tuple(lines), outcome, backup_path, backup_error, print_error)


def z_report_lines(settings: Settings, report: ShiftReport) -> list[str]:
    """The report laid out for the shop's paper (printer.width) in the shop's time zone."""
    from pos_tui.hardware.shift_report import layout_shift_report

    return layout_shift_report(report, shop_name=str(settings.get("store.name")),
                               width=int(settings.get("printer.width")),
                               zone=ZoneInfo(settings.get("store.timezone")),
                               language=str(settings.get("locale")))  # printed and stored in the shop's language


def report_text(settings: Settings, shift_id: int) -> str:
    """A closed shift's Z report exactly as stored and printed; an open shift's X report as of now."""
    row = Shift.get_or_none(Shift.id == shift_id)
    if row is None:
        raise NotFound(_("no shift with id {shift_id}; see `pos shift list`").format(shift_id=shift_id))
    if row.closed_at is not None:
        return row.z_report or ""
    return "\n".join(z_report_lines(settings, build_report(row)))


def reprint_z(actor: Actor, settings: Settings, shift_id: int) -> str:
    """Queue the stored Z report again (a "copy" job), byte for byte as first printed; needs report.view."""
    require(actor, "report.view")
    row = Shift.get_or_none(Shift.id == shift_id)
    if row is None:
        raise NotFound(_("no shift with id {shift_id}; see `pos shift list`").format(shift_id=shift_id))
    if row.closed_at is None:
        raise ValidationError(_("shift {number} on lane {lane} is still open: it has an X report, not a Z").format(number=row.number, lane=row.lane))
    from pos_tui.services import print_queue

    print_queue.enqueue(row.lane, z_name(row.lane, row.number), row.z_report.split("\n"), None, kind="copy",
                        name=f"{z_name(row.lane, row.number)}-copy")
    audit.record_now("shift.reprint", actor, row.lane, shift=row.id, number=row.number)
    return row.z_report


def print_x(actor: Actor, settings: Settings, *, lane: str | None = None) -> list[str]:
    """Queue the lane's X report (nothing is reset); returns its lines for the screen too."""
    lane = _lane(settings, lane)
    shift_id = open_shift_id(lane)
    if shift_id is None:
        raise ValidationError(_("lane {lane} has no open shift; an X report needs one").format(lane=lane))
    report = build_report(Shift.get_by_id(shift_id))
    lines = z_report_lines(settings, report)
    from pos_tui.services import print_queue

    print_queue.enqueue(lane, f"X-{lane}-{report.number:04d}", lines, None, kind="report")
    audit.record_now("shift.x_report", actor, lane, shift=shift_id, number=report.number)
    return lines
