"""When the cash drawer opens: the shop's rules as a pure function of an event.

No I/O here: `decide(rules, event)` answers open / ask the cashier / refuse,
with the reason a person reads. services/drawer.py applies the answer (kicks
the drawer, audits), the till and the CLI only ask. Keeping the rules pure
lets the tests try every combination of settings and events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal, Union

from pos_tui.domain import rule_values as rv
from pos_tui.domain.money import format_money
from pos_tui.domain.tender import CASH
from pos_tui.i18n import _

OPEN, ASK, REFUSE = "open", "ask", "refuse"
Action = Literal["open", "ask", "refuse"]


@dataclass(frozen=True)
class DrawerRules:
    """The `drawer.rules.*` settings as values (see config.py for each key's help)."""

    sale_tenders: frozenset[str] = frozenset({CASH})
    refund_tenders: frozenset[str] = frozenset({CASH})
    cash_range: tuple[int, int] | None = None
    cash_amounts: frozenset[int] = frozenset()
    shift_open: bool = True
    shift_close: bool = True
    no_sale_reasons: tuple[str, ...] = ("change for a customer",)
    no_sale_hours: tuple[time, time] | None = None
    no_sale_max: int = 5  # per lane per shift; 0 means no limit
    open_warning_s: int = 60  # 0 means never warn
    warn_open_before_sale: bool = True

    @classmethod
    def from_settings(cls, settings) -> "DrawerRules":
        """Read from loaded settings (already validated by config.py)."""
        get = settings.get
        return cls(
            sale_tenders=frozenset(rv.parse_names(get("drawer.rules.sale_tenders"))),
            refund_tenders=frozenset(rv.parse_names(get("drawer.rules.refund_tenders"))),
            cash_range=rv.parse_money_range(get("drawer.rules.cash_range")),
            cash_amounts=frozenset(rv.parse_amounts(get("drawer.rules.cash_amounts"))),
            shift_open=bool(get("drawer.rules.shift_open")),
            shift_close=bool(get("drawer.rules.shift_close")),
            no_sale_reasons=rv.parse_reasons(get("drawer.rules.no_sale_reasons")),
            no_sale_hours=rv.parse_hours(get("drawer.rules.no_sale_hours")),
            no_sale_max=int(get("drawer.rules.no_sale_max")),
            open_warning_s=int(get("drawer.rules.open_warning_s")),
            warn_open_before_sale=bool(get("drawer.rules.warn_open_before_sale")),
        )


# -- events -------------------------------------------------------------------
@dataclass(frozen=True)
class TenderAmount:
    kind: str
    tendered: int


@dataclass(frozen=True)
class SaleEvent:
    tenders: tuple[TenderAmount, ...]
    change: int = 0
    training: bool = False


@dataclass(frozen=True)
class RefundEvent:
    tender: str
    amount: int = 0
    training: bool = False


@dataclass(frozen=True)
class NoSaleEvent:
    reason: str
    at: time  # the shop's local time
    count: int  # no-sale openings on this lane so far this shift
    permitted: bool  # the cashier, or the supervisor who approved, holds drawer.no_sale
    training: bool = False


@dataclass(frozen=True)
class ShiftEvent:
    kind: Literal["open", "close"]
    training: bool = False


@dataclass(frozen=True)
class CashEvent:
    """Cash paid into or out of the drawer (services/shifts.py): always opens, but never in training."""

    kind: str  # paid_in | paid_out | safe_drop
    amount: int = 0
    training: bool = False


@dataclass(frozen=True)
class TestEvent:
    __test__ = False  # not a pytest class
    training: bool = False


Event = Union[SaleEvent, RefundEvent, NoSaleEvent, ShiftEvent, CashEvent, TestEvent]


@dataclass(frozen=True)
class Decision:
    """What to do and why. In training `action` is refuse and `would` says what a live till would do."""

    action: Action
    why: str
    would: Action | None = None

    @property
    def opens(self) -> bool:
        return self.action == OPEN


def decide(rules: DrawerRules, event: Event) -> Decision:
    """The rules' answer for one event; training mode never opens a real drawer."""
    live = _decide_live(rules, event)
    if event.training and live.action != REFUSE:
        return Decision(REFUSE, _("training: not opened (a live till would {action}: {why})").format(action=live.action, why=live.why), live.action)
    return live


def _decide_live(rules: DrawerRules, event: Event) -> Decision:
    if isinstance(event, SaleEvent):
        return _sale(rules, event)
    if isinstance(event, RefundEvent):
        if event.tender in rules.refund_tenders:
            return Decision(OPEN, _("{tender} refund").format(tender=event.tender))
        return Decision(REFUSE, _("{tender} refunds do not open the drawer").format(tender=event.tender))
    if isinstance(event, NoSaleEvent):
        return _no_sale(rules, event)
    if isinstance(event, ShiftEvent):
        allowed = rules.shift_open if event.kind == "open" else rules.shift_close
        if allowed:
            return Decision(OPEN, _("shift {kind}: count the cash").format(kind=event.kind))
        return Decision(REFUSE, _("the drawer does not open at shift {kind} (drawer.rules.shift_{kind})").format(kind=event.kind))
    if isinstance(event, CashEvent):
        return Decision(OPEN, f"{event.kind.replace('_', ' ')} {format_money(event.amount)}")
    if isinstance(event, TestEvent):
        return Decision(OPEN, _("drawer test"))
    raise TypeError(f"not a drawer event: {event!r}")


def _sale(rules: DrawerRules, event: SaleEvent) -> Decision:
    opening = [t for t in event.tenders if t.kind in rules.sale_tenders]
    if not opening and event.change <= 0:
        kinds = ", ".join(dict.fromkeys(t.kind for t in event.tenders)) or _("no tender")
        return Decision(REFUSE, _("{kinds} sales do not open the drawer").format(kinds=kinds))
    if event.change > 0 and not opening:
        return Decision(OPEN, _("change due {change}").format(change=format_money(event.change)))
    cash = sum(t.tendered for t in opening)
    if not _amount_allowed(rules, cash):
        return Decision(ASK, _("{cash} tendered is outside the amounts that open the drawer").format(cash=format_money(cash)))
    return Decision(OPEN, _("sale: {tenders}").format(tenders=", ".join(dict.fromkeys(t.kind for t in opening))))


def _amount_allowed(rules: DrawerRules, cash: int) -> bool:
    """No amount rule set: any amount; else in the range or one of the fixed amounts."""
    if rules.cash_range is None and not rules.cash_amounts:
        return True
    in_range = rules.cash_range is not None and rules.cash_range[0] <= cash <= rules.cash_range[1]
    return in_range or cash in rules.cash_amounts


def _no_sale(rules: DrawerRules, event: NoSaleEvent) -> Decision:
    if not event.permitted:
        return Decision(REFUSE, _("a no-sale opening needs drawer.no_sale; a supervisor must approve"))
    if event.reason not in rules.no_sale_reasons:
        return Decision(REFUSE, _("{reason!r} is not a no-sale reason; pick one from the list").format(reason=event.reason))
    if not rv.within_hours(rules.no_sale_hours, event.at):
        return Decision(REFUSE, _("no-sale openings are allowed {canonical_hours} only").format(canonical_hours=rv.canonical_hours(rules.no_sale_hours)))
    if rules.no_sale_max and event.count >= rules.no_sale_max:
        return Decision(REFUSE, _("this lane has had its {no_sale_max} no-sale openings this shift").format(no_sale_max=rules.no_sale_max))
    return Decision(OPEN, _("no sale: {reason}").format(reason=event.reason))


# -- warnings -----------------------------------------------------------------
def left_open_warning(rules: DrawerRules, open_seconds: float | None) -> str | None:
    """The warning for a drawer whose sensor says it has been open `open_seconds` (None: no sensor/shut)."""
    if open_seconds is None or not rules.open_warning_s or open_seconds < rules.open_warning_s:
        return None
    return _("drawer open {open_seconds} s: close it").format(open_seconds=int(open_seconds))


def before_cash_sale_warning(rules: DrawerRules, drawer_open: bool | None) -> str | None:
    """Said before the next cash sale while the drawer is still open (None: no sensor)."""
    if rules.warn_open_before_sale and drawer_open:
        return _("the drawer is still open: close it before the next cash sale")
    return None
