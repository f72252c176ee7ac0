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
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _  # N_: column titles, translated where the Reports screen shows them
from pos_tui.services.context import Actor
from pos_tui.services.reports.common import (
    IN_PERIOD, INT, ITEMS, LINE_AMOUNT, LIVE, MONEY, PERCENT, QTY, TEXT, TOP_PRODUCTS, Column, Report,
    category_ids, category_keys, category_labels, check_top, fetch, guard, in_list, milli, money_div,
    others_label, percent, product_categories, shop_zone,
)
from pos_tui.services.reports.periods import (
    TIME_GRAINS, Period, all_keys, bucket_local, bucket_sql, grain_key, grain_label, whole_hour_zone,
)

SALES_BY = TIME_GRAINS + ("category", "product", "cashier", "lane", "tender")
_LINE_DIMS = ("category", "product")


def check_by(by: str, allowed: tuple[str, ...]) -> str:
    if by not in allowed:
        raise ValidationError(_("--by {by!r} is not one of {allowed}").format(by=by, allowed=', '.join(allowed)))
    return by


def _empty() -> dict[str, Any]:
    return {"sales": 0, "refunds": 0, "baskets": 0, "returns": 0, "items": 0, "discounts": 0, "tax": 0}


def _add(groups: dict[Any, dict[str, Any]], key: Any, status: str, amount: Any, count: Any, discount: Any = 0,
         tax: Any = 0, items: Any = 0) -> None:
    g = groups[key]
    if status == "completed":
        g["sales"] += int(amount)
        g["baskets"] += int(count)
        g["discounts"] += int(discount or 0)
    else:
        g["refunds"] += int(amount)
        g["returns"] += int(count)
    g["tax"] += int(tax or 0)
    g["items"] += int(items or 0)


