"""Shelf labels on the receipt printer: the name, the price, and the barcode to scan.

A label is a print job like a receipt (kind "label"), so it goes through the
lane's durable queue: a printer that is out of paper keeps the labels
waiting instead of losing them. Each copy is its own job, so the printer
cuts between labels.
"""

from __future__ import annotations

from pos_tui.config import Settings
from pos_tui.db.database import write_transaction
from pos_tui.db.fields import utc_now
from pos_tui.domain.money import format_money
from pos_tui.errors import ValidationError
from pos_tui.hardware.text_width import center, truncate, wrap
from pos_tui.i18n import _
from pos_tui.services import audit, print_queue
from pos_tui.services.catalog import ProductInfo, get_product
from pos_tui.services.context import Actor
from pos_tui.services.permissions import require

MAX_COPIES = 100
NAME_LINES = 3  # a longer name is cut: a label stays small


def label_lines(product: ProductInfo, width: int) -> list[str]:
    """The label's text, none wider than `width` columns; the printer adds the barcode under it."""
    name = wrap(product.name, width)
    if len(name) > NAME_LINES:
        name = name[:NAME_LINES]
        name[-1] = truncate(name[-1], width - 3) + "..."  # plain ASCII: every code page has it
    price = format_money(product.price) + (" / kg" if product.weighed else "")
    return [center(line, width) for line in name] + ["", center(price, width), ""]


def print_label(actor: Actor, settings: Settings, barcode: str, copies: int = 1,
                lane: str | None = None) -> list[print_queue.JobInfo]:
    """Queue `copies` labels of one product on the lane's printer (one audit row for them all)."""
    require(actor, "product.edit")
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(_("copies must be 1 to {MAX_COPIES}, not {copies}").format(MAX_COPIES=MAX_COPIES, copies=copies))
    product = get_product(barcode)
    if product.archived:
        raise ValidationError(_("{name} ({barcode}) is archived; unarchive it before labelling it").format(name=product.name, barcode=product.barcode))
    lines = label_lines(product, int(settings.get("printer.width")))
    lane = lane if lane is not None else str(settings.get("lane"))
    batch = utc_now().strftime("%Y%m%d%H%M%S")  # names stay apart from the last batch's (the simulated printer's files)
    with write_transaction():
        jobs = [print_queue.enqueue(lane, f"label-{product.barcode}", lines, product.barcode, kind="label",
                                    name=f"label-{product.barcode}-{batch}-{n}") for n in range(1, copies + 1)]
        audit.record("product.label", actor, product.barcode, copies=copies, lane=lane,
                     price=format_money(product.price))
    return jobs
