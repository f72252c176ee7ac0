"""Every gated service checks the permission itself; roles are the shop's to shape."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Product, Sale, User
from pos_tui.domain.cart import Cart
from pos_tui.domain.discount import parse_discount
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, ValidationError
from pos_tui.resources import data_dir
from pos_tui.services import auth, limits, permissions, product_import, returns, sales, store as store_service
from pos_tui.services.auth import authenticate
from pos_tui.services.catalog import scan
from pos_tui.services.limits import NeedsApproval
from pos_tui.services.permissions import PERMISSIONS, PermissionDenied

from tests.services.conftest import CATALOG_CSV


def _user(admin, name: str, role: str):
    auth.add_user(admin, name, "1234", role)
    return authenticate(name, "1234")


@pytest.fixture
def nobody(store, admin_actor):
    """A user whose role holds no permission at all."""
    permissions.create_role(admin_actor, "nobody")
    return _user(admin_actor, "nora", "nobody")


def _audit_count() -> int:
    return AuditLog.select().count()


def test_the_built_in_roles_start_with_the_documented_permissions(store):
    for role, perms in permissions.DEFAULT_GRANTS.items():
        assert permissions.granted(role) == frozenset(perms), role
    assert permissions.granted("admin") == frozenset(PERMISSIONS)
    assert "sale.price_override" not in permissions.granted("cashier")
    assert "drawer.no_sale" not in permissions.granted("cashier")


def test_the_migration_seeds_what_the_module_documents():
    """The migration keeps a frozen copy; the two must agree when the migration landed."""
    source = (data_dir("migrations") / "0004_trust.py").read_text()
    namespace: dict = {}
    exec(compile(source, "0004_trust.py", "exec"), namespace)
    seeded = {name: set(perms) for name, (_, perms) in namespace["_ROLES"].items()}
    assert seeded == {name: set(perms) for name, perms in permissions.DEFAULT_GRANTS.items()}


GATED = {
    "user.manage: add a user": lambda a, s: auth.add_user(a, "zed", "1234", "cashier"),
    "user.manage: set a password": lambda a, s: auth.set_password(a, "owner", "9999"),
    "user.manage: disable a user": lambda a, s: auth.set_disabled(a, "owner", True),
    "user.manage: change a role": lambda a, s: auth.set_role(a, "owner", "cashier"),
    "user.manage: grant": lambda a, s: permissions.grant(a, "nobody", ["user.manage"]),
    "user.manage: revoke": lambda a, s: permissions.revoke(a, "cashier", ["sale.void"]),
    "user.manage: create a role": lambda a, s: permissions.create_role(a, "boss", copy_from="admin"),
    "user.manage: delete a role": lambda a, s: permissions.delete_role(a, "nobody"),
    "product.edit: import": lambda a, s: product_import.import_products(
        a, product_import.parse_products(CATALOG_CSV, set(s.tax_rates()))),
    "settings.edit: change a setting": lambda a, s: store_service.change_setting(s, "store.name", "Mine", a),
}


@pytest.mark.parametrize("name", list(GATED))
def test_a_user_without_the_permission_is_refused_and_nothing_changes(store, nobody, name):
    users = [(u.username, u.role, u.disabled, u.password_hash) for u in User.select().order_by(User.id)]
    roles = {r.name: r.permissions for r in permissions.list_roles()}
    before = (_audit_count(), Product.select().count(), store.get("store.name"))
    permission = name.split(":")[0]

    with pytest.raises(PermissionDenied, match=rf"nora \(nobody\) may not .*\[{permission}\]"):
        GATED[name](nobody, store)

    assert [(u.username, u.role, u.disabled, u.password_hash) for u in User.select().order_by(User.id)] == users
    assert {r.name: r.permissions for r in permissions.list_roles()} == roles
    assert (_audit_count(), Product.select().count()) == before[:2]
    from pos_tui.config import load_settings

    assert load_settings(store.home).get("store.name") == before[2]


def test_granting_the_permission_lets_the_same_user_do_it(store, admin_actor, nobody):
    with pytest.raises(PermissionDenied):
        product_import.import_products(nobody, product_import.parse_products(CATALOG_CSV, set(store.tax_rates())))
    permissions.grant(admin_actor, "nobody", ["product.edit"])
    result = product_import.import_products(nobody, product_import.parse_products(CATALOG_CSV, set(store.tax_rates())))
    assert result.created == 3
    granted = [e for e in AuditLog.select().where(AuditLog.action == "role.grant")]
    assert granted[-1].target == "nobody" and "product.edit" in granted[-1].details


def test_unknown_permissions_and_role_names_are_refused_clearly(store, admin_actor):
    with pytest.raises(ValidationError, match="unknown permission 'sale.viod'; did you mean sale.void"):
        permissions.grant(admin_actor, "cashier", ["sale.viod"])
    with pytest.raises(ValidationError, match="role name 'Big Boss'"):
        permissions.create_role(admin_actor, "Big Boss")
    with pytest.raises(ValidationError, match="does not exist"):
        auth.add_user(admin_actor, "zed", "1234", "boss")


def test_built_in_roles_and_roles_in_use_cannot_be_deleted(store, admin_actor, nobody):
    with pytest.raises(ValidationError, match="built-in"):
        permissions.delete_role(admin_actor, "cashier")
    with pytest.raises(ValidationError, match="still have the role nobody"):
        permissions.delete_role(admin_actor, "nobody")
    with pytest.raises(ValidationError, match="admin role keeps user.manage"):
        permissions.revoke(admin_actor, "admin", ["user.manage"])


def test_the_last_admin_can_be_neither_demoted_nor_disabled(store, admin_actor):
    with pytest.raises(ValidationError, match="last enabled admin"):
        auth.set_role(admin_actor, "owner", "cashier")
    with pytest.raises(ValidationError, match="last enabled admin"):
        auth.set_disabled(admin_actor, "owner", True)
    auth.add_user(admin_actor, "second", "1234", "admin")
    assert auth.set_role(admin_actor, "owner", "supervisor").role == "supervisor"


def test_a_user_changes_their_own_password_only_with_the_current_one(store, admin_actor):
    cashier = _user(admin_actor, "casey", "cashier")
    with pytest.raises(AuthError, match="current password is wrong"):
        auth.change_own_password(cashier, "0000", "5678")
    auth.change_own_password(cashier, "1234", "5678")
    assert authenticate("casey", "5678").username == "casey"
    actions = [e.action for e in AuditLog.select().where(
        (AuditLog.target == "casey") & AuditLog.action.startswith("user.passwd")).order_by(AuditLog.id)]
    assert actions == ["user.passwd_refused", "user.passwd"]
    assert not any("1234" in e.details or "5678" in e.details for e in AuditLog.select())


# -- the till's rights, re-checked by the services -------------------------------------------

BREAD = "4010079190010"  # 3.20 in the demo store


def _cart(settings, *codes: str) -> Cart:
    cart = Cart()
    for code in codes:
        cart.add(scan(code, settings.tax_rates()))
    return cart


def _pay(actor, cart: Cart):
    return sales.commit_sale(actor, cart, [Tender("cash", cart.totals().total)], lane="1")


def test_a_sale_with_a_discount_past_the_cashiers_limit_is_refused_without_an_approver(demo_store):
    cashier = authenticate("cashier", "1111")
    cart = _cart(demo_store, BREAD)
    cart.discount_line(0, parse_discount("30%"), by="cashier")
    sales_before = Sale.select().count()
    with pytest.raises(NeedsApproval, match="30.0% discount needs a supervisor"):
        _pay(cashier, cart)
    assert Sale.select().count() == sales_before

    cart.discount_line(0, parse_discount("30%"), by="supervisor")  # approved at the till
    assert _pay(cashier, cart).discount == 96


def test_a_discount_named_as_approved_by_someone_without_the_right_is_refused(demo_store):
    cashier = authenticate("cashier", "1111")
    cart = _cart(demo_store, BREAD)
    cart.discount_line(0, parse_discount("5%"), by="cashier")
    assert _pay(cashier, cart).discount == 16  # within the cashier's own 10%
    cart = _cart(demo_store, BREAD)
    cart.discount_line(0, parse_discount("60%"), by="supervisor")  # past the supervisor's 50%
    with pytest.raises(NeedsApproval):
        _pay(cashier, cart)


def test_a_price_override_needs_the_permission_at_commit(demo_store):
    cashier = authenticate("cashier", "1111")
    cart = _cart(demo_store, BREAD)
    cart.set_price(0, 100, by="cashier")
    with pytest.raises(NeedsApproval, match="new price needs a supervisor"):
        _pay(cashier, cart)
    cart.set_price(0, 100, by="supervisor")
    assert _pay(cashier, cart).total == 100


def test_voids_follow_the_role_the_shop_chose(demo_store):
    cashier = authenticate("cashier", "1111")
    limits.check_void(cashier)  # cashiers may void by default
    permissions.revoke(authenticate("admin", "admin"), "cashier", ["sale.void"])
    with pytest.raises(NeedsApproval, match="may not void"):
        limits.check_void(cashier)
    supervisor = authenticate("supervisor", "2222")
    assert limits.refusal_for(demo_store, supervisor, NeedsApproval("", void=True)) is None


def test_a_refund_needs_the_permission_and_a_limit_that_covers_it(demo_store):
    cashier = authenticate("cashier", "1111")
    receipt = _pay(cashier, _cart(demo_store, BREAD, BREAD)).receipt_no
    line = returns.returnable(receipt).lines[0]
    demo_store.set("limits.cashier.refund_max", "1.00")
    with pytest.raises(NeedsApproval, match="over the cashier's 1.00 limit"):
        returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=True, lane="1",
                              settings=demo_store)
    other_cashier = authenticate("cashier", "1111")
    with pytest.raises(AuthError, match="may approve refunds up to 1.00 only"):
        returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=True, lane="1",
                              settings=demo_store, approver=other_cashier)
    done = returns.commit_return(cashier, receipt, {line.line_id: Decimal(2)}, tender="cash", restock=True,
                                 lane="1", settings=demo_store, approver=authenticate("supervisor", "2222"))
    assert done.total == -640


def test_a_shops_own_role_gets_its_own_limits(demo_store):
    admin = authenticate("admin", "admin")
    permissions.create_role(admin, "trainee", copy_from="cashier")
    trainee = _user(admin, "tess", "trainee")
    with pytest.raises(NeedsApproval):
        limits.check_discount(demo_store, trainee, Decimal(1))  # a new role's limit is 0 until set
    demo_store.set("limits.trainee.discount_percent", "5")
    limits.check_discount(demo_store, trainee, Decimal(5))


# -- training mode ------------------------------------------------------------
@pytest.mark.parametrize("permission", sorted(permissions.NOT_IN_TRAINING))
def test_training_may_not_do_back_office_work_even_as_admin(store, admin_actor, permission):
    with pytest.raises(ValidationError, match="training mode may not .* leave training first"):
        permissions.require(replace(admin_actor, training=True), permission)
    permissions.require(admin_actor, permission)  # the same user, out of training, may


def test_training_refuses_a_product_edit_a_stock_adjustment_and_a_category_and_changes_nothing(demo_store):
    from pos_tui.db.models import AuditLog, Category, Product, StockMove
    from pos_tui.services import categories, products, stock
    from pos_tui.services.context import Actor

    trainee = replace(Actor.cli(), training=True)
    product = Product.select().order_by(Product.id).first()
    counts = (Product.select().count(), StockMove.select().count(), Category.select().count(),
              AuditLog.select().count())
    with pytest.raises(ValidationError, match="training"):
        products.edit_product(trainee, product.barcode, price=product.price + 100)
    with pytest.raises(ValidationError, match="training"):
        stock.adjust(trainee, product.barcode, Decimal(-1), "damage")
    with pytest.raises(ValidationError, match="training"):
        categories.add_category(trainee, "Practice")
    assert (Product.select().count(), StockMove.select().count(), Category.select().count(),
            AuditLog.select().count()) == counts
    assert Product.get_by_id(product.id).price == product.price
