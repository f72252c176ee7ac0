"""The store's tables.

Money columns are integer minor units (cents); quantities are QtyField
(thousandths); times are UTC. Rows that reports or the audit depend on are
never deleted: products are archived, sales are voided by status.
"""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from pos_tui.db.fields import QtyField, UtcDateTimeField, utc_now
from pos_tui.db.routing import RoutedProxy

database = RoutedProxy()  # a DatabaseProxy a thread may route elsewhere (offline lanes)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=128, default="")
    role = CharField(max_length=32)
    password_hash = CharField(max_length=255)
    disabled = BooleanField(default=False)
    failed_logins = IntegerField(default=0)
    locked_until = UtcDateTimeField(null=True)
    created_at = UtcDateTimeField(default=utc_now)
    # Every login of this user is in training mode (migration 0011; the default keeps older rows live).
    training = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])
    language = CharField(max_length=16, null=True)  # the till's language for them (0013); NULL: the store's locale


class Role(BaseModel):
    """A named set of permissions; users.role names one."""

    name = CharField(max_length=32, primary_key=True)
    description = CharField(max_length=128, default="")
    builtin = BooleanField(default=False)


class RolePermission(BaseModel):
    role = ForeignKeyField(Role, field=Role.name, backref="grants", on_delete="CASCADE", column_name="role")
    permission = CharField(max_length=64)

    class Meta:
        indexes = ((("role", "permission"), True),)


class Category(BaseModel):
    name = CharField(max_length=64, unique=True)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")


class Tag(BaseModel):
    name = CharField(max_length=64, unique=True)


class Product(BaseModel):
    barcode = CharField(max_length=14, unique=True)
    name = CharField(max_length=128, index=True)
    price = IntegerField()
    cost = IntegerField(default=0)
    tax_class = CharField(max_length=32, default="standard")
    unit = CharField(max_length=8, default="each")
    category = ForeignKeyField(Category, null=True, backref="products", on_delete="RESTRICT")
    stock = QtyField(default=0)
    reorder_level = QtyField(default=0)
    archived = BooleanField(default=False)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)


class ProductTag(BaseModel):
    product = ForeignKeyField(Product, backref="product_tags", on_delete="CASCADE")
    tag = ForeignKeyField(Tag, backref="product_tags", on_delete="RESTRICT")

    class Meta:
        indexes = ((("product", "tag"), True),)


class Customer(BaseModel):
    name = CharField(max_length=128, index=True)
    phone = CharField(max_length=32, default="", index=True)
    email = CharField(max_length=128, default="")
    loyalty_code = CharField(max_length=32, null=True, unique=True)
    notes = TextField(default="")
    created_at = UtcDateTimeField(default=utc_now)


class StockMove(BaseModel):
    product = ForeignKeyField(Product, backref="stock_moves", on_delete="RESTRICT")
    delta = QtyField()
    reason = CharField(max_length=32)
    reference = CharField(max_length=64, default="")
    user = ForeignKeyField(User, null=True, backref="stock_moves", on_delete="RESTRICT")
    os_user = CharField(max_length=64, default="")
    created_at = UtcDateTimeField(default=utc_now, index=True)


class AuditLog(BaseModel):
    created_at = UtcDateTimeField(default=utc_now, index=True)
    action = CharField(max_length=64, index=True)
    username = CharField(max_length=64, default="")
    os_user = CharField(max_length=64, default="")
    target = CharField(max_length=128, default="")
    details = TextField(default="{}")
    prev_hash = CharField(max_length=64, default="")
    hash = CharField(max_length=64, default="")


class Setting(BaseModel):
    key = CharField(max_length=128, primary_key=True)
    value = TextField()


class Sale(BaseModel):
    receipt_no = CharField(max_length=32, unique=True)
    lane = CharField(max_length=32)
    cashier = ForeignKeyField(User, backref="sales", on_delete="RESTRICT")
    customer = ForeignKeyField(Customer, null=True, backref="sales", on_delete="RESTRICT")
    created_at = UtcDateTimeField(default=utc_now, index=True)
    subtotal = IntegerField()
    discount_total = IntegerField(default=0)
    tax_total = IntegerField()
    total = IntegerField()
    status = CharField(max_length=16, default="completed")
    training = BooleanField(default=False)
    prices_include_tax = BooleanField(default=True)
    rounding = IntegerField(default=0)  # cash rounding: payments = total + rounding
    original = ForeignKeyField("self", null=True, backref="returns", on_delete="RESTRICT")


