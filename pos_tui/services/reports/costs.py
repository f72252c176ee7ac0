"""Cost control: where the margin goes.

    revenue     what counted sale lines took without tax, returns subtracted
    COGS        qty x the unit cost recorded on each sale line when it was sold
    margin      revenue - COGS (margin % = margin / revenue)
    discounts   given on completed sales
    shrinkage   stock lost to damage, theft, expiry, own use and stocktakes that found less
                (negative moves with those reasons), valued at today's cost: moves do not
                record a cost
    shipping    shipping cost of delivery orders shipped in the period
    over/short  what closed shifts counted over (+) or short (-) of the expected cash
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.i18n import N_  # column titles: translated where the Reports screen shows them
from pos_tui.services.context import Actor
from pos_tui.services.reports import rollups
from pos_tui.services.reports.common import (
    IN_PERIOD, INT, LIVE, MONEY, PERCENT, QTY, TOP_PRODUCTS, Column, Report, category_ids, category_keys,
    category_labels, check_top, fetch, guard, in_list, milli, others_label, percent, product_categories, shop_zone,
)
from pos_tui.services.reports.periods import Period
from pos_tui.services.reports.sales import check_by

COSTS_BY = ("category", "product")
SHRINK_REASONS = ("damage", "theft", "expiry", "own_use", "stocktake")
REVENUE = "(sl.total - CASE WHEN s.prices_include_tax THEN sl.tax ELSE 0 END)"


def _half_up(milli_money: int) -> int:
    """qty thousandths x money, back to minor units, half away from zero."""
    sign = -1 if milli_money < 0 else 1
    return sign * ((abs(milli_money) + 500) // 1000)


def _cogs_sql(milli_money: str) -> str:
    """SQL for _half_up(SUM(milli_money)): integer division truncates on both databases (PostgreSQL's SUM of
    a BIGINT is NUMERIC: cast back first)."""
    c = f"CAST(SUM({milli_money}) AS BIGINT)"
    return f"(CASE WHEN {c} >= 0 THEN ({c} + 500) / 1000 ELSE -((500 - {c}) / 1000) END)"


def _ranked(fast: bool, period: Period, bounds: tuple[str, str], where: str, cats: list[int] | None,
            top: int) -> tuple[list[tuple], int, tuple[int, int, int]]:
    """The `top` products by margin, as (product, revenue, COGS, discounts, margin), how many products sold, and
    every product's revenue, COGS and discounts summed (COGS rounded per product, as its rows round it).

    Ranked in SQL (a year is 77,000 products: a row each in Python took most of a second). A tie across the
    cut brings every product of that margin: the caller orders those by label."""
    if fast:
        narrow = "" if cats is None else f" AND d.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(cats)})"
        revenue, cost, discount = "d.revenue", "d.cost", "d.discount"
        source = f"FROM report_product_day d WHERE d.day >= ? AND d.day < ?{narrow} GROUP BY 1"
        key, params = "d.product_id", rollups.day_bounds(period.start, period.end)
    else:
        revenue, cost = REVENUE, "CAST(sl.qty AS BIGINT) * sl.unit_cost"
        discount = "CASE WHEN s.status = 'completed' THEN sl.discount ELSE 0 END"
        source = (f"FROM sale_line sl JOIN sale s ON s.id = sl.sale_id JOIN product p ON p.id = sl.product_id"
                  f" WHERE {where} GROUP BY 1")
        key, params = "sl.product_id", bounds
    cogs = _cogs_sql(cost)
    margin = f"SUM({revenue}) - {cogs}"
    grouped = (f"SELECT {key}, SUM({revenue}), {cogs}, SUM({discount}), {margin}, COUNT(*) OVER (),"
               f" SUM(SUM({revenue})) OVER (), SUM({cogs}) OVER (), SUM(SUM({discount})) OVER () {source}")
    found = fetch(f"{grouped} ORDER BY 5 DESC LIMIT ?", (*params, top + 1))
    if not found:
        return [], 0, (0, 0, 0)
    count, whole = int(found[0][5]), tuple(int(v) for v in found[0][6:9])
    if len(found) > top and found[top][4] == found[top - 1][4]:  # tied across the cut
        found = fetch(grouped.replace(" GROUP BY 1", f" GROUP BY 1 HAVING {margin} >= ?"), (*params, found[top][4]))
    return [(row[0], *(int(v) for v in row[1:5])) for row in found], count, whole


def costs_report(actor: Actor, period: Period, by: str = "category", *, category: str | None = None,
                 zone: ZoneInfo | None = None, top: int | None = TOP_PRODUCTS) -> Report:
    """Margin per category or product; shrinkage, shipping and over/short in the totals and sections.

    Per product, rows stop at the `top` products by margin (None: every one), the rest summed in one
    "(N other products)" row; the totals count every product.
    """
    guard(actor)
    check_by(by, COSTS_BY)
    check_top(top)
    zone = shop_zone(zone)
    cats = category_ids(category)
    bounds = period.utc_bounds(zone)
    group = "p.category_id" if by == "category" else "sl.product_id"
    where = f"{LIVE} AND {IN_PERIOD}" + ("" if cats is None else f" AND p.category_id IN {in_list(cats)}")
    groups: dict[Any, dict[str, int]] = defaultdict(lambda: {"revenue": 0, "cogs": 0, "discounts": 0})
    fast = rollups.ready(zone)
    ranked: list[tuple] | None = None
    if by == "product" and top is not None:
        ranked, count, whole = _ranked(fast, period, bounds, where, cats, top)
        found = []
    elif fast and by == "category":  # the category roll-up (migration 0015); category 0 is none
        narrow = "" if cats is None else f" AND c.category_id IN {in_list(cats)}"
        found = [(cat or None, revenue, cost, discount) for cat, revenue, cost, discount in fetch(
            f"SELECT c.category_id, SUM(c.revenue), SUM(c.cost), SUM(c.discount) FROM report_category_day c"
            f" WHERE c.day >= ? AND c.day < ?{narrow} GROUP BY 1", rollups.day_bounds(period.start, period.end))]
    elif fast:
        # Summed per product without a join, then per category here (twice as fast).
        narrow = "" if cats is None else f" AND d.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(cats)})"
        per_product = fetch(f"SELECT d.product_id, SUM(d.revenue), SUM(d.cost), SUM(d.discount) FROM report_product_day d"
                            f" WHERE d.day >= ? AND d.day < ?{narrow} GROUP BY 1",
                            rollups.day_bounds(period.start, period.end))
        if by == "category":
            category = product_categories([row[0] for row in per_product])
            merged: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0])
            for pid, revenue, cost, discount in per_product:
                m = merged[category.get(pid)]
                m[0], m[1], m[2] = m[0] + int(revenue), m[1] + int(cost), m[2] + int(discount)
            found = [(k, *v) for k, v in merged.items()]
        else:
            found = per_product
    else:
        found = fetch(
            f"SELECT {group}, SUM({REVENUE}), SUM(CAST(sl.qty AS BIGINT) * sl.unit_cost),"
            f" SUM(CASE WHEN s.status = 'completed' THEN sl.discount ELSE 0 END)"
            f" FROM sale_line sl JOIN sale s ON s.id = sl.sale_id JOIN product p ON p.id = sl.product_id"
            f" WHERE {where} GROUP BY 1", bounds)
    for key, revenue, cogs, discounts in found:
        g = groups[key]
        g["revenue"] += int(revenue)
        g["cogs"] += _half_up(int(cogs))
        g["discounts"] += int(discounts)
    if by == "category":
        labels = category_labels()
    else:
        labels = {pid: f"{name} ({code})" for pid, code, name in fetch(
            f"SELECT id, barcode, name FROM product WHERE id IN {in_list(list(groups) or [r[0] for r in ranked or ()])}")}
    for key, revenue, cogs, discounts, _margin in ranked or ():
        groups[key] = {"revenue": revenue, "cogs": cogs, "discounts": discounts}
    row_keys = category_keys() if by == "category" else {}
    rows = []
    for key, g in groups.items():
        margin = g["revenue"] - g["cogs"]
        rows.append({"key": row_keys.get(key, "") if by == "category" else str(key), "label": labels.get(key, str(key)), **g,
                     "margin": margin, "margin_pct": percent(margin, g["revenue"])})
    rows.sort(key=lambda r: (-r["margin"], r["label"]))
    if ranked is None:
        revenue, cogs, discounts = (sum(r[k] for r in rows) for k in ("revenue", "cogs", "discounts"))
    else:  # the first `top`, then the rest summed
        rows = rows[:top]
        revenue, cogs, discounts = whole
        if count > len(rows):
            rest = {k: total - sum(r[k] for r in rows) for k, total in zip(("revenue", "cogs", "discounts"), whole)}
            margin = rest["revenue"] - rest["cogs"]
            rows.append({"key": "", "label": others_label(count - len(rows)), **rest, "margin": margin,
                         "margin_pct": percent(margin, rest["revenue"])})
    shrink = _shrinkage(period, bounds, cats, fast)
    shifts = _over_short(period, bounds, zone)
    totals = {
        "revenue": revenue, "cogs": cogs, "margin": revenue - cogs, "margin_pct": percent(revenue - cogs, revenue),
        "discounts": discounts, "shrinkage": shrink.totals["value"],
        "shipping": _shipping(bounds), "over_short": shifts.totals["over_short"],
    }
    columns = (Column("label", by), Column("revenue", N_("revenue ex tax"), MONEY), Column("cogs", N_("COGS"), MONEY),
               Column("margin", N_("margin"), MONEY), Column("margin_pct", N_("margin %"), PERCENT),
               Column("discounts", N_("discounts"), MONEY))
    notes = ("revenue without tax; COGS at the cost recorded on each sale line",
             "shrinkage valued at today's cost (stock moves do not record one)")
    return Report("costs", period, by, columns, tuple(rows), totals, notes=notes,
                  sections={"shrinkage": shrink, "shifts": shifts})


def _shrinkage(period: Period, bounds: tuple[str, str], cats: list[int] | None, fast: bool) -> Report:
    """Negative adjustment moves by reason, valued at today's cost (a positive figure is stock lost)."""
    where = "" if cats is None else f" AND p.category_id IN {in_list(cats)}"
    reasons = ", ".join(f"'{r}'" for r in SHRINK_REASONS)
    rows = []
    if fast:
        # +m.day: read the few loss rows by reason (an index of migration 0015), not a year of days of sales
        found = fetch(f"SELECT m.reason, -SUM(m.loss), -SUM(m.loss * p.cost) FROM report_move_day m"
                      f" JOIN product p ON p.id = m.product_id WHERE m.reason IN ({reasons}) AND m.loss < 0"
                      f" AND +m.day >= ? AND +m.day < ?{where} GROUP BY 1 ORDER BY 1",
                      rollups.day_bounds(period.start, period.end))
    else:
        found = fetch(
            f"SELECT m.reason, -SUM(m.delta), -SUM(m.delta * p.cost) FROM stock_move m JOIN product p ON p.id = m.product_id"
            f" WHERE m.reason IN ({reasons}) AND m.delta < 0 AND m.created_at >= ? AND m.created_at < ?{where}"
            f" GROUP BY 1 ORDER BY 1", bounds)
    for reason, qty, value in found:
        rows.append({"key": reason, "reason": reason, "qty": milli(qty), "value": _half_up(int(value))})
    columns = (Column("reason", N_("reason")), Column("qty", N_("quantity lost"), QTY),
               Column("value", N_("value at cost"), MONEY))
    return Report("shrinkage", period, "reason", columns, tuple(rows), {"value": sum(r["value"] for r in rows)})


