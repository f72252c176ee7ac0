"""Turnover of a long period summed in SQL, with an object only for each product shown.

A year sells most of the catalogue (77,000 of 100,000 products): an object per
product, its values and the slow-mover test in Python took most of a second.
Here one statement works out each product's figures (stock at the start and
end, units sold, COGS, values at today's cost, rounded per product as
turnover._value rounds) and returns what the report shows: the totals, the
first `top` products by COGS or every category's sums, and the slow movers'
count, value and most valuable. The figures are those of turnover.py's own
path (tests/services/reports/test_rollups.py compares them with the raw rows').

Read from the roll-ups (SQLite): each product's sales and stock moves per day in
product order (report_product_flow, migration 0017), so a year is one pass
beside the products, with no sort of a year's rows; a large catalogue in two
halves by product id at once, on two connections (the second on a thread of
its own), added up here. A tie across a cut gives None, and the caller takes the
object path, which orders the tied ones by label.
"""

from __future__ import annotations

from typing import Any

from pos_tui.services.reports import rollups
from pos_tui.services.reports.beside import Beside, parallel_ok
from pos_tui.services.reports.common import category_keys, fetch, in_list, others_label
from pos_tui.services.reports.periods import Period
from pos_tui.services.reports.turnover import (
    _SLOW_TENTHS, _Item, _parts, _row, slow_report,
)

_SLOW = f"f.sold > 0 AND f.at_end > 0 AND (2001 * f.sold + f.at_end) / (2 * (f.sold + f.at_end)) < {_SLOW_TENTHS}"


def _figures(period: Period, cats: list[int] | None, half: bool = False) -> tuple[str, tuple]:
    """WITH ... f: each product that counts in a row (sold, or stock then or now), its figures and values.

    One pass over the products in id order beside each one's days since the period's start in
    report_product_flow (migration 0017, keyed by product and day): the groups come in order, so there is
    no sort, no automatic index and no table of sums to join. ?1 is the period's end, ?2 its start: numbered,
    so an aggregate written twice is the same expression, and SQLite computes it once. `half`: only the ids
    from ?3 up to ?4, given after them."""
    where = ([] if cats is None else [f"p.category_id IN {in_list(cats)}"]) + (["p.id >= ?3 AND p.id < ?4"] if half else [])
    in_cats = " WHERE " + " AND ".join(where) if where else ""
    at_start = "(p.stock - COALESCE(SUM(t.delta), 0))"
    at_end = "(p.stock - COALESCE(SUM(CASE WHEN t.day >= ?1 THEN t.delta END), 0))"
    sold = "COALESCE(SUM(CASE WHEN t.day < ?1 THEN t.qty END), 0)"
    cogs = "COALESCE(SUM(CASE WHEN t.day < ?1 THEN t.cost END), 0)"

    def value(qty: str) -> str:
        return rollups.value_sql(qty, "p.cost")

    first, end = rollups.day_bounds(period.start, period.end)
    return (f"WITH f AS (SELECT p.id, p.category_id, p.cost, p.stock AS now, {at_start} AS at_start,"
            f" {at_end} AS at_end, {sold} AS sold, {cogs} AS cogs, {value('p.stock')} AS v_now,"
            f" {value(at_start)} AS v_start, {value(at_end)} AS v_end, {rollups.value_sql(cogs, '1')} AS rc"
            f" FROM product p LEFT JOIN report_product_flow t ON t.product_id = p.id AND t.day >= ?2{in_cats}"
            f" GROUP BY p.id HAVING {sold} <> 0 OR {at_start} <> 0 OR {at_end} <> 0 OR p.stock <> 0)", (end, first))


def _labelled(found: list[tuple]) -> dict[int, str]:
    return {pid: f"{name} ({code})" for pid, code, name in fetch(
        f"SELECT id, barcode, name FROM product WHERE id IN {in_list([row[1] for row in found])}")}


SPLIT_AT = 20_000  # products: a catalogue this large is summed in two halves at once, on two cores


def _halves(cats: list[int] | None) -> list[tuple[int, int]] | None:
    """Two ranges of product ids with about half the products each, when the catalogue is large, the
    machine has a second core and the store is a file another connection can read; else None.
    Split at the middle id: products are archived, never deleted, so ids run without many gaps (and the
    whole catalogue's span comes from two seeks; counting 100,000 products took 20 ms)."""
    if not parallel_ok():
        return None
    if cats is None:
        (first, last), = fetch("SELECT (SELECT MIN(id) FROM product), (SELECT MAX(id) FROM product)")  # a seek each
        count = 0 if first is None else last - first + 1
    else:
        (count, first, last), = fetch(f"SELECT COUNT(*), MIN(id), MAX(id) FROM product WHERE category_id IN {in_list(cats)}")
    if count < SPLIT_AT:
        return None
    middle = (first + last + 1) // 2
    return [(first, middle), (middle, last + 1)]


