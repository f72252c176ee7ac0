"""Adding, editing and archiving one product: checked, audited, and no lost update."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_tui.db.database import write_transaction
from pos_tui.db.models import AuditLog, Product, ProductTag, StockMove, Supplier, database
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.domain.cart import Cart
from pos_tui.domain.tender import Tender
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.services import auth, categories, catalog, products, sales
from pos_tui.services.catalog import get_product, scan
from pos_tui.services.context import Actor
from pos_tui.services.stock_moves import move
from tests.conftest import open_test_shift

NEW = with_check_digit("400000000001")
OTHER = with_check_digit("400000000002")
TABLES = ("product", "category", "tag", "product_tag", "stock_move", "audit_log")


def _snapshot() -> dict[str, list[tuple]]:
    return {t: database.execute_sql(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def _sell(store, actor, barcode: str, qty: int, lane: str) -> None:
    cart = Cart()
    for _ in range(qty):
        cart.add(scan(barcode, store.tax_rates()))
    sales.commit_sale(actor, cart, [Tender("cash", 100_000)], lane=lane, settings=store)


def _last_audit(action: str) -> AuditLog:
    return AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id.desc()).first()


# --- add ----------------------------------------------------------------------------------------------


def test_add_files_the_product_with_its_opening_stock_as_a_receive_move(catalog, store, admin_actor,
                                                                        assert_stock_matches_moves):
    categories.add_category(admin_actor, "Hot drinks", "Drinks")
    Supplier.create(name="Tea Co")

    added = products.add_product(
        admin_actor, barcode=f" {NEW} ", name="  Green   Tea ", price=299, cost=150, category="Hot drinks",
        tags=["Organic", "promo", "organic"], reorder_level=Decimal(4), supplier="tea co", stock=Decimal(12),
        tax_classes=set(store.tax_rates()),
    )

    assert added == get_product(NEW)
    assert (added.name, added.price, added.cost, added.category, added.supplier) == ("Green Tea", 299, 150, "Hot drinks", "Tea Co")
    assert (added.stock, added.reorder_level, added.tags, added.archived) == (Decimal(12), Decimal(4), ("organic", "promo"), False)
    moves = list(StockMove.select().where(StockMove.product == added.id))
    assert [(m.delta, m.reason, m.reference, m.user_id) for m in moves] == [(Decimal(12), "receive", "opening stock", admin_actor.user_id)]
    audit = _last_audit("product.add")
    assert (audit.target, audit.username) == (NEW, admin_actor.username)
    assert scan(NEW, store.tax_rates()).unit_price == 299
    assert_stock_matches_moves()


def test_add_without_opening_stock_writes_no_move(catalog, admin_actor):
    added = products.add_product(admin_actor, barcode=NEW, name="Mints", price=80)
    assert added.stock == 0
    assert StockMove.select().where(StockMove.product == added.id).count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"barcode": with_check_digit("400000000001")[:-1] + "9"}, "wrong check digit"),
        ({"barcode": "12345"}, "has 5 digits"),
        ({"barcode": "5000000000012"}, "already used by 'Breakfast Tea 80 bags'"),
        ({"name": "   "}, "name is empty"),
        ({"name": "x" * 129}, "longer than 128"),
        ({"price": -1}, "price -0.01 must not be negative"),
        ({"cost": -250}, "cost -2.50 must not be negative"),
        ({"category": "Sweets"}, "pos category add 'Sweets'"),
        ({"supplier": "Nobody Ltd"}, "pos supplier add 'Nobody Ltd'"),
        ({"unit": "litre"}, "must be each or kg"),
        ({"tax_class": "luxury"}, "unknown tax class 'luxury'"),
        ({"stock": Decimal(-1)}, "must not be negative"),
        ({"stock": Decimal("1.5")}, "must be a whole number"),
        ({"reorder_level": Decimal("0.0001")}, "more than 3 decimals"),
        ({"tags": ["a;b"]}, "may not contain ';'"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(catalog, store, admin_actor, fields, message):
    before = _snapshot()
    given = {"barcode": NEW, "name": "Mints", "price": 80, "stock": Decimal(3), **fields}
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        products.add_product(admin_actor, tax_classes=set(store.tax_rates()), **given)
    assert _snapshot() == before


def test_a_cashier_may_not_add_or_edit(catalog, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    casey = auth.authenticate("casey", "1111")
    before = _snapshot()
    with pytest.raises(AuthError, match=r"\[product.edit\]"):
        products.add_product(casey, barcode=NEW, name="Mints", price=80)
    with pytest.raises(AuthError, match=r"\[product.edit\]"):
        products.edit_product(casey, catalog.tea, price=1)
    with pytest.raises(AuthError, match=r"\[product.edit\]"):
        products.archive_product(casey, catalog.tea)
    assert _snapshot() == before


# --- edit ---------------------------------------------------------------------------------------------


def test_edit_changes_only_what_it_names_and_audits_old_and_new(catalog, admin_actor):
    before = get_product(catalog.tea)
    after = products.edit_product(admin_actor, catalog.tea, price=275, tags=["Hot", "new"], reorder_level=Decimal(6))

    assert (after.price, after.tags, after.reorder_level) == (275, ("hot", "new"), Decimal(6))
    assert replace(after, price=before.price, tags=before.tags, reorder_level=before.reorder_level,
                   updated_at=before.updated_at) == before
    assert after.updated_at > before.updated_at
    import json

    changes = json.loads(_last_audit("product.edit").details)["changes"]
    assert changes == {"price": ["2.50", "2.75"], "tags": ["hot, promo", "hot, new"], "reorder_level": ["2", "6"]}


def test_an_edit_that_changes_nothing_writes_nothing(catalog, admin_actor):
    before = _snapshot()
    same = get_product(catalog.tea)
    assert products.edit_product(admin_actor, catalog.tea, price=same.price, name=same.name, tags=["promo", "hot"]) == same
    assert _snapshot() == before


def test_edit_refuses_bad_values_and_unknown_fields_without_changing_anything(catalog, store, admin_actor):
    before = _snapshot()
    for changes, message in [
        ({"price": -5}, "must not be negative"),
        ({"cost": -1}, "must not be negative"),
        ({"name": ""}, "name is empty"),
        ({"barcode": catalog.milk}, "already used by 'Whole Milk 1L'"),
        ({"barcode": "5000000000013"}, "wrong check digit"),
        ({"category": "Nowhere"}, "no category 'Nowhere'"),
        ({"tax_class": "luxury"}, "unknown tax class"),
        ({"stock": Decimal(99)}, "cannot edit stock"),
        ({"price": 300, "category": "Nowhere"}, "no category"),  # the good change is not kept either
    ]:
        with pytest.raises(ValidationError, match=message):
            products.edit_product(admin_actor, catalog.tea, tax_classes=set(store.tax_rates()), **changes)
    assert _snapshot() == before
    with pytest.raises(NotFound, match="no product with barcode '4000000000017'"):
        products.edit_product(admin_actor, "4000000000017", price=1)


def test_a_new_barcode_keeps_the_products_history(catalog, store, admin_actor, assert_stock_matches_moves):
    _sell(store, admin_actor, catalog.tea, 1, "1")
    tea = get_product(catalog.tea)
    moved = products.edit_product(admin_actor, catalog.tea, barcode=NEW)

    assert (moved.id, moved.barcode, moved.stock) == (tea.id, NEW, tea.stock)
    with pytest.raises(NotFound):
        get_product(catalog.tea)
    assert StockMove.select().where(StockMove.product == tea.id).count() == 2  # import and sale
    assert scan(NEW, store.tax_rates()).product_id == tea.id
    assert_stock_matches_moves()


def test_an_edit_while_a_sale_commits_on_another_lane_keeps_both(catalog, store, admin_actor, assert_stock_matches_moves):
    open_test_shift(store, "2")
    form = get_product(catalog.tea)  # the supervisor opens the edit form: stock 10

    _sell(store, admin_actor, catalog.tea, 3, "2")  # lane 2 sells three meanwhile
    saved = products.edit_product(admin_actor, catalog.tea, expected_updated_at=form.updated_at, price=275)

    assert (saved.price, saved.stock) == (275, form.stock - 3)
    assert_stock_matches_moves()


def test_the_second_of_two_racing_edits_is_refused(catalog, admin_actor):
    auth.add_user(admin_actor, "sam", "super-pw", "supervisor")
    sam = auth.authenticate("sam", "super-pw")
    mine = get_product(catalog.tea)
    theirs = get_product(catalog.tea)  # two forms open on the same product

    products.edit_product(sam, catalog.tea, expected_updated_at=theirs.updated_at, price=300)
    before = _snapshot()
    with pytest.raises(products.StaleEdit, match=r"Breakfast Tea 80 bags \(5000000000012\) was changed by sam since you opened it"):
        products.edit_product(admin_actor, catalog.tea, expected_updated_at=mine.updated_at, name="Tea", price=280)

    assert _snapshot() == before
    assert (get_product(catalog.tea).price, get_product(catalog.tea).name) == (300, "Breakfast Tea 80 bags")
    # Reloaded, the same change goes through.
    fresh = get_product(catalog.tea)
    assert products.edit_product(admin_actor, catalog.tea, expected_updated_at=fresh.updated_at, price=280).price == 280


def test_a_tag_change_elsewhere_makes_an_open_form_stale(catalog, admin_actor):
    from pos_tui.services import tags

    form = get_product(catalog.tea)
    tags.assign_tag(admin_actor, catalog.tea, "winter")
    with pytest.raises(products.StaleEdit, match="since you opened it"):
        products.edit_product(admin_actor, catalog.tea, expected_updated_at=form.updated_at, tags=list(form.tags))
    assert "winter" in get_product(catalog.tea).tags


def test_edits_and_sales_on_two_threads_lose_nothing(catalog, store, admin_actor, assert_stock_matches_moves):
    """Real concurrency: each thread its own connection; SQLite serialises the writes, none is lost."""
    from pos_tui.services.store import thread_session

    open_test_shift(store, "2")
    start = get_product(catalog.tea).stock
    errors: list[BaseException] = []

    def lane_two() -> None:
        try:
            with thread_session():
                for _ in range(5):
                    _sell(store, admin_actor, catalog.tea, 1, "2")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    seller = threading.Thread(target=lane_two)
    seller.start()
    for price in range(300, 310):
        products.edit_product(admin_actor, catalog.tea, price=price)
    seller.join(timeout=60)

    assert not seller.is_alive() and errors == []
    tea = get_product(catalog.tea)
    assert (tea.price, tea.stock) == (309, start - 5)
    assert_stock_matches_moves()


# --- archive ------------------------------------------------------------------------------------------


def test_an_archived_product_cannot_be_scanned_and_comes_back_when_unarchived(catalog, store, admin_actor):
    archived = products.archive_product(admin_actor, catalog.milk)
    assert archived.archived
    with pytest.raises(NotFound):
        scan(catalog.milk, store.tax_rates())
    assert catalog.milk not in {p.barcode for p in catalog_list()}
    with pytest.raises(ValidationError, match="already archived"):
        products.archive_product(admin_actor, catalog.milk)

    assert not products.unarchive_product(admin_actor, catalog.milk).archived
    assert scan(catalog.milk, store.tax_rates()).name == "Whole Milk 1L"
    assert [a.action for a in AuditLog.select().where(AuditLog.target == catalog.milk).order_by(AuditLog.id)] == [
        "product.archive", "product.unarchive"]


def catalog_list():
    return catalog.list_products()


# --- finding ------------------------------------------------------------------------------------------


def test_find_by_category_with_its_subcategories_tag_and_low_stock(catalog, admin_actor):
    categories.add_category(admin_actor, "Tea", "Drinks")
    products.add_product(admin_actor, barcode=NEW, name="Green Tea", price=299, category="Tea",
                         reorder_level=Decimal(5), stock=Decimal(5))
    products.add_product(admin_actor, barcode=OTHER, name="Archived Tea", price=299, category="Tea", tags=["promo"])
    products.archive_product(admin_actor, OTHER)

    assert [p.name for p in products.find_products(category="Drinks")] == ["Breakfast Tea 80 bags", "Green Tea"]
    assert [p.name for p in products.find_products(category="drinks", include_archived=True)] == [
        "Archived Tea", "Breakfast Tea 80 bags", "Green Tea"]
    assert [p.name for p in products.find_products(tag="PROMO")] == ["Breakfast Tea 80 bags"]
    assert [p.name for p in products.find_products(low=True)] == ["Green Tea"]  # 5 <= 5; tea 10 > 2
    assert [p.name for p in products.find_products("green", category="Drinks")] == ["Green Tea"]
    with pytest.raises(ValidationError, match="no category 'Sweets'"):
        products.find_products(category="Sweets")
    with pytest.raises(ValidationError, match="no tag 'nope'"):
        products.find_products(tag="nope")


# --- the invariant under any sequence -----------------------------------------------------------------

EDITS = st.one_of(
    st.builds(lambda p: ("edit", {"price": p}), st.integers(1, 10_000)),  # a free item needs no tender
    st.builds(lambda n: ("edit", {"name": n}), st.text("abcxyz ", min_size=1, max_size=12).filter(str.strip)),
    st.builds(lambda r: ("edit", {"reorder_level": Decimal(r)}), st.integers(0, 50)),
    st.builds(lambda t: ("edit", {"tags": t}), st.lists(st.sampled_from(["a", "b", "c"]), max_size=3)),
    st.builds(lambda q: ("sale", q), st.integers(1, 3)),
    st.builds(lambda d: ("move", Decimal(d)), st.integers(-5, 5)),
    st.just(("archive", None)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(EDITS, min_size=1, max_size=12))
def test_any_sequence_of_edits_sales_and_moves_keeps_stock_the_sum_of_moves(catalog, store, admin_actor, steps):
    tea = Product.get(Product.barcode == catalog.tea)
    Product.update(archived=False).where(Product.id == tea.id).execute()
    expected_stock = Product.get_by_id(tea.id).stock
    last_price = None
    for kind, value in steps:
        form = get_product(catalog.tea)
        if kind == "edit":
            saved = products.edit_product(admin_actor, catalog.tea, expected_updated_at=form.updated_at, **value)
            last_price = value.get("price", last_price)
            assert saved.stock == expected_stock
        elif kind == "sale" and not form.archived:
            _sell(store, admin_actor, catalog.tea, value, "1")
            expected_stock -= value
        elif kind == "move":
            with write_transaction():
                move(tea.id, value, "correction", "test", admin_actor)
            expected_stock += value
        elif kind == "archive":
            (products.unarchive_product if form.archived else products.archive_product)(admin_actor, catalog.tea)
    final = get_product(catalog.tea)
    assert final.stock == expected_stock
    if last_price is not None:
        assert final.price == last_price
    moved = sum((m.delta for m in StockMove.select().where(StockMove.product == tea.id)), Decimal(0))
    assert moved == final.stock
    assert ProductTag.select().where(ProductTag.product == tea.id).count() == len(final.tags)
