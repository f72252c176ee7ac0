"""The order status machine: which change is allowed from which status.

Pure rules, no I/O, so the screens can grey out an action with the same
table the services enforce. A pickup order is never shipped: it goes from
packed straight to delivered when the customer collects it.
"""

from __future__ import annotations

from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _

DRAFT, PENDING, APPROVED, PACKED = "draft", "pending_review", "approved", "packed"
SHIPPED, DELIVERED, CANCELLED, RETURNED = "shipped", "delivered", "cancelled", "returned"
STATUSES = (DRAFT, PENDING, APPROVED, PACKED, SHIPPED, DELIVERED, CANCELLED, RETURNED)
# Stock is held for these (derived: the sum of their lines), and taken when they leave them.
RESERVING = (APPROVED, PACKED)
# Stock has left the shop for these.
TAKEN = (SHIPPED, DELIVERED)
# Late when the expected date has passed in one of these.
OPEN_FOR_LATE = (APPROVED, PACKED, SHIPPED)

_DELIVERY = {
    DRAFT: (PENDING, APPROVED, CANCELLED),
    PENDING: (APPROVED, CANCELLED),
    APPROVED: (PACKED, CANCELLED),
    PACKED: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED, RETURNED),
    DELIVERED: (RETURNED,),
    CANCELLED: (),
    RETURNED: (),
}
_PICKUP = {**_DELIVERY, PACKED: (DELIVERED, CANCELLED)}

# What each action is called, for messages ("cannot ship ...").
VERBS = {PENDING: N_("send to review"), APPROVED: N_("approve"), PACKED: N_("pack"), SHIPPED: N_("ship"),
         DELIVERED: N_("deliver"), CANCELLED: N_("cancel"), RETURNED: N_("return")}


def _verb(status: str) -> str:
    verb = VERBS.get(status)
    return _(verb) if verb else status


class IllegalTransition(ValidationError):
    """A status change the machine does not allow; nothing was changed."""

    def __init__(self, number: str, current: str, target: str, fulfilment: str = "delivery") -> None:
        allowed = allowed_from(current, fulfilment)
        hint = ", ".join(_verb(s) for s in allowed) if allowed else _("nothing (it is final)")
        extra = ""
        if target == SHIPPED and fulfilment == "pickup":
            extra = _("; a pickup order is not shipped: deliver it when it is collected")
        super().__init__(_("cannot {action} order {number}: it is {status}; allowed now: {hint}{extra}").format(
            action=_verb(target), number=number, status=current, hint=hint, extra=extra))
        self.current, self.target = current, target


def allowed_from(current: str, fulfilment: str = "delivery") -> tuple[str, ...]:
    """The statuses an order may move to next."""
    table = _PICKUP if fulfilment == "pickup" else _DELIVERY
    return table.get(current, ())


def check(number: str, current: str, target: str, fulfilment: str = "delivery") -> None:
    """Raise IllegalTransition unless `current -> target` is allowed."""
    if target not in allowed_from(current, fulfilment):
        raise IllegalTransition(number, current, target, fulfilment)
