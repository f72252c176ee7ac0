"""The till's areas, each a Textual mode; the menu (F12) lists those the user's role may use.

Areas arrive with their issues (Products, Orders, Reports, Settings); the menu
shows only those built. An area with a `permission` is offered to any role that
holds it (permissions.has), so a shop's own roles get it too; the screen's
services check again, since hiding a menu entry is no guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual.screen import Screen

from pos_tui.i18n import N_
from pos_tui.services.context import Actor


@dataclass(frozen=True)
class Area:
    mode: str
    letter: str
    title: str  # marked N_(): shown translated (the menu)
    roles: tuple[str, ...]  # empty: any role, as far as `permission` allows
    screen: Callable[[Actor], Screen]
    permission: str | None = None


def _drawer_settings(actor: Actor) -> Screen:
    from pos_tui.tui.screens.drawer_settings import DrawerSettingsScreen

    return DrawerSettingsScreen(actor)


def _checkout(actor: Actor) -> Screen:
    from pos_tui.tui.screens.checkout import CheckoutScreen

    return CheckoutScreen(actor)


def _audit_log(actor: Actor) -> Screen:
    from pos_tui.tui.screens.audit_log import AuditLogScreen

    return AuditLogScreen(actor)


def _products(actor: Actor) -> Screen:
    from pos_tui.tui.screens.products import ProductsScreen

    return ProductsScreen(actor)


def _stock(actor: Actor) -> Screen:
    from pos_tui.tui.screens.stock import StockScreen

    return StockScreen(actor)


def _purchasing(actor: Actor) -> Screen:
    from pos_tui.tui.screens.purchasing import PurchasingScreen

    return PurchasingScreen(actor)


def _orders(actor: Actor) -> Screen:
    from pos_tui.tui.screens.orders import OrdersScreen

    return OrdersScreen(actor)


def _reports(actor: Actor) -> Screen:
    from pos_tui.tui.screens.reports import ReportsScreen

    return ReportsScreen(actor)


AREAS: tuple[Area, ...] = (
    Area("checkout", "C", N_("Checkout"), (), _checkout),  # every role sells
    Area("products", "P", N_("Products"), (), _products, permission="product.edit"),
    Area("orders", "O", N_("Orders"), (), _orders),  # anyone sees orders; the services check each action
    Area("audit", "A", N_("Audit log"), (), _audit_log, permission="audit.view"),
    Area("stock", "K", N_("Stock"), (), _stock, permission="stock.adjust"),
    Area("purchasing", "U", N_("Purchasing"), (), _purchasing, permission="stock.adjust"),
    Area("reports", "R", N_("Reports"), (), _reports, permission="report.view"),
    Area("settings", "S", N_("Settings"), (), _drawer_settings, permission="settings.edit"),
)


def areas_for(actor: Actor) -> list[Area]:
    """The areas `actor` may use (reads the role's permissions: call it once per login)."""
    from pos_tui.services.permissions import has

    return [area for area in AREAS
            if (not area.roles or actor.role in area.roles) and (area.permission is None or has(actor, area.permission))]
