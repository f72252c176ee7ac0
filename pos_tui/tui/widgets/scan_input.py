"""The scan field: a scanner types digits and Enter faster than anyone.

When a burst arrives in one read, Textual delivers the digits straight to the
field but runs the Enter *binding* later, so codes would run together. This
field handles Enter in its own key handler, in arrival order, and empties
itself at once so the next code starts clean.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class ScanInput(Input):
    """An Input that posts `Scanned(code)` and clears itself on Enter."""

    class Scanned(Message):
        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._submit_now()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        self._submit_now()

    def _submit_now(self) -> None:
        code = self.value.strip()
        self.value = ""
        if code:
            self.post_message(self.Scanned(code))
