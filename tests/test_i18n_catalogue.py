"""The catalogues keep up with the code: every message translated, placeholders intact, no English left behind.

Messages are found with `ast` (pos_tui/i18n_extract.py, which also appends
new ones to the catalogues: `python -m pos_tui.i18n_extract --update`). The check that
no user-facing English bypasses gettext covers only the modules listed in
CONVERTED; a module joins the list when its strings have been wrapped, until
the list is every module with text a person reads.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import pos_tui
from pos_tui.i18n import LANGUAGES, SOURCE_LANGUAGE, parse_po, po_path
from pos_tui.i18n_extract import CALLS, extract, source_messages
from pos_tui.i18n_extract import called_name as _called_name

PACKAGE = Path(pos_tui.__file__).resolve().parent
_CALLS = CALLS
# Modules (or functions) whose user-facing text all goes through gettext, and the English literals in each that a
# person may read but that are deliberately not translated (units, samples, defaults a shop renames).
# One table per area, so work on different areas merges cleanly; CONVERTED is their union.
_RECEIPTS: dict[str, set[str]] = {
    "hardware/receipt.py": {
        " kg x ",  # the unit of a weighed line, as Chinese receipts print it too
        "/kg",
        "My Shop",  # store.name's default: a shop names itself
        "UTC",  # a time zone's name
    },
    # module::function when only part of a module is converted so far
    "services/hardware_check.py::page_lines": {
        "Accents: café naïve",  # a sample of accented Latin, the same in every language
    },
}

def _default_css(module: str) -> set[str]:
    """The DEFAULT_CSS literals of a till module: Textual styles, not words."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    return {node.value.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and any(getattr(t, "id", "") == "DEFAULT_CSS" for t in node.targets) and isinstance(node.value, ast.Constant)}


