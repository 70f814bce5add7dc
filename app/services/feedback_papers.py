"""The printable sheet of a quality feedback card (``app.printing.feedback_card``): read by
its number or id through ``FeedbackService``, with the station's letterhead. Registered with
the report service as the subject "feedback" (``app/bootstrap.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from app.domain.errors import RuleViolation
from app.printing.data import StationHeader
from app.services.feedback import FeedbackDetail, FeedbackService
from app.store.base import utcnow

if TYPE_CHECKING:  # the paper's module loads reportlab: only when a card is printed
    from app.printing.feedback_card import FeedbackSheet


def _photo(read: Callable[[str], bytes], digest: str) -> bytes | None:
    try:
        return read(digest)
    except RuleViolation:  # missing, damaged or foreign: the card says so in the photo's box
        return None


def to_sheet(d: FeedbackDetail, station: StationHeader, printed_at: datetime,
             tz: tzinfo | None = None,
             read_photo: Callable[[str], bytes] | None = None) -> FeedbackSheet:
    """``read_photo`` (``FeedbackService.read_photo``) gives each photo's content from the
    station's encrypted store; without it the photos are the files themselves."""
    from app.printing.feedback_card import FeedbackSheet

    photos = (tuple(_photo(read_photo, p.sha256) for p in d.photos) if read_photo is not None
              else tuple(p.path for p in d.photos))

    f = d.fields
    return FeedbackSheet(
        station=station, number=d.number, status=d.status.value, printed_at=printed_at,
        product_model=f.product_model, serial_no=f.serial_no,
        production_info=f.production_info, order_number=d.order_number,
        fault_phenomenon=f.fault_phenomenon, faulty_part=f.faulty_part,
        cause_category=f.cause_category.value if f.cause_category else "",
        use_environment=f.use_environment, customer_opinion=f.customer_opinion,
        created_by=d.created_by, created_at=d.created_at, submitted_by=d.submitted_by,
        submitted_at=d.submitted_at, photos=photos, tz=tz)


def sheet_builder(feedback: FeedbackService, clock: Callable[[], datetime] = utcnow,
                  tz: tzinfo | None = None) -> Callable[[str, StationHeader], FeedbackSheet]:
    """``builder(number_or_id, letterhead)`` for ``ReportService.register_subject``."""

    def build(key: str, header: StationHeader) -> FeedbackSheet:
        return to_sheet(feedback.find(key), header, clock(), tz, feedback.read_photo)

    return build
