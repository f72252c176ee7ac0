"""One page of products for the Products screen, filtered, at 100,000 products.

Without a search term, pages follow (name, id) by keyset: each page starts
after the last row of the one before (or ends before the first row of the one
after), so a page costs the same at row 50 as at row 99,950 and "End" reads
the last rows backwards instead of walking every page. Names order by their
bytes (the index every database has), so "apple" comes after "Zebra".

A search term alone ranks like the till's search (catalog_search: names that
start with the term first), which only LIMIT/OFFSET can page; the last page
needs one count. A term with any other filter pages by name like the rest:
the term then narrows rows the same way (name, barcode start, category or tag
name), without the ranking.

Archived-only and low-stock rows are usually few: walking the name index for
them reads every product row by row (~200 ms at 100,000), so those filters
read the table once and sort what matches instead (~20 ms).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from peewee import SqliteDatabase, Tuple, fn, SQL

from pos_tui.db.models import Category, Product, ProductTag, Tag, database
from pos_tui.errors import NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import catalog_search
from pos_tui.services.catalog import ProductInfo, _info, _query, _tags_of

PAGE = 50
ARCHIVED = ("active", "archived", "all")  # which products a page shows


@dataclass(frozen=True)
class Filters:
    text: str = ""
    category: str = ""  # a category's name; a top-level one includes its children
    tag: str = ""
    low_stock: bool = False  # reorder level set and stock at or below it
    archived: str = "active"

    def __post_init__(self) -> None:
        if self.archived not in ARCHIVED:
            raise ValidationError(_("archived must be one of {ARCHIVED}, not {archived!r}").format(ARCHIVED=', '.join(ARCHIVED), archived=self.archived))

    @property
    def ranked(self) -> bool:
        """A search term alone: the till search's order, paged by offset."""
        return bool(self.text.strip()) and not (self.category or self.tag or self.low_stock) \
            and self.archived != "archived"


@dataclass(frozen=True)
class Page:
    rows: tuple[ProductInfo, ...]
    has_before: bool
    has_after: bool
    offset: int | None = None  # where a ranked page starts; None on keyset pages

    @property
    def first_key(self) -> tuple[str, int] | None:
        return (self.rows[0].name, self.rows[0].id) if self.rows else None

    @property
    def last_key(self) -> tuple[str, int] | None:
        return (self.rows[-1].name, self.rows[-1].id) if self.rows else None


def first_page(filters: Filters, size: int = PAGE) -> Page:
    if filters.ranked:
        return _ranked(filters, 0, size)
    return _keyset(filters, size, after=None)


def last_page(filters: Filters, size: int = PAGE) -> Page:
    if filters.ranked:
        total = count(filters)
        start = max(0, total - size)
        page = _ranked(filters, start, size)
        while not page.rows and start > 0:  # the count and the ranking disagreed (rows changed meanwhile)
            start = max(0, start - size)
            page = _ranked(filters, start, size)
        return page
    return _keyset(filters, size, before=None, backwards=True)


def next_page(filters: Filters, page: Page, size: int = PAGE) -> Page:
    """The page after `page`; `page` itself when it is the last."""
    if not page.has_after or not page.rows:
        return page
    if filters.ranked:
        return _ranked(filters, (page.offset or 0) + len(page.rows), size)
    found = _keyset(filters, size, after=page.last_key)
    return found if found.rows else replace(page, has_after=False)


def previous_page(filters: Filters, page: Page, size: int = PAGE) -> Page:
    """The page before `page`; a full first page when fewer rows than a page lie before it."""
    if not page.has_before or not page.rows:
        return page
    if filters.ranked:
        return _ranked(filters, max(0, (page.offset or 0) - size), size)
    found = _keyset(filters, size, before=page.first_key, backwards=True)
    if len(found.rows) < size:
        return first_page(filters, size)
    return found


def reload_page(filters: Filters, page: Page, size: int = PAGE) -> Page:
    """`page` read again from where it starts (after an edit or an archive); the first page if it was empty."""
    if filters.ranked:
        return _ranked(filters, page.offset or 0, size)
    if not page.rows or not page.has_before:
        return first_page(filters, size)
    found = _keyset(filters, size, after=page.first_key, inclusive=True)
    return found if found.rows else last_page(filters, size)


def page_from(filters: Filters, name: str, product_id: int, size: int = PAGE) -> Page:
    """The page starting at one product (just added or renamed), so it shows; ranked pages start at the top."""
    if filters.ranked:
        return first_page(filters, size)
    found = _keyset(filters, size, after=(name, product_id), inclusive=True)
    return found if found.rows else last_page(filters, size)


def count(filters: Filters) -> int:
    """How many products the filters show (one query; a full scan when the filters are loose)."""
    return _filtered(Product.select(fn.COUNT(Product.id)), filters).scalar() or 0


