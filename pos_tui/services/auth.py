"""Users, passwords/PINs (salted scrypt) and logins with lockout."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.db.models import User
from pos_tui.errors import AuthError, NotFound, ValidationError
from pos_tui.i18n import _
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require, role_exists

MIN_PASSWORD = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """A salted scrypt hash: `scrypt$n$r$p$salt$hash`, all base64."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    enc = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${enc(salt)}${enc(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: str
    disabled: bool
    locked_until: datetime | None
    training: bool = False  # every login of theirs is in training mode

    @classmethod
    def of(cls, user: User) -> "UserInfo":
        return cls(user.id, user.username, user.full_name, user.role, user.disabled, user.locked_until,
                   bool(user.training))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(_("a password or PIN needs at least {MIN_PASSWORD} characters").format(MIN_PASSWORD=MIN_PASSWORD))


def check_username(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or not all(c.isalnum() or c in "._-" for c in cleaned):
        raise ValidationError(
            _("user name {name!r} must be 1-64 letters, digits, '.', '_' or '-'").format(name=name)
        )
    return cleaned


def _get(username: str) -> User:
    user = User.get_or_none(User.username == username)
    if user is None:
        raise NotFound(_("no user named {username!r}; see `pos user list`").format(username=username))
    return user


def check_role(role: str) -> str:
    if not role_exists(role):
        from pos_tui.services.permissions import list_roles

        names = ", ".join(r.name for r in list_roles())
        raise ValidationError(_("role {role!r} does not exist; the roles are {names} (see `pos role list`)").format(role=role, names=names))
    return role.strip()


def add_user(actor: Actor, username: str, password: str, role: str, full_name: str = "") -> UserInfo:
    require(actor, "user.manage")
    name = check_username(username)
    role = check_role(role)
    check_password(password)
    with write_transaction():
        if User.select().where(User.username == name).exists():
            raise ValidationError(_("a user named {name!r} already exists").format(name=name))
        user = User.create(username=name, full_name=full_name, role=role, password_hash=hash_password(password))
        audit.record("user.add", actor, name, role=role)
    return UserInfo.of(user)


def get_user(username: str) -> UserInfo:
    return UserInfo.of(_get(username))


def list_users() -> list[UserInfo]:
    return [UserInfo.of(u) for u in User.select().order_by(User.username)]


def set_password(actor: Actor, username: str, password: str) -> None:
    """An admin sets anyone's password (and clears a lockout)."""
    require(actor, "user.manage")
    check_password(password)
    with write_transaction():
        user = _get(username)
        user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        audit.record("user.passwd", actor, username)


def change_own_password(actor: Actor, old: str, new: str) -> None:
    """Any user changes their own password, proving the old one first."""
    if actor.user_id is None:
        raise ValidationError(_("only a till user has a password to change; use `pos user passwd NAME`"))
    check_password(new)
    if old == new:
        raise ValidationError(_("the new password is the same as the old one"))
    with write_transaction():
        user = User.get_by_id(actor.user_id)
        if not verify_password(old, user.password_hash):
            audit.record("user.passwd_refused", actor, user.username, reason="wrong current password")
            refused = True
        else:
            user.password_hash = hash_password(new)
            user.save()
            audit.record("user.passwd", actor, user.username, own=True)
            refused = False
    if refused:
        raise AuthError(_("the current password is wrong; nothing changed"))


def set_role(actor: Actor, username: str, role: str) -> UserInfo:
    require(actor, "user.manage")
    role = check_role(role)
    with write_transaction():
        user = _get(username)
        before = user.role
        if before == "admin" and role != "admin" and _last_admin(user):
            raise ValidationError(_("{username} is the last enabled admin; make another admin first").format(username=user.username))
        user.role = role
        user.save()
        audit.record("user.role", actor, user.username, before=before, after=role)
    return UserInfo.of(user)


def _last_admin(user: User) -> bool:
    others = User.select().where((User.role == "admin") & (User.disabled == False) & (User.id != user.id))  # noqa: E712
    return not others.exists()


def set_disabled(actor: Actor, username: str, disabled: bool) -> UserInfo:
    require(actor, "user.manage")
    with write_transaction():
        user = _get(username)
        if disabled and user.role == "admin" and not user.disabled and _last_admin(user):
            raise ValidationError(_("{username} is the last enabled admin; make another admin first").format(username=user.username))
        user.disabled = disabled
        user.save()
        audit.record("user.disable" if disabled else "user.enable", actor, username)
    return UserInfo.of(user)


def set_training(actor: Actor, username: str, on: bool) -> UserInfo:
    """Put a user in training (each login of theirs is training mode) or take them out.

    Takes effect at their next login; setting what is already set writes nothing.
    """
    require(actor, "user.manage")
    with write_transaction():
        user = _get(username)
        if bool(user.training) != on:
            user.training = on
            user.save()
            audit.record("user.training", actor, user.username, before=not on, after=on)
    return UserInfo.of(user)


def authenticate(
    username: str, password: str, *, os_user: str = "", max_failures: int = 5, lockout_minutes: int = 15,
    now: datetime | None = None, record_login: bool = True,
) -> Actor:
    """Check a login; count failures and lock the user after too many.

    The failure message never says whether the user exists.
    """
    now = now or utc_now()
    refusal: str | None = None
    # The failure count and audit rows must commit, so refuse after the transaction.
    with write_transaction():
        user = User.get_or_none(User.username == username.strip())
        anonymous = Actor(username=username.strip()[:64], role="", os_user=os_user)
        if user is None or user.disabled:
            audit.record("login.failed", anonymous, username.strip()[:64], reason="unknown or disabled")
            refusal = _("wrong user name or password")
        elif user.locked_until is not None and user.locked_until > now:
            audit.record("login.failed", anonymous, user.username, reason="locked")
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            refusal = _("{username} is locked after too many failed logins; try again in {minutes} min").format(username=user.username, minutes=minutes)
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            refusal = _("wrong user name or password")
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lockout_minutes)
                user.failed_logins = 0
                refusal = _("{username} is now locked for {lockout_minutes} min after {max_failures} failed logins").format(username=user.username, lockout_minutes=lockout_minutes, max_failures=max_failures)
            user.save()
            audit.record("login.failed", anonymous, user.username, reason="wrong password")
            if user.locked_until is not None and user.locked_until > now:
                audit.record("user.locked", anonymous, user.username, minutes=lockout_minutes)
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.save()
            actor = Actor(username=user.username, role=user.role, user_id=user.id, os_user=os_user,
                          training=bool(user.training))
            if record_login:  # a supervisor's PIN for an override is audited as the override
                audit.record("login", actor, user.username, **({"training": True} if actor.training else {}))
    if refusal is not None:
        raise AuthError(refusal)
    return actor
