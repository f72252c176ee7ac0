"""Customers: finding one at the till by phone, name or loyalty code."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from pos_tui.db.models import Customer


@dataclass(frozen=True)
class CustomerInfo:
    id: int
    name: str
    phone: str
    email: str
    loyalty_code: str


def _info(row: Customer) -> CustomerInfo:
    return CustomerInfo(row.id, row.name, row.phone, row.email, row.loyalty_code or "")


def find_customers(text: str, limit: int = 20) -> list[CustomerInfo]:
    """By loyalty code (exact), phone (digits anywhere) or name (part, any case)."""
    text = text.strip()
    if not text:
        return []
    digits = "".join(c for c in text if c.isdigit())
    condition = (fn.LOWER(Customer.name).contains(text.lower())) | (Customer.loyalty_code == text.upper())
    if len(digits) >= 3:
        # phones are stored as typed ("+44 7700 900017"); compare digits only
        stripped = fn.REPLACE(fn.REPLACE(fn.REPLACE(Customer.phone, " ", ""), "+", ""), "-", "")
        condition |= stripped.contains(digits)
    query = Customer.select().where(condition).order_by(Customer.name, Customer.id).limit(limit)
    return [_info(row) for row in query]
