"""The X and Z figures of a shift: what was sold and refunded by tender, and the cash the drawer should hold.

Pure reads. Sales and refunds come from the sales linked to the shift
(sale.shift_id); voids and no-sale openings from the lane's audit rows
while the shift was open. Training never counts: its sales are flagged, its
voids' audit rows say training, its drawer never opens, and cash in and out
is refused in training. The arithmetic:

    expected cash = float + cash sales - cash refunds + paid in - paid out - safe drops
                    + order cash (taken for delivery orders, less order refunds)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog, CashMovement, OrderPayment, Payment, Sale, Shift
from pos_tui.domain.money import format_money, parse_money
from pos_tui.domain.tender import CASH
from pos_tui.errors import NotFound
from pos_tui.i18n import _

PAID_IN, PAID_OUT, SAFE_DROP = "paid_in", "paid_out", "safe_drop"
MOVEMENT_KINDS = (PAID_IN, PAID_OUT, SAFE_DROP)
_SALE, _RETURN = "completed", "return"


@dataclass(frozen=True)
class TenderTotal:
    """One tender's sales and refunds (refunds negative), net of change given."""

    tender: str
    sales_count: int
    sales: int
    refunds_count: int
    refunds: int

    @property
    def net(self) -> int:
        return self.sales + self.refunds


@dataclass(frozen=True)
class MovementInfo:
    id: int
    kind: str
    amount: int
    reason: str
    note: str
    user: str
    approver: str
    time: datetime


@dataclass(frozen=True)
class BatchLine:
    """A non-cash tender against the terminal's own batch total (None when not typed)."""

    tender: str
    recorded: int
    terminal: int | None

    @property
    def difference(self) -> int | None:
        return None if self.terminal is None else self.terminal - self.recorded


@dataclass(frozen=True)
class ShiftReport:
    """An X (shift open: resets nothing) or Z (shift closed) report; money in minor units."""

    kind: str  # "X" or "Z"
    shift_id: int
    lane: str
    number: int
    opened_by: str
    opened_at: datetime
    at: datetime  # when the figures were taken: now for an X, the close for a Z
    closed_by: str
    tenders: tuple[TenderTotal, ...]
    sales_count: int
    sales_total: int
    refunds_count: int
    refunds_total: int
    discounts_count: int
    discounts: int
    voids: int
    no_sales: int
    float_amount: int
    cash_sales: int
    cash_refunds: int  # negative or 0
    paid_in: int
    paid_out: int
    safe_drops: int
    movements: tuple[MovementInfo, ...]
    float_counts: tuple[tuple[int, int], ...] = ()
    counted: int | None = None
    counts: tuple[tuple[int, int], ...] = ()
    over_short: int | None = None
    approver: str = ""
    note: str = ""
    batch: tuple[BatchLine, ...] = ()
    order_cash: int = 0  # cash taken for delivery orders in this shift, less their cash refunds

    @property
    def expected_cash(self) -> int:
        return (self.float_amount + self.cash_sales + self.cash_refunds + self.paid_in - self.paid_out
                - self.safe_drops + self.order_cash)

    @property
    def net_total(self) -> int:
        return self.sales_total + self.refunds_total


def counts_from_json(text: str) -> tuple[tuple[int, int], ...]:
    """{"5.00": 3} as ((500, 3),), largest note first."""
    raw = json.loads(text or "{}")
    return tuple(sorted(((parse_money(k), int(v)) for k, v in raw.items()), reverse=True))


def counts_to_json(counts: dict[int, int]) -> str:
    return json.dumps({format_money(d): n for d, n in sorted(counts.items(), reverse=True)})


def _movements(shift_id: int) -> tuple[MovementInfo, ...]:
    return tuple(
        MovementInfo(m.id, m.kind, m.amount, m.reason, m.note, m.user, m.approver, m.created_at)
        for m in CashMovement.select().where(CashMovement.shift == shift_id).order_by(CashMovement.id)
    )


def _audit_count(lane: str, action: str, since: datetime, until: datetime, only=None) -> int:
    query = (AuditLog.select(AuditLog.details)
             .where((AuditLog.action == action) & (AuditLog.target == lane)
                    & (AuditLog.created_at >= AuditLog.created_at.db_value(since))
                    & (AuditLog.created_at <= AuditLog.created_at.db_value(until))))
    if only is None:
        return query.count()
    return sum(1 for row in query if only(json.loads(row.details)))


def _live(details: dict) -> bool:
    """Not done in training mode (a training void is practice, not the shift's)."""
    return not details.get("training")


def _opened_no_sale(details: dict) -> bool:
    return details.get("why") == "no_sale" and details.get("outcome") == "opened"


def order_cash(shift_id: int) -> int:
    """Cash taken for orders in this shift (deposits, payments in full, on delivery) less cash given back."""
    return int(OrderPayment.select(fn.COALESCE(fn.SUM(OrderPayment.amount), 0))
               .where((OrderPayment.shift == shift_id) & (OrderPayment.tender == CASH)).scalar())


