"""The status line's lane item: OFFLINE and the sales waiting to be sent, or nothing when all is well."""

from __future__ import annotations

from textual.widgets import Static

from pos_tui.i18n import _, ngettext

REFRESH_S = 1.0


class LaneLamp(Static):
    """Reads the lane's state in memory (no database on the UI thread) every second."""

    DEFAULT_CSS = """
    LaneLamp { width: auto; height: 1; padding: 0 1; }
    LaneLamp.offline { background: $error; color: $text; text-style: bold; }
    LaneLamp.sending { background: $warning; color: $text; text-style: bold; }
    """

    _shown: tuple[str, bool, bool] | None = None

    def on_mount(self) -> None:
        from pos_tui.services.offline_lane import current

        self.refresh_lamp()
        if current() is not None:  # a SQLite store has no lane to watch: no timer, no redraws
            self.set_interval(REFRESH_S, self.refresh_lamp)

    def refresh_lamp(self) -> None:
        from pos_tui.services.offline_lane import current

        lane = current()
        status = lane.status() if lane is not None else None
        shown = (lamp_text(status.online, status.pending) if status is not None else "",
                 status is not None and not status.online, status is not None and status.online and status.pending > 0)
        if shown == self._shown:  # an update re-lays out the status line: only when something changed
            return
        self._shown = shown
        self.update(shown[0])
        self.set_class(shown[1], "offline")
        self.set_class(shown[2], "sending")


def lamp_text(online: bool, pending: int) -> str:
    if online and not pending:
        return ""
    waiting = ngettext("{n} sale to send", "{n} sales to send", pending).format(n=pending)
    if online:
        return waiting
    return _("OFFLINE") + (": " + waiting if pending else "")
