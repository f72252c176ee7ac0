"""The TRAINING banner across the top of every screen while the session is in training."""

from __future__ import annotations

from textual.widgets import Static

from pos_tui.i18n import N_, _

TEXT = N_("TRAINING - nothing here counts: no money, no stock, no reports")


class TrainingBanner(Static):
    """Follows the app's `training` flag, so one switch shows or hides it on every screen at once."""

    DEFAULT_CSS = """
    TrainingBanner {
        dock: top; width: 100%; height: 1; content-align: center middle;
        background: $warning; color: $text; text-style: bold;
    }
    """

    def __init__(self, text: str = TEXT, *, follow_app: bool = True, id: str | None = None) -> None:
        super().__init__(_(text), id=id, markup=False)
        self.follow_app = follow_app

    def on_mount(self) -> None:
        if self.follow_app:
            self.watch(self.app, "training", self._show, init=True)

    def _show(self, training: bool) -> None:
        self.display = training
