"""Device tokens: made at random, shown once, stored only as a SHA-256, looked up by it.

A request's station and device are whoever the token belongs to (``hq_devices``, issue 15);
nothing in a body can change that. Device 1's token is the station's token of protocol 1
(``HqStation.token_hash`` is kept equal to it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sync.hq.models import HqDevice, HqStation
from sync.protocol import ErrorCode

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh bearer token (256 random bits, URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StationIdentity:
    """Whose token a request carries: the station, and which of its devices.

    ``device_id`` None (code that names only a station) means the station's device 1.
    ``multi_device``: the station has two or more active devices (relay and the stale rule
    are on)."""

    id: int
    code: str
    device_id: int | None = None
    device_number: int = 1
    multi_device: bool = False


class AuthError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def active_devices(s: Session, station_id: int) -> int:
    """How many of the station's devices are not revoked."""
    return s.scalar(select(func.count()).select_from(HqDevice).where(
        HqDevice.station_id == station_id, HqDevice.revoked.is_(False))) or 0


def identify(s: Session, token: str | None) -> StationIdentity:
    """The station and device owning ``token``; ``AuthError`` (401 unknown, 403 revoked)
    otherwise."""
    if not token:
        raise AuthError(ErrorCode.UNAUTHORIZED, "A station token is required "
                        "(Authorization: Bearer <token>).")
    digest = token_hash(token)
    device = s.scalar(select(HqDevice).where(HqDevice.token_hash == digest))
    # the index lookup already matched; compare again in constant time for good measure
    if device is None or not hmac.compare_digest(device.token_hash, digest):
        raise AuthError(ErrorCode.UNAUTHORIZED, "The station token is not valid (unknown, or "
                        "replaced by a newer one). Register the station again with its "
                        "current token.")
    station = s.get(HqStation, device.station_id)
    assert station is not None
    if station.revoked:
        raise AuthError(ErrorCode.REVOKED, f"Station {station.code}'s token has been revoked "
                        "by head office.")
    if device.revoked:
        raise AuthError(ErrorCode.REVOKED, f"This device's token was revoked by head office "
                        f"(device {device.number} '{device.name}' of station {station.code}).")
    return StationIdentity(station.id, station.code, device.id, device.number,
                           active_devices(s, station.id) > 1)