# The till: login, checkout, payment, overrides, parking, returns, shifts at the till, help.
# What is left in English: widget ids and CSS selectors, key names, Textual styles, thread names, developer log lines.
_TILL: dict[str, set[str]] = {
    "tui/app.py": {*_default_css("tui/app.py"), "ctrl+q",
                   "pos-tui",  # the product's name (the terminal title until the store's name replaces it)
                   "Ctrl+Q: asks first when a cart is open (it is kept for the next login).",  # an async def's docstring
                   "making the printer and drawer failed"},  # a log line
    "tui/areas.py": set(),
    "tui/training.py": {"ctrl+t"},
    "tui/devices.py": {"TillDevices",  # a type annotation
                       "drawer-sensor", "serial-scanner", "drawer sensor failed: %s"},  # thread names, a log line
    "tui/keys.py": set(),
    "tui/low_stock.py": {"low-stock", "reading the low-stock products failed",
                         "the low-stock check after a sale failed"},  # a worker group, log lines
    "tui/money_text.py": set(),
    "tui/screens/login.py": {"#login-message", "#password", "#username", "demo-users", "login-box", "login-lane",
                             "login-message", "login-row", "login-title", "scenario-brief"},
    "tui/screens/lock.py": {"#password", "login-box", "login-message", "login-title"},
    "tui/screens/checkout.py": {"#notice", "#scan", "checkout-body", "ctrl+o", "ctrl+p", "ctrl+r", "device-warnings",
                                "drawer-lamp", "lane-lamp", "low-stock", "status-line", "status-row"},
    "tui/screens/cart_edits.py": set(),
    "tui/screens/cart_order.py": set(),
    "tui/modals/ask.py": {"#answer"},
    "tui/modals/choose.py": set(),
    "tui/modals/payment.py": {"#payment-message", "#payment-paid", "#payment-prompt", "#tendered", "payment-box",
                              "payment-due", "payment-keys", "payment-message", "payment-paid", "payment-prompt"},
    "tui/modals/override.py": {"#pin", "#supervisor", "override-message", "override-request"},
    "tui/modals/help.py": {*_default_css("tui/modals/help.py"), "#help-hint", "#help-scroll", "-trouble", "escape,q",
                           "help-box", "help-hint", "help-howto", "help-keys", "help-scroll", "help-title",
                           "help-trouble", "b reverse", "b underline", "utf-8",
                           "HelpModal", "Modal", "Screen"},  # class-name suffixes stripped to title a screen
    "tui/modals/receipt_view.py": {"escape,enter", "receipt-box", "receipt-text", "receipt-training"},
    "tui/widgets/bar_chart.py": {*_default_css("tui/widgets/bar_chart.py")},
    "tui/widgets/cart_table.py": {*_default_css("tui/widgets/cart_table.py")},
    "tui/widgets/device_status.py": set(),
    "tui/widgets/key_footer.py": {*_default_css("tui/widgets/key_footer.py"), "b reverse", "dim reverse"},
    "tui/widgets/low_stock_lamp.py": {*_default_css("tui/widgets/low_stock_lamp.py")},
    "tui/widgets/lane_lamp.py": {*_default_css("tui/widgets/lane_lamp.py")},
    "tui/widgets/quiet_footer.py": set(),
    "tui/widgets/totals_panel.py": set(),
    "tui/widgets/training_banner.py": {*_default_css("tui/widgets/training_banner.py")},
    "tui/widgets/typed_input.py": set(),
    # shifts, returns, parking, customers at the till
    "tui/screens/parking.py": set(),
    "tui/screens/returns_flow.py": {
        "return without a receipt",  # what a supervisor approved, as the audit records it
        "drawer after refund failed",  # a log line
    },
    "tui/screens/shift_actions.py": {
        "drawer for the %s count",  # a log line
    },
    "tui/screens/shift_close.py": {
        "shift close",  # what a supervisor approved, as the audit records it
    },
    "tui/screens/till_devices.py": {
        "no-sale",  # what a supervisor approved, as the audit records it
        "after-sale drawer failed", "queueing receipt %s failed",  # log lines
    },
    "tui/screens/drawer_settings.py": {
        "#notice", "#rule-", "rule-", "status-line",  # widget ids
    },
    "tui/modals/cash_movement.py": {  # widget ids
        "#move-amount", "#move-message", "#move-note", "#move-prompt", "#move-reasons",
        "move-amount", "move-message", "move-note", "move-prompt", "move-reasons", "move-title",
    },
    "tui/modals/shift_report.py": {
        "escape,enter",  # keys
        "#shift-report-scroll", "shift-report-box", "shift-report-scroll", "shift-report-summary",  # widget ids
        "shift-report-text", "shift-report-title",
    },
    "tui/modals/return_lines.py": {
        "move(-1)", "move(1)",  # actions
        "#return-lines", "#return-message", "#return-qty", "return-lines", "return-message", "return-qty",  # ids
        "lookup-box",  # CSS
    },
    "tui/modals/lookup.py": {
        "Row",  # a type variable
        "move(-1)", "move(1)",  # actions
        "#lookup", "#lookup-message", "#results", "lookup-message",  # widget ids
        "lookup-box",  # CSS
    },
    "tui/modals/product_search.py": set(),
    "tui/modals/customer_search.py": {
        "#lookup", "#lookup-message",  # widget ids
    },
    "tui/modals/customer_form.py": {
        "#customer-", "#customer-form-message", "#customer-name", "customer-", "customer-form-message",  # ids
        "dialog customer-form", "form-label", "form-row",  # CSS
    },
    "tui/modals/customer_detail.py": {
        "#customer-purchases", "#customer-summary", "customer-purchases", "customer-summary",  # widget ids
        "lookup-box customer-detail",  # CSS
    },
}

