"""`pos`: set up and run the shop from a shell. Errors print one `error: …` line.

This module is the console script and the table of what `pos` offers. It imports neither Typer nor click:
`pos`, `pos --help`, `pos -h` and `pos --version` are answered by pos_tui/cli/fast_help.py from the tables
below, and every other command line goes to the Typer group in pos_tui/cli/root.py (issue 12: Typer's imports
alone cost `pos --help` about 100 ms on a till's CPU). `app`, `load_all`, `PosGroup`, `fail` and `one_line` are
still reachable here; they load root.py on first use.
"""

import sys


def N_(message: str) -> str:
    """pos_tui.i18n.N_ (marks a message for the catalogue), kept here so that this module imports no gettext."""
    return message


# The commands of `pos` in the order its help lists them: name -> (module in pos_tui.cli, the one-line help
# `pos --help` shows). A module is imported only when one of its commands runs, so `pos --help` imports
# none. A module with `register(app)` adds top-level commands; any other gives its `app` as
# the group of that name. Adding a group is one line here; tests/cli/test_lazy_groups.py checks each name and
# help against the module's own.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("store_cmd", N_("Create the store: its folder, config, migrated database and first admin.")),
    "run": ("till_cmd", N_("Open the till on the configured store.")),
    "demo": ("till_cmd", N_("Open the till on a throwaway demo store with simulated hardware.")),
    "config": ("config_cmd", N_("Read and change the store's settings (config.toml).")),
    "db": ("db_cmd", N_("The store's database: migrations, backups, restores and checks.")),
    "user": ("user_cmd", N_("Staff who log in to the till.")),
    "role": ("role_cmd", N_("Roles and the permissions they grant.")),
    "product": ("product_cmd", N_("The catalogue: import, export, list, show, add, edit, archive, label.")),
    "sale": ("sale_cmd", N_("Sales rung up at the till.")),
    "hardware": ("hardware_cmd", N_("The receipt printer, cash drawer and scanner: status, detection, tests.")),
    "audit": ("audit_cmd", N_("The audit log: who did what, and whether it is intact.")),
    "print": ("print_cmd", N_("The print queue: receipts waiting for the printer.")),
    "shift": ("shift_cmd", N_("Shifts: the float, cash in and out, the X and Z reports.")),
    "supplier": ("supplier_cmd", N_("Who the shop buys from, and their lead times.")),
    "po": ("po_cmd", N_("Purchase orders: suggested, drafted, sent, received.")),
    "stock": ("stock_cmd", N_("Stock: receive deliveries, adjust, count, list low stock, show history.")),
    "category": ("category_cmd", N_("Product categories (two levels: a category may sit under a top-level one).")),
    "tag": ("tag_cmd", N_("Product tags (many per product, lower case).")),
    "customer": ("customer_cmd", N_("Customers: add, edit, find, their history, import and export.")),
    "order": ("order_cmd", N_("Delivery and pickup orders: take them, review them, ship them, track them.")),
    "outbox": ("outbox_cmd", N_("Customer messages: what is queued, sent or failing; send and retry them.")),
    "report": ("report_cmd", N_("Sales, turnover, customer and cost reports (needs report.view).")),
    "lane": ("lane_cmd", N_("This lane's link to the shop's PostgreSQL server: offline sales waiting, sending them.")),
}

# The help of `pos` itself and its global options (option -> (metavar or None, help)), in the order the help
# lists them: root.py builds the Typer callback from these, fast_help.py prints them.
HELP = N_("pos-tui: a point-of-sale for small shops. `pos demo` opens a demo till.")
GLOBAL_OPTIONS: dict[str, tuple[str | None, str]] = {
    "--home": ("PATH", N_("store folder (default: $POS_HOME or the user data dir)")),
    "--db": ("URL", N_("database URL (default: $POS_DB or the SQLite file in the store folder)")),
    "--debug": (None, N_("show tracebacks")),
    "--version": (None, N_("show the version")),
}

# The command lines fast_help.py answers without Typer (exactly these; anything more goes to Typer).
FAST = ([], ["--help"], ["-h"], ["--version"])

_FROM_ROOT = ("app", "PosGroup", "load_all", "fail", "one_line")


def __getattr__(name: str) -> object:
    """The Typer side of `pos` (see _FROM_ROOT), imported from pos_tui.cli.root on first use."""
    if name in _FROM_ROOT:
        from pos_tui.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """The console script: returns the exit code."""
    from pos_tui.cli.till_start import run_fast

    code = run_fast(sys.argv[1:] if argv is None else argv)  # `pos run`: the till without Typer's machinery
    if code is not None:
        return code
    from pos_tui.cli.help_i18n import cli_language_from_config, home_from_argv

    args = sys.argv[1:] if argv is None else argv
    # The store's language from the first line: `--help` and errors before a store opens speak it too.
    language = cli_language_from_config(home_from_argv(args))
    if list(args) in FAST:
        from pos_tui.cli.fast_help import show

        code = show(list(args), language)
        if code is not None:
            return code
    from pos_tui.cli.root import app
    from pos_tui.i18n import set_language

    set_language(language)
    try:
        app(args=argv, prog_name="pos")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
