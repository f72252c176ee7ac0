"""Typing handled strictly in the order it arrives.

A barcode scanner (or a fast typist on a slow till) delivers digits, Enter and
the next digits in one read. Textual forwards characters to the focused Input
at once but runs the Enter *binding* later, and `focus()` lands later still,
so codes run together and a PIN can end up in the name field. Screens that
mix in OrderedTyping get every printable key, Backspace and Enter from the
App's own queue, one at a time, and act on them synchronously.

Characters are gathered and put into the field in one edit, after the keys
already waiting in the queue: a scanner's 13 digits cost one update of the
field instead of 13. Any other key, a click, a paste or an action puts the
gathered characters in first, so nothing reads the field without them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

class OrderedTyping:
    """Mixin for Screens; override `field_submitted` (and maybe `typing_target`)."""

    # Keys that end a field. The checkout adds "tab" for scanners set to send it.
    submit_keys: tuple[str, ...] = ("enter",)
    _early_keys: list[events.Key]

    def typing_target(self) -> Input | None:
        focused = self.focused  # type: ignore[attr-defined]
        return focused if isinstance(focused, Input) and not focused.disabled else None

    def take_key(self, event: events.Key) -> bool:
        """Handle one key in arrival order; False leaves it to Textual."""
        if event.key not in self.submit_keys and event.key != "backspace" and not event.is_printable:
            self.flush_typing()
            return False
        if not self.is_mounted:  # type: ignore[attr-defined]
            # Keys typed while the screen is still opening are kept, not lost.
            self.__dict__.setdefault("_early_keys", []).append(event)
            return True
        field = self.typing_target()
        if field is None:
            self.flush_typing()
            return self.key_without_field(event)
        if event.key in self.submit_keys:
            self.flush_typing()
            self.field_submitted(field)
        elif event.key == "backspace":
            self.flush_typing()
            field.action_delete_left()
        elif event.character:
            self._gather(field, event.character)
        return True

    def _gather(self, field: Input, text: str) -> None:
        typed = self.__dict__.get("_typed")
        if typed is not None and typed[0] is not field:
            self.flush_typing()
            typed = None
        if typed is None:
            # As an Input does for a key it handles itself: the cursor shows steady while typing, and its
            # blink's next frame comes half a second on, not in the middle of a scanner's code.
            field._restart_blink()
            self.__dict__["_typed"] = [field, text]
            # Queued behind the keys that have already arrived, so a burst lands in one edit.
            self.app.call_later(self.flush_typing)  # type: ignore[attr-defined]
        else:
            typed[1] += text

    def flush_typing(self) -> None:
        """Put the gathered characters into their field now."""
        typed = self.__dict__.pop("_typed", None)
        if typed is None:
            return
        field, text = typed
        if not field.is_attached:
            return
        selection = field.selection
        if selection.is_empty:
            field.insert_text_at_cursor(text)
        else:
            field.replace(text, *selection)

    def replay_early_keys(self) -> None:
        """Call at the end of on_mount: typing that arrived before it."""
        for event in self.__dict__.pop("_early_keys", []):
            self.take_key(event)

    def key_without_field(self, event: events.Key) -> bool:
        """A typing key while no field is ready; by default Textual handles it."""
        return False

    def field_submitted(self, field: Input) -> None:
        raise NotImplementedError

    def next_field_or_save(self, field: Input) -> None:
        """Enter in a form: the next field at once (fast typing lands where meant), `action_save` after the last."""
        fields = list(self.query(Input))  # type: ignore[attr-defined]
        at = fields.index(field)
        if at + 1 < len(fields):
            self.set_focus(fields[at + 1])  # type: ignore[attr-defined]
        else:
            self.action_save()  # type: ignore[attr-defined]

    def refuse_secret(self, field_id: str, message_id: str, message: str) -> None:
        """A wrong password or PIN: empty the field, focus it again, say why."""
        field = self.query_one(f"#{field_id}", Input)  # type: ignore[attr-defined]
        field.disabled = False
        field.value = ""
        self.set_focus(field)  # type: ignore[attr-defined]
        widget = self.query_one(f"#{message_id}")  # type: ignore[attr-defined]
        widget.update(message)
        widget.add_class("error")

    def take_paste(self, text: str) -> bool:
        """Pasted text; by default Textual handles it."""
        return False
