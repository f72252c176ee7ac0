"""The owner's reports at the till: a table, a chart drawn in the terminal, drill-down, export.

Each report runs in a thread worker (a year takes up to a second), so the
screen stays live; a newer request supersedes an older one. The services
check report.view themselves; the menu only hides the area from others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Sparkline, Static
from textual.worker import get_current_worker

from pos_tui.domain.locale_format import format_date, format_datetime
from pos_tui.errors import PosError
from pos_tui.hardware.text_width import display_width, truncate
from pos_tui.i18n import N_, _, current_language, ngettext
from pos_tui.services.context import Actor
from pos_tui.services.report_export import cell, total_kind
from pos_tui.services.reports.common import OTHERS_LABEL, TEXT, Report
from pos_tui.services.reports.periods import Period, make_period
from pos_tui.tui.console import is_linux_console
from pos_tui.tui.modals.order_detail import TENDER_WORDS, said
from pos_tui.tui.widgets.bar_chart import BarChart, trend_line
from pos_tui.tui.widgets.quiet_footer import QuietFooter

REPORTS = {"S": "sales", "T": "turnover", "C": "customers", "O": "costs"}
GROUPINGS = {"sales": ("category", "product", "day", "week", "month", "hour", "weekday", "cashier", "lane", "tender"),
             "turnover": ("category", "product"), "customers": (), "costs": ("category", "product")}
GROUP_LETTERS = {"category": "C", "product": "P", "day": "D", "week": "W", "month": "M", "hour": "H",
                 "weekday": "E", "cashier": "A", "lane": "L", "tender": "T"}
PERIODS = {"T": "today", "Y": "yesterday", "W": "this week", "L": "last week", "M": "this month",
           "N": "last month", "A": "this year"}
CHARTS = ("days", "hours", "shares")
DRILLABLE = ("sales", "turnover", "costs")
LABEL_WIDTH = 24
FIRST_TOTALS = ("net", "sales", "refunds", "baskets", "average_basket", "items", "discounts", "revenue", "cogs",
                "margin", "margin_pct")
# What the screen calls the codes above (the English is the code itself, as the screen has always shown it).
WORDS = {
    "sales": N_("sales"), "turnover": N_("turnover"), "customers": N_("customers"), "costs": N_("costs"),
    "category": N_("category"), "product": N_("product"), "day": N_("day"), "week": N_("week"),
    "month": N_("month"), "hour": N_("hour"), "weekday": N_("weekday"), "cashier": N_("cashier"),
    "lane": N_("lane"), "tender": N_("tender"),
    "today": N_("today"), "yesterday": N_("yesterday"), "this week": N_("this week"), "last week": N_("last week"),
    "this month": N_("this month"), "last month": N_("last month"), "this year": N_("this year"),
    "dates": N_("dates"),
    # sections: the further tables F7 steps through
    "slow_movers": N_("slow movers"), "dead_stock": N_("dead stock"), "segments": N_("segments"),
    "pairs": N_("pairs"), "shrinkage": N_("shrinkage"), "shifts": N_("shifts"),
}
# The totals line names each total by its key with spaces ("average basket"); these are those names' msgids.
TOTAL_WORDS = (
    N_("net"), N_("refunds"), N_("baskets"), N_("average basket"), N_("items"), N_("discounts"), N_("tax"),
    N_("rounding"), N_("returns"), N_("net tendered"), N_("net change"), N_("revenue"), N_("cogs"), N_("margin"),
    N_("margin pct"), N_("shipping"), N_("over short"), N_("over"), N_("short"), N_("value"), N_("new"),
    N_("returning"), N_("repeat rate"), N_("frequency"), N_("purchases"), N_("average spend"), N_("start value"),
    N_("end value"), N_("average value"), N_("days of inventory"), N_("units sold"), N_("on hand end"),
    N_("sell through"), N_("stock value"), N_("products"),
)
WEEKDAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SEGMENT_WORDS = {
    "champions": N_("champions"), "loyal": N_("loyal"), "new": N_("new"), "at risk": N_("at risk"),
    "lost": N_("lost"), "promising": N_("promising"), "needs attention": N_("needs attention"),
}
DATE_COLUMNS = ("last_sale", "last_purchase")  # ISO days in the rows


def code_word(code: str) -> str:
    """A report, grouping, period or section code in the current language (an unknown code as it is)."""
    words = WORDS.get(code, code.replace("_", " "))
    return _(words)


def day_text(day: date) -> str:
    """A date as the screen shows it: ISO in English, 2026年11月27日 in Chinese."""
    return format_date(day, current_language())


def shown_text(key: str, text: str, row: Mapping[str, Any]) -> str:
    """A text cell as the screen shows it: the codes and dates the services write, in the current language.

    English comes out as the services wrote it; the CSV export and the CLI use the rows as they are.
    """
    if text == "(none)" and key in ("category", "label"):  # products without a category
        return _("(none)")
    if text == "never" and key == "last_sale":
        return _("never")
    others = OTHERS_LABEL.fullmatch(text) if row.get("key") == "" else None
    if others:  # the row summing the products past the top
        count = int(others.group(1))
        return ngettext("({count} other product)", "({count} other products)", count).format(count=count)
    try:
        if key == "tender":
            return said(TENDER_WORDS, text)
        if key == "weekday":
            weekday = WEEKDAY_WORDS[int(row["key"])]
            return _(weekday)
        if key == "segment":
            return said(SEGMENT_WORDS, text)
        if key == "day" or key in DATE_COLUMNS:
            return day_text(date.fromisoformat(row["key"] if key == "day" else text))
        if key == "week":
            return _("week of {day}").format(day=day_text(date.fromisoformat(row["key"])))
        if key == "closed":
            moment = datetime.fromisoformat(text)
            return format_datetime(moment, current_language())
    except (KeyError, ValueError, IndexError):  # not the shape expected: show it as written
        return text
    return text


def pack(words: list[str], width: int, most: int) -> list[str]:
    """Words joined into at most `most` lines of `width`; what does not fit is left out."""
    lines = [""]
    for word in words:
        joined = f"{lines[-1]}  {word}".strip()
        if display_width(joined) <= width:
            lines[-1] = joined
        elif len(lines) < most:
            lines.append(word)
        else:
            break
    return lines


def total_word(key: str) -> str:
    """A total's name on the totals line: its key with spaces, translated (TOTAL_WORDS holds the msgids)."""
    words = key.replace("_", " ")
    return _(words)


