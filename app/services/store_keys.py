"""The station key as people meet it: the recovery key shown once at set-up (and to the
manager later, with his password), and where this PC keeps the key.

The key itself is obtained by ``app.bootstrap.open_services`` (``app.store.store_encryption``);
this service only shows it. While ``RECOVERY_PENDING`` is in the data folder the recovery key
has not been put on paper: the window shows it at set-up and at every manager log-in until a
manager says it is saved (``acknowledge``). Later a manager sees it again by typing his own
password (``recovery_key``); a wrong password counts towards the lockout like a failed
log-in. Showing it and saving it are both in the audit (never the key itself).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.domain.enums import Role
from app.domain.errors import RuleViolation
from app.domain.permissions import Permission
from app.paths import DataPaths
from app.printing.data import StationHeader
from app.printing.recovery_key import RecoveryKeySheet
from app.services import text_input as t
from app.services.context import Actor
from app.services.errors import not_found
from app.services.journal import record
from app.services.passwords import verify_password
from app.services.users import LOCKOUT, MAX_FAILURES, UserService
from app.store import sqlite_driver, store_encryption
from app.store.base import utcnow
from app.store.database import Database
from app.store.key_seal import KeySeal, KeySealBroken, default_key_seal
from app.store.models import User
from app.store.sqlite_driver import StoreKeyWrong
from app.store.store_encryption import StoreKeyMissing
from app.store.store_key import RecoveryKeyInvalid, StoreKey

__all__ = ["KeyProtection", "KeySealBroken", "RecoveryKeyInvalid", "StoreKeyMissing",
           "StoreKeyService", "StoreKeyWrong", "needs_encryption", "unlock_station"]

ENTITY = "store_key"
#: what start-up meets when this PC cannot open the encrypted data (the recovery key opens it)
KEY_PROBLEMS = (StoreKeyMissing, StoreKeyWrong, KeySealBroken)


def needs_encryption(root: Path) -> bool:
    """True when the data folder holds an older program's plain database: the next
    ``open_services`` encrypts it in place (the window shows its progress meanwhile)."""
    return sqlite_driver.is_plain(DataPaths(root).database)


def unlock_station(root: Path, recovery_text: str, seal: KeySeal | None = None) -> str:
    """The recovery key typed at start-up: checked against the database, then kept on this
    PC (``seal``, by default this PC's). Returns the key id; raises ``RecoveryKeyInvalid``
    (mistyped) or ``StoreKeyWrong`` (another station's key)."""
    paths = DataPaths(root)
    key = store_encryption.unlock(paths.database, seal or default_key_seal(paths.root),
                                  recovery_text)
    return key.key_id


@dataclass(frozen=True)
class KeyProtection:
    """What the settings page says about the key on this PC."""

    encrypted: bool
    #: the key is sealed by the OS keyring (True) or kept in a user-only file (False)
    protected_by_os: bool
    where: str
    key_id: str


class StoreKeyService:
    def __init__(self, paths: DataPaths, key: StoreKey | None, seal: KeySeal, db: Database,
                 users: UserService, clock: Callable[[], datetime] = utcnow,
                 letterhead: Callable[[], StationHeader | None] | None = None) -> None:
        self.paths = paths
        self.key = key
        self.seal = seal
        self.db = db
        self.users = users
        self.clock = clock
        #: the letterhead with the settings' logo (``ReportService.letterhead_if_set_up``)
        self.letterhead = letterhead

    # -- reading ----------------------------------------------------------------------------
    def recovery_pending(self) -> bool:
        """True until a manager has said the recovery key is on paper."""
        return self.key is not None and store_encryption.recovery_pending(self.paths.root)

    def protection(self) -> KeyProtection:
        if self.key is None:
            return KeyProtection(False, False, "", "")
        return KeyProtection(True, bool(self.seal.protected_by_os), self.seal.where,
                             self.key.key_id)

    def recovery_key_for_setup(self) -> str:
        """The recovery key, only while it has not been saved yet (the set-up's last step and
        the manager's log-ins until then): no password asked, the station has just begun."""
        key = self._key()
        if not store_encryption.recovery_pending(self.paths.root):
            raise RuleViolation("The recovery key was already saved. A manager sees it again "
                                "in Settings with his password.")
        return key.recovery_text()

    def sheet(self, recovery_text: str) -> RecoveryKeySheet:
        """The printable 恢复密钥单 of the key shown (``recovery_text`` is what the dialog
        holds, so printing needs no second password)."""
        key = self._key()
        if StoreKey.from_recovery_text(recovery_text) != key:
            raise RuleViolation("This is not this station's recovery key.")
        station = self.users.station()
        if station is None:
            raise RuleViolation("Set up the station before printing.")
        header = self.letterhead() if self.letterhead is not None else None
        return RecoveryKeySheet(
            station=header or StationHeader(station.name, station.address, station.phone),
            station_code=station.code, number=station.code, recovery_key=key.recovery_text(),
            key_id=key.key_id, printed_at=self.clock())

    # -- the manager ------------------------------------------------------------------------
    def recovery_key(self, actor: Actor, password: str) -> str:
        """The recovery key for a manager who typed his own password again; audited."""
        actor.require(Permission.STORE_KEY_VIEW)
        t.check_key(password, "password", "Password")
        key = self._key()
        now = self.clock()
        with self.db.write() as s:
            user = s.get(User, actor.user_id) if actor.user_id else None
            if user is None or not user.active or user.role != Role.MANAGER.value:
                raise not_found("user")
            if user.locked_until is not None and user.locked_until > now:
                minutes = int((user.locked_until - now).total_seconds() // 60) + 1
                failed = _locked(minutes)
            elif verify_password(password, user.password_hash):
                user.failed_logins = 0
                user.locked_until = None
                record(s, actor, action="view_recovery_key", entity=ENTITY,
                       entity_id=key.key_id)
                return key.recovery_text()
            else:
                user.failed_logins += 1
                failed = RuleViolation("The current password is wrong.", field="password")
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + LOCKOUT
                    user.failed_logins = 0
                    record(s, actor, action="locked", entity="user", entity_id=user.id)
                    failed = _locked(int(LOCKOUT.total_seconds() // 60))
                record(s, actor, action="view_recovery_key_refused", entity=ENTITY,
                       entity_id=key.key_id, detail="wrong password")
        raise failed

    def acknowledge(self, actor: Actor) -> None:
        """The manager has the recovery key on paper (or copied somewhere safe): stop
        showing it at every log-in. Audited."""
        actor.require(Permission.STORE_KEY_VIEW)
        key = self._key()
        with self.db.write() as s:
            record(s, actor, action="recovery_key_saved", entity=ENTITY, entity_id=key.key_id)
        store_encryption.recovery_shown(self.paths.root)

    def _key(self) -> StoreKey:
        if self.key is None:
            raise RuleViolation("This station's data is not encrypted, so it has no recovery "
                                "key.")
        return self.key


def _locked(minutes: int) -> RuleViolation:
    return RuleViolation("Too many failed attempts: this account is locked for {minutes} more "
                         "minutes.", field="password", minutes=minutes)
