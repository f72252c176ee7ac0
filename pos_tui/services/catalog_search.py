"""Which products a search shows, in which order: fast at 100,000 products.

A product matches when its name holds the term, or its category's or one of
its tags' names does (any case), or its barcode starts with it. Names that
start with the term come first, then the others; each group by name without
case, then by id, so that pages never repeat or skip a product.

On a SQLite store, migration 0007 adds the FTS5 trigram table
`product_search`, which finds the names holding a term of 3+ characters
without reading every name, and `product_name_nocase`, in whose order a
frequent term walks the names and stops once the page is full. A rare term
(few candidates) is sorted instead: a walk would read every name before
filling its page. Terms of 1-2 characters (2-character CJK words are common)
have no trigram, so they walk with LIKE: quick when frequent, one pass over
the name index when rare. Without those indexes (PostgreSQL), one LIKE query
sorts all the matches.
"""

from __future__ import annotations

from peewee import Case, SqliteDatabase, fn

from pos_tui.db.models import Category, Product, ProductTag, Tag, database

SEARCH_TABLE = "product_search"
NAME_INDEX = "product_name_nocase"
TRIGRAM = 3  # the shortest term the trigram index can find
FEW = 500  # up to this many candidates are sorted; more walk the name index


def page_ids(text: str, *, include_archived: bool = False, limit: int | None = None, offset: int = 0) -> list[int]:
    """Ids of the products matching `text` (stripped, non-empty), in result order, one page of them."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        built = {name for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE name IN (?, ?)", (SEARCH_TABLE, NAME_INDEX)).fetchall()}
        if NAME_INDEX in built:
            trigram = SEARCH_TABLE in built and len(text) >= TRIGRAM
            return _Sqlite(db, text, include_archived, trigram).page(limit, offset)
    return _portable(text, include_archived, limit, offset)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Sqlite:
    """The indexed search: SQL written for SQLite, its FTS5 table and its NOCASE index."""

    def __init__(self, db: SqliteDatabase, text: str, include_archived: bool, trigram: bool) -> None:
        self.db = db
        self.params: dict[str, object] = {
            "pattern": f"%{_like(text)}%",
            "head": f"{_like(text)}%",
            "low": text,
            "high": text + "\U0010ffff",  # every barcode starting with `text` sorts below this
            "phrase": '"' + text.replace('"', '""') + '"',
        }
        self.active = "" if include_archived else "AND archived = 0"
        self.trigram = trigram
        grouped = (
            "SELECT id FROM product WHERE category_id IN"
            " (SELECT id FROM category WHERE name LIKE :pattern ESCAPE '\\')"
            " UNION ALL SELECT pt.product_id FROM product_tag pt JOIN tag t ON t.id = pt.tag_id"
            " WHERE t.name LIKE :pattern ESCAPE '\\'"
        )
        # The barcode range is tested on each row, not gathered into the IN set:
        # a digit term like "770" starts most barcodes, and a set of 100,000 ids
        # costs more to build than the walk it serves.
        barcode = "(barcode >= :low AND barcode < :high)"
        others = f"{grouped} UNION ALL SELECT id FROM product WHERE {barcode}"
        if trigram:
            names = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :phrase"
            self.candidates = f"{names} UNION ALL {others}"
            self.matches = f"({barcode} OR id IN ({names} UNION ALL {grouped}))"
        elif self._ids(f"SELECT EXISTS ({others})")[0]:
            self.matches = f"(name LIKE :pattern ESCAPE '\\' OR {barcode} OR id IN ({grouped}))"
        else:  # the usual short term: testing each name against an empty set would double a rare term's walk
            self.matches = "name LIKE :pattern ESCAPE '\\'"

    def page(self, limit: int | None, offset: int) -> list[int]:
        if limit is None or (self.trigram and self._few()):
            return self._sorted(limit, offset)
        return self._walk(limit, offset)

    def _ids(self, sql: str, **params: object) -> list[int]:
        return [row[0] for row in self.db.execute_sql(sql, {**self.params, **params}).fetchall()]

    def _few(self) -> bool:
        sql = f"SELECT count(*) FROM ({self.candidates} LIMIT :few)"
        return self._ids(sql, few=FEW)[0] < FEW

    def _sorted(self, limit: int | None, offset: int) -> list[int]:
        """Sort every match: cheap when there are few."""
        sql = (f"SELECT id FROM product WHERE {self.matches} {self.active}"
               " ORDER BY name LIKE :head ESCAPE '\\' DESC, name COLLATE NOCASE, id LIMIT :limit OFFSET :offset")
        return self._ids(sql, limit=-1 if limit is None else limit, offset=offset)

    def _walk(self, limit: int, offset: int) -> list[int]:
        """Names starting with the term (a range of the index), then the rest in index order, stopping at the page."""
        head_sql = (f"SELECT id FROM product WHERE name LIKE :head ESCAPE '\\' {self.active}"
                    " ORDER BY name COLLATE NOCASE, id LIMIT :limit OFFSET :offset")
        ids = self._ids(head_sql, limit=limit, offset=offset)
        if len(ids) == limit:
            return ids
        if ids or offset == 0:
            skip = 0
        else:  # the page starts past the names starting with the term: skip what is left of the rest
            heads = f"SELECT count(*) FROM product WHERE name LIKE :head ESCAPE '\\' {self.active}"
            skip = offset - self._ids(heads)[0]
        rest_sql = (f"SELECT id FROM product INDEXED BY {NAME_INDEX}"
                    f" WHERE NOT (name LIKE :head ESCAPE '\\') {self.active} AND {self.matches}"
                    " ORDER BY name COLLATE NOCASE, id LIMIT :limit OFFSET :offset")
        return ids + self._ids(rest_sql, limit=limit - len(ids), offset=skip)


def _portable(text: str, include_archived: bool, limit: int | None, offset: int) -> list[int]:
    """One query any database runs: every match sorted (PostgreSQL, or a store without the indexes)."""
    tagged = ProductTag.select(ProductTag.product).join(Tag).where(Tag.name.contains(text))
    in_category = Category.select(Category.id).where(Category.name.contains(text))
    query = Product.select(Product.id).where(
        Product.name.contains(text)
        | Product.barcode.startswith(text)
        | Product.category.in_(in_category)
        | Product.id.in_(tagged)
    )
    if not include_archived:
        query = query.where(Product.archived == False)  # noqa: E712
    head = Case(None, [(Product.name.startswith(text), 0)], 1)
    query = query.order_by(head, fn.LOWER(Product.name), Product.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    elif offset:
        query = query.offset(offset)
    return [pid for (pid,) in query.tuples()]
