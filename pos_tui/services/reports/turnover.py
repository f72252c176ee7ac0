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

Cost: only the products sold in the period are objects; the rest of the
catalogue is summed per category in SQL (its value now, from the stock
roll-up of migration 0016 or a narrow index, corrected by the products that
moved since the period's start), and dead stock is read from each product's
last sale day and stock value (0016), or on PostgreSQL one statement over the
window's sales. A day costs what it sold, what moved since, and the products
sold since its end. A period past a month sells most of the catalogue: it is
summed in one statement (turnover_sums.py), an object only for the rows shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from heapq import nlargest, nsmallest
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.db.models import database
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _  # N_: column titles, translated where the Reports screen shows them
from pos_tui.services.context import Actor
from pos_tui.services.gc_pause import gc_paused
from pos_tui.services.reports import rollups
from pos_tui.services.reports.beside import Beside
from pos_tui.services.reports.common import (
    IN_PERIOD, LIVE, MONEY, PERCENT, QTY, TEXT, TOP_PRODUCTS, Column, Report, category_ids, category_keys, category_labels,
    check_top, fetch, guard, in_list, milli, others_label, percent, ratio, shop_zone, unindexed,
)
from pos_tui.services.reports.periods import Period, local_midnight, utc_text
from pos_tui.services.reports.sales import check_by

TURNOVER_BY = ("product", "category")
SLOW_SELL_THROUGH = Decimal(10)
_SLOW_TENTHS = int(SLOW_SELL_THROUGH * 10)  # the same, in tenths of a percent
LONG_PERIOD_DAYS = 31  # longer periods sell most of the catalogue: summed in SQL (turnover_sums.py)
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


def _value_sql(qty: str) -> str:
    """SQL for _value(qty, p.cost), rounded exactly as it rounds."""
    return rollups.value_sql(qty, "p.cost")


@dataclass
class _Rest:
    """The products of one category that sold nothing in the period, summed in SQL: how many count
    (stock then or now), their stock value at the start, at the end and now, and units at the end."""

    products: int = 0
    start_value: int = 0
    end_value: int = 0
    on_hand: int = 0  # thousandths
    value: int = 0

    def parts(self) -> tuple[int, int, int, int, int, int]:
        """As _parts() adds them up: no COGS and nothing sold."""
        return 0, self.start_value, self.end_value, 0, self.on_hand, self.value


def _moved(period: Period, zone: ZoneInfo, only: Any = None) -> tuple[str, tuple]:
    """SQL (and its parameters) for each product's stock moves since the period's start and since its end:
    the stock then is today's less what moved since. `only`: just these products (a day's sold ones)."""
    if rollups.ready(zone):
        days = rollups.day_bounds(period.start, period.end)
        if only is not None:  # a few products: the days since the start, not every day of theirs (+product_id)
            return ("SELECT product_id, SUM(delta) AS since_start, SUM(CASE WHEN day >= ? THEN delta ELSE 0 END)"
                    f" AS since_end FROM report_move_day WHERE day >= ? AND +product_id IN {in_list(sorted(only))}"
                    " GROUP BY +product_id", (days[1], days[0]))
        # GROUP BY +product_id: read the days since the start, not the whole product index
        return ("SELECT product_id, SUM(delta) AS since_start, SUM(CASE WHEN day >= ? THEN delta ELSE 0 END)"
                " AS since_end FROM report_move_day WHERE day >= ? GROUP BY +product_id", (days[1], days[0]))
    start, end = period.utc_bounds(zone)
    within = "" if only is None else f" AND product_id IN {in_list(sorted(only))}"
    return ("SELECT product_id, SUM(delta) AS since_start, SUM(CASE WHEN created_at >= ? THEN delta ELSE 0 END)"
            f" AS since_end FROM stock_move WHERE created_at >= ?{within} GROUP BY {unindexed('product_id')}",
            (end, start))


def _sold(period: Period, zone: ZoneInfo, cats: list[int] | None) -> list[tuple]:
    """(product, units, COGS thousandths) of each product sold in the period, within `cats`."""
    cat_filter = ("" if cats is None
                  else f" AND sl.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(cats)})")
    if rollups.ready(zone):
        days = rollups.day_bounds(period.start, period.end)
        return fetch(f"SELECT d.product_id, SUM(d.qty), SUM(d.cost) FROM report_product_day d WHERE d.day >= ?"
                     f" AND d.day < ?{cat_filter.replace('sl.', 'd.')} GROUP BY d.product_id", days)
    start, end = period.utc_bounds(zone)
    return fetch(f"SELECT sl.product_id, SUM(sl.qty), SUM(CAST(sl.qty AS BIGINT) * sl.unit_cost) FROM sale_line sl"
                 f" JOIN sale s ON s.id = sl.sale_id WHERE {LIVE} AND {IN_PERIOD}{cat_filter}"
                 f" GROUP BY sl.product_id", (start, end))


_PRODUCT = "p.id, p.barcode, p.name, p.category_id, p.cost, p.stock"


def _item(row: tuple) -> _Item:
    """An _Item from (_PRODUCT..., moved since start, moved since end)."""
    pid, code, name, cat, cost, stock, since_start, since_end = row
    stock = int(stock)
    return _Item(pid, f"{name} ({code})", cat, int(cost), stock, stock - int(since_start or 0),
                 stock - int(since_end or 0))


def _items(period: Period, zone: ZoneInfo, cats: list[int] | None,
           every: bool = True) -> tuple[dict[int, _Item], bool]:
    """The products sold in the period, or every product (`every`, or when most of the catalogue sold: then
    reading all at once costs less than the sums and their corrections), each with its stock then and now;
    and whether that is every product."""
    sold = _sold(period, zone, cats)
    where = [] if cats is None else [f"p.category_id IN {in_list(cats)}"]
    wanted = None if every or len(sold) > 5000 else {row[0] for row in sold}
    moved, params = _moved(period, zone, wanted)
    if wanted is not None:  # a day's products by id
        where.append(f"p.id IN {in_list(sorted(wanted))}")
    items = {row[0]: _item(row) for row in fetch(
        f"SELECT {_PRODUCT}, m.since_start, m.since_end FROM product p LEFT JOIN ({moved}) m ON m.product_id = p.id"
        + (" WHERE " + " AND ".join(where) if where else ""), params)}
    for pid, qty, cogs in sold:
        item = items.get(pid)
        if item is not None:
            item.sold, item.cogs_milli = int(qty), int(cogs)
    return items, wanted is None


def _others(sold: Any, cats: list[int] | None) -> str:
    """SQL: a product `p` not in `sold`, within `cats`."""
    return " AND ".join(["1 = 1"] + ([f"p.id NOT IN {in_list(sorted(sold))}"] if sold else [])
                        + ([f"p.category_id IN {in_list(cats)}"] if cats is not None else []))


def _catalogue(zone: ZoneInfo, cats: list[int] | None) -> dict[int | None, tuple[int, int, int]]:
    """Per category, every product as it stands now: how many have stock, their units and their value.
    From the stock roll-up (migration 0016), else one read of a narrow index (0015), not an object per product."""
    if rollups.ready(zone):
        in_cats = "" if cats is None else f" WHERE c.category_id IN {in_list(cats)}"
        return {cat or None: (int(stocked), int(units), int(value)) for cat, stocked, units, value in fetch(
            f"SELECT c.category_id, c.stocked, c.units, c.value FROM report_category_stock c{in_cats}")}
    in_cats = "" if cats is None else f" WHERE p.category_id IN {in_list(cats)}"
    return {cat: tuple(int(v or 0) for v in figures) for cat, *figures in fetch(
        f"SELECT p.category_id, COUNT(CASE WHEN p.stock <> 0 THEN 1 END), SUM(p.stock), SUM({_value_sql('p.stock')})"
        f" FROM product p{in_cats} GROUP BY p.category_id")}


def _moved_per_category(period: Period, zone: ZoneInfo, cats: list[int] | None) -> list[tuple]:
    """Per category, the products that moved since the period's start: how many have stock now, how many
    count (stock then or now), their values then and now, and what moved since the end."""
    moved, params = _moved(period, zone)
    then, end = "p.stock - m.since_start", "p.stock - m.since_end"
    return fetch(f"SELECT p.category_id, COUNT(CASE WHEN p.stock <> 0 THEN 1 END),"
                 f" COUNT(CASE WHEN p.stock <> 0 OR {then} <> 0 OR {end} <> 0 THEN 1 END), SUM({_value_sql(then)}),"
                 f" SUM({_value_sql(end)}), SUM(m.since_end), SUM({_value_sql('p.stock')})"
                 f" FROM ({moved}) m JOIN product p ON p.id = m.product_id WHERE {_others((), cats)}"
                 f" GROUP BY p.category_id", params)


def _rest(sold: dict[int, _Item], catalogue: dict[int | None, tuple[int, int, int]],
          moved: list[tuple]) -> dict[int | None, _Rest]:
    """Per category, the products that sold nothing in the period (all but `sold`), summed: the catalogue as
    it stands now, corrected by the products that `moved` since the start (_moved_per_category). A day
    costs what it sold and what moved since, plus the catalogue's sums."""
    rest = {cat: _Rest(counted, value, value, units, value) for cat, (counted, units, value) in catalogue.items()}
    for cat, now, counted, start_value, end_value, since_end, value in moved:
        r = rest.setdefault(cat, _Rest())
        r.products += int(counted) - int(now)
        r.start_value += int(start_value or 0) - int(value or 0)
        r.end_value += int(end_value or 0) - int(value or 0)
        r.on_hand -= int(since_end or 0)
    for i in sold.values():  # objects of their own: out of the catalogue's sums and the moved ones' corrections
        r, value = rest[i.category], _value(i.stock_now, i.cost)
        r.products -= bool(i.stock_now or i.at_start or i.at_end)
        r.start_value -= value if i.at_start == i.stock_now else _value(i.at_start, i.cost)
        r.end_value -= value if i.at_end == i.stock_now else _value(i.at_end, i.cost)
        r.value -= value
        r.on_hand -= i.at_end
    return rest


def _first_by_label(period: Period, zone: ZoneInfo, cats: list[int] | None, sold: Any, limit: int) -> list[_Item]:
    """The first `limit` products by label ("name (barcode)", code point order as Python sorts) that count
    in a row (stock then or now) but sold nothing in the period: a quiet period's top rows."""
    moved, params = _moved(period, zone)
    then, end = "p.stock - COALESCE(m.since_start, 0)", "p.stock - COALESCE(m.since_end, 0)"
    collate = "" if database.param == "?" else ' COLLATE "C"'  # SQLite's BINARY is code point order already
    return [_item(row) for row in fetch(
        f"SELECT {_PRODUCT}, m.since_start, m.since_end FROM product p LEFT JOIN ({moved}) m ON m.product_id = p.id"
        f" WHERE (p.stock <> 0 OR {then} <> 0 OR {end} <> 0) AND {_others(sold, cats)}"
        f" ORDER BY p.name || ' (' || p.barcode || ')'{collate} LIMIT ?", (*params, limit))]


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


def _sum(*parts: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sum(column) for column in zip(*parts))


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
    with gc_paused():  # thousands of objects, no cycles (services/gc_pause.py)
        return _turnover_report(actor, period, by, category, dead_days, zone, top)


def _turnover_report(actor: Actor, period: Period, by: str, category: str | None, dead_days: int,
                     zone: ZoneInfo | None, top: int | None) -> Report:
    guard(actor)
    check_by(by, TURNOVER_BY)
    if dead_days < 1:
        raise ValidationError(_("--dead-days {dead_days} must be 1 or more").format(dead_days=dead_days))
    check_top(top)
    zone = shop_zone(zone)
    cats = category_ids(category)
    labels = category_labels()
    days = period.days
    columns = (
        Column("label", by, TEXT), Column("cogs", N_("COGS"), MONEY),
        Column("start_value", N_("stock value start"), MONEY),
        Column("end_value", N_("stock value end"), MONEY), Column("average_value", N_("average stock value"), MONEY),
        Column("turnover", N_("turnover"), "ratio"), Column("days_of_inventory", N_("days of inventory"), "ratio"),
        Column("units_sold", N_("units sold"), QTY), Column("on_hand_end", N_("on hand at end"), QTY),
        Column("sell_through", N_("sell-through %"), PERCENT),
    )
    if top is not None and days > LONG_PERIOD_DAYS and rollups.ready(zone):
        from pos_tui.services.reports import turnover_sums

        summed = turnover_sums.summed(period, cats, by, top, labels)
        if summed is not None:
            rows, totals, slow = summed
            sections = {"slow_movers": slow, "dead_stock": _dead(period, zone, cats, dead_days, top)}
            return Report("turnover", period, by, columns, tuple(rows), totals, notes=(NOTE,), sections=sections)
    # The products sold in the period, an object each; the rest of the catalogue summed per category in SQL
    # (an object for every product when every product gets a row, or most of them sold).
    # The dead-stock section and the moves since the start need nothing from the products sold: each is
    # read beside them, on a connection of its own (parts of a day's report: 24, 27 and 15 ms)
    dead = Beside(_dead, period, zone, cats, dead_days, top)
    early = top is not None and days <= LONG_PERIOD_DAYS  # else most products sold: likely not needed
    moved = Beside(_moved_per_category, period, zone, cats) if early else None
    items, every_product = _items(period, zone, cats, every=top is None)
    moves = moved.result() if moved else None  # (joined even when not needed: no reader outlives the report)
    rest = {} if every_product else _rest(items, _catalogue(zone, cats),
                                          moves if moves is not None else _moved_per_category(period, zone, cats))
    counted = [i for i in items.values() if i.sold or i.at_start or i.at_end or i.stock_now]

    whole = _sum(_parts(counted), *(r.parts() for r in rest.values()))
    every = len(counted) + sum(r.products for r in rest.values())
    if by == "product":
        rank = lambda i: (-_value(i.cogs_milli, 1), i.label)  # noqa: E731
        costly = sum(1 for i in counted if i.cogs_milli >= 500)  # a COGS of a cent or more, rounded
        # A quiet period: products that sold nothing (no COGS, so ranked by label) fill the top rows.
        fill = _first_by_label(period, zone, cats, items, top - costly) if rest and costly < top else []
        candidates = counted + fill
        if top is not None and len(candidates) > top:  # a year's 77,000: rank only those that can be in the top
            least = _value(nlargest(top, [i.cogs_milli for i in candidates])[-1], 1)
            candidates = [i for i in candidates if _value(i.cogs_milli, 1) >= least]
        shown = _top(candidates, top, rank)
        rows = [{"key": str(i.pid), **_row(i.label, days, *_parts([i]))} for i in shown]
        if len(shown) < every:
            others = [a - b for a, b in zip(whole, _parts(shown))]
            rows.append({"key": "", **_row(others_label(every - len(shown)), days, *others)})
    else:
        grouped: dict[int | None, list[_Item]] = defaultdict(list)
        for i in counted:
            grouped[i.category].append(i)
        row_keys = category_keys()
        shown_cats = [c for c in dict.fromkeys([*grouped, *rest]) if grouped.get(c) or rest[c].products]
        rows = [{"key": row_keys.get(c, ""), **_row(labels.get(c, str(c)), days, *_sum(
                    _parts(grouped.get(c, [])), rest.get(c, _Rest()).parts()))} for c in shown_cats]
        rows.sort(key=lambda r: (-r["cogs"], r["label"]))
    totals = _row("total", days, *whole)
    sections = {"slow_movers": _slow(period, items, top), "dead_stock": dead.result()}
    return Report("turnover", period, by, columns, tuple(rows), totals, notes=(NOTE,), sections=sections)


def _slow_tenths(sold: int, on_hand: int) -> int:
    """percent(sold, sold + on_hand) in tenths of a percent, rounded half up as it rounds, in integers
    (both positive): a year has 75,000 products to look at."""
    return (2001 * sold + on_hand) // (2 * (sold + on_hand))


def _slow(period: Period, items: dict[int, _Item], top: int | None) -> Report:
    slow = []  # (-value now, label, product id, item): the order shown, labels unique (they hold the barcode)
    worth = 0
    for i in items.values():
        if i.sold > 0 and i.at_end > 0 and _slow_tenths(i.sold, i.at_end) < _SLOW_TENTHS:
            value = _value(i.stock_now, i.cost)
            worth += value
            slow.append((-value, i.label, i.pid, i))
    shown = sorted(slow) if top is None or top >= len(slow) else nsmallest(top, slow)
    return slow_report(period, [i for _value_, _label, _pid, i in shown], worth, len(slow))


def slow_report(period: Period, shown: list[_Item], worth: int, count: int) -> Report:
    """The slow movers' table: the products shown, in order, and the value and count of all of them."""
    rows = [{"key": str(i.pid), "label": i.label, "units_sold": milli(i.sold), "on_hand_end": milli(i.at_end),
             "sell_through": percent(i.sold, i.sold + i.at_end), "stock_value": _value(i.stock_now, i.cost)}
            for i in shown]
    columns = (Column("label", N_("product")), Column("units_sold", N_("units sold"), QTY),
               Column("on_hand_end", N_("on hand at end"), QTY), Column("sell_through", N_("sell-through %"), PERCENT),
               Column("stock_value", N_("stock value now"), MONEY))
    return Report("slow_movers", period, "product", columns, tuple(rows),
                  {"stock_value": worth, "products": count},
                  notes=(f"sold in the period, but sell-through under {SLOW_SELL_THROUGH}%",)
                  + _capped(count, len(rows)))


def _dead_from_state(window: tuple[str, str], cats: list[int] | None,
                     top: int | None) -> tuple[int, int, list[tuple[int, int]]]:
    """Dead stock from each product's last sale day and stock value (migration 0016): how many, their value,
    and the most valuable (one more than `top`; every product tied with the last, when tied past the cut).

    Dead are the stocked products whose last sale is before the window (or never: ''), read along the narrow
    index of stocked products by value, and those sold since the period's end that sold nothing in the window,
    one seek each. Testing 100,000
    stocked products against the window's sales took half of a day's report."""
    first, end = window
    in_cats = "" if cats is None else f" AND s.category_id IN {in_list(cats)}"
    before = f"s.stocked_value IS NOT NULL AND s.last_sale < ?{in_cats}"
    # Sold since the end, but not in the window: when its sale day before the last is before the end, that is
    # its last sale before the end; else (sold on two days since) one seek in its sale days.
    late = [(pid, int(v)) for pid, v in fetch(
        f"SELECT s.product_id, s.stocked_value FROM report_product_state s INDEXED BY report_product_state_value"
        f" WHERE s.stocked_value IS NOT NULL AND s.last_sale >= ?{in_cats} AND CASE WHEN s.prev_sale < ?"
        f" THEN s.prev_sale < ? ELSE NOT EXISTS (SELECT 1 FROM report_move_day m INDEXED BY report_move_day_product"
        f" WHERE m.product_id = s.product_id AND m.reason = 'sale' AND m.day >= ? AND m.day < ?) END",
        (end, end, first, first, end))]
    # Last sold before the window: counted along the narrow value index, the most valuable from its top.
    (count, worth), = fetch(f"SELECT COUNT(*), SUM(s.stocked_value) FROM report_product_state s"
                            f" INDEXED BY report_product_state_value WHERE {before}", (first,))
    count, worth = int(count) + len(late), int(worth or 0) + sum(v for _pid, v in late)
    limit = "" if top is None else f" LIMIT {top + 1}"
    ranked = sorted(late + [(pid, int(v)) for pid, v in fetch(
        f"SELECT s.product_id, s.stocked_value FROM report_product_state s INDEXED BY report_product_state_value"
        f" WHERE {before} ORDER BY s.stocked_value DESC{limit}", (first,))], key=lambda r: -r[1])[:None if top is None else top + 1]
    if top is not None and len(ranked) > top and ranked[top][1] == ranked[top - 1][1]:  # tied past the cut
        cut = ranked[top][1]
        ranked = [row for row in late if row[1] >= cut] + [(pid, int(v)) for pid, v in fetch(
            f"SELECT s.product_id, s.stocked_value FROM report_product_state s INDEXED BY report_product_state_value"
            f" WHERE {before} AND s.stocked_value >= ?", (first, cut))]
    return count, worth, ranked


def _dead(period: Period, zone: ZoneInfo, cats: list[int] | None, dead_days: int, top: int | None) -> Report:
    """In stock now, no sale in the `dead_days` days before the period's end (sales seen through their stock moves)."""
    end = local_midnight(period.end, zone)
    since = utc_text(end - timedelta(days=dead_days))
    # What sold in the window (one range read, in SQL), then the last sale day only for the dead products shown:
    # a seek for each of 100,000 stocked products took most of a day's report.
    if rollups.ready(zone):
        window = ((end - timedelta(days=dead_days)).date().isoformat(), period.end.isoformat())
        sold, params = "SELECT product_id FROM report_move_day WHERE day >= ? AND day < ? AND reason = 'sale'", window
    else:
        sold = "SELECT product_id FROM stock_move WHERE reason = 'sale' AND created_at >= ? AND created_at < ?"
        params = (since, utc_text(end))
    in_cats = "" if cats is None else f" AND p.category_id IN {in_list(cats)}"
    # One statement, so the window is read once: the dead products' count and value, then the most valuable
    # (one more than shown, to see whether the last value shown is tied past the cut: then every product of
    # that value, ordered by label below). The product index of migration 0015 holds all it reads.
    dead_sql = (f"WITH d AS (SELECT p.id, {_value_sql('p.stock')} AS v FROM product p WHERE p.stock > 0{in_cats}"
                f" AND p.id NOT IN ({sold}))")
    first = f" ORDER BY v DESC LIMIT {top + 1}" if top is not None else ""
    if rollups.ready(zone):
        count, worth, ranked = _dead_from_state(window, cats, top)
    else:
        found = fetch(f"{dead_sql} SELECT 0, COUNT(*), SUM(v) FROM d UNION ALL"
                      f" SELECT * FROM (SELECT 1, id, v FROM d{first}) t", params)
        (_kind, count, worth), = [row for row in found if row[0] == 0]
        count, worth = int(count), int(worth or 0)
        ranked = sorted(row[1:] for row in found if row[0] == 1)  # back in value order below
        ranked.sort(key=lambda row: -row[1])
        if top is not None and len(ranked) > top and ranked[top][1] == ranked[top - 1][1]:
            ranked = fetch(f"{dead_sql} SELECT id, v FROM d WHERE v >= ?", (*params, ranked[top][1]))
    found = [_item((*row, 0, 0)) for row in fetch(
        f"SELECT {_PRODUCT} FROM product p WHERE p.id IN {in_list([pid for pid, _v in ranked])}")]
    dead = _top(found, top, lambda i: (-_value(i.stock_now, i.cost), i.label))
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
    columns = (Column("label", N_("product")), Column("stock", N_("in stock"), QTY),
               Column("last_sale", N_("last sale")),
               Column("stock_value", N_("stock value"), MONEY))
    return Report("dead_stock", period, "product", columns, tuple(rows),
                  {"stock_value": worth, "products": count},
                  notes=(f"in stock, no sale in the {dead_days} days before {period.end.isoformat()}",)
                  + _capped(count, len(rows)))
