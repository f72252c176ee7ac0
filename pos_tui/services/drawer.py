"""Opening the cash drawer by the shop's rules, and the audit row every try leaves.

`open_drawer` asks the rules (services/drawer_rules.py), kicks the drawer
when they say open, and writes one `drawer.open` audit row for every opening
or try: lane (target), user, why, and the outcome ("opened", the device's
error, "training: not opened", "not opened: cashier declined"). A device
fault is recorded, never raised: the sale behind it is already committed.
Call it from a worker thread; the drivers' own timeouts bound the kick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from pos_tui.config import Settings
from pos_tui.db.fields import utc_now
from pos_tui.db.models import AuditLog
from pos_tui.errors import AuthError, ValidationError
from pos_tui.hardware.base import Drawer, HardwareError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.drawer_rules import (
    ASK, OPEN, REFUSE, CashEvent, Decision, DrawerRules, Event, NoSaleEvent, RefundEvent, SaleEvent, ShiftEvent, TenderAmount,
    TestEvent, decide,
)
from pos_tui.services.limits import NeedsApproval, refusal_for
from pos_tui.services.permissions import has

OPENED = "opened"
TRAINING = "training: not opened"
DECLINED = "not opened: cashier declined"


@dataclass(frozen=True)
class DrawerOutcome:
    """What happened: `outcome` is what the audit row says (empty when nothing was tried)."""

    decision: Decision
    opened: bool
    outcome: str

    @property
    def asks(self) -> bool:
        """The rules want the cashier's yes first: call again with answer=True or False."""
        return self.decision.action == ASK and not self.outcome


def _why(event: Event) -> str:
    if isinstance(event, SaleEvent):
        return "sale"
    if isinstance(event, RefundEvent):
        return "refund"
    if isinstance(event, NoSaleEvent):
        return "no_sale"
    if isinstance(event, ShiftEvent):
        return f"shift_{event.kind}"
    if isinstance(event, CashEvent):
        return event.kind
    return "test"


def open_drawer(actor: Actor, settings: Settings, drawer: Drawer, why: Event, *, lane: str, receipt: str = "",
                answer: bool | None = None, approver: Actor | None = None) -> DrawerOutcome:
    """Apply the rules to `why`; kick and audit when they say open (or ask, and the cashier said yes)."""
    decision = decide(DrawerRules.from_settings(settings), why)
    if decision.action == REFUSE and decision.would is None:
        return DrawerOutcome(decision, False, "")  # not a try: a card sale, a refused rule
    if decision.action == ASK and answer is None:
        return DrawerOutcome(decision, False, "")
    if decision.action == REFUSE:
        outcome = TRAINING
    elif decision.action == ASK and not answer:
        outcome = DECLINED
    else:
        outcome = _kick(drawer, decision.why if not receipt else f"{_why(why)} {receipt}")
    details = {"why": _why(why), "reason": decision.why, "outcome": outcome}
    if receipt:
        details["receipt"] = receipt
    if isinstance(why, NoSaleEvent):
        details["no_sale_reason"] = why.reason
    if approver is not None:
        details["approver"] = approver.username
    audit.record_now("drawer.open", actor, lane, **details)
    return DrawerOutcome(decision, outcome == OPENED, outcome)


def _kick(drawer: Drawer | None, reason: str) -> str:
    if drawer is None:
        return _("no cash drawer is set up (drawer.type is none)")
    try:
        drawer.open(reason)
    except HardwareError as exc:
        return str(exc) or type(exc).__name__
    except Exception as exc:  # a driver bug: recorded, never raised into the till
        return _("the drawer failed ({kind}: {exc})").format(kind=type(exc).__name__, exc=exc)
    return OPENED


def sale_event(sale, *, training: bool = False) -> SaleEvent:
    """The rules' view of a committed sale (services.sales.SaleInfo)."""
    return SaleEvent(tuple(TenderAmount(p.tender, p.tendered) for p in sale.payments), change=sale.change,
                     training=training or sale.training)


