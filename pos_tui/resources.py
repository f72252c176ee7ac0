"""Where the shipped folders (migrations/, sample_data/) are.

An installed wheel carries them in `pos_tui/_data/`; an editable install or a
checkout finds them at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("migrations" or "sample_data"), wherever it was installed."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{name}/ is missing from this installation of pos-tui")
