"""Categories: two levels, unique names, deleted only when nothing uses them."""

from __future__ import annotations

import pytest

from pos_tui.db.models import AuditLog, database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.services import auth, categories, products
from pos_tui.services.catalog import get_product

NEW = with_check_digit("400000000001")


def _tree() -> list[tuple[str, str, int]]:
    return [(c.name, c.parent, c.products) for c in categories.list_categories()]


def _unchanged(action):
    before = database.execute_sql("SELECT * FROM category ORDER BY id").fetchall()
    audits = AuditLog.select().count()
    action()
    assert database.execute_sql("SELECT * FROM category ORDER BY id").fetchall() == before
    assert AuditLog.select().count() == audits


def test_list_puts_each_subcategory_under_its_parent_with_product_counts(catalog, admin_actor):
    categories.add_category(admin_actor, "Tea", "Drinks")
    categories.add_category(admin_actor, "Coffee", "Drinks")
    products.edit_product(admin_actor, catalog.tea, category="Tea")

    assert _tree() == [("Dairy", "", 1), ("Drinks", "", 0), ("Coffee", "Drinks", 0), ("Tea", "Drinks", 1),
                       ("Fruit & Veg", "", 1)]
    assert categories.get_category("Drinks").children == ("Coffee", "Tea")
    assert [a.action for a in AuditLog.select().where(AuditLog.action.startswith("category."))] == ["category.add"] * 2


@pytest.mark.parametrize(
    ("name", "parent", "message"),
    [
        ("  ", "", "name is empty"),
        ("x" * 65, "", "longer than 64"),
        ("drinks", "", "already a category 'Drinks'"),
        ("Green", "Nowhere", "no category 'Nowhere'"),
        ("Green", "Tea", "two levels deep"),  # Tea is under Drinks: a third level
    ],
)
def test_add_refuses_bad_names_and_a_third_level(catalog, admin_actor, name, parent, message):
    categories.add_category(admin_actor, "Tea", "Drinks")
    with pytest.raises((ValidationError, NotFound), match=message):
        _unchanged(lambda: categories.add_category(admin_actor, name, parent))


def test_rename_keeps_its_products_and_refuses_a_taken_name(catalog, admin_actor):
    categories.rename_category(admin_actor, "Drinks", "Beverages")
    assert get_product(catalog.tea).category == "Beverages"
    with pytest.raises(ValidationError, match="already a category 'Dairy'"):
        _unchanged(lambda: categories.rename_category(admin_actor, "Beverages", "DAIRY"))
    with pytest.raises(NotFound, match="no category 'Drinks'"):
        categories.rename_category(admin_actor, "Drinks", "Other")


def test_move_under_a_parent_and_back_to_the_top(catalog, admin_actor):
    moved = categories.move_category(admin_actor, "Dairy", "Drinks")
    assert (moved.name, moved.parent) == ("Dairy", "Drinks")
    assert categories.move_category(admin_actor, "Dairy", None).parent == ""
    last = AuditLog.select().where(AuditLog.action == "category.move").order_by(AuditLog.id.desc()).first()
    assert (last.target, last.details) == ("Dairy", '{"old_parent": "Drinks", "parent": ""}')


def test_move_refuses_three_levels_and_loops(catalog, admin_actor):
    categories.add_category(admin_actor, "Tea", "Drinks")
    with pytest.raises(ValidationError, match="two levels deep"):  # Drinks has a child: it cannot go under another
        _unchanged(lambda: categories.move_category(admin_actor, "Drinks", "Dairy"))
    with pytest.raises(ValidationError, match="two levels deep"):  # nothing goes under a subcategory
        _unchanged(lambda: categories.move_category(admin_actor, "Dairy", "Tea"))
    with pytest.raises(ValidationError, match="its own parent"):
        _unchanged(lambda: categories.move_category(admin_actor, "Dairy", "Dairy"))
    with pytest.raises(ValidationError, match="already under 'Drinks'"):
        _unchanged(lambda: categories.move_category(admin_actor, "Tea", "Drinks"))


def test_delete_only_an_unused_category(catalog, admin_actor):
    categories.add_category(admin_actor, "Tea", "Drinks")
    products.edit_product(admin_actor, catalog.tea, category="Dairy")
    with pytest.raises(ValidationError, match="has 2 product"):
        _unchanged(lambda: categories.delete_category(admin_actor, "Dairy"))
    with pytest.raises(ValidationError, match=r"has subcategories \(Tea\)"):
        _unchanged(lambda: categories.delete_category(admin_actor, "Drinks"))
    products.edit_product(admin_actor, catalog.tea, category="Drinks")
    products.archive_product(admin_actor, catalog.milk)  # an archived product still holds its category
    with pytest.raises(ValidationError, match="has 1 product"):
        _unchanged(lambda: categories.delete_category(admin_actor, "Dairy"))

    categories.delete_category(admin_actor, "Tea")
    assert "Tea" not in [c.name for c in categories.list_categories()]
    assert AuditLog.select().where(AuditLog.action == "category.delete").count() == 1


def test_a_cashier_may_not_change_categories(catalog, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    casey = auth.authenticate("casey", "1111")
    for action in (lambda: categories.add_category(casey, "Sweets"),
                   lambda: categories.rename_category(casey, "Dairy", "Milk"),
                   lambda: categories.delete_category(casey, "Dairy")):
        with pytest.raises(AuthError, match=r"\[product.edit\]"):
            _unchanged(action)
