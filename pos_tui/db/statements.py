"""Fixed SQL for the sale commit's hot path, written once with `?` marks and double-quoted
names; run through bulk.dialect_sql, which gives each dialect its own form (cached).

Peewee builds a query's SQL anew on every call; for the dozen small statements of a
sale that cost more than SQLite took to run them.
"""

# The lane's open shift (the partial unique index `shift_one_open_per_lane`).
OPEN_SHIFT = 'SELECT "id" FROM "shift" WHERE "lane" = ? AND "closed_at" IS NULL'

# Bump the lane's receipt counter and hand it back: the counter row stays locked until the
# sale commits, so two tills on one lane (on PostgreSQL) take turns and never share a number.
BUMP_COUNTER = ('INSERT INTO "setting" ("key", "value") VALUES (?, \'1\') ON CONFLICT ("key") DO UPDATE'
                ' SET "value" = CAST(CAST("setting"."value" AS INTEGER) + 1 AS TEXT)')
RETURNING_VALUE = ' RETURNING "value"'  # PostgreSQL, SQLite from 3.35
READ_SETTING = 'SELECT "value" FROM "setting" WHERE "key" = ?'

# The lane's open (autosaved) cart, cleared by the transaction that makes it a sale.
CLEAR_HELD = 'DELETE FROM "held_cart" WHERE "lane" = ? AND "kind" = ?'

# The audit chain's last link.
LAST_AUDIT_HASH = 'SELECT "hash" FROM "audit_log" ORDER BY "id" DESC LIMIT 1'
