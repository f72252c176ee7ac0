"""The first till through Textual's Pilot: login, scan, pay, and the sale lands."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.db.models import Product, Sale, SaleLine, StockMove
from pos_tui.services import audit
from pos_tui.tui.app import PosApp
from pos_tui.tui.modals.payment import PaymentModal

from tests.tui.pilot_helpers import login, scan, wait_until, settle_workers

BREAD = "4010079190010"  # Sourdough Loaf 800g, 3.20
HALLOUMI = "9313246790415"  # Halloumi 225g, 2.75
BANANAS_1234G = "2100001012342"  # Loose Bananas 1.234 kg at 1.10/kg = 1.36


def _stock(barcode: str) -> Decimal:
    return Product.get(Product.barcode == barcode).stock


async def test_login_scan_three_items_pay_cash_records_the_sale(demo_store):
    before = {code: _stock(code) for code in (BREAD, HALLOUMI)}
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        for code in (BREAD, HALLOUMI, BANANAS_1234G):
            await scan(pilot, code)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 3, "three cart lines")
        assert app.screen.cart.totals().total == 320 + 275 + 136
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
        await pilot.press("enter")
        await wait_until(pilot, lambda: Sale.select().count() == sales_before + 1, "the sale in the database")
        await settle_workers(app)
        await wait_until(pilot, lambda: "saved" in str(app.screen.query_one("#notice").render()), "the saved notice")
        assert app.screen.cart.is_empty

    sale = Sale.select().order_by(Sale.id.desc()).first()
    assert sale.total == 731 and sale.cashier.username == "cashier"
    assert [line.barcode for line in SaleLine.select().where(SaleLine.sale == sale).order_by(SaleLine.position)] == [
        BREAD, HALLOUMI, BANANAS_1234G,
    ]
    assert _stock(BREAD) == before[BREAD] - 1
    assert _stock(HALLOUMI) == before[HALLOUMI] - 1
    moves = StockMove.select().where(StockMove.reference == sale.receipt_no)
    assert sorted(m.delta for m in moves) == [Decimal("-1.234"), Decimal(-1), Decimal(-1)]
    assert audit.entries("sale.commit", limit=1)[0].target == sale.receipt_no


async def test_typed_amount_tenders_cash_and_shows_change(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one cart line")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
        await pilot.press(*"10", "enter")
        await wait_until(pilot, lambda: "Change due: 6.80" in str(app.screen.query_one("#notice").render()),
                         "the change shown")
        assert "CHANGE" in str(app.screen.query_one("#totals").render())
    sale = Sale.select().order_by(Sale.id.desc()).first()
    payment = sale.payments.get()
    assert (payment.tender, payment.amount, payment.tendered, payment.change) == ("cash", 320, 1000, 680)


async def test_too_little_cash_leaves_the_rest_due_and_escape_keeps_the_cart(demo_store):
    sales_before = Sale.select().count()
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one cart line")
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, PaymentModal), "the payment dialog")
        await pilot.press(*"1", "enter")
        assert isinstance(app.screen, PaymentModal)
        assert "2.20 still due" in str(app.screen.query_one("#payment-message").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PaymentModal), "the dialog to close")
        assert len(app.screen.cart.lines) == 1
    assert Sale.select().count() == sales_before


async def test_unknown_barcode_says_not_found_and_leaves_the_cart(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, BREAD)
        await scan(pilot, "5000000000005")  # a valid EAN-13 the shop does not sell
        await wait_until(pilot, lambda: "not found: 5000000000005 - press F2 to search" in str(
            app.screen.query_one("#notice").render()), "not found")
        await scan(pilot, "5000000000000")  # wrong check digit
        await wait_until(pilot, lambda: "invalid barcode" in str(app.screen.query_one("#notice").render()),
                         "the malformed-code message")
        assert [line.barcode for line in app.screen.cart.lines] == [BREAD]


async def test_pay_with_an_empty_cart_opens_nothing(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await pilot.press("f10")
        await pilot.pause()
        assert not isinstance(app.screen, PaymentModal)
        assert "empty" in str(app.screen.query_one("#notice").render())


async def test_wrong_pin_is_refused_and_audited(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"cashier", "enter", *"9999", "enter")
        await wait_until(pilot, lambda: "wrong user name or password" in str(app.screen.query_one("#login-message").render()),
                         "the refusal")
        assert type(app.screen).__name__ == "LoginScreen"
        assert app.screen.query_one("#password").value == ""
    assert audit.entries("login.failed", limit=1)[0].target == "cashier"


async def test_demo_login_lists_the_demo_users(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(app.screen.query_one("#demo-users").render())
        assert "cashier / 1111" in text and "supervisor / 2222" in text


async def test_three_star_before_a_scan_sets_the_quantity(demo_store):
    app = PosApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "cashier", "1111")
        await scan(pilot, "3*" + BREAD)
        await wait_until(pilot, lambda: len(app.screen.cart.lines) == 1, "one line")
        assert app.screen.cart.lines[0].qty == 3 and app.screen.cart.totals().total == 960
        await scan(pilot, "0*" + BREAD)
        await wait_until(pilot, lambda: "more than zero" in str(app.screen.query_one("#notice").render()),
                         "the refusal")
        assert app.screen.cart.lines[0].qty == 3
