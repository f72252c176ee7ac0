"""A report's cells as text, and a report written as CSV to the store's exports folder.

The same cell rules as `pos report --format csv` (money as decimal strings,
quantities as the till writes them, None as empty), without typer, so the
Reports screen can export what it shows. The CSV ends with a totals row so
the accountant's sum can be checked against the report's own.
"""

from __future__ import annotations

import csv
import os
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty
from pos_tui.errors import StoreError
from pos_tui.i18n import _
from pos_tui.services.reports.common import MONEY, QTY, Report

# Totals carry no column kinds; these keys are money or quantities wherever they appear.
MONEY_TOTALS = frozenset({
    "sales", "refunds", "net", "discounts", "average_basket", "tax", "rounding", "net_tendered", "cogs",
    "start_value", "end_value", "average_value", "stock_value", "revenue", "margin", "shrinkage",
    "shipping", "over_short", "over", "short", "average_spend", "value"})
QTY_TOTALS = frozenset({"items", "units_sold", "on_hand_end"})


def cell(value: Any, kind: str) -> str:
    """A value as text: money "12.50", a quantity "1.5", a Decimal as written, None as ""."""
    if value is None:
        return ""
    if kind == MONEY and isinstance(value, int):
        return format_money(value)
    if kind == QTY:
        return format_qty(value)
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def total_kind(key: str) -> str:
    return MONEY if key in MONEY_TOTALS else QTY if key in QTY_TOTALS else ""


def csv_rows(report: Report) -> list[list[str]]:
    """Header, one line per row, then "total" with the report's totals under their columns."""
    keys = [c.key for c in report.columns]
    lines = [keys]
    lines += [[cell(r.get(c.key), c.kind) for c in report.columns] for r in report.rows]
    if report.totals:
        kinds = {c.key: c.kind for c in report.columns}
        total = [cell(report.totals.get(k), kinds[k]) if k in report.totals else "" for k in keys[1:]]
        lines.append(["total"] + total)
    return lines


def exports_dir(home: Path) -> Path:
    """POS_HOME/exports, made private (0700) like the store's other folders."""
    folder = home / "exports"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(_("cannot create {folder}: {strerror}").format(folder=folder, strerror=exc.strerror)) from None
    return folder


def export_name(report: Report, view: str, category: str | None = None) -> str:
    """e.g. sales-category-2026-11-01-2026-12-01-053012.csv (a drill-down adds its category)."""
    parts = [report.name, view]
    if category:
        parts.append(re.sub(r"[^A-Za-z0-9]+", "_", category).strip("_") or "category")
    parts += [report.period.start.isoformat(), report.period.end.isoformat(), datetime.now().strftime("%H%M%S")]
    return "-".join(p for p in parts if p) + ".csv"


def write_csv(report: Report, home: Path, *, view: str | None = None, category: str | None = None) -> Path:
    """Write the report (or one of its sections: pass it as `report`) as CSV; return the file's path."""
    path = exports_dir(home) / export_name(report, view or report.by, category)
    tmp = path.with_suffix(".tmp")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(csv_rows(report))
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(_("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror)) from None
    return path
