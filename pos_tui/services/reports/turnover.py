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

Per product, the rows (and the slow-mover and dead-stock lists) stop at the `top`
products (TOP_PRODUCTS unless asked otherwise; None for every one, as an export
wants): the rest are summed into one "(N other products)" row, and the totals
always count every product. A shop with 100,000 products would otherwise get a
row for each, even for one day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from heapq import nsmallest
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.errors import ValidationError
from pos_tui.i18n import _
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
TOP_PRODUCTS = 100
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


def _parts(group: list[_Item]) -> tuple[int, int, int, int, int, int]:
    """What a row adds up, in one pass: COGS thousandths, values at start and end, units sold, on hand, value now."""
    cogs = start = end = sold = on_hand = now = 0
    for i in group:
        value = _value(i.stock_now, i.cost)  # most never moved since the start: value once
        cogs += i.cogs_milli
        start += value if i.at_start == i.stock_now else _value(i.at_start, i.cost)
        end += value if i.at_end == i.stock_now else _value(i.at_end, i.cost)
        sold += i.sold
        on_hand += i.at_end
        now += value
    return cogs, start, end, sold, on_hand, now


def _top(group: list[_Item], top: int | None, order: Any) -> list[_Item]:
    """The first `top` of `group` by `order` (all of them, sorted, when top is None)."""
    return sorted(group, key=order) if top is None or top >= len(group) else nsmallest(top, group, key=order)


def _capped(rows: int, shown: int) -> tuple[str, ...]:
    return (f"the first {shown} of {rows} products shown (--all for every one)",) if shown < rows else ()


def turnover_report(
    actor: Actor, period: Period, by: str = "product", *, category: str | None = None, dead_days: int = 90,
    zone: ZoneInfo | None = None, top: int | None = TOP_PRODUCTS,
) -> Report:
    """Turnover per product or category, with slow movers and dead stock as sections.

    Product rows stop at `top` (None: all), the rest summed in one "other" row; see the module's docstring.
    """
    guard(actor)
    check_by(by, TURNOVER_BY)
    if dead_days < 1:
        raise ValidationError(_("--dead-days {dead_days} must be 1 or more").format(dead_days=dead_days))
    if top is not None and top < 1:
        raise ValidationError(_("--top {top} must be 1 or more").format(top=top))
    zone = shop_zone(zone)
    cats = category_ids(category)
    items = _items(period, zone, cats)
    labels = category_labels()
    days = period.days

    active = [i for i in items.values() if i.sold or i.at_start or i.at_end or i.stock_now]
    whole = _parts(active)
    if by == "product":
        shown = _top(active, top, lambda i: (-_value(i.cogs_milli, 1), i.label))
        rows = [{"key": str(i.pid), **_row(i.label, days, *_parts([i]))} for i in shown]
        if len(shown) < len(active):
            rest = [a - b for a, b in zip(whole, _parts(shown))]
            rows.append({"key": "", **_row(f"({len(active) - len(shown)} other products)", days, *rest)})
    else:
        grouped: dict[int | None, list[_Item]] = defaultdict(list)
        for i in active:
            grouped[i.category].append(i)
        row_keys = category_keys()
        rows = [{"key": row_keys.get(c, ""), **_row(labels.get(c, str(c)), days, *_parts(g))}
                for c, g in grouped.items()]
        rows.sort(key=lambda r: (-r["cogs"], r["label"]))
    totals = _row("total", days, *whole)
    columns = (
        Column("label", by, TEXT), Column("cogs", "COGS", MONEY), Column("start_value", "stock value start", MONEY),
        Column("end_value", "stock value end", MONEY), Column("average_value", "average stock value", MONEY),
        Column("turnover", "turnover", "ratio"), Column("days_of_inventory", "days of inventory", "ratio"),
        Column("units_sold", "units sold", QTY), Column("on_hand_end", "on hand at end", QTY),
        Column("sell_through", "sell-through %", PERCENT),
    )
    sections = {"slow_movers": _slow(period, items, top), "dead_stock": _dead(period, zone, items, dead_days, top)}
    return Report("turnover", period, by, columns, tuple(rows), totals, notes=(NOTE,), sections=sections)


