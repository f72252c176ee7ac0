"""Named permissions, the roles that group them, and the check every service makes.

A role is a name and a set of permissions, stored in the database so a shop can
make its own (`pos role grant trainee sale.void`). The three built-in roles get
their defaults from DEFAULT_GRANTS when the store is created. The shell's owner
(`Actor.cli()` without `--as`) holds every permission: the store's files are theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pos_tui.db.database import write_transaction
from pos_tui.db.models import Role, RolePermission, User
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services import audit
from pos_tui.services.context import Actor

# What each permission allows, in English; translated where shown (a refusal, `pos role permissions`).
PERMISSIONS: dict[str, str] = {
    "sale.discount_over_limit": N_("approve a discount past another user's limit, up to this role's own limit"),
    "sale.price_override": N_("change a product's price at the till"),
    "sale.void": N_("void a line or a whole cart before payment"),
    "sale.refund": N_("refund a sale against its receipt, up to the role's refund limit"),
    "sale.refund_no_receipt": N_("refund goods without a receipt"),
    "drawer.no_sale": N_("open the cash drawer without a sale"),
    "cash.in_out": N_("pay cash into or out of the drawer, and make safe drops"),
    "shift.close_over_limit": N_("approve closing a shift whose over/short is past the limit"),
    "product.edit": N_("add, change, import and archive products"),
    "stock.adjust": N_("receive stock, count it and adjust it"),
    "order.approve": N_("approve and ship delivery orders"),
    "report.view": N_("see sales, stock and cost reports"),
    "audit.view": N_("read the audit log"),
    "user.manage": N_("add, disable and change users, their passwords and roles"),
    "settings.edit": N_("change the shop's settings and hardware"),
    "backup.run": N_("back up and restore the database"),
    "training.toggle": N_("switch the till into and out of training mode"),
}

_CASHIER = ("sale.void", "sale.refund")
_SUPERVISOR = _CASHIER + (
    "sale.discount_over_limit", "sale.price_override", "sale.refund_no_receipt", "drawer.no_sale", "cash.in_out",
    "shift.close_over_limit", "product.edit", "stock.adjust", "order.approve", "report.view", "training.toggle",
)
DEFAULT_GRANTS: dict[str, tuple[str, ...]] = {
    "cashier": _CASHIER,
    "supervisor": _SUPERVISOR,
    "admin": tuple(PERMISSIONS),
}
BUILTIN_ROLES = tuple(DEFAULT_GRANTS)
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class PermissionDenied(AuthError):
    """The acting user's role lacks a permission."""

    def __init__(self, actor: Actor, permission: str) -> None:
        who = actor.username or actor.os_user or _("this user")
        description = PERMISSIONS[permission]
        action = _(description)
        if actor.role:
            message = _("{who} ({role}) may not {action} [{permission}]").format(
                who=who, role=actor.role, action=action, permission=permission)
        else:
            message = _("{who} may not {action} [{permission}]").format(who=who, action=action, permission=permission)
        super().__init__(message)
        self.permission = permission


@dataclass(frozen=True)
class RoleInfo:
    name: str
    description: str
    builtin: bool
    permissions: tuple[str, ...]
    users: int


def granted(role: str) -> frozenset[str]:
    """The permissions of `role` (empty for an unknown role)."""
    rows = RolePermission.select(RolePermission.permission).where(RolePermission.role == role)
    return frozenset(row.permission for row in rows)