# Back office, stock side: products, stock, stocktake, receiving, purchasing.
def _stock_css(module: str) -> set[str]:
    """A screen's DEFAULT_CSS: Textual styles, not words anyone reads."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    return {node.value.value for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and any(isinstance(target, ast.Name) and target.id == "DEFAULT_CSS" for target in node.targets)}


_STOCK: dict[str, set[str]] = {
    "tui/screens/products.py": {
        # widget ids and their selectors, worker groups, binding actions: names for Textual, never shown
        "products-filters", "products-notice", "products-search", "products-table", "status-line",
        "#products-filters", "#products-notice", "#products-search", "#products-table",
        "products-read", "products-write",
        "move(-1)", "move(1)", "page('first')", "page('last')", "page('next')", "page('previous')",
    },
    "tui/modals/product_form.py": _stock_css("tui/modals/product_form.py") | {
        # widget ids, their selectors and prefix, a CSS class and query, the worker group
        "field-", "#field-", "field-category", "field-tax_class", "field-unit", "#field-barcode",
        "form-message", "#form-message", "-bad", "Input, Select", "product-form",
    },
    "tui/modals/product_filters.py": _stock_css("tui/modals/product_filters.py") | {
        # widget ids and their selectors
        "filter-archived", "filter-category", "filter-low", "filter-tag",
        "#filter-archived", "#filter-category", "#filter-low", "#filter-tag",
    },
    "tui/modals/categories_tags.py": _stock_css("tui/modals/categories_tags.py") | {
        # widget ids and their selectors, worker groups
        "cat-table", "manage-message", "tag-table", "#cat-table", "#manage-message", "#tag-table",
        "manage-read", "manage-write",
    },
    "tui/screens/stock.py": _stock_css("tui/screens/stock.py") | {
        # widget ids and their selectors, worker groups
        "stock-notice", "stock-table", "status-line", "#stock-notice", "#stock-table", "stock-read", "stock-write",
    },
    "tui/screens/stocktake_screen.py": _stock_css("tui/screens/stocktake_screen.py") | {
        # widget ids and their selectors, worker groups
        "st-notice", "st-scan", "st-table", "status-line", "#st-notice", "#st-scan", "#st-table", "#status-line",
        "stocktake-count", "stocktake-read", "stocktake-write",
    },
    "tui/screens/receiving.py": _stock_css("tui/screens/receiving.py") | {
        # widget ids and their selectors
        "recv-head", "recv-lines", "recv-notice", "recv-reference", "recv-scan", "recv-supplier", "status-line",
        "#recv-lines", "#recv-notice",
    },
    "tui/modals/adjust.py": _stock_css("tui/modals/adjust.py") | {
        # widget ids and their selector
        "adjust-barcode", "adjust-delta", "adjust-hint", "adjust-note", "#adjust-hint",
    },
    "tui/screens/purchasing.py": _stock_css("tui/screens/purchasing.py") | {
        # widget ids and their selectors, worker groups, binding actions
        "po-notice", "po-table", "status-line", "#po-notice", "#po-table", "#status-line",
        "purchasing-read", "purchasing-write", "view('orders')", "view('reorder')", "view('suppliers')",
    },
    "tui/modals/receive_order.py": _stock_css("tui/modals/receive_order.py") | {
        # widget ids, their selectors and prefixes, a CSS class
        "qty-", "qty-0", "#qty-", "#qty-0", "receive-box", "receive-hint", "receive-lines", "receive-message",
        "#receive-hint", "#receive-lines", "#receive-message", "receive-line",
    },
    "tui/modals/supplier_form.py": _stock_css("tui/modals/supplier_form.py") | {
        # widget ids, their selectors and prefix, a CSS class, the worker group
        "supplier-", "#supplier-", "#supplier-name", "supplier-box", "supplier-message", "#supplier-message",
        "supplier-row", "supplier-form",
    },
    "tui/modals/count_form.py": {
        # widget ids and their selectors, a CSS class, binding actions
        "count-box", "count-field", "count-prompt", "count-rows", "count-title", "count-total",
        "#count-field", "#count-prompt", "#count-rows", "#count-total", "move(-1)", "move(1)",
    },
    "tui/ordered_typing.py": set(),  # no text of its own: messages come from the screens
}

# Back office, the rest: orders, customers, reports, audit log, settings screens.
def _office_layout(module: str) -> set[str]:
    """A screen's layout, which no one reads as text: its DEFAULT_CSS, and the literals that name widgets
    (id=, classes=, group= and query_one()/query() selectors, f-string pieces included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((PACKAGE / module).read_text(encoding="utf-8"))):
        parts: list[ast.AST] = []
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DEFAULT_CSS" for t in node.targets):
            parts = [node.value]
        elif isinstance(node, ast.Call):
            parts = [k.value for k in node.keywords if k.arg in ("id", "classes", "group")]
            if _called_name(node) in ("query_one", "query") and node.args:
                parts.append(node.args[0])
        found.update(c.value for part in parts for c in ast.walk(part)
                     if isinstance(c, ast.Constant) and isinstance(c.value, str))
    return found


