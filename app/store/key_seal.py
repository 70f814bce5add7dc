"""Where this PC keeps the station's key: sealed by the operating system.

The key is kept in the OS keyring, which the OS protects with the user's log-in (Windows
Credential Manager, sealed by DPAPI; Secret Service on Linux; Keychain on macOS). It is never
in the data folder, so a copy of ``station.sqlite3``, of the data folder or of a backup is
unreadable without it; another PC opens that data only with the printed recovery key.

Where no keyring answers (a Linux PC without a Secret Service, a test), the key is kept in a
user-only file (0600) in the user's *configuration* folder, away from the data folder and its
backups. That still keeps copied data files and backups unreadable, but not from someone who
can read the user's own files; the settings page says which of the two this PC uses.
``REPAIR_STATION_KEY_DIR`` moves that folder; ``REPAIR_STATION_KEY_FILE_ONLY=1`` uses the
file even where a keyring exists (tests, kiosks).

The entry is named after the data folder, so two stations on one PC have two keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Protocol

from platformdirs import user_config_dir

from app.store.store_key import RecoveryKeyInvalid, StoreKey

KEYRING_SERVICE = "RepairStation store key"
KEY_DIR_ENV = "REPAIR_STATION_KEY_DIR"
FILE_ONLY_ENV = "REPAIR_STATION_KEY_FILE_ONLY"


class KeySealBroken(Exception):
    """The sealed entry exists but does not hold a key (edited or damaged)."""

    template = ("The station key kept on this PC ({where}) is damaged. Open the data with the "
                "recovery key.")

    def __init__(self, where: str) -> None:
        self.params = {"where": where}
        super().__init__(self.template.format(where=where))


class KeySeal(Protocol):
    def load(self) -> StoreKey | None: ...

    def save(self, key: StoreKey) -> None: ...

    def clear(self) -> None: ...

    @property
    def where(self) -> str: ...

    @property
    def protected_by_os(self) -> bool: ...


def _account(data_dir: Path) -> str:
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
    return f"station-{digest}"


def _parse(text: str | None, where: str) -> StoreKey | None:
    if not text:
        return None
    try:
        return StoreKey.from_recovery_text(text)
    except RecoveryKeyInvalid:
        raise KeySealBroken(where) from None


class KeyringKeySeal:
    """The OS keyring."""

    protected_by_os = True

    def __init__(self, data_dir: Path) -> None:
        self.account = _account(data_dir)

    @property
    def where(self) -> str:
        return f"keyring:{KEYRING_SERVICE}/{self.account}"

    def load(self) -> StoreKey | None:
        import keyring

        return _parse(keyring.get_password(KEYRING_SERVICE, self.account), self.where)

    def save(self, key: StoreKey) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, self.account, key.recovery_text())

    def clear(self) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, self.account)


def key_dir() -> Path:
    override = os.environ.get(KEY_DIR_ENV)
    return Path(override) if override else Path(user_config_dir("RepairStation",
                                                                "RepairStation")) / "keys"


class FileKeySeal:
    """A user-only file in the configuration folder (not the data folder)."""

    protected_by_os = False

    def __init__(self, data_dir: Path, folder: Path | None = None) -> None:
        self.path = (folder or key_dir()) / f"{_account(data_dir)}.key"

    @property
    def where(self) -> str:
        return str(self.path)

    def load(self) -> StoreKey | None:
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            raise KeySealBroken(self.where) from None
        return _parse(text, self.where)

    def save(self, key: StoreKey) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.path.parent, 0o700)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.recovery_text())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def keyring_usable() -> bool:
    """True when a real keyring backend is present (not the 'fail' or null backends)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration means: no keyring
        return False
    if isinstance(backend, fail.Keyring):
        return False
    return getattr(backend, "priority", 0) > 0


def default_key_seal(data_dir: Path) -> KeySeal:
    if os.environ.get(FILE_ONLY_ENV) != "1" and keyring_usable():
        return KeyringKeySeal(data_dir)
    return FileKeySeal(data_dir)
