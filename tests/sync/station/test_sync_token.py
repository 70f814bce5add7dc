"""Where the token lives: the keyring when there is one, else a user-only file; never the DB."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.services.sync_token import (
    FILE_ONLY_ENV,
    FileTokenStore,
    KeyringTokenStore,
    default_token_store,
)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_file_store_is_user_only_and_replaced_atomically(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path)
    assert store.load() is None
    store.save("first-token")
    store.save("second-token")
    assert store.load() == "second-token"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["sync-token"]
    store.clear()
    assert store.load() is None


def test_keyring_used_when_present_one_entry_per_data_folder(tmp_path: Path, memory_keyring,
                                                             monkeypatch) -> None:
    monkeypatch.delenv(FILE_ONLY_ENV, raising=False)
    a = default_token_store(tmp_path / "a")
    b = default_token_store(tmp_path / "b")
    assert isinstance(a, KeyringTokenStore) and isinstance(b, KeyringTokenStore)
    a.save("token-a")
    b.save("token-b")
    assert (a.load(), b.load()) == ("token-a", "token-b")
    assert not (tmp_path / "a" / "sync-token").exists()
    assert "token-a" not in a.where
    a.clear()
    a.clear()  # clearing twice is fine
    assert a.load() is None and b.load() == "token-b"
    monkeypatch.setenv(FILE_ONLY_ENV, "1")
    assert isinstance(default_token_store(tmp_path / "a"), FileTokenStore)


def test_without_a_keyring_the_file_is_used(tmp_path: Path) -> None:
    # this machine's keyring is the 'fail' backend (no desktop session)
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert isinstance(default_token_store(tmp_path), FileTokenStore)
    finally:
        keyring.set_keyring(previous)
