"""Where the station's head-office token is kept: the OS keyring, else a user-only file.

The token never goes into the database, the settings file or a log. The keyring entry is
keyed by the data folder, so two stations on one PC (or one per test) do not share a token.
The file fallback is created with mode 0600 from the start (no window where it is readable).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Protocol

from app.store.key_seal import keyring_usable

KEYRING_SERVICE = "RepairStation sync"
TOKEN_FILENAME = "sync-token"


class TokenStore(Protocol):
    def load(self) -> str | None: ...

    def save(self, token: str) -> None: ...

    def clear(self) -> None: ...

    @property
    def where(self) -> str: ...


class FileTokenStore:
    """A file in the data folder readable only by the user (0600)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / TOKEN_FILENAME

    @property
    def where(self) -> str:
        return str(self.path)

    def load(self) -> str | None:
        try:
            token = self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return token or None

    def save(self, token: str) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        os.chmod(self.path, 0o600)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class KeyringTokenStore:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def __init__(self, data_dir: Path) -> None:
        digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]
        self.account = f"station-{digest}"

    @property
    def where(self) -> str:
        return f"keyring:{KEYRING_SERVICE}/{self.account}"

    def load(self) -> str | None:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, self.account)

    def save(self, token: str) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, self.account, token)

    def clear(self) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, self.account)


#: set to "1" to keep the token in the user-only file even where a keyring exists
FILE_ONLY_ENV = "REPAIR_STATION_TOKEN_FILE_ONLY"


def default_token_store(data_dir: Path, use_keyring: bool = True) -> TokenStore:
    if use_keyring and os.environ.get(FILE_ONLY_ENV) != "1" and keyring_usable():
        return KeyringTokenStore(data_dir)
    return FileTokenStore(data_dir)


class DeferredTokenStore:
    """Chooses keyring or file on first use: probing the keyring loads its backends (a tenth
    of a second with Secret Service), which start-up should not wait for."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir
        self._store: TokenStore | None = None

    def _chosen(self) -> TokenStore:
        if self._store is None:
            self._store = default_token_store(self._data_dir)
        return self._store

    @property
    def where(self) -> str:
        return self._chosen().where

    def load(self) -> str | None:
        return self._chosen().load()

    def save(self, token: str) -> None:
        self._chosen().save(token)

    def clear(self) -> None:
        self._chosen().clear()
