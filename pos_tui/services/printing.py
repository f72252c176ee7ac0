"""After the commit: the receipt to the printer, the drawer open for cash (audited).

Runs in a worker thread, never on the UI's event loop; a failing printer
never touches the sale, which is already committed.
"""

from __future__ import annotations

from pos_tui.config import Settings
from pos_tui.domain.tender import CASH
from pos_tui.hardware.base import Drawer, Printer
from pos_tui.services import audit
from pos_tui.services.context import Actor
from pos_tui.services.sales import SaleInfo


def receipt_lines(settings: Settings, sale: SaleInfo, *, copy: bool = False) -> tuple[list[str], str | None]:
    """The receipt laid out for the shop's paper, and the value of its barcode."""
    from zoneinfo import ZoneInfo

    from pos_tui.hardware.receipt import layout_receipt, receipt_data_from_sale

    data = receipt_data_from_sale(sale, settings.as_dict(), ZoneInfo(settings.get("store.timezone")), copy=copy)
    return layout_receipt(data, int(settings.get("printer.width"))), data.barcode_value


def print_receipt(settings: Settings, printer: Printer, sale: SaleInfo, *, copy: bool = False) -> list[str]:
    lines, barcode = receipt_lines(settings, sale, copy=copy)
    printer.print_receipt(f"{sale.receipt_no}-copy" if copy else sale.receipt_no, lines, barcode)
    return lines


def drawer_should_open(sale: SaleInfo) -> bool:
    """Until the shop's drawer rules arrive: any cash taken or given back opens it."""
    return any(p.tender == CASH for p in sale.payments)


def open_drawer_for(actor: Actor, drawer: Drawer, sale: SaleInfo, lane: str) -> None:
    """Open the drawer and audit the opening (every opening leaves a trail)."""
    drawer.open(f"sale {sale.receipt_no}")
    audit.record_now("drawer.open", actor, lane, reason="sale", receipt=sale.receipt_no)
