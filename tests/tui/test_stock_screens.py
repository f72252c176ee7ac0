"""The Stock area at the till: offered by permission; receiving, stocktake, adjust, history, low stock."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.db.models import Product, StockMove, Stocktake
from pos_tui.services import integrity, stock
from pos_tui.services.context import Actor
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.adjust import AdjustModal
from pos_tui.tui.modals.ask import AskModal
from pos_tui.tui.modals.choose import ChooseModal
from pos_tui.tui.screens.receiving import ReceivingScreen
from pos_tui.tui.screens.stock import StockScreen
from pos_tui.tui.screens.stocktake_screen import StocktakeScreen

from tests.tui.pilot_helpers import HeldCall, login, settle_workers, shown, wait_until

SOURDOUGH, WHITE, WHOLEMEAL = "4010079190010", "7610158380027", "8010237570032"


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


def _rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def _menu(pilot) -> dict[str, str]:
    await pilot.press("f12")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChooseModal), "the menu")
    return pilot.app.screen.choices


async def _open_stock(pilot) -> None:
    assert (await _menu(pilot))["K"] == "Stock"
    await pilot.press("k")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StockScreen), "the stock screen")
    await wait_until(pilot, lambda: shown(pilot.app, "#stock-notice").startswith("Low stock"), "the low-stock list")


async def test_a_cashier_is_not_offered_stock_and_a_supervisor_sees_low_stock_first(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        assert "K" not in await _menu(pilot)

    white = Product.get(Product.barcode == WHITE)
    stock.adjust(Actor.cli(), WHITE, white.reorder_level - white.stock, "correction")  # down to its level
    low = {item.barcode for item in stock.low_stock()}
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        assert {row[0] for row in _rows(app, "#stock-table")} == low
        assert WHITE in low


async def test_receiving_a_scanner_burst_counts_every_scan_and_commits_once(demo_store):
    before = {code: _stock(code) for code in (SOURDOUGH, WHITE)}
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "the receiving screen")
        # supplier left empty, the reference, then a burst of scans typed without a pause
        await pilot.press("enter", *"DN-500", "enter", *SOURDOUGH, "enter", *WHITE, "enter", *SOURDOUGH, "enter",
                          *f"3*{SOURDOUGH}", "enter")
        await wait_until(pilot, lambda: len(app.screen.lines) == 2, "two lines")
        assert {row[0]: row[2] for row in _rows(app, "#recv-lines")} == {SOURDOUGH: "5", WHITE: "1"}
        # F3 on the white bread line: 4 at 0.85
        app.screen.query_one("#recv-lines").move_cursor(row=1)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the quantity")
        await pilot.press("4", "enter")  # the value is selected: typing replaces it
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal) and "cost" in app.screen.prompt, "the cost")
        await pilot.press(*"0.85", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "back at receiving")
        await pilot.press("f10")
        await wait_until(pilot, lambda: shown(app, "#recv-notice").startswith("Received"), "the delivery received")
        assert "as DN-500" in shown(app, "#recv-notice")
    assert _stock(SOURDOUGH) == before[SOURDOUGH] + 5 and _stock(WHITE) == before[WHITE] + 4
    assert Product.get(Product.barcode == WHITE).cost == 85
    assert StockMove.select().where((StockMove.reason == "receive") & (StockMove.reference == "DN-500")).count() == 2
    assert integrity.check_store() == []


async def test_items_scanned_while_a_delivery_is_received_stay_for_the_next_f10(demo_store, monkeypatch):
    from pos_tui.services import stock as stock_service

    receive = HeldCall(monkeypatch, stock_service, "receive", armed=True)
    before = {code: _stock(code) for code in (SOURDOUGH, WHITE)}
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "the receiving screen")
        await pilot.press("enter", *"DN-502", "enter", *f"2*{SOURDOUGH}", "enter")
        await wait_until(pilot, lambda: len(app.screen.lines) == 1, "one line")
        await pilot.press("f10")
        await wait_until(pilot, receive.reached.is_set, "the receive under way")
        await pilot.press(*SOURDOUGH, "enter", *WHITE, "enter")  # the rest of the boxes, scanned meanwhile
        await wait_until(pilot, lambda: len(app.screen.lines) == 2, "two lines")
        receive.release()
        await wait_until(pilot, lambda: shown(app, "#recv-notice").startswith("Received 1 line(s), 2 units"),
                         "the first part received")
        assert "2 lines scanned meanwhile are still here" in shown(app, "#recv-notice")
        assert {row[0]: row[2] for row in _rows(app, "#recv-lines")} == {SOURDOUGH: "1", WHITE: "1"}
        await pilot.press("f10")
        await wait_until(pilot, lambda: not app.screen.lines, "the rest received")
    assert _stock(SOURDOUGH) == before[SOURDOUGH] + 3 and _stock(WHITE) == before[WHITE] + 1
    assert StockMove.select().where((StockMove.reason == "receive") & (StockMove.reference == "DN-502")).count() == 3


async def test_receiving_refuses_an_unknown_supplier_and_an_unknown_item(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "the receiving screen")
        await pilot.press(*"Nobody Ltd", "enter")
        await wait_until(pilot, lambda: "pos supplier add" in shown(app, "#recv-notice"), "the supplier refused")
        assert app.screen.step == 0
        await pilot.press(*["backspace"] * len("Nobody Ltd"), "enter", *"DN-9", "enter", *"5000000000999", "enter")
        await wait_until(pilot, lambda: "no product with barcode" in shown(app, "#recv-notice"), "the item refused")
        assert app.screen.lines == {}


async def test_a_stocktake_counts_shows_variances_and_applies_after_confirming(demo_store):
    on_hand = _stock(SOURDOUGH)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the scope question")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the section name")
        await pilot.press(*"Bakery", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.take is not None,
                         "the stocktake opened")
        await pilot.press(*SOURDOUGH, "enter", *SOURDOUGH, "enter", *f"2*{WHITE}", "enter")
        await wait_until(pilot, lambda: {r[0]: r[3] for r in _rows(app, "#st-table")} == {SOURDOUGH: "2", WHITE: "2"},
                         "both counted")
        # leave and come back: the counts are kept
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StockScreen), "the hub")
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.take is not None,
                         "the stocktake resumed")
        assert shown(app, "#st-notice").startswith("Resumed ST-")
        sourdough = next(r for r in _rows(app, "#st-table") if r[0] == SOURDOUGH)
        assert sourdough[2:] == [str(on_hand), "2", str(2 - on_hand)]
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the confirmation")
        assert set(app.screen.choices) == {"Y", "Z", "N"}
        await pilot.press("y")
        await wait_until(pilot, lambda: shown(app, "#st-notice").startswith("Applied"), "the stocktake applied")
    assert _stock(SOURDOUGH) == 2 and _stock(WHITE) == 2
    assert Stocktake.select().where(Stocktake.status == "applied").count() == 1
    assert _stock(WHOLEMEAL) != 0  # not counted, left alone
    assert integrity.check_store() == []


async def test_adjust_history_and_a_cashier_area_guard(demo_store):
    before = _stock(SOURDOUGH)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AdjustModal), "the adjust dialog")
        await pilot.press(*SOURDOUGH, "enter", *"-2", "enter", *"dropped", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the reason")
        await pilot.press("d")
        await wait_until(pilot, lambda: "(damage), stock now" in shown(app, "#stock-notice"), "the adjustment")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the history barcode")
        await pilot.press(*SOURDOUGH, "enter")
        await wait_until(pilot, lambda: shown(app, "#stock-notice").startswith("History of Sourdough"), "the history")
        first = _rows(app, "#stock-table")[0]
        assert first[1:4] == ["-2", "damage", "dropped"] and first[4] == "supervisor"
        assert first[5] == str(before - 2)
        await settle_workers(app)
    assert _stock(SOURDOUGH) == before - 2


async def test_the_screen_hides_nothing_the_service_does_not_guard(demo_store):
    """A cashier's actor reaching the screen by other means is refused by the service itself."""
    cashier = Actor("cashier", "cashier", 3)
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        screen = StockScreen(cashier)
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.is_mounted and shown(app, "#stock-notice").startswith("Low stock"),
                         "the list")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AdjustModal), "the adjust dialog")
        await pilot.press(*SOURDOUGH, "enter", *"-1", "enter", "enter", "t")
        await wait_until(pilot, lambda: "stock.adjust" in shown(app, "#stock-notice"), "the refusal")
    assert StockMove.select().where(StockMove.reason == "theft").count() == 0


