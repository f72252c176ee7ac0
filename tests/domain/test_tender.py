"""Settling a sale: cash, card, splits, and the change handed back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_tui.domain.tender import CARD, CASH, AppliedTender, Tender, settle
from pos_tui.errors import ValidationError


def test_exact_cash() -> None:
    """Exact cash: the drawer keeps it all, no change."""
    assert settle(1250, [Tender(CASH, 1250)]) == [AppliedTender(CASH, 1250, 1250, 0)]


def test_cash_with_change() -> None:
    """A 20.00 note for 12.50 gives 7.50 change; the sale records 12.50 cash."""
    assert settle(1250, [Tender(CASH, 2000)]) == [AppliedTender(CASH, 1250, 2000, 750)]


def test_card_exact_keeps_its_reference() -> None:
    """A card payment is recorded with the terminal's reference for reconciliation."""
    assert settle(1250, [Tender(CARD, 1250, "AUTH123")]) == [AppliedTender(CARD, 1250, 1250, 0, "AUTH123")]


def test_card_over_the_amount_due_is_refused() -> None:
    """No cash-back on card: overpaying by card is a typo, not change."""
    with pytest.raises(ValidationError, match="only cash can be more"):
        settle(1250, [Tender(CARD, 2000)])


def test_card_plus_cash_where_card_alone_overpays_is_refused() -> None:
    """Change can only come out of the cash actually handed over."""
    with pytest.raises(ValidationError, match="only cash can be more"):
        settle(1000, [Tender(CARD, 1200), Tender(CASH, 100)])


@pytest.mark.parametrize(
    ("due", "tenders", "still_due"),
    [
        (2500, [Tender(CASH, 1250)], "12.50 is still due"),
        (1250, [Tender(CARD, 1249)], "0.01 is still due"),
        (10000, [Tender(CASH, 2000), Tender(CARD, 3000)], "50.00 is still due"),
    ],
)
def test_short_payment_says_how_much_is_still_due(due: int, tenders: list[Tender], still_due: str) -> None:
    """The cashier sees the remaining amount as money, not minor units."""
    with pytest.raises(ValidationError) as info:
        settle(due, tenders)
    assert str(info.value) == still_due


def test_no_tender_at_all_leaves_the_whole_total_due() -> None:
    """Pressing pay with nothing tendered says the full amount is due."""
    with pytest.raises(ValidationError, match=r"^12\.50 is still due$"):
        settle(1250, [])


def test_split_card_and_cash_gives_change_from_cash_only() -> None:
    """Card 6.00 + cash 5.00 on 10.00: card is kept whole, 1.00 change from the cash."""
    applied = settle(1000, [Tender(CARD, 600), Tender(CASH, 500)])
    assert applied == [AppliedTender(CARD, 600, 600, 0), AppliedTender(CASH, 400, 500, 100)]


def test_split_exact_cash_and_card() -> None:
    """An exact split records both tenders in full, in the order given."""
    applied = settle(1000, [Tender(CASH, 300), Tender(CARD, 700)])
    assert applied == [AppliedTender(CASH, 300, 300, 0), AppliedTender(CARD, 700, 700, 0)]


@pytest.mark.parametrize("kind", ["cheque", "Cash", "", "voucher"])
def test_unknown_tender_is_refused_naming_it(kind: str) -> None:
    """A tender the shop does not take is refused, listing the ones it does."""
    with pytest.raises(ValidationError) as info:
        settle(1000, [Tender(kind, 1000)])
    assert repr(kind) in str(info.value)
    assert "cash, card" in str(info.value)


@pytest.mark.parametrize("amount", [0, -1, -500])
def test_zero_or_negative_tender_is_refused(amount: int) -> None:
    """A zero or negative tender would hide cash leaving the drawer."""
    with pytest.raises(ValidationError, match="more than zero"):
        settle(1000, [Tender(CASH, 1500), Tender(CASH, amount)])
    with pytest.raises(ValidationError, match="more than zero"):
        settle(0, [Tender(CARD, amount)])


def test_negative_total_is_refused() -> None:
    """Refunds go through their own path; settle never pays money out."""
    with pytest.raises(ValidationError, match="cannot be negative"):
        settle(-100, [Tender(CASH, 100)])


TENDERS = st.lists(
    st.builds(Tender, st.sampled_from([CASH, CARD]), st.integers(min_value=1, max_value=100_000)),
    min_size=1,
    max_size=5,
)


def _refusal_is_right(due: int, tenders: list[Tender]) -> bool:
    """Why settle() may refuse: tenders are taken in order; a non-cash tender may not
    exceed what is still due, nothing may follow a tender that settled the sale, and
    the total must be met."""
    remaining = due
    for tender in tenders:
        if remaining <= 0:
            return True
        if tender.kind != CASH and tender.tendered > remaining:
            return True
        remaining -= tender.tendered
    return remaining > 0


@given(st.integers(min_value=0, max_value=200_000), TENDERS, st.sampled_from([1, 5, 10]))
def test_whenever_settle_succeeds_the_books_balance(due: int, tenders: list[Tender], step: int) -> None:
    """Recorded amounts add up to the total (plus cash rounding); change is never negative and only cash."""
    try:
        applied = settle(due, tenders, cash_step=step)
    except ValidationError:
        assert _refusal_is_right(due, tenders)
        return
    rounding = sum(a.amount for a in applied) - due
    assert abs(rounding) <= step // 2
    assert rounding == 0 or applied[-1].kind == CASH
    assert all(a.change >= 0 and a.amount >= 0 for a in applied)
    assert all(a.change == 0 for a in applied if a.kind == CARD)
    assert [(a.kind, a.tendered) for a in applied] == [(t.kind, t.tendered) for t in tenders]
    assert sum(a.change for a in applied) == sum(t.tendered for t in tenders) - due - rounding


def test_cash_rounds_to_the_coin_step_and_only_cash():
    """7.32 in cash with 5-cent coins is 7.30; by card it stays 7.32."""
    (cash,) = settle(732, [Tender(CASH, 1000)], cash_step=5)
    assert (cash.amount, cash.change) == (730, 270)
    (card,) = settle(732, [Tender(CARD, 732)], cash_step=5)
    assert card.amount == 732
    card_part, cash_part = settle(732, [Tender(CARD, 500), Tender(CASH, 300)], cash_step=5)
    assert (card_part.amount, cash_part.amount, cash_part.change) == (500, 230, 70)


def test_a_tender_after_the_sale_is_paid_is_refused():
    with pytest.raises(ValidationError, match="already paid"):
        settle(500, [Tender(CASH, 500), Tender(CARD, 100)])


def test_shop_tenders_are_accepted_when_the_shop_has_them():
    (voucher,) = settle(500, [Tender("voucher", 500)], kinds=("cash", "card", "voucher"))
    assert voucher.amount == 500
