"""Shifts and cash control: the lane's shift, its cash in and out, and each sale's shift.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Shift(Base):
        lane = CharField(max_length=32)
        number = IntegerField()
        opened_by = CharField(max_length=64)
        opened_at = CharField(max_length=32)
        float_amount = IntegerField()
        float_counts = TextField(default="{}")
        closed_by = CharField(max_length=64, default="")
        closed_at = CharField(max_length=32, null=True)
        counted = IntegerField(null=True)
        counts = TextField(default="{}")
        expected = IntegerField(null=True)
        over_short = IntegerField(null=True)
        approver = CharField(max_length=64, default="")
        note = TextField(default="")
        batch_totals = TextField(default="{}")
        z_report = TextField(null=True)

        class Meta:
            indexes = ((("lane", "number"), True),)

    # At most one open shift per lane, kept by the database itself.
    Shift.add_index(Shift.index(Shift.lane, unique=True, name="shift_one_open_per_lane").where(
        Shift.closed_at.is_null()))

    class CashMovement(Base):
        shift = ForeignKeyField(Shift, on_delete="RESTRICT")
        kind = CharField(max_length=10)
        amount = IntegerField()
        reason = CharField(max_length=64)
        note = TextField(default="")
        user = CharField(max_length=64)
        approver = CharField(max_length=64, default="")
        created_at = CharField(max_length=32)

    db.create_tables([Shift, CashMovement])
    migrator.migrate(
        migrator.add_column("sale", "shift_id", ForeignKeyField(Shift, null=True, field=Shift.id, on_delete="RESTRICT")),
    )

    # A closed shift never changes: the database refuses edits to it, and new cash or sales on it.
    if db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__:
        db.execute_sql(
            "CREATE TRIGGER shift_closed_no_update BEFORE UPDATE ON shift WHEN OLD.closed_at IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END"
        )
        db.execute_sql(
            "CREATE TRIGGER shift_closed_no_delete BEFORE DELETE ON shift WHEN OLD.closed_at IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END"
        )
        db.execute_sql(
            "CREATE TRIGGER cash_movement_closed_shift BEFORE INSERT ON cash_movement "
            "WHEN (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END"
        )
        db.execute_sql(
            "CREATE TRIGGER sale_closed_shift BEFORE INSERT ON sale "
            "WHEN NEW.shift_id IS NOT NULL AND (SELECT closed_at FROM shift WHERE id = NEW.shift_id) IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'a closed shift never changes'); END"
        )
