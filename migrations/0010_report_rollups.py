"""Report roll-ups: sums per hour and per shop day, kept by triggers in each sale's own transaction.

A year of raw sale lines cannot be summed within a second, so four small
tables hold the sums the reports read (SQLite only: a PostgreSQL store sums
the raw rows). Triggers add each new sale, line, payment and stock move
into them inside the writer's transaction (one upsert each); an edit or
delete of those rows marks the roll-ups stale, and the next report rebuilds
them from the raw rows (pos_tui/services/reports/rollups.py). The shop's day
comes from report_zone: the UTC offsets of the shop's time zone, in force from
each moment on; a change of zone rebuilds too.

A frozen copy of the schema as it was at this migration; never edit it once
landed: add a new numbered migration instead.
"""

LIVE = "s.status IN ('completed', 'return') AND NOT s.training"


def local_day(column: str) -> str:
    return (f"date({column}, (SELECT z.offset_seconds FROM report_zone z WHERE z.from_utc <= {column}"
            f" ORDER BY z.from_utc DESC LIMIT 1) || ' seconds')")


TABLES = (
    "CREATE TABLE report_rollup (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE report_zone (from_utc TEXT PRIMARY KEY, offset_seconds INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE report_sale_hour (hour TEXT NOT NULL, lane TEXT NOT NULL, cashier_id INTEGER NOT NULL,"
    " status TEXT NOT NULL, sales INTEGER NOT NULL, total INTEGER NOT NULL, discount INTEGER NOT NULL,"
    " tax INTEGER NOT NULL, rounding INTEGER NOT NULL, items INTEGER NOT NULL,"
    " PRIMARY KEY (hour, lane, cashier_id, status)) WITHOUT ROWID",
    "CREATE TABLE report_tender_hour (hour TEXT NOT NULL, tender TEXT NOT NULL, status TEXT NOT NULL,"
    " sales INTEGER NOT NULL, amount INTEGER NOT NULL, PRIMARY KEY (hour, tender, status)) WITHOUT ROWID",
    "CREATE TABLE report_product_day (day TEXT NOT NULL, product_id INTEGER NOT NULL, status TEXT NOT NULL,"
    " baskets INTEGER NOT NULL, qty INTEGER NOT NULL, items INTEGER NOT NULL, amount INTEGER NOT NULL,"
    " revenue INTEGER NOT NULL, discount INTEGER NOT NULL, tax INTEGER NOT NULL, cost INTEGER NOT NULL,"
    " PRIMARY KEY (day, product_id, status)) WITHOUT ROWID",
    "CREATE TABLE report_move_day (day TEXT NOT NULL, product_id INTEGER NOT NULL, reason TEXT NOT NULL,"
    " delta INTEGER NOT NULL, loss INTEGER NOT NULL, PRIMARY KEY (day, product_id, reason)) WITHOUT ROWID",
    "CREATE INDEX report_move_day_product ON report_move_day (product_id, reason, day)",
)

_ITEMS = ("CASE WHEN (SELECT p.unit FROM product p WHERE p.id = NEW.product_id) <> 'kg' THEN NEW.qty"
          " WHEN NEW.qty < 0 THEN -1000 ELSE 1000 END")
_STALE = "UPDATE report_rollup SET value = '1' WHERE key = 'stale';"