_OFFICE: dict[str, set[str]] = {
    "tui/screens/reports.py": _office_layout("tui/screens/reports.py") | {
        # period codes (View.period_name, named_period's keys): shown through WORDS, translated there
        "this week", "last week", "this month", "last month", "this year",
        "at risk", "needs attention",  # RFM segment codes: shown through SEGMENT_WORDS
    },
    "tui/screens/orders.py": _office_layout("tui/screens/orders.py") | {
        "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",  # the letters that pick a carrier
        "[reverse]\\[", "][/reverse]", "bold reverse red",  # markup and a style
        "ctrl+p", "ctrl+r",  # keys
    },
    "tui/screens/audit_log.py": _office_layout("tui/screens/audit_log.py"),
    "tui/modals/audit_entry.py": _office_layout("tui/modals/audit_entry.py") | {
        " UTC)",  # a time zone's name
        "escape,enter",  # keys
    },
    "tui/modals/order_detail.py": _office_layout("tui/modals/order_detail.py"),
    "tui/modals/order_form.py": _office_layout("tui/modals/order_form.py") | {
        "YYYY-MM-DD",  # the date as it must be typed, in every language
    },
    "tui/modals/ship_form.py": _office_layout("tui/modals/ship_form.py") | {
        "YYYY-MM-DD",  # the date as it must be typed, in every language
    },
}