class Source:
    """Where a report's sums come from: the roll-ups when they can answer, else the raw rows.

    The sale and tender roll-ups are per UTC hour, so they serve zones whose
    offsets are whole hours; the product and stock roll-ups are per shop day.
    """

    def __init__(self, period: Period, zone: ZoneInfo, cats: list[int] | None) -> None:
        from pos_tui.services.reports import rollups

        self.period, self.zone, self.cats = period, zone, cats
        self.bounds = period.utc_bounds(zone)
        self.hourly = whole_hour_zone(zone, period)
        self.days = rollups.ready(zone)
        self.hours = self.days and self.hourly
        self.hour_bounds = rollups.hour_bounds(self.bounds)
        self.day_bounds = rollups.day_bounds(period.start, period.end)

    def _cat_filter(self, column: str) -> str:
        return "" if self.cats is None else f" AND {column} IN {in_list(self.cats)}"

    def ranked_products(self, top: int) -> tuple[list[tuple[int, int]], int]:
        """(product, net) of the `top` products by net, best first, and how many products the period sold.

        Ranked in SQL on the net alone (one narrow sort), so a year's 77,000 products are never rows in
        Python. A tie across the cut brings every product of that net: the caller orders those by label.
        """
        if self.days:
            where = ("" if self.cats is None else
                     f" AND d.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(self.cats)})")
            grouped = (f"SELECT d.product_id, SUM(d.amount), COUNT(*) OVER () FROM report_product_day d"
                       f" WHERE d.day >= ? AND d.day < ?{where} GROUP BY 1")
            params, net = self.day_bounds, "SUM(d.amount)"
        else:
            grouped = (f"SELECT sl.product_id, SUM({LINE_AMOUNT}), COUNT(*) OVER () FROM sale_line sl"
                       f" JOIN sale s ON s.id = sl.sale_id JOIN product p ON p.id = sl.product_id"
                       f" WHERE {LIVE} AND {IN_PERIOD}{self._cat_filter('p.category_id')} GROUP BY 1")
            params, net = self.bounds, f"SUM({LINE_AMOUNT})"
        found = fetch(f"{grouped} ORDER BY 2 DESC LIMIT ?", (*params, top + 1))
        count = int(found[0][2]) if found else 0
        if len(found) > top and found[top][1] == found[top - 1][1]:  # tied across the cut
            found = fetch(grouped.replace(" GROUP BY 1", f" GROUP BY 1 HAVING {net} >= ?"), (*params, found[top][1]))
        return [(pid, int(value)) for pid, value, _count in found], count

    def line_groups(self, dim: str, *, raw: bool = False, only: list[int] | None = None) -> dict[Any, dict[str, Any]]:
        """Line sums per dim: "category", "product", "total" or "time" (a local moment, or a day from the roll-ups).
        `only`: just these products (per product)."""
        groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
        if self.days and not raw and dim != "product":
            # Per category (migration 0015): a year is a few thousand rows. It keeps no basket counts, and
            # these groupings show none (a basket may hold several categories).
            key = {"category": "c.category_id", "total": "1", "time": "c.day"}[dim]
            where = "" if self.cats is None else f" AND c.category_id IN {in_list(self.cats)}"
            for k, status, amount, discount, tax, items in fetch(
                    f"SELECT {key}, c.status, SUM(c.amount), SUM(c.discount), SUM(c.tax), SUM(c.items)"
                    f" FROM report_category_day c WHERE c.day >= ? AND c.day < ?{where} GROUP BY 1, 2", self.day_bounds):
                k = date.fromisoformat(k) if dim == "time" else (k or None) if dim == "category" else k
                _add(groups, k, status, amount, 0, discount, tax, items)
            return groups
        if self.days and not raw and dim == "product":
            # One row per product, sales and returns side by side, straight into its group (what _add sums):
            # a year is 77,000 products.
            where = ("" if self.cats is None else
                     f" AND d.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(self.cats)})")
            if only is not None:
                where += f" AND d.product_id IN {in_list(only)}"
            sale = "CASE WHEN d.status = 'completed' THEN d.{0} ELSE 0 END"
            back = "CASE WHEN d.status = 'completed' THEN 0 ELSE d.{0} END"
            for k, sales, baskets, discounts, refunds, returns, tax, items in fetch(
                    f"SELECT d.product_id, SUM({sale.format('amount')}), SUM({sale.format('baskets')}),"
                    f" SUM({sale.format('discount')}), SUM({back.format('amount')}), SUM({back.format('baskets')}),"
                    f" SUM(d.tax), SUM(d.items) FROM report_product_day d WHERE d.day >= ? AND d.day < ?{where}"
                    f" GROUP BY 1", self.day_bounds):
                groups[k] = {"sales": int(sales), "refunds": int(refunds), "baskets": int(baskets),
                             "returns": int(returns), "items": int(items or 0), "discounts": int(discounts or 0),
                             "tax": int(tax or 0)}
            return groups
        if self.days and not raw:
            key = {"category": "d.product_id", "product": "d.product_id", "total": "1", "time": "d.day"}[dim]
            where = ("" if self.cats is None else
                     f" AND d.product_id IN (SELECT id FROM product WHERE category_id IN {in_list(self.cats)})")
            found = fetch(
                f"SELECT {key}, d.status, SUM(d.amount), SUM(d.baskets), SUM(d.discount), SUM(d.tax), SUM(d.items)"
                f" FROM report_product_day d WHERE d.day >= ? AND d.day < ?{where} GROUP BY 1, 2", self.day_bounds)
            category = product_categories(list({row[0] for row in found})) if dim == "category" else {}
            for k, status, amount, baskets, discount, tax, items in found:
                k = date.fromisoformat(k) if dim == "time" else category.get(k) if dim == "category" else k
                _add(groups, k, status, amount, baskets, discount, tax, items)
            return groups
        key = {"category": "p.category_id", "product": "sl.product_id", "total": "1",
               "time": bucket_sql("s.created_at", self.hourly)}[dim]
        for k, status, amount, baskets, discount, tax, items in fetch(
            f"SELECT {key}, s.status, SUM({LINE_AMOUNT}), COUNT(DISTINCT s.id), SUM(sl.discount), SUM(sl.tax),"
            f" SUM({ITEMS}) FROM sale_line sl JOIN sale s ON s.id = sl.sale_id JOIN product p ON p.id = sl.product_id"
            f" WHERE {LIVE} AND {IN_PERIOD}{self._cat_filter('p.category_id')}"
            f"{'' if only is None else f' AND sl.product_id IN {in_list(only)}'} GROUP BY 1, 2", self.bounds):
            _add(groups, bucket_local(k, self.zone) if dim == "time" else k, status, amount, baskets, discount, tax,
                 items)
        return groups

    def sale_groups(self, dim: str) -> dict[Any, dict[str, Any]]:
        """Sale sums per dim: "total", "lane", "cashier" or "time" (a local moment)."""
        groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
        if self.hours:
            key = {"total": "1", "lane": "r.lane", "cashier": "u.username", "time": "r.hour"}[dim]
            join = 'JOIN "user" u ON u.id = r.cashier_id' if dim == "cashier" else ""
            for k, status, count, total, discount, tax, items in fetch(
                f"SELECT {key}, r.status, SUM(r.sales), SUM(r.total), SUM(r.discount), SUM(r.tax), SUM(r.items)"
                f" FROM report_sale_hour r {join} WHERE r.hour >= ? AND r.hour < ? GROUP BY 1, 2", self.hour_bounds):
                _add(groups, bucket_local(k, self.zone) if dim == "time" else k, status, total, count, discount, tax,
                     items)
            return groups
        key = {"total": "1", "lane": "s.lane", "cashier": "u.username",
               "time": bucket_sql("s.created_at", self.hourly)}[dim]
        join = 'JOIN "user" u ON u.id = s.cashier_id' if dim == "cashier" else ""
        where = f"{LIVE} AND {IN_PERIOD}"
        found: dict[Any, dict[str, Any]] = defaultdict(_empty)
        for k, status, count, total, discount, tax in fetch(
            f"SELECT {key}, s.status, COUNT(*), SUM(s.total), SUM(s.discount_total), SUM(s.tax_total)"
            f" FROM sale s {join} WHERE {where} GROUP BY 1, 2", self.bounds):
            _add(found, k, status, total, count, discount, tax)
        for k, qty in fetch(f"SELECT {key}, SUM({ITEMS}) FROM sale s JOIN sale_line sl ON sl.sale_id = s.id"
                            f" JOIN product p ON p.id = sl.product_id {join} WHERE {where} GROUP BY 1", self.bounds):
            found[k]["items"] += int(qty)
        for k, g in found.items():
            target = groups[bucket_local(k, self.zone) if dim == "time" else k]
            for name, value in g.items():
                target[name] += value
        return groups

    def tender_groups(self) -> dict[Any, dict[str, Any]]:
        groups: dict[Any, dict[str, Any]] = defaultdict(_empty)
        if self.hours:
            sql = ("SELECT r.tender, r.status, SUM(r.sales), SUM(r.amount) FROM report_tender_hour r"
                   " WHERE r.hour >= ? AND r.hour < ? GROUP BY 1, 2")
            params = self.hour_bounds
        else:
            sql = (f"SELECT pay.tender, s.status, COUNT(DISTINCT s.id), SUM(pay.amount) FROM payment pay"
                   f" JOIN sale s ON s.id = pay.sale_id WHERE {LIVE} AND {IN_PERIOD} GROUP BY 1, 2")
            params = self.bounds
        for tender, status, count, amount in fetch(sql, params):
            _add(groups, tender, status, amount, count)
        return groups

    def rounding(self) -> int:
        if self.hours:
            sql = "SELECT COALESCE(SUM(rounding), 0) FROM report_sale_hour WHERE hour >= ? AND hour < ?"
            params = self.hour_bounds
        else:
            sql, params = f"SELECT COALESCE(SUM(s.rounding), 0) FROM sale s WHERE {LIVE} AND {IN_PERIOD}", self.bounds
        return int(fetch(sql, params)[0][0])

    def time_groups(self, grain: str) -> dict[str, dict[str, Any]]:
        """Sums per local day, week, month, hour or weekday."""
        # Hours of one category are not rolled up (the product roll-up is per day): those come from the lines.
        raw = (self.line_groups("time", raw=grain == "hour") if self.cats is not None
               else self.sale_groups("time"))
        groups: dict[str, dict[str, Any]] = defaultdict(_empty)
        for moment, g in raw.items():
            if isinstance(moment, date) and not isinstance(moment, datetime):
                moment = datetime.combine(moment, time(12))
            target = groups[grain_key(moment, grain)]
            for name, value in g.items():
                target[name] += value
        return groups


