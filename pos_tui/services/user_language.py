"""A user's own language at the till; without one they get the store's `locale` (issue 11).

Kept apart from auth.py: the till asks for it once per login, the CLI sets it,
and nothing else about a user depends on it.
"""

from __future__ import annotations

from pos_tui.db.database import write_transaction
from pos_tui.db.models import User
from pos_tui.i18n import normalize_language
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

STORE = "store"  # what `pos user language NAME store` means: follow the store's locale again


def _get(username: str) -> User:
    """The user row; an unknown name is auth's NotFound, with its message."""
    from pos_tui.services.auth import get_user

    return User.get_by_id(get_user(username.strip()).id)


def user_language(username: str) -> str | None:
    """The user's own language ("en", "zh_CN"), or None when they follow the store's locale."""
    user = User.get_or_none(User.username == username.strip())
    return user.language if user is not None and user.language else None


def user_languages() -> dict[str, str | None]:
    """username -> own language (None: the store's), for listing every user at once."""
    return {u.username: (u.language or None) for u in User.select(User.username, User.language)}


def set_user_language(actor: Actor, username: str, language: str) -> str | None:
    """Give a user their own till language, or "store" to follow the store's locale; returns what is set.

    A code no catalogue has is refused before anything changes; setting what is
    already set writes nothing.
    """
    require(actor, "user.manage")
    wanted = None if language.strip().lower() == STORE else normalize_language(language)
    with write_transaction():
        user = _get(username)
        before = user.language or None
        if before != wanted:
            user.language = wanted
            user.save()
            audit.record("user.language", actor, user.username, before=before or STORE, after=wanted or STORE)
    return wanted