# The `pos` command: its help, output and messages.
_CLI: dict[str, set[str]] = {
    # In every module: option names, metavars and command names are the command's interface (scripts and
    # the docs type them), the same in every language.
    "cli/order_cmd.py": {
        "--address", "--carrier", "--cost", "--customer", "--deposit", "--draft", "--expected", "--json", "--lane",
        "--late", "--line", "--note", "--payment", "--phone", "--pickup", "--recipient", "--service", "--status",
        "--tender", "--tracking", "track-import",
        "AMOUNT", "BARCODE:QTY", "DATE", "FILE.csv", "NUMBER",
    },
    "cli/product_cmd.py": {
        "--archived", "--barcode", "--category", "--copies", "--cost", "--dry-run", "--format", "--json", "--lane",
        "--low", "--name", "--no-tags", "--now", "--price", "--reorder-level", "--search", "--stock", "--supplier",
        "--tag", "--tax-class", "--unit",
        "FILE.csv", "NEW", "[FILE]",
    },
    "cli/customer_cmd.py": {
        "--default", "--dry-run", "--format", "--json", "--limit", "--loyalty", "--search",
        "ADDRESS_ID", "FILE.csv", "ID_OR_LOYALTY", "NAME", "[FILE]",
    },
    "cli/po_cmd.py": {
        "--all", "--from-suggestions", "--json", "--line", "--note", "--reference", "--remove", "--status",
        "--supplier",
        "BARCODE", "BARCODE:QTY", "BARCODE:QTY[:COST]", "PO", "[FILE.csv]", "[FILE]",
        "utf-8-sig",  # an encoding's name
    },
    "cli/report_cmd.py": {
        "--all", "--by", "--category", "--dead-days", "--format", "--from", "--json", "--to", "--top",
        "BY", "DATE", "FORMAT", "NAME",
    },
    "cli/hardware_cmd.py": {
        "--dev-root", "--json", "--sys-root", "--wait",
        "/dev", "/sys",  # folders of the system
    },
    "cli/state.py": {
        "--as", "--password-stdin", "USER",
        "%(asctime)s %(levelname)s %(name)s: %(message)s",  # the log file's line format, for developers
        "Actor", "Settings", "Settings | None",  # type annotations
        "utf-8",  # an encoding's name
    },
    "cli/stock_cmd.py": {
        "--before", "--dry-run", "--json", "--keep-cost", "--limit", "--note", "--reason", "--reference",
        "--supplier",
        "DELTA", "FILE.csv", "ID", "NAME", "REF",
    },
    "cli/db_cmd.py": {
        "--json", "--to", "--yes", "PATH", "URL", "[PATH]",
        " MB", " kB",  # units of a file's size
    },
    "cli/till_cmd.py": {
        "--host", "--keep", "--list", "--port", "--reset", "--scenario", "--web", "HOST", "NAME", "PATH", "PORT",
        "Brief | None", "Settings",  # type annotations
        "pos-demo-",  # a temporary folder's prefix
    },
    "cli/demo_web.py": {
        "--db", "--keep", "--scenario",
        "pip install 'pos-tui[web]'",  # a command to type
        "pos-tui demo",  # the browser tab's title: the product's name
    },
    "cli/shift_cmd.py": {"--format", "--json", "--lane", "ID"},
    "cli/supplier_cmd.py": {
        "--archived", "--contact", "--email", "--json", "--lead-time", "--name", "--notes", "--phone",
        "BARCODE...", "DAYS",
    },
    "cli/audit_cmd.py": {
        "--action", "--before", "--json", "--limit", "--since", "--until", "--user",
        "ACTION", "DATE|DATETIME", "ID", "NAME",
        "AuditEntry", "ChainReport",  # type annotations
    },
    "cli/role_cmd.py": {"--description", "--from", "--json", "PERMISSION...", "ROLE"},
    "cli/category_cmd.py": {"--json", "--parent", "--top"},
    "cli/print_cmd.py": {"--all", "--json", "--lane"},
    "cli/tag_cmd.py": {"--json"},
    "cli/outbox_cmd.py": {"--json", "--limit", "--state", "[ID]"},
    "cli/sale_cmd.py": {"--json", "--since", "DATE"},
    "cli/config_cmd.py": {"--json"},
    "cli/store_cmd.py": {"--admin", "--force", "--password-stdin", "NAME"},
    "cli/serialize.py": {"ProductInfo", "SaleInfo"},  # type annotations; the rest is JSON keys
    "cli/help_i18n.py": {"--home", "--home=", "--db", "POS_HOME", "pos-tui", "zh_CN",  # options and names
                         "~/.local/share",  # the XDG data folder
                         "str | os.PathLike[str] | None"},  # a type annotation
    "cli/user_cmd.py": {"--full-name", "--role", "--json", "on|off", "en|zh_CN|store"},  # option names, metavars
    # Settings: what `pos config set` says about a value; the keys' help lines are N_() in config.py's table.
    "config.py::key_for": set(),
    "config.py::coerce": {"[A-Za-z0-9_-]{1,16}"},  # a regular expression
    "config.py::expected_text": set(),
    "config_kinds.py": {"(?:0x)?[0-9a-fA-F]{4}", "(?:[0-9a-fA-F]{2})+", "utf-8"},  # regular expressions, an encoding
    "config_orders.py": {"Key", "utf-8"},  # a type annotation, an encoding
    # main.py: the tables of `pos` and its console script
    "cli/main.py": {"PATH", "URL",  # metavars, as every shell's help writes them
                    "PosGroup"},  # a name root.py gives
    # fast_help.py: `pos --help` without Typer: click's own words, which click prints in English in every language
    "cli/fast_help.py": {"Usage: ", "[OPTIONS] COMMAND [ARGS]...", "Options", "-h, --help",
                         "Show this message and exit.", "COLUMNS"},  # and the environment's terminal width
    # root.py: the Typer group and its lazy groups
    "cli/root.py": {
        "error: ",  # the prefix scripts grep for
        "refused: %s", "unexpected failure", "damaged database: %s",  # log lines for developers
    },
}