def named_period(name: str, today: date) -> Period:
    """A named period around `today` (the shop's date): whole calendar days, weeks, months, years."""
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    spans = {
        "today": (today, today + timedelta(days=1)),
        "yesterday": (today - timedelta(days=1), today),
        "this week": (monday, monday + timedelta(days=7)),
        "last week": (monday - timedelta(days=7), monday),
        "this month": (first, next_month),
        "last month": ((first - timedelta(days=1)).replace(day=1), first),
        "this year": (today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)),
    }
    return make_period(*spans[name])


@dataclass(frozen=True)
class View:
    """What the screen is asked to show; the drill-down keeps the ones above it."""

    report: str
    period_name: str
    period: Period
    by: str
    category: str | None = None


def compute(actor: Actor, view: View) -> Report:
    """The report a view asks for (runs in the worker thread)."""
    from pos_tui.services.reports import costs, customers, sales, turnover

    if view.report == "sales":
        return sales.sales_report(actor, view.period, view.by, category=view.category, with_series=True)
    if view.report == "turnover":
        return turnover.turnover_report(actor, view.period, view.by, category=view.category)
    if view.report == "customers":
        return customers.customers_report(actor, view.period)
    return costs.costs_report(actor, view.period, view.by, category=view.category)


class ReportsScreen(Screen[None]):
    """Pick a report, a period and a grouping; Enter on a category shows its products."""

    HELP_TITLE = N_("Reports")
    HOWTO = N_("""
        {reports.report} picks the report (sales, turnover, customers, costs), {reports.period} the
        period, {reports.by} the grouping. {reports.chart} switches the chart, {reports.table} the further
        tables. Enter on a category shows its products; Esc or Backspace goes
        back up. {reports.export} writes the table as CSV to the exports folder.
    """)


    DEFAULT_CSS = """
    #reports-dates { height: 3; display: none; }
    #reports-dates.open { display: block; }
    #reports-dates Input { width: 1fr; }
    #reports-table { height: 1fr; }
    #reports-totals { height: 2; padding: 0 1; }
    #reports-chart { height: 6; padding: 0 1; }
    #reports-trend { height: 1; margin: 0 1; }
    #reports-notice { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f2", "pick_report", N_("Report"), id="reports.report"),
        Binding("f3", "pick_period", N_("Period"), id="reports.period"),
        Binding("f4", "pick_by", N_("By"), id="reports.by"),
        Binding("f6", "chart", N_("Chart"), id="reports.chart"),
        Binding("f7", "table", N_("Table"), id="reports.table"),
        Binding("f9", "export", N_("Export"), id="reports.export"),
        Binding("escape", "up", N_("Back up"), id="reports.up", show=False),
        Binding("backspace", "up", N_("Back up"), id="reports.up_backspace", show=False),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.zone = ZoneInfo(self.app.settings.get("store.timezone"))
        self.view = View("sales", "this month", named_period("this month", self.today()), "category")
        self.above: list[tuple[View, int]] = []  # the views drilled down from and their rows, nearest last
        self.cursor_row = 0  # the row to put the cursor on when the report arrives
        self.report: Report | None = None
        self.shown: tuple[View, int] | None = None  # the view on show and how deep it was drilled
        self.table_name = "rows"  # "rows" or one of the report's sections
        self.chart = "days"
        self.asked = 0
        self.computing = False

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def compose(self) -> ComposeResult:
        yield Static("", id="status-line")
        with Horizontal(id="reports-dates"):
            yield Input(placeholder=_("From YYYY-MM-DD"), id="reports-from")
            yield Input(placeholder=_("To YYYY-MM-DD (not included), Enter"), id="reports-to")
        yield DataTable(id="reports-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="reports-totals")
        yield BarChart(height=5, id="reports-chart")
        if is_linux_console():  # the Linux console's font lacks the sparkline's eighths
            yield Static("", id="reports-trend")
        else:
            yield Sparkline([], id="reports-trend")
        yield Static("", id="reports-notice")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#reports-table", DataTable))
        self.load()

    # -- computing --------------------------------------------------------
    def load(self, view: View | None = None) -> None:
        """Ask for `view` (or the current one again); an answer to an older ask is dropped."""
        if view is not None:
            self.view = view
        self.asked += 1
        self.computing = True
        self.table_name = "rows"
        self._status()
        self.notice(_("computing…"))
        self._compute(self.asked, self.view)

    @work(thread=True, exclusive=True, group="reports-compute")
    def _compute(self, asked: int, view: View) -> None:
        from pos_tui.services.store import thread_session

        try:
            with thread_session():
                report = compute(self.actor, view)
        except PosError as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, asked, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, asked, report)

    def _failed(self, asked: int, message: str) -> None:
        if asked != self.asked:
            return
        self.computing = False
        if self.shown is not None:  # the table still shows the last good view: keep to it
            self.view, depth = self.shown
            del self.above[depth:]
        self._status()
        self.notice(message, error=True)

    def _show(self, asked: int, report: Report) -> None:
        if asked != self.asked:  # a newer request is on its way
            return
        self.computing = False
        self.report = report
        self.shown = (self.view, len(self.above))
        self._status()
        self._fill_table()
        table = self.query_one("#reports-table", DataTable)
        if 0 < self.cursor_row < table.row_count:  # back up: on the category drilled into
            table.move_cursor(row=self.cursor_row)
        self.cursor_row = 0
        self._fill_totals()
        self._fill_chart()
        hint = _("Enter shows a category's products; ") if self._drillable() else ""
        back = _("Esc goes back up; ") if self.above else ""
        self.notice(_("{n} rows. {hint}{back}F9 exports this table as CSV").format(
            n=len(self.current().rows), hint=hint, back=back))

    def current(self) -> Report:
        """The table on show: the report itself or one of its sections."""
        assert self.report is not None
        return self.report if self.table_name == "rows" else self.report.sections[self.table_name]

    def _drillable(self) -> bool:
        return self.table_name == "rows" and self.view.report in DRILLABLE and self.view.by == "category"

    # -- drawing ----------------------------------------------------------
    def _status(self) -> None:
        v = self.view
        what = code_word(v.report)
        if GROUPINGS[v.report]:
            what = _("{report} by {by}").format(report=what, by=code_word(v.by))
        if v.category:
            what = _("{report} in {category}").format(report=what, category=v.category)
        if self.table_name != "rows":
            what += f" / {code_word(self.table_name)}"
        end = v.period.end - timedelta(days=1)
        start_text = day_text(v.period.start)
        span = start_text if end == v.period.start else _("{start} to {end}").format(start=start_text,
                                                                                       end=day_text(end))
        line = _("Reports | {what} | {period}: {span}").format(what=what, period=code_word(v.period_name), span=span)
        busy = _(" | computing…") if self.computing else ""
        self.query_one("#status-line", Static).update(line + busy)

    def _fill_table(self) -> None:
        report = self.current()
        table = self.query_one("#reports-table", DataTable)
        table.clear(columns=True)
        for c in report.columns:
            title = _(c.title) if c.title else ""  # N_()-marked in the services; a grouping's title is its code
            table.add_column(Text(title, justify="left" if c.kind == TEXT else "right"), key=c.key)
        for i, row in enumerate(report.rows):
            cells = []
            for n, c in enumerate(report.columns):
                text = cell(row.get(c.key), c.kind)
                if c.kind == TEXT and text:
                    text = shown_text(c.key, text, row)
                if n == 0 and display_width(text) > LABEL_WIDTH:  # a Chinese name takes two columns a character
                    text = truncate(text, LABEL_WIDTH - 1) + "~"
                cells.append(Text(text, justify="left" if c.kind == TEXT else "right"))
            table.add_row(*cells, key=f"{i}")

    def _fill_totals(self) -> None:
        """The totals that fit (the most asked-for first; the export has them all), then the previous period."""
        report = self.current()
        kinds = {c.key: c.kind for c in report.columns}
        keys = sorted((k for k, v in report.totals.items() if k != "label" and v is not None),
                      key=lambda k: FIRST_TOTALS.index(k) if k in FIRST_TOTALS else len(FIRST_TOTALS))
        parts = [f"{total_word(k)} {cell(report.totals[k], kinds.get(k) or total_kind(k))}" for k in keys]
        previous = report.previous if report is self.report else None
        width = max((self.size.width or 80) - 2, 20)
        head = _("total:") + " " + (parts.pop(0) if parts else _("(none)"))
        lines = pack([head] + parts, width, 1 if previous else 2)
        if previous is not None and "net" in previous:
            change = report.totals.get("net_change")
            lines.append(_("previous period: net {net}").format(net=cell(previous["net"], "money")) + (
                f" ({'+' if change > 0 else ''}{change}%)" if change is not None else ""))
        self.query_one("#reports-totals", Static).update("\n".join(lines))

    def _fill_chart(self) -> None:
        chart = self.query_one("#reports-chart", BarChart)
        trend = self.query_one("#reports-trend")
        series = self.report.series if self.report is not None else {}
        has_chart = bool(series) and self.table_name == "rows"
        chart.display = trend.display = has_chart
        if not has_chart:
            return
        width = max((self.size.width or 80) - 2, 20)
        days = series.get("by_day", ())
        if isinstance(trend, Sparkline):
            trend.data = [v / 100 for _, v in days] or [0]
        else:
            trend.update(trend_line([v for _, v in days], width))
        one_day = len(days) == 1 and self.chart == "days"  # a single bar says nothing: show its hours
        if (self.chart == "hours" or one_day) and "by_hour" in series:
            chart.plot(series["by_hour"], _("net by hour of day"), width)
        elif self.chart == "shares":
            chart.plot_shares(series.get("category_shares", ()), width, 6)
        else:
            chart.plot(days, _("net by day") if len(days) <= width else _("net, days summed to fit"), width)

    def notice(self, text: str, *, error: bool = False) -> None:
        widget = self.query_one("#reports-notice", Static)
        widget.update(text)
        widget.set_class(error, "error")

    # -- keys -------------------------------------------------------------
    def action_pick_report(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        def chosen(letter: str | None) -> None:
            if letter is None:
                return
            name = REPORTS[letter]
            groupings = GROUPINGS[name]
            by = self.view.by if self.view.by in groupings else (groupings[0] if groupings else "")
            self.above.clear()
            self.load(replace(self.view, report=name, by=by, category=None))

        self.app.push_screen(ChooseModal(_("Report"), {k: code_word(v) for k, v in REPORTS.items()}), chosen)

    def action_pick_period(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        def chosen(letter: str | None) -> None:
            if letter is None:
                return
            if letter == "D":
                self.query_one("#reports-dates").add_class("open")
                start = self.query_one("#reports-from", Input)
                start.value = self.view.period.start.isoformat()
                self.query_one("#reports-to", Input).value = self.view.period.end.isoformat()
                self.set_focus(start)
                return
            name = PERIODS[letter]
            self.load(replace(self.view, period_name=name, period=named_period(name, self.today())))

        choices = {k: code_word(v) for k, v in PERIODS.items()}
        self.app.push_screen(ChooseModal(_("Period"), {**choices, "D": _("from and to dates…")}), chosen)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in From moves to To; Enter in To asks for the typed period."""
        event.stop()
        if event.input.id == "reports-from":
            self.set_focus(self.query_one("#reports-to", Input))
            return
        try:
            period = make_period(self.query_one("#reports-from", Input).value,
                                 self.query_one("#reports-to", Input).value)
        except PosError as exc:
            self.notice(str(exc), error=True)
            return
        self.query_one("#reports-dates").remove_class("open")
        self.set_focus(self.query_one("#reports-table", DataTable))
        self.load(replace(self.view, period_name="dates", period=period))

    def action_pick_by(self) -> None:
        from pos_tui.tui.modals.choose import ChooseModal

        groupings = GROUPINGS[self.view.report]
        if not groupings:
            self.notice(_("the {report} report has no grouping").format(report=code_word(self.view.report)))
            return

        def chosen(letter: str | None) -> None:
            if letter is not None:
                by = next(g for g in groupings if GROUP_LETTERS[g] == letter)
                self.load(replace(self.view, by=by))

        self.app.push_screen(ChooseModal(_("Group by"), {GROUP_LETTERS[g]: code_word(g) for g in groupings}), chosen)

    def action_chart(self) -> None:
        self.chart = CHARTS[(CHARTS.index(self.chart) + 1) % len(CHARTS)]
        self._fill_chart()

    def action_table(self) -> None:
        """The report's rows, then each of its sections (slow movers, RFM segments, pairs...)."""
        if self.report is None or self.computing:
            return
        names = ["rows", *self.report.sections]
        if len(names) == 1:
            self.notice(_("the {report} report has no further tables").format(report=code_word(self.report.name)))
            return
        self.table_name = names[(names.index(self.table_name) + 1) % len(names)]
        self._status()
        self._fill_table()
        self._fill_totals()
        self._fill_chart()
        self.notice(_("{table}: {n} rows; F7 for the next table").format(table=code_word(self.table_name),
                                                                         n=len(self.current().rows)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a category row: the same report for that category's products."""
        if self.report is None or self.computing or not self._drillable():
            return
        row = self.report.rows[int(event.row_key.value or 0)]
        if not row.get("key"):
            self.notice(_("products without a category cannot be drilled into"), error=True)
            return
        self.above.append((self.view, event.cursor_row))
        self.cursor_row = 0
        self.load(replace(self.view, by="product", category=row["key"]))

    def action_up(self) -> None:
        dates = self.query_one("#reports-dates")
        if dates.has_class("open"):
            dates.remove_class("open")
            self.set_focus(self.query_one("#reports-table", DataTable))
            return
        if self.above:
            view, self.cursor_row = self.above.pop()
            self.load(view)

    def action_export(self) -> None:
        if self.report is None or self.computing:
            self.notice(_("wait for the report before exporting"), error=True)
            return
        view = (self.view.by or "rows") if self.table_name == "rows" else self.table_name
        self._export(self.current(), view, self.view.category)

    @work(thread=True, group="reports-export")
    def _export(self, report, view: str, category) -> None:
        """The file written in a worker: a year of products is a large file on a slow disk."""
        from pos_tui.services.report_export import write_csv

        try:
            path = write_csv(report, self.app.settings.home, view=view, category=category)
        except PosError as exc:
            self.app.call_from_thread(self.notice, str(exc), error=True)
            return
        self.app.call_from_thread(self.notice, _("Exported to {path}").format(path=path))
