"""A report's CSV is a file format: in a Chinese store it keeps its English keys, while the screen says Chinese."""

from __future__ import annotations

import csv

from pos_tui.config import save_settings
from pos_tui.domain.money import format_money
from pos_tui.i18n import _, set_language
from pos_tui.services.context import Actor
from pos_tui.services.report_export import write_csv
from pos_tui.services.reports import sales
from pos_tui.services.reports.periods import make_period


def test_the_report_csv_keeps_english_keys_and_plain_amounts_in_a_chinese_store(demo_store):
    demo_store.set("locale", "zh_CN")
    save_settings(demo_store)
    set_language("zh_CN")
    report = sales.sales_report(Actor.cli(), make_period("2026-10-01", "2026-10-08"), "tender")
    assert [_(c.title) for c in report.columns if c.title != "tender"][:3] == ["销售", "退款", "净额"]  # on screen

    path = write_csv(report, demo_store.home, view="tender")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))

    assert rows[0] == ["tender", "sales", "refunds", "net", "baskets", "share"]
    assert {row[0] for row in rows[1:-1]} == {"cash", "card"}  # tender codes, not 现金/银行卡
    assert rows[-1][0] == "total"
    net = rows[0].index("net")
    assert rows[-1][net] == format_money(report.totals["net"]) and "," not in rows[-1][net]  # no ¥, no grouping
    assert all(ord(ch) < 128 for row in rows for value in row for ch in value)
