"""Tenders: how a total is paid, and the change owed in cash."""

from __future__ import annotations

from dataclasses import dataclass

from pos_tui.domain.money import format_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import _

CASH = "cash"
CARD = "card"
TENDERS = (CASH, CARD)  # the shop adds its own (voucher, mobile…) in tenders.other


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


def round_cash(amount: int, step: int) -> int:
    """Round a cash amount to the shop's smallest coin step (e.g. 5 cents), half up."""
    if step <= 1:
        return amount
    return (amount + step // 2) // step * step


def apply_tenders(
    total_due: int, tenders: list[Tender], *, cash_step: int = 1, kinds: tuple[str, ...] = TENDERS
) -> tuple[list[AppliedTender], int]:
    """Apply tenders in the order taken; returns them and what is still due.

    A card (or any non-cash tender) may not exceed what is still due; cash
    may, and the excess is change. Cash that settles the rest pays the rest
    rounded to `cash_step`; the rounding is sum(amounts) - total_due.
    """
    if total_due < 0:
        raise ValidationError(_("a sale total cannot be negative"))
    remaining = total_due
    applied: list[AppliedTender] = []
    for tender in tenders:
        if tender.kind not in kinds:
            raise ValidationError(_("unknown tender {kind!r}; use one of {kinds}").format(kind=tender.kind, kinds=', '.join(kinds)))
        if tender.tendered <= 0:
            raise ValidationError(_("a tendered amount must be more than zero"))
        if remaining <= 0:
            raise ValidationError(_("the sale is already paid; no more tenders"))
        if tender.kind == CASH:
            rest = round_cash(remaining, cash_step)
            if tender.tendered >= rest:
                applied.append(AppliedTender(CASH, rest, tender.tendered, tender.tendered - rest, tender.reference))
                remaining = 0
                continue
            applied.append(AppliedTender(CASH, tender.tendered, tender.tendered, 0, tender.reference))
            remaining -= tender.tendered
            continue
        if tender.tendered > remaining:
            raise ValidationError(
                _("{kind} cannot pay more than the {remaining} still due; only cash can be more than the amount due").format(kind=tender.kind, remaining=format_money(remaining))
            )
        applied.append(AppliedTender(tender.kind, tender.tendered, tender.tendered, 0, tender.reference))
        remaining -= tender.tendered
    return applied, remaining


def settle(
    total_due: int, tenders: list[Tender], *, cash_step: int = 1, kinds: tuple[str, ...] = TENDERS
) -> list[AppliedTender]:
    """Tenders that pay the whole total, or a ValidationError saying what is still due."""
    applied, remaining = apply_tenders(total_due, tenders, cash_step=cash_step, kinds=kinds)
    if remaining > 0:
        raise ValidationError(_("{remaining} is still due").format(remaining=format_money(remaining)))
    return applied
