"""The store's log file, POS_HOME/logs/pos.log: set up by every `pos` command and by the till.

Its own module, free of Typer, so that `pos run` can start the till without the CLI's machinery
(pos_tui/cli/till_start.py).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pos_tui.config import Settings


def setup_logging(current: "Settings") -> None:
    """Log to POS_HOME/logs/pos.log (rotated) once the store's folder exists."""
    import logging
    from logging.handlers import RotatingFileHandler

    logs = current.home / "logs"
    root = logging.getLogger()
    if not logs.is_dir() or any(getattr(h, "_pos_log", False) for h in root.handlers):
        return
    try:
        # backslashreplace: a non-UTF-8 byte in argv ends up in the log, not as a traceback on stderr.
        handler = RotatingFileHandler(
            logs / "pos.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8", errors="backslashreplace"
        )
    except OSError:
        return
    handler._pos_log = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(current.get("log.level"))
