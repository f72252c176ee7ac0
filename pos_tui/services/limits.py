"""What each role may do at the till without a supervisor, and approving the rest.

The limits live in config (limits.<role>.discount_percent and
limits.<role>.price_override). Past a limit the till asks a supervisor for
their name and PIN; the approval is audited naming both people.
"""

from __future__ import annotations

from decimal import Decimal

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import AuthError, ConfigError, ValidationError
from pos_tui.services import audit
from pos_tui.services.auth import authenticate
from pos_tui.services.context import ROLES, Actor


class NeedsApproval(AuthError):
    """The action is past the user's limit; a supervisor may approve it."""

    def __init__(self, message: str, *, percent: Decimal | None = None, price_override: bool = False,
                 refund: int | None = None) -> None:
        super().__init__(message)
        self.percent = percent
        self.price_override = price_override
        self.refund = refund


def discount_limit(settings: Settings, role: str) -> Decimal:
    if role not in ROLES:
        return Decimal(0)
    return Decimal(settings.get(f"limits.{role}.discount_percent"))


def may_override_price(settings: Settings, role: str) -> bool:
    return role in ROLES and bool(settings.get(f"limits.{role}.price_override"))


def refund_limit(settings: Settings, role: str) -> int:
    if role not in ROLES:
        return 0
    try:
        return parse_money(str(settings.get(f"limits.{role}.refund_max")), what=f"limits.{role}.refund_max")
    except ValidationError as exc:
        raise ConfigError(str(exc)) from None


def check_refund(settings: Settings, actor: Actor, amount: int) -> None:
    limit = refund_limit(settings, actor.role)
    if amount > limit:
        raise NeedsApproval(
            f"a refund of {format_money(amount)} is over the {actor.role}'s {format_money(limit)} limit; "
            "a supervisor must approve", refund=amount,
        )


def check_discount(settings: Settings, actor: Actor, percent: Decimal) -> None:
    limit = discount_limit(settings, actor.role)
    if percent > limit:
        raise NeedsApproval(
            f"a {percent:.1f}% discount is over the {actor.role}'s {limit}% limit; a supervisor must approve",
            percent=percent,
        )


def check_price_override(settings: Settings, actor: Actor) -> None:
    if not may_override_price(settings, actor.role):
        raise NeedsApproval(f"a {actor.role} may not override prices; a supervisor must approve", price_override=True)


def approve(settings: Settings, cashier: Actor, request: NeedsApproval, username: str, password: str,
            *, what: str) -> Actor:
    """A supervisor's name and PIN for `request`; audited with both names. Returns the approver."""
    approver = authenticate(
        username, password, os_user=cashier.os_user, max_failures=settings.get("auth.max_failures"),
        lockout_minutes=settings.get("auth.lockout_minutes"), record_login=False,
    )
    if request.percent is not None and request.percent > discount_limit(settings, approver.role):
        refusal = f"{approver.username} may approve discounts up to {discount_limit(settings, approver.role)}% only"
    elif request.price_override and not may_override_price(settings, approver.role):
        refusal = f"{approver.username} may not approve price overrides"
    elif request.refund is not None and request.refund > refund_limit(settings, approver.role):
        refusal = f"{approver.username} may approve refunds up to {format_money(refund_limit(settings, approver.role))} only"
    else:
        refusal = None
    with write_transaction():
        audit.record(
            "override.refused" if refusal else "override.approved", cashier, cashier.username,
            approver=approver.username, what=what,
            percent=str(request.percent) if request.percent is not None else None,
        )
    if refusal:
        raise AuthError(refusal)
    return approver
