"""Report speed at 1,000,000 sale lines (issue 12): sales per category and day, and two indexes.

report_category_day: the sale lines per shop day, category and status, kept
by a trigger in each sale's own transaction like the roll-ups of 0010 (which
are per product: a year of them is 77,000 products to add up for ten
categories). A line counts under the category its product has when the line is
written; moving a product to another category moves its sums with it, from
report_product_day, in the same statement that moves it. Products without a
category count under 0 (a key column cannot hold NULL here). An edit or delete
of a sale or line marks the roll-ups stale as before, and the rebuild
(pos_tui/services/reports/rollups.py) rebuilds this table too.

report_product_stock: every product's stock and cost in category order, a
narrow index the turnover report sums instead of reading the wide product rows.

report_move_day_reason: the stock roll-up by reason and day, so a year's
shrinkage (damage, theft…) reads those few rows, not a year of sales.

SQLite only, like 0010: PostgreSQL sums the raw rows. A frozen copy of the
schema as it was at this migration; never edit it once landed: add a new
numbered migration instead.
"""

LIVE = "s.status IN ('completed', 'return') AND NOT s.training"


def local_day(column: str) -> str:
    return (f"date({column}, (SELECT z.offset_seconds FROM report_zone z WHERE z.from_utc <= {column}"
            f" ORDER BY z.from_utc DESC LIMIT 1) || ' seconds')")


_ITEMS = ("CASE WHEN (SELECT p.unit FROM product p WHERE p.id = NEW.product_id) <> 'kg' THEN NEW.qty"
          " WHEN NEW.qty < 0 THEN -1000 ELSE 1000 END")
_SUMS = ("qty = qty + excluded.qty, items = items + excluded.items, amount = amount + excluded.amount,"
         " revenue = revenue + excluded.revenue, discount = discount + excluded.discount, tax = tax + excluded.tax,"
         " cost = cost + excluded.cost")
_COLUMNS = "day, category_id, status, qty, items, amount, revenue, discount, tax, cost"


def _move(category: str, sign: str) -> str:
    """Add (sign '') or take away (sign '-') the product's day sums under `category`."""
    return (f"INSERT INTO report_category_day ({_COLUMNS}) SELECT d.day, COALESCE({category}, 0), d.status,"
            f" {sign}d.qty, {sign}d.items, {sign}d.amount, {sign}d.revenue, {sign}d.discount, {sign}d.tax, {sign}d.cost"
            f" FROM report_product_day d WHERE d.product_id = NEW.id AND true"
            f" ON CONFLICT (day, category_id, status) DO UPDATE SET {_SUMS};")


STATEMENTS = (
    "CREATE INDEX report_product_stock ON product (category_id, stock, cost)",
    "CREATE INDEX report_move_day_reason ON report_move_day (reason, day)",
    "CREATE TABLE report_category_day (day TEXT NOT NULL, category_id INTEGER NOT NULL, status TEXT NOT NULL,"
    " qty INTEGER NOT NULL, items INTEGER NOT NULL, amount INTEGER NOT NULL, revenue INTEGER NOT NULL,"
    " discount INTEGER NOT NULL, tax INTEGER NOT NULL, cost INTEGER NOT NULL,"
    " PRIMARY KEY (day, category_id, status)) WITHOUT ROWID",
    f"CREATE TRIGGER report_category_line_in AFTER INSERT ON sale_line BEGIN"
    f" INSERT INTO report_category_day ({_COLUMNS}) SELECT {local_day('s.created_at')},"
    f" COALESCE((SELECT p.category_id FROM product p WHERE p.id = NEW.product_id), 0), s.status, NEW.qty, {_ITEMS},"
    f" NEW.total + CASE WHEN s.prices_include_tax THEN 0 ELSE NEW.tax END,"
    f" NEW.total - CASE WHEN s.prices_include_tax THEN NEW.tax ELSE 0 END,"
    f" CASE WHEN s.status = 'completed' THEN NEW.discount ELSE 0 END, NEW.tax, NEW.qty * NEW.unit_cost"
    f" FROM sale s WHERE s.id = NEW.sale_id AND {LIVE}"
    f" ON CONFLICT (day, category_id, status) DO UPDATE SET {_SUMS}; END",
    f"CREATE TRIGGER report_category_product_move AFTER UPDATE OF category_id ON product"
    f" WHEN OLD.category_id IS NOT NEW.category_id BEGIN {_move('OLD.category_id', '-')} {_move('NEW.category_id', '')}"
    f" DELETE FROM report_category_day WHERE category_id = COALESCE(OLD.category_id, 0) AND qty = 0 AND items = 0"
    f" AND amount = 0 AND revenue = 0 AND discount = 0 AND tax = 0 AND cost = 0; END",  # nothing left: as a rebuild
)


def up(migrator, db):
    if not (db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__):
        return  # PostgreSQL sums the raw rows
    for sql in STATEMENTS:
        db.execute_sql(sql)
    db.execute_sql("UPDATE report_rollup SET value = '1' WHERE key = 'stale'")  # the next report fills the new table
