"""Prepared situations for `pos demo --scenario NAME`: a trainee starts in the middle of something real.

Each prepare() runs on a freshly built demo store through the ordinary services,
as the demo's own users (a parked cart by the cashier, a sale with its receipt,
an order over the review limit), so the till shows real state, not faked rows.
It returns the facts the brief needs (a receipt number, the cash to count); the
brief is kept in the store, so a kept demo shows it again at the next start.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Callable

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.models import Product, Setting, User
from pos_tui.domain.money import format_money, parse_money
from pos_tui.errors import ValidationError
from pos_tui.i18n import N_, _
from pos_tui.services import audit
from pos_tui.services.context import Actor

RECORD_KEY = "demo.scenario"  # the prepared brief, in the store's own settings table
BREAD, MILK, COFFEE, BUTTER, CHEDDAR, SPONGE, COOKIES = (
    "4010079190010", "4011504610196", "4020532271330", "7612058940264", "8712217320285", "5011425420187",
    "9311346230176")
SHORT_BY = 1200  # the shift-shortage drawer is this much short: past the demo's 5.00 limit


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    steps: str  # what the trainee does; {names} are filled from prepare()'s facts
    prepare: Callable[[Settings], dict[str, str]]
    login: str = "cashier / 1111"


@dataclass(frozen=True)
class Brief:
    """A prepared scenario as the trainee reads it."""

    name: str
    summary: str
    login: str  # who to log in as, e.g. "cashier / 1111"
    text: str


def _actor(username: str) -> Actor:
    user = User.get(User.username == username)
    return Actor(user.username, user.role, user.id, os_user=Actor.cli().os_user)


def _lane(settings: Settings) -> str:
    return str(settings.get("lane"))


def _shift_open(settings: Settings) -> None:
    """The demo opens today's shift; a scenario on a store whose shift was closed opens it again."""
    from pos_tui.services.demo import open_demo_shift
    from pos_tui.services.shifts import current_shift

    if current_shift(_lane(settings)) is None:
        open_demo_shift(settings)


def _product(barcode: str) -> Product:
    return Product.get(Product.barcode == barcode)


def _item(barcode: str) -> str:
    product = _product(barcode)
    return f"{barcode} ({product.name}, {format_money(product.price)})"


def _basic_sale(settings: Settings) -> dict[str, str]:
    from pos_tui.domain.cart import Cart
    from pos_tui.services.held_carts import save_open

    _shift_open(settings)
    save_open(_lane(settings), _actor("cashier"), Cart())  # nothing left in the lane's cart
    return {"first": _item(BREAD), "second": _item(MILK)}


def _split_payment(settings: Settings) -> dict[str, str]:
    from pos_tui.services.held_carts import park
    from pos_tui.services.orders import cart_from_lines

    _shift_open(settings)
    cart = cart_from_lines(settings, [(COFFEE, Decimal(2)), (BUTTER, Decimal(2)), (BREAD, Decimal(1)),
                                      (CHEDDAR, Decimal(1))])
    held = park(_actor("cashier"), _lane(settings), "Mrs Khan", cart)
    cash = 1000
    return {"label": held.label, "lines": str(held.lines), "total": format_money(held.total),
            "cash": format_money(cash), "rest": format_money(held.total - cash)}


def _return_with_receipt(settings: Settings) -> dict[str, str]:
    from pos_tui.domain.tender import Tender
    from pos_tui.services.orders import cart_from_lines
    from pos_tui.services.sales import commit_sale
    from pos_tui.services.tenders import cash_step, tender_choices

    _shift_open(settings)
    cart = cart_from_lines(settings, [(BREAD, Decimal(1)), (COOKIES, Decimal(2)), (SPONGE, Decimal(1))])
    total = cart.totals().total
    sale = commit_sale(_actor("cashier"), cart, [Tender("cash", total)], lane=_lane(settings),
                       cash_step=cash_step(settings), tender_kinds=tuple(c.kind for c in tender_choices(settings)),
                       settings=settings)
    sponge = _product(SPONGE)
    return {"receipt": sale.receipt_no, "item": sponge.name, "refund": format_money(sponge.price)}


def _no_sale(settings: Settings) -> dict[str, str]:
    from string import ascii_uppercase

    from pos_tui.services.drawer import no_sale_reasons

    _shift_open(settings)
    reasons = no_sale_reasons(settings)
    index = next((i for i, r in enumerate(reasons) if "change" in r), 0)
    return {"letter": ascii_uppercase[index], "reason": reasons[index]}


def _shift_shortage(settings: Settings) -> dict[str, str]:
    from pos_tui.services.cash_count import break_down
    from pos_tui.services.shifts import expected_cash

    _shift_open(settings)
    limit = parse_money(str(settings.get("shift.over_short_limit")))
    counted = expected_cash(_lane(settings)) - max(SHORT_BY, limit + 100)
    pieces = break_down(settings, counted)
    return {"count": ", ".join(f"{n} x {format_money(d)}" for d, n in pieces.items()),
            "counted": format_money(counted), "limit": format_money(limit)}


