"""Sales: how much, when, what, by whom and how paid, against the period before.

sales     what completed sales took (line amounts; discounts already off)
refunds   what returns paid back (negative); net = sales + refunds
baskets   completed sales (a return is not a basket); average basket = sales / baskets
items     items sold less items returned, as the till counts them (a weighed line is one item)
discounts discounts given on completed sales
By tender the money is what each tender took (change already given back),
so tenders add up to net + cash rounding.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.errors import ValidationError
from pos_tui.services.context import Actor
from pos_tui.services.reports.common import (
    IN_PERIOD, INT, ITEMS, LINE_AMOUNT, LIVE, MONEY, PERCENT, QTY, TEXT, Column, Report, category_ids, category_labels,
    fetch, guard, in_list, milli, money_div, percent, shop_zone,
)
from pos_tui.services.reports.periods import (
    TIME_GRAINS, Period, all_keys, bucket_local, bucket_sql, grain_key, grain_label, whole_hour_zone,
)

SALES_BY = TIME_GRAINS + ("category", "product", "cashier", "lane", "tender")
_LINE_DIMS = {"category": "p.category_id", "product": "sl.product_id"}
_SALE_DIMS = {"cashier": "u.username", "lane": "s.lane"}


def check_by(by: str, allowed: tuple[str, ...]) -> str:
    if by not in allowed:
        raise ValidationError(f"--by {by!r} is not one of {', '.join(allowed)}")
    return by


def _empty() -> dict[str, Any]:
    return {"sales": 0, "refunds": 0, "baskets": 0, "returns": 0, "items": 0, "discounts": 0, "tax": 0}


def _line_groups(bounds: tuple[str, str], group_sql: str, cats: list[int] | None) -> dict[Any, dict[str, Any]]:
    """Line sums per (group, status): amount, qty, discount, tax, distinct sales."""
    where = f"{LIVE} AND {IN_PERIOD}"
    if cats is not None:
        where += f" AND p.category_id IN {in_list(cats)}"
    sql = (f"SELECT {group_sql}, s.status, SUM({LINE_AMOUNT}), SUM({ITEMS}), SUM(sl.discount), SUM(sl.tax),"
           f" COUNT(DISTINCT s.id) FROM sale_line sl JOIN sale s ON s.id = sl.sale_id"
           f" JOIN product p ON p.id = sl.product_id WHERE {where} GROUP BY 1, 2")
    groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
    for key, status, amount, qty, discount, tax, sales in fetch(sql, bounds):
        g = groups[key]
        if status == "completed":
            g["sales"] += int(amount)
            g["baskets"] += int(sales)
            g["discounts"] += int(discount)
        else:
            g["refunds"] += int(amount)
            g["returns"] += int(sales)
        g["items"] += int(qty)
        g["tax"] += int(tax)
    return groups


def _sale_groups(bounds: tuple[str, str], group_sql: str, join: str = "") -> dict[Any, dict[str, Any]]:
    """Sale sums per (group, status), with items from the lines in a second pass."""
    where = f"{LIVE} AND {IN_PERIOD}"
    groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
    sql = (f"SELECT {group_sql}, s.status, COUNT(*), SUM(s.total), SUM(s.discount_total), SUM(s.tax_total)"
           f" FROM sale s {join} WHERE {where} GROUP BY 1, 2")
    for key, status, count, total, discount, tax in fetch(sql, bounds):
        g = groups[key]
        if status == "completed":
            g["sales"] += int(total)
            g["baskets"] += int(count)
            g["discounts"] += int(discount)
        else:
            g["refunds"] += int(total)
            g["returns"] += int(count)
        g["tax"] += int(tax)
    items = (f"SELECT {group_sql}, SUM({ITEMS}) FROM sale s JOIN sale_line sl ON sl.sale_id = s.id"
             f" JOIN product p ON p.id = sl.product_id {join}"
             f" WHERE {where} GROUP BY 1")
    for key, qty in fetch(items, bounds):
        groups[key]["items"] += int(qty)
    return groups


def _tender_groups(bounds: tuple[str, str]) -> dict[Any, dict[str, Any]]:
    sql = (f"SELECT pay.tender, s.status, COUNT(DISTINCT s.id), SUM(pay.amount) FROM payment pay"
           f" JOIN sale s ON s.id = pay.sale_id WHERE {LIVE} AND {IN_PERIOD} GROUP BY 1, 2")
    groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
    for tender, status, count, amount in fetch(sql, bounds):
        g = groups[tender]
        if status == "completed":
            g["sales"] += int(amount)
            g["baskets"] += int(count)
        else:
            g["refunds"] += int(amount)
            g["returns"] += int(count)
    return groups


def _totals(bounds: tuple[str, str], cats: list[int] | None) -> dict[str, Any]:
    if cats is not None:
        groups = _line_groups(bounds, "1", cats)
        # a basket with lines in two of the categories counts once: the group is the whole filter
        raw = groups.get(1, _empty())
        rounding = 0
    else:
        raw = _sale_groups(bounds, "1").get(1, _empty())
        rounding = int(fetch(f"SELECT COALESCE(SUM(s.rounding), 0) FROM sale s WHERE {LIVE} AND {IN_PERIOD}",
                             bounds)[0][0])
    return {**_finish(raw), "tax": raw["tax"], "rounding": rounding, "returns": raw["returns"]}


def _finish(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "sales": g["sales"], "refunds": g["refunds"], "net": g["sales"] + g["refunds"], "baskets": g["baskets"],
        "items": milli(g["items"]), "discounts": g["discounts"], "average_basket": money_div(g["sales"], g["baskets"]),
    }


def sales_report(
    actor: Actor, period: Period, by: str = "day", *, category: str | None = None, with_series: bool = False,
    zone: ZoneInfo | None = None,
) -> Report:
    """Sales in `period` grouped `by`; `category` narrows it to one category and its subcategories."""
    guard(actor)
    check_by(by, SALES_BY)
    zone = shop_zone(zone)
    cats = category_ids(category)
    if by in ("tender", "cashier", "lane") and cats is not None:
        raise ValidationError(f"--category works with --by product, category or a time; not with --by {by}")
    bounds = period.utc_bounds(zone)
    hourly = whole_hour_zone(zone, period)
    labels: dict[Any, str] = {}
    keys: list[Any] | None = None
    if by in TIME_GRAINS:
        bucket = bucket_sql("s.created_at", hourly)
        raw = _line_groups(bounds, bucket, cats) if cats is not None else _sale_groups(bounds, bucket)
        groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
        for b, g in raw.items():
            target = groups[grain_key(bucket_local(b, zone), by)]
            for k, v in g.items():
                target[k] += v
        keys = all_keys(period, by)
        labels = {k: grain_label(k, by) for k in keys}
    elif by in _LINE_DIMS:
        groups = _line_groups(bounds, _LINE_DIMS[by], cats)
        if by == "category":
            labels = category_labels()
        else:
            labels = {pid: f"{name} ({code})" for pid, code, name in fetch(
                f"SELECT id, barcode, name FROM product WHERE id IN {in_list([k for k in groups])}")}
    elif by == "tender":
        groups = _tender_groups(bounds)
    else:
        join = "JOIN user u ON u.id = s.cashier_id" if by == "cashier" else ""
        groups = _sale_groups(bounds, _SALE_DIMS[by], join.replace("user u", '"user" u'))
    totals = _totals(bounds, cats)
    if by == "tender":
        totals["net_tendered"] = totals["net"] + totals["rounding"]
    order = keys if keys is not None else sorted(groups, key=lambda k: (-(groups[k]["sales"] + groups[k]["refunds"]),
                                                                         str(labels.get(k, k))))
    whole = totals["net"] + (totals["rounding"] if by == "tender" else 0)
    rows = []
    for k in order:
        g = _finish(groups.get(k, _empty()))
        rows.append({"key": "" if k is None else str(k), by: labels.get(k, "" if k is None else str(k)), **g,
                     "share": percent(g["net"], whole)})
    previous = _totals(period.previous().utc_bounds(zone), cats)
    totals["net_change"] = percent(totals["net"] - previous["net"], abs(previous["net"])) if previous["net"] else None
    columns = [Column(by, by, TEXT), Column("sales", "sales", MONEY), Column("refunds", "refunds", MONEY),
               Column("net", "net", MONEY), Column("baskets", "baskets", INT)]
    if by != "tender":
        columns += [Column("items", "items", QTY), Column("discounts", "discounts", MONEY),
                    Column("average_basket", "avg basket", MONEY)]
    columns.append(Column("share", "share %", PERCENT))
    series: dict[str, tuple[tuple[str, int], ...]] = {}
    if with_series:
        series = _series(period, zone, bounds, hourly, cats, by, rows)
    notes = ("refunds subtracted, voided and training sales left out; periods are [from, to) in the shop's time",)
    if by == "tender":
        notes += ("tenders add up to net plus cash rounding",)
    return Report("sales", period, by, tuple(columns), tuple(rows), totals, previous, series, notes)


def _series(period: Period, zone: ZoneInfo, bounds: tuple[str, str], hourly: bool, cats: list[int] | None,
            by: str, rows: list[dict[str, Any]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Net by day (bars and the trend's sparkline), by hour of day, and category shares."""
    bucket = bucket_sql("s.created_at", hourly)
    raw = _line_groups(bounds, bucket, cats) if cats is not None else _sale_groups(bounds, bucket)
    days: dict[str, int] = {k: 0 for k in all_keys(period, "day")}
    hours: dict[str, int] = {k: 0 for k in all_keys(period, "hour")}
    for b, g in raw.items():
        local = bucket_local(b, zone)
        net = g["sales"] + g["refunds"]
        days[grain_key(local, "day")] = days.get(grain_key(local, "day"), 0) + net
        hours[grain_key(local, "hour")] += net
    if by == "category":
        shares = tuple((r["category"], r["net"]) for r in rows)
    else:
        labels = category_labels()
        shares = tuple(sorted(((labels.get(k, str(k)), g["sales"] + g["refunds"])
                               for k, g in _line_groups(bounds, "p.category_id", cats).items()),
                              key=lambda kv: -kv[1]))
    return {"by_day": tuple(days.items()), "by_hour": tuple(hours.items()), "category_shares": shares}
