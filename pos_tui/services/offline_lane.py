"""A lane on a PostgreSQL store that keeps selling when the server is unreachable.

Online, the proxy points at the server and sales commit there, each under a
lane-made id; the lane's local copy (offline_store) follows the receipt
counter after every sale and the catalogue every SYNC_EVERY_S. When a sale's
commit fails for want of the server, or the lane starts without it, the
proxy points at the local copy: the till logs in, scans and sells from it,
and every sale joins the local queue with the next number of the lane's own
series. A sender thread probes the server every PROBE_EVERY_S; once it
answers, the queue is sent in order (offline_send) and, when it is empty, the
lane is online again. New sales join the queue while it drains, so receipt
numbers and order stay the lane's own.

The mode only changes under the lane's lock, which each sale also holds, so
a sale never starts on one store and ends on the other.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from peewee import Database, PostgresqlDatabase, SelectBase

from pos_tui.config import Settings
from pos_tui.db.database import make_database, one_line, redact, retrying_write
from pos_tui.db.fixed_select import FixedSelect
from pos_tui.db.models import Sale, database
from pos_tui.i18n import _
from pos_tui.services import offline_store
from pos_tui.services.offline_send import SendReport, send_pending
from pos_tui.services.sales import SaleInfo, commit_sale as commit_sale_here

log = logging.getLogger(__name__)
PROBE_EVERY_S = 5.0  # offline: how often the server is tried
SYNC_EVERY_S = 60.0  # online: how often changed products (and the small tables) are pulled
CONNECT_TIMEOUT_S = 5
# libpq: give up on a server that stopped answering in seconds, not the kernel's minutes.
LIBPQ_OPTIONS = dict(connect_timeout=CONNECT_TIMEOUT_S, keepalives=1, keepalives_idle=5, keepalives_interval=2,
                     keepalives_count=2, tcp_user_timeout=8000)
_lane: "Lane | None" = None
# The server shutting down or restarting (admin_shutdown, crash_shutdown, cannot_connect_now);
# class 08 is a connection failure.
_GOING_AWAY = frozenset({"57P01", "57P02", "57P03"})


class LaneServer(PostgresqlDatabase):
    """The server for a lane: a connection the network broke is dropped and made again on next use.

    A read that finds the server gone (a scan, a login's user lookup) is
    answered from the lane's local copy once `fallback` has sent the lane
    offline, so the cashier never meets the outage; writes are not retried
    here (a sale's commit has its own path, in Lane.commit).
    """

    fallback: Callable[[BaseException], Database | None] | None = None

    def execute(self, query: Any, **context: Any):
        try:
            return super().execute(query, **context)
        except Exception as exc:
            if (self.fallback is None or not isinstance(query, (SelectBase, FixedSelect)) or self.in_transaction()
                    or database.is_routed() or not is_unreachable(exc)):
                raise
            local = self.fallback(exc)
            if local is None:
                raise
            return local.execute(query, **context)

    def cursor(self, *args: Any, **kwargs: Any):
        conn = self._state.conn
        if conn is not None and conn.closed and not self.in_transaction():
            self._state.reset()
        return super().cursor(*args, **kwargs)

    def drop_connection(self) -> None:
        """Forget this thread's connection after a network failure (closing it may fail too)."""
        try:
            if self._state.conn is not None:
                self._state.conn.close()
        except Exception:
            pass
        self._state.reset()


def server_database(url: str) -> LaneServer:
    plain = make_database(url)
    return LaneServer(plain.database, **{**plain.connect_params, **LIBPQ_OPTIONS})


def is_unreachable(exc: BaseException) -> bool:
    """The server did not answer (down, network cut, connection lost), as opposed to refusing a statement."""
    import psycopg2
    import psycopg2.errors

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (psycopg2.errors.AdminShutdown, psycopg2.errors.CrashShutdown,
                             psycopg2.errors.CannotConnectNow)):
            return True
        if isinstance(seen, (psycopg2.OperationalError, psycopg2.InterfaceError)):
            code = getattr(seen, "pgcode", None) or ""
            if not code or code.startswith("08") or code in _GOING_AWAY:
                return True
        inner = getattr(seen, "orig", None)  # what Peewee wrapped
        if not isinstance(inner, BaseException):
            inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return False


def refusal_text(url: str, exc: BaseException) -> str:
    """One line for a server that could not be used at start: refused our login, or did not answer."""
    text = one_line(exc)
    where = redact(url)
    if "password authentication failed" in text or ("role" in text and "does not exist" in text) \
            or "no password supplied" in text:
        return _("the database server {url} refused the login ({detail}); check the user and password in "
                 "database.url").format(url=where, detail=text)
    return _("cannot reach the database server {url} ({detail})").format(url=where, detail=text)


@dataclass(frozen=True)
class LaneStatus:
    lane: str
    online: bool
    pending: int
    synced_at: datetime | None
    problem: str | None


class Lane:
    """The process's lane: which store sales go to, the queue, and the thread that empties it."""

    def __init__(self, settings: Settings, server: LaneServer, local: Database, *, online: bool) -> None:
        self.settings = settings
        self.name = str(settings.get("lane"))
        self.server = server
        self.local = local
        self.online = online
        self.lock = threading.RLock()
        self.pending = offline_store.pending(local)
        self.synced_at = offline_store.synced_at(local)
        self.problem: str | None = None
        self.last_report: SendReport | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_sync = time.monotonic()
        self.on_change: Callable[[], None] | None = None  # the till's status line refreshes
        server.fallback = self._fallback

    def status(self) -> LaneStatus:
        return LaneStatus(self.name, self.online, self.pending, self.synced_at, self.problem)

    # -- selling ---------------------------------------------------------------
    def commit(self, actor, cart, tenders, **kwargs: Any) -> SaleInfo:
        """commit_sale on the server if it is there, else into the local queue; never both, never neither."""
        sale_id = str(uuid.uuid4())
        with self.lock:
            if self.online:
                try:
                    info = self._commit_on(self.server, sale_id, actor, cart, tenders, kwargs)
                except Exception as exc:
                    if not is_unreachable(exc):
                        raise
                    self._go_offline(exc)
                else:
                    try:  # the sale is on the server now: a local hiccup must not make it look unsaved
                        offline_store.mirror_receipt(self.local, self.name, info.receipt_no)
                    except Exception:
                        log.exception("lane %s: the local copy did not take receipt %s", self.name, info.receipt_no)
                    return info
            info = self._commit_on(self.local, sale_id, actor, cart, tenders, kwargs, queue=True)
            self.pending += 1
        self._changed()
        return info

    def _commit_on(self, db: Database, sale_id: str, actor, cart, tenders, kwargs: dict, *,
                   queue: bool = False) -> SaleInfo:
        customer = kwargs.get("customer_id") or cart.customer_id
        if queue and customer is not None:
            # The local copy has no customers: the sale is kept without one here, the queue keeps the id.
            cart, kwargs = dataclasses.replace(cart, customer_id=None), {**kwargs, "customer_id": None}

        def write() -> SaleInfo:
            info = commit_sale_here(actor, cart, tenders, lane=self.name, **kwargs)
            Sale.update(offline_id=sale_id).where(Sale.receipt_no == info.receipt_no).execute()
            if queue:
                offline_store.OfflineQueue.create(offline_id=sale_id, receipt_no=info.receipt_no,
                                                  customer_id=customer)
                return dataclasses.replace(info, customer=cart.customer_name if customer is not None else "")
            return info

        with database.routed(db):
            try:
                return retrying_write(write)
            finally:
                if db is self.server and self.server._state.conn is not None and self.server._state.conn.closed:
                    self.server.drop_connection()

    def _go_offline(self, exc: BaseException) -> None:
        # Without the lock: a sale holding it is trying the server itself (and will queue), and the
        # till's thread that met the outage must not wait for that sale's timeout.
        self.server.drop_connection()
        if self.online:
            log.warning("lane %s offline: %s", self.name, one_line(exc))
        self.online = False
        self.problem = one_line(exc)
        database.initialize(self.local)
        self._changed()
        self.wake()

    def _fallback(self, exc: BaseException) -> Database | None:
        if offline_store.synced_at(self.local) is None:
            return None
        self._go_offline(exc)
        return self.local

    # -- the sender ------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"lane-{self.name}-sender", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.pass_once()
            except Exception:  # never into the till: logged, and the next pass tries again
                log.exception("lane sender pass failed")
            self._wake.wait(PROBE_EVERY_S)
            self._wake.clear()

    def pass_once(self) -> SendReport | None:
        """Offline: try the server, send the queue, come back online when it is empty. Online: sync when due."""
        if self.online and self.pending == 0:
            if not self.probe():
                return None
            if time.monotonic() - self._last_sync >= SYNC_EVERY_S:
                self.sync()
            return None
        report = self.send()
        if report.error is None and self.pending == 0:
            with self.lock:  # no sale is being written now: the next one goes to the server
                self.pending = offline_store.pending(self.local)
                if self.pending == 0 and not self.online:
                    database.initialize(self.server)
                    self.online, self.problem = True, None
                    log.info("lane %s online", self.name)
            if self.online:
                self.sync()
        self._changed()
        return report

    def probe(self) -> bool:
        """Is the server there? Online, a silent server sends the lane offline before a cashier meets it."""
        try:
            with database.routed(self.server):
                self.server.execute_sql("SELECT 1")
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            if self.online:
                self._go_offline(exc)
            self.server.drop_connection()
            return False
        return True

    def send(self) -> SendReport:
        """Send what is queued now (in this thread); the report says what went and what stopped it."""
        try:
            with database.routed(self.server):
                self.server.connect(reuse_if_open=True)
            report = send_pending(self.local, self.server, progress=self._sent_one)
        except Exception as exc:
            report = SendReport(error=exc)
        if report.error is not None:
            self.server.drop_connection()
            self.problem = one_line(report.error)
        self.pending = offline_store.pending(self.local)
        self.last_report = report
        self._changed()
        return report

    def _sent_one(self, waiting: int) -> None:
        self.pending = offline_store.pending(self.local)  # sales queued meanwhile count too
        self._changed()

    def sync(self) -> int | None:
        """Pull the catalogue's changes into the local copy; None if the server did not answer."""
        try:
            copied = offline_store.pull_catalogue(self.server, self.local, self.name)
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            if self.online:
                self._go_offline(exc)  # logins and scans work from the local copy meanwhile
            else:
                self.server.drop_connection()
            return None
        self.synced_at = offline_store.synced_at(self.local)
        self._last_sync = time.monotonic()
        self._changed()
        return copied

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("lane status callback failed")


def current() -> Lane | None:
    return _lane


def install(lane: Lane | None) -> None:
    global _lane
    if _lane is not None and _lane is not lane:
        _lane.stop()
    _lane = lane


def commit_sale(actor, cart, tenders, *, lane: str, **kwargs: Any) -> SaleInfo:
    """The till's commit: through the offline lane when there is one, else straight to the store."""
    active = current()
    if active is None or active.name != lane:
        return commit_sale_here(actor, cart, tenders, lane=lane, **kwargs)
    return active.commit(actor, cart, tenders, **kwargs)
