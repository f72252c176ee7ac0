"""The Reports area at the till: the figures are the service's, drill-down and back, export, guard."""

from __future__ import annotations

import csv
import threading
from datetime import date, timedelta

import pytest

from pos_tui.domain.money import format_money
from pos_tui.services.context import Actor
from pos_tui.services.reports import costs, sales
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.screens.reports import ReportsScreen, named_period

from tests.conftest import DEMO_TODAY
from tests.tui.pilot_helpers import login, settle_workers, shown, wait_until


@pytest.fixture(autouse=True)
def _shop_day(monkeypatch):
    """The screen's "today" is the demo history's, whatever the wall clock says."""
    monkeypatch.setattr(ReportsScreen, "today", lambda self: DEMO_TODAY)


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#reports-table")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _this_month():
    return named_period("this month", DEMO_TODAY)


async def _menu(pilot) -> dict[str, str]:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    return pilot.app.screen.choices


async def _computed(pilot) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen) and pilot.app.screen.report is not None
                     and not pilot.app.screen.computing, "a computed report")


async def _open_reports(pilot) -> ReportsScreen:
    assert (await _menu(pilot))["R"] == "Reports"
    await pilot.press("r")
    await _computed(pilot)
    return pilot.app.screen


async def _choose(pilot, key: str, letter: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), f"the {key} chooser")
    await pilot.press(letter)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen), "the reports screen")
    await _computed(pilot)


def test_named_periods_are_whole_calendar_spans_around_today():
    wednesday = date(2026, 3, 4)

    def span(name: str, today: date = wednesday) -> tuple[str, str]:
        p = named_period(name, today)
        return p.start.isoformat(), p.end.isoformat()

    assert span("today") == ("2026-03-04", "2026-03-05")
    assert span("yesterday") == ("2026-03-03", "2026-03-04")
    assert span("this week") == ("2026-03-02", "2026-03-09")  # Monday to Monday, the end excluded
    assert span("last week") == ("2026-02-23", "2026-03-02")
    assert span("this month") == ("2026-03-01", "2026-04-01")
    assert span("last month") == ("2026-02-01", "2026-03-01")
    assert span("this year") == ("2026-01-01", "2027-01-01")
    assert span("this month", date(2026, 12, 31)) == ("2026-12-01", "2027-01-01")
    assert span("last month", date(2026, 1, 15)) == ("2025-12-01", "2026-01-01")


async def test_an_admin_sees_this_months_sales_by_category_as_the_service_computes_them(demo_store):
    expected = sales.sales_report(Actor.cli(), _this_month(), "category", with_series=True)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        assert app.current_mode == "reports"
        rows = _rows(app)
        assert len(rows) == len(expected.rows) and rows[0][0] == expected.rows[0]["category"][:24]
        net = [c.key for c in expected.columns].index("net")
        assert [r[net] for r in rows] == [format_money(r["net"]) for r in expected.rows]
        totals = shown(app, "#reports-totals")
        assert f"net {format_money(expected.totals['net'])}" in totals
        assert f"previous period: net {format_money(expected.previous['net'])}" in totals
        assert "this month" in shown(app, "#status-line")
        chart = shown(app, "#reports-chart")
        assert "net by day" in chart and any(ch in chart for ch in "▁▂▃▄▅▆▇█#")
        assert screen.query_one("#reports-trend").data  # the trend's sparkline has the days


async def test_other_reports_periods_and_groupings_match_the_services(demo_store):
    last_month = named_period("last month", DEMO_TODAY)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_reports(pilot)
        await _choose(pilot, "f3", "n")  # last month
        await _choose(pilot, "f4", "t")  # by tender
        expected = sales.sales_report(Actor.cli(), last_month, "tender")
        assert [r[3] for r in _rows(app)] == [format_money(r["net"]) for r in expected.rows]
        assert "sales by tender | last month" in shown(app, "#status-line")
        await _choose(pilot, "f2", "o")  # costs: tender is not a grouping there, back to category
        expected = costs.costs_report(Actor.cli(), last_month, "category")
        margin = [c.key for c in expected.columns].index("margin")
        assert [r[margin] for r in _rows(app)] == [format_money(r["margin"]) for r in expected.rows]
        assert not app.screen.query_one("#reports-chart").display  # no series for costs


