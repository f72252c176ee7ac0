"""Training mode at the till: the banner on every screen, and the key that switches the session.

A mixin for the App. The banner is added once to each full screen as it
becomes current (not to modals) and follows the app's `training` flag, so no
screen knows about it. The key (binding id `till.training`) asks a
supervisor when the user lacks training.toggle; the service
(services/training.py) checks again, audits, and returns the same user's
Actor in or out of training, which then replaces the actor of every screen.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from pos_tui.errors import PosError
from pos_tui.i18n import N_, _
from pos_tui.services.context import Actor
from pos_tui.tui.widgets.training_banner import TrainingBanner

TRAINING_BINDING = Binding("ctrl+t", "training", N_("Training"), id="till.training", priority=True, show=False)


class TrainingMode:
    """Needs from the app: actor, settings, area_screens (mode -> screen) once logged in."""

    training: bool  # a reactive on the app: the banners follow it
    actor: Actor | None

    def install_training_banners(self) -> None:
        """Call once at mount: every full screen made current from now on gets the banner."""
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self._screen_changed(self.screen)

    def _screen_changed(self, screen: Screen) -> None:
        if isinstance(screen, ModalScreen) or getattr(screen, "_training_banner", False):
            return
        screen._training_banner = True
        screen.call_after_refresh(_add_banner, screen, TrainingBanner())

    def set_actor(self, actor: Actor) -> None:
        """The session's user (at login, or switched in or out of training) on the app and every screen."""
        self.actor = actor
        for stack in getattr(self, "_screen_stacks", {}).values():
            for screen in stack:
                if isinstance(getattr(screen, "actor", None), Actor):
                    screen.actor = actor
                autosave = getattr(screen, "autosave", None)
                if isinstance(getattr(autosave, "actor", None), Actor):
                    autosave.actor = actor
        self.training = actor.training

    # -- the key ---------------------------------------------------------------
    def action_training(self) -> None:
        """Ctrl+T: into or out of training for this session; a supervisor approves for a cashier."""
        if self.actor is None or isinstance(self.screen, ModalScreen):
            return
        self._switch(not self.actor.training, None, self._cart_lines())

    def _cart_lines(self) -> int:
        checkout = getattr(self, "area_screens", {}).get("checkout")
        cart = getattr(checkout, "cart", None)
        return len(cart.lines) if cart is not None else 0

    @work(thread=True, exclusive=True, group="training")
    def _switch(self, on: bool, approver: Actor | None, cart_lines: int) -> None:
        """In a worker (the checks read the user and the role): switch, or ask for a supervisor first."""
        from pos_tui.services.limits import NeedsApproval
        from pos_tui.services.store import thread_session
        from pos_tui.services.training import switch

        try:
            with thread_session():
                actor = switch(self.actor, self.settings, on, lane=self.settings.get("lane"),
                               cart_lines=cart_lines, approver=approver)
        except NeedsApproval as request:
            self.call_from_thread(self._ask_approval, on, request)
            return
        except PosError as exc:
            self.call_from_thread(self._say, str(exc), error=True)
            return
        self.call_from_thread(self._switched, actor, approver)

    def _ask_approval(self, on: bool, request) -> None:
        from pos_tui.tui.modals.override import OverrideModal

        def approved(approver: Actor | None) -> None:
            if approver is None:
                self._say(_("Not approved; training mode is unchanged"))
            else:
                self._switch(on, approver, self._cart_lines())

        self.push_screen(OverrideModal(self.actor, request, N_("training mode")), approved)

    def _switched(self, actor: Actor, approver: Actor | None) -> None:
        self.set_actor(actor)
        by = _(", approved by {user}").format(user=approver.username) if approver else ""
        self._say((_("Training mode: nothing counts until it is switched off") if actor.training
                   else _("Training mode ended: sales count again")) + by)

    def _say(self, text: str, *, error: bool = False) -> None:
        """On the checkout's notice line when it is the screen, else as a toast."""
        notice = getattr(self.screen, "notice", None)
        if callable(notice):
            notice(text, error=error)
        else:
            self.notify(text, severity="error" if error else "information")


def _add_banner(screen: Screen, banner: TrainingBanner) -> None:
    if screen.is_attached:  # else the till was quit as it opened: the screen is already gone (no MountError)
        screen.mount(banner)
