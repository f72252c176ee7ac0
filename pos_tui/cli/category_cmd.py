"""`pos category list|add|rename|move|delete`: product categories, two levels deep."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_

app = typer.Typer(help=N_("Product categories (two levels: a category may sit under a top-level one)."),
                  no_args_is_help=True)


def _json(c) -> dict:
    return {"name": c.name, "parent": c.parent or None, "products": c.products, "children": list(c.children)}


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Every category, subcategories indented under their parent, with product counts."""
    from pos_tui.services import categories

    open_store()
    found = categories.list_categories()
    if as_json:
        print_json([_json(c) for c in found])
        return
    for c in found:
        name = f"  {c.name}" if c.parent else c.name
        typer.echo(f"{name[:50]:<50} {c.products:>7} product(s)")


@app.command("add")
def add(
    name: str,
    parent: Annotated[str, typer.Option("--parent", help=N_("a top-level category to put it under"))] = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a category (audited)."""
    from pos_tui.services import categories

    open_store()
    actor = acting(as_user, password_stdin)
    c = categories.add_category(actor, name, parent)
    typer.echo(f"added category {c.name}" + (f" under {c.parent}" if c.parent else ""))


@app.command("rename")
def rename(old: str, new: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Rename a category; its products follow (audited)."""
    from pos_tui.services import categories

    open_store()
    actor = acting(as_user, password_stdin)
    c = categories.rename_category(actor, old, new)
    typer.echo(f"renamed category {old.strip()} to {c.name}")


@app.command("move")
def move(
    name: str,
    parent: Annotated[str | None, typer.Option("--parent", help=N_("the top-level category to put it under"))] = None,
    top: Annotated[bool, typer.Option("--top", help=N_("make it a top-level category"))] = False,
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Put a category under another, or at the top (audited)."""
    from pos_tui.errors import ValidationError
    from pos_tui.services import categories

    if (parent is None) == (not top):
        raise ValidationError("give --parent CATEGORY or --top, one of them")
    open_store()
    actor = acting(as_user, password_stdin)
    c = categories.move_category(actor, name, None if top else parent)
    typer.echo(f"moved category {c.name} " + (f"under {c.parent}" if c.parent else "to the top"))


@app.command("delete")
def delete(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delete an unused category: no products and no subcategories (audited)."""
    from pos_tui.services import categories

    open_store()
    actor = acting(as_user, password_stdin)
    categories.delete_category(actor, name)
    typer.echo(f"deleted category {name.strip()}")