# Services, hardware and domain: messages (errors, refusals) that reach the till or the CLI, printed slips.
# Left out on purpose: SQL-heavy modules with no message of their own (catalog_search, db_copy, product_import_plan,
# db/bulk, db/models; integrity, whose messages are wrapped but whose SQL is long), locale_format (the locale tables themselves), demo_orders (demo data), order_review (its
# reasons are stored on the order), services/reports/* (titles and notes belong with the Reports screen).
_SERVICES: dict[str, set[str]] = {
    "errors.py": set(),
    "db/database.py": {
        "file is not a database", "database disk image is malformed",  # what SQLite says, matched, not shown
        "*.db", "IMMEDIATE",  # a glob, a transaction mode
    },
    "db/migrate.py": set(),
    "db/sqlite_files.py": {
        "-journal", "-shm", "-wal", "?mode=ro", "file:",  # file names and a URI
        "BEGIN IMMEDIATE", "ROLLBACK", "VACUUM", "PRAGMA busy_timeout = ", "PRAGMA integrity_check",  # SQL
        "PRAGMA journal_mode = DELETE", "PRAGMA page_count", "PRAGMA page_size", "PRAGMA page_size = ",
        "SELECT COUNT(*) FROM sqlite_master",
    },
    "domain/barcodes.py": {"IWPVC", "IWPV", "21IIIIIWWWWWC,22IIIIIPPPPPC"},  # template letters and the default
    "domain/cart.py": set(),
    "domain/discount.py": set(),
    "domain/money.py": set(),
    "domain/quantity.py": set(),
    "domain/rule_values.py": set(),
    "domain/scan_input.py": set(),
    "domain/tax.py": set(),
    "domain/tender.py": set(),
    "hardware/base.py": set(),
    "hardware/detect.py": {"/dev", "/sys", "ttyUSB*", "ttyACM*", "ttyS*", "lp[0-9]*", "usb/lp*",  # device paths
                           "printer-file"},  # a candidate's kind code
    "hardware/devices.py": {"/dev/usb/lp0"},
    "hardware/drawer_kick.py": set(),
    "hardware/errors_map.py": set(),
    "hardware/escpos_printer.py": {"/dev/usb/lp0", "CODE128"},  # a device path, a barcode symbology
    "hardware/packing_slip.py": set(),
    "hardware/scanner.py": set(),
    "hardware/serial_drawer.py": set(),
    "hardware/shift_report.py": set(),
    "hardware/simulated.py": {"utf-8"},
    "hardware/text_width.py": {"Me", "Mn"},  # Unicode categories
    "services/audit.py": {"SELECT pg_advisory_xact_lock(%s)", "utf-8"},
    "services/auth.py": {
        "scrypt$", "utf-8", "UserInfo",  # a hash format, an encoding, a type name
        "wrong current password", "unknown or disabled", "wrong password",  # audit reasons, stored as codes
    },
    "services/autosave.py": {"cart-autosave", "could not save the open cart", "closing the autosave's connection failed"},  # a thread name, a developer log line
    "services/backup.py": {
        "pos-", "pos-copy-", "pre-restore-", ".pos-backup-", ".pos-restore-", "-wal",  # file names
        "PRAGMA journal_mode = DELETE", "SELECT name FROM sqlite_master WHERE type = 'table'", "SELECT name FROM ",
        " ORDER BY name", "SELECT COUNT(*), MAX(created_at) FROM sale",  # SQL
        "shift close",  # the reason recorded with an automatic backup
    },
    "services/cash_count.py": {"USD", "EUR", "GBP", "CNY"},  # currency codes
    "services/catalog.py": {"\x00code"},  # the placeholder the prepared scan lookup swaps for the code
    "services/categories.py": set(),
    "services/context.py": {"Actor"},  # a type name
    "services/csv_rows.py": {"Row", "utf-8-sig"},
    "services/customer_import.py": {"COLUMNS"},
    "services/customers.py": set(),
    "services/demo.py": {"Corner Shop (demo)", "GBP", "Europe/London", "sample_data/products.csv", "utf-8"},  # demo data
    "services/demo_history.py": {"DEMO-OPENING", "UTC"},  # a reference code, a zone
    "services/demo_scenarios.py": {
        "basic-sale", "split-payment", "return-with-receipt", "no-sale", "shift-shortage", "large-order-review",
        "cashier / 1111", "supervisor / 2222",  # scenario names and demo logins, typed as they are
        "Mrs Khan", "LC000101", "14 Station Road, York YO24 1AB", "stock for a village fete",  # demo data
    },
    "services/demo_users.py": {"utf-8"},
    "services/drawer.py": {
        "training: not opened", "not opened: cashier declined",  # outcome codes the till compares and audits
        '"no_sale"',
    },
    "services/drawer_rules.py": {"DrawerRules", "change for a customer"},  # a type name; a default a shop renames
    "services/hardware_check.py": {
        "Accents: café naïve",  # a sample of accented Latin, the same in every language
        "TEST-PAGE", "test-page", "/dev", "/sys",  # a barcode, a job name, device paths
        "kicked, no sensor", "kicked, still closed",  # audit outcomes
    },
    "services/held_carts.py": {", \"lines\": ["},  # JSON put together, not prose
    "services/labels.py": {" / kg", "label-"},  # the unit as printed on a shelf label; a job name
    "services/limits.py": set(),
    "services/order_info.py": {"ORD-"},
    "services/order_money.py": set(),
    "services/order_status.py": set(),
    "services/order_stock.py": {"INTEGER"},
    "services/orders.py": {"ORD-", "manual: approved by ", ", expected "},  # a number; stored review rule and note
    "services/outbox.py": {"utf-8"},
    "services/outbox_worker.py": {"outbox-sender", "outbox pass failed", "outbox: "},  # thread name, log lines
    "services/packing_slip.py": {"slip-"},
    "services/permissions.py": set(),
    "services/po_files.py": set(),
    "services/print_queue.py": {"-copy"},
    "services/print_worker.py": {"print-worker-", "print queue recovery failed", "print worker pass failed",
                                 "print queue: "},  # thread name, log lines
    "services/printing.py": {"-copy"},
    "services/products.py": {"opening stock"},  # the stock move's stored reference
    "services/purchase_orders.py": {"PO-", "BIGINT", "INTEGER", "TEXT",
                                    "drafted from the reorder suggestions"},  # stored note
    "services/report_export.py": {"[^A-Za-z0-9]+", "utf-8"},
    "services/returns.py": set(),
    "services/sales.py": {"INTEGER", "TEXT"},
    "services/shift_guard.py": set(),
    "services/shift_reports.py": set(),
    "services/shifts.py": {"-copy"},
    "services/stock.py": set(),
    "services/stock_moves.py": set(),
    "services/stocktake.py": {"ST-", "whole shop", "count file", "dry-run"},  # a number; audit details
    "services/store.py": {"-replaced-", "-shm", "-wal", "Administrator"},  # file names; the first user's full name
    "services/suppliers.py": set(),
    "services/tags.py": set(),
    "services/tenders.py": set(),
    "services/tracking_import.py": {"track-import"},  # the source recorded in the audit
    "services/training.py": set(),
}

