"""Customer behaviour: who comes back, how often, how much, and what they buy together.

Only sales with a customer attached count here (a till sale without one is
anonymous). A purchase is a completed sale; returns subtract from spend.

    new             first purchase ever falls in the period; returning: bought before it too
    repeat rate     customers with 2+ purchases in the period / customers with 1+, in %
    frequency       purchases / customers
    average basket  customers' sales / their purchases

RFM, scored 1-5 as of the period's end, for customers who bought in the period:
    R (days since last purchase)  <=7: 5, <=30: 4, <=90: 3, <=180: 2, else 1
    F (purchases in the period)   >=20: 5, >=10: 4, >=5: 3, >=2: 2, 1: 1
    M (net spend in the period)   >=1000.00: 5, >=500.00: 4, >=200.00: 3, >=50.00: 2, else 1
Segments, first rule that matches: champions R>=4 F>=4 M>=4; loyal F>=4; new F=1 R>=4;
at risk R<=2 F>=3; lost R=1; promising R>=3; needs attention otherwise.

Pairs: two products in the same completed basket (any customer or none), in the
period's last PAIR_DAYS days at most (recent baskets, and a year stays within a second).
count = baskets with both; lift = count x baskets / (baskets with A x baskets with B);
above 1 they go together more often than chance. Pairs are looked for among the
PAIR_PRODUCTS products in the most baskets, and shown from MIN_PAIR_COUNT baskets up.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import combinations, groupby
from typing import Any
from zoneinfo import ZoneInfo

from pos_tui.i18n import N_  # column titles: translated where the Reports screen shows them
from pos_tui.services.context import Actor
from pos_tui.services.reports import rollups
from pos_tui.services.reports.common import (
    IN_PERIOD, INT, LINE_AMOUNT, LIVE, MONEY, PERCENT, TEXT, Column, Report, fetch, guard, in_list, money_div,
    percent, ratio, shop_zone,
)
from pos_tui.services.reports.periods import Period, local_midnight

R_CUTS = ((7, 5), (30, 4), (90, 3), (180, 2))
F_CUTS = ((20, 5), (10, 4), (5, 3), (2, 2))
M_CUTS = ((100000, 5), (50000, 4), (20000, 3), (5000, 2))
SEGMENTS = ("champions", "loyal", "new", "at risk", "lost", "promising", "needs attention")
PAIR_PRODUCTS = 100
PAIR_DAYS = 90
MIN_PAIR_COUNT = 2
TOP_CUSTOMERS = 20


def r_score(days: int) -> int:
    return next((score for cut, score in R_CUTS if days <= cut), 1)


def f_score(purchases: int) -> int:
    return next((score for cut, score in F_CUTS if purchases >= cut), 1)


def m_score(spend: int) -> int:
    return next((score for cut, score in M_CUTS if spend >= cut), 1)


def segment(r: int, f: int, m: int) -> str:
    if r >= 4 and f >= 4 and m >= 4:
        return "champions"
    if f >= 4:
        return "loyal"
    if f == 1 and r >= 4:
        return "new"
    if r <= 2 and f >= 3:
        return "at risk"
    if r == 1:
        return "lost"
    if r >= 3:
        return "promising"
    return "needs attention"


def customers_report(actor: Actor, period: Period, *, zone: ZoneInfo | None = None, top: int = TOP_CUSTOMERS) -> Report:
    """Totals (new, returning, repeat rate...), top customers as rows; RFM segments and pairs as sections."""
    guard(actor)
    zone = shop_zone(zone)
    bounds = period.utc_bounds(zone)
    per: dict[int, dict[str, Any]] = defaultdict(lambda: {"purchases": 0, "sales": 0, "refunds": 0, "last": ""})
    for cid, status, count, total, last in fetch(
        f"SELECT s.customer_id, s.status, COUNT(*), SUM(s.total), MAX(s.created_at) FROM sale s"
        f" WHERE {LIVE} AND {IN_PERIOD} AND s.customer_id IS NOT NULL GROUP BY 1, 2", bounds):
        c = per[cid]
        if status == "completed":
            c["purchases"] += int(count)
            c["sales"] += int(total)
            c["last"] = max(c["last"], last)
        else:
            c["refunds"] += int(total)
    buyers = [cid for cid, c in per.items() if c["purchases"]]
    before = {cid for (cid,) in fetch(
        f"SELECT DISTINCT s.customer_id FROM sale s WHERE s.status = 'completed' AND NOT s.training"
        f" AND s.created_at < ? AND s.customer_id IN {in_list(buyers)}", (bounds[0],))} if buyers else set()
    names = {cid: name for cid, name in fetch(
        f"SELECT id, name FROM customer WHERE id IN {in_list(list(per))}")} if per else {}
    purchases = sum(per[c]["purchases"] for c in buyers)
    sales = sum(per[c]["sales"] for c in buyers)
    totals = {
        "customers": len(buyers), "new": len([c for c in buyers if c not in before]),
        "returning": len([c for c in buyers if c in before]),
        "repeat_rate": percent(len([c for c in buyers if per[c]["purchases"] >= 2]), len(buyers)),
        "frequency": ratio(purchases, len(buyers)), "purchases": purchases, "sales": sales,
        "refunds": sum(c["refunds"] for c in per.values()),
        "average_basket": money_div(sales, purchases),
        "average_spend": money_div(sales + sum(per[c]["refunds"] for c in buyers), len(buyers)),
    }
    end = local_midnight(period.end, zone)
    scored = []
    for cid in buyers:
        c = per[cid]
        days = (end.date() - datetime.fromisoformat(c["last"]).astimezone(zone).date()).days
        net = c["sales"] + c["refunds"]
        r, f, m = r_score(days), f_score(c["purchases"]), m_score(net)
        scored.append({"key": str(cid), "customer": names.get(cid, str(cid)), "purchases": c["purchases"],
                       "net": net, "average_basket": money_div(c["sales"], c["purchases"]),
                       "last_purchase": datetime.fromisoformat(c["last"]).astimezone(zone).date().isoformat(),
                       "days_since": days, "r": r, "f": f, "m": m, "rfm": f"{r}{f}{m}", "segment": segment(r, f, m)})
    scored.sort(key=lambda row: (-row["net"], row["customer"]))
    columns = (Column("customer", N_("customer")), Column("purchases", N_("purchases"), INT),
               Column("net", N_("net spend"), MONEY),
               Column("average_basket", N_("avg basket"), MONEY), Column("last_purchase", N_("last purchase")),
               Column("rfm", N_("RFM")), Column("segment", N_("segment")))
    recent = Period(max(period.start, period.end - timedelta(days=PAIR_DAYS)), period.end)
    sections = {"segments": _segments(period, scored), "pairs": _pairs(recent, recent.utc_bounds(zone), zone)}
    return Report("customers", period, "customer", columns, tuple(scored[:top]), totals, sections=sections,
                  notes=("only sales with a customer attached; RFM cut-offs and segments: see `pos report --help`",))


def _segments(period: Period, scored: list[dict[str, Any]]) -> Report:
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in SEGMENTS}
    for row in scored:
        groups[row["segment"]].append(row)
    rows = tuple({"key": name, "segment": name, "customers": len(g), "share": percent(len(g), len(scored)),
                  "net": sum(r["net"] for r in g)} for name, g in groups.items())
    columns = (Column("segment", N_("segment")), Column("customers", N_("customers"), INT),
               Column("share", N_("share %"), PERCENT), Column("net", N_("net spend"), MONEY))
    return Report("segments", period, "segment", columns, rows, {"customers": len(scored)})


def _pairs(period: Period, bounds: tuple[str, str], zone: ZoneInfo) -> Report:
    """Products bought together, among the products in the most baskets."""
    baskets = int(fetch(f"SELECT COUNT(*) FROM sale s WHERE {LIVE} AND {IN_PERIOD} AND s.status = 'completed'",
                        bounds)[0][0])
    if rollups.ready(zone):  # baskets per product, straight from the day roll-ups
        counts = dict(fetch(
            f"SELECT d.product_id, SUM(d.baskets) FROM report_product_day d WHERE d.status = 'completed'"
            f" AND d.day >= ? AND d.day < ? GROUP BY +d.product_id ORDER BY 2 DESC, 1 LIMIT {PAIR_PRODUCTS}",
            rollups.day_bounds(period.start, period.end)))
    else:
        counts = dict(fetch(
            f"SELECT sl.product_id, COUNT(DISTINCT sl.sale_id) FROM sale_line sl JOIN sale s ON s.id = sl.sale_id"
            f" WHERE {LIVE} AND {IN_PERIOD} AND s.status = 'completed' GROUP BY 1 ORDER BY 2 DESC, 1"
            f" LIMIT {PAIR_PRODUCTS}", bounds))
    rows: list[dict[str, Any]] = []
    if counts:
        # The period's sales first, then their lines (CROSS JOIN fixes that order in SQLite; "+" keeps the
        # product index out): walking the top products' lines over all time took 0.6 s for a day.
        # Pairs are counted here: a self-join of the lines costs more than the lines themselves.
        found: Counter[tuple[int, int]] = Counter()
        for _, basket in groupby(fetch(
                f"SELECT DISTINCT sl.sale_id, sl.product_id FROM sale s CROSS JOIN sale_line sl WHERE sl.sale_id = s.id"
                f" AND {LIVE} AND {IN_PERIOD} AND s.status = 'completed' AND +sl.product_id IN {in_list(list(counts))}"
                f" ORDER BY 1, 2", bounds), key=lambda line: line[0]):
            found.update(combinations([pid for _, pid in basket], 2))
        names = {pid: name for pid, name in fetch(f"SELECT id, name FROM product WHERE id IN {in_list(list(counts))}")}
        for (a, b), n in found.items():
            if n < MIN_PAIR_COUNT:
                continue
            rows.append({"key": f"{a}-{b}", "product_a": names[a], "product_b": names[b], "count": int(n),
                         "lift": ratio(Decimal(n) * baskets, counts[a] * counts[b])})
    rows.sort(key=lambda r: (-r["count"], -(r["lift"] or 0), r["product_a"], r["product_b"]))
    columns = (Column("product_a", N_("product")), Column("product_b", N_("bought with")),
               Column("count", N_("baskets"), INT),
               Column("lift", N_("lift"), "ratio"))
    return Report("pairs", period, "pair", columns, tuple(rows[:50]), {"baskets": baskets})
