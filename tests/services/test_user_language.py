"""A user's own till language: set by someone with user.manage, audited, "store" goes back to the store's."""

from __future__ import annotations

import json

import pytest

from pos_tui.db.models import AuditLog
from pos_tui.errors import NotFound, ValidationError
from pos_tui.services import auth
from pos_tui.services.context import Actor
from pos_tui.services.permissions import PermissionDenied
from pos_tui.services.user_language import set_user_language, user_language, user_languages


@pytest.fixture
def cathy(store, admin_actor) -> Actor:
    auth.add_user(admin_actor, "cathy", "pw-cathy-1", "cashier")
    return auth.authenticate("cathy", "pw-cathy-1")


def _audits() -> list[dict]:
    rows = AuditLog.select().where(AuditLog.action == "user.language").order_by(AuditLog.id)
    return [json.loads(row.details) for row in rows]


def test_a_new_user_follows_the_store_until_given_a_language_and_store_clears_it(cathy, admin_actor):
    assert user_language("cathy") is None

    assert set_user_language(admin_actor, "cathy", "zh-cn") == "zh_CN"
    assert user_language("cathy") == "zh_CN"
    assert user_languages()["cathy"] == "zh_CN"
    assert set_user_language(admin_actor, "cathy", "zh_CN") == "zh_CN"  # already so: nothing written

    assert set_user_language(admin_actor, "cathy", "Store") is None
    assert user_language("cathy") is None
    assert _audits() == [{"before": "store", "after": "zh_CN"}, {"before": "zh_CN", "after": "store"}]


@pytest.mark.parametrize(("who", "name", "language", "error"), [
    ("admin", "cathy", "fr", ValidationError),
    ("admin", "nobody", "en", NotFound),
    ("cathy", "cathy", "en", PermissionDenied),
])
def test_bad_input_or_no_user_manage_is_refused_and_changes_nothing(cathy, admin_actor, who, name, language, error):
    actor = admin_actor if who == "admin" else cathy
    with pytest.raises(error):
        set_user_language(actor, name, language)
    assert user_language("cathy") is None
    assert _audits() == []