class SaleLine(BaseModel):
    sale = ForeignKeyField(Sale, backref="lines", on_delete="RESTRICT")
    position = IntegerField()
    product = ForeignKeyField(Product, backref="sale_lines", on_delete="RESTRICT")
    barcode = CharField(max_length=14)
    name = CharField(max_length=128)
    qty = QtyField()
    unit_price = IntegerField()
    unit_cost = IntegerField(default=0)
    discount = IntegerField(default=0)
    tax_class = CharField(max_length=32)
    tax_rate = CharField(max_length=16)
    tax = IntegerField()
    total = IntegerField()
    original_line = ForeignKeyField("self", null=True, backref="returned_by", on_delete="RESTRICT")


class Payment(BaseModel):
    sale = ForeignKeyField(Sale, backref="payments", on_delete="RESTRICT")
    tender = CharField(max_length=16)
    amount = IntegerField()
    tendered = IntegerField()
    change = IntegerField(default=0)
    reference = CharField(max_length=64, default="")


class HeldCart(BaseModel):
    """A cart not yet paid: the lane's open cart (saved as it changes) or a parked one."""

    lane = CharField(max_length=32)
    kind = CharField(max_length=8)  # open | parked
    label = CharField(max_length=64, default="")
    cashier = ForeignKeyField(User, null=True, backref="held_carts", on_delete="RESTRICT")
    payload = TextField()
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)

    class Meta:
        indexes = ((("lane", "kind"), False),)


class PrintJob(BaseModel):
    """A receipt for the printer, kept until printed: a broken printer never loses one.

    state: queued -> printing -> done, or failed (retried at next_try_at).
    """

    lane = CharField(max_length=32)
    receipt_no = CharField(max_length=32, index=True)
    kind = CharField(max_length=8)  # receipt | copy | report | label | slip
    name = CharField(max_length=64)
    lines = TextField()  # JSON list of the laid-out lines
    barcode = CharField(max_length=64, null=True)
    state = CharField(max_length=10, default="queued")
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_try_at = UtcDateTimeField(default=utc_now)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)
    printed_at = UtcDateTimeField(null=True)

    class Meta:
        indexes = ((("lane", "state", "next_try_at"), False),)


ALL_MODELS: list[type[BaseModel]] = [
    User, Role, RolePermission, Category, Tag, Product, ProductTag, Customer, StockMove, AuditLog,
    Setting, Sale, SaleLine, Payment, HeldCart,
    PrintJob,
]


# -- shifts and cash control (migration 0006) ----------------------------------
class Shift(BaseModel):
    """A lane's trading session: the float counted in, the cash counted out, the Z report.

    People are named by username (the shell's owner by OS user). Once closed
    a row never changes (SQLite triggers refuse it); `z_report` is the text
    exactly as printed, so a reprint is byte for byte the same.
    """

    lane = CharField(max_length=32)
    number = IntegerField()  # the Z number: 1, 2, 3 ... per lane, no gaps
    opened_by = CharField(max_length=64)
    opened_at = UtcDateTimeField(default=utc_now)
    float_amount = IntegerField()
    float_counts = TextField(default="{}")  # JSON {"5.00": 3, ...}
    closed_by = CharField(max_length=64, default="")
    closed_at = UtcDateTimeField(null=True)
    counted = IntegerField(null=True)
    counts = TextField(default="{}")
    expected = IntegerField(null=True)
    over_short = IntegerField(null=True)  # counted - expected
    approver = CharField(max_length=64, default="")
    note = TextField(default="")
    batch_totals = TextField(default="{}")  # JSON {"card": 12345}: the terminal's own totals as typed
    z_report = TextField(null=True)

    class Meta:
        indexes = ((("lane", "number"), True),)


# At most one open shift per lane, kept by the database itself (a partial unique index).
Shift.add_index(Shift.index(Shift.lane, unique=True, name="shift_one_open_per_lane").where(Shift.closed_at.is_null()))


class CashMovement(BaseModel):
    """Cash paid into or out of the drawer during a shift (kind: paid_in | paid_out | safe_drop)."""

    shift = ForeignKeyField(Shift, backref="cash_movements", on_delete="RESTRICT")
    kind = CharField(max_length=10)
    amount = IntegerField()
    reason = CharField(max_length=64)
    note = TextField(default="")
    user = CharField(max_length=64)
    approver = CharField(max_length=64, default="")
    created_at = UtcDateTimeField(default=utc_now)


