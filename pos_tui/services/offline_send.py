"""Sending a lane's queued offline sales to the server, in order, each exactly once.

Each sale goes in one server transaction with its lines, payments, stock
moves and audit row, under the id the lane gave it (sale.offline_id, unique):
a sale the server already has (a reply lost after the commit, or another
lane sending the same queue) is recognised and only marked sent here. The
local row is marked sent only after the server's commit, so a crash between
the two sends it again, which finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from peewee import Case, Database, IntegrityError

from pos_tui.db.bulk import bulk_insert
from pos_tui.db.database import retrying_write
from pos_tui.db.fields import utc_now
from pos_tui.db.models import Payment, Product, Sale, SaleLine, Setting, Shift, StockMove, User, database
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.offline_store import OfflineQueue
from pos_tui.services.sales import next_receipt_no

_SALE_FIELDS = ("receipt_no", "lane", "cashier", "customer", "created_at", "subtotal", "discount_total",
                "tax_total", "total", "status", "training", "prices_include_tax", "rounding")
_LINE_FIELDS = ("position", "product", "barcode", "name", "qty", "unit_price", "unit_cost", "discount",
                "tax_class", "tax_rate", "tax", "total")
_PAYMENT_FIELDS = ("tender", "amount", "tendered", "change", "reference")


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # receipt numbers now on the server
    already: list[str] = field(default_factory=list)  # the server had them: marked sent, not written again
    error: BaseException | None = None  # what stopped the pass (the rest wait for the next one)


@dataclass(frozen=True)
class QueuedSale:
    """Everything the server needs of one sale, read from the local store."""

    offline_id: str
    sale: dict
    lines: list[dict]
    payments: list[dict]
    moves: list[dict]
    cashier: Actor


def read_queued(local: Database, offline_id: str) -> QueuedSale:
    with database.routed(local):
        sale = Sale.get(Sale.offline_id == offline_id)
        user = User.get_by_id(sale.cashier_id)
        lines = [{name: getattr(l, name if name != "product" else "product_id") for name in _LINE_FIELDS}
                 for l in SaleLine.select().where(SaleLine.sale == sale.id).order_by(SaleLine.position)]
        payments = [{name: getattr(p, name) for name in _PAYMENT_FIELDS}
                    for p in Payment.select().where(Payment.sale == sale.id).order_by(Payment.id)]
        moves = [dict(product=m.product_id, delta=m.delta, reason=m.reason, reference=m.reference,
                      user=m.user_id, os_user=m.os_user, created_at=m.created_at)
                 for m in StockMove.select().where(StockMove.reference == sale.receipt_no,
                                                   StockMove.reason == "sale").order_by(StockMove.id)]
        values = {name: getattr(sale, name) for name in _SALE_FIELDS if name not in ("cashier", "customer")}
        customer = OfflineQueue.get(OfflineQueue.offline_id == offline_id).customer_id
        values.update(cashier=sale.cashier_id, customer=customer, shift=sale.shift_id)
        os_user = moves[0]["os_user"] if moves else ""
        actor = Actor(user.username, user.role, user.id, os_user=os_user, training=sale.training)
    return QueuedSale(offline_id, values, lines, payments, moves, actor)


def _on_server(offline_id: str) -> bool:
    return Sale.select(Sale.id).where(Sale.offline_id == offline_id).exists()


def write_on_server(queued: QueuedSale) -> bool:
    """One server transaction (call routed to the server); False when the server already had the sale."""

    def write() -> bool:
        if _on_server(queued.offline_id):
            return False
        values = dict(queued.sale)
        lane, receipt_no = values["lane"], values["receipt_no"]
        printed = receipt_no
        if Sale.select(Sale.id).where(Sale.receipt_no == receipt_no).exists():
            # The number is taken by another sale (two tills set to one lane, or a crash before the lane
            # noted its last online number): the sale gets the series' next one, and the audit says so.
            _advance_counter(lane, int(receipt_no.rsplit("-", 1)[1]))
            receipt_no = values["receipt_no"] = next_receipt_no(lane)
        shift_id = values.pop("shift")
        open_there = shift_id is not None and Shift.select().where(Shift.id == shift_id,
                                                                   Shift.closed_at.is_null()).exists()
        # A shift closed on the server while the lane was away takes no more sales: the sale stands alone.
        sale = Sale.create(**values, shift=shift_id if open_there else None, offline_id=queued.offline_id)
        bulk_insert(SaleLine, [dict(line, sale=sale.id) for line in queued.lines])
        if queued.moves:
            for move in sorted(queued.moves, key=lambda m: m["product"]):  # the lock order commit_sale uses
                Product.update(stock=Product.stock + move["delta"]).where(Product.id == move["product"]).execute()
            bulk_insert(StockMove, [dict(m, reference=receipt_no) for m in queued.moves])
        bulk_insert(Payment, [dict(p, sale=sale.id) for p in queued.payments])
        _advance_counter(lane, int(receipt_no.rsplit("-", 1)[1]))
        audit.record("sale.commit", queued.cashier, receipt_no, total=values["total"], lines=len(queued.lines),
                     tenders=[p["tender"] for p in queued.payments], training=values["training"],
                     offline_id=queued.offline_id, sold_offline_at=values["created_at"].isoformat(),
                     shift_closed=shift_id is not None and not open_there,
                     **({"renumbered_from": printed} if printed != receipt_no else {}))
        return True

    try:
        return retrying_write(write)
    except IntegrityError:
        # Another lane (or an earlier try whose reply was lost) committed the same id meanwhile.
        if _on_server(queued.offline_id):
            return False
        raise


def _advance_counter(lane: str, seq: int) -> None:
    """The server's counter for the lane moves up to this sale's number, never down."""
    key = f"receipt_seq.{lane}"
    (Setting.insert(key=key, value=str(seq))
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: Case(
         None, [(Setting.value.cast("INTEGER") < seq, str(seq))], Setting.value)})
     .execute())


def send_pending(local: Database, server: Database, *, limit: int | None = None,
                 progress: Callable[[int], None] | None = None) -> SendReport:
    """Send the queued sales oldest first, stopping at the first failure (kept in the report and the row).

    `progress` hears how many are still waiting after each one is marked sent.
    """
    report = SendReport()
    with database.routed(local):
        queue = list(OfflineQueue.select().where(OfflineQueue.sent_at.is_null()).order_by(OfflineQueue.id)
                     .limit(limit))
    for row in queue:
        try:
            queued = read_queued(local, row.offline_id)
            with database.routed(server):
                wrote = write_on_server(queued)
        except Exception as exc:  # the server went away again, or refused it: the rest keep their order
            report.error = exc
            with database.routed(local):
                OfflineQueue.update(attempts=OfflineQueue.attempts + 1, last_error=" ".join(str(exc).split())[:500]) \
                    .where(OfflineQueue.id == row.id).execute()
            break
        with database.routed(local):
            OfflineQueue.update(sent_at=utc_now(), attempts=OfflineQueue.attempts + 1, last_error="") \
                .where(OfflineQueue.id == row.id).execute()
        (report.sent if wrote else report.already).append(row.receipt_no)
        if progress is not None:
            progress(len(queue) - len(report.sent) - len(report.already))
    return report
