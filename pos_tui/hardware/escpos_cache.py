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
    """Before python-escpos is imported: point it at the kept copy, if there is a sound one for this Python."""
    if VARIABLE in os.environ:  # the shop's own choice
        return
    import platform

    if _sound(cache_folder() / f"{platform.python_version()}.capabilities.pickle"):
        os.environ[VARIABLE] = str(cache_folder())


def _sound(kept: Path) -> bool:
    """Whether python-escpos would read the kept copy as it is.

    python-escpos rewrites a copy older than its database in place (truncate,
    then half a second of parsing, then write), and a second start reading it
    meanwhile fails at import. So a copy older than the installed database is
    left for this start to replace atomically, and a cut-short one (a pickle
    always ends with its STOP byte) is never read.
    """
    try:
        with kept.open("rb") as f:
            if f.seek(0, os.SEEK_END) == 0:
                return False
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b".":
                return False
            kept_at = os.fstat(f.fileno()).st_mtime
        database = os.environ.get("ESCPOS_CAPABILITIES_FILE") or _installed_database()
        return database is None or os.stat(database).st_mtime <= kept_at
    except OSError:
        return False


def _installed_database() -> Path | None:
    """python-escpos's capabilities file, found without importing python-escpos."""
    from importlib.util import find_spec

    spec = find_spec("escpos")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "capabilities.json").is_file():
            return Path(folder) / "capabilities.json"
    return None


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
