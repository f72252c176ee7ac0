"""The store's language and the printer's encoding from the shell: validated, and the test page follows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardware.conftest import TcpPrinter


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [("locale", "fr", "locale must be one of en, zh_CN, not 'fr'"),
     ("locale", "zh_TW", "one of en, zh_CN"),
     ("printer.encoding", "big5", "printer.encoding must be one of auto, gb18030, not 'big5'")],
)
def test_a_language_or_encoding_we_have_no_support_for_is_refused(store, pos, ok, refused, home, key, value,
                                                                  expected) -> None:
    before = (home / "config.toml").read_bytes()
    refused(pos("config", "set", key, value), expected)
    assert (home / "config.toml").read_bytes() == before
    assert ok(pos("config", "get", key)).strip() == {"locale": "en", "printer.encoding": "auto"}[key]


def test_a_bad_locale_in_the_config_file_names_file_and_key(store, pos, refused, home) -> None:
    (home / "config.toml").write_text('locale = "de"\n', encoding="utf-8")
    refused(pos("config", "show"), str(home / "config.toml"), "locale must be one of en, zh_CN")


def test_test_page_in_chinese_when_the_store_is(store, pos, ok, home: Path) -> None:
    ok(pos("config", "set", "locale", "zh_CN"))
    assert ok(pos("config", "get", "locale")).strip() == "zh_CN"
    ok(pos("hardware", "test", "printer"))
    page = (home / "receipts" / "test-page.txt").read_text(encoding="utf-8")
    assert "pos-tui 测试页" in page
    assert "48 列；中日韩文字：" in page
    assert "中文小票文字：" in page and "合计 找零 现金 谢谢惠顾" in page


def test_english_test_page_has_no_chinese_section(store, pos, ok, home: Path) -> None:
    ok(pos("hardware", "test", "printer"))
    page = (home / "receipts" / "test-page.txt").read_text(encoding="utf-8")
    assert "pos-tui test page" in page and "中文小票文字" not in page


def test_gb18030_printer_gets_chinese_in_kanji_mode_and_no_code_pages(store, pos, ok) -> None:
    double = TcpPrinter(port=0)
    try:
        for key, value in (("printer.type", "network"), ("printer.host", "127.0.0.1"),
                           ("printer.port", str(double.port)), ("printer.timeout_s", "0.3"),
                           ("printer.encoding", "gb18030"), ("printer.width", "32")):
            ok(pos("config", "set", key, value))
        ok(pos("hardware", "test", "printer"))
        job = bytes(double.received)
    finally:
        double.stop()
    assert b"\x1b@       pos-tui test page\n\n" in job  # ASCII as it is: the store's language is still English
    assert b"\x1c&" + "合计 找零 现金 谢谢惠顾".encode("gb18030") + b"\n\x1c." in job
    # é is two bytes (A8 A6, as in GB2312); ï only exists in GB18030's four-byte part
    assert b"\x1c&Accents: caf\xa8\xa6 na\x81\x30\x8a\x37ve\n\x1c." in job
    assert b"\x1bt" not in job  # never a code page switch


def test_a_command_speaks_the_stores_language(store, pos, ok) -> None:
    """`_()` follows the store's locale in every command (the till switches it per user at login)."""
    from pos_tui.i18n import _, current_language

    ok(pos("config", "set", "locale", "zh_CN"))
    ok(pos("config", "get", "locale"))
    assert current_language() == "zh_CN" and _("TOTAL") == "合计"
    ok(pos("config", "set", "locale", "en"))
    ok(pos("config", "get", "locale"))
    assert current_language() == "en" and _("TOTAL") == "TOTAL"


def test_a_sale_in_a_chinese_store_prints_a_chinese_receipt(store, admin_actor, pos, ok, home: Path) -> None:
    """Through the real print queue: the receipt follows the store's locale, the copy banner too."""
    from pos_tui.domain.cart import Cart
    from pos_tui.domain.tender import Tender
    from pos_tui.services import print_queue, product_import, sales
    from pos_tui.services.catalog import scan
    from pos_tui.services.context import Actor
    from tests.conftest import open_test_shift

    tea = "5000000000012"
    rows = product_import.parse_products(f"barcode,name,price,stock\n{tea},乌龙茶,2.50,10\n", set(store.tax_rates()))
    product_import.import_products(Actor.cli(), rows, source="test.csv")
    open_test_shift(store, "1")
    cart = Cart()
    cart.add(scan(tea, store.tax_rates()))
    sale = sales.commit_sale(admin_actor, cart, [Tender("cash", 500)], lane="1", settings=store)
    ok(pos("config", "set", "locale", "zh_CN"))
    store.set("locale", "zh_CN")  # the till's settings; it lays the receipt out when it queues it
    print_queue.enqueue_sale(store, sale)

    ok(pos("print", "drain"))
    receipt = (home / "receipts" / f"{sale.receipt_no}.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("乌龙茶") and line.endswith("2.50") for line in receipt)
    assert any(line.startswith("合计") and line.endswith("2.50") for line in receipt)
    assert any(line.startswith("找零") and line.endswith("2.50") for line in receipt)
    assert "谢谢惠顾！" in [line.strip() for line in receipt]
    assert not any("TOTAL" in line for line in receipt)
    ok(pos("print", "reprint", sale.receipt_no))
    ok(pos("print", "drain"))
    copy = (home / "receipts" / f"{sale.receipt_no}-copy.txt").read_text(encoding="utf-8")
    assert "*** 副本 ***" in copy
