"""The `pos` command's help in the store's language.

Typer reads `help=` and docstrings when a command module is imported, long
before a store (and so a language) is known, so that text is English in the
click objects. `translate_tree()` swaps it for the current language's text
after the fact; the English stays on each object, so a later call in another
language starts from it again (the call is idempotent). Help strings are
marked `N_()`; command docstrings are extracted by pos_tui/i18n_extract.py
exactly as click cleans them, so the runtime text is the msgid.

`cli_language_from_config()` is the language for `pos --help`, shown before
any store opens: it reads only `locale` from config.toml. It runs on every
`pos` command line, so it imports no more than it must (issue 12): no
pathlib, no platformdirs where the answer is plain, no TOML parser for a file
that cannot hold the key.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

# pos_tui.i18n.LANGUAGES, repeated so that finding the language for `pos --help` imports nothing of gettext's.
_LANGUAGES = ("en", "zh_CN")
_SOURCE = "_pos_i18n_source"  # the English (help, short_help) kept on a command or (help,) on a parameter


def translate_tree(command: Any) -> Any:
    """Put `command`'s help, and that of its options, arguments and subcommands, in the current language."""
    from pos_tui.i18n import _

    seen: set[int] = set()
    pending = [command]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        source = current.__dict__.get(_SOURCE)
        if source is None:
            source = (current.help, current.short_help)
            setattr(current, _SOURCE, source)
        help_text, short_help = source
        current.help = _(help_text) if help_text else help_text
        if short_help:
            current.short_help = _(short_help)
        elif current.help != help_text:
            current.short_help = _short(current.help)  # click's shortening counts Latin words and full stops
        else:
            current.short_help = short_help
        for param in getattr(current, "params", ()):
            kept = param.__dict__.get(_SOURCE)
            if kept is None:
                kept = (getattr(param, "help", None),)
                setattr(param, _SOURCE, kept)
            english = kept[0]
            if english:
                param.help = _(english)
        pending.extend(getattr(current, "commands", {}).values())
    return command


def _short(text: str) -> str:
    """The first sentence of a translated help's first paragraph (what a group's command list shows)."""
    first = " ".join(text.split("\n\n", 1)[0].split())
    for stop in ("。", ". "):
        at = first.find(stop)
        if at != -1:
            return first[:at + 1].strip()
    return first


def home_from_argv(argv: Sequence[str]) -> str | None:
    """The `--home PATH` (or `--home=PATH`) of a `pos` command line, read before click parses it; else None.

    Only options before the command name count, as click reads them (`pos --home H user --help`).
    """
    skip = False
    for index, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--home":
            return argv[index + 1] if index + 1 < len(argv) else None
        elif arg.startswith("--home="):
            return arg[len("--home="):]
        elif arg == "--db":  # the other global option with a value
            skip = True
        elif not arg.startswith("-"):
            return None  # the command: what follows belongs to it
    return None


def cli_language_from_config(home: str | os.PathLike[str] | None = None) -> str:
    """The store's `locale` from config.toml in `home` (else POS_HOME, else the user data dir); "en" on any problem.

    Cheap enough for every `pos --help`: one small file read, no settings machinery, no database; tomllib
    only for a file that mentions `locale` (a key cannot be `locale` otherwise: TOML spells a key's letters
    out or escapes them with \\u).
    """
    try:
        if home:
            folder = os.path.expanduser(os.fspath(home))
        elif os.environ.get("POS_HOME"):
            folder = os.path.expanduser(os.environ["POS_HOME"])
        else:
            folder = user_data_dir()
        with open(os.path.join(folder, "config.toml"), "rb") as file:
            data = file.read()
        if b"locale" not in data and b"\\u" not in data and b"\\U" not in data:
            return "en"
        import tomllib

        value = tomllib.loads(data.decode()).get("locale")
        wanted = value.strip().split(".", 1)[0].replace("-", "_").lower() if isinstance(value, str) else ""
        return next((known for known in _LANGUAGES if known.lower() == wanted), "en")
    except Exception:  # a missing, unreadable or broken file: help in English, the command itself reports it
        return "en"


def user_data_dir() -> str:
    """platformdirs.user_data_dir("pos-tui", appauthor=False): the store folder when neither --home nor POS_HOME says.

    Importing platformdirs costs about as much as the rest of `pos --help`, for an answer that on Linux is
    $XDG_DATA_HOME/pos-tui (when that is an absolute path) or $HOME/.local/share/pos-tui (when HOME is one).
    Anything else (another system, Android, no or a relative HOME) asks platformdirs;
    tests/cli/test_cli_language.py holds the two to the same answers.
    """
    android = os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system"
    if sys.platform == "linux" and not android and not hasattr(sys, "getandroidapilevel"):
        data_home = os.environ.get("XDG_DATA_HOME", "")
        if data_home.startswith("/"):
            return os.path.join(data_home, "pos-tui")
        if os.environ.get("HOME", "").startswith("/"):
            return os.path.join(os.path.expanduser("~/.local/share"), "pos-tui")
    from platformdirs import user_data_dir as platform_user_data_dir

    return platform_user_data_dir("pos-tui", appauthor=False)