def has(actor: Actor, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if actor.owner:
        return True
    if not actor.role:
        return False
    return RolePermission.select().where(
        (RolePermission.role == actor.role) & (RolePermission.permission == permission)
    ).exists()


# Back-office writes change the real shop (catalogue, stock, purchasing,
# users, settings): training mode practises selling and leaves them alone.
NOT_IN_TRAINING = frozenset({"product.edit", "stock.adjust", "user.manage", "settings.edit"})


class TrainingRefused(ValidationError):
    def __init__(self, permission: str) -> None:
        description = PERMISSIONS[permission]
        super().__init__(_("training mode may not {action}: it would change the real shop; leave training first")
                         .format(action=_(description)))
        self.permission = permission


def require(actor: Actor, permission: str) -> None:
    """Refuse with PermissionDenied unless `actor` holds `permission` (and back-office work in training)."""
    if not has(actor, permission):
        raise PermissionDenied(actor, permission)
    if actor.training and permission in NOT_IN_TRAINING:
        raise TrainingRefused(permission)


def check_permission_name(name: str) -> str:
    cleaned = name.strip()
    if cleaned not in PERMISSIONS:
        import difflib

        near = difflib.get_close_matches(cleaned, list(PERMISSIONS), n=3, cutoff=0.5)
        if near:
            raise ValidationError(_("unknown permission {name!r}; did you mean {near}?").format(
                name=cleaned, near=", ".join(near)))
        raise ValidationError(_("unknown permission {name!r}; see `pos role permissions`").format(name=cleaned))
    return cleaned


def check_role_name(name: str) -> str:
    cleaned = name.strip()
    if not _ROLE_NAME.match(cleaned):
        raise ValidationError(_("role name {name!r} must be 1-32 lower-case letters, digits, '_' or '-', starting "
                                "with a letter").format(name=name))
    return cleaned


def _role(name: str) -> Role:
    role = Role.get_or_none(Role.name == name.strip())
    if role is None:
        raise NotFound(_("no role named {name!r}; see `pos role list`").format(name=name.strip()))
    return role


def role_exists(name: str) -> bool:
    return Role.select().where(Role.name == name.strip()).exists()


def _info(role: Role) -> RoleInfo:
    perms = tuple(p for p in PERMISSIONS if p in granted(role.name))
    users = User.select().where(User.role == role.name).count()
    return RoleInfo(role.name, role.description, role.builtin, perms, users)


def list_roles() -> list[RoleInfo]:
    return [_info(role) for role in Role.select().order_by(Role.builtin.desc(), Role.name)]


def get_role(name: str) -> RoleInfo:
    return _info(_role(name))


def create_role(actor: Actor, name: str, *, description: str = "", copy_from: str | None = None) -> RoleInfo:
    """A custom role, empty or with another role's permissions."""
    require(actor, "user.manage")
    name = check_role_name(name)
    with write_transaction():
        if role_exists(name):
            raise ValidationError(_("a role named {name!r} already exists").format(name=name))
        perms = sorted(granted(_role(copy_from).name)) if copy_from else []
        role = Role.create(name=name, description=description.strip()[:128], builtin=False)
        for perm in perms:
            RolePermission.create(role=name, permission=perm)
        audit.record("role.create", actor, name, copy_from=copy_from, permissions=perms)
    return _info(role)


def delete_role(actor: Actor, name: str) -> None:
    require(actor, "user.manage")
    with write_transaction():
        role = _role(name)
        if role.builtin:
            raise ValidationError(_("{name} is a built-in role; revoke its permissions instead").format(name=role.name))
        users = User.select().where(User.role == role.name).count()
        if users:
            raise ValidationError(_("{users} user(s) still have the role {name}; give them another role first").format(users=users, name=role.name))
        RolePermission.delete().where(RolePermission.role == role.name).execute()
        role.delete_instance()
        audit.record("role.delete", actor, role.name)


def grant(actor: Actor, role_name: str, permissions: list[str]) -> RoleInfo:
    """Add permissions to a role (already held ones are left as they are)."""
    require(actor, "user.manage")
    perms = [check_permission_name(p) for p in permissions]
    with write_transaction():
        role = _role(role_name)
        have = granted(role.name)
        added = [p for p in dict.fromkeys(perms) if p not in have]
        for perm in added:
            RolePermission.create(role=role.name, permission=perm)
        audit.record("role.grant", actor, role.name, permissions=added)
    return _info(role)


def revoke(actor: Actor, role_name: str, permissions: list[str]) -> RoleInfo:
    require(actor, "user.manage")
    perms = [check_permission_name(p) for p in permissions]
    with write_transaction():
        role = _role(role_name)
        if role.name == "admin" and "user.manage" in perms:
            raise ValidationError(_("the admin role keeps user.manage, or nobody at the till could give it back"))
        removed = [p for p in dict.fromkeys(perms) if p in granted(role.name)]
        RolePermission.delete().where(
            (RolePermission.role == role.name) & (RolePermission.permission.in_(removed))
        ).execute()
        audit.record("role.revoke", actor, role.name, permissions=removed)
    return _info(role)
