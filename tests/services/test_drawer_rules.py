"""The drawer rules engine: every rule alone and together, over generated shops and events."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pos_tui.config import Settings
from pos_tui.domain import rule_values as rv
from pos_tui.errors import ConfigError, ValidationError
from pos_tui.services.drawer_rules import (
    ASK, OPEN, REFUSE, DrawerRules, NoSaleEvent, RefundEvent, SaleEvent, ShiftEvent, TenderAmount, TestEvent,
    before_cash_sale_warning, decide, left_open_warning,
)

TENDERS = ("cash", "card", "voucher", "mobile")
money = st.integers(min_value=0, max_value=100_000)
times = st.times()
reasons = st.lists(st.text("abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool),
                   min_size=1, max_size=4, unique_by=str.lower).map(tuple)


@st.composite
def rule_sets(draw) -> DrawerRules:
    low = draw(money)
    cash_range = draw(st.none() | st.integers(low, low + 50_000).map(lambda high: (low, high)))
    hours = draw(st.none() | st.tuples(times, times).filter(lambda span: span[0] != span[1]))
    return DrawerRules(
        sale_tenders=frozenset(draw(st.sets(st.sampled_from(TENDERS)))),
        refund_tenders=frozenset(draw(st.sets(st.sampled_from(TENDERS)))),
        cash_range=cash_range,
        cash_amounts=frozenset(draw(st.sets(money, max_size=4))),
        shift_open=draw(st.booleans()),
        shift_close=draw(st.booleans()),
        no_sale_reasons=draw(reasons),
        no_sale_hours=hours,
        no_sale_max=draw(st.integers(0, 10)),
        open_warning_s=draw(st.integers(0, 600)),
        warn_open_before_sale=draw(st.booleans()),
    )


sales = st.builds(
    SaleEvent,
    tenders=st.lists(st.builds(TenderAmount, st.sampled_from(TENDERS), money), min_size=1, max_size=3).map(tuple),
    change=money,
)
no_sales = st.builds(NoSaleEvent, reason=st.text(max_size=12), at=times, count=st.integers(0, 12),
                     permitted=st.booleans())
events = st.one_of(
    sales, st.builds(RefundEvent, st.sampled_from(TENDERS), money), no_sales,
    st.builds(ShiftEvent, st.sampled_from(["open", "close"])), st.builds(TestEvent),
)


def _amount_ok(rules: DrawerRules, cash: int) -> bool:
    if rules.cash_range is None and not rules.cash_amounts:
        return True
    low, high = rules.cash_range or (1, 0)
    return low <= cash <= high or cash in rules.cash_amounts


# -- sales --------------------------------------------------------------------
@given(rule_sets(), sales)
def test_a_sale_opens_for_its_tenders_asks_outside_the_amounts_and_always_opens_for_change(rules, sale):
    opening = [t for t in sale.tenders if t.kind in rules.sale_tenders]
    decision = decide(rules, sale)
    if not opening:
        assert decision.action == (OPEN if sale.change > 0 else REFUSE)
    elif _amount_ok(rules, sum(t.tendered for t in opening)):
        assert decision.action == OPEN
    else:
        assert decision.action == ASK and "outside" in decision.why
    assert decision.why


def test_the_default_rules_open_for_cash_and_not_for_card():
    rules = DrawerRules()
    assert decide(rules, SaleEvent((TenderAmount("cash", 500),), change=180)).action == OPEN
    assert decide(rules, SaleEvent((TenderAmount("card", 320),))).action == REFUSE
    assert decide(rules, SaleEvent((TenderAmount("card", 400), TenderAmount("cash", 1000)), change=805)).opens
    assert decide(rules, RefundEvent("cash", 320)).opens
    assert decide(rules, RefundEvent("card", 320)).action == REFUSE


@given(st.sampled_from(TENDERS), money)
def test_a_configured_other_tender_opens_the_drawer(kind, amount):
    rules = DrawerRules(sale_tenders=frozenset({"cash", "voucher"}))
    assert decide(rules, SaleEvent((TenderAmount(kind, amount),))).opens == (kind in ("cash", "voucher"))


@given(money)
def test_a_fixed_amount_or_the_range_opens_else_the_cashier_is_asked(cash):
    rules = DrawerRules(cash_range=(1, 5000), cash_amounts=frozenset({10000}))
    expected = OPEN if 1 <= cash <= 5000 or cash == 10000 else ASK
    assert decide(rules, SaleEvent((TenderAmount("cash", cash),))).action == expected


# -- refunds, shifts, tests ---------------------------------------------------------
@given(rule_sets(), st.sampled_from(TENDERS), money)
def test_a_refund_opens_only_for_the_refund_tenders(rules, tender, amount):
    assert decide(rules, RefundEvent(tender, amount)).opens == (tender in rules.refund_tenders)


@given(rule_sets(), st.sampled_from(["open", "close"]))
def test_shift_open_and_close_follow_their_settings(rules, kind):
    allowed = rules.shift_open if kind == "open" else rules.shift_close
    decision = decide(rules, ShiftEvent(kind))
    assert decision.action == (OPEN if allowed else REFUSE)
    if not allowed:
        assert f"drawer.rules.shift_{kind}" in decision.why


@given(rule_sets())
def test_a_drawer_test_always_opens(rules):
    assert decide(rules, TestEvent()).opens


# -- no-sale ------------------------------------------------------------------
@given(rule_sets(), no_sales, st.booleans())
def test_a_no_sale_opens_only_with_permission_a_listed_reason_in_hours_under_the_maximum(rules, event, listed):
    if listed:
        event = NoSaleEvent(rules.no_sale_reasons[0], event.at, event.count, event.permitted)
    decision = decide(rules, event)
    in_hours = rv.within_hours(rules.no_sale_hours, event.at)
    under = rules.no_sale_max == 0 or event.count < rules.no_sale_max
    ok = event.permitted and event.reason in rules.no_sale_reasons and in_hours and under
    assert decision.action == (OPEN if ok else REFUSE)
    if not event.permitted:
        assert "drawer.no_sale" in decision.why
    elif event.reason not in rules.no_sale_reasons:
        assert "not a no-sale reason" in decision.why
    elif not in_hours:
        assert rv.canonical_hours(rules.no_sale_hours) in decision.why
    elif not under:
        assert str(rules.no_sale_max) in decision.why


@given(times)
def test_no_sale_hours_wrap_past_midnight(at):
    rules = DrawerRules(no_sale_reasons=("till check",), no_sale_hours=(time(22), time(6)))
    expected = at >= time(22) or at < time(6)
    assert decide(rules, NoSaleEvent("till check", at, 0, True)).opens == expected


@given(st.integers(0, 20))
def test_the_no_sale_maximum_counts_openings_so_far(count):
    rules = DrawerRules(no_sale_reasons=("till check",), no_sale_max=3)
    assert decide(rules, NoSaleEvent("till check", time(12), count, True)).opens == (count < 3)


# -- training -----------------------------------------------------------------
@given(rule_sets(), events)
def test_training_never_opens_yet_says_what_a_live_till_would_do(rules, event):
    live = decide(rules, event)
    trained = decide(rules, type(event)(**{**event.__dict__, "training": True}))
    assert trained.action == REFUSE
    if live.action == REFUSE:
        assert trained == live
    else:
        assert trained.would == live.action and trained.why.startswith("training: not opened")


# -- warnings -----------------------------------------------------------------
@given(rule_sets(), st.none() | st.floats(0, 3600, allow_nan=False))
def test_the_left_open_warning_comes_after_the_set_seconds_only_with_a_sensor(rules, seconds):
    warning = left_open_warning(rules, seconds)
    due = seconds is not None and rules.open_warning_s > 0 and seconds >= rules.open_warning_s
    assert (warning is not None) == due


@given(rule_sets(), st.none() | st.booleans())
def test_the_warning_before_a_cash_sale_needs_an_open_drawer_and_the_setting(rules, drawer_open):
    assert (before_cash_sale_warning(rules, drawer_open) is not None) == bool(rules.warn_open_before_sale and drawer_open)


# -- the settings -------------------------------------------------------------
def test_the_rules_read_from_settings_and_from_a_toml_table(tmp_path):
    from pos_tui.config import load_settings

    (tmp_path / "config.toml").write_text(
        '[drawer.rules]\nsale_tenders = ["cash", "voucher"]\ncash_range = "0.01-200"\n'
        'cash_amounts = "50,20.00"\nno_sale_hours = "08:00-20:00"\nno_sale_max = 2\n'
        'no_sale_reasons = ["till check", "give change"]\nshift_close = false\n', encoding="utf-8")
    rules = DrawerRules.from_settings(load_settings(tmp_path))
    assert rules.sale_tenders == {"cash", "voucher"} and rules.cash_range == (1, 20000)
    assert rules.cash_amounts == {2000, 5000} and rules.no_sale_hours == (time(8), time(20))
    assert rules.no_sale_max == 2 and rules.no_sale_reasons == ("till check", "give change")
    assert rules.shift_open and not rules.shift_close
    assert DrawerRules.from_settings(Settings(home=tmp_path)) == DrawerRules(
        no_sale_reasons=("change for a customer", "check the float", "correct a mistake"))


@pytest.mark.parametrize("key, value, says", [
    ("drawer.rules.cash_range", "200-1", "starts above its end"),
    ("drawer.rules.cash_range", "ten-20", "not a money amount"),
    ("drawer.rules.cash_amounts", "5,x", "not a money amount"),
    ("drawer.rules.no_sale_hours", "8-20", "like 08:00-20:00"),
    ("drawer.rules.no_sale_hours", "08:00-25:00", "past 23:59"),
    ("drawer.rules.no_sale_hours", "09:00-09:00", "same time"),
    ("drawer.rules.sale_tenders", "cash,Gift Card", "not a tender name"),
    ("drawer.rules.no_sale_reasons", " , ", "at least one reason"),
    ("drawer.rules.no_sale_reasons", "a,A", "listed twice"),
    ("drawer.rules.no_sale_max", "-1", "at least 0"),
])
def test_pos_config_set_refuses_a_bad_rule_value_and_names_the_key(tmp_path, key, value, says):
    settings = Settings(home=tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.set(key, value)
    assert key in str(caught.value) and says in str(caught.value)
    assert key not in settings.values


@given(st.tuples(times, times).filter(lambda span: span[0] != span[1]).map(
    lambda span: tuple(t.replace(second=0, microsecond=0) for t in span)).filter(lambda span: span[0] != span[1]))
def test_hours_survive_their_canonical_spelling(span):
    assert rv.parse_hours(rv.canonical_hours(span)) == span


@given(st.sets(money, max_size=5))
def test_amounts_survive_their_canonical_spelling(amounts):
    assert set(rv.parse_amounts(rv.canonical_amounts(sorted(amounts)))) == amounts


def test_an_empty_range_means_any_amount():
    assert rv.parse_money_range("") is None and rv.parse_hours(" ") is None
    with pytest.raises(ValidationError):
        rv.parse_money_range("5")
