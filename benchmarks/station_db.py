"""The benchmarks' raw baselines open a station's file the way the program does: through
``app.store.sqlite_driver`` (SQLCipher), keyed with the station's key when the file is
encrypted. Never the stdlib ``sqlite3`` on a station file: two SQLite libraries in one
process break each other's POSIX locks, and an encrypted file reads as "not a database".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.store import sqlite_driver
from app.store.key_seal import default_key_seal
from app.store.store_key import StoreKey


def station_key(path: Path | str) -> StoreKey | None:
    """The key of the station whose data folder holds the file ``path`` (None: plain file)."""
    file = Path(path)
    if not file.exists() or sqlite_driver.is_plain(file):
        return None
    for folder in file.resolve().parents:
        key = default_key_seal(folder).load()
        if key is not None:
            return key
    raise sqlite_driver.StoreKeyWrong(file)


def connect(path: Path | str, *, key: StoreKey | None = None, uri: bool = False,
            **kwargs: Any) -> sqlite_driver.Connection:
    """Like ``sqlite3.connect(path, ...)`` on a station file (``file:...?mode=ro`` with
    ``uri=True`` too), keyed when the file is encrypted."""
    text = str(path)
    file = Path(text[5:].split("?")[0]) if uri and text.startswith("file:") else Path(text)
    if key is None:
        key = station_key(file)
    return sqlite_driver.connect(path, key, uri=uri, **kwargs)


def copy_station(source: Path, target: Path) -> None:
    """``source``'s database copied into the data folder ``target`` with SQLite's backup API;
    an encrypted one stays encrypted with the same key (sealed for ``target`` too)."""
    key = station_key(source / "station.sqlite3")
    target.mkdir(parents=True, exist_ok=True)
    if key is not None:
        default_key_seal(target).save(key)
    src = connect(source / "station.sqlite3", key=key)
    dst = sqlite_driver.connect(target / "station.sqlite3", key)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
