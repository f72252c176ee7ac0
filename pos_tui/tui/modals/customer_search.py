"""Attach a customer (F5): by name, phone, email, loyalty code or address.

F2 signs a new customer up on the spot (and attaches them); F3 shows the
highlighted customer's details and recent purchases.
"""

from __future__ import annotations

from textual.binding import Binding

from pos_tui.i18n import N_, _
from pos_tui.tui.modals.lookup import LookupModal


class CustomerSearchModal(LookupModal):
    """Returns the CustomerInfo picked (or just added), or None when cancelled."""

    HELP_TITLE = N_("Find a customer")
    HOWTO = N_("Type part of a name, phone, email, loyalty code or postcode.\n"
               "Up/Down picks a row, Enter takes that customer.\n"
               "{customer_search.new} signs up a new customer, {customer_search.details} shows the highlighted one.\n"
               "{lookup.cancel} closes.")

    TITLE_TEXT = N_("Find a customer")
    HINT = N_("Enter picks, F2 new, F3 details, Esc closes")
    PLACEHOLDER = N_("Name, phone, email, loyalty code or postcode")
    COLUMNS = ((N_("Name"), 28), (N_("Phone"), 18), (N_("Loyalty"), 10), (N_("Email"), 14))
    LIMIT = 20
    BINDINGS = LookupModal.BINDINGS + [
        Binding("f2", "new_customer", N_("New"), id="customer_search.new", priority=True),
        Binding("f3", "details", N_("Details"), id="customer_search.details", priority=True),
    ]

    def find(self, text: str):
        from pos_tui.services.customers import find_customers

        return find_customers(text, limit=self.LIMIT)

    def cells(self, customer):
        return (customer.name, customer.phone, customer.loyalty_code, customer.email)

    def action_new_customer(self) -> None:
        from pos_tui.tui.modals.customer_form import CustomerFormModal

        typed = self.query_one("#lookup").value.strip()
        # Typed letters are probably the name; digits a phone number the cashier will type again.
        name = typed if typed and not any(c.isdigit() for c in typed) else ""
        self.app.push_screen(CustomerFormModal(name), self._chosen)

    def action_details(self) -> None:
        from pos_tui.tui.modals.customer_detail import CustomerDetailModal

        customer = self.highlighted()
        if customer is None:
            self.query_one("#lookup-message").update(_("Find a customer first, then F3 shows their details"))
            return
        self.app.push_screen(CustomerDetailModal(customer.id), self._chosen)

    def _chosen(self, customer) -> None:
        """A customer added or attached from their details is this search's answer."""
        if customer is not None:
            self.dismiss(customer)