async def test_a_refusal_stays_in_view_when_the_list_read_on_the_way_back_lands_after_it(demo_store, monkeypatch):
    """Closing the dialog reads the low-stock list again; if that read ends after the refusal came, the
    cashier must still see why nothing changed."""
    from pos_tui.services import stock as stock_service

    low_stock = HeldCall(monkeypatch, stock_service, "low_stock")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        screen = StockScreen(Actor("cashier", "cashier", 3))
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.is_mounted and shown(app, "#stock-notice").startswith("Low stock"),
                         "the list")
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(app.screen, AdjustModal), "the adjust dialog")
        low_stock.hold()  # the list read on the way back from the dialog
        await pilot.press(*SOURDOUGH, "enter", *"-1", "enter", "enter", "t")
        await wait_until(pilot, lambda: "stock.adjust" in shown(app, "#stock-notice") and low_stock.reached.is_set(),
                         "the refusal, with the list still being read")
        low_stock.release()
        await settle_workers(app)
        await pilot.pause()
        assert "stock.adjust" in shown(app, "#stock-notice")
        assert screen.query_one("#stock-notice").has_class("error")
    assert StockMove.select().where(StockMove.reason == "theft").count() == 0


async def test_a_low_stock_read_that_ends_after_a_history_asked_for_since_does_not_cover_it(demo_store, monkeypatch):
    from pos_tui.services import stock as stock_service

    low_stock = HeldCall(monkeypatch, stock_service, "low_stock")
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        screen = app.screen
        await wait_until(pilot, lambda: shown(app, "#stock-notice").startswith("Low stock"), "the list")
        low_stock.hold()
        await pilot.press("f6")  # low stock again: this read is slow
        await wait_until(pilot, low_stock.reached.is_set, "the slow read")
        await pilot.press("f5")
        await wait_until(pilot, lambda: isinstance(app.screen, AskModal), "the history prompt")
        await pilot.press(*SOURDOUGH, "enter")
        await wait_until(pilot, lambda: shown(app, "#stock-notice").startswith("History of"), "the history")
        low_stock.release()
        await settle_workers(app)
        await pilot.pause()
        assert shown(app, "#stock-notice").startswith("History of") and screen.showing == SOURDOUGH
        table = screen.query_one("#stock-table")
        assert [str(c.label) for c in table.columns.values()][0] == "Time"  # the history's columns, not the list's


