"""The encrypted attachment store (issue 14 item 2): photos round-trip, are unreadable in plain
bytes, and a wrong key, a swapped or a damaged file is refused with a clear message; the
plain→encrypted pass is idempotent and resumes after a kill."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from app.i18n import render
from app.store import vault
from app.store.store_key import StoreKey
from app.store.vault import AttachmentUnreadable, Vault

SECRET = "张三 13812345678 北京市海淀区中关村".encode()


def test_round_trip_is_encrypted_on_disk(tmp_path: Path) -> None:
    key = StoreKey.generate()
    v = Vault(tmp_path / "attachments", key)
    digest = v.put_bytes(SECRET)
    assert digest == hashlib.sha256(SECRET).hexdigest()
    assert v.path(digest) == tmp_path / "attachments" / digest[:2] / digest
    raw = v.path(digest).read_bytes()
    assert raw.startswith(vault.MAGIC) and SECRET not in raw and "张三".encode() not in raw
    assert vault.header_key_id(v.path(digest)) == key.key_id
    assert v.read(digest) == SECRET
    source = tmp_path / "p.jpg"
    source.write_bytes(b"photo bytes")
    assert v.read(v.put_file(source)) == b"photo bytes"
    assert v.put_bytes(SECRET) == digest  # stored once
    assert sorted(p.name for p in (tmp_path / "attachments").rglob("*")
                  if p.is_file()) == sorted([digest, hashlib.sha256(b"photo bytes").hexdigest()])


def test_without_a_key_files_stay_plain(tmp_path: Path) -> None:
    v = Vault(tmp_path, None)
    digest = v.put_bytes(SECRET)
    assert v.path(digest).read_bytes() == SECRET and v.read(digest) == SECRET


def _refused(call, kind: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(AttachmentUnreadable) as caught:
        call()
    assert caught.value.kind == kind
    return render(caught.value)


def test_wrong_key_swapped_damaged_and_missing_files_are_told_apart(tmp_path: Path) -> None:
    key = StoreKey.generate()
    v = Vault(tmp_path, key)
    a, b = v.put_bytes(b"photo A" * 100), v.put_bytes(b"photo B" * 100)
    assert "另一" in _refused(lambda: Vault(tmp_path, StoreKey.generate()).read(a), "wrong_key")
    _refused(lambda: Vault(tmp_path, None).read(a), "no_key")
    shutil.copyfile(v.path(a), v.path(b))  # A's file put in B's place
    assert "损坏" in _refused(lambda: v.read(b), "damaged")
    blob = bytearray(v.path(a).read_bytes())
    blob[-20] ^= 1
    v.path(a).write_bytes(bytes(blob))
    _refused(lambda: v.read(a), "damaged")
    v.path(a).write_bytes(v.path(a).read_bytes()[:30])  # cut short
    _refused(lambda: v.read(a), "damaged")
    _refused(lambda: v.read("0" * 64), "missing")
    _refused(lambda: v.read("../../etc/passwd"), "missing")


def test_a_plain_file_left_from_before_is_still_read_and_rewritten_encrypted(
        tmp_path: Path) -> None:
    digest = Vault(tmp_path, None).put_bytes(SECRET)
    key = StoreKey.generate()
    v = Vault(tmp_path, key)
    assert v.read(digest) == SECRET
    v.put_bytes(SECRET)
    assert vault.is_encrypted(v.path(digest)) and v.read(digest) == SECRET


def test_encrypt_folder_is_idempotent_resumable_and_leaves_hard_links_alone(
        tmp_path: Path) -> None:
    plain = Vault(tmp_path / "att", None)
    digests = [plain.put_bytes(SECRET + bytes([n])) for n in range(5)]
    linked = tmp_path / "backup-copy"
    os.link(plain.path(digests[0]), linked)  # a backup's hard link to the live file
    key = StoreKey.generate()
    # a kill half-way: two files done, a temporary file left behind
    for d in digests[:2]:
        vault.write_atomically(plain.path(d), vault.encrypt_bytes(
            plain.path(d).read_bytes(), d, key))
    (plain.path(digests[2]).parent / f"{digests[2]}.x.tmp").write_bytes(b"half")
    seen: list[float] = []
    assert vault.encrypt_folder(tmp_path / "att", key, seen.append) == 3
    assert seen[-1] == 1.0
    assert not list((tmp_path / "att").glob("*/*.tmp"))
    v = Vault(tmp_path / "att", key)
    for n, d in enumerate(digests):
        assert vault.is_encrypted(v.path(d)) and v.read(d) == SECRET + bytes([n])
        assert SECRET not in v.path(d).read_bytes()
    assert linked.read_bytes() == SECRET + b"\x00"  # the backup's file was not written through
    assert vault.encrypt_folder(tmp_path / "att", key) == 0
    assert vault.encrypt_folder(tmp_path / "nothing", key) == 0