# The shift a sale was rung up in (older sales have none).
Sale._meta.add_field("shift", ForeignKeyField(Shift, null=True, backref="sales", on_delete="RESTRICT"))

ALL_MODELS += [Shift, CashMovement]


# -- stock control (migration 0008) ---------------------------------------------
class Supplier(BaseModel):
    """Who a shop buys from; `lead_time_days` feeds the reorder suggestion."""

    name = CharField(max_length=64, unique=True)
    contact = CharField(max_length=128, default="")
    phone = CharField(max_length=32, default="")
    email = CharField(max_length=128, default="")
    lead_time_days = IntegerField(default=7)
    notes = TextField(default="")
    archived = BooleanField(default=False)
    created_at = UtcDateTimeField(default=utc_now)


class PurchaseOrder(BaseModel):
    """An order to a supplier. status: draft -> ordered -> partial -> received, or cancelled."""

    number = CharField(max_length=16, unique=True)  # PO-000001
    supplier = ForeignKeyField(Supplier, backref="orders", on_delete="RESTRICT")
    status = CharField(max_length=10, default="draft")
    reference = CharField(max_length=64, default="")
    note = TextField(default="")
    created_by = CharField(max_length=64)
    created_at = UtcDateTimeField(default=utc_now)
    updated_at = UtcDateTimeField(default=utc_now)


class PurchaseOrderLine(BaseModel):
    order = ForeignKeyField(PurchaseOrder, backref="lines", on_delete="RESTRICT")
    product = ForeignKeyField(Product, backref="order_lines", on_delete="RESTRICT")
    qty_ordered = QtyField()
    qty_received = QtyField(default=0)
    unit_cost = IntegerField(default=0)

    class Meta:
        indexes = ((("order", "product"), True),)


class Stocktake(BaseModel):
    """A count of the shelves, whole shop or a section (`scope`: "" or a category name).

    status: open -> applied (its variances written as stock moves) or cancelled.
    """

    scope = CharField(max_length=128, default="")
    status = CharField(max_length=10, default="open")
    started_by = CharField(max_length=64)
    started_at = UtcDateTimeField(default=utc_now)
    finished_by = CharField(max_length=64, default="")
    finished_at = UtcDateTimeField(null=True)
    reason = CharField(max_length=32, default="stocktake")


class StocktakeCount(BaseModel):
    """What was counted of one product in a stocktake (a recount replaces it)."""

    stocktake = ForeignKeyField(Stocktake, backref="counts", on_delete="CASCADE")
    product = ForeignKeyField(Product, backref="stocktake_counts", on_delete="RESTRICT")
    counted = QtyField()
    counted_by = CharField(max_length=64)
    counted_at = UtcDateTimeField(default=utc_now)

    class Meta:
        indexes = ((("stocktake", "product"), True),)


# The supplier a product is usually bought from (optional).
Product._meta.add_field("supplier", ForeignKeyField(Supplier, null=True, backref="products", on_delete="RESTRICT"))

ALL_MODELS += [Supplier, PurchaseOrder, PurchaseOrderLine, Stocktake, StocktakeCount]


# -- customers' addresses and delivery orders (migration 0009) -------------------
class CustomerAddress(BaseModel):
    customer = ForeignKeyField(Customer, backref="addresses", on_delete="RESTRICT")
    label = CharField(max_length=32, default="")  # home, work ...
    recipient = CharField(max_length=128, default="")
    phone = CharField(max_length=32, default="")
    street = TextField(default="")  # one or more lines
    city = CharField(max_length=64, default="")
    postcode = CharField(max_length=16, default="")
    is_default = BooleanField(default=False)
    created_at = UtcDateTimeField(default=utc_now)


