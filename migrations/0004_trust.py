"""Trust: roles with named permissions, and an audit log that refuses edits.

A frozen copy of the tables as they were at this migration; never edit it
once landed: add a new numbered migration instead.
"""

from peewee import BooleanField, CharField, ForeignKeyField, Model

# The built-in roles' permissions when this migration ran (later changes are new migrations).
_CASHIER = ("sale.void", "sale.refund")
_SUPERVISOR = _CASHIER + (
    "sale.discount_over_limit", "sale.price_override", "sale.refund_no_receipt", "drawer.no_sale", "cash.in_out",
    "shift.close_over_limit", "product.edit", "stock.adjust", "order.approve", "report.view", "training.toggle",
)
_ADMIN = _SUPERVISOR + ("audit.view", "user.manage", "settings.edit", "backup.run")
_ROLES = {
    "cashier": ("rings up sales and takes payments", _CASHIER),
    "supervisor": ("runs the floor: approvals, stock, reports", _SUPERVISOR),
    "admin": ("sets the shop up: users, settings, backups", _ADMIN),
}


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Role(Base):
        name = CharField(max_length=32, primary_key=True)
        description = CharField(max_length=128, default="")
        builtin = BooleanField(default=False)

    class RolePermission(Base):
        role = ForeignKeyField(Role, field=Role.name, on_delete="CASCADE", column_name="role")
        permission = CharField(max_length=64)

        class Meta:
            indexes = ((("role", "permission"), True),)

    db.create_tables([Role, RolePermission])
    for name, (description, perms) in _ROLES.items():
        Role.create(name=name, description=description, builtin=True)
        RolePermission.insert_many([{"role": name, "permission": p} for p in perms]).execute()
    # Users of roles that are not built in (none before this migration) would lose every permission.
    for (role,) in db.execute_sql("SELECT DISTINCT role FROM \"user\"").fetchall():
        if role not in _ROLES:
            Role.create(name=role, description="", builtin=False)

    # Append-only: the database itself refuses to change or delete an audit row.
    if db.__class__.__name__.startswith("Sqlite") or "sqlite" in type(db).__module__:
        db.execute_sql(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        db.execute_sql(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
