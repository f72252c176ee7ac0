"""Sales, their lines and payments.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, Model


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Stand-ins for the tables 0001 created, so the foreign keys can name them.
    class User(Base):
        pass

    class Customer(Base):
        pass

    class Product(Base):
        pass

    class Sale(Base):
        receipt_no = CharField(max_length=32, unique=True)
        lane = CharField(max_length=32)
        cashier = ForeignKeyField(User, on_delete="RESTRICT")
        customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
        created_at = CharField(max_length=32, index=True)
        subtotal = IntegerField()
        discount_total = IntegerField(default=0)
        tax_total = IntegerField()
        total = IntegerField()
        status = CharField(max_length=16, default="completed")
        training = BooleanField(default=False)
        prices_include_tax = BooleanField(default=True)

    class SaleLine(Base):
        sale = ForeignKeyField(Sale, on_delete="RESTRICT")
        position = IntegerField()
        product = ForeignKeyField(Product, on_delete="RESTRICT")
        barcode = CharField(max_length=14)
        name = CharField(max_length=128)
        qty = IntegerField()
        unit_price = IntegerField()
        unit_cost = IntegerField(default=0)
        discount = IntegerField(default=0)
        tax_class = CharField(max_length=32)
        tax_rate = CharField(max_length=16)
        tax = IntegerField()
        total = IntegerField()

    class Payment(Base):
        sale = ForeignKeyField(Sale, on_delete="RESTRICT")
        tender = CharField(max_length=16)
        amount = IntegerField()
        tendered = IntegerField()
        change = IntegerField(default=0)
        reference = CharField(max_length=64, default="")

    db.create_tables([Sale, SaleLine, Payment])
