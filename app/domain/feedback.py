"""The vocabulary and limits of the product quality feedback card (产品质量反馈卡): the six
cause categories the trade's card ticks, the card's two states, how long each field may be
(the printed card is laid out for these), and the photo limits.
"""

from __future__ import annotations

from enum import StrEnum

MAX_MODEL = 64
MAX_SERIAL = 64
MAX_PRODUCTION_INFO = 64  # production date or batch, as on the unit's plate
MAX_PHENOMENON = 4000  # as long as an order's fault description, which prefills it
MAX_FAULTY_PART = 100
MAX_ENVIRONMENT = 200
MAX_OPINION = 4000
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 10 * 1024 * 1024
#: a photo larger than this many pixels is refused before it is decoded whole
MAX_PHOTO_PIXELS = 60_000_000


class CauseCategory(StrEnum):
    """Why the product failed, as the card's six boxes say (in the card's order)."""

    DESIGN = "design"  # 设计
    MATERIAL = "material"  # 材料
    MANUFACTURING = "manufacturing"  # 制造
    TRANSPORT = "transport"  # 运输
    INSTALLATION = "installation"  # 安装
    USE = "use"  # 使用


class FeedbackStatus(StrEnum):
    DRAFT = "draft"  # 草稿: at the station only, editable
    SUBMITTED = "submitted"  # 已提交: sent to head office, no longer changed


#: the English source text of each category (the catalogue's feedback.po holds the Chinese)
CAUSE_TEXT: dict[CauseCategory, str] = {
    CauseCategory.DESIGN: "Design",
    CauseCategory.MATERIAL: "Material",
    CauseCategory.MANUFACTURING: "Manufacturing",
    CauseCategory.TRANSPORT: "Transport",
    CauseCategory.INSTALLATION: "Installation",
    CauseCategory.USE: "Use",
}

STATUS_TEXT: dict[FeedbackStatus, str] = {
    FeedbackStatus.DRAFT: "Draft",
    FeedbackStatus.SUBMITTED: "Submitted",
}


def cause_of(value: str | None) -> CauseCategory | None:
    """The category stored as ``value``; None for none chosen (or one this program does not
    know, from a newer head office)."""
    try:
        return CauseCategory(value) if value else None
    except ValueError:
        return None