def open_for_sale(actor: Actor, settings: Settings, drawer: Drawer, sale, *, lane: str,
                  answer: bool | None = None) -> DrawerOutcome:
    return open_drawer(actor, settings, drawer, sale_event(sale, training=actor.training), lane=lane,
                       receipt=sale.receipt_no, answer=answer)


def open_for_refund(actor: Actor, settings: Settings, drawer: Drawer, tender: str, amount: int, *, lane: str,
                    receipt: str) -> DrawerOutcome:
    return open_drawer(actor, settings, drawer, RefundEvent(tender, amount, training=actor.training), lane=lane,
                       receipt=receipt)


def check_drawer(actor: Actor, settings: Settings, drawer: Drawer, *, lane: str) -> DrawerOutcome:
    """Open the drawer to check it works (needs settings.edit); audited like any opening."""
    from pos_tui.services.permissions import require

    require(actor, "settings.edit")
    return open_drawer(actor, settings, drawer, TestEvent(training=actor.training), lane=lane)


# -- no-sale ------------------------------------------------------------------
def count_since(settings: Settings, now: datetime | None = None) -> datetime:
    """Where the per-shift no-sale count starts, until shifts exist.

    The later of the lane's last `shift.close` audit row (target: the lane)
    and local midnight in the shop's time zone (store.timezone).
    """
    now = now or utc_now()
    zone = ZoneInfo(settings.get("store.timezone"))
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)
    last_close = (AuditLog.select(AuditLog.created_at)
                  .where((AuditLog.action == "shift.close") & (AuditLog.target == str(settings.get("lane"))))
                  .order_by(AuditLog.id.desc()).first())
    return max(midnight, last_close.created_at) if last_close else midnight


def no_sale_count(settings: Settings, lane: str, now: datetime | None = None) -> int:
    """No-sale openings on `lane` since count_since() (only those that opened the drawer)."""
    import json

    since = count_since(settings, now)
    rows = (AuditLog.select(AuditLog.details)
            .where((AuditLog.action == "drawer.open") & (AuditLog.target == lane)
                   & (AuditLog.created_at >= AuditLog.created_at.db_value(since))
                   & (AuditLog.details.contains('"no_sale"'))))
    return sum(1 for row in rows
               if (d := json.loads(row.details)).get("why") == "no_sale" and d.get("outcome") == OPENED)


def check_no_sale(settings: Settings, actor: Actor, approver: Actor | None = None) -> None:
    """The cashier holds drawer.no_sale, or the approver they named does (re-checked here)."""
    if has(actor, "drawer.no_sale"):
        return
    request = NeedsApproval(_("{who} may not open the drawer for no sale [drawer.no_sale]").format(who=actor.username or _("this user")),
                            no_sale=True)  # short: the approval dialog shows it on one line
    if approver is None:
        raise request
    refusal = refusal_for(settings, approver, request)
    if refusal:
        raise AuthError(refusal)


def no_sale(actor: Actor, settings: Settings, drawer: Drawer, reason: str, lane: str,
            approver: Actor | None = None, *, now: datetime | None = None) -> DrawerOutcome:
    """Open the drawer without a sale: permission (or a supervisor), a listed reason, in hours, under the maximum.

    A refusal raises (ValidationError, NeedsApproval or AuthError) and changes
    nothing. The rules are checked before the permission, so a cashier is not
    sent for a supervisor only to be refused for the hour.
    """
    from pos_tui.services.shift_guard import require_open_shift

    require_open_shift(lane, _("opening the drawer for no sale"))
    now = now or utc_now()
    local = now.astimezone(ZoneInfo(settings.get("store.timezone"))).time()
    event = NoSaleEvent(reason.strip(), local, no_sale_count(settings, lane, now), permitted=True,
                        training=actor.training)
    decision = decide(DrawerRules.from_settings(settings), event)
    if decision.action == REFUSE and decision.would != OPEN:
        raise ValidationError(decision.why)
    check_no_sale(settings, actor, approver)
    return open_drawer(actor, settings, drawer, event, lane=lane, approver=approver)


def no_sale_reasons(settings: Settings) -> tuple[str, ...]:
    return DrawerRules.from_settings(settings).no_sale_reasons
