"""Purchase orders as files: the CSV sent to the supplier, and a delivery note read back in."""

from __future__ import annotations

from decimal import Decimal

from pos_tui.domain.quantity import format_qty
from pos_tui.errors import ValidationError
from pos_tui.i18n import _
from pos_tui.services.purchase_orders import get_order
from pos_tui.services.suppliers import find as find_supplier


def export_csv(number: str) -> str:
    """The order as a CSV to send: a header block naming the supplier, then the lines and the total."""
    import csv
    import io

    from pos_tui.domain.money import format_money

    info = get_order(number)
    supplier = find_supplier(info.supplier)
    out = io.StringIO()
    write = csv.writer(out, lineterminator="\n").writerow
    write(["purchase_order", info.number])
    write(["status", info.status])
    write(["date", info.created_at.date().isoformat()])
    write(["supplier", supplier.name])
    write(["contact", supplier.contact])
    write(["phone", supplier.phone])
    write(["email", supplier.email])
    if info.reference:
        write(["reference", info.reference])
    write([])
    write(["barcode", "name", "qty", "unit_cost", "line_total"])
    for line in info.lines:
        write([line.barcode, line.name, format_qty(line.qty_ordered), format_money(line.unit_cost),
               format_money(line.total)])
    write(["", "total", "", "", format_money(info.total)])
    return out.getvalue()


def parse_receipt_csv(text: str) -> dict[str, Decimal]:
    """A delivery note as CSV: barcode,qty per row (a header row is optional); one bad row refuses the file."""
    import csv
    import io

    from pos_tui.domain.quantity import parse_qty

    found: dict[str, Decimal] = {}
    problems = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and cells[0].lower() == "barcode"):
            continue
        if len(cells) < 2:
            problems.append(_("row {number}: expected barcode,qty").format(number=number))
            continue
        try:
            qty = parse_qty(cells[1], what="qty")
        except ValidationError as exc:
            problems.append(_("row {number}: {exc}").format(number=number, exc=exc))
            continue
        found[cells[0]] = found.get(cells[0], Decimal(0)) + qty
    if problems:
        more = _(" (and {more} more)").format(more=len(problems) - 1) if len(problems) > 1 else ""
        raise ValidationError(_("{problems}{more}; nothing was received").format(problems=problems[0], more=more))
    if not found:
        raise ValidationError(_("the file names no barcode and quantity"))
    return found