class DeliveryOrder(BaseModel):
    """An order for delivery or pickup.

    status: draft, pending_review, approved, packed, shipped, delivered,
    cancelled, returned (every change an OrderEvent). fulfilment: delivery |
    pickup. payment: paid | deposit | on_delivery; `paid` is what has been
    taken so far. The delivery fields are copies, so a later change to the
    customer's address never rewrites an order's history.
    """

    number = CharField(max_length=16, unique=True)  # ORD-000001
    lane = CharField(max_length=32, default="")
    customer = ForeignKeyField(Customer, null=True, backref="orders", on_delete="RESTRICT")
    sale = ForeignKeyField(Sale, null=True, backref="orders", on_delete="RESTRICT")
    status = CharField(max_length=16, default="draft", index=True)
    fulfilment = CharField(max_length=10, default="delivery")
    payment = CharField(max_length=12, default="paid")
    subtotal = IntegerField(default=0)
    discount_total = IntegerField(default=0)
    tax_total = IntegerField(default=0)
    total = IntegerField(default=0)
    paid = IntegerField(default=0)
    prices_include_tax = BooleanField(default=True)
    review_rule = CharField(max_length=128, default="")  # the rule that sent it to review, or approved it
    reviewed_by = CharField(max_length=64, default="")
    review_note = TextField(default="")
    recipient = CharField(max_length=128, default="")
    recipient_phone = CharField(max_length=32, default="")
    address = TextField(default="")
    carrier = CharField(max_length=32, default="")
    service = CharField(max_length=32, default="")
    tracking_number = CharField(max_length=64, default="", index=True)
    expected_date = CharField(max_length=10, null=True, index=True)  # ISO date in the shop's zone
    shipping_cost = IntegerField(default=0)
    note = TextField(default="")
    created_by = CharField(max_length=64)
    created_at = UtcDateTimeField(default=utc_now, index=True)
    updated_at = UtcDateTimeField(default=utc_now)
    shipped_at = UtcDateTimeField(null=True)
    delivered_at = UtcDateTimeField(null=True)


class OrderLine(BaseModel):
    order = ForeignKeyField(DeliveryOrder, backref="lines", on_delete="RESTRICT")
    position = IntegerField()
    product = ForeignKeyField(Product, backref="order_lines_sold", on_delete="RESTRICT")
    barcode = CharField(max_length=14)
    name = CharField(max_length=128)
    qty = QtyField()
    unit_price = IntegerField()
    unit_cost = IntegerField(default=0)
    discount = IntegerField(default=0)
    tax_class = CharField(max_length=32)
    tax_rate = CharField(max_length=16)
    tax = IntegerField(default=0)
    total = IntegerField()


class OrderEvent(BaseModel):
    """One step of an order's timeline: who moved it from which status to which, when, and why."""

    order = ForeignKeyField(DeliveryOrder, backref="events", on_delete="RESTRICT")
    status_from = CharField(max_length=16, default="")
    status_to = CharField(max_length=16)
    username = CharField(max_length=64, default="")
    os_user = CharField(max_length=64, default="")
    note = TextField(default="")
    source = CharField(max_length=32, default="")  # till, cli, track-import ...
    created_at = UtcDateTimeField(default=utc_now, index=True)


class OrderPayment(BaseModel):
    """Money taken for an order (in full, a deposit, or on delivery), in the shift it was taken."""

    order = ForeignKeyField(DeliveryOrder, backref="payments", on_delete="RESTRICT")
    shift = ForeignKeyField(Shift, null=True, backref="order_payments", on_delete="RESTRICT")
    lane = CharField(max_length=32, default="")
    tender = CharField(max_length=16)
    amount = IntegerField()
    tendered = IntegerField()
    change = IntegerField(default=0)
    reference = CharField(max_length=64, default="")
    username = CharField(max_length=64, default="")
    created_at = UtcDateTimeField(default=utc_now)


class OutboxMessage(BaseModel):
    """A message to a customer, kept until `notify.command` has sent it. state: queued | sent | failed."""

    order = ForeignKeyField(DeliveryOrder, null=True, backref="messages", on_delete="RESTRICT")
    customer = ForeignKeyField(Customer, null=True, backref="messages", on_delete="RESTRICT")
    event = CharField(max_length=32)  # the status change or "late"
    channel = CharField(max_length=16)  # sms | email
    recipient = CharField(max_length=128)
    text = TextField()
    state = CharField(max_length=10, default="queued")
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    next_try_at = UtcDateTimeField(default=utc_now)
    created_at = UtcDateTimeField(default=utc_now)
    sent_at = UtcDateTimeField(null=True)

    class Meta:
        indexes = ((("state", "next_try_at"), False),)


ALL_MODELS += [CustomerAddress, DeliveryOrder, OrderLine, OrderEvent, OrderPayment, OutboxMessage]


# -- offline lanes (migration 0014) ---------------------------------------------
# The id a lane gave a sale it may have sold offline: sending it twice finds it, never duplicates it.
Sale._meta.add_field("offline_id", CharField(max_length=36, null=True, unique=True))
