"""`pos role list|show|permissions|grant|revoke|create|delete`."""


from typing import Annotated

import typer

from pos_tui.cli.state import AsUser, PasswordStdin, acting, open_store, print_json
from pos_tui.i18n import N_, _

app = typer.Typer(help=N_("Roles and the permissions they grant."), no_args_is_help=True)
Json = Annotated[bool, typer.Option("--json", help=N_("print JSON"))]
Permissions = Annotated[list[str], typer.Argument(metavar="PERMISSION...", help=N_("names from `pos role permissions`"))]


def _role_json(role) -> dict:
    return {"name": role.name, "description": role.description, "builtin": role.builtin,
            "users": role.users, "permissions": list(role.permissions)}


def _description(role) -> str:
    """A built-in role's description is the product's text (marked N_() where defined); a shop's own is its data."""
    return _(role.description) if role.builtin and role.description else role.description


def _show(role) -> None:
    built_in = " " + _("(built in)") if role.builtin else ""
    typer.echo(f"{role.name}{built_in}: {_description(role)}")
    typer.echo(_("users: {users}").format(users=role.users))
    for perm in role.permissions:
        typer.echo(f"  {perm}")
    if not role.permissions:
        typer.echo("  " + _("(no permissions)"))


@app.command("list")
def list_(as_json: Json = False) -> None:
    """Every role, its users and permissions."""
    from pos_tui.services.permissions import list_roles

    open_store()
    roles = list_roles()
    if as_json:
        print_json([_role_json(r) for r in roles])
        return
    for r in roles:
        typer.echo(f"{r.name:<12} " + _("{users} user(s)  {permissions} permission(s)").format(
            users=f"{r.users:>3}", permissions=f"{len(r.permissions):>2}") + f"  {_description(r)}")


@app.command("show")
def show(name: str, as_json: Json = False) -> None:
    """One role's permissions."""
    from pos_tui.services.permissions import get_role

    open_store()
    role = get_role(name)
    if as_json:
        print_json(_role_json(role))
    else:
        _show(role)


@app.command("permissions")
def permissions(as_json: Json = False) -> None:
    """Every permission there is, and what it allows."""
    from pos_tui.services.permissions import PERMISSIONS

    if as_json:
        print_json([{"name": k, "allows": v} for k, v in PERMISSIONS.items()])
        return
    for name, allows in PERMISSIONS.items():
        typer.echo(f"{name:<26} {_(allows)}")  # the permission's name stays; what it allows is marked N_()


@app.command("grant")
def grant(role: str, perms: Permissions, as_user: AsUser = None, password_stdin: PasswordStdin = False,
          as_json: Json = False) -> None:
    """Add permissions to a role (audited)."""
    from pos_tui.services import permissions

    open_store()
    info = permissions.grant(acting(as_user, password_stdin), role, perms)
    print_json(_role_json(info)) if as_json else _show(info)


@app.command("revoke")
def revoke(role: str, perms: Permissions, as_user: AsUser = None, password_stdin: PasswordStdin = False,
           as_json: Json = False) -> None:
    """Take permissions from a role (audited)."""
    from pos_tui.services import permissions

    open_store()
    info = permissions.revoke(acting(as_user, password_stdin), role, perms)
    print_json(_role_json(info)) if as_json else _show(info)


@app.command("create")
def create(
    name: str,
    copy_from: Annotated[str | None, typer.Option("--from", metavar="ROLE", help=N_("start with this role's permissions"))] = None,
    description: Annotated[str, typer.Option("--description", help=N_("what the role is for"))] = "",
    as_user: AsUser = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """A role of the shop's own (limits: `pos config set limits.NAME.discount_percent 5`)."""
    from pos_tui.services import permissions

    open_store()
    info = permissions.create_role(acting(as_user, password_stdin), name, description=description, copy_from=copy_from)
    typer.echo(_("created role {name} with {n} permission(s)").format(name=info.name, n=len(info.permissions)))


@app.command("delete")
def delete(name: str, as_user: AsUser = None, password_stdin: PasswordStdin = False) -> None:
    """Delete a role of the shop's own that no user has."""
    from pos_tui.services import permissions

    open_store()
    permissions.delete_role(acting(as_user, password_stdin), name)
    typer.echo(_("deleted role {name}").format(name=name))
