"""Users, catalogue, customers, stock moves, audit and settings.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        username = CharField(max_length=64, unique=True)
        full_name = CharField(max_length=128, default="")
        role = CharField(max_length=32)
        password_hash = CharField(max_length=255)
        disabled = BooleanField(default=False)
        failed_logins = IntegerField(default=0)
        locked_until = CharField(max_length=32, null=True)
        created_at = CharField(max_length=32)

    class Category(Base):
        name = CharField(max_length=64, unique=True)
        parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")

    class Tag(Base):
        name = CharField(max_length=64, unique=True)

    class Product(Base):
        barcode = CharField(max_length=14, unique=True)
        name = CharField(max_length=128, index=True)
        price = IntegerField()
        cost = IntegerField(default=0)
        tax_class = CharField(max_length=32, default="standard")
        unit = CharField(max_length=8, default="each")
        category = ForeignKeyField(Category, null=True, on_delete="RESTRICT")
        stock = IntegerField(default=0)
        reorder_level = IntegerField(default=0)
        archived = BooleanField(default=False)
        created_at = CharField(max_length=32)
        updated_at = CharField(max_length=32)

    class ProductTag(Base):
        product = ForeignKeyField(Product, on_delete="CASCADE")
        tag = ForeignKeyField(Tag, on_delete="RESTRICT")

        class Meta:
            indexes = ((("product", "tag"), True),)

    class Customer(Base):
        name = CharField(max_length=128, index=True)
        phone = CharField(max_length=32, default="", index=True)
        email = CharField(max_length=128, default="")
        loyalty_code = CharField(max_length=32, null=True, unique=True)
        notes = TextField(default="")
        created_at = CharField(max_length=32)

    class StockMove(Base):
        product = ForeignKeyField(Product, on_delete="RESTRICT")
        delta = IntegerField()
        reason = CharField(max_length=32)
        reference = CharField(max_length=64, default="")
        user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        os_user = CharField(max_length=64, default="")
        created_at = CharField(max_length=32, index=True)

    class AuditLog(Base):
        created_at = CharField(max_length=32, index=True)
        action = CharField(max_length=64, index=True)
        username = CharField(max_length=64, default="")
        os_user = CharField(max_length=64, default="")
        target = CharField(max_length=128, default="")
        details = TextField(default="{}")
        prev_hash = CharField(max_length=64, default="")
        hash = CharField(max_length=64, default="")

    class Setting(Base):
        key = CharField(max_length=128, primary_key=True)
        value = TextField()

    db.create_tables([User, Category, Tag, Product, ProductTag, Customer, StockMove, AuditLog, Setting])
