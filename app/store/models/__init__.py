"""All tables of the station store; importing this package registers them on ``Base``."""

from app.store.base import Base
from app.store.models.audit import AuditEntry
from app.store.models.claims import ClaimBatch, ClaimLine, ClaimOverride
from app.store.models.customers import Customer, CustomerPhone, Product
from app.store.models.feedback import FeedbackCard, FeedbackPhoto
from app.store.models.field_work import Appointment, Notification, OrderSignature
from app.store.models.orders import (
    Attachment,
    ChargeLine,
    OrderCounter,
    RepairRecord,
    ServiceOrder,
)
from app.store.models.outbox import OutboxOp
from app.store.models.parts import (
    DocumentCounter,
    OldPart,
    OldPartShipment,
    Part,
    PartSetting,
    PartsOrder,
    PartsOrderLine,
    Sale,
    SaleLine,
    StockCount,
    StockCountLine,
    StockMovement,
    StockReservation,
)
from app.store.models.payments import OrderPayment
from app.store.models.policy import WarrantyPolicyRow
from app.store.models.privacy import CustomerErasure
from app.store.models.search import CustomerSearchDoc, KnowledgeDoc, OrderSearchDoc, SearchState
from app.store.models.station import Setting, Station
from app.store.models.sync import (
    HqOrderLink,
    Notice,
    SyncConflict,
    SyncDevice,
    SyncRegistration,
    SyncState,
)
from app.store.models.users import User
from app.store.models.visits import ReturnVisit, VisitAttempt

__all__ = [
    "Appointment",
    "Notification",
    "OrderSignature",
    "CustomerErasure",
    "CustomerSearchDoc",
    "KnowledgeDoc",
    "OrderSearchDoc",
    "SearchState",
    "ClaimBatch",
    "ClaimLine",
    "ClaimOverride",
    "FeedbackCard",
    "FeedbackPhoto",
    "ReturnVisit",
    "VisitAttempt",
    "WarrantyPolicyRow",
    "OrderPayment",
    "Attachment",
    "DocumentCounter",
    "OldPart",
    "OldPartShipment",
    "Part",
    "PartSetting",
    "PartsOrder",
    "PartsOrderLine",
    "Sale",
    "SaleLine",
    "StockCount",
    "StockCountLine",
    "StockMovement",
    "StockReservation",
    "AuditEntry",
    "Base",
    "ChargeLine",
    "Customer",
    "CustomerPhone",
    "HqOrderLink",
    "Notice",
    "OrderCounter",
    "OutboxOp",
    "Product",
    "RepairRecord",
    "ServiceOrder",
    "Setting",
    "Station",
    "SyncConflict",
    "SyncDevice",
    "SyncRegistration",
    "SyncState",
    "User",
]
