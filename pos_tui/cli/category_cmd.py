"""`pos category list|add|rename|move|delete`: product categories, two levels deep."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Product categories (two levels: a category may sit under a top-level one)."),
                  no_args_is_help=True)


def _json(c) -> dict:
    return {"name": c.name, "parent": c.parent or None, "products": c.products, "children": list(c.children)}


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Every category, subcategories indented under their parent, with product counts."""
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import categories

    open_store()
    found = categories.list_categories()
    if as_json:
        print_json([_json(c) for c in found])
        return
    for c in found:
        name = f"  {c.name}" if c.parent else c.name
        typer.echo(f"{fit(name, 50)} " + _("{n} product(s)").format(n=f"{c.products:>7}"))


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
    if c.parent:
        typer.echo(_("added category {name} under {parent}").format(name=c.name, parent=c.parent))
    else:
        typer.echo(_("added category {name}").format(name=c.name))


@app.command("rename")
def rename(old: str, new: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Rename a category; its products follow (audited)."""
    from pos_tui.services import categories

    open_store()
    actor = acting(as_user, password_stdin)
    c = categories.rename_category(actor, old, new)
    typer.echo(_("renamed category {old} to {new}").format(old=old.strip(), new=c.name))


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
        raise ValidationError(_("give --parent CATEGORY or --top, one of them"))
    open_store()
    actor = acting(as_user, password_stdin)
    c = categories.move_category(actor, name, None if top else parent)
    if c.parent:
        typer.echo(_("moved category {name} under {parent}").format(name=c.name, parent=c.parent))
    else:
        typer.echo(_("moved category {name} to the top").format(name=c.name))


@app.command("delete")
def delete(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delete an unused category: no products and no subcategories (audited)."""
    from pos_tui.services import categories

    open_store()
    actor = acting(as_user, password_stdin)
    categories.delete_category(actor, name)
    typer.echo(_("deleted category {name}").format(name=name.strip()))
