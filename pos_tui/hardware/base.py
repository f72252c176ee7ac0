"""What the till asks of a receipt printer and a cash drawer, and the errors they raise."""

from __future__ import annotations

from typing import Protocol


class HardwareError(Exception):
    """A device failed; the message says what to do. Never loses a sale: printing runs after the commit."""


class Printer(Protocol):
    def print_receipt(self, name: str, lines: list[str], barcode: str | None = None) -> None:
        """Print `lines` (already laid out to the paper's width), then the barcode, then cut."""


class Drawer(Protocol):
    def open(self, reason: str) -> None:
        """Kick the drawer open."""
