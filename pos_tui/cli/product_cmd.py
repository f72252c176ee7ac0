"""`pos product import|export|list|show|add|edit|archive|unarchive|label`."""


from pathlib import Path
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, export_rows_as, open_store, print_json, write_output
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("The catalogue: import, export, list, show, add, edit, archive, label."), no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help=N_("UTF-8 CSV with barcode,name,price,…"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=N_("only check the file"))] = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Import products, all or nothing: one bad row imports nothing."""
    from pos_tui.services import product_import
    from pos_tui.services.gc_pause import gc_paused
    from pos_tui.services.permissions import require

    current = open_store()
    actor = acting(as_user, password_stdin)
    require(actor, "product.edit")  # before reading a large file
    # A big file makes some hundred thousand objects (its rows, the store's rows read to compare) that live
    # until the import ends and hold no cycles: the cyclic GC's passes over them took 0.4 to 1.0 s of CPU
    # of a 100,000-row import.
    with gc_paused():
        rows = product_import.parse_products(product_import.read_csv(file), set(current.tax_rates()))
        result = product_import.import_products(actor, rows, dry_run=dry_run, source=file.name)
    if dry_run:
        done = _("would import {rows} rows: {new} new, {updated} updated, {unchanged} unchanged, {moves} stock moves")
    else:
        done = _("imported {rows} rows: {new} new, {updated} updated, {unchanged} unchanged, {moves} stock moves")
    typer.echo(done.format(rows=len(rows), new=result.created, updated=result.updated, unchanged=result.unchanged,
                           moves=result.stock_moves))


@app.command("export")
def export(
    file: Annotated[Path | None, typer.Argument(metavar="[FILE]", help=N_("write here instead of stdout"))] = None,
    fmt: Annotated[str, typer.Option("--format", help=N_("csv or json"))] = "csv",
) -> None:
    """Every product, in the import's columns (so the file imports back)."""
    from pos_tui.services import product_import

    open_store()
    rows = product_import.export_rows()
    write_output(export_rows_as(rows, fmt, product_import.to_csv), file,
                 _("{n} products").format(n=len(rows)))


