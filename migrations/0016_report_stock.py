"""Report speed, turnover (issue 12): the catalogue's stock per category, and each product's last sale day.

report_category_stock: per category (0 for none), how many products it has, how
many hold stock (stock <> 0), their units and their value at today's cost
(thousandths x cost, rounded half up per product as the turnover report rounds
it). Triggers on product keep it exact as stock, cost or category change, in the
writer's own transaction (a sale line's stock update adds one update here and one
in report_product_state): the turnover report read all 100,000 products for
these sums, even for one day.

report_product_state: per product, its category, its last two shop days with a
sale (a 'sale' stock move; '' for none) and the value of its stock when it holds
some (NULL when none), kept by triggers on product and stock_move; a rebuild
takes the last sale days again from report_move_day (pos_tui/services/reports/
rollups.py). Dead stock (in stock, no sale in the N days before a period's
end) then reads one narrow partial index of the stocked products by value
(their count and value, and the most valuable from its top) instead of testing
all 100,000 products against the window's sales. One index, not one more by
last sale: each is one more page a sale line writes.

SQLite only, like 0010 and 0015: PostgreSQL sums the raw rows. A frozen copy
of the schema as it was at this migration; never edit it once landed: add a
new numbered migration instead.
"""


def local_day(column: str) -> str:
    return (f"date({column}, (SELECT z.offset_seconds FROM report_zone z WHERE z.from_utc <= {column}"
            f" ORDER BY z.from_utc DESC LIMIT 1) || ' seconds')")


def value(qty: str, cost: str) -> str:
    """qty thousandths x cost, rounded half away from zero with floor division (as turnover._value)."""
    def floor(x: str) -> str:
        return f"(CASE WHEN {x} >= 0 THEN ({x}) / 1000 ELSE -((999 - ({x})) / 1000) END)"

    product = f"{qty} * {cost}"
    return f"(CASE WHEN {qty} >= 0 THEN {floor(product + ' + 500')} ELSE -{floor('500 - ' + product)} END)"


_SUMS = ("products = products + excluded.products, stocked = stocked + excluded.stocked,"
         " units = units + excluded.units, value = value + excluded.value")


def _add(row: str, sign: str, products: str) -> str:
    """Add (sign '') or take away (sign '-') product `row` (OLD or NEW) in its category's stock sums."""
    return (f"INSERT INTO report_category_stock (category_id, products, stocked, units, value)"
            f" VALUES (COALESCE({row}.category_id, 0), {products}, {sign}({row}.stock <> 0), {sign}{row}.stock,"
            f" {sign}{value(f'{row}.stock', f'{row}.cost')}) ON CONFLICT (category_id) DO UPDATE SET {_SUMS};")


_DAY = local_day("NEW.created_at")
_STOCKED = f"(CASE WHEN NEW.stock > 0 THEN {value('NEW.stock', 'NEW.cost')} END)"
_EMPTY = "DELETE FROM report_category_stock WHERE category_id = COALESCE(OLD.category_id, 0) AND products = 0;"

