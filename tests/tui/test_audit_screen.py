"""The audit log at the till: offered by permission, filtered, paged, opened, verified."""

from __future__ import annotations

from pos_tui.config import save_settings
from pos_tui.db.models import AuditLog, database
from pos_tui.services import audit, permissions
from pos_tui.services.context import Actor
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.audit_entry import AuditEntryModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.screens.audit_log import PAGE, AuditLogScreen

from tests.tui.pilot_helpers import login, wait_until


def _notice(app) -> str:
    return str(app.screen.query_one("#audit-notice").render())


def _rows(app) -> list[list[str]]:
    table = app.screen.query_one("#audit-table")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _actions(app) -> list[str]:
    return [row[3] for row in _rows(app)]


async def _menu(pilot) -> dict[str, str]:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    return pilot.app.screen.choices


async def _open_audit(pilot) -> None:
    assert "A" in await _menu(pilot)
    await pilot.press("a")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AuditLogScreen), "the audit screen")
    await _wait_page(pilot)


async def _wait_page(pilot) -> None:
    await wait_until(pilot, lambda: not pilot.app.screen.loading and _notice(pilot.app).startswith(("Page", "No ")),
                     "a page of audit rows")


async def test_an_admin_opens_it_from_the_menu_and_sees_their_login_first(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        rows = _rows(app)
        newest = [r.action for r in AuditLog.select().order_by(AuditLog.id.desc()).limit(PAGE)]
        assert _actions(app) == newest  # the newest page of the demo's log (its orders fill more than one)
        assert rows[0][1:4] == ["admin", app.os_user[:8], "login"]
        assert app.current_mode == "audit"


async def test_a_cashier_or_supervisor_is_not_offered_it(demo_store):
    for name, pin in (("cashier", "1111"), ("supervisor", "2222")):
        app = PosApp(demo_store)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, name, pin)
            assert "A" not in await _menu(pilot)


async def test_a_role_granted_audit_view_is_offered_it(demo_store):
    permissions.grant(Actor.cli(), "cashier", ["audit.view"])
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _open_audit(pilot)
        assert _rows(app)[0][1] == "cashier"


async def test_filters_narrow_the_rows_by_action_prefix_and_user(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        everything = _actions(app)
        await pilot.press("f2", *"user", "enter")
        await _wait_page(pilot)
        assert set(_actions(app)) == {"user.add"}
        added = AuditLog.select().where(AuditLog.action == "user.add").count()
        assert len(_actions(app)) == added < len(everything)
        # Both filters at once: only admin's own rows of actions starting "log".
        app.screen.query_one("#audit-action").value = "log"
        app.screen.set_focus(app.screen.query_one("#audit-user"))
        await pilot.press(*"admin", "enter")
        await _wait_page(pilot)
        assert [(row[1], row[3]) for row in _rows(app)] == [("admin", "login")]
        app.screen.query_one("#audit-action").value = "nothing.like.this"
        await pilot.press("f2", "enter")
        await wait_until(pilot, lambda: _notice(app).startswith("No audit rows match"), "no rows")
        assert _rows(app) == []


async def test_pages_go_back_to_older_rows_and_forward_again(demo_store):
    for n in range(PAGE + 5):
        audit.record_now("test.row", Actor.cli(), f"t{n}")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        first = [row[4] for row in _rows(app)]
        assert len(first) == PAGE and first[1] == f"t{PAGE + 4}"
        await pilot.press("f7")
        await wait_until(pilot, lambda: _notice(app).startswith("Page 2"), "page 2")
        older = [row[4] for row in _rows(app)]
        total = AuditLog.select().count()
        assert older[:5] == [f"t{n}" for n in range(5, 0, -1)] and len(older) == min(PAGE, total - PAGE)
        assert ("the oldest rows" in _notice(app)) == (total <= 2 * PAGE)
        await pilot.press("f6")
        await wait_until(pilot, lambda: _notice(app).startswith("Page 1"), "page 1 again")
        assert [row[4] for row in _rows(app)] == first


async def test_enter_shows_a_row_in_full(demo_store):
    audit.record_now("drawer.no_sale", Actor(username="supervisor", role="supervisor", os_user="till"), "lane 1",
                     reason="change for the float", note="x" * 60)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        assert _actions(app)[:2] == ["login", "drawer.no_sale"]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AuditEntryModal), "the row in full")
        fields = str(app.screen.query_one("#audit-entry-fields").render())
        details = str(app.screen.query_one("#audit-entry-details").render())
        assert "supervisor" in fields and "drawer.no_sale" in fields and "lane 1" in fields
        assert '"reason": "change for the float"' in details and "x" * 60 in details
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, AuditLogScreen), "back to the log")


async def test_verify_shows_intact_then_broken_naming_the_row(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        await pilot.press("f9")
        await wait_until(pilot, lambda: _notice(app).startswith("Chain"), "the verdict")
        assert _notice(app) == f"Chain intact: all {AuditLog.select().count()} rows check out"
        victim = AuditLog.select().where(AuditLog.action == "product.import").get().id
        database.execute_sql("DROP TRIGGER audit_log_no_update")
        database.execute_sql("UPDATE audit_log SET details = '{}' WHERE id = ?", (victim,))
        await pilot.press("f5")
        await _wait_page(pilot)
        await pilot.press("f9")
        await wait_until(pilot, lambda: _notice(app).startswith("Chain"), "the verdict")
        assert f"Chain BROKEN at row {victim} " in _notice(app) and "product.import" in _notice(app)
        assert app.screen.query_one("#audit-notice").has_class("error")


async def test_the_verify_key_can_be_remapped(demo_store):
    demo_store.set("keys.audit.verify", "f8")
    save_settings(demo_store)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await _open_audit(pilot)
        await pilot.press("f8")
        await wait_until(pilot, lambda: _notice(app).startswith("Chain intact"), "verify on F8")