@app.command("list")
def list_(
    search: Annotated[str, typer.Option("--search", help=N_("part of a name, barcode or category"))] = "",
    archived: Annotated[bool, typer.Option("--archived", help=N_("include archived products"))] = False,
    category: Annotated[str, typer.Option("--category", help=N_("only this category (and its subcategories)"))] = "",
    tag: Annotated[str, typer.Option("--tag", help=N_("only products with this tag"))] = "",
    low: Annotated[bool, typer.Option("--low", help=N_("only products at or below their reorder level"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False,
) -> None:
    """Products by name."""
    from pos_tui.cli.serialize import product_json
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import catalog, products as product_service

    open_store()
    if category or tag or low:
        products = product_service.find_products(search, category=category, tag=tag, low=low,
                                                 include_archived=archived)
    else:
        products = catalog.list_products(search, include_archived=archived)
    if as_json:
        print_json([product_json(p) for p in products])
        return
    for p in products:
        typer.echo(f"{p.barcode:<14} {fit(p.name, 40)} {format_money(p.price):>9} {format_qty(p.stock):>9} {p.category}")


@app.command("show")
def show(barcode: str, as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """One product."""
    from pos_tui.cli.serialize import product_json
    from pos_tui.hardware.text_width import pad_right
    from pos_tui.services import catalog

    open_store()
    data = product_json(catalog.get_product(barcode))
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        field = _FIELDS[key]
        typer.echo(f"{pad_right(_(field), 14)} {', '.join(value) if isinstance(value, list) else value}")


# The fields of a product as `pos product show` and `pos product edit` name them (the JSON keys stay as they are).
_FIELDS = {
    "barcode": N_("barcode"), "name": N_("name"), "price": N_("price"), "cost": N_("cost"), "category": N_("category"),
    "tax_class": N_("tax_class"), "unit": N_("unit"), "stock": N_("stock"), "reorder_level": N_("reorder_level"),
    "tags": N_("tags"), "archived": N_("archived"), "supplier": N_("supplier"),
}


# --- one product at a time ------------------------------------------------------------------------

def _money(text, what):
    from pos_tui.domain.money import parse_money

    return None if text is None else parse_money(text, what=what)


def _qty(text, what):
    from pos_tui.domain.quantity import parse_qty

    return None if text is None else parse_qty(text, what=what)


def _summary(p) -> str:
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty

    extra = f", {p.category}" if p.category else ""
    return _("{barcode} {name} {price} (stock {stock}{category})").format(
        barcode=p.barcode, name=p.name, price=format_money(p.price), stock=format_qty(p.stock), category=extra)


@app.command("add")
def add(
    barcode: Annotated[str, typer.Argument(help=N_("the GTIN (EAN-13, UPC-A, EAN-8, GTIN-14) with its check digit"))],
    name: Annotated[str, typer.Argument(help=N_("the name on the till and the receipt"))],
    price: Annotated[str, typer.Option("--price", help=N_("selling price, like 2.50 (per kg for --unit kg)"))],
    cost: Annotated[str, typer.Option("--cost", help=N_("cost price, like 1.40"))] = "0",
    category: Annotated[str, typer.Option("--category", help=N_("an existing category (`pos category add`)"))] = "",
    tags: Annotated[list[str] | None, typer.Option("--tag", help=N_("a tag; repeat for more"))] = None,
    tax_class: Annotated[str, typer.Option("--tax-class", help=N_("a tax class with a rate (tax.rate.CLASS)"))] = "standard",
    unit: Annotated[str, typer.Option("--unit", help=N_("each or kg"))] = "each",
    reorder_level: Annotated[str, typer.Option("--reorder-level", help=N_("low stock at or below this"))] = "0",
    supplier: Annotated[str, typer.Option("--supplier", help=N_("an existing supplier"))] = "",
    stock: Annotated[str, typer.Option("--stock", help=N_("opening stock, written as a `receive` stock move"))] = "0",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add one product (audited)."""
    from pos_tui.services import products

    current = open_store()
    actor = acting(as_user, password_stdin)
    product = products.add_product(
        actor, barcode=barcode, name=name, price=_money(price, _("price")), cost=_money(cost, _("cost")),
        tax_class=tax_class, unit=unit, category=category, tags=tags or (),
        reorder_level=_qty(reorder_level, _("reorder level")), supplier=supplier,
        stock=_qty(stock, _("opening stock")),
        tax_classes=set(current.tax_rates()),
    )
    typer.echo(_("added {product}").format(product=_summary(product)))


@app.command("edit")
def edit(
    barcode: Annotated[str, typer.Argument(help=N_("the product's barcode"))],
    name: Annotated[str | None, typer.Option("--name", help=N_("a new name"))] = None,
    price: Annotated[str | None, typer.Option("--price", help=N_("a new selling price, like 2.50"))] = None,
    cost: Annotated[str | None, typer.Option("--cost", help=N_("a new cost price"))] = None,
    category: Annotated[str | None, typer.Option("--category", help=N_("an existing category; \"\" for none"))] = None,
    tags: Annotated[list[str] | None, typer.Option("--tag", help=N_("the product's tags (replace them all); repeat"))] = None,
    no_tags: Annotated[bool, typer.Option("--no-tags", help=N_("take every tag off"))] = False,
    tax_class: Annotated[str | None, typer.Option("--tax-class", help=N_("a tax class with a rate"))] = None,
    unit: Annotated[str | None, typer.Option("--unit", help=N_("each or kg"))] = None,
    reorder_level: Annotated[str | None, typer.Option("--reorder-level", help=N_("low stock at or below this"))] = None,
    supplier: Annotated[str | None, typer.Option("--supplier", help=N_("an existing supplier; \"\" for none"))] = None,
    new_barcode: Annotated[str | None, typer.Option("--barcode", metavar="NEW", help=N_("give it a new barcode"))] = None,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Change some fields of one product (audited); stock changes only through stock moves."""
    from pos_tui.errors import ValidationError
    from pos_tui.services import catalog, products

    if tags and no_tags:
        raise ValidationError(_("give --tag or --no-tags, not both"))
    changes = {key: value for key, value in {
        "name": name, "price": _money(price, _("price")), "cost": _money(cost, _("cost")), "category": category,
        "tax_class": tax_class, "unit": unit, "reorder_level": _qty(reorder_level, _("reorder level")),
        "supplier": supplier, "barcode": new_barcode,
    }.items() if value is not None}
    if tags or no_tags:
        changes["tags"] = tuple(tags or ())
    if not changes:
        raise ValidationError(_("nothing to change; give at least one option, like --price 2.50 (see --help)"))
    current = open_store()
    actor = acting(as_user, password_stdin)
    before = catalog.get_product(barcode)
    after = products.edit_product(actor, barcode, tax_classes=set(current.tax_rates()), **changes)
    changed = _changed_fields(before, after)
    if not changed:
        typer.echo(_("{barcode} {name}: nothing changed").format(barcode=after.barcode, name=after.name))
        return
    typer.echo(_("changed {barcode} {name}: {changes}").format(
        barcode=after.barcode, name=after.name, changes="; ".join(changed)))


def _changed_fields(before, after) -> list[str]:
    from pos_tui.cli.serialize import product_json

    old, new = product_json(before), product_json(after)
    shown = []
    for key in ("barcode", "name", "price", "cost", "category", "tags", "tax_class", "unit", "reorder_level", "supplier"):
        if old[key] != new[key]:
            none = _("none")
            show = (lambda v: ", ".join(v) or none) if key == "tags" else (lambda v: v if v != "" else none)
            field = _FIELDS[key]
            shown.append(f"{_(field)} {show(old[key])} -> {show(new[key])}")
    return shown


@app.command("archive")
def archive(barcode: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delist a product: the till no longer sells it; its history stays (audited)."""
    from pos_tui.services import products

    open_store()
    actor = acting(as_user, password_stdin)
    product = products.archive_product(actor, barcode)
    typer.echo(_("archived {barcode} {name}").format(barcode=product.barcode, name=product.name))


@app.command("unarchive")
def unarchive(barcode: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """List an archived product again (audited)."""
    from pos_tui.services import products

    open_store()
    actor = acting(as_user, password_stdin)
    product = products.unarchive_product(actor, barcode)
    typer.echo(_("unarchived {barcode} {name}").format(barcode=product.barcode, name=product.name))


@app.command("label")
def label(
    barcode: str,
    copies: Annotated[int, typer.Option("--copies", help=N_("how many labels (1-100)"))] = 1,
    lane: Annotated[str | None, typer.Option("--lane", help=N_("the lane whose printer prints it (default: this till's)"))] = None,
    now: Annotated[bool, typer.Option("--now", help=N_("print at once here instead of leaving it to the lane's till "
                                      "(when no till is running)"))] = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Queue shelf labels (name, price, barcode) for the lane's receipt printer."""
    from pos_tui.services import labels

    current = open_store()
    actor = acting(as_user, password_stdin)
    if now and lane is not None:
        current.values["lane"] = lane
    printer = _label_printer(current) if now else None
    jobs = labels.print_label(actor, current, barcode, copies, lane=lane)
    typer.echo(_("queued {n} label(s) for {barcode} on lane {lane}").format(
        n=len(jobs), barcode=barcode.strip(), lane=jobs[0].lane))
    if printer is None:
        typer.echo(_("the lane's till prints them; without a till running, use `pos print drain`"))
        return
    from pos_tui.errors import PosError
    from pos_tui.services.print_worker import PrintWorker

    worker = PrintWorker(current, printer)
    printed = worker.drain()
    typer.echo(_("printed {printed} job(s); {waiting} waiting").format(printed=printed, waiting=worker.status.waiting))
    if worker.status.problem:
        raise PosError(_("the printer: {problem}; the labels stay queued (`pos print retry`)").format(
            problem=worker.status.problem))


def _label_printer(current):
    from pos_tui.cli.print_cmd import _printer

    return _printer(current)