CONVERTED: dict[str, set[str]] = {**_RECEIPTS, **_TILL, **_STOCK, **_OFFICE, **_CLI, **_SERVICES}


def _placeholders(text: str) -> list[str]:
    """{name} fields and %-style conversions, sorted, so their order may change but not their set."""
    fields = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    percents = re.findall(r"%(?:\([a-z_]+\))?[sdrif]", text)
    return sorted(fields + percents)


TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def messages() -> set[str]:
    found, bad = source_messages()
    assert bad == [], "translate literals, not built strings: use _('… {name}').format(name=…)"
    return set(found)  # a plural's msgid_plural lives in the same entry


def test_the_extractor_sees_every_call_form() -> None:
    found, bad = extract(
        "_('a')\nN_('b')\ntr.gettext('c')\nngettext('d', 'ds', n)\nx = _(BANNER)\n_(f'{x} e')\n", "m.py")
    assert found == {"a": None, "b": None, "c": None, "d": "ds"}
    assert bad == ["m.py:6: f'{x} e'"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language: str, messages: set[str]) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    translated = {e.msgid for e in entries if e.msgid and not e.fuzzy and all(s.strip() for s in e.msgstr)}
    assert messages, "no _() calls found: the extractor is broken"
    assert sorted(messages - translated) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_nothing_the_code_no_longer_says(language: str, messages: set[str]) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    ids = [e.msgid for e in entries if e.msgid]
    assert sorted(set(ids) - messages) == []
    assert len(ids) == len(set(ids)), "a msgid appears twice"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_match(language: str) -> None:
    entries = parse_po(po_path(language).read_text(encoding="utf-8"), str(po_path(language)))
    wrong = [
        (e.msgid, text) for e in entries if e.msgid for text in e.msgstr
        if _placeholders(text) != _placeholders(e.msgid if e.msgid_plural is None else e.msgid_plural)
    ]
    assert wrong == []


