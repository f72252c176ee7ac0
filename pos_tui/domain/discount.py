"""Discounts: a percent or an amount off one line or off the whole cart.

A cart discount is shared across the lines in proportion to their totals
(largest remainder, so the shares add up exactly), which keeps the tax per
line right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pos_tui.domain.money import parse_money, round_minor
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

_PERCENT_RE = re.compile(r"^\d{1,3}(?:\.\d{1,2})?%$", re.ASCII)


@dataclass(frozen=True)
class Discount:
    """Either `percent` (Decimal, 0-100) or `amount` (minor units)."""

    percent: Decimal | None = None
    amount: int | None = None

    def off(self, gross: int) -> int:
        """The discount on `gross` minor units, never more than it."""
        if self.percent is not None:
            return round_minor(Decimal(gross) * self.percent / 100)
        if self.amount is not None and self.amount > gross:
            raise ValidationError(_("a discount cannot be more than the amount it is taken off"))
        return self.amount or 0


def parse_discount(text: str) -> Discount:
    """"10%" is a percent, "1.50" an amount; over 100% or below zero is refused."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.endswith("%"):
        if not _PERCENT_RE.match(cleaned):
            raise ValidationError(_("discount {text!r} is not a percent like 10% or 12.5%").format(text=text.strip()))
        percent = Decimal(cleaned[:-1])
        if percent > 100:
            raise ValidationError(_("a discount of {percent}% is more than 100%").format(percent=percent))
        return Discount(percent=percent)
    return Discount(amount=parse_money(cleaned, what=_("discount")))


def percent_of(part: int, whole: int) -> Decimal:
    """`part` as a percent of `whole` (for checking a role's discount limit)."""
    if whole <= 0:
        return Decimal(0)
    return Decimal(part) * 100 / Decimal(whole)


def share(amount: int, weights: list[int]) -> list[int]:
    """Split `amount` in proportion to `weights`, exactly (largest remainder)."""
    total = sum(weights)
    if amount < 0 or total <= 0 or amount > total:
        raise ValidationError(_("a cart discount cannot be more than the cart"))
    floors = [amount * w // total for w in weights]
    left = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in order[:left]:
        floors[i] += 1
    return floors
