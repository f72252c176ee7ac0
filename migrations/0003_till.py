"""The full till: cash rounding on sales, returns linked to their sale, held carts.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        pass

    class Sale(Base):
        pass

    class SaleLine(Base):
        pass

    migrator.migrate(
        migrator.add_column("sale", "rounding", IntegerField(default=0)),
        migrator.add_column("sale", "original_id", ForeignKeyField(Sale, null=True, field=Sale.id, on_delete="RESTRICT")),
        migrator.add_column("sale_line", "original_line_id",
                            ForeignKeyField(SaleLine, null=True, field=SaleLine.id, on_delete="RESTRICT")),
    )

    class HeldCart(Base):
        lane = CharField(max_length=32)
        kind = CharField(max_length=8)
        label = CharField(max_length=64, default="")
        cashier = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        payload = TextField()
        created_at = CharField(max_length=32)
        updated_at = CharField(max_length=32)

        class Meta:
            indexes = ((("lane", "kind"), False),)

    db.create_tables([HeldCart])
