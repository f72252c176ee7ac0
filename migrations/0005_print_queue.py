"""The print queue: each receipt is kept in the database until it has printed.

A frozen copy of the table as it was at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import CharField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class PrintJob(Base):
        lane = CharField(max_length=32)
        receipt_no = CharField(max_length=32, index=True)
        kind = CharField(max_length=8)
        name = CharField(max_length=64)
        lines = TextField()
        barcode = CharField(max_length=64, null=True)
        state = CharField(max_length=10, default="queued")
        attempts = IntegerField(default=0)
        last_error = TextField(default="")
        next_try_at = CharField(max_length=32)
        created_at = CharField(max_length=32)
        updated_at = CharField(max_length=32)
        printed_at = CharField(max_length=32, null=True)

        class Meta:
            indexes = ((("lane", "state", "next_try_at"), False),)

    db.create_tables([PrintJob])
