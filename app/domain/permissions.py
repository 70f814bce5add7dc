"""Who may do what: the one role x action table every service enforces and every screen
reads to offer an action (a technician never sees a button he may not press).

Each ``Permission`` names an action; ``MATRIX`` gives, per role, whether the role may take it
anywhere (``Scope.ANY``) or only on orders assigned to the acting user (``Scope.OWN`` — a
technician's own orders). A role missing from a row may not take the action at all. The
order state machine takes its moves' roles from here too. A later area adds its rows here;
``tests/services/test_permission_matrix.py`` walks the whole table against the real
services, so a check deleted from a service fails a test.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.enums import Role


class Scope(StrEnum):
    ANY = "any"
    OWN = "own"  # only on orders assigned to the acting user


class Permission(StrEnum):
    # orders (app/services/orders.py) and their moves (app/domain/state_machine.py)
    ORDER_CREATE = "order.create"
    ORDER_EDIT = "order.edit"
    ORDER_ACCEPT = "order.accept"
    ORDER_ASSIGN = "order.assign"
    ORDER_START = "order.start"  # 上门 / 返厂 / 待件
    ORDER_COMPLETE = "order.complete"
    ORDER_VISIT = "order.visit"
    ORDER_CLOSE = "order.close"
    ORDER_CANCEL = "order.cancel"
    ORDER_REOPEN = "order.reopen"
    ORDER_REPAIR_RECORD = "order.repair_record"
    ORDER_CHARGES = "order.charges"
    ORDER_PHOTO = "order.photo"
    # corrections (app/services/order_corrections.py)
    ORDER_CORRECT = "order.correct"
    ORDER_TIMES = "order.times"
    # payments (app/services/payments.py)
    PAYMENT_TAKE = "payment.take"
    PAYMENT_WAIVE = "payment.waive"
    # customer files (app/services/customers.py)
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_EDIT = "customer.edit"
    PRODUCT_ADD = "product.add"
    PRODUCT_EDIT = "product.edit"
    # a customer's data on request (app/services/customer_privacy.py, PIPL)
    CUSTOMER_EXPORT = "customer.export"
    CUSTOMER_ERASE = "customer.erase"
    # users (app/services/users.py)
    USER_MANAGE = "user.manage"
    USER_PASSWORD_OTHERS = "user.password_others"
    # parts (app/services/order_parts.py, sales.py, stock_counts.py, parts_orders.py, ...)
    PARTS_ISSUE = "parts.issue"
    CATALOGUE_IMPORT = "catalogue.import"
    PART_SETTINGS = "part.settings"
    SALE_CREATE = "sale.create"
    SALE_BELOW_STATION_PRICE = "sale.below_station_price"
    SALE_VOID = "sale.void"
    COUNT_OPEN = "count.open"
    COUNT_ENTER = "count.enter"
    COUNT_POST = "count.post"
    PARTS_ORDER = "parts_order.manage"
    PARTS_RECEIVE = "parts_order.receive"
    OLD_PART_PACK = "old_part.pack"
    OLD_PART_SHIP = "old_part.ship"
    # sync (app/services/sync_service.py, sync_conflicts.py)
    SYNC_REGISTER = "sync.register"
    CONFLICT_RESOLVE = "conflict.resolve"
    #: what head office never received of this device (a revoked laptop's own changes)
    UNSENT_VIEW = "sync.unsent"
    # warranty (app/services/warranty_policy.py, claims.py, feedback.py, visits.py)
    POLICY_IMPORT = "policy.import"
    CLAIM_MANAGE = "claim.manage"
    CLAIM_OVERRIDE = "claim.override"
    CLAIM_SUBMIT = "claim.submit"
    CLAIM_MARK_PAID = "claim.mark_paid"
    FEEDBACK_WRITE = "feedback.write"
    FEEDBACK_SUBMIT = "feedback.submit"
    VISIT_RECORD = "visit.record"
    # the station's numbers (app/services/station_reports.py, dashboard.py)
    REPORT_VIEW = "report.view"
    # maintenance reminders (app/services/maintenance.py): a call list with full phone numbers
    CAMPAIGN_EXPORT = "campaign.export"
    # phones masked by role (app.domain.phone_mask): the manager reveals one, audited
    PHONE_REVEAL = "phone.reveal"
    # backups (app/services/backups.py): anyone at the desk backs up; the manager sets where
    BACKUP_MAKE = "backup.make"
    BACKUP_SETTINGS = "backup.settings"
    # the 设置 page (app/services/station_settings.py): letterhead, head office, printing
    SETTINGS_EDIT = "settings.edit"
    # the station key (app/services/store_keys.py): the recovery key shown, with the password
    STORE_KEY_VIEW = "store_key.view"
    # visits booked with the customer (app/services/appointments.py): the desk's calendar
    APPOINTMENT_BOOK = "appointment.book"
    # the customer's signature on screen (app/services/signatures.py)
    SIGNATURE_TAKE = "signature.take"
    SIGNATURE_REOPEN = "signature.reopen"


C, T, M = Role.CLERK, Role.TECHNICIAN, Role.MANAGER
ANY, OWN = Scope.ANY, Scope.OWN
P = Permission

MATRIX: dict[Permission, dict[Role, Scope]] = {
    P.ORDER_CREATE: {C: ANY, M: ANY},
    P.ORDER_EDIT: {C: ANY, M: ANY},
    P.ORDER_ACCEPT: {C: ANY, M: ANY},
    P.ORDER_ASSIGN: {C: ANY, M: ANY},
    P.ORDER_START: {T: OWN, M: ANY},
    P.ORDER_COMPLETE: {T: OWN, M: ANY},
    P.ORDER_VISIT: {C: ANY, M: ANY},
    P.ORDER_CLOSE: {C: ANY, M: ANY},
    P.ORDER_CANCEL: {M: ANY},
    P.ORDER_REOPEN: {M: ANY},
    # the clerk types what a technician reports by phone; a technician only on his orders
    P.ORDER_REPAIR_RECORD: {C: ANY, T: OWN, M: ANY},
    P.ORDER_CHARGES: {C: ANY, T: OWN, M: ANY},
    P.ORDER_PHOTO: {C: ANY, T: OWN, M: ANY},
    P.ORDER_CORRECT: {T: OWN, M: ANY},
    P.ORDER_TIMES: {T: OWN, M: ANY},
    # the technician takes the money on site, on his own orders
    P.PAYMENT_TAKE: {C: ANY, T: OWN, M: ANY},
    P.PAYMENT_WAIVE: {M: ANY},
    P.CUSTOMER_CREATE: {C: ANY, M: ANY},
    P.CUSTOMER_EDIT: {C: ANY, M: ANY},
    P.CUSTOMER_EXPORT: {M: ANY},
    P.CUSTOMER_ERASE: {M: ANY},
    P.PRODUCT_ADD: {C: ANY, T: ANY, M: ANY},
    # a product's purchase date and invoice decide the warranty, so the desk keeps them;
    # a technician registers a new unit on site but does not rewrite an existing one
    P.PRODUCT_EDIT: {C: ANY, M: ANY},
    P.USER_MANAGE: {M: ANY},
    P.USER_PASSWORD_OTHERS: {M: ANY},
    P.PARTS_ISSUE: {T: OWN, M: ANY},
    P.CATALOGUE_IMPORT: {M: ANY},
    P.PART_SETTINGS: {M: ANY},
    P.SALE_CREATE: {C: ANY, M: ANY},
    P.SALE_BELOW_STATION_PRICE: {M: ANY},
    P.SALE_VOID: {M: ANY},
    P.COUNT_OPEN: {M: ANY},
    P.COUNT_ENTER: {C: ANY, T: ANY, M: ANY},
    P.COUNT_POST: {M: ANY},
    P.PARTS_ORDER: {M: ANY},
    P.PARTS_RECEIVE: {C: ANY, M: ANY},
    P.OLD_PART_PACK: {C: ANY, T: ANY, M: ANY},
    P.OLD_PART_SHIP: {M: ANY},
    P.SYNC_REGISTER: {M: ANY},
    P.CONFLICT_RESOLVE: {M: ANY},
    P.UNSENT_VIEW: {M: ANY},
    P.POLICY_IMPORT: {M: ANY},
    P.CLAIM_MANAGE: {M: ANY},
    P.CLAIM_OVERRIDE: {M: ANY},
    P.CLAIM_SUBMIT: {M: ANY},
    P.CLAIM_MARK_PAID: {M: ANY},
    # anyone drafts a card; a technician only for his own orders or the cards he started
    P.FEEDBACK_WRITE: {C: ANY, T: OWN, M: ANY},
    P.FEEDBACK_SUBMIT: {T: OWN, M: ANY},
    P.VISIT_RECORD: {C: ANY, M: ANY},
    # technicians' performance and the station's money are the manager's to read
    P.REPORT_VIEW: {M: ANY},
    # the desk calls the customers; the list leaves the program with their phone numbers
    P.CAMPAIGN_EXPORT: {C: ANY, M: ANY},
    # the clerk sees every number already; the manager's 显示完整号码 is recorded in the audit
    P.PHONE_REVEAL: {M: ANY},
    P.BACKUP_MAKE: {C: ANY, M: ANY},
    P.BACKUP_SETTINGS: {M: ANY},
    P.SETTINGS_EDIT: {M: ANY},
    # whoever holds the recovery key reads every customer in any copy of the data
    P.STORE_KEY_VIEW: {M: ANY},
    # the desk books, moves and cancels visits and talks to the customer; a technician who
    # will be late phones the desk (app/services/appointments.py)
    P.APPOINTMENT_BOOK: {C: ANY, M: ANY},
    # the technician has the customer sign on site, on his own orders
    P.SIGNATURE_TAKE: {C: ANY, T: OWN, M: ANY},
    # reopening undoes what the customer agreed to: the manager, who answers for the money
    P.SIGNATURE_REOPEN: {M: ANY},
}

#: what the refusal says the user tried to do (English source, translated by the catalogue)
DOING: dict[Permission, str] = {
    P.ORDER_CREATE: "create orders",
    P.ORDER_EDIT: "edit orders",
    P.ORDER_ACCEPT: "accept orders",
    P.ORDER_ASSIGN: "assign orders",
    P.ORDER_START: "start service on orders",
    P.ORDER_COMPLETE: "complete orders",
    P.ORDER_VISIT: "record return visits",
    P.ORDER_CLOSE: "close orders",
    P.ORDER_CANCEL: "cancel orders",
    P.ORDER_REOPEN: "reopen orders",
    P.ORDER_REPAIR_RECORD: "record repairs",
    P.ORDER_CHARGES: "edit charges",
    P.ORDER_PHOTO: "add photos",
    P.ORDER_CORRECT: "correct repair records and photos",
    P.ORDER_TIMES: "enter service times",
    P.PAYMENT_TAKE: "take payments",
    P.PAYMENT_WAIVE: "waive payments",
    P.CUSTOMER_CREATE: "create customers",
    P.CUSTOMER_EDIT: "edit customers",
    P.CUSTOMER_EXPORT: "export a customer's personal data",
    P.CUSTOMER_ERASE: "erase a customer's personal data",
    P.PRODUCT_ADD: "register products",
    P.PRODUCT_EDIT: "edit products",
    P.USER_MANAGE: "manage users",
    P.USER_PASSWORD_OTHERS: "change other users' passwords",
    P.PARTS_ISSUE: "issue parts",
    P.CATALOGUE_IMPORT: "import the parts catalogue",
    P.PART_SETTINGS: "change shelf locations and low-stock thresholds",
    P.SALE_CREATE: "sell parts",
    P.SALE_BELOW_STATION_PRICE: "sell under the station price",
    P.SALE_VOID: "void sales",
    P.COUNT_OPEN: "open stock counts",
    P.COUNT_ENTER: "enter counted quantities",
    P.COUNT_POST: "post stock counts",
    P.PARTS_ORDER: "order parts from head office",
    P.PARTS_RECEIVE: "receive parts",
    P.OLD_PART_PACK: "pack old parts",
    P.OLD_PART_SHIP: "ship old parts",
    P.SYNC_REGISTER: "register the station with head office",
    P.CONFLICT_RESOLVE: "resolve sync conflicts",
    P.UNSENT_VIEW: "see or export the changes head office never received",
    P.POLICY_IMPORT: "import the warranty policy",
    P.CLAIM_MANAGE: "build warranty claims",
    P.CLAIM_OVERRIDE: "override a claim warning",
    P.CLAIM_SUBMIT: "submit warranty claims",
    P.CLAIM_MARK_PAID: "mark a claim statement paid",
    P.FEEDBACK_WRITE: "fill in quality feedback cards",
    P.FEEDBACK_SUBMIT: "submit quality feedback cards",
    P.VISIT_RECORD: "make return visits",
    P.REPORT_VIEW: "read the station's reports",
    P.CAMPAIGN_EXPORT: "export customer lists for campaigns",
    P.PHONE_REVEAL: "reveal a masked phone number",
    P.BACKUP_MAKE: "back up the station",
    P.BACKUP_SETTINGS: "change where and when the station is backed up",
    P.SETTINGS_EDIT: "change the station's settings",
    P.STORE_KEY_VIEW: "see the station's recovery key",
    P.APPOINTMENT_BOOK: "book, move or cancel visits",
    P.SIGNATURE_TAKE: "take the customer's signature",
    P.SIGNATURE_REOPEN: "reopen a signed order's charges",
}


class View(StrEnum):
    """Pages that only read (every service lets anyone read): who is shown them, so a screen
    is not offered to those it is not for. Actions on them are permissions above."""

    CLAIMS = "claims"  # 三包索赔: the clerk follows it, only the manager acts on it
    DAY_TAKINGS = "day_takings"  # 收款日结: the desk's cash, not a technician's
    MAINTENANCE = "maintenance"  # 保养提醒: the desk calls the customers


VIEWS: dict[View, frozenset[Role]] = {
    View.CLAIMS: frozenset({C, M}),
    View.DAY_TAKINGS: frozenset({C, M}),
    View.MAINTENANCE: frozenset({C, M}),
}


def sees(role: Role, view: View) -> bool:
    return Role(role) in VIEWS[view]


def scope(role: Role, permission: Permission) -> Scope | None:
    """How far ``role`` may take the action: anywhere, on own orders, or (None) not at all."""
    return MATRIX[permission].get(Role(role))


def allowed(role: Role, permission: Permission, *, own: bool = True) -> bool:
    """May ``role`` take the action (``own``: the order is assigned to the acting user)?"""
    reach = scope(role, permission)
    return reach is Scope.ANY or (reach is Scope.OWN and own)


def roles_with(permission: Permission) -> frozenset[Role]:
    return frozenset(MATRIX[permission])


def check_table() -> None:
    """Raises ``ValueError`` when a permission lacks its row or its words (run by the tests)."""
    for permission in Permission:
        if permission not in MATRIX or permission not in DOING:
            raise ValueError(f"{permission}: give it a MATRIX row and a DOING text")
        if Role.MANAGER not in MATRIX[permission]:
            raise ValueError(f"{permission}: the station manager may do everything")
    for view in View:
        if Role.MANAGER not in VIEWS.get(view, ()):
            raise ValueError(f"{view}: give it a VIEWS row the manager is in")


check_table()
