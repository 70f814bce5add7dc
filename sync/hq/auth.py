"""Station tokens: made at random, shown once, stored only as a SHA-256, looked up by it.

A request's station is whoever the token belongs to; nothing in a body can change that.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq.models import HqStation
from sync.protocol import ErrorCode

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh bearer token (256 random bits, URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StationIdentity:
    id: int
    code: str


class AuthError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def identify(s: Session, token: str | None) -> StationIdentity:
    """The station owning ``token``; ``AuthError`` (401 unknown, 403 revoked) otherwise."""
    if not token:
        raise AuthError(ErrorCode.UNAUTHORIZED, "A station token is required "
                        "(Authorization: Bearer <token>).")
    digest = token_hash(token)
    station = s.scalar(select(HqStation).where(HqStation.token_hash == digest))
    # the index lookup already matched; compare again in constant time for good measure
    if station is None or not hmac.compare_digest(station.token_hash, digest):
        raise AuthError(ErrorCode.UNAUTHORIZED, "The station token is not valid (unknown, or "
                        "replaced by a newer one). Register the station again with its "
                        "current token.")
    if station.revoked:
        raise AuthError(ErrorCode.REVOKED, f"Station {station.code}'s token has been revoked "
                        "by head office.")
    return StationIdentity(station.id, station.code)