STATEMENTS = (
    "CREATE TABLE report_category_stock (category_id INTEGER PRIMARY KEY, products INTEGER NOT NULL,"
    " stocked INTEGER NOT NULL, units INTEGER NOT NULL, value INTEGER NOT NULL)",
    "CREATE TABLE report_product_state (product_id INTEGER PRIMARY KEY, category_id INTEGER NOT NULL,"
    " last_sale TEXT NOT NULL, stocked_value INTEGER, prev_sale TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX report_product_state_value ON report_product_state (stocked_value, last_sale, category_id, prev_sale)"
    " WHERE stocked_value IS NOT NULL",
    f"CREATE TRIGGER report_stock_in AFTER INSERT ON product BEGIN {_add('NEW', '', '1')} END",
    # A sale's stock update: one upsert of the difference in the product's own category.
    f"CREATE TRIGGER report_stock_edit AFTER UPDATE OF stock, cost ON product"
    f" WHEN OLD.category_id IS NEW.category_id AND (OLD.stock IS NOT NEW.stock OR OLD.cost IS NOT NEW.cost) BEGIN"
    f" UPDATE report_category_stock SET stocked = stocked + (NEW.stock <> 0) - (OLD.stock <> 0),"
    f" units = units + NEW.stock - OLD.stock,"
    f" value = value + {value('NEW.stock', 'NEW.cost')} - {value('OLD.stock', 'OLD.cost')}"
    f" WHERE category_id = COALESCE(NEW.category_id, 0); END",
    f"CREATE TRIGGER report_stock_move AFTER UPDATE OF category_id, stock, cost ON product"
    f" WHEN OLD.category_id IS NOT NEW.category_id BEGIN {_add('OLD', '-', '-1')} {_add('NEW', '', '1')} {_EMPTY} END",
    f"CREATE TRIGGER report_stock_gone AFTER DELETE ON product BEGIN {_add('OLD', '-', '-1')} {_EMPTY} END",
    f"CREATE TRIGGER report_state_in AFTER INSERT ON product BEGIN INSERT INTO report_product_state"
    f" (product_id, category_id, last_sale, stocked_value) VALUES (NEW.id, COALESCE(NEW.category_id, 0), '', {_STOCKED}); END",
    f"CREATE TRIGGER report_state_edit AFTER UPDATE OF stock, cost, category_id ON product"
    f" WHEN OLD.stock IS NOT NEW.stock OR OLD.cost IS NOT NEW.cost OR OLD.category_id IS NOT NEW.category_id BEGIN"
    f" UPDATE report_product_state SET category_id = COALESCE(NEW.category_id, 0), stocked_value = {_STOCKED}"
    f" WHERE product_id = NEW.id; END",
    "CREATE TRIGGER report_state_gone AFTER DELETE ON product BEGIN"
    " DELETE FROM report_product_state WHERE product_id = OLD.id; END",
    # The last two sale days, whatever order the sales arrive in (an offline lane's come later).
    f"CREATE TRIGGER report_state_sale AFTER INSERT ON stock_move WHEN NEW.reason = 'sale' BEGIN"
    f" UPDATE report_product_state SET prev_sale = CASE WHEN {_DAY} > last_sale THEN last_sale ELSE {_DAY} END,"
    f" last_sale = MAX(last_sale, {_DAY}) WHERE product_id = NEW.product_id"
    f" AND ({_DAY} > last_sale OR ({_DAY} < last_sale AND {_DAY} > prev_sale)); END",
)


PREVIOUS = ("UPDATE report_product_state SET prev_sale = COALESCE((SELECT MAX(m.day) FROM report_move_day m"
            " WHERE m.product_id = report_product_state.product_id AND m.reason = 'sale'"
            " AND m.day < report_product_state.last_sale), '') WHERE last_sale <> ''")


def up(migrator, db):
    if not (db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__):
        return  # PostgreSQL sums the raw rows
    for sql in STATEMENTS:
        db.execute_sql(sql)
    db.execute_sql(
        f"INSERT INTO report_category_stock SELECT COALESCE(p.category_id, 0), COUNT(*),"
        f" COUNT(CASE WHEN p.stock <> 0 THEN 1 END), SUM(p.stock), SUM({value('p.stock', 'p.cost')})"
        f" FROM product p GROUP BY 1")
    # Last sales from the stock roll-up as it stands; when that is stale, the next report rebuilds both.
    db.execute_sql(
        f"INSERT INTO report_product_state (product_id, category_id, last_sale, stocked_value)"
        f" SELECT p.id, COALESCE(p.category_id, 0),"
        f" COALESCE((SELECT MAX(m.day) FROM report_move_day m WHERE m.product_id = p.id AND m.reason = 'sale'), ''),"
        f" CASE WHEN p.stock > 0 THEN {value('p.stock', 'p.cost')} END FROM product p")
    db.execute_sql(PREVIOUS)
