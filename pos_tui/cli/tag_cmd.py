"""`pos tag list|add|rename|delete|assign|unassign`: free labels on products."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Product tags (many per product, lower case)."), no_args_is_help=True)


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help=N_("print JSON"))] = False) -> None:
    """Every tag with how many products carry it."""
    from pos_tui.hardware.text_width import fit
    from pos_tui.services import tags

    open_store()
    found = tags.list_tags()
    if as_json:
        print_json([{"name": t.name, "products": t.products} for t in found])
        return
    for t in found:
        typer.echo(f"{fit(t.name, 50)} " + _("{n} product(s)").format(n=f"{t.products:>7}"))


@app.command("add")
def add(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Add a tag (audited)."""
    from pos_tui.services import tags

    open_store()
    actor = acting(as_user, password_stdin)
    typer.echo(_("added tag {name}").format(name=tags.add_tag(actor, name).name))


@app.command("rename")
def rename(old: str, new: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Rename a tag on every product carrying it (audited)."""
    from pos_tui.services import tags

    open_store()
    actor = acting(as_user, password_stdin)
    t = tags.rename_tag(actor, old, new)
    typer.echo(_("renamed tag {old} to {new} ({n} product(s))").format(old=old.strip().lower(), new=t.name,
                                                                       n=t.products))


@app.command("delete")
def delete(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delete a tag, taking it off every product (audited)."""
    from pos_tui.services import tags

    open_store()
    actor = acting(as_user, password_stdin)
    removed = tags.delete_tag(actor, name)
    typer.echo(_("deleted tag {name}; taken off {n} product(s)").format(name=name.strip().lower(), n=removed))


@app.command("assign")
def assign(barcode: str, tag: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Put a tag on a product; a new tag name is created (audited)."""
    from pos_tui.services import tags

    open_store()
    actor = acting(as_user, password_stdin)
    t = tags.assign_tag(actor, barcode, tag)
    typer.echo(_("tagged {barcode} {tag}").format(barcode=barcode.strip(), tag=t.name))


@app.command("unassign")
def unassign(barcode: str, tag: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Take a tag off a product (audited)."""
    from pos_tui.services import tags

    open_store()
    actor = acting(as_user, password_stdin)
    t = tags.unassign_tag(actor, barcode, tag)
    typer.echo(_("untagged {barcode} {tag}").format(barcode=barcode.strip(), tag=t.name))
