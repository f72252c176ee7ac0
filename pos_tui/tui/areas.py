"""The till's areas, each a Textual mode; the menu (F12) lists those the user's role may use.

Areas arrive with their issues (Products, Orders, Reports, Settings); the menu
shows only those built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual.screen import Screen

from pos_tui.services.context import ROLES, Actor


@dataclass(frozen=True)
class Area:
    mode: str
    letter: str
    title: str
    roles: tuple[str, ...]
    screen: Callable[[Actor], Screen]
    permission: str | None = None  # or any role holding this permission


def _drawer_settings(actor: Actor) -> Screen:
    from pos_tui.tui.screens.drawer_settings import DrawerSettingsScreen

    return DrawerSettingsScreen(actor)


def _checkout(actor: Actor) -> Screen:
    from pos_tui.tui.screens.checkout import CheckoutScreen

    return CheckoutScreen(actor)


AREAS: tuple[Area, ...] = (
    Area("checkout", "C", "Checkout", ROLES, _checkout),
    Area("settings", "S", "Settings", (), _drawer_settings, permission="settings.edit"),
)


def areas_for(role: str) -> list[Area]:
    return [area for area in AREAS if role in area.roles]


def areas_for_actor(actor: Actor) -> list[Area]:
    """The areas of the actor's role, and those their permissions open."""
    from pos_tui.services.permissions import has

    return [area for area in AREAS
            if actor.role in area.roles or (area.permission is not None and has(actor, area.permission))]