def choices() -> tuple[list[str], list[str]]:
    """Category names (each top-level one followed by its children) and tag names, for the filters."""
    cats = list(Category.select(Category.id, Category.name, Category.parent).order_by(Category.name))
    tops = [c for c in cats if c.parent_id is None]
    names: list[str] = []
    for top in tops:
        names.append(top.name)
        names.extend(c.name for c in cats if c.parent_id == top.id)
    names.extend(c.name for c in cats if c.name not in names)  # a child whose parent is a child
    return names, [t.name for t in Tag.select(Tag.name).order_by(Tag.name)]


# -- queries ---------------------------------------------------------------

def _scan_instead(filters: Filters) -> bool:
    """Filters that usually match few rows: read the table and sort, rather than walk the name index."""
    return filters.low_stock or filters.archived == "archived"


def _name(filters: Filters):
    """The name as the page orders it; `name || ''` keeps the same order but no index, forcing the sort."""
    return Product.name.concat("") if _scan_instead(filters) else Product.name


def _keyset(filters: Filters, size: int, *, after: tuple[str, int] | None = None,
            before: tuple[str, int] | None = None, backwards: bool = False, inclusive: bool = False) -> Page:
    name = _name(filters)
    query = _filtered(_query(), filters)
    if after is not None:  # the first condition lets an index seek to the key
        later = Tuple(name, Product.id) >= Tuple(*after) if inclusive else Tuple(name, Product.id) > Tuple(*after)
        query = query.where((name >= after[0]) & later)
    if before is not None:
        query = query.where((name <= before[0]) & (Tuple(name, Product.id) < Tuple(*before)))
    order = (name.desc(), Product.id.desc()) if backwards else (name, Product.id)
    rows = list(query.order_by(*order).limit(size + 1).objects())
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        return Page(_infos(rows), has_before=more, has_after=before is not None)
    return Page(_infos(rows), has_before=after is not None, has_after=more)


def _ranked(filters: Filters, offset: int, size: int) -> Page:
    ids = catalog_search.page_ids(filters.text.strip(), include_archived=filters.archived == "all",
                                  limit=size + 1, offset=offset)
    more = len(ids) > size
    ids = ids[:size]
    found = {r.id: r for r in _query().where(Product.id.in_(ids)).objects()} if ids else {}
    return Page(_infos([found[i] for i in ids if i in found]), has_before=offset > 0, has_after=more, offset=offset)


def _infos(rows: list[Product]) -> tuple[ProductInfo, ...]:
    tags = _tags_of(r.id for r in rows)
    return tuple(_info(r, tags.get(r.id, ())) for r in rows)


def _filtered(query, filters: Filters):
    if filters.archived == "active":
        query = query.where(Product.archived == False)  # noqa: E712
    elif filters.archived == "archived":
        query = query.where(Product.archived == True)  # noqa: E712
    if filters.category:
        query = query.where(Product.category.in_(_category_ids(filters.category)))
    if filters.tag:
        tag = Tag.get_or_none(Tag.name == filters.tag)
        if tag is None:
            raise NotFound(_("no tag named {tag!r}").format(tag=filters.tag))
        query = query.where(Product.id.in_(ProductTag.select(ProductTag.product).where(ProductTag.tag == tag.id)))
    if filters.low_stock:
        query = query.where((Product.reorder_level > 0) & (Product.stock <= Product.reorder_level))
    if filters.text.strip():
        query = query.where(_matches(filters.text.strip()))
    return query


def _category_ids(name: str) -> list[int]:
    category = Category.get_or_none(Category.name == name)
    if category is None:
        raise NotFound(_("no category named {name!r}").format(name=name))
    return [category.id] + [c.id for c in Category.select(Category.id).where(Category.parent == category.id)]


def _matches(text: str):
    """What catalog_search matches: a name holding the term, a barcode starting with it, its category or tag.

    The barcodes, categories and tags are one list of ids (each from an
    index), so rows are not tested one by one against three subqueries. On
    SQLite with the trigram table a term of 3+ characters finds names
    through it (as catalog_search does), so a count agrees with the ranked
    pages.
    """
    in_category = Category.select(Category.id).where(Category.name.contains(text))
    others = (
        Product.select(Product.id).where((Product.barcode >= text) & (Product.barcode < text + "\U0010ffff"))
        | Product.select(Product.id).where(Product.category.in_(in_category))
        | ProductTag.select(ProductTag.product).join(Tag).where(Tag.name.contains(text))
    )
    named = Product.name.contains(text)
    db = database.obj
    if isinstance(db, SqliteDatabase) and len(text) >= catalog_search.TRIGRAM and _has_trigram(db):
        phrase = '"' + text.replace('"', '""') + '"'
        named = Product.id.in_(SQL(f"(SELECT rowid FROM {catalog_search.SEARCH_TABLE}"
                                   f" WHERE {catalog_search.SEARCH_TABLE} MATCH ?)", [phrase]))
    return named | Product.id.in_(others)


def _has_trigram(db: SqliteDatabase) -> bool:
    return bool(db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?",
                               (catalog_search.SEARCH_TABLE,)).fetchone())
