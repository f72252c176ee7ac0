"""Attach a customer (F5): by phone, name or loyalty code."""

from __future__ import annotations

from pos_tui.tui.modals.lookup import LookupModal


class CustomerSearchModal(LookupModal):
    """Returns the CustomerInfo picked, or None when cancelled."""

    TITLE_TEXT = "Find a customer: phone, name or loyalty code"
    COLUMNS = (("Name", 28), ("Phone", 18), ("Loyalty", 10), ("Email", 14))
    LIMIT = 20

    def find(self, text: str):
        from pos_tui.services.customers import find_customers

        return find_customers(text, limit=self.LIMIT)

    def cells(self, customer):
        return (customer.name, customer.phone, customer.loyalty_code, customer.email)
