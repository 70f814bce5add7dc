"""The customer files area (客户档案): search, a customer's details, products and whole
repair history. Importing it registers the page.
"""

from __future__ import annotations

from app.ui.extensions import PageSpec, UiContext, register_page


def _customers_page(ctx: UiContext):
    from app.ui.customers.page import CustomersPage

    return CustomersPage(ctx)


register_page(PageSpec("customers", "Customer files", _customers_page, order=20))
