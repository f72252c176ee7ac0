"""A Footer that redraws its keys once for a burst of binding changes.

Opening an area sends four "bindings changed" signals (focus, resume twice,
idle); Textual's Footer rebuilds all its keys for each, which is a third of
the time it takes to open the screen. The keys shown are the same: the one
rebuild reads the bindings as they are after the burst.
"""

from __future__ import annotations

from textual.screen import Screen

from pos_tui.tui.widgets.key_footer import KeyFooter


class QuietFooter(KeyFooter):
    _queued = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._queued:
            return
        self._queued = True
        self.call_after_refresh(self._changed, screen)

    def _changed(self, screen: Screen) -> None:
        self._queued = False
        super().bindings_changed(screen)
