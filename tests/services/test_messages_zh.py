"""What services say to a cashier comes out in the till's language; codes in brackets stay as they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_tui.errors import ImportRejected, ValidationError
from pos_tui.i18n import current_language, set_language
from pos_tui.services import limits, permissions
from pos_tui.services.context import Actor


@pytest.fixture
def zh() -> Iterator[None]:
    """The process-wide language is zh_CN for one test, and English again after it."""
    before = current_language()
    set_language("zh_CN")
    try:
        yield
    finally:
        set_language(before)


def test_a_refusal_is_chinese_and_names_the_permission_as_it_is(store, zh) -> None:
    cashier = Actor("ann", "cashier")
    with pytest.raises(permissions.PermissionDenied) as refused:
        permissions.require(cashier, "drawer.no_sale")
    assert str(refused.value) == "ann（cashier）无权开钱箱（无销售） [drawer.no_sale]"

    with pytest.raises(limits.NeedsApproval) as asked:
        limits.check_price_override(cashier)
    assert str(asked.value) == "cashier 无权改价 [sale.price_override]；须由主管批准"


def test_a_refusal_in_english_is_unchanged(store) -> None:
    with pytest.raises(permissions.PermissionDenied) as refused:
        permissions.require(Actor("ann", "cashier"), "drawer.no_sale")
    assert str(refused.value) == "ann (cashier) may not open the cash drawer without a sale [drawer.no_sale]"


def test_validation_errors_are_chinese(zh) -> None:
    from pos_tui.domain.money import parse_money
    from pos_tui.domain.scan_input import split_multiplier

    with pytest.raises(ValidationError) as bad_qty:
        split_multiplier("0*4011504610196")
    assert str(bad_qty.value) == "* 前面的数量必须大于零"

    with pytest.raises(ValidationError) as bad_money:
        parse_money("12,5x")
    assert str(bad_money.value) == "金额 '12,5x' 不是金额；请使用 12.50 这样的数字"

    assert str(ImportRejected(["a", "b", "c"])) == "3 行有错误；未导入任何内容"


def test_the_packing_slip_follows_the_store_locale_not_the_person_printing(store, admin_actor) -> None:
    from pos_tui.services import packing_slip
    from tests.services.conftest import TEA
    from tests.services.order_helpers import make_shop, order

    store.values["printer.width"] = "32"
    shop = make_shop(store, admin_actor)
    made = order(shop, (TEA, "2"), payment="on_delivery")
    assert packing_slip.slip_lines(shop.settings, made.number)[1].strip() == "PACKING SLIP"
    store.values["locale"] = "zh_CN"  # the cashier's language stays English here
    lines = packing_slip.slip_lines(shop.settings, made.number)
    assert lines[1].strip() == "装箱单"
    assert f"订单      {made.number}" in lines


def test_import_problems_are_chinese_and_still_in_line_order(zh) -> None:
    from pos_tui.services import csv_rows

    text = "barcode,qty\n111,1\n111,2\n222,3\n"
    with pytest.raises(ImportRejected) as rejected:
        csv_rows.parse_rows(text, ("barcode", "qty"), (), lambda line, cells: cells, lambda row: row["barcode"],
                            check=lambda rows: {2: "不在目录中"})
    assert rejected.value.problems == ["第 2 行: 不在目录中", "第 3 行: 条码 111 与第 2 行重复"]
    assert str(rejected.value) == "2 行有错误；未导入任何内容"
