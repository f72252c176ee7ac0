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


@given(st.integers(min_value=0, max_value=200_000), TENDERS)
def test_whenever_settle_succeeds_the_books_balance(due: int, tenders: list[Tender]) -> None:
    """Recorded amounts add up to the total; change is never negative and only cash."""
    try:
        applied = settle(due, tenders)
    except ValidationError:
        paid = sum(t.tendered for t in tenders)
        cash = sum(t.tendered for t in tenders if t.kind == CASH)
        assert paid < due or paid - due > cash
        return
    assert sum(a.amount for a in applied) == due
    assert all(a.change >= 0 and a.amount >= 0 for a in applied)
    assert all(a.change == 0 for a in applied if a.kind == CARD)
    assert [(a.kind, a.tendered) for a in applied] == [(t.kind, t.tendered) for t in tenders]
    assert sum(a.change for a in applied) == sum(t.tendered for t in tenders) - due