def _totals(source: Source) -> dict[str, Any]:
    if source.cats is not None:
        raw = source.line_groups("total").get(1, _empty())
        finished = {**_finish(raw), "baskets": None, "average_basket": None}  # a basket may hold several categories
        raw["returns"] = None
        rounding = 0
    else:
        raw = source.sale_groups("total").get(1, _empty())
        finished = _finish(raw)
        rounding = source.rounding()
    return {**finished, "tax": raw["tax"], "rounding": rounding, "returns": raw["returns"]}


def _finish(g: dict[str, Any]) -> dict[str, Any]:
    return {
        "sales": g["sales"], "refunds": g["refunds"], "net": g["sales"] + g["refunds"], "baskets": g["baskets"],
        "items": milli(g["items"]), "discounts": g["discounts"], "average_basket": money_div(g["sales"], g["baskets"]),
    }


def sales_report(
    actor: Actor, period: Period, by: str = "day", *, category: str | None = None, with_series: bool = False,
    zone: ZoneInfo | None = None, top: int | None = TOP_PRODUCTS,
) -> Report:
    """Sales in `period` grouped `by`; `category` narrows it to one category and its subcategories.

    Per product, rows stop at the `top` products by net (None: every one), the rest summed in one
    "(N other products)" row; the totals count every product.
    """
    guard(actor)
    check_by(by, SALES_BY)
    check_top(top)
    zone = shop_zone(zone)
    cats = category_ids(category)
    if by in ("tender", "cashier", "lane") and cats is not None:
        raise ValidationError(_("--category works with --by product, category or a time; not with --by {by}").format(by=by))
    source = Source(period, zone, cats)
    labels: dict[Any, str] = {}
    keys: list[Any] | None = None
    others: tuple[int, dict[str, Any]] | None = None  # per product past the top: how many, and their sums
    if by in TIME_GRAINS:
        groups = source.time_groups(by)
        if cats is not None:  # a basket may hold several categories: no basket counts here
            for g in groups.values():
                g["baskets"] = None
        keys = all_keys(period, by)
        labels = {k: grain_label(k, by) for k in keys}
    elif by in _LINE_DIMS and (by == "category" or top is None):
        groups = source.line_groups(by)
        if by == "category":
            labels = category_labels()
            for g in groups.values():  # a basket may hold several categories: no basket counts here
                g["baskets"] = None
        else:
            labels = {pid: f"{name} ({code})" for pid, code, name in fetch(
                f"SELECT id, barcode, name FROM product WHERE id IN {in_list([k for k in groups])}")}
    elif by == "product":  # the first `top` products
        ranked, count = source.ranked_products(top)
        labels = {pid: f"{name} ({code})" for pid, code, name in fetch(
            f"SELECT id, barcode, name FROM product WHERE id IN {in_list([pid for pid, _net in ranked])}")}
        keys = [pid for pid, net in sorted(ranked, key=lambda r: (-r[1], labels.get(r[0], str(r[0]))))][:top]
        groups = source.line_groups("product", only=keys)
        if count > len(keys):
            rest = dict(source.line_groups("total").get(1, _empty()))  # every product, from the category roll-up
            for g in groups.values():
                for name in rest:
                    rest[name] -= g[name]
            others = (count - len(keys), rest)
    elif by == "tender":
        groups = source.tender_groups()
    else:
        groups = source.sale_groups(by)
    totals = _totals(source)
    if by == "tender":
        totals["net_tendered"] = totals["net"] + totals["rounding"]
    order = keys if keys is not None else sorted(groups, key=lambda k: (-(groups[k]["sales"] + groups[k]["refunds"]),
                                                                         str(labels.get(k, k))))
    whole = totals["net"] + (totals["rounding"] if by == "tender" else 0)
    row_keys = category_keys() if by == "category" else {}
    rows = []
    for k in order:
        g = _finish(groups[k] if k in groups else _empty())
        key = row_keys.get(k, "") if by == "category" else "" if k is None else str(k)
        rows.append({"key": key, by: labels.get(k, "" if k is None else str(k)), **g,
                     "share": percent(g["net"], whole)})
    if others is not None:  # a basket may hold several of the products summed: no basket count
        g = {**_finish(others[1]), "baskets": None, "average_basket": None}
        rows.append({"key": "", by: others_label(others[0]), **g, "share": percent(g["net"], whole)})
    previous = _totals(Source(period.previous(), zone, cats))
    totals["net_change"] = percent(totals["net"] - previous["net"], abs(previous["net"])) if previous["net"] else None
    columns = [Column(by, by, TEXT), Column("sales", N_("sales"), MONEY), Column("refunds", N_("refunds"), MONEY),
               Column("net", N_("net"), MONEY), Column("baskets", N_("baskets"), INT)]
    if by != "tender":
        columns += [Column("items", N_("items"), QTY), Column("discounts", N_("discounts"), MONEY),
                    Column("average_basket", N_("avg basket"), MONEY)]
    columns.append(Column("share", N_("share %"), PERCENT))
    series: dict[str, tuple[tuple[str, int], ...]] = {}
    if with_series:
        series = _series(source, by, rows)
    notes = ("refunds subtracted, voided and training sales left out; periods are [from, to) in the shop's time",)
    if by == "tender":
        notes += ("tenders add up to net plus cash rounding",)
    return Report("sales", period, by, tuple(columns), tuple(rows), totals, previous, series, notes)


