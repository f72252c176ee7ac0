"""`pos demo --web`: the demo till in a browser through textual-serve (the optional `web` extra).

textual-serve starts one process per browser tab from a shell command, so the
command is `pos demo` again with the same choices, minus --web (and --reset,
which the serving process has done once, before the first tab).
"""


import shlex
import sys
from pathlib import Path

from pos_tui.errors import ConfigError
from pos_tui.i18n import _

INSTALL_HINT = "pip install 'pos-tui[web]'"


def web_command(*, keep: Path | None, scenario: str | None, db: str | None,
                python: str = sys.executable) -> list[str]:
    """The argv each browser session runs: this Python's `pos demo`, same store and scenario."""
    argv = [python, "-m", "pos_tui"]
    if db and keep is not None:  # --db only matters for a kept store (a throwaway one is always SQLite)
        argv += ["--db", db]
    argv.append("demo")
    if keep is not None:
        argv += ["--keep", str(keep)]
    if scenario:
        argv += ["--scenario", scenario]
    return argv


def server_class() -> type:
    """textual-serve's Server, or a one-line error telling how to install it."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ConfigError(_("pos demo --web needs textual-serve; install it with {command}").format(
            command=INSTALL_HINT)) from None
    return Server


def serve(argv: list[str], *, host: str, port: int) -> None:
    """Serve until Ctrl+C; each browser tab gets its own till."""
    server = server_class()(shlex.join(argv), host=host, port=port, title="pos-tui demo")
    server.serve()
