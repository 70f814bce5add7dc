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

The entry is named by the key's id, which the data folder keeps in ``store-key-id`` (an id,
not a secret): two stations on one PC have two keys, and a data folder moved or copied on the
same PC still finds its key. Another PC has no entry for it: the recovery key opens the data
there, and is then sealed on that PC.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Protocol

from platformdirs import user_config_dir

from app.store.store_key import RecoveryKeyInvalid, StoreKey

KEYRING_SERVICE = "RepairStation store key"
KEY_ID_FILE = "store-key-id"
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


def read_key_id(data_dir: Path) -> str | None:
    """The id of the key the data folder's files are encrypted with (None: not recorded)."""
    try:
        text = (Path(data_dir) / KEY_ID_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 16 and all(c in "0123456789abcdef" for c in text) else None


def write_key_id(data_dir: Path, key: StoreKey) -> None:
    if read_key_id(data_dir) == key.key_id:
        return
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    tmp = Path(data_dir) / (KEY_ID_FILE + ".tmp")
    tmp.write_text(key.key_id + "\n", encoding="ascii")
    os.replace(tmp, Path(data_dir) / KEY_ID_FILE)


def _parse(text: str | None, where: str, key_id: str) -> StoreKey | None:
    if not text:
        return None
    try:
        key = StoreKey.from_recovery_text(text)
    except RecoveryKeyInvalid:
        raise KeySealBroken(where) from None
    if key.key_id != key_id:
        raise KeySealBroken(where)
    return key


class _BySealedId:
    """What both seals share: the data folder's key id names the entry."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)

    def _entry(self) -> str | None:
        key_id = read_key_id(self.data_dir)
        return f"station-{key_id}" if key_id else None

    def load(self) -> StoreKey | None:
        entry, key_id = self._entry(), read_key_id(self.data_dir)
        if entry is None or key_id is None:
            return None
        return _parse(self._read(entry), self.where, key_id)

    def save(self, key: StoreKey) -> None:
        self._write(f"station-{key.key_id}", key.recovery_text())
        write_key_id(self.data_dir, key)

    def clear(self) -> None:
        entry = self._entry()
        if entry is not None:
            self._delete(entry)

    @property
    def where(self) -> str:
        return self._where(self._entry() or "station-?")

    def _read(self, entry: str) -> str | None:
        raise NotImplementedError

    def _write(self, entry: str, text: str) -> None:
        raise NotImplementedError

    def _delete(self, entry: str) -> None:
        raise NotImplementedError

    def _where(self, entry: str) -> str:
        raise NotImplementedError


class KeyringKeySeal(_BySealedId):
    """The OS keyring."""

    protected_by_os = True

    def _where(self, entry: str) -> str:
        return f"keyring:{KEYRING_SERVICE}/{entry}"

    def _read(self, entry: str) -> str | None:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, entry)

    def _write(self, entry: str, text: str) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, entry, text)

    def _delete(self, entry: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, entry)


def key_dir() -> Path:
    override = os.environ.get(KEY_DIR_ENV)
    return Path(override) if override else Path(user_config_dir("RepairStation",
                                                                "RepairStation")) / "keys"


class FileKeySeal(_BySealedId):
    """A user-only file in the configuration folder (not the data folder)."""

    protected_by_os = False

    def __init__(self, data_dir: Path, folder: Path | None = None) -> None:
        super().__init__(data_dir)
        self.folder = folder or key_dir()

    @property
    def path(self) -> Path:
        return self.folder / f"{self._entry() or 'station-'}.key"

    def _where(self, entry: str) -> str:
        return str(self.folder / f"{entry}.key")

    def _read(self, entry: str) -> str | None:
        try:
            return (self.folder / f"{entry}.key").read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            raise KeySealBroken(self._where(entry)) from None

    def _write(self, entry: str, text: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.folder, 0o700)
        target = self.folder / f"{entry}.key"
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)

    def _delete(self, entry: str) -> None:
        (self.folder / f"{entry}.key").unlink(missing_ok=True)


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