def _shipping(bounds: tuple[str, str]) -> int:
    return int(fetch("SELECT COALESCE(SUM(shipping_cost), 0) FROM delivery_order"
                     " WHERE shipped_at >= ? AND shipped_at < ?", bounds)[0][0])


def _over_short(period: Period, bounds: tuple[str, str], zone: ZoneInfo) -> Report:
    """Closed shifts in the period (by their close) and what each counted over or short."""
    from datetime import datetime

    rows = tuple(
        {"key": str(sid), "lane": lane, "number": number,
         "closed": datetime.fromisoformat(closed).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
         "over_short": int(over_short or 0)}
        for sid, lane, number, closed, over_short in fetch(
            "SELECT id, lane, number, closed_at, over_short FROM shift WHERE closed_at >= ? AND closed_at < ?"
            " ORDER BY closed_at, id", bounds))
    columns = (Column("lane", N_("lane")), Column("number", N_("Z"), INT), Column("closed", N_("closed")),
               Column("over_short", N_("over/short"), MONEY))
    totals = {"shifts": len(rows), "over_short": sum(r["over_short"] for r in rows),
              "over": sum(r["over_short"] for r in rows if r["over_short"] > 0),
              "short": sum(r["over_short"] for r in rows if r["over_short"] < 0)}
    return Report("shifts", period, "shift", columns, rows, totals)
