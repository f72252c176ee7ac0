"""`pos user language NAME en|zh_CN|store`: the till's language for one user."""

from __future__ import annotations

import json

import pytest


def _language(pos, ok, name: str):
    return {u["username"]: u for u in json.loads(ok(pos("user", "list", "--json")))}[name]["language"]


def test_language_is_set_listed_and_cleared_back_to_the_store(store, pos, ok):
    ok(pos("user", "add", "lin", "--role", "cashier", "--password-stdin", input="1111\n"))
    assert _language(pos, ok, "lin") is None

    assert ok(pos("user", "language", "lin", "zh-CN")) == "lin gets zh_CN at the till\n"
    assert _language(pos, ok, "lin") == "zh_CN"

    assert ok(pos("user", "language", "lin", "store")) == "lin gets the store's language at the till\n"
    assert _language(pos, ok, "lin") is None


@pytest.mark.parametrize(("args", "fragments"), [
    (("user", "language", "lin", "klingon"), ("'klingon'", "en, zh_CN")),
    (("user", "language", "nobody", "en"), ("'nobody'", "pos user list")),
    (("user", "language", "lin", "en", "--as", "lin", "--password-stdin"), ("lin (cashier) may not", "user.manage")),
])
def test_bad_input_or_no_user_manage_is_one_error_line_and_changes_nothing(store, pos, ok, refused, args, fragments):
    ok(pos("user", "add", "lin", "--role", "cashier", "--password-stdin", input="1111\n"))

    refused(pos(*args, input="1111\n"), *fragments)

    assert _language(pos, ok, "lin") is None
