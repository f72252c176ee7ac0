"""The till's devices: the status line's warnings, reprint and retry through the queue, F9 no-sale,
the drawer lamp, and the drawer rules settings screen."""

from __future__ import annotations

from pos_tui.db.models import PrintJob, Sale
from pos_tui.hardware.base import HardwareError
from pos_tui.hardware.simulated import SimulatedPrinter
from pos_tui.services import audit
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.modals.override import OverrideModal
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, settle_workers, wait_until

BREAD = "4010079190010"  # 3.20


class UnpluggedPrinter(SimulatedPrinter):
    """The simulated printer with its cable out until `plugged`."""

    plugged = False

    def print_receipt(self, name, lines, barcode=None):
        if not self.plugged:
            raise HardwareError("printer offline; check the cable and power, then print the receipt again")
        super().print_receipt(name, lines, barcode)


class SensorDrawer:
    """A drawer with a sensor: a kick opens it, the test shuts it."""

    def __init__(self) -> None:
        self.shut, self.kicks = True, []

    def open(self, reason: str) -> None:
        self.kicks.append(reason)
        self.shut = False

    def is_open(self) -> bool:
        return not self.shut


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def _cash_sale(pilot, app, *keys: str) -> str:
    before = Sale.select().count()
    await scan(pilot, BREAD)
    await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "a line")
    await pilot.press("f10")
    await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
    await pilot.press(*(keys or ("enter",)))
    await wait_until(pilot, lambda: Sale.select().count() == before + 1, "the sale")
    return Sale.select().order_by(Sale.id.desc()).first().receipt_no


async def test_an_unplugged_printer_keeps_the_receipt_waiting_and_retry_prints_it(demo_store):
    app = PosApp(demo_store)
    app.printer = UnpluggedPrinter(demo_store.home / "receipts")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        receipt = await _cash_sale(pilot, app)
        await wait_until(pilot, lambda: "printer offline" in _text(app, "#device-warnings")
                         and "1 receipt waiting" in _text(app, "#device-warnings"), "the warning")
        assert Sale.get(Sale.receipt_no == receipt).total == 320  # the sale is safe
        app.printer.plugged = True
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "Printing 1 failed receipt again" in _text(app, "#notice"), "the retry")
        await wait_until(pilot, lambda: _text(app, "#device-warnings").strip() == "", "the warning cleared")
        await settle_workers(app)
    assert (demo_store.home / "receipts" / f"{receipt}.txt").exists()
    assert PrintJob.get(PrintJob.receipt_no == receipt).state == "done"


async def test_ctrl_p_queues_a_copy_job(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        receipt = await _cash_sale(pilot, app, "k", "enter")
        await pilot.press("ctrl+p")
        copy = demo_store.home / "receipts" / f"{receipt}-copy.txt"
        await wait_until(pilot, copy.exists, "the copy printed")
        await settle_workers(app)
    assert [(j.kind, j.state) for j in PrintJob.select().where(PrintJob.receipt_no == receipt).order_by(PrintJob.id)] \
        == [("receipt", "done"), ("copy", "done")]


async def test_the_drawer_lamp_and_the_left_open_and_next_sale_warnings(demo_store):
    demo_store.set("drawer.rules.open_warning_s", "1")
    app = PosApp(demo_store)
    app.drawer = SensorDrawer()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await wait_until(pilot, lambda: "Drawer: shut" in _text(app, "#drawer-lamp"), "the lamp shut")
        await _cash_sale(pilot, app, *"5", "enter")
        await wait_until(pilot, lambda: "Drawer: OPEN" in _text(app, "#drawer-lamp"), "the lamp open")
        await wait_until(pilot, lambda: "drawer open" in _text(app, "#device-warnings"), "left open too long")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "the next basket")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "payment")
        assert "the drawer is still open" in str(app.screen_stack[-2].query_one("#notice").render())
        await pilot.press("escape")
        app.drawer.shut = True
        await wait_until(pilot, lambda: "Drawer: shut" in _text(app, "#drawer-lamp"), "the lamp shut again")
        assert "drawer open" not in _text(app, "#device-warnings")


