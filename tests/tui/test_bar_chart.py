"""Charts drawn with characters: exact rows for known values, block and ASCII."""

from __future__ import annotations

from textual.app import App, ComposeResult

from pos_tui.tui.console import is_linux_console
from pos_tui.tui.widgets.bar_chart import BarChart, bar_rows, fit, share_lines, trend_line


def test_bars_in_eighths_scale_to_the_largest_value():
    # 2 rows of 8 steps: 400 is 16 steps (full), 100 is 4 steps (half a cell), 300 is 12, 0 and a refund day nothing
    assert bar_rows([400, 100, 300, 0, -50], 2) == [
        "█ ▄  ",
        "█▄█  ",
    ]


def test_ascii_bars_round_to_whole_cells_and_can_be_wider():
    # 100 of 400 on 2 rows is half a row: rounded up to one
    assert bar_rows([400, 100, 300, 0], 2, ascii_only=True, column=2) == [
        "##  ##  ",
        "######  ",
    ]


def test_nothing_sold_draws_empty_rows():
    assert bar_rows([0, 0, 0], 2) == ["   ", "   "]
    assert bar_rows([], 3, ascii_only=True) == ["", "", ""]


def test_too_many_values_are_summed_in_runs_to_fit_the_width():
    assert fit([1, 2, 3, 4, 5], 5) == [1, 2, 3, 4, 5]
    assert fit([1, 2, 3, 4, 5], 2) == [6, 9]  # runs of three: 1+2+3, 4+5


def test_shares_draw_bars_with_percents():
    lines = share_lines([("Dairy", 300), ("Bakery", 100)], 40, label_width=8)
    # 40 - 8 - 8 = 24 cells of bar: 75% is 18 cells, 25% is 6
    assert lines == [
        "Dairy    " + "█" * 18 + " " * 6 + "  75.0%",
        "Bakery   " + "█" * 6 + " " * 18 + "  25.0%",
    ]
    ascii_lines = share_lines([("A very long category", 1), ("B", 2)], 30, ascii_only=True, label_width=8)
    # 14 cells: a third is 4.67 cells (9 halves: 4 full and a half), two thirds 9.33 (19 halves)
    assert ascii_lines == [
        "A very ~ " + "####+".ljust(14) + "  33.3%",
        "B        " + "#########+".ljust(14) + "  66.7%",
    ]


def test_the_ascii_trend_spans_lowest_to_highest():
    assert trend_line([0, 50, 100, 25], 10) == "_-^."
    assert trend_line([7, 7], 10) == "__"


def test_the_linux_console_gets_ascii():
    assert is_linux_console("linux") and not is_linux_console("xterm-256color")


async def test_the_widget_draws_bars_and_a_caption():
    class ChartApp(App[None]):
        def compose(self) -> ComposeResult:
            yield BarChart(height=2, ascii_only=True, id="chart")

    app = ChartApp()
    async with app.run_test(size=(40, 10)) as pilot:
        chart = app.query_one(BarChart)
        chart.plot([("01", 100), ("02", 200)], "net by day", 20)
        await pilot.pause()
        # 20 columns for 2 values: three cells each (the widest a bar gets)
        assert str(chart.render()).splitlines() == ["   ###", "######", "01 .. 02  net by day"]
