"""What a user may do at the till without a supervisor, and approving the rest.

Yes/no rights are permissions (services/permissions.py); amounts are limits in
config (`limits.<role>.discount_percent`, `limits.<role>.refund_max`). Past
either, the till asks a supervisor for their name and PIN; the approver must
hold the permission and a limit that covers the amount, and the approval is
audited naming both people.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.models import User
from pos_tui.domain.cart import Cart
from pos_tui.domain.discount import percent_of
from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import AuthError, ConfigError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.auth import authenticate
from pos_tui.services.context import Actor
from pos_tui.services.permissions import has


class NeedsApproval(AuthError):
    """The action is past the user's rights; a supervisor may approve it."""

    def __init__(self, message: str, *, percent: Decimal | None = None, price_override: bool = False,
                 refund: int | None = None, void: bool = False, no_receipt: bool = False,
                 no_sale: bool = False, cash_in_out: bool = False, cash_over: bool = False,
                 training: bool = False) -> None:
        super().__init__(message)
        self.no_receipt = no_receipt
        self.percent = percent
        self.price_override = price_override
        self.refund = refund
        self.void = void
        self.no_sale = no_sale
        self.cash_in_out = cash_in_out  # cash paid in or out of the drawer
        self.cash_over = cash_over  # cash out past what the drawer should hold, or a count past the over/short limit
        self.training = training  # switching the till's session into or out of training mode


def discount_limit(settings: Settings, role: str) -> Decimal:
    if not role:
        return Decimal(0)
    return Decimal(settings.get(f"limits.{role}.discount_percent"))


def refund_limit(settings: Settings, role: str) -> int:
    if not role:
        return 0
    try:
        return parse_money(str(settings.get(f"limits.{role}.refund_max")), what=f"limits.{role}.refund_max")
    except ValidationError as exc:
        raise ConfigError(str(exc)) from None


def _who(actor: Actor) -> str:
    return _("a {role}").format(role=actor.role) if actor.role else _("this user")


def check_discount(settings: Settings, actor: Actor, percent: Decimal) -> None:
    if actor.owner:
        return
    limit = discount_limit(settings, actor.role)
    if percent > limit:
        raise NeedsApproval(
            _("a {percent:.1f}% discount is over the {role}'s {limit}% limit; a supervisor must approve").format(percent=percent, role=actor.role, limit=limit),
            percent=percent,
        )


def check_price_override(actor: Actor) -> None:
    if not has(actor, "sale.price_override"):
        raise NeedsApproval(_("{who} may not override prices [sale.price_override]; a supervisor must approve").format(who=_who(actor)),
                            price_override=True)


def check_void(actor: Actor) -> None:
    if not has(actor, "sale.void"):
        raise NeedsApproval(_("{who} may not void [sale.void]; a supervisor must approve").format(who=_who(actor)), void=True)


def check_refund(settings: Settings, actor: Actor, amount: int) -> None:
    if not has(actor, "sale.refund"):
        raise NeedsApproval(_("{who} may not give refunds [sale.refund]; a supervisor must approve").format(who=_who(actor)),
                            refund=amount)
    if actor.owner:
        return
    limit = refund_limit(settings, actor.role)
    if amount > limit:
        raise NeedsApproval(
            _("a refund of {amount} is over the {role}'s {limit} limit; a supervisor must approve").format(amount=format_money(amount), role=actor.role, limit=format_money(limit)), refund=amount,
        )


def refusal_for(settings: Settings, approver: Actor, request: NeedsApproval) -> str | None:
    """Why `approver` may not approve `request`, or None if they may."""
    name = approver.username
    if request.percent is not None:
        if not has(approver, "sale.discount_over_limit"):
            return _("{name} may not approve discounts [sale.discount_over_limit]").format(name=name)
        if request.percent > discount_limit(settings, approver.role):
            return _("{name} may approve discounts up to {discount_limit}% only").format(name=name, discount_limit=discount_limit(settings, approver.role))
    if request.price_override and not has(approver, "sale.price_override"):
        return _("{name} may not approve price overrides [sale.price_override]").format(name=name)
    if request.no_receipt and not has(approver, "sale.refund_no_receipt"):
        return _("{name} may not approve returns without a receipt [sale.refund_no_receipt]").format(name=name)
    if request.void and not has(approver, "sale.void"):
        return _("{name} may not approve voids [sale.void]").format(name=name)
    if request.no_sale and not has(approver, "drawer.no_sale"):
        return _("{name} may not approve opening the drawer without a sale [drawer.no_sale]").format(name=name)
    if request.cash_in_out and not has(approver, "cash.in_out"):
        return _("{name} may not approve cash in and out [cash.in_out]").format(name=name)
    if request.cash_over and not has(approver, "shift.close_over_limit"):
        return _("{name} may not approve a cash difference past the limit [shift.close_over_limit]").format(name=name)
    if request.training and not has(approver, "training.toggle"):
        return _("{name} may not switch training mode [training.toggle]").format(name=name)
    if request.refund is not None:
        if not has(approver, "sale.refund"):
            return _("{name} may not approve refunds [sale.refund]").format(name=name)
        if request.refund > refund_limit(settings, approver.role):
            return _("{name} may approve refunds up to {refund_limit} only").format(name=name, refund_limit=format_money(refund_limit(settings, approver.role)))
    return None


