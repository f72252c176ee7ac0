"""Report speed, a year's turnover (issue 12): each product's sales and stock moves per day, in product order.

report_product_flow: per product and shop day, the units sold net of returns
(thousandths) and their cost (qty x unit cost, as report_product_day sums them
over its statuses) and the stock moved (every reason, as report_move_day sums
them over its reasons). Keyed by (product_id, day): a year's turnover reads
each product's days from its period start in one pass in product order, next
to the product row, where it grouped a year of report_move_day and of
report_product_day (420,000 rows each) in two sorts, then joined both to the
products through automatic indexes (1.5 s of a 1.0 s budget).

Kept by one trigger on sale_line and one on stock_move, in the writer's own
transaction like 0010's (a sale line adds one upsert, its stock move a second
on the same row); an edit or delete of those rows marks the roll-ups stale as
before, and the rebuild (pos_tui/services/reports/rollups.py) sums this table
again from the two day roll-ups. A bulk write of stock moves (the product
import) sets the move trigger aside with 0010's and adds the same sums set-wise.

SQLite only, like 0010, 0015 and 0016: PostgreSQL sums the raw rows. A frozen
copy of the schema as it was at this migration; never edit it once landed: add
a new numbered migration instead.
"""

LIVE = "s.status IN ('completed', 'return') AND NOT s.training"


def local_day(column: str) -> str:
    return (f"date({column}, (SELECT z.offset_seconds FROM report_zone z WHERE z.from_utc <= {column}"
            f" ORDER BY z.from_utc DESC LIMIT 1) || ' seconds')")


STATEMENTS = (
    "CREATE TABLE report_product_flow (product_id INTEGER NOT NULL, day TEXT NOT NULL, qty INTEGER NOT NULL,"
    " cost INTEGER NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (product_id, day)) WITHOUT ROWID",
    f"CREATE TRIGGER report_flow_line AFTER INSERT ON sale_line BEGIN"
    f" INSERT INTO report_product_flow (product_id, day, qty, cost, delta) SELECT NEW.product_id,"
    f" {local_day('s.created_at')}, NEW.qty, NEW.qty * NEW.unit_cost, 0 FROM sale s WHERE s.id = NEW.sale_id AND {LIVE}"
    f" ON CONFLICT (product_id, day) DO UPDATE SET qty = qty + excluded.qty, cost = cost + excluded.cost; END",
    f"CREATE TRIGGER report_flow_move AFTER INSERT ON stock_move BEGIN"
    f" INSERT INTO report_product_flow (product_id, day, qty, cost, delta) VALUES (NEW.product_id,"
    f" {local_day('NEW.created_at')}, 0, 0, NEW.delta)"
    f" ON CONFLICT (product_id, day) DO UPDATE SET delta = delta + excluded.delta; END",
)

# From the two day roll-ups as they stand; when those are stale, the next report rebuilds all of them.
FILL = ("INSERT INTO report_product_flow (product_id, day, qty, cost, delta)"
        " SELECT product_id, day, SUM(qty), SUM(cost), SUM(delta) FROM"
        " (SELECT product_id, day, qty, cost, 0 AS delta FROM report_product_day"
        " UNION ALL SELECT product_id, day, 0, 0, delta FROM report_move_day) GROUP BY product_id, day")


def up(migrator, db):
    if not (db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__):
        return  # PostgreSQL sums the raw rows
    for sql in STATEMENTS:
        db.execute_sql(sql)
    db.execute_sql(FILL)
