"""Training mode for one till session: a supervisor switches it on or off (issue 10).

Training is a property of the Actor (services/context.py): the services flag
its sales, skip stock and the drawer, and reports leave them out. A user whose
own flag is on (`pos user training NAME on`) logs in in training and cannot
leave it; anyone else's session is switched here, by a holder of
training.toggle or with one's approval. Switching with a cart open is refused,
so one sale is never half live and half training.
"""

from __future__ import annotations

from dataclasses import replace

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.models import User
from pos_tui.errors import AuthError, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval, refusal_for
from pos_tui.services.permissions import has

ON, OFF = "training.on", "training.off"


def check_switch(actor: Actor, on: bool, *, cart_lines: int = 0) -> None:
    """Whether `actor`'s session may switch to `on` at all (before anyone is asked to approve)."""
    if on == actor.training:
        raise ValidationError(_("this till is already in training mode") if on else _("this till is not in training mode"))
    if cart_lines:
        message = (_("the cart has {cart_lines} line(s); finish, park or void the sale before starting training mode")
                   if on else
                   _("the cart has {cart_lines} line(s); finish, park or void the sale before leaving training mode"))
        raise ValidationError(message.format(cart_lines=cart_lines))
    if not on and actor.user_id is not None:
        user = User.get_or_none(User.id == actor.user_id)
        if user is not None and user.training:
            raise ValidationError(_("{username} is a training user and stays in training; an admin takes them out "
                                    "with `pos user training {username} off`").format(username=actor.username))


def needs_approval(actor: Actor, on: bool) -> NeedsApproval | None:
    """The request a supervisor approves when `actor` lacks training.toggle, else None."""
    if has(actor, "training.toggle"):
        return None
    message = (_("{who} may not start training mode; a supervisor must approve") if on else
               _("{who} may not leave training mode; a supervisor must approve"))
    return NeedsApproval(message.format(who=actor.username or _("this user")), training=True)


def switch(actor: Actor, settings: Settings, on: bool, *, lane: str, cart_lines: int = 0,
           approver: Actor | None = None) -> Actor:
    """The same user's session in (or out of) training; audited with who approved.

    Refuses (ValidationError, NeedsApproval, AuthError) and changes nothing
    when the session may not switch.
    """
    check_switch(actor, on, cart_lines=cart_lines)
    request = needs_approval(actor, on)
    if request is not None:
        if approver is None:
            raise request
        refusal = refusal_for(settings, approver, request)
        if refusal:
            raise AuthError(refusal)
    with write_transaction():
        audit.record(ON if on else OFF, actor, lane, approver=approver.username if approver else None)
    return replace(actor, training=on)
