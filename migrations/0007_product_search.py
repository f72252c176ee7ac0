"""Product search at the till: a trigram index over product names (SQLite only).

The till's F2 search must answer within 20 ms at 100,000 products. LIKE
'%term%' reads every name; an FTS5 trigram index finds the names holding a
term of 3+ characters from its index, and an index on the name without case
lets a frequent term walk the names in order and stop at a page. Triggers
keep the index in step with every insert, rename and delete, whatever writes
them. On PostgreSQL (or a SQLite without FTS5) this adds nothing and search
falls back to LIKE, so the code works there unchanged.

Never edit once landed: add a new numbered migration instead.
"""

from peewee import SqliteDatabase

STATEMENTS_INDEX = ("CREATE INDEX product_name_nocase ON product (name COLLATE NOCASE)",)

STATEMENTS_FTS = (
    "CREATE VIRTUAL TABLE product_search USING fts5("
    "name, content='product', content_rowid='id', tokenize='trigram')",
    "INSERT INTO product_search (product_search) VALUES ('rebuild')",
    "CREATE TRIGGER product_search_insert AFTER INSERT ON product BEGIN "
    "INSERT INTO product_search (rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON product BEGIN "
    "INSERT INTO product_search (product_search, rowid, name) VALUES ('delete', old.id, old.name); END",
    "CREATE TRIGGER product_search_rename AFTER UPDATE OF id, name ON product BEGIN "
    "INSERT INTO product_search (product_search, rowid, name) VALUES ('delete', old.id, old.name); "
    "INSERT INTO product_search (rowid, name) VALUES (new.id, new.name); END",
)


def _sqlite(db) -> SqliteDatabase | None:
    real = getattr(db, "obj", db)  # the models' DatabaseProxy or the database itself
    return real if isinstance(real, SqliteDatabase) else None


def _has_fts5(db: SqliteDatabase) -> bool:
    options = {row[0] for row in db.execute_sql("PRAGMA compile_options").fetchall()}
    return "ENABLE_FTS5" in options


def up(migrator, db):
    sqlite = _sqlite(db)
    if sqlite is None:
        return
    for sql in STATEMENTS_INDEX + (STATEMENTS_FTS if _has_fts5(sqlite) else ()):
        sqlite.execute_sql(sql)
