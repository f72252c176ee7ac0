"""The owner's reports: sales, inventory turnover, customer behaviour and cost control.

For the CLI and the Reports screen alike (compute in a worker: a year takes up to a second):

    period = periods.make_period("2026-11-01", "2026-12-01")   # [from, to) in the shop's days
    r = sales.sales_report(actor, period, "day", with_series=True)
    r = sales.sales_report(actor, period, "product", category="Dairy")  # drill-down from a category row
    r = turnover.turnover_report(actor, period, "product", dead_days=90)
    r = customers.customers_report(actor, period)
    r = costs.costs_report(actor, period, "category")

Each returns a `common.Report`: `columns` (key, title, kind: money = int minor units,
qty/ratio/percent = Decimal, int, text), `rows` (dicts by column key, plus "key": the
group's id, e.g. a category id to drill into), `totals`, `previous` (sales: the same
totals for the period just before), `series` (sales with_series: "by_day" and "by_hour"
bars / trend, "category_shares"), `sections` (further tables: slow movers and dead stock,
RFM segments and pairs, shrinkage and shifts) and `notes` (what the figures mean).
Every function checks report.view itself. Sums come from the roll-ups (rollups.py,
migration 0010) when they can answer, else from the raw rows: the same numbers either way.
"""
