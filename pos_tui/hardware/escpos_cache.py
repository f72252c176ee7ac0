"""python-escpos's printer database, parsed once per machine rather than at every start.

At import python-escpos reads its 1 MB capabilities file with a YAML parser
(about half a second on a till) unless it finds a pickled copy; it looks for
that copy in a new temporary folder each run, so it never finds one. The till
keeps the copy in the user's cache folder: written atomically after a run
that parsed the file, read by every later run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

VARIABLE = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def cache_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pos-tui", appauthor=False)) / "escpos"


def use_cached_capabilities() -> None:
    """Before python-escpos is imported: point it at the kept copy, if there is one for this Python."""
    if VARIABLE in os.environ:  # the shop's own choice
        return
    import platform

    if (cache_folder() / f"{platform.python_version()}.capabilities.pickle").is_file():
        os.environ[VARIABLE] = str(cache_folder())


def keep_capabilities() -> None:
    """After python-escpos is imported: keep the copy it made in its temporary folder (a read-only home
    or a full disk only costs the next start the parse again)."""
    from escpos import capabilities

    made = Path(capabilities.pickle_path)
    if made.parent == cache_folder() or not made.is_file():
        return
    try:
        cache_folder().mkdir(parents=True, exist_ok=True)
        partial = cache_folder() / f".{made.name}.{os.getpid()}"
        shutil.copyfile(made, partial)
        os.replace(partial, cache_folder() / made.name)  # a start reading it at the same moment sees all or none
    except OSError:
        pass
