"""Tests open a station's files (its database, a backup's copy) the way the program does:
through the SQLCipher driver, keyed with the station's key when the file is encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.store import sqlite_driver
from app.store.key_seal import default_key_seal
from app.store.store_key import StoreKey


def station_key(path: Path) -> StoreKey | None:
    """The key of the station whose data folder holds ``path`` (found by walking up)."""
    for folder in Path(path).resolve().parents:
        key = default_key_seal(folder).load()
        if key is not None:
            return key
    return None


def station_connect(path: Path | str, *args: Any, key: StoreKey | None = None,
                    **kwargs: Any) -> sqlite_driver.Connection:
    """Like ``sqlite3.connect`` (also for ``file:`` URIs with ``uri=True``)."""
    text = str(path)
    file = Path(text[5:].split("?")[0]) if text.startswith("file:") else Path(text)
    if key is None and file.exists() and not sqlite_driver.is_plain(file):
        key = station_key(file)
    return sqlite_driver.connect(path, key, *args, **kwargs)