def test_placeholder_check_can_fail() -> None:
    assert _placeholders("收银台 {lane}") == _placeholders("Lane {lane}")
    assert _placeholders("收银台 {name}") != _placeholders("Lane {lane}")
    assert _placeholders("%s 件") != _placeholders("%d items")


# --- nothing a person reads bypasses gettext (in the converted modules) -----------------------------

_PROSE = re.compile(r"[A-Za-z]{2,}")
# setting keys and names, strftime patterns, option names (--offline), widget ids and their selectors (#po-table)
_NOT_PROSE = re.compile(r"^[a-z0-9_.]+$|^%[-%A-Za-z :]+$|^--?[a-z][a-z0-9-]*$|^#?[a-z][a-z0-9_-]*$")


def untranslated_prose(source: str) -> set[str]:
    """English literals outside _()/N_(), docstrings, exceptions for programmers, keys and format codes."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and _called_name(node) in _CALLS:
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Raise):  # ValueError/TypeError for a caller's bug, not for a cashier
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Call) and _called_name(node) in ("get", "getattr", "compile", "ZoneInfo"):
            skip.update(id(child) for child in ast.walk(node))
        if isinstance(node, ast.Compare):  # comparing with a code ("void", "return") shows nothing
            skip.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if _PROSE.search(text) and not _NOT_PROSE.match(text.strip()):
                found.add(text)
    return found


def _converted_source(unit: str) -> str:
    module, _, function = unit.partition("::")
    source = (PACKAGE / module).read_text(encoding="utf-8")
    if not function:
        return source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return ast.unparse(node)
    raise AssertionError(f"{unit}: no such function; update CONVERTED")


@pytest.mark.parametrize("unit", sorted(CONVERTED))
def test_converted_modules_say_nothing_in_english_outside_gettext(unit: str) -> None:
    leftover = untranslated_prose(_converted_source(unit)) - CONVERTED[unit]
    assert sorted(leftover) == []


def test_the_bypass_check_can_fail() -> None:
    source = 'def f(x):\n    """Doc."""\n    out = _("TOTAL")\n    raise ValueError("for a programmer")\n' \
             '    return [f"Lane {x}", "store.name", "SUBTOTAL", "%Y-%m-%d"]\n'
    assert untranslated_prose(source) == {"Lane ", "SUBTOTAL"}


# --- the tool that adds new messages for a translator --------------------------------------------


def test_update_appends_new_messages_for_a_translator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pos_tui import i18n_extract

    source = tmp_path / "src"
    source.mkdir()
    (source / "screen.py").write_text(
        'from pos_tui.i18n import _, ngettext\n'
        'a = _("TOTAL")\n'
        'b = _("Welcome,\\n{name}")\n'
        'c = ngettext("{n} item", "{n} items", 2)\n', encoding="utf-8")
    po = tmp_path / "zh_CN.po"
    po.write_text('msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=0;\\n"\n\nmsgid "TOTAL"\nmsgstr "合计"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n_extract, "po_path", lambda language: po)
    monkeypatch.setattr(i18n_extract, "PACKAGE", source)

    assert i18n_extract.main([]) == 1  # something to translate: a failing exit for CI
    assert i18n_extract.main(["--update"]) == 0
    entries = {e.msgid: e for e in parse_po(po.read_text(encoding="utf-8"))}
    assert entries["TOTAL"].msgstr == ["合计"]  # kept as it was
    assert entries["Welcome,\n{name}"].msgstr == [""]
    assert (entries["{n} item"].msgid_plural, entries["{n} item"].msgstr) == ("{n} items", [""])
    assert i18n_extract.main([]) == 0  # all present now (translating them is the catalogue test's job)
