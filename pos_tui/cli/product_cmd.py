"""`pos product import|export|list|show`."""


from pathlib import Path
from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json

app = typer.Typer(help="The catalogue: import, export, list, show.", no_args_is_help=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="UTF-8 CSV with barcode,name,price,…")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="only check the file")] = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Import products, all or nothing: one bad row imports nothing."""
    from pos_tui.services import product_import
    from pos_tui.services.permissions import require

    current = open_store()
    actor = acting(as_user, password_stdin)
    require(actor, "product.edit")  # before reading a large file
    rows = product_import.parse_products(product_import.read_csv(file), set(current.tax_rates()))
    result = product_import.import_products(actor, rows, dry_run=dry_run, source=file.name)
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {len(rows)} rows: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.stock_moves} stock moves"
    )


@app.command("export")
def export(
    file: Annotated[Path | None, typer.Argument(metavar="[FILE]", help="write here instead of stdout")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
) -> None:
    """Every product, in the import's columns (so the file imports back)."""
    import json

    from pos_tui.errors import ValidationError
    from pos_tui.services import product_import

    if fmt not in ("csv", "json"):
        raise ValidationError(f"format {fmt!r} must be csv or json")
    open_store()
    rows = product_import.export_rows()
    text = product_import.to_csv(rows) if fmt == "csv" else json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if file is None:
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot write {file}: {exc.strerror}") from None
    typer.echo(f"exported {len(rows)} products to {file}", err=True)


@app.command("list")
def list_(
    search: Annotated[str, typer.Option("--search", help="part of a name, barcode or category")] = "",
    archived: Annotated[bool, typer.Option("--archived", help="include archived products")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Products by name."""
    from pos_tui.cli.serialize import product_json
    from pos_tui.domain.money import format_money
    from pos_tui.domain.quantity import format_qty
    from pos_tui.services import catalog

    open_store()
    products = catalog.list_products(search, include_archived=archived)
    if as_json:
        print_json([product_json(p) for p in products])
        return
    for p in products:
        typer.echo(f"{p.barcode:<14} {p.name[:40]:<40} {format_money(p.price):>9} {format_qty(p.stock):>9} {p.category}")


@app.command("show")
def show(barcode: str, as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """One product."""
    from pos_tui.cli.serialize import product_json
    from pos_tui.services import catalog

    open_store()
    data = product_json(catalog.get_product(barcode))
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key:<14} {', '.join(value) if isinstance(value, list) else value}")