def _slow(period: Period, items: dict[int, _Item], top: int | None) -> Report:
    slow = []
    for i in items.values():
        if i.sold > 0 and i.at_end > 0:
            through = percent(i.sold, i.sold + i.at_end)
            if through is not None and through < SLOW_SELL_THROUGH:
                slow.append((i, through))
    shown = _top(slow, top, lambda it: (-_value(it[0].stock_now, it[0].cost), it[0].label))
    rows = [{"key": str(i.pid), "label": i.label, "units_sold": milli(i.sold), "on_hand_end": milli(i.at_end),
             "sell_through": through, "stock_value": _value(i.stock_now, i.cost)} for i, through in shown]
    columns = (Column("label", "product"), Column("units_sold", "units sold", QTY),
               Column("on_hand_end", "on hand at end", QTY), Column("sell_through", "sell-through %", PERCENT),
               Column("stock_value", "stock value now", MONEY))
    return Report("slow_movers", period, "product", columns, tuple(rows),
                  {"stock_value": sum(_value(i.stock_now, i.cost) for i, _ in slow), "products": len(slow)},
                  notes=(f"sold in the period, but sell-through under {SLOW_SELL_THROUGH}%",)
                  + _capped(len(slow), len(rows)))


def _dead(period: Period, zone: ZoneInfo, items: dict[int, _Item], dead_days: int, top: int | None) -> Report:
    """In stock now, no sale in the `dead_days` days before the period's end (sales seen through their stock moves)."""
    end = local_midnight(period.end, zone)
    since = utc_text(end - timedelta(days=dead_days))
    in_stock = [i for i in items.values() if i.stock_now > 0]
    # What sold in the window (one range read), then the last sale day only for the dead products shown:
    # a seek for each of 100,000 stocked products took most of a day's report.
    if rollups.ready(zone):
        window = ((end - timedelta(days=dead_days)).date().isoformat(), period.end.isoformat())
        sold = {pid for (pid,) in fetch("SELECT DISTINCT product_id FROM report_move_day WHERE day >= ? AND day < ?"
                                        " AND reason = 'sale'", window)}
    else:
        sold = {pid for (pid,) in fetch(
            "SELECT DISTINCT product_id FROM stock_move WHERE reason = 'sale' AND created_at >= ? AND created_at < ?",
            (since, utc_text(end)))}
    every = [i for i in in_stock if i.pid not in sold]
    dead = _top(every, top, lambda i: (-_value(i.stock_now, i.cost), i.label))
    last: dict[int, str] = {}
    if dead and rollups.ready(zone):
        last = {pid: day for pid, day in fetch(
            f"SELECT m.product_id, MAX(m.day) FROM report_move_day m"
            f" WHERE m.product_id IN {in_list([i.pid for i in dead])} AND m.reason = 'sale' AND m.day < ? GROUP BY m.product_id", (window[0],)) if day}
    elif dead:
        last = {pid: datetime.fromisoformat(at).astimezone(zone).date().isoformat() for pid, at in fetch(
            f"SELECT product_id, MAX(created_at) FROM stock_move WHERE reason = 'sale' AND created_at < ?"
            f" AND product_id IN {in_list([i.pid for i in dead])} GROUP BY product_id", (since,))}
    rows = []
    for i in dead:
        when = last.get(i.pid)
        rows.append({"key": str(i.pid), "label": i.label, "stock": milli(i.stock_now),
                     "last_sale": when or "never",
                     "stock_value": _value(i.stock_now, i.cost)})
    columns = (Column("label", "product"), Column("stock", "in stock", QTY), Column("last_sale", "last sale"),
               Column("stock_value", "stock value", MONEY))
    return Report("dead_stock", period, "product", columns, tuple(rows),
                  {"stock_value": sum(_value(i.stock_now, i.cost) for i in every), "products": len(every)},
                  notes=(f"in stock, no sale in the {dead_days} days before {period.end.isoformat()}",)
                  + _capped(len(every), len(rows)))
