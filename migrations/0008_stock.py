"""Stock control: suppliers, purchase orders, stocktakes, and each product's supplier.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Product(Base):
        class Meta:
            table_name = "product"

    class Supplier(Base):
        name = CharField(max_length=64, unique=True)
        contact = CharField(max_length=128, default="")
        phone = CharField(max_length=32, default="")
        email = CharField(max_length=128, default="")
        lead_time_days = IntegerField(default=7)
        notes = TextField(default="")
        archived = BooleanField(default=False)
        created_at = CharField(max_length=32)

    class PurchaseOrder(Base):
        number = CharField(max_length=16, unique=True)
        supplier = ForeignKeyField(Supplier, on_delete="RESTRICT")
        status = CharField(max_length=10, default="draft")
        reference = CharField(max_length=64, default="")
        note = TextField(default="")
        created_by = CharField(max_length=64)
        created_at = CharField(max_length=32)
        updated_at = CharField(max_length=32)

    class PurchaseOrderLine(Base):
        order = ForeignKeyField(PurchaseOrder, on_delete="RESTRICT")
        product = ForeignKeyField(Product, on_delete="RESTRICT")
        qty_ordered = IntegerField()
        qty_received = IntegerField(default=0)
        unit_cost = IntegerField(default=0)

        class Meta:
            indexes = ((("order", "product"), True),)

    class Stocktake(Base):
        scope = CharField(max_length=128, default="")
        status = CharField(max_length=10, default="open")
        started_by = CharField(max_length=64)
        started_at = CharField(max_length=32)
        finished_by = CharField(max_length=64, default="")
        finished_at = CharField(max_length=32, null=True)
        reason = CharField(max_length=32, default="stocktake")

    class StocktakeCount(Base):
        stocktake = ForeignKeyField(Stocktake, on_delete="CASCADE")
        product = ForeignKeyField(Product, on_delete="RESTRICT")
        counted = IntegerField()
        counted_by = CharField(max_length=64)
        counted_at = CharField(max_length=32)

        class Meta:
            indexes = ((("stocktake", "product"), True),)

    db.create_tables([Supplier, PurchaseOrder, PurchaseOrderLine, Stocktake, StocktakeCount])
    # A plain ADD COLUMN: a nullable column keeps SQLite from rebuilding the
    # product table, which would drop migration 0007's search triggers.
    migrator.migrate(
        migrator.add_column("product", "supplier_id",
                            ForeignKeyField(Supplier, null=True, field=Supplier.id, on_delete="RESTRICT")),
    )