async def _no_sale(pilot, app, letter: str = "b") -> None:
    await pilot.press("f9")
    await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the reasons")
    assert "check the float" in str(app.screen.choices.values())
    await pilot.press(letter)


async def test_f9_opens_the_drawer_for_a_supervisor_with_a_reason(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _no_sale(pilot, app)
        await wait_until(pilot, lambda: "Drawer opened: no sale (check the float)" in _text(app, "#notice"),
                         "the opening")
        await settle_workers(app)
    assert "no sale: check the float" in (demo_store.home / "receipts" / "drawer.log").read_text()
    row = audit.entries("drawer.open")[0]
    assert row.username == "supervisor" and row.details["why"] == "no_sale" and row.details["outcome"] == "opened"


async def test_f9_by_a_cashier_needs_a_supervisor(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await _no_sale(pilot, app)
        await wait_until(pilot, lambda: isinstance(app.screen, OverrideModal), "the supervisor's approval")
        await pilot.press(*"supervisor", "enter", *"2222", "enter")
        await wait_until(pilot, lambda: "approved by supervisor" in _text(app, "#notice"), "the opening")
        await settle_workers(app)
    row = audit.entries("drawer.open")[0]
    assert row.username == "cashier" and row.details["approver"] == "supervisor"


async def test_f9_outside_the_hours_or_past_the_maximum_is_refused_and_changes_nothing(demo_store):
    demo_store.set("drawer.rules.no_sale_max", "1")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _no_sale(pilot, app)
        await wait_until(pilot, lambda: "Drawer opened" in _text(app, "#notice"), "the first opening")
        await _no_sale(pilot, app)
        await wait_until(pilot, lambda: "No sale refused" in _text(app, "#notice"), "the refusal")
        assert "its 1 no-sale openings" in _text(app, "#notice")
        demo_store.set("drawer.rules.no_sale_max", "0")
        demo_store.set("drawer.rules.no_sale_hours", "03:00-03:01")
        await _no_sale(pilot, app)
        await wait_until(pilot, lambda: "allowed 03:00-03:01 only" in _text(app, "#notice"), "the hours refusal")
        await settle_workers(app)
    assert len(audit.entries("drawer.open")) == 1


async def test_the_settings_screen_changes_a_rule_with_an_audit_and_refuses_a_bad_one(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "admin", "admin")
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
        assert app.screen.choices["S"] == "Settings"
        await pilot.press("s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DrawerSettingsScreen", "the settings")
        await pilot.press("h")  # no_sale_hours
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the new value")
        await pilot.press(*"09:00-17:00", "enter")
        await wait_until(pilot, lambda: "-> 09:00-17:00" in _text(app, "#notice"), "the change")
        await pilot.press("i")  # no_sale_max
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the new value")
        await pilot.press("ctrl+a", "backspace", *"lots", "enter")
        await wait_until(pilot, lambda: "must be a whole number" in _text(app, "#notice"), "the refusal")
        await pilot.press("e")  # shift_open flips
        await wait_until(pilot, lambda: "shift_open: yes -> no" in _text(app, "#notice"), "the flip")
        await settle_workers(app)
    text = (demo_store.home / "config.toml").read_text(encoding="utf-8")
    assert "[drawer.rules]" in text and 'no_sale_hours = "09:00-17:00"' in text and "shift_open = false" in text
    assert demo_store.get("drawer.rules.no_sale_max") == 5
    assert [e.target for e in audit.entries("setting.change")][:2] == ["drawer.rules.shift_open",
                                                                       "drawer.rules.no_sale_hours"]


async def test_a_cashier_has_no_settings_area(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the menu")
        assert "S" not in app.screen.choices


async def test_in_training_the_lamp_shows_what_the_drawer_would_have_done_and_it_stays_shut(demo_store):
    from dataclasses import replace

    app = PosApp(demo_store)
    app.drawer = SensorDrawer()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        app.screen.actor = replace(app.screen.actor, training=True)  # until the training toggle arrives
        await _cash_sale(pilot, app, *"5", "enter")
        await wait_until(pilot, lambda: "Drawer: would open" in _text(app, "#drawer-lamp"), "the training lamp")
        await settle_workers(app)
    assert app.drawer.kicks == []
    assert audit.entries("drawer.open")[0].details["outcome"] == "training: not opened"
