"""Who is acting: the till's logged-in user, or the OS user running the CLI."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

ROLES = ("cashier", "supervisor", "admin")  # the built-in roles; shops may add their own


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


@dataclass(frozen=True)
class Actor:
    """The person a service acts for.

    `owner` is the shell user who owns the store's files (`pos` without `--as`):
    they hold every permission, and the audit names their OS user.
    """

    username: str
    role: str
    user_id: int | None = None
    os_user: str = ""
    training: bool = False
    owner: bool = False

    @classmethod
    def cli(cls) -> "Actor":
        """An admin at the shell: the store's files are theirs, so they act as admin."""
        name = os_user()
        return cls(username="", role="admin", user_id=None, os_user=name, owner=True)