async def test_typed_dates_are_checked_and_then_used(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the period chooser")
        await pilot.press("d")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#reports-from"), "the From field")
        screen.query_one("#reports-from").value = "2026-11-10"
        screen.query_one("#reports-to").value = "2026-11-03"
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: "must be after" in shown(app, "#reports-notice"), "the refusal")
        assert screen.view.period_name == "this month"  # nothing changed
        screen.query_one("#reports-to").value = "2026-11-17"
        await pilot.press("enter")
        await _computed(pilot)
        assert "dates: 2026-11-10 to 2026-11-16" in shown(app, "#status-line")
        expected = sales.sales_report(Actor.cli(), screen.view.period, "category")
        assert f"net {format_money(expected.totals['net'])}" in shown(app, "#reports-totals")


async def test_enter_on_a_category_shows_its_products_and_escape_goes_back(demo_store):
    period = _this_month()
    top = sales.sales_report(Actor.cli(), period, "category")
    row = [i for i, r in enumerate(top.rows) if r["key"]][1]  # the second: going back puts the cursor on it
    category = top.rows[row]["key"]
    expected = sales.sales_report(Actor.cli(), period, "product", category=category)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        before = _rows(app)
        screen.query_one("#reports-table").move_cursor(row=row)
        await pilot.press("enter")
        await _computed(pilot)
        assert f"sales by product in {category}" in shown(app, "#status-line")
        assert [r[3] for r in _rows(app)] == [format_money(r["net"]) for r in expected.rows]
        assert f"net {format_money(expected.totals['net'])}" in shown(app, "#reports-totals")
        await pilot.press("escape")
        await _computed(pilot)
        assert _rows(app) == before
        assert "sales by category |" in shown(app, "#status-line")
        assert screen.query_one("#reports-table").cursor_row == row
        await pilot.press("enter")  # the cursor is still on the category: down again, and Backspace back up
        await _computed(pilot)
        assert f"in {category}" in shown(app, "#status-line")
        await pilot.press("backspace")
        await _computed(pilot)
        assert _rows(app) == before and screen.above == []


async def test_export_writes_a_csv_whose_total_is_the_reports(demo_store):
    expected = sales.sales_report(Actor.cli(), _this_month(), "category")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_reports(pilot)
        await pilot.press("f9")
        await wait_until(pilot, lambda: "Exported to" in shown(app, "#reports-notice"), "the export notice")
        path = shown(app, "#reports-notice").split("Exported to ", 1)[1].strip()
    assert path.startswith(str(demo_store.home / "exports"))
    with open(path, newline="", encoding="utf-8") as handle:
        lines = list(csv.reader(handle))
    head, body, total = lines[0], lines[1:-1], lines[-1]
    net = head.index("net")
    assert total[0] == "total" and total[net] == format_money(expected.totals["net"])
    assert sum(int(r[net].replace(".", "")) for r in body) == expected.totals["net"]
    assert len(body) == len(expected.rows)


