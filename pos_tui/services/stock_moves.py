"""The one way stock changes outside a sale or return: a move with a reason, a reference and a user.

`stock on hand = sum of its moves` holds because the product's stock and
its move are written together, inside the caller's write_transaction, and
the stock is changed by an UPDATE relative to its current value, so a sale
on another lane in between is never lost. `pos db check` verifies it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos_tui.db.fields import utc_now
from pos_tui.db.models import Product, StockMove
from pos_tui.errors import ValidationError
from pos_tui.i18n import _
from pos_tui.services.context import Actor

# Reasons a person may give for an adjustment (`pos stock adjust --reason`).
ADJUST_REASONS = ("damage", "theft", "expiry", "own_use", "correction", "found")
# Every reason a move can carry; sale, return and import come from their own services.
REASONS = ("sale", "return", "import", "receive", "stocktake") + ADJUST_REASONS
REASONS += ("order",)  # a delivery order shipped or a pickup collected (services/orders.py)


def move(product_id: int, delta: Decimal, reason: str, reference: str, actor: Actor,
         *, at: datetime | None = None) -> StockMove | None:
    """Change one product's stock by `delta` and record the move; call inside write_transaction().

    A zero delta writes nothing. Training mode never moves stock.
    """
    if reason not in REASONS:
        raise ValidationError(_("unknown stock reason {reason!r}; use one of {REASONS}").format(reason=reason, REASONS=', '.join(REASONS)))
    if len(reference) > 64:
        raise ValidationError(_("a stock reference is at most 64 characters"))
    if actor.training or delta == 0:
        return None
    changed = Product.update(stock=Product.stock + delta).where(Product.id == product_id).execute()
    if changed != 1:
        raise ValidationError(_("no product with id {product_id}").format(product_id=product_id))
    return StockMove.create(product=product_id, delta=delta, reason=reason, reference=reference,
                            user=actor.user_id, os_user=actor.os_user, created_at=at or utc_now())
