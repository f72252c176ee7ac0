"""Inventory turnover: how fast stock sells, and what sits on the shelf.

    COGS            sum of qty x unit cost over counted sale lines (cost at the time of sale),
                    returns subtracted
    inventory value the stock a product held at a moment x its current cost. The stock at a
                    past moment is rebuilt from today's stock minus every stock move since, so
                    it is exact in units; it is valued at today's cost because past costs are
                    not kept (say so wherever the figure is shown)
    turnover        COGS / ((value at start + value at end) / 2)
    days of inventory  period days / turnover
    sell-through    units sold / (units sold + units on hand at the end), in %
    dead stock      in stock now, and no sale in the `dead_days` days before the period's end
    slow movers     in stock at the end, sold something, but sell-through under SLOW_SELL_THROUGH %
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.errors import ValidationError
from pos_tui.services.context import Actor
from pos_tui.services.reports import rollups
from pos_tui.services.reports.common import (
    IN_PERIOD, LIVE, MONEY, PERCENT, QTY, TEXT, Column, Report, category_ids, category_keys, category_labels,
    fetch, guard, in_list, milli, percent, ratio, shop_zone, unindexed,
)
from pos_tui.services.reports.periods import Period, local_midnight, utc_text
from pos_tui.services.reports.sales import check_by

TURNOVER_BY = ("product", "category")
SLOW_SELL_THROUGH = Decimal(10)
NOTE = ("inventory value at a past moment = today's stock minus the stock moves since, valued at today's cost "
        "(past costs are not kept)")


@dataclass
class _Item:
    pid: int
    label: str
    category: int | None
    cost: int
    stock_now: int  # thousandths
    at_start: int = 0
    at_end: int = 0
    sold: int = 0  # thousandths, net of returns
    cogs_milli: int = 0  # qty thousandths x cost: divided by 1000 once, at the end


def _items(period: Period, zone: ZoneInfo, cats: list[int] | None) -> dict[int, _Item]:
    start, end = period.utc_bounds(zone)
    where = "" if cats is None else f" WHERE category_id IN {in_list(cats)}"
    items = {pid: _Item(pid, f"{name} ({code})", cat, int(cost), int(stock), int(stock), int(stock))
             for pid, code, name, cat, cost, stock in fetch(
                 f"SELECT id, barcode, name, category_id, cost, stock FROM product{where}")}
    cat_filter = ("" if cats is None
                  else f" AND sl.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(cats)})")
    # One pass over the moves since the start: the stock then and at the end is today's less what moved since.
    if rollups.ready(zone):
        days = rollups.day_bounds(period.start, period.end)
        # GROUP BY +product_id: read the days since the start, not the whole product index
        moved = fetch("SELECT product_id, SUM(delta), SUM(CASE WHEN day >= ? THEN delta ELSE 0 END)"
                      " FROM report_move_day WHERE day >= ? GROUP BY +product_id", (days[1], days[0]))
        sold = fetch(f"SELECT d.product_id, SUM(d.qty), SUM(d.cost) FROM report_product_day d WHERE d.day >= ?"
                     f" AND d.day < ?{cat_filter.replace('sl.', 'd.')} GROUP BY d.product_id", days)
    else:
        moved = fetch("SELECT product_id, SUM(delta), SUM(CASE WHEN created_at >= ? THEN delta ELSE 0 END)"
                      f" FROM stock_move WHERE created_at >= ? GROUP BY {unindexed('product_id')}", (end, start))
        sold = fetch(f"SELECT sl.product_id, SUM(sl.qty), SUM(CAST(sl.qty AS BIGINT) * sl.unit_cost) FROM sale_line sl"
                     f" JOIN sale s ON s.id = sl.sale_id WHERE {LIVE} AND {IN_PERIOD}{cat_filter}"
                     f" GROUP BY sl.product_id", (start, end))
    for pid, after_start, after_end in moved:
        item = items.get(pid)
        if item is not None:
            item.at_start = item.stock_now - int(after_start)
            item.at_end = item.stock_now - int(after_end)
    for pid, qty, cogs in sold:
        item = items.get(pid)
        if item is not None:
            item.sold, item.cogs_milli = int(qty), int(cogs)
    return items


def _value(qty_milli: int, cost: int) -> int:
    """Thousandths x cost, rounded half up to the minor unit."""
    return (qty_milli * cost + 500) // 1000 if qty_milli >= 0 else -((-qty_milli * cost + 500) // 1000)


def _row(label: str, days: int, cogs_milli: int, start_value: int, end_value: int, sold: int, at_end: int,
         stock_value: int) -> dict[str, Any]:
    cogs = _value(cogs_milli, 1)
    average = (start_value + end_value + 1) // 2  # half a cent rounds up
    turnover = ratio(cogs, average) if average > 0 else None
    return {
        "label": label, "cogs": cogs, "start_value": start_value, "end_value": end_value, "average_value": average,
        "turnover": turnover, "days_of_inventory": ratio(Decimal(average) * days, cogs, "0.1") if cogs > 0 else None,
        "units_sold": milli(sold), "on_hand_end": milli(at_end),
        "sell_through": percent(sold, sold + max(at_end, 0)) if sold + max(at_end, 0) > 0 else None,
        "stock_value": stock_value,
    }


def turnover_report(
    actor: Actor, period: Period, by: str = "product", *, category: str | None = None, dead_days: int = 90,
    zone: ZoneInfo | None = None,
) -> Report:
    """Turnover per product or category, with slow movers and dead stock as sections."""
    guard(actor)
    check_by(by, TURNOVER_BY)
    if dead_days < 1:
        raise ValidationError(f"--dead-days {dead_days} must be 1 or more")
    zone = shop_zone(zone)
    cats = category_ids(category)
    items = _items(period, zone, cats)
    labels = category_labels()
    days = period.days

    def sums(group: list[_Item], label: str) -> dict[str, Any]:
        return _row(label, days, sum(i.cogs_milli for i in group), sum(_value(i.at_start, i.cost) for i in group),
                    sum(_value(i.at_end, i.cost) for i in group), sum(i.sold for i in group),
                    sum(i.at_end for i in group), sum(_value(i.stock_now, i.cost) for i in group))

    active = [i for i in items.values() if i.sold or i.at_start or i.at_end or i.stock_now]
    if by == "product":
        rows = [{"key": str(i.pid), **_row(i.label, days, i.cogs_milli, _value(i.at_start, i.cost),
                                           _value(i.at_end, i.cost), i.sold, i.at_end, _value(i.stock_now, i.cost))}
                for i in active]
    else:
        grouped: dict[int | None, list[_Item]] = defaultdict(list)
        for i in active:
            grouped[i.category].append(i)
        row_keys = category_keys()
        rows = [{"key": row_keys.get(c, ""), **sums(g, labels.get(c, str(c)))} for c, g in grouped.items()]
    rows.sort(key=lambda r: (-r["cogs"], r["label"]))
    totals = sums(active, "total")
    columns = (
        Column("label", by, TEXT), Column("cogs", "COGS", MONEY), Column("start_value", "stock value start", MONEY),
        Column("end_value", "stock value end", MONEY), Column("average_value", "average stock value", MONEY),
        Column("turnover", "turnover", "ratio"), Column("days_of_inventory", "days of inventory", "ratio"),
        Column("units_sold", "units sold", QTY), Column("on_hand_end", "on hand at end", QTY),
        Column("sell_through", "sell-through %", PERCENT),
    )
    sections = {"slow_movers": _slow(period, items), "dead_stock": _dead(period, zone, items, dead_days)}
    return Report("turnover", period, by, columns, tuple(rows), totals, notes=(NOTE,), sections=sections)


def _slow(period: Period, items: dict[int, _Item]) -> Report:
    rows = []
    for i in items.values():
        if i.sold > 0 and i.at_end > 0:
            through = percent(i.sold, i.sold + i.at_end)
            if through is not None and through < SLOW_SELL_THROUGH:
                rows.append({"key": str(i.pid), "label": i.label, "units_sold": milli(i.sold),
                             "on_hand_end": milli(i.at_end), "sell_through": through,
                             "stock_value": _value(i.stock_now, i.cost)})
    rows.sort(key=lambda r: (-r["stock_value"], r["label"]))
    columns = (Column("label", "product"), Column("units_sold", "units sold", QTY),
               Column("on_hand_end", "on hand at end", QTY), Column("sell_through", "sell-through %", PERCENT),
               Column("stock_value", "stock value now", MONEY))
    return Report("slow_movers", period, "product", columns, tuple(rows),
                  {"stock_value": sum(r["stock_value"] for r in rows), "products": len(rows)},
                  notes=(f"sold in the period, but sell-through under {SLOW_SELL_THROUGH}%",))


def _dead(period: Period, zone: ZoneInfo, items: dict[int, _Item], dead_days: int) -> Report:
    """In stock now, no sale in the `dead_days` days before the period's end (sales seen through their stock moves)."""
    end = local_midnight(period.end, zone)
    since = utc_text(end - timedelta(days=dead_days))
    in_stock = [i for i in items.values() if i.stock_now > 0]
    last: dict[int, str] = {}
    if rollups.ready(zone):
        # Each stocked product's last sale day before the end: one index seek apiece.
        window = ((end - timedelta(days=dead_days)).date().isoformat(), period.end.isoformat())
        found = fetch("SELECT p.id, (SELECT MAX(m.day) FROM report_move_day m WHERE m.product_id = p.id"
                      " AND m.reason = 'sale' AND m.day < ?) FROM product p WHERE p.stock > 0", (window[1],))
        last = {pid: day for pid, day in found if day}
        dead = [i for i in in_stock if last.get(i.pid, "") < window[0]]
    else:
        sold = {pid for (pid,) in fetch(
            "SELECT DISTINCT product_id FROM stock_move WHERE reason = 'sale' AND created_at >= ? AND created_at < ?",
            (since, utc_text(end)))}
        dead = [i for i in in_stock if i.pid not in sold]
        if dead:
            last = {pid: datetime.fromisoformat(at).astimezone(zone).date().isoformat() for pid, at in fetch(
                f"SELECT product_id, MAX(created_at) FROM stock_move WHERE reason = 'sale' AND created_at < ?"
                f" AND product_id IN {in_list([i.pid for i in dead])} GROUP BY product_id", (since,))}
    rows = []
    for i in dead:
        when = last.get(i.pid)
        rows.append({"key": str(i.pid), "label": i.label, "stock": milli(i.stock_now),
                     "last_sale": when or "never",
                     "stock_value": _value(i.stock_now, i.cost)})
    rows.sort(key=lambda r: (-r["stock_value"], r["label"]))
    columns = (Column("label", "product"), Column("stock", "in stock", QTY), Column("last_sale", "last sale"),
               Column("stock_value", "stock value", MONEY))
    return Report("dead_stock", period, "product", columns, tuple(rows),
                  {"stock_value": sum(r["stock_value"] for r in rows), "products": len(rows)},
                  notes=(f"in stock, no sale in the {dead_days} days before {period.end.isoformat()}",))
