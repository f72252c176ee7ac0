"""Receipts laid out for the shop's paper, and printed.

The till queues receipts (services/print_queue.py) and a worker thread
prints them; the drawer opens by the shop's rules (services/drawer.py).
A failing printer never touches the sale, which is already committed.
"""

from __future__ import annotations

from pos_tui.config import Settings
from pos_tui.hardware.base import Printer
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