def approve(settings: Settings, cashier: Actor, request: NeedsApproval, username: str, password: str,
            *, what: str) -> Actor:
    """A supervisor's name and PIN for `request`; audited with both names. Returns the approver."""
    approver = authenticate(
        username, password, os_user=cashier.os_user, max_failures=settings.get("auth.max_failures"),
        lockout_minutes=settings.get("auth.lockout_minutes"), record_login=False,
    )
    refusal = refusal_for(settings, approver, request)
    with write_transaction():
        audit.record(
            "override.refused" if refusal else "override.approved", cashier, cashier.username,
            approver=approver.username, what=what,
            percent=str(request.percent) if request.percent is not None else None,
        )
    if refusal:
        raise AuthError(refusal)
    return approver


def _covered(settings: Settings, approver: Actor | None, check: Callable[[], None],
             request: NeedsApproval | None = None) -> None:
    """`check()` passes for the actor, or the approver they named covers what it asked (re-checked here)."""
    try:
        check()
    except NeedsApproval as asked:
        if approver is None:
            raise
        refusal = refusal_for(settings, approver, request or asked)
        if refusal:
            raise AuthError(refusal) from None


def check_refund_by(settings: Settings, actor: Actor, approver: Actor | None, amount: int) -> None:
    """The refund is covered by the actor, or by the approver they named."""
    _covered(settings, approver, lambda: check_refund(settings, actor, amount))


def check_no_receipt(settings: Settings, actor: Actor, amount: int) -> None:
    """A return without a receipt: the permission, then the refund limit."""
    if not has(actor, "sale.refund_no_receipt"):
        raise NeedsApproval(_("{who} may not take returns without a receipt [sale.refund_no_receipt]; a supervisor "
                              "must approve").format(who=_who(actor)),
                            no_receipt=True, refund=amount)
    check_refund(settings, actor, amount)


def check_no_receipt_by(settings: Settings, actor: Actor, approver: Actor | None, amount: int) -> None:
    """The approver must cover both the missing receipt and the amount, whichever the actor lacked."""
    _covered(settings, approver, lambda: check_no_receipt(settings, actor, amount),
             NeedsApproval("", no_receipt=True, refund=amount))


def _actor_named(username: str, cache: dict[str, Actor]) -> Actor:
    if username not in cache:
        user = User.get_or_none(User.username == username)
        role = user.role if user is not None and not user.disabled else ""
        cache[username] = Actor(username=username, role=role, user_id=user.id if user else None)
    return cache[username]


def check_cart(settings: Settings, actor: Actor, cart: Cart) -> None:
    """Refuse a cart carrying a price change or discount nobody with the right authorised.

    The till asks first; this re-checks at commit, so a cart from anywhere
    (another screen, a parked cart resumed by someone else) obeys the same rules.
    Each line names who covered its change (`approved_by`); a cart-wide discount
    spread over lines may round a share up by one minor unit.
    """
    if actor.owner:
        return
    people: dict[str, Actor] = {actor.username: actor}
    for line in cart.lines:
        by = _actor_named(line.approved_by, people) if line.approved_by else actor
        if line.unit_price != line.list_price and line.list_price is not None:
            if not has(by, "sale.price_override"):
                raise NeedsApproval(_("{name}: the new price needs a supervisor's approval").format(name=line.name), price_override=True)
        if line.discount > 0 and line.gross > 0:
            limit = discount_limit(settings, by.role)
            over_limit = (line.discount - 1) * 100 > line.gross * limit
            if over_limit or (by.username != actor.username and not has(by, "sale.discount_over_limit")):
                percent = percent_of(line.discount, line.gross)
                raise NeedsApproval(
                    _("{name}: a {percent:.1f}% discount needs a supervisor's approval").format(name=line.name, percent=percent), percent=percent)
