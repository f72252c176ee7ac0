"""Stocktakes: count a section or the shop, see variances against stock now, apply them as moves."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_tui.db.models import AuditLog, Category, Product, StockMove
from pos_tui.errors import ImportRejected, NotFound, ValidationError
from pos_tui.services import integrity, stock, stocktake
from pos_tui.services.stocktake import CountLine


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


def test_scans_add_up_and_a_recount_sets(catalog, admin_actor):
    take = stocktake.open_stocktake(admin_actor)
    stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(1))
    counted = stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(4))
    assert counted.counted == Decimal(5)
    counted = stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(7), mode="set")
    assert counted.counted == Decimal(7)
    with pytest.raises(ValidationError, match="negative"):
        stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(-1), mode="set")
    assert stocktake.variances(take.id).lines[0].counted == Decimal(7)


def test_variance_is_against_stock_now_and_apply_writes_stocktake_moves(catalog, admin_actor, assert_stock_matches_moves):
    take = stocktake.open_stocktake(admin_actor)
    stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(8))
    stocktake.record_count(admin_actor, take.id, catalog.milk, Decimal(5))
    stock.adjust(admin_actor, catalog.tea, Decimal(-1), "damage")  # a change while counting: on hand is now 9
    variances = stocktake.variances(take.id)
    tea = next(v for v in variances.lines if v.barcode == catalog.tea)
    assert (tea.on_hand, tea.counted, tea.variance) == (Decimal(9), Decimal(8), Decimal(-1))
    assert [v.barcode for v in variances.changed] == [catalog.tea]
    assert [u.barcode for u in variances.uncounted] == [catalog.apples] and variances.uncounted_total == 1

    result = stocktake.apply(admin_actor, take.id)

    assert result.moves == 1 and result.stocktake.status == "applied"
    assert (_stock(catalog.tea), _stock(catalog.milk), _stock(catalog.apples)) == (Decimal(8), Decimal(5), Decimal("2.5"))
    last = StockMove.select().order_by(StockMove.id.desc()).get()
    assert (last.reason, last.reference, last.delta) == ("stocktake", f"ST-{take.id}", Decimal(-1))
    assert AuditLog.select().where(AuditLog.action == "stocktake.apply").count() == 1
    assert_stock_matches_moves()
    assert integrity.check_store() == []
    with pytest.raises(ValidationError, match="applied"):
        stocktake.apply(admin_actor, take.id)


def test_uncounted_products_are_left_alone_unless_asked_to_zero(catalog, admin_actor):
    take = stocktake.open_stocktake(admin_actor)
    stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(10))
    result = stocktake.apply(admin_actor, take.id, zero_uncounted=True)
    assert result.zeroed == 2
    assert (_stock(catalog.tea), _stock(catalog.milk), _stock(catalog.apples)) == (Decimal(10), Decimal(0), Decimal(0))


def test_a_section_count_covers_its_category_and_sub_categories_only(catalog, admin_actor):
    drinks = Category.get(Category.name == "Drinks")
    hot = Category.create(name="Hot drinks", parent=drinks)
    Product.update(category=hot).where(Product.barcode == catalog.tea).execute()
    take = stocktake.open_stocktake(admin_actor, "Drinks")
    assert take.scope_label == "section Drinks"
    with pytest.raises(ValidationError, match="not in section Drinks"):
        stocktake.record_count(admin_actor, take.id, catalog.milk, Decimal(1))
    assert [u.barcode for u in stocktake.variances(take.id).uncounted] == [catalog.tea]
    stocktake.record_count(admin_actor, take.id, catalog.tea, Decimal(3))
    stocktake.apply(admin_actor, take.id, zero_uncounted=True)  # nothing uncounted in the section
    assert (_stock(catalog.tea), _stock(catalog.milk)) == (Decimal(3), Decimal(5))


def test_one_stocktake_is_open_at_a_time_and_resumes(catalog, admin_actor):
    take = stocktake.open_stocktake(admin_actor)
    stocktake.record_count(admin_actor, take.id, catalog.milk, Decimal(2))
    with pytest.raises(ValidationError, match=f"ST-{take.id}.*still open"):
        stocktake.open_stocktake(admin_actor, "Dairy")
    resumed = stocktake.current()
    assert resumed is not None and (resumed.id, resumed.counted) == (take.id, 1)
    stocktake.cancel(admin_actor, take.id)
    assert stocktake.current() is None and _stock(catalog.milk) == 5
    with pytest.raises(NotFound, match="no category"):
        stocktake.open_stocktake(admin_actor, "Garden")


def test_a_count_file_applies_in_one_go_and_leaves_other_products(catalog, admin_actor, assert_stock_matches_moves):
    rows = stocktake.parse_counts(f"barcode,counted\n{catalog.tea},12\n{catalog.apples},2.000\n")
    dry, applied = stocktake.count_file(admin_actor, rows, dry_run=True)
    assert applied is None and {v.barcode: v.variance for v in dry.lines} == {catalog.tea: 2, catalog.apples: Decimal("-0.5")}
    assert _stock(catalog.tea) == 10

    result, applied = stocktake.count_file(admin_actor, rows, reason="correction", source="counts.csv")
    assert applied is not None and applied.moves == 2
    assert (_stock(catalog.tea), _stock(catalog.apples), _stock(catalog.milk)) == (Decimal(12), Decimal(2), Decimal(5))
    assert StockMove.select().order_by(StockMove.id.desc()).get().reason == "correction"
    assert stocktake.current() is None
    assert_stock_matches_moves()


def test_a_count_file_with_unknown_items_or_negative_counts_is_refused_whole(catalog):
    text = (f"barcode,counted\n{catalog.tea},3\n5000000000999,1\n{catalog.milk},-2\n"
            f"{catalog.apples},oops\n{catalog.milk},1.5\n")
    with pytest.raises(ImportRejected) as caught:
        stocktake.parse_counts(text)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "5000000000999" in problems[0] and "negative" in problems[1] and "not a number" in problems[2]
    assert "whole number" in problems[3]
    with pytest.raises(ValidationError, match="no product"):
        from pos_tui.services.context import Actor
        stocktake.count_file(Actor.cli(), [CountLine("5000000000999", Decimal(1))])