async def test_a_count_scanned_while_the_variances_are_read_stays_on_the_list(demo_store, monkeypatch):
    from pos_tui.services import stocktake as stocktake_service

    variances = HeldCall(monkeypatch, stocktake_service, "variances", work_first=True)  # read now, drawn later
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseModal), "the scope question")
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, StocktakeScreen) and app.screen.take is not None,
                         "the stocktake opened")
        variances.hold()
        await pilot.press("f5")  # the variances, read before the scan lands
        await wait_until(pilot, variances.reached.is_set, "the slow read")
        await pilot.press(*SOURDOUGH, "enter")
        await wait_until(pilot, lambda: [r[0] for r in _rows(app, "#st-table")] == [SOURDOUGH], "the count")
        variances.release()
        await settle_workers(app)
        await pilot.pause()
        assert [r[0] for r in _rows(app, "#st-table")] == [SOURDOUGH]
        assert shown(app, "#st-notice").startswith("Resumed ST-")  # the variances were read again and shown


async def test_a_pasted_block_of_codes_is_one_receiving_scan_per_line(demo_store):
    from textual import events

    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "supervisor", "2222")
        await _open_stock(pilot)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "the receiving screen")
        await pilot.press("enter", *"DN-501", "enter")
        await wait_until(pilot, lambda: app.screen.step == 2, "the scan field")
        app.post_message(events.Paste(f"{WHITE}\n{SOURDOUGH}\n{WHITE}\n"))
        await wait_until(pilot, lambda: {r[0]: r[2] for r in _rows(app, "#recv-lines")} == {WHITE: "2", SOURDOUGH: "1"},
                         "three pasted scans")

