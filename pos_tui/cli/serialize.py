"""Plain JSON-ready dicts of service results: money as decimal strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos_tui.domain.money import format_money
from pos_tui.domain.quantity import format_qty

if TYPE_CHECKING:
    from pos_tui.services.catalog import ProductInfo
    from pos_tui.services.sales import SaleInfo


def product_json(p: "ProductInfo") -> dict[str, Any]:
    return {
        "barcode": p.barcode, "name": p.name, "price": format_money(p.price), "cost": format_money(p.cost),
        "category": p.category, "tax_class": p.tax_class, "unit": p.unit, "stock": format_qty(p.stock),
        "reorder_level": format_qty(p.reorder_level), "tags": list(p.tags), "archived": p.archived,
        "supplier": p.supplier,
    }


def sale_json(s: "SaleInfo", zone: Any) -> dict[str, Any]:
    """A sale with its time in the shop's zone (ISO 8601 with offset)."""
    return {
        "receipt_no": s.receipt_no,
        "time": s.time.astimezone(zone).isoformat(timespec="seconds"),
        "lane": s.lane,
        "cashier": s.cashier,
        "status": s.status,
        "training": s.training,
        "subtotal": format_money(s.subtotal),
        "discount": format_money(s.discount),
        "tax": format_money(s.tax),
        "total": format_money(s.total),
        "change": format_money(s.change),
        "rounding": format_money(s.rounding),
        "original_receipt": s.original or None,
        "customer": s.customer or None,
        "lines": [
            {"barcode": l.barcode, "name": l.name, "qty": format_qty(l.qty), "unit_price": format_money(l.unit_price),
             "discount": format_money(l.discount), "tax_rate": l.tax_rate, "tax": format_money(l.tax),
             "total": format_money(l.total)}
            for l in s.lines
        ],
        "tenders": [
            {"tender": p.tender, "amount": format_money(p.amount), "tendered": format_money(p.tendered),
             "change": format_money(p.change), "reference": p.reference}
            for p in s.payments
        ],
    }