async def test_sections_are_reachable_with_f7(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        await _choose(pilot, "f2", "t")  # turnover: slow movers and dead stock
        sections = list(screen.report.sections)
        assert sections
        await pilot.press("f7")
        first = screen.report.sections[sections[0]]
        assert sections[0].replace("_", " ") in shown(app, "#status-line")
        assert len(_rows(app)) == len(first.rows)
        assert [str(c.label) for c in screen.query_one("#reports-table").columns.values()] == [
            c.title for c in first.columns]


async def test_the_screen_stays_live_while_computing_and_a_newer_request_wins(demo_store, monkeypatch):
    from pos_tui.tui.screens import reports as screen_module

    real, gate = screen_module.compute, threading.Event()

    def slow_year(actor, view):
        if view.period_name == "this year":
            gate.wait(10)  # a long year, held until the newer request has been answered
        return real(actor, view)

    monkeypatch.setattr(screen_module, "compute", slow_year)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the period chooser")
        await pilot.press("a")  # this year: computing, held
        await wait_until(pilot, lambda: "computing…" in shown(app, "#status-line"), "computing…")
        assert "computing…" in shown(app, "#reports-notice")
        await _choose(pilot, "f3", "n")  # keys still work; last month is asked for and answered first
        last = named_period("last month", screen.today())
        assert screen.report.period == last and "last month" in shown(app, "#status-line")
        gate.set()
        await settle_workers(app)
        await pilot.pause()
        assert screen.report.period == last and "last month" in shown(app, "#status-line")
        assert "computing" not in shown(app, "#status-line")


async def test_a_cashier_is_not_offered_reports(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        assert "R" not in await _menu(pilot)


async def test_the_footer_fits_80_columns(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        await pilot.pause()
        footer = screen.query_one("KeyLines")
        drawn = str(footer.render())
        for binding in screen.BINDINGS:
            if binding.show:
                assert f"{binding.key} {binding.description}" in drawn.replace("\n", " ")
        assert footer.region.right <= 80 and all(len(line) <= 80 for line in drawn.splitlines())


async def test_a_single_day_charts_its_hours_and_f6_cycles_the_charts(demo_store):
    month = sales.sales_report(Actor.cli(), _this_month(), "day", with_series=True)
    best = max(month.series["by_day"], key=lambda kv: kv[1])[0]  # the month's busiest day
    day = date.fromisoformat(best)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the period chooser")
        await pilot.press("d")
        await wait_until(pilot, lambda: app.focused is screen.query_one("#reports-from"), "the From field")
        screen.query_one("#reports-from").value = best
        screen.query_one("#reports-to").value = (day + timedelta(days=1)).isoformat()
        await pilot.press("enter", "enter")
        await _computed(pilot)
        assert screen.view.period.days == 1
        assert "net by hour of day" in shown(app, "#reports-chart")
        expected = sales.sales_report(Actor.cli(), screen.view.period, "category", with_series=True)
        shares = expected.series["category_shares"]
        top = max(shares, key=lambda kv: kv[1])
        await pilot.press("f6")  # hours
        assert "net by hour of day" in shown(app, "#reports-chart")
        await pilot.press("f6")  # shares: the biggest category first, with its percent
        first = shown(app, "#reports-chart").splitlines()[0]
        whole = sum(v for _, v in shares if v > 0)
        assert first.startswith(top[0][:15]) and first.endswith(f"{top[1] * 100 / whole:5.1f}%")


async def test_a_report_that_fails_says_why_and_keeps_the_last_good_view(demo_store):
    from pos_tui.db.models import Category

    period = _this_month()
    top = sales.sales_report(Actor.cli(), period, "category")
    row = next(i for i, r in enumerate(top.rows) if r["key"])
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        screen = await _open_reports(pilot)
        before = _rows(app)
        Category.update(name="Renamed meanwhile").where(Category.name == top.rows[row]["key"]).execute()
        screen.query_one("#reports-table").move_cursor(row=row)
        await pilot.press("enter")
        await _computed(pilot)
        assert "no category named" in shown(app, "#reports-notice")
        assert "sales by category |" in shown(app, "#status-line") and screen.above == []
        assert _rows(app) == before


async def test_on_the_linux_console_the_charts_are_ascii(demo_store, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_reports(pilot)
        drawn = shown(app, "#reports-chart") + shown(app, "#reports-trend")
        assert "#" in drawn and "net by day" in drawn
        assert not set(drawn) & set("▁▂▃▄▅▆▇█▌")
