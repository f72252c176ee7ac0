"""Reading the audit log: filters, prefixes, paging, and who may read it at all."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pos_tui.db.models import AuditLog, database
from pos_tui.errors import ValidationError
from pos_tui.services import audit, auth
from pos_tui.services.context import Actor
from tests.services.conftest import drop_audit_guards, raw_sql
from pos_tui.services.permissions import PermissionDenied

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def history(store, admin_actor, monkeypatch) -> list[int]:
    """A known history, one row an hour from T0, written through audit.record."""
    casey = Actor(username="casey", role="cashier", os_user="till1")
    shell = Actor(username="", role="admin", os_user="maria", owner=True)
    rows = [
        ("login", casey, "casey", {}),
        ("drawer.open", casey, "1", {"reason": "sale"}),
        ("sale.void_line", casey, "1", {"name": "Tea"}),
        ("drawer.no_sale", casey, "1", {}),
        ("drawerx.test", shell, "", {}),  # shares the letters of `drawer` but not the prefix `drawer.`
        ("sale.voidXline", shell, "", {}),  # would match `sale.void_line` if `_` were a LIKE wildcard
        ("setting.change", shell, "store.name", {"after": "Corner Shop"}),
        ("drawer.open", casey, "1", {"reason": "no sale"}),
    ]
    before = AuditLog.select().count()
    for hour, (action, actor, target, details) in enumerate(rows):
        monkeypatch.setattr(audit, "utc_now", lambda hour=hour: T0 + timedelta(hours=hour))
        audit.record_now(action, actor, target, **details)
    ids = [row.id for row in AuditLog.select(AuditLog.id).order_by(AuditLog.id)]
    assert len(ids) == before + len(rows)
    return ids[before:]


def _actions(found: list[audit.AuditEntry]) -> list[str]:
    return [e.action for e in found]


def test_search_is_newest_first_with_the_details(history, admin_actor):
    found = audit.search(admin_actor, limit=3)
    assert [e.id for e in found] == history[::-1][:3]
    assert _actions(found) == ["drawer.open", "setting.change", "sale.voidXline"]
    assert found[0].details == {"reason": "no sale"}
    assert found[0].time == T0 + timedelta(hours=7)


def test_an_exact_action_matches_only_itself(history, admin_actor):
    assert _actions(audit.search(admin_actor, action="drawer.open")) == ["drawer.open", "drawer.open"]
    assert _actions(audit.search(admin_actor, action="sale.void_line")) == ["sale.void_line"]
    assert audit.search(admin_actor, action="drawer") == []


def test_a_prefix_with_a_star_matches_its_family_and_nothing_near_it(history, admin_actor):
    assert _actions(audit.search(admin_actor, action="drawer.*")) == ["drawer.open", "drawer.no_sale", "drawer.open"]
    assert _actions(audit.search(admin_actor, action="sale.void_*")) == ["sale.void_line"]
    assert set(_actions(audit.search(admin_actor, action="drawer*"))) == {"drawer.open", "drawer.no_sale", "drawerx.test"}


def test_a_star_alone_matches_everything(history, admin_actor):
    assert len(audit.search(admin_actor, action="*", limit=1000)) == AuditLog.select().count()


def test_a_star_in_the_middle_is_refused(history, admin_actor):
    with pytest.raises(ValidationError, match="at the end"):
        audit.search(admin_actor, action="drawer.*.open")


def test_user_matches_the_till_user_or_the_os_user(history, admin_actor):
    assert _actions(audit.search(admin_actor, user="casey")) == [
        "drawer.open", "drawer.no_sale", "sale.void_line", "drawer.open", "login"]
    assert _actions(audit.search(admin_actor, user="maria")) == ["setting.change", "sale.voidXline", "drawerx.test"]
    assert _actions(audit.search(admin_actor, user="till1", action="drawer.*")) == [
        "drawer.open", "drawer.no_sale", "drawer.open"]
    assert audit.search(admin_actor, user="nobody") == []


def test_since_is_inclusive_and_until_exclusive(history, admin_actor):
    found = audit.search(admin_actor, since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=4))
    assert _actions(found) == ["drawer.no_sale", "sale.void_line"]
    # The same moment written in another zone is the same moment.
    paris = timezone(timedelta(hours=1))
    assert audit.search(admin_actor, since=(T0 + timedelta(hours=7)).astimezone(paris))[0].id == history[-1]


def test_a_time_without_a_zone_is_refused(history, admin_actor):
    with pytest.raises(ValidationError, match="time zone"):
        audit.search(admin_actor, since=datetime(2026, 11, 20, 9, 0))


def test_paging_back_with_before_id_walks_every_row_once(history, admin_actor):
    seen: list[int] = []
    before = None
    while True:
        page = audit.search(admin_actor, limit=3, before_id=before)
        if not page:
            break
        assert len(page) <= 3
        seen += [e.id for e in page]
        before = page[-1].id
    assert seen == sorted(seen, reverse=True)
    assert seen == [row.id for row in AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc())]


def test_paging_keeps_the_filters(history, admin_actor):
    first = audit.search(admin_actor, action="drawer.*", limit=2)
    rest = audit.search(admin_actor, action="drawer.*", limit=2, before_id=first[-1].id)
    assert [e.id for e in first + rest] == [history[7], history[3], history[1]]


@pytest.mark.parametrize("limit", [0, -1, audit.MAX_PAGE + 1])
def test_a_limit_out_of_range_is_refused(history, admin_actor, limit):
    with pytest.raises(ValidationError, match="limit"):
        audit.search(admin_actor, limit=limit)


def test_a_cashier_may_not_read_or_verify_the_log(history, admin_actor):
    auth.add_user(admin_actor, "casey", "1111", "cashier")
    cashier = auth.authenticate("casey", "1111")
    with pytest.raises(PermissionDenied, match=r"audit\.view"):
        audit.search(cashier)
    with pytest.raises(PermissionDenied, match=r"audit\.view"):
        audit.verify(cashier)


def test_the_shell_owner_and_an_admin_may_read_it(history, admin_actor):
    assert audit.search(Actor.cli(), limit=1)[0].id == history[-1]
    assert audit.search(admin_actor, limit=1)[0].id == history[-1]


def _tamper(sql: str, params: tuple) -> None:
    drop_audit_guards()
    database.execute_sql(raw_sql(sql), params)


def test_verify_reports_an_intact_log_with_its_row_count(history, admin_actor):
    report = audit.verify(admin_actor)
    assert report.intact
    assert report.rows == AuditLog.select().count()


def test_verify_names_an_edited_row_and_why(history, admin_actor):
    victim = history[2]
    _tamper("UPDATE audit_log SET target = 'lane 9' WHERE id = ?", (victim,))
    report = audit.verify(admin_actor)
    assert not report.intact
    assert (report.broken_id, report.broken_action) == (victim, "sale.void_line")
    assert report.broken_time == T0 + timedelta(hours=2)
    assert "hash does not match" in report.reason
    assert report.rows == AuditLog.select().where(AuditLog.id < victim).count()


def test_verify_names_the_row_after_deleted_ones(history, admin_actor):
    _tamper("DELETE FROM audit_log WHERE id IN (?, ?)", (history[3], history[4]))
    report = audit.verify(admin_actor)
    assert report.broken_id == history[5]
    assert f"rows {history[3]}-{history[4]} were deleted" in report.reason
    assert audit.verify_chain() == history[5]


def test_verify_names_a_row_whose_link_was_rewritten(history, admin_actor):
    _tamper("UPDATE audit_log SET hash = ? WHERE id = ?", ("0" * 64, history[5]))
    report = audit.verify(admin_actor)
    # The rewritten row itself no longer matches its content.
    assert report.broken_id == history[5]
    assert "hash does not match" in report.reason


def test_verify_names_a_first_row_that_no_longer_starts_the_chain(history, admin_actor):
    first = AuditLog.select(AuditLog.id).order_by(AuditLog.id).first().id
    _tamper("DELETE FROM audit_log WHERE id = ?", (first,))
    report = audit.verify(admin_actor)
    assert report.broken_id == first + 1
    assert report.rows == 0
    assert "rows before it were deleted" in report.reason


def test_verify_walks_past_one_batch(store, admin_actor, monkeypatch):
    monkeypatch.setattr(audit, "_VERIFY_BATCH", 4)
    for n in range(10):
        audit.record_now("test.row", admin_actor, str(n))
    total = AuditLog.select().count()
    assert audit.verify(admin_actor).rows == total
    victim = AuditLog.select(AuditLog.id).where(AuditLog.target == "7").get().id
    _tamper("UPDATE audit_log SET details = '{\"x\": 1}' WHERE id = ?", (victim,))
    assert audit.verify(admin_actor).broken_id == victim
