"""The one place that wires the data folder, the store, the services and (for the GUI) the
windows together. Nothing else constructs services; everything receives what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.paths import DataPaths, default_data_dir
from app.services import search_docs, search_index
from app.services.appointments import AppointmentService
from app.services.backups import BackupService, read_settings
from app.services.claims import ClaimService
from app.services.customer_privacy import CustomerPrivacyService
from app.services.customers import CustomerService
from app.services.dashboard import DashboardService
from app.services.device_clash import DeviceClashDesk
from app.services.device_join import DeviceJoin
from app.services.events import ChangeBus
from app.services.feedback import FeedbackService
from app.services.feedback_papers import sheet_builder
from app.services.knowledge import KnowledgeService
from app.services.maintenance import MaintenanceService
from app.services.old_parts import OldPartService
from app.services.order_corrections import OrderCorrectionService
from app.services.order_parts import OrderPartService
from app.services.orders import OrderService
from app.services.outbox_status import OutboxStatus
from app.services.parts_catalogue import PartCatalogue
from app.services.parts_orders import PartsOrderService
from app.services.payments import PaymentService
from app.services.recovery import set_aside_if_nothing_to_lose
from app.services.reports import ReportService
from app.services.route_sheets import RouteSheetService
from app.services.sales import SaleService
from app.services.signatures import SignatureService
from app.services.station_reports import StationReportService
from app.services.station_settings import StationSettingsService
from app.services.stock_counts import CountService
from app.services.stock_queries import StockQueries
from app.services.stock_shortage import StockShortages
from app.services.store_keys import StoreKeyService
from app.services.sync_service import SyncService
from app.services.sync_token import DeferredTokenStore
from app.services.users import UserService
from app.services.visits import VisitService
from app.services.warranty_policy import PolicyService
from app.store import migrate, sqlite_driver, store_encryption
from app.store.backup_checks import DatabaseDamaged, health_check
from app.store.base import utcnow
from app.store.database import Database
from app.store.key_seal import KeySeal, default_key_seal
from app.store.migrate import DatabaseTooNew
from app.store.sqlite_driver import StoreKeyWrong
from app.store.store_encryption import Progress, StoreKeyMissing
from app.store.store_key import StoreKey
from app.store.vault import Vault

__all__ = ["DatabaseDamaged", "DatabaseTooNew", "Services", "StoreKeyMissing", "StoreKeyWrong",
           "build_services", "open_services", "prepare_store"]


@dataclass
class Services:
    """Everything a front end (window, command line, test) works through."""

    paths: DataPaths
    db: Database
    bus: ChangeBus
    users: UserService
    customers: CustomerService
    orders: OrderService
    outbox: OutboxStatus
    reports: ReportService
    sync: SyncService
    parts_orders: PartsOrderService
    order_parts: OrderPartService
    old_parts: OldPartService
    sales: SaleService
    counts: CountService
    catalogue: PartCatalogue
    stock: StockQueries
    visits: VisitService
    claims: ClaimService
    policy: PolicyService
    corrections: OrderCorrectionService
    payments: PaymentService
    feedback: FeedbackService
    station_reports: StationReportService
    maintenance: MaintenanceService
    dashboard: DashboardService
    knowledge: KnowledgeService
    backups: BackupService
    station_settings: StationSettingsService
    privacy: CustomerPrivacyService
    store_keys: StoreKeyService
    appointments: AppointmentService
    route_sheets: RouteSheetService
    signatures: SignatureService
    stock_shortages: StockShortages
    device_clashes: DeviceClashDesk
    #: a new device joining its station (an empty data folder; ``app.services.device_join``)
    join: DeviceJoin

    def close(self) -> None:
        self.db.dispose()


def open_services(
    data_dir: Path | None = None, clock: Callable[[], datetime] = utcnow,
    seal: KeySeal | None = None, progress: Progress | None = None,
) -> Services:
    """Opens (creating if needed) the station in ``data_dir``: its store prepared
    (``prepare_store``), then migrated after a backup."""
    paths = DataPaths(data_dir or default_data_dir()).ensure()
    key = prepare_store(paths, seal, progress)
    db = Database.open(paths.database, key=key)
    try:
        migrate.upgrade(db.engine, paths.database, read_settings(paths).folder, key)
    except Exception:
        db.dispose()
        raise
    return build_services(paths, db, clock)


def prepare_store(paths: DataPaths, seal: KeySeal | None = None,
                  progress: Progress | None = None) -> StoreKey:
    """The key of the station's store, with the store made ready to open with it: an
    interrupted encryption finished, the file checked, a plain database of an older program
    encrypted in place (``app.store.store_encryption``).

    Raises ``StoreKeyMissing`` / ``StoreKeyWrong`` when this PC cannot open the encrypted
    store (the recovery key unlocks it: ``store_encryption.unlock``), ``DatabaseDamaged``."""
    seal = seal or default_key_seal(paths.root)
    unfinished = store_encryption.resume(paths.database)
    key = store_encryption.key_for_store(paths.database, seal)
    plain = sqlite_driver.is_plain(paths.database)
    # never open (and write to) a damaged file
    damage = health_check(paths.database, None if plain else key)
    if damage is not None and not set_aside_if_nothing_to_lose(paths, damage):
        raise DatabaseDamaged(paths.database, damage)
    if plain and paths.database.exists():
        store_encryption.encrypt_in_place(paths.database, key, progress)
        unfinished = True
    if unfinished:
        store_encryption.finish_encryption(paths.database, key, read_settings(paths).folder,
                                           progress)
    return key


def build_services(
    paths: DataPaths, db: Database, clock: Callable[[], datetime] = utcnow,
    seal: KeySeal | None = None,
) -> Services:
    bus = ChangeBus()
    search_index.install(db)
    search_docs.install()
    users = UserService(db, bus, clock)
    vault = Vault(paths.attachments, db.key)  # photos, logo, stamp: encrypted like the store
    orders = OrderService(db, bus, vault, clock)
    old_parts = OldPartService(db, bus, clock)
    reports = ReportService(orders, users, clock)
    sales = SaleService(db, bus, clock)
    reports.register_subject("sale", sales.receipt_sheet)
    counts = CountService(db, bus, clock)
    reports.register_subject("count", counts.count_sheet)
    reports.register_subject("shipment", old_parts.sheet)
    feedback = FeedbackService(db, bus, orders, clock)
    reports.register_subject("feedback", sheet_builder(feedback, clock))
    route_sheets = RouteSheetService(AppointmentService(db, bus, clock).day_plan, users,
                                     reports.letterhead, clock)
    reports.register_subject("route", route_sheets.sheet)  # 技术员日程单
    sync = SyncService(db, bus, DeferredTokenStore(paths.root), clock)
    station_settings = StationSettingsService(db, bus, paths, sync, clock, vault=vault)
    reports.letterhead_images = station_settings.letterhead_images  # logo and stamp
    signatures = SignatureService(db, bus, clock)
    reports.signature_mark = signatures.mark  # the 客户签字 box of the repair report
    return Services(
        paths=paths,
        db=db,
        bus=bus,
        users=users,
        customers=CustomerService(db, bus, clock),
        orders=orders,
        outbox=OutboxStatus(db),
        reports=reports,
        sync=sync,
        parts_orders=PartsOrderService(db, bus, clock),
        order_parts=OrderPartService(db, bus, orders, clock),
        old_parts=old_parts,
        sales=sales,
        counts=counts,
        catalogue=PartCatalogue(db, bus, clock),
        stock=StockQueries(db),
        visits=VisitService(db, bus, orders, clock),
        claims=ClaimService(db, bus, clock),
        policy=PolicyService(db, bus, clock),
        corrections=OrderCorrectionService(db, bus, orders, clock),
        payments=PaymentService(db, bus, sales, clock),
        feedback=feedback,
        station_reports=StationReportService(db, clock),
        maintenance=MaintenanceService(db, bus, orders, clock),
        dashboard=DashboardService(db, clock),
        knowledge=KnowledgeService(db, clock),
        backups=BackupService(paths, sync._running, clock, key=db.key),  # none during a sync
        station_settings=station_settings,
        privacy=CustomerPrivacyService(db, bus, orders.read_attachment,
                                       reports.letterhead_if_set_up, clock),
        store_keys=StoreKeyService(paths, db.key, seal or default_key_seal(paths.root), db,
                                   users, clock, reports.letterhead_if_set_up),
        appointments=AppointmentService(db, bus, clock),
        route_sheets=route_sheets,
        signatures=signatures,
        stock_shortages=StockShortages(db, bus, clock),
        device_clashes=DeviceClashDesk(db, bus, clock),
        join=DeviceJoin(db, bus, sync.tokens, clock, sync.transport_factory,
                        running=sync._running),  # no sync or backup during a download
    )