def _large_order_review(settings: Settings) -> dict[str, str]:
    from pos_tui.services import orders
    from pos_tui.services.order_review import Rules

    _shift_open(settings)
    threshold = Rules.from_settings(settings).total_above or 50000
    lines, total = [], 0
    big = Product.select().where((Product.unit == "each") & (Product.archived == False)  # noqa: E712
                                 & (Product.stock >= 20)).order_by(Product.price.desc(), Product.id)
    for product in big:  # the dearest goods in stock, half the shelf of each, until past the limit
        qty = min(int(product.stock) // 2, 40)
        lines.append((product.barcode, Decimal(qty)))
        total += product.price * qty
        if total > threshold:
            break
    customer = orders.resolve_customer("LC000101")
    made = orders.create_order(
        _actor("cashier"), settings, orders.cart_from_lines(settings, lines), customer_id=customer,
        payment="on_delivery", delivery=orders.Delivery(address="14 Station Road, York YO24 1AB"),
        note="stock for a village fete", source="demo")
    return {"number": made.number, "customer": made.customer, "total": format_money(made.total),
            "threshold": format_money(threshold)}


# Summaries and steps in English; prepare() keeps the brief in the store's language.
SCENARIOS: dict[str, Scenario] = {s.name: s for s in (
    Scenario("basic-sale", N_("ring up two items and take cash"),
             N_("Scan or type {first}, Enter, then {second}, Enter. F10 pays: type 10 and Enter for a "
                "10.00 note; the till shows the change and the simulated drawer opens."), _basic_sale),
    Scenario("split-payment", N_("resume a parked cart and take part cash, part card"),
             N_("{label} parked {lines} items ({total}). With the cart empty, F6 and A resume it. F10: type "
                "{cash} and Enter for her cash, then K takes the {rest} left on card; Enter skips the card "
                "reference."), _split_payment),
    Scenario("return-with-receipt", N_("refund one item from an earlier receipt"),
             N_("A customer brings back the {item} from receipt {receipt}. F7, type {receipt}, Enter. Up/Down "
                "to the {item} line, type 1 and Enter, F10; C refunds {refund} in cash, W writes it off (it is "
                "squashed)."), _return_with_receipt),
    Scenario("no-sale", N_("open the drawer without a sale, with a supervisor's approval"),
             N_("A customer wants change for a 20.00 note. F9, then {letter} ({reason}). A cashier may not open "
                "the drawer alone: the supervisor approves with supervisor, Enter, 2222, Enter."), _no_sale),
    Scenario("shift-shortage", N_("close the shift with the drawer short"),
             N_("Close the shift before selling anything: F11, C. Count {count} (= {counted}): type each count on "
                "its row, Enter moves down (leave the rest empty), F10 then Enter records it. F10, Enter skips "
                "the card total. The drawer is short past the {limit} limit: the supervisor approves "
                "(supervisor / 2222); type a note why."),
             _shift_shortage),
    Scenario("large-order-review", N_("approve a delivery order waiting for review"),
             N_("Order {number} for {customer} ({total}) is over the {threshold} review limit. F12, O opens "
                "Orders; F2 until Review; F3 shows its lines; F5 approves it with a note (F6 rejects)."),
             _large_order_review, login="supervisor / 2222"),
)}


def names() -> list[str]:
    return list(SCENARIOS)


def get(name: str) -> Scenario:
    """The scenario called `name`; refuses an unknown one naming those there are."""
    try:
        return SCENARIOS[name]
    except KeyError:
        raise ValidationError(_("no demo scenario {name!r}; pick one of: {SCENARIOS}").format(name=name, SCENARIOS=', '.join(SCENARIOS))) from None


def prepare(settings: Settings, name: str) -> Brief:
    """Put the open demo store into scenario `name` and keep its brief in the store."""
    scenario = get(name)
    facts = scenario.prepare(settings)
    summary, steps = scenario.summary, scenario.steps
    brief = Brief(scenario.name, _(summary), scenario.login, _(steps).format(**facts))
    with write_transaction():
        value = json.dumps(asdict(brief))
        # An upsert both back ends take (PostgreSQL has no INSERT OR REPLACE)
        Setting.insert(key=RECORD_KEY, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
        audit.record("demo.scenario", Actor.cli(), scenario.name, **facts)
    return brief


def recorded() -> Brief | None:
    """The brief of the scenario this store was prepared for, if any."""
    row = Setting.get_or_none(Setting.key == RECORD_KEY)
    return None if row is None else Brief(**json.loads(row.value))
