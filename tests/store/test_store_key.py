"""The station key: recovery key text, derived keys, the seal, keyed connections."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.store import sqlite_driver
from app.store.key_seal import FileKeySeal, KeySealBroken
from app.store.store_key import RecoveryKeyInvalid, StoreKey


@given(st.binary(min_size=20, max_size=20))
def test_recovery_text_round_trips_and_is_nine_groups(secret: bytes) -> None:
    key = StoreKey(secret)
    text = key.recovery_text()
    assert [len(g) for g in text.split("-")] == [4] * 9
    assert StoreKey.from_recovery_text(text) == key
    # typed as people type: lower case, spaces, O for 0, l for 1
    sloppy = text.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert StoreKey.from_recovery_text(sloppy) == key


def test_a_mistyped_recovery_key_is_refused() -> None:
    text = StoreKey(bytes(range(20))).recovery_text()
    swapped = text[:5] + text[6] + text[5] + text[7:]
    assert swapped != text
    for wrong in (swapped, text[:-1], text + "X", "", "UUUU-" + text[5:]):
        with pytest.raises(RecoveryKeyInvalid):
            StoreKey.from_recovery_text(wrong)


def test_derived_keys_differ_and_repr_hides_the_secret() -> None:
    key = StoreKey(bytes(range(20)))
    assert len({key.database_key, key.file_key}) == 2
    assert len(key.database_key) == 32 and len(key.key_id) == 16
    assert key.recovery_text() not in repr(key) and key.secret.hex() not in repr(key)
    assert StoreKey(bytes(20)).key_id != key.key_id


def test_file_seal_is_user_only_and_round_trips(tmp_path: Path) -> None:
    seal = FileKeySeal(tmp_path / "station", tmp_path / "keys")
    assert seal.load() is None
    key = StoreKey.generate()
    seal.save(key)
    assert seal.load() == key
    assert seal.path.stat().st_mode & 0o077 == 0
    assert not str(seal.path).startswith(str(tmp_path / "station"))
    other = FileKeySeal(tmp_path / "other", tmp_path / "keys")
    assert other.load() is None
    seal.path.write_text("garbage")
    with pytest.raises(KeySealBroken):
        seal.load()
    seal.clear()
    assert seal.load() is None


def test_keyed_file_holds_no_plain_text_and_refuses_a_wrong_key(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    key = StoreKey.generate()
    conn = sqlite_driver.connect(path, key)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES ('张三 13812345678')")
    conn.commit()
    conn.close()
    raw = path.read_bytes()
    assert "张三".encode() not in raw and b"13812345678" not in raw
    assert not sqlite_driver.is_plain(path)
    with pytest.raises(sqlite_driver.StoreKeyWrong):
        sqlite_driver.connect(path, StoreKey.generate())
    unkeyed = sqlite_driver.connect(path, None)
    with pytest.raises(sqlite_driver.DatabaseError):
        unkeyed.execute("SELECT x FROM t")
    unkeyed.close()
    again = sqlite_driver.connect(path, key)
    assert again.execute("SELECT x FROM t").fetchone() == ("张三 13812345678",)
    again.close()
