"""Tenders: how a total is paid, and the change owed in cash."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.money import format_money
from pos_tui.errors import ValidationError

CASH = "cash"
CARD = "card"
TENDERS = (CASH, CARD)


@dataclass(frozen=True)
class Tender:
    """What the customer handed over for one tender."""

    kind: str
    tendered: int
    reference: str = ""


@dataclass(frozen=True)
class AppliedTender:
    """A tender as recorded: the amount kept, what was handed over, change given."""

    kind: str
    amount: int
    tendered: int
    change: int
    reference: str = ""


def settle(total_due: int, tenders: list[Tender]) -> list[AppliedTender]:
    """Apply tenders to a total; only cash may exceed what is due (as change)."""
    if total_due < 0:
        raise ValidationError("a sale total cannot be negative")
    for tender in tenders:
        if tender.kind not in TENDERS:
            raise ValidationError(f"unknown tender {tender.kind!r}; use one of {', '.join(TENDERS)}")
        if tender.tendered <= 0:
            raise ValidationError("a tendered amount must be more than zero")
    paid = sum(t.tendered for t in tenders)
    if paid < total_due:
        raise ValidationError(f"{format_money(total_due - paid)} is still due")
    over = paid - total_due
    cash = sum(t.tendered for t in tenders if t.kind == CASH)
    if over > cash:
        raise ValidationError("only cash can be more than the amount due")
    applied: list[AppliedTender] = []
    remaining_change = over
    for tender in tenders:
        change = 0
        if tender.kind == CASH and remaining_change:
            change = min(remaining_change, tender.tendered)
            remaining_change -= change
        applied.append(
            AppliedTender(tender.kind, tender.tendered - change, tender.tendered, change, tender.reference)
        )
    return applied
