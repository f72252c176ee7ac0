"""The status line's device part: warnings (printer, queue, drawer) and the drawer's state."""

from __future__ import annotations

from textual.widgets import Static

from pos_tui.i18n import _


class DeviceWarnings(Static):
    """Printer offline / paper out / N receipts waiting / drawer open too long."""

    def show(self, warnings: list[str]) -> None:
        _show(self, " | ".join(warnings))
        self.set_class(bool(warnings), "warning")


class DrawerLamp(Static):
    """Open or shut from the drawer's sensor; in training, what a live drawer would have done."""

    def show(self, drawer_open: bool | None, *, training_would_open: bool = False, last_opened: str = "") -> None:
        if training_would_open:
            text = _("Drawer: would open")
        elif drawer_open is None:
            text = _("Drawer: {when}").format(when=last_opened) if last_opened else ""
        else:
            text = _("Drawer: OPEN") if drawer_open else _("Drawer: shut")
        _show(self, text)
        self.set_class(bool(drawer_open), "open")


def _show(widget: Static, text: str) -> None:
    """Polled each second: only a change is drawn, as each draw lays out the status row (the width follows
    the text), and that layout cost every scan in the same second a slower redraw."""
    if getattr(widget, "_shown", None) != text:
        widget._shown = text
        widget.update(text)