TRIGGERS = (
    f"CREATE TRIGGER report_sale_in AFTER INSERT ON sale WHEN NEW.status IN ('completed', 'return') AND NOT NEW.training"
    f" BEGIN INSERT INTO report_sale_hour VALUES (substr(NEW.created_at, 1, 13), NEW.lane, NEW.cashier_id, NEW.status,"
    f" 1, NEW.total, NEW.discount_total, NEW.tax_total, NEW.rounding, 0)"
    f" ON CONFLICT (hour, lane, cashier_id, status) DO UPDATE SET sales = sales + 1, total = total + excluded.total,"
    f" discount = discount + excluded.discount, tax = tax + excluded.tax, rounding = rounding + excluded.rounding; END",
    f"CREATE TRIGGER report_line_in AFTER INSERT ON sale_line BEGIN"
    f" UPDATE report_sale_hour SET items = items + {_ITEMS} WHERE (hour, lane, cashier_id, status) ="
    f" (SELECT substr(s.created_at, 1, 13), s.lane, s.cashier_id, s.status FROM sale s WHERE s.id = NEW.sale_id AND {LIVE});"
    f" INSERT INTO report_product_day SELECT {local_day('s.created_at')}, NEW.product_id, s.status,"
    f" CASE WHEN EXISTS (SELECT 1 FROM sale_line x WHERE x.sale_id = NEW.sale_id AND x.product_id = NEW.product_id"
    f" AND x.id < NEW.id) THEN 0 ELSE 1 END, NEW.qty, {_ITEMS},"
    f" NEW.total + CASE WHEN s.prices_include_tax THEN 0 ELSE NEW.tax END,"
    f" NEW.total - CASE WHEN s.prices_include_tax THEN NEW.tax ELSE 0 END,"
    f" CASE WHEN s.status = 'completed' THEN NEW.discount ELSE 0 END, NEW.tax, NEW.qty * NEW.unit_cost"
    f" FROM sale s WHERE s.id = NEW.sale_id AND {LIVE}"
    f" ON CONFLICT (day, product_id, status) DO UPDATE SET baskets = baskets + excluded.baskets,"
    f" qty = qty + excluded.qty, items = items + excluded.items, amount = amount + excluded.amount,"
    f" revenue = revenue + excluded.revenue, discount = discount + excluded.discount, tax = tax + excluded.tax,"
    f" cost = cost + excluded.cost; END",
    f"CREATE TRIGGER report_payment_in AFTER INSERT ON payment BEGIN"
    f" INSERT INTO report_tender_hour SELECT substr(s.created_at, 1, 13), NEW.tender, s.status,"
    f" CASE WHEN EXISTS (SELECT 1 FROM payment x WHERE x.sale_id = NEW.sale_id AND x.tender = NEW.tender"
    f" AND x.id < NEW.id) THEN 0 ELSE 1 END, NEW.amount FROM sale s WHERE s.id = NEW.sale_id AND {LIVE}"
    f" ON CONFLICT (hour, tender, status) DO UPDATE SET sales = sales + excluded.sales,"
    f" amount = amount + excluded.amount; END",
    f"CREATE TRIGGER report_move_in AFTER INSERT ON stock_move BEGIN"
    f" INSERT INTO report_move_day VALUES ({local_day('NEW.created_at')}, NEW.product_id, NEW.reason, NEW.delta,"
    f" MIN(NEW.delta, 0)) ON CONFLICT (day, product_id, reason) DO UPDATE SET delta = delta + excluded.delta,"
    f" loss = loss + excluded.loss; END",
    f"CREATE TRIGGER report_sale_edit AFTER UPDATE OF status, training, created_at, total, discount_total, tax_total,"
    f" rounding, lane, cashier_id, prices_include_tax ON sale BEGIN {_STALE} END",
    f"CREATE TRIGGER report_sale_gone AFTER DELETE ON sale BEGIN {_STALE} END",
    f"CREATE TRIGGER report_line_edit AFTER UPDATE ON sale_line BEGIN {_STALE} END",
    f"CREATE TRIGGER report_line_gone AFTER DELETE ON sale_line BEGIN {_STALE} END",
    f"CREATE TRIGGER report_payment_edit AFTER UPDATE ON payment BEGIN {_STALE} END",
    f"CREATE TRIGGER report_payment_gone AFTER DELETE ON payment BEGIN {_STALE} END",
    f"CREATE TRIGGER report_move_edit AFTER UPDATE ON stock_move BEGIN {_STALE} END",
    f"CREATE TRIGGER report_move_gone AFTER DELETE ON stock_move BEGIN {_STALE} END",
    f"CREATE TRIGGER report_unit_edit AFTER UPDATE OF unit ON product WHEN OLD.unit IS NOT NEW.unit"
    f" BEGIN {_STALE} END",
)


def up(migrator, db):
    if not (db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__):
        return  # PostgreSQL sums the raw rows
    for sql in TABLES + TRIGGERS:
        db.execute_sql(sql)
    # Stale until the first report builds them for the shop's zone.
    db.execute_sql("INSERT INTO report_rollup (key, value) VALUES ('stale', '1'), ('zone', '')")
    db.execute_sql("INSERT INTO report_zone (from_utc, offset_seconds) VALUES ('0000', 0)")
