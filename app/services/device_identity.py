"""Which device of its station this store is, as the numbering needs it.

``device_tag`` is read inside the transaction that takes a number, so a number and the tag it
carries come from one view of the registration (``app.domain.numbering``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.numbering import DEVICE_TAGS
from app.store.models.sync import SyncRegistration


def device_tag(session: Session) -> str:
    """This device's tag letter: "" for the station's first device (and an unregistered store,
    which only a first device can be); a letter of ``DEVICE_TAGS`` for any other."""
    tag = session.scalar(select(SyncRegistration.device_tag)) or ""
    tag = tag.strip().upper()
    if tag and (len(tag) != 1 or tag not in DEVICE_TAGS):
        # a tag no number may carry would make numbers nothing parses: refuse to number at all
        raise ValueError(f"this device's tag {tag!r} is not one of {DEVICE_TAGS}")
    return tag
