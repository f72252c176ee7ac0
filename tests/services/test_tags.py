"""Tags: counted, renamed, deleted off every product, put on and taken off one."""

from __future__ import annotations

import pytest

from pos_tui.db.models import AuditLog, database
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.services import auth, products, tags
from pos_tui.services.catalog import get_product


def _tags() -> list[tuple[str, int]]:
    return [(t.name, t.products) for t in tags.list_tags()]


def _state():
    return [database.execute_sql(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("tag", "product_tag", "product", "audit_log")]


def test_list_counts_products_per_tag_including_unused_ones(catalog, admin_actor):
    tags.add_tag(admin_actor, "  Winter ")
    assert _tags() == [("hot", 1), ("local", 1), ("promo", 1), ("winter", 0)]


def test_add_refuses_an_existing_or_empty_name(catalog, admin_actor):
    for name, message in (("PROMO", "already a tag 'promo'"), ("  ", "empty"), ("a;b", "may not contain ';'"),
                          ("x" * 65, "longer than 64")):
        before = _state()
        with pytest.raises(ValidationError, match=message):
            tags.add_tag(admin_actor, name)
        assert _state() == before


def test_rename_follows_onto_products(catalog, admin_actor):
    renamed = tags.rename_tag(admin_actor, "Promo", "offer")
    assert (renamed.name, renamed.products) == ("offer", 1)
    assert get_product(catalog.tea).tags == ("hot", "offer")
    before = _state()
    with pytest.raises(ValidationError, match="already a tag 'hot'"):
        tags.rename_tag(admin_actor, "offer", "HOT")
    with pytest.raises(NotFound, match="no tag 'promo'"):
        tags.rename_tag(admin_actor, "promo", "x")
    assert _state() == before


def test_delete_takes_the_tag_off_every_product_and_is_audited(catalog, admin_actor):
    tags.assign_tag(admin_actor, catalog.milk, "promo")
    assert tags.delete_tag(admin_actor, "promo") == 2
    assert "promo" not in [t for t, _ in _tags()]
    assert get_product(catalog.tea).tags == ("hot",) and get_product(catalog.milk).tags == ()
    last = AuditLog.select().where(AuditLog.action == "tag.delete").get()
    assert (last.target, last.details) == ("promo", '{"products": 2}')


def test_assign_and_unassign(catalog, admin_actor):
    assert tags.assign_tag(admin_actor, catalog.milk, "Fresh").products == 1  # a new name makes the tag
    assert get_product(catalog.milk).tags == ("fresh",)
    before = _state()
    with pytest.raises(ValidationError, match="already has tag 'fresh'"):
        tags.assign_tag(admin_actor, catalog.milk, "fresh")
    with pytest.raises(ValidationError, match="has no tag 'promo'"):
        tags.unassign_tag(admin_actor, catalog.milk, "promo")
    with pytest.raises(NotFound, match="no product with barcode"):
        tags.assign_tag(admin_actor, "4000000000017", "fresh")
    assert _state() == before
    assert tags.unassign_tag(admin_actor, catalog.milk, "FRESH").products == 0
    assert get_product(catalog.milk).tags == ()
    assert [a.action for a in AuditLog.select().where(AuditLog.target == catalog.milk)] == ["tag.assign", "tag.unassign"]


def test_a_tag_change_moves_the_products_edit_token(catalog, admin_actor):
    form = get_product(catalog.tea)
    tags.rename_tag(admin_actor, "hot", "warm")
    with pytest.raises(products.StaleEdit):
        products.edit_product(admin_actor, catalog.tea, expected_updated_at=form.updated_at, tags=["hot", "promo"])
    assert get_product(catalog.tea).tags == ("promo", "warm")


def test_a_cashier_may_not_change_tags(catalog, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    casey = auth.authenticate("casey", "1111")
    before = _state()
    for action in (lambda: tags.add_tag(casey, "x"), lambda: tags.delete_tag(casey, "promo"),
                   lambda: tags.assign_tag(casey, catalog.milk, "promo")):
        with pytest.raises(AuthError, match=r"\[product.edit\]"):
            action()
    assert _state() == before