def cash_expected(shift_id: int) -> int:
    """The cash the drawer should hold now: the float, cash taken and given back, cash in and out."""
    row = Shift.get_by_id(shift_id)
    cash = (Payment.select(fn.COALESCE(fn.SUM(Payment.amount), 0)).join(Sale)
            .where((Sale.shift == shift_id) & (Sale.training == False) & (Payment.tender == CASH)  # noqa: E712
                   & Sale.status.in_((_SALE, _RETURN))).scalar())
    moves = dict(CashMovement.select(CashMovement.kind, fn.SUM(CashMovement.amount))
                 .where(CashMovement.shift == shift_id).group_by(CashMovement.kind).tuples())
    return (row.float_amount + int(cash) + moves.get(PAID_IN, 0) - moves.get(PAID_OUT, 0)
            - moves.get(SAFE_DROP, 0) + order_cash(shift_id))


def build_report(shift: Shift, at: datetime | None = None, *, batch_totals: dict[str, int] | None = None) -> ShiftReport:
    """The report of `shift` as it stands (an X while open, the Z figures once closed)."""
    closed = shift.closed_at is not None
    at = shift.closed_at if closed else (at or utc_now())
    live = (Sale.shift == shift.id) & (Sale.training == False) & Sale.status.in_((_SALE, _RETURN))  # noqa: E712
    by_tender: dict[str, list[int]] = {}
    for tender, status, count, amount in (
        Payment.select(Payment.tender, Sale.status, fn.COUNT(fn.DISTINCT(Sale.id)), fn.SUM(Payment.amount))
        .join(Sale).where(live).group_by(Payment.tender, Sale.status).tuples()
    ):
        entry = by_tender.setdefault(tender, [0, 0, 0, 0])
        offset = 0 if status == _SALE else 2
        entry[offset] += count
        entry[offset + 1] += int(amount)
    tenders = tuple(TenderTotal(t, *by_tender[t]) for t in sorted(by_tender, key=lambda t: (t != CASH, t)))
    totals = {status: (n, int(total), int(discount)) for status, n, total, discount in (
        Sale.select(Sale.status, fn.COUNT(Sale.id), fn.COALESCE(fn.SUM(Sale.total), 0),
                    fn.COALESCE(fn.SUM(Sale.discount_total), 0))
        .where(live).group_by(Sale.status).tuples())}
    discounted = Sale.select().where(live & (Sale.status == _SALE) & (Sale.discount_total > 0)).count()
    movements = _movements(shift.id)
    moved = {kind: sum(m.amount for m in movements if m.kind == kind) for kind in MOVEMENT_KINDS}
    cash = next((t for t in tenders if t.tender == CASH), TenderTotal(CASH, 0, 0, 0, 0))
    typed = batch_totals if batch_totals is not None else {k: int(v) for k, v in json.loads(shift.batch_totals).items()}
    batch = tuple(BatchLine(t.tender, t.net, typed.get(t.tender)) for t in tenders if t.tender != CASH)
    batch += tuple(BatchLine(name, 0, amount) for name, amount in sorted(typed.items())
                   if name not in {t.tender for t in tenders})
    return ShiftReport(
        kind="Z" if closed else "X", shift_id=shift.id, lane=shift.lane, number=shift.number,
        opened_by=shift.opened_by, opened_at=shift.opened_at, at=at, closed_by=shift.closed_by,
        tenders=tenders,
        sales_count=totals.get(_SALE, (0, 0, 0))[0], sales_total=totals.get(_SALE, (0, 0, 0))[1],
        refunds_count=totals.get(_RETURN, (0, 0, 0))[0], refunds_total=totals.get(_RETURN, (0, 0, 0))[1],
        discounts_count=discounted, discounts=totals.get(_SALE, (0, 0, 0))[2],
        voids=(_audit_count(shift.lane, "sale.void_line", shift.opened_at, at, _live)
               + _audit_count(shift.lane, "sale.void_cart", shift.opened_at, at, _live)),
        no_sales=_audit_count(shift.lane, "drawer.open", shift.opened_at, at, _opened_no_sale),
        float_amount=shift.float_amount, cash_sales=cash.sales, cash_refunds=cash.refunds,
        paid_in=moved[PAID_IN], paid_out=moved[PAID_OUT], safe_drops=moved[SAFE_DROP], movements=movements,
        float_counts=counts_from_json(shift.float_counts), counted=shift.counted,
        counts=counts_from_json(shift.counts), over_short=shift.over_short, approver=shift.approver,
        note=shift.note, batch=batch, order_cash=order_cash(shift.id),
    )


def _shift(shift_id: int) -> Shift:
    row = Shift.get_or_none(Shift.id == shift_id)
    if row is None:
        raise NotFound(_("no shift with id {shift_id}; see `pos shift list`").format(shift_id=shift_id))
    return row


def x_report(shift_id: int, *, at: datetime | None = None) -> ShiftReport:
    """The figures so far; resets nothing. For a closed shift: its Z figures."""
    return build_report(_shift(shift_id), at)
