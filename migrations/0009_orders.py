"""Customers' addresses and delivery orders: lines, timeline, payments, and the message outbox.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Customer(Base):
        class Meta:
            table_name = "customer"

    class Product(Base):
        class Meta:
            table_name = "product"

    class Sale(Base):
        class Meta:
            table_name = "sale"

    class Shift(Base):
        class Meta:
            table_name = "shift"

    class CustomerAddress(Base):
        customer = ForeignKeyField(Customer, on_delete="RESTRICT")
        label = CharField(max_length=32, default="")
        recipient = CharField(max_length=128, default="")
        phone = CharField(max_length=32, default="")
        street = TextField(default="")
        city = CharField(max_length=64, default="")
        postcode = CharField(max_length=16, default="")
        is_default = BooleanField(default=False)
        created_at = CharField(max_length=32)

    class DeliveryOrder(Base):
        number = CharField(max_length=16, unique=True)
        lane = CharField(max_length=32, default="")
        customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
        sale = ForeignKeyField(Sale, null=True, on_delete="RESTRICT")
        status = CharField(max_length=16, default="draft", index=True)
        fulfilment = CharField(max_length=10, default="delivery")
        payment = CharField(max_length=12, default="paid")
        subtotal = IntegerField(default=0)
        discount_total = IntegerField(default=0)
        tax_total = IntegerField(default=0)
        total = IntegerField(default=0)
        paid = IntegerField(default=0)
        prices_include_tax = BooleanField(default=True)
        review_rule = CharField(max_length=128, default="")
        reviewed_by = CharField(max_length=64, default="")
        review_note = TextField(default="")
        recipient = CharField(max_length=128, default="")
        recipient_phone = CharField(max_length=32, default="")
        address = TextField(default="")
        carrier = CharField(max_length=32, default="")
        service = CharField(max_length=32, default="")
        tracking_number = CharField(max_length=64, default="", index=True)
        expected_date = CharField(max_length=10, null=True, index=True)
        shipping_cost = IntegerField(default=0)
        note = TextField(default="")
        created_by = CharField(max_length=64)
        created_at = CharField(max_length=32, index=True)
        updated_at = CharField(max_length=32)
        shipped_at = CharField(max_length=32, null=True)
        delivered_at = CharField(max_length=32, null=True)

    class OrderLine(Base):
        order = ForeignKeyField(DeliveryOrder, on_delete="RESTRICT")
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
        tax = IntegerField(default=0)
        total = IntegerField()

    class OrderEvent(Base):
        order = ForeignKeyField(DeliveryOrder, on_delete="RESTRICT")
        status_from = CharField(max_length=16, default="")
        status_to = CharField(max_length=16)
        username = CharField(max_length=64, default="")
        os_user = CharField(max_length=64, default="")
        note = TextField(default="")
        source = CharField(max_length=32, default="")
        created_at = CharField(max_length=32, index=True)

    class OrderPayment(Base):
        order = ForeignKeyField(DeliveryOrder, on_delete="RESTRICT")
        shift = ForeignKeyField(Shift, null=True, on_delete="RESTRICT")
        lane = CharField(max_length=32, default="")
        tender = CharField(max_length=16)
        amount = IntegerField()
        tendered = IntegerField()
        change = IntegerField(default=0)
        reference = CharField(max_length=64, default="")
        username = CharField(max_length=64, default="")
        created_at = CharField(max_length=32)

    class OutboxMessage(Base):
        order = ForeignKeyField(DeliveryOrder, null=True, on_delete="RESTRICT")
        customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
        event = CharField(max_length=32)
        channel = CharField(max_length=16)
        recipient = CharField(max_length=128)
        text = TextField()
        state = CharField(max_length=10, default="queued")
        attempts = IntegerField(default=0)
        last_error = TextField(default="")
        next_try_at = CharField(max_length=32)
        created_at = CharField(max_length=32)
        sent_at = CharField(max_length=32, null=True)

        class Meta:
            indexes = ((("state", "next_try_at"), False),)

    db.create_tables([CustomerAddress, DeliveryOrder, OrderLine, OrderEvent, OrderPayment, OutboxMessage])
