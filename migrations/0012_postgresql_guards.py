"""On PostgreSQL, the guards 0004 and 0006 give a SQLite store: the audit log refuses edits and
deletes, and a closed shift never changes nor takes new cash or sales.

SQLite's triggers raise in their WHEN clause; PostgreSQL's need a function,
and a WHEN clause without subqueries. The refusal is an integrity error with
the same message on both, so the code above the database sees no difference.
On SQLite this adds nothing.

Never edit once landed: add a new numbered migration instead.
"""

FUNCTIONS = (
    "CREATE FUNCTION pos_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'integrity_constraint_violation'; END $$",
    "CREATE FUNCTION pos_refuse_closed_shift() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.shift_id IS NOT NULL AND (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL THEN "
    "RAISE EXCEPTION USING MESSAGE = 'a closed shift never changes', ERRCODE = 'integrity_constraint_violation'; "
    "END IF; RETURN NEW; END $$",
)

APPEND_ONLY = "EXECUTE FUNCTION pos_refuse('the audit log is append-only')"
CLOSED = "EXECUTE FUNCTION pos_refuse('a closed shift never changes')"

TRIGGERS = (
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW {APPEND_ONLY}",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW {APPEND_ONLY}",
    f"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT {APPEND_ONLY}",
    f"CREATE TRIGGER shift_closed_no_update BEFORE UPDATE ON shift FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL) {CLOSED}",
    f"CREATE TRIGGER shift_closed_no_delete BEFORE DELETE ON shift FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL) {CLOSED}",
    "CREATE TRIGGER cash_movement_closed_shift BEFORE INSERT ON cash_movement FOR EACH ROW "
    "EXECUTE FUNCTION pos_refuse_closed_shift()",
    "CREATE TRIGGER sale_closed_shift BEFORE INSERT ON sale FOR EACH ROW EXECUTE FUNCTION pos_refuse_closed_shift()",
)


def up(migrator, db):
    if db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__:
        return  # 0004 and 0006 made these as SQLite triggers
    for sql in FUNCTIONS + TRIGGERS:
        db.execute_sql(sql)
