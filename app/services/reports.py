"""Printing service: turns an order (by id or number) into the plain sheet printing needs,
renders a registered document (repair report, work order, ...) to PDF bytes or a file, and
renders many orders in a batch with progress and cancel. No Qt; callers run it off the GUI
thread.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import Enum
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.errors import RuleViolation
from app.domain.numbering import parse_order_number
from app.printing.data import (
    ChargeRow,
    OrderSheet,
    Paper,
    RepairNote,
    SignatureMark,
    StationHeader,
)
from app.printing.glyphs import undrawable_in
from app.printing.registry import DocumentSpec, documents
from app.services.context import Actor
from app.services.errors import NotFound
from app.services.orders import OrderDetail, OrderService
from app.services.payments import PAYABLE_STATES
from app.services.payments import describe as describe_payment
from app.services.pdf_file import write_file
from app.services.users import UserService
from app.store.base import utcnow

if TYPE_CHECKING:
    from app.services.claim_papers import ClaimPapers

Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)
    #: (order id or number, message) of each order that could not be printed
    failures: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


class ReportService:
    def __init__(
        self,
        orders: OrderService,
        users: UserService,
        clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        self.orders = orders
        self.users = users
        self.clock = clock
        self.tz = tz
        #: (logo, stamp) bytes for the letterhead (``StationSettingsService.letterhead_images``)
        self.letterhead_images: Callable[[], tuple[bytes | None, bytes | None]] | None = None
        #: the valid on-screen signature of an order by id (``SignatureService.mark``)
        self.signature_mark: Callable[[str], SignatureMark | None] | None = None
        #: how each subject's printable sheet is read, given its number (or id) and the
        #: letterhead; "order" is built in, an area registers its own (``register_subject``)
        self._subjects: dict[str, Callable[[str, StationHeader], object]] = {
            "order": lambda key, header: self.sheet(key, header),
            # the claim papers (三包索赔清单, 索赔结算单), read by app.services.claim_papers
            "claim_batch": lambda key, header: self._claim_papers().batch_sheet(key, header),
            "claim_settlement": lambda key, header: self._claim_papers().settlement_sheet(
                key, header)}

    def register_subject(self, subject: str,
                         builder: Callable[[str, StationHeader], object]) -> None:
        """Lets the documents about ``subject`` ("sale", "count", "shipment") be printed:
        ``builder(number, letterhead)`` reads the sheet or raises NotFound."""
        self._subjects[subject] = builder

    def _claim_papers(self) -> ClaimPapers:
        from app.services.claim_papers import ClaimPapers  # loads reportlab: on first use

        return ClaimPapers(self.orders.db, self.clock, self.tz)

    def subject_sheet(self, document: str, key: str) -> object:
        """The sheet ``document`` prints for the record numbered (or with id) ``key``."""
        spec = self.spec(document)
        builder = self._subjects.get(spec.subject)
        if builder is None:
            raise RuleViolation("Nothing can print '{name}' yet.", field="document",
                                name=document)
        return builder(key, self.letterhead())

    # -- what can be printed ----------------------------------------------------------------
    def documents(self, subject: str = "order") -> list[DocumentSpec]:
        return [d for d in documents().values() if d.subject == subject]

    def spec(self, name: str) -> DocumentSpec:
        known = documents()
        if name not in known:
            raise RuleViolation("Unknown document '{name}'; choose one of: {known}.",
                                field="document", name=name, known=tuple(sorted(known)))
        return known[name]

    # -- one order ----------------------------------------------------------------------------
    def letterhead(self) -> StationHeader:
        station = self.users.station()
        if station is None:
            raise RuleViolation("Set up the station before printing.")
        logo, stamp = self.letterhead_images() if self.letterhead_images else (None, None)
        return StationHeader(station.name, station.address, station.phone, logo, stamp)

    def letterhead_if_set_up(self) -> StationHeader | None:
        """The letterhead (with the settings' logo and stamp), or None before the set-up."""
        return self.letterhead() if self.users.station() is not None else None

    def sheet(self, order: str, letterhead: StationHeader | None = None, *,
              viewer: Actor | None = None) -> OrderSheet:
        """The printable facts of the order given by id or by number (SO-...), its phones
        as ``viewer`` may read them (a technician's own 派工单 in full; app.domain.phone_mask).

        A batch passes the ``letterhead`` it read once instead of reading it per order."""
        header = letterhead or self.letterhead()
        detail = self._find(order, viewer)
        sheet = to_sheet(detail, header, self.clock(), self.tz)
        if self.signature_mark is not None:
            sheet = dataclasses.replace(sheet, signature=self.signature_mark(detail.id))
        return sheet

    def unprintable(self, sheet: OrderSheet) -> list[str]:
        """The characters of ``sheet`` that no embedded font draws (each prints as 〓): text
        that arrived by sync, which input could not refuse. Every text of the sheet, its
        station header, repairs and charges; in memory, no database."""

        def texts(value: object) -> Iterator[str]:
            if isinstance(value, Enum):
                return  # printed as its label, never as its value
            if isinstance(value, str):
                yield value
            elif dataclasses.is_dataclass(value) and not isinstance(value, type):
                for f in dataclasses.fields(value):
                    yield from texts(getattr(value, f.name))
            elif isinstance(value, tuple | list):
                for item in value:
                    yield from texts(item)

        return undrawable_in(texts(sheet))

    def build(self, document: str, order: str, paper: Paper | str = Paper.A4) -> bytes:
        return self.pdf(document, self.sheet(order), paper)

    def pdf(self, document: str, sheet: OrderSheet, paper: Paper | str = Paper.A4) -> bytes:
        """Renders a sheet read earlier; touches no database (for the window's PDF worker)."""
        spec, paper = self.spec(document), _paper(paper)
        buffer = BytesIO()
        spec.render(sheet, paper, buffer)
        return buffer.getvalue()

    def save(
        self, document: str, sheet: OrderSheet, paper: Paper | str, out_path: Path | str
    ) -> Path:
        """Writes a sheet read earlier to ``out_path``, whole or not at all; no database."""
        return _write(self.spec(document), sheet, _paper(paper), Path(out_path))

    def render(
        self, document: str, key: str, paper: Paper | str | None, out_path: Path | str
    ) -> Path:
        """Writes the PDF of the order, sale, count or shipment numbered ``key`` (whichever
        ``document`` is about) to ``out_path``, whole or not at all. ``paper`` None: the
        document's first paper."""
        spec = self.spec(document)
        paper = spec.papers[0] if paper is None else _paper(paper)
        if paper not in spec.papers:
            raise RuleViolation("{name} prints on {papers}, not {paper}.", field="paper",
                                name=document, papers=tuple(p.value for p in spec.papers),
                                paper=paper.value)
        return _write(spec, self.subject_sheet(document, key), paper, Path(out_path))

    # -- many orders --------------------------------------------------------------------------
    def render_batch(
        self,
        document: str,
        orders: Sequence[str],
        paper: Paper | str,
        out_dir: Path | str,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> BatchResult:
        """One PDF per order in ``out_dir``; an order that fails is reported, the rest go on.

        ``cancelled`` is asked before each order; the files already written stay.
        """
        spec, paper = self.spec(document), _paper(paper)
        out = Path(out_dir)
        result = BatchResult()
        total = len(orders)
        letterhead = self.letterhead()
        for done, order in enumerate(orders):
            if cancelled is not None and cancelled():
                result.cancelled = True
                break
            try:
                sheet = self.sheet(order, letterhead)
                path = out / f"{_safe_name(sheet.number)}-{spec.name}.pdf"
                result.files.append(_write(spec, sheet, paper, path))
            except Exception as exc:  # one bad order must not stop a batch of hundreds
                result.failures.append((order, str(exc)))
            if progress is not None:
                progress(done + 1, total)
        return result

    def _find(self, order: str, viewer: Actor | None = None) -> OrderDetail:
        key = order.strip()
        if parse_order_number(key) is not None or key.upper().startswith("SO-"):
            return self.orders.find_by_number(key, viewer=viewer)
        try:
            return self.orders.detail(key, viewer)
        except NotFound:
            return self.orders.find_by_number(key, viewer=viewer)


def _write(spec: DocumentSpec, sheet: OrderSheet, paper: Paper, target: Path) -> Path:
    """Writes the PDF whole or not at all; a target that is not a regular file is refused."""
    return write_file(target, lambda out: spec.render(sheet, paper, out))


def to_sheet(
    d: OrderDetail, station: StationHeader, printed_at: datetime, tz: tzinfo | None = None
) -> OrderSheet:
    product = d.product
    return OrderSheet(
        station=station,
        number=d.number,
        order_type=d.order_type,
        service_mode=d.service_mode,
        status=d.status,
        warranty=d.warranty,
        customer_name=d.customer.name,
        contact_phone=d.contact_phone,
        other_phones=tuple(d.customer.phones),
        address=d.service_address or d.customer.address,
        printed_at=printed_at,
        product_model=product.model if product else "",
        serial_no=product.serial_no if product else "",
        purchase_date=product.purchase_date if product else None,
        invoice_no=product.invoice_no if product else "",
        fault=d.fault_description,
        technician_name=d.technician_name,
        hq_reference=d.hq_reference,
        repairs=tuple(RepairNote(r.technician_name, r.diagnosis, r.actions, r.labour_minutes)
                      for r in d.repairs if not r.voided),
        charges=tuple(ChargeRow(c.kind, c.description, c.quantity, c.unit_price_fen, c.payer)
                      for c in d.charges),
        claimed_fen=d.claimed_fen,
        coverage_text=d.coverage_text,
        called_at=d.called_at,
        responded_at=d.responded_at,
        arrived_at=d.arrived_at,
        cleared_at=d.cleared_at,
        visited_at=d.visited_at,
        closed_at=d.closed_at,
        source=d.source,
        satisfaction=d.satisfaction,
        visit_scores=d.links.visit_scores,
        visit_comments=d.links.visit_comments,
        payment_text=_payment_text(d),
        tz=tz,
    )


def _payment_text(d: OrderDetail) -> str:
    """收款情况 once the order is finished (before that nothing is due yet)."""
    if d.payment is None or (d.status not in PAYABLE_STATES and not d.payment.entries):
        return ""
    return describe_payment(d.payment)


def _paper(paper: Paper | str) -> Paper:
    try:
        return Paper(str(paper).upper())
    except ValueError:
        raise RuleViolation("Unknown paper size '{paper}'; use A4, A5 or 80MM.",
                            field="paper", paper=str(paper)) from None


def _safe_name(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", number)
