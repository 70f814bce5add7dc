"""Photos of another device of the station: only their metadata travels (attachments, a
feedback card's photos); the file stays on the device that took it. Reading one here says so
clearly (``PhotoElsewhere``: 照片在另一台电脑上) instead of "missing from the folder"."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.store.database import Database
from app.store.models import OutboxOp
from app.store.vault import AttachmentUnreadable, Vault


class PhotoElsewhere(AttachmentUnreadable):
    """The photo's file is on the device of the station that took it."""

    TEMPLATES = {**AttachmentUnreadable.TEMPLATES,
                 "elsewhere": "The photo is on another computer of the station (the one that "
                              "took it); only its details are on this one."}


def taken_here(db: Database, digest: str) -> bool:
    """Whether this device recorded a photo with this content (its own outbox op names it)."""
    with db.read() as s:
        return s.scalar(select(OutboxOp.seq).where(
            OutboxOp.entity.in_(("attachment", "feedback_card")),
            or_(OutboxOp.payload.contains(f'"sha256": "{digest}"'),
                OutboxOp.payload.contains(f'"sha256":"{digest}"'))).limit(1)) is not None


def read_or_elsewhere(db: Database, vault: Vault, digest: str) -> bytes:
    """The photo's content; ``PhotoElsewhere`` when its file is missing here because another
    device took it."""
    try:
        return vault.read(digest)
    except AttachmentUnreadable as exc:
        if exc.kind == "missing" and not taken_here(db, digest):
            raise PhotoElsewhere("elsewhere", digest) from None
        raise
