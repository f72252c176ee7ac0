"""Training mode: switching a session, and nothing a trainee does reaching money, stock, reports or the drawer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pos_tui.db.models import AuditLog, Customer, Product
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, ValidationError
from pos_tui.services import audit, auth, drawer, returns, sales, shifts, training
from pos_tui.services.catalog import scan
from pos_tui.services.context import Actor
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.report_export import csv_rows
from pos_tui.services.store import open_store

BREAD = "4010079190010"  # in the demo catalogue


class KickCounter:
    """The drawer double: each kick the till sends is one entry."""

    def __init__(self) -> None:
        self.kicks: list[str] = []

    def open(self, reason: str) -> None:
        self.kicks.append(reason)


# -- switching a session --------------------------------------------------------------------
@pytest.fixture
def people(store, admin_actor) -> tuple[Actor, Actor]:
    auth.add_user(admin_actor, "cathy", "pw-cathy-1", "cashier")
    auth.add_user(admin_actor, "sam", "pw-sam-12", "supervisor")
    return auth.authenticate("cathy", "pw-cathy-1"), auth.authenticate("sam", "pw-sam-12")


def _switches() -> list[tuple[str, str, str, dict]]:
    return [(e.action, e.username, e.target, e.details) for e in reversed(audit.entries(limit=1000))
            if e.action.startswith("training.")]


def test_a_supervisor_switches_their_own_session_in_and_out_and_each_is_audited(store, people):
    _, sam = people

    trainee = training.switch(sam, store, True, lane="1")
    assert (trainee.username, trainee.role, trainee.training) == ("sam", "supervisor", True)
    live = training.switch(trainee, store, False, lane="1")
    assert live == sam

    assert _switches() == [("training.on", "sam", "1", {"approver": None}),
                           ("training.off", "sam", "1", {"approver": None})]


def test_a_cashier_needs_the_approval_of_someone_holding_training_toggle(store, people):
    cathy, sam = people

    with pytest.raises(NeedsApproval, match="cathy may not start training mode; a supervisor must approve"):
        training.switch(cathy, store, True, lane="1")
    with pytest.raises(AuthError, match=r"cathy may not switch training mode \[training.toggle\]"):
        training.switch(cathy, store, True, lane="1", approver=cathy)
    assert _switches() == []

    trainee = training.switch(cathy, store, True, lane="1", approver=sam)
    assert trainee.training and trainee.username == "cathy"
    assert _switches() == [("training.on", "cathy", "1", {"approver": "sam"})]


@pytest.mark.parametrize(("on", "lines", "message"), [
    (True, 2, "the cart has 2 line(s); finish, park or void the sale before starting training mode"),
    (False, 0, "this till is not in training mode"),
])
def test_switching_with_a_cart_open_or_to_the_mode_it_is_in_is_refused_and_writes_nothing(
        store, people, on, lines, message):
    _, sam = people

    with pytest.raises(ValidationError) as refused:
        training.switch(sam, store, on, lane="1", cart_lines=lines)
    assert str(refused.value) == message
    assert _switches() == []


def test_a_training_user_logs_in_in_training_and_no_supervisor_takes_them_out(store, people, admin_actor):
    _, sam = people
    auth.set_training(admin_actor, "cathy", True)

    cathy = auth.authenticate("cathy", "pw-cathy-1")
    assert cathy.training
    assert audit.entries("login")[0].details == {"training": True}
    with pytest.raises(ValidationError, match="cathy is a training user .* `pos user training cathy off`"):
        training.switch(cathy, store, False, lane="1", approver=sam)
    assert _switches() == []

    auth.set_training(admin_actor, "cathy", False)
    assert auth.authenticate("cathy", "pw-cathy-1").training is False


# -- nothing a trainee does counts ----------------------------------------------------------
def _cart(settings, qty: int = 1) -> Cart:
    cart = Cart(prices_include_tax=settings.get("tax.included"))
    for _ in range(qty):
        cart.add(scan(BREAD, settings.tax_rates()))
    return cart


# Every report and grouping `pos report` offers (services/reports: SALES_BY, TURNOVER_BY, COSTS_BY).
REPORTS = [("sales", by) for by in ("day", "week", "month", "hour", "weekday", "category", "product", "cashier",
                                    "lane", "tender")]
REPORTS += [("turnover", "product"), ("turnover", "category"), ("costs", "category"), ("costs", "product"),
            ("customers", None)]


def _reports(day) -> list:
    """Every report as the Reports screen computes it, for `day`."""
    from pos_tui.services.reports import costs, customers, sales as sales_report, turnover
    from pos_tui.services.reports.periods import make_period

    owner, period = Actor.cli(), make_period(day, day + timedelta(days=1))
    found = [sales_report.sales_report(owner, period, by, with_series=True) for by in sales_report.SALES_BY]
    found += [turnover.turnover_report(owner, period, by) for by in turnover.TURNOVER_BY]
    found += [costs.costs_report(owner, period, by) for by in costs.COSTS_BY]
    return found + [customers.customers_report(owner, period)]


def test_training_sales_returns_and_no_sales_reach_no_report_export_shift_figure_stock_or_drawer(
        demo_store, cli):
    settings, lane = demo_store, demo_store.get("lane")
    home = str(settings.home)
    zone = ZoneInfo(settings.get("store.timezone"))
    today = datetime.now(zone).date()
    period = ("--from", today.isoformat(), "--to", (today + timedelta(days=1)).isoformat())
    kicks = KickCounter()

    def pos(*args: str, reopen: bool = True) -> str:
        result = cli("--home", home, *args)
        assert result.exit_code == 0, result.stderr
        if reopen:
            open_store(settings)  # the runner closed the database behind it
        return result.stdout

    if shifts.current_shift(lane) is None:
        shifts.open_shift(Actor.cli(), settings, counts=shifts.break_down(settings, 10000))
    shift_id = shifts.current_shift(lane).id
    customer = Customer.select().order_by(Customer.id).first()
    cashier, supervisor = auth.authenticate("cashier", "1111"), auth.authenticate("supervisor", "2222")

    # A live cash sale: it is in today's figures, and the same drawer double gets its kick.
    live = sales.commit_sale(cashier, _cart(settings, 2), [Tender("cash", 2000)], lane=lane, customer_id=customer.id)
    assert drawer.open_for_sale(cashier, settings, kicks, live, lane=lane).opened and len(kicks.kicks) == 1
    kicks.kicks.clear()

    def figures() -> dict:
        found = {}
        for kind, by in REPORTS:
            for fmt in ("json", "csv"):
                found[kind, by, fmt] = pos("report", kind, *period, *(("--by", by) if by else ()), "--format", fmt,
                                           reopen=False)
        found["screen exports"] = [csv_rows(table) for report in _reports(today)  # the Reports screen's F9
                                   for table in (report, *report.sections.values())]
        shift = json.loads(pos("shift", "show", str(shift_id), "--json"))
        shift["report"].pop("at")  # an X report is taken now
        found["shift"] = shift
        found["expected"] = shifts.expected_cash(lane)
        found["customer"] = json.loads(pos("customer", "show", str(customer.id), "--json"))
        found["stock"] = Product.get(Product.barcode == BREAD).stock
        return found

    before = figures()
    by_cashier = json.loads(before["sales", "cashier", "json"])
    assert {r["cashier"] for r in by_cashier["rows"]} >= {"cashier"}  # today's live sale is in the period

    pos("user", "training", "cashier", "on")
    trainee = auth.authenticate("cashier", "1111")
    assert trainee.training
    started = AuditLog.select().order_by(AuditLog.id.desc()).first().id
    total = _cart(settings).totals().total
    done = [
        sales.commit_sale(trainee, _cart(settings, 3), [Tender("cash", 5000)], lane=lane, customer_id=customer.id),
        sales.commit_sale(trainee, _cart(settings), [Tender("card", total)], lane=lane),
        sales.commit_sale(trainee, _cart(settings), [Tender("cash", 100), Tender("card", total - 100)], lane=lane),
    ]
    for sale in done:
        drawer.open_for_sale(trainee, settings, kicks, sale, lane=lane)
    line = returns.returnable(live.receipt_no).lines[0]
    refund = returns.commit_return(trainee, live.receipt_no, {line.line_id: Decimal(1)}, tender="cash", restock=True,
                                   lane=lane)
    drawer.open_for_refund(trainee, settings, kicks, "cash", -refund.total, lane=lane, receipt=refund.receipt_no)
    no_sale = drawer.no_sale(trainee, settings, kicks, drawer.no_sale_reasons(settings)[0], lane, supervisor)
    reason = shifts.movement_reasons(settings)[0]
    for kind in ("paid_in", "paid_out"):
        with pytest.raises(ValidationError, match="training mode: cash in and out is not recorded"):
            shifts.cash_movement(trainee, settings, kind, 500, reason, approver=supervisor, drawer=kicks)
    with pytest.raises(ValidationError, match="training mode: the shift is not closed"):
        shifts.close_shift(trainee, settings, amount=0, counts=shifts.break_down(settings, 10000), drawer=kicks)
    assert [s.training for s in done + [refund]] == [True] * 4

    assert figures() == before

    # The drawer never opened; every try is audited as training.
    assert kicks.kicks == [] and not no_sale.opened
    tries = [json.loads(row.details) for row in AuditLog.select().where(
        (AuditLog.id > started) & (AuditLog.action == "drawer.open")).order_by(AuditLog.id)]
    assert [(t.get("receipt"), t["why"], t["outcome"]) for t in tries] == [
        (done[0].receipt_no, "sale", drawer.TRAINING), (done[2].receipt_no, "sale", drawer.TRAINING),
        (refund.receipt_no, "refund", drawer.TRAINING), (None, "no_sale", drawer.TRAINING)]

    # `pos sale list` keeps the training sales, marked.
    marked = {s["receipt_no"]: s["training"] for s in json.loads(pos("sale", "list", "--since", today.isoformat(),
                                                                      "--json"))}
    assert {r: marked[r] for r in [live.receipt_no] + [s.receipt_no for s in done + [refund]]} == {
        live.receipt_no: False, **{s.receipt_no: True for s in done + [refund]}}
    text = {line.split()[0]: line for line in pos("sale", "list", "--since", today.isoformat()).splitlines()}
    assert all(" TRAINING" in text[s.receipt_no] for s in done + [refund])
    assert "TRAINING" not in text[live.receipt_no]