def _found(sql: str, params: tuple, halves: list[tuple[int, int]] | None) -> list[tuple]:
    """The statement's rows: at once, or per half (its ids as ?3 and ?4), the second on another connection."""
    if halves is None:
        return fetch(sql, params)
    other = Beside(fetch, sql, (*params, *halves[1]))
    return fetch(sql, (*params, *halves[0])) + other.result()


def _merged(kinds: dict[str, list[tuple]]) -> None:
    """The halves' totals added into one row, and their categories' sums per category (in place)."""
    if len(kinds["w"]) > 1:
        kinds["w"] = [("w", *(sum(int(v or 0) for v in column) for column in zip(*(row[1:] for row in kinds["w"]))))]
    categories: dict[Any, list[int]] = {}
    for _c, cat, *sums in kinds["c"]:
        sums = [int(v or 0) for v in sums]
        categories[cat] = [a + b for a, b in zip(categories[cat], sums)] if cat in categories else sums
    kinds["c"] = [("c", cat, *sums) for cat, sums in categories.items()]


def summed(period: Period, cats: list[int] | None, by: str, top: int,
           labels: dict[int | None, str]) -> tuple[list[dict[str, Any]], dict[str, Any], Any] | None:
    """(rows, totals, the slow movers' report); None when products tie across a cut.

    A large catalogue is summed in two halves by product id at once, each its totals, categories and first
    `top` + 1 (so the first `top` + 1 of both are among them), added and ranked here."""
    halves = _halves(cats)
    figures, params = _figures(period, cats, halves is not None)
    # 10 columns each: what, then its figures; the totals with the slow movers' count and value, in one scan of f
    parts = [f"SELECT 'w', COUNT(*), SUM(cogs), SUM(v_start), SUM(v_end), SUM(sold), SUM(at_end), SUM(v_now),"
             f" COUNT(*) FILTER (WHERE {_SLOW}), SUM(v_now) FILTER (WHERE {_SLOW}) FROM f",
             f"SELECT * FROM (SELECT 'S', id, v_now, sold, at_start, at_end, now, cost, category_id, cogs FROM f"
             f" WHERE {_SLOW} ORDER BY v_now DESC LIMIT {top + 1})"]
    if by == "product":
        parts.append(f"SELECT * FROM (SELECT 't', id, rc, sold, at_start, at_end, now, cost, category_id, cogs FROM f"
                     f" ORDER BY rc DESC LIMIT {top + 1})")
    else:
        parts.append("SELECT 'c', category_id, COUNT(*), SUM(cogs), SUM(v_start), SUM(v_end), SUM(sold), SUM(at_end),"
                     " SUM(v_now), NULL FROM f GROUP BY category_id")
    kinds: dict[str, list[tuple]] = {"w": [], "S": [], "t": [], "c": []}
    for row in _found(f"{figures} " + " UNION ALL ".join(parts), params, halves):
        kinds[row[0]].append(row)
    _merged(kinds)
    (_w, every, *whole_row, slow_count, slow_worth), = kinds["w"]
    every = int(every)
    whole = tuple(int(v or 0) for v in whole_row)
    ranked = {kind: sorted(kinds[kind], key=lambda row: -int(row[2])) for kind in ("S", "t")}
    if any(len(rows) > top and int(rows[top][2]) == int(rows[top - 1][2]) for rows in ranked.values()):
        return None  # the tied ones are ordered by label: the object path does that
    names = _labelled(ranked["S"] + ranked["t"])

    def item(row: tuple) -> _Item:
        _kind, pid, _rank, sold, at_start, at_end, now, cost, cat, cogs = row
        return _Item(pid, names.get(pid, str(pid)), cat, int(cost), int(now), int(at_start), int(at_end), int(sold),
                     int(cogs))

    worth = {row[1]: int(row[2]) for row in ranked["S"]}
    slow_shown = sorted((item(row) for row in ranked["S"]), key=lambda i: (-worth[i.pid], i.label))[:top]
    slow = slow_report(period, slow_shown, int(slow_worth or 0), int(slow_count))
    days = period.days
    if by == "product":
        rank = {row[1]: int(row[2]) for row in ranked["t"]}
        shown = sorted((item(row) for row in ranked["t"]), key=lambda i: (-rank[i.pid], i.label))[:top]
        rows = [{"key": str(i.pid), **_row(i.label, days, *_parts([i]))} for i in shown]
        if len(shown) < every:
            others = [a - b for a, b in zip(whole, _parts(shown))]
            rows.append({"key": "", **_row(others_label(every - len(shown)), days, *others)})
    else:
        row_keys = category_keys()
        rows = [{"key": row_keys.get(cat, ""), **_row(labels.get(cat, str(cat)), days, *(int(v or 0) for v in sums[1:7]))}
                for _c, cat, *sums in kinds["c"] if int(sums[0])]
        rows.sort(key=lambda r: (-r["cogs"], r["label"]))
    return rows, _row("total", days, *whole), slow
