"""The Products screen's pages: every product once each way, the filters, the jump to the end."""

from __future__ import annotations

import pytest

from pos_tui.db.models import Category, Product
from pos_tui.domain.barcodes import with_check_digit
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import product_browse, product_import
from pos_tui.services.context import Actor
from pos_tui.services.product_browse import Filters, first_page, last_page, next_page, previous_page

SIZE = 7  # small pages, so 40 products make several and a short last one


def _code(n: int) -> str:
    return with_check_digit(f"48{n:010d}")


@pytest.fixture
def shop(store):
    """40 products: some share a name (the id breaks the tie), some low on stock, tagged, archived."""
    lines = ["barcode,name,price,category,tags,stock,reorder_level"]
    for n in range(40):
        name = "Same Name" if n % 10 == 0 else f"Item {n:02d}{' milk' if n % 4 == 0 else ''}"
        category = ("Cheese", "Dairy", "Bakery")[n % 3]
        tags = "vegan" if n % 5 == 0 else ""
        stock, reorder = (1, 3) if n % 6 == 0 else (10, 2)
        lines.append(f"{_code(n)},{name},1.00,{category},{tags},{stock},{reorder}")
    rows = product_import.parse_products("\n".join(lines) + "\n", set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="browse.csv")
    dairy = Category.get(Category.name == "Dairy")
    Category.update(parent=dairy.id).where(Category.name == "Cheese").execute()  # Cheese is part of Dairy
    Product.update(archived=True).where(Product.barcode.in_([_code(1), _code(2)])).execute()
    return store


def _walk_forwards(filters: Filters) -> list[str]:
    page = first_page(filters, SIZE)
    seen = [p.barcode for p in page.rows]
    assert not page.has_before
    while page.has_after:
        page = next_page(filters, page, SIZE)
        seen += [p.barcode for p in page.rows]
    return seen


def _walk_backwards(filters: Filters) -> list[str]:
    page = last_page(filters, SIZE)
    seen = [p.barcode for p in reversed(page.rows)]
    assert not page.has_after
    while page.has_before:
        before = page
        page = previous_page(filters, page, SIZE)
        if page.offset is None and not page.has_before and before.first_key is not None:
            # the first page comes back whole: keep only the rows before the page we came from
            page_rows = [p for p in page.rows if (p.name, p.id) < before.first_key]
        elif page.offset is not None and before.offset is not None:
            page_rows = list(page.rows)[: before.offset - page.offset]
        else:
            page_rows = list(page.rows)
        seen += [p.barcode for p in reversed(page_rows)]
    return list(reversed(seen))


def _expected(**where) -> list[str]:
    query = Product.select().order_by(Product.name, Product.id)
    for field, value in where.items():
        query = query.where(getattr(Product, field) == value)
    return [p.barcode for p in query]


@pytest.mark.parametrize("filters", [Filters(), Filters(archived="all"), Filters(category="Dairy"),
                                     Filters(low_stock=True), Filters(text="milk", archived="all")],
                         ids=["active", "all", "category", "low", "ranked-text"])
def test_paging_visits_every_product_once_forwards_and_backwards(shop, filters):
    forwards = _walk_forwards(filters)
    assert len(forwards) == len(set(forwards)) == product_browse.count(filters)
    assert _walk_backwards(filters) == forwards


def test_pages_follow_name_then_id_and_hide_archived_products(shop):
    active = _expected(archived=False)
    assert _walk_forwards(Filters()) == active
    assert _code(1) not in active and len(active) == 38
    same = [p for p in first_page(Filters(), 50).rows if p.name == "Same Name"]
    assert [p.id for p in same] == sorted(p.id for p in same) and len(same) == 4


def test_the_end_is_the_last_rows_without_walking_the_pages(shop):
    page = last_page(Filters(), SIZE)
    assert [p.barcode for p in page.rows] == _expected(archived=False)[-SIZE:]
    assert page.has_before and not page.has_after
    assert next_page(Filters(), page, SIZE) == page  # nothing after the end


def test_previous_page_near_the_start_is_a_full_first_page(shop):
    first = first_page(Filters(), SIZE)
    second = next_page(Filters(), first, SIZE)
    assert previous_page(Filters(), second, SIZE).rows == first.rows
    assert previous_page(Filters(), first, SIZE) == first


def test_archived_only_shows_the_archived_ones(shop):
    assert _walk_forwards(Filters(archived="archived")) == _expected(archived=True)
    assert len(_walk_forwards(Filters(archived="all"))) == 40


def test_a_top_level_category_includes_its_children(shop):
    dairy = {p.category for p in first_page(Filters(category="Dairy"), 50).rows}
    assert dairy == {"Dairy", "Cheese"}
    cheese = first_page(Filters(category="Cheese"), 50).rows
    assert {p.category for p in cheese} == {"Cheese"} and len(cheese) == len(range(0, 40, 3))


def test_tag_and_low_stock_filters(shop):
    vegan = _walk_forwards(Filters(tag="vegan"))
    assert len(vegan) == 8 and all("vegan" in p.tags for p in first_page(Filters(tag="vegan"), 50).rows)
    low = first_page(Filters(low_stock=True), 50).rows
    assert low and all(p.stock <= p.reorder_level for p in low)
    assert len(low) == len([n for n in range(40) if n % 6 == 0])


def test_text_alone_ranks_like_the_till_search_and_with_a_filter_narrows_it(shop):
    from pos_tui.services.catalog import list_products

    ranked = first_page(Filters(text="milk"), 50)
    assert ranked.offset == 0
    assert [p.id for p in ranked.rows] == [p.id for p in list_products("milk", limit=50)]
    narrowed = first_page(Filters(text="milk", category="Bakery"), 50).rows
    assert narrowed and all("milk" in p.name and p.category == "Bakery" for p in narrowed)
    assert first_page(Filters(text=_code(7)), 50).rows[0].barcode == _code(7)


def test_an_unknown_category_or_tag_or_archived_choice_is_refused(shop):
    with pytest.raises(NotFound, match="no category named 'Nope'"):
        first_page(Filters(category="Nope"))
    with pytest.raises(NotFound, match="no tag named 'nope'"):
        first_page(Filters(tag="nope"))
    with pytest.raises(ValidationError, match="archived must be one of"):
        Filters(archived="gone")


def test_choices_list_children_under_their_parent(shop):
    categories, tags = product_browse.choices()
    assert categories.index("Cheese") == categories.index("Dairy") + 1
    assert tags == ["vegan"]


def test_reloading_a_page_keeps_its_place_and_drops_an_archived_row(shop):
    second = next_page(Filters(), first_page(Filters(), SIZE), SIZE)
    gone = second.rows[0]
    Product.update(archived=True).where(Product.id == gone.id).execute()
    again = product_browse.reload_page(Filters(), second, SIZE)
    assert [p.barcode for p in again.rows] == [p.barcode for p in second.rows[1:]] + [again.rows[-1].barcode]
    assert gone.barcode not in [p.barcode for p in again.rows] and again.has_before


def test_a_page_can_start_at_one_product(shop):
    target = Product.get(Product.barcode == _code(23))
    page = product_browse.page_from(Filters(), target.name, target.id, SIZE)
    everything = _expected(archived=False)
    start = everything.index(target.barcode)
    assert [p.barcode for p in page.rows] == everything[start:start + SIZE]
    assert page.has_before