def _series(source: Source, by: str, rows: list[dict[str, Any]]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Net by day (bars and the trend's sparkline), by hour of day (when known), and category shares."""
    # With a category the roll-ups know days, not hours: its hours come from the lines, for a month at most
    # (raw or not, so the screen gets the same series either way).
    with_hours = source.cats is None or source.period.days <= 31
    moments = (source.line_groups("time", raw=with_hours) if source.cats is not None
               else source.sale_groups("time"))
    days: dict[str, int] = defaultdict(int)
    hours: dict[str, int] = defaultdict(int)
    for moment, g in moments.items():
        net = g["sales"] + g["refunds"]
        if isinstance(moment, datetime):
            hours[grain_key(moment, "hour")] += net
        else:
            moment = datetime.combine(moment, time(12))
        days[grain_key(moment, "day")] += net
    series: dict[str, tuple[tuple[str, int], ...]] = {
        "by_day": tuple((k, days.get(k, 0)) for k in all_keys(source.period, "day"))}
    if with_hours:
        series["by_hour"] = tuple((k, hours.get(k, 0)) for k in all_keys(source.period, "hour"))
    if by == "category":
        shares = tuple((r["category"], r["net"]) for r in rows)
    else:
        labels = category_labels()
        shares = tuple(sorted(((labels.get(k, str(k)), g["sales"] + g["refunds"])
                               for k, g in source.line_groups("category").items()), key=lambda kv: -kv[1]))
    series["category_shares"] = shares
    return series
