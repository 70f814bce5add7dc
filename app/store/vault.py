"""The station's files (order and feedback photos, the letterhead's logo and stamp), encrypted.

Files are content-addressed: ``attachments/ab/abcdef…`` is named by the SHA-256 of its PLAIN
content, so a file never changes and backups can hard-link it. With the station's key each
file is stored encrypted with AES-256-GCM under ``StoreKey.file_key``::

    magic "RSVAULT" | version (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext+tag

The whole header and the file's digest are the associated data: a file copied over another
one's name, or edited, or encrypted under another station's key, is refused with a clear
message (``AttachmentUnreadable``), never a traceback and never wrong bytes. Without a key
(a store not yet encrypted, a test's scratch store) files are kept plain. A plain file is
recognised by the absence of the magic; ``encrypt_folder`` encrypts those in place (the
plain→encrypted migration), crash-safe and idempotent. Every read checks the digest.

Qt-free; no services import.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.domain.errors import RuleViolation
from app.store.durable_files import fsync_dir
from app.store.store_key import StoreKey

MAGIC = b"RSVAULT"
VERSION = 1
_KEY_ID_BYTES = 8
_NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + 1 + _KEY_ID_BYTES + _NONCE_BYTES
_HEX = frozenset("0123456789abcdef")

Progress = Callable[[float], None]


class AttachmentUnreadable(RuleViolation):
    """A stored file that cannot be given back: ``kind`` is missing, wrong_key or damaged."""

    TEMPLATES = {
        "missing": "The file {name} is missing from the station's attachments folder.",
        "wrong_key": "The file {name} was encrypted by another station or PC: this station's "
                     "key does not open it.",
        "no_key": "The file {name} is encrypted and the station's key is not available.",
        "damaged": "The file {name} in the station's attachments folder is damaged.",
    }

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        super().__init__(self.TEMPLATES[kind], field="file", name=name[:16])


def check_digest(digest: str) -> str:
    """A content name: 64 lowercase hex digits (nothing a path could escape with)."""
    if len(digest) != 64 or not set(digest) <= _HEX:
        raise AttachmentUnreadable("missing", digest or "-")
    return digest


def is_encrypted(path: Path) -> bool:
    try:
        with Path(path).open("rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def header_key_id(path: Path) -> str | None:
    """The key id an encrypted file names (None for a plain or unreadable file)."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(HEADER_BYTES)
    except OSError:
        return None
    if len(head) < HEADER_BYTES or not head.startswith(MAGIC):
        return None
    return head[len(MAGIC) + 1:len(MAGIC) + 1 + _KEY_ID_BYTES].hex()


def encrypt_bytes(data: bytes, digest: str, key: StoreKey) -> bytes:
    header = (MAGIC + bytes([VERSION]) + bytes.fromhex(key.key_id)
              + secrets.token_bytes(_NONCE_BYTES))
    nonce = header[-_NONCE_BYTES:]
    return header + AESGCM(key.file_key).encrypt(nonce, data, header + digest.encode("ascii"))


def decrypt_bytes(blob: bytes, digest: str, key: StoreKey | None) -> bytes:
    """The plain content of a stored file's bytes ``blob`` (plain or encrypted), checked
    against ``digest``; raises ``AttachmentUnreadable``."""
    if blob.startswith(MAGIC):
        if len(blob) < HEADER_BYTES + 16 or blob[len(MAGIC)] != VERSION:
            raise AttachmentUnreadable("damaged", digest)
        if key is None:
            raise AttachmentUnreadable("no_key", digest)
        header = blob[:HEADER_BYTES]
        if header[len(MAGIC) + 1:len(MAGIC) + 1 + _KEY_ID_BYTES].hex() != key.key_id:
            raise AttachmentUnreadable("wrong_key", digest)
        try:
            data = AESGCM(key.file_key).decrypt(header[-_NONCE_BYTES:], blob[HEADER_BYTES:],
                                                header + digest.encode("ascii"))
        except InvalidTag:
            raise AttachmentUnreadable("damaged", digest) from None
    else:
        data = blob
    if hashlib.sha256(data).hexdigest() != digest:
        raise AttachmentUnreadable("damaged", digest)
    return data




def write_atomically(target: Path, blob: bytes) -> None:
    """``blob`` written beside ``target`` under a temporary name (it has a dot, so backups
    skip it), synced, then renamed over ``target``: the name holds the old or the new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


class Vault:
    """The attachments folder: ``put_*`` store a file by its content, ``read`` gives it back."""

    def __init__(self, folder: Path, key: StoreKey | None) -> None:
        self.folder = Path(folder)
        self.key = key

    def path(self, digest: str) -> Path:
        check_digest(digest)
        return self.folder / digest[:2] / digest

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def put_bytes(self, data: bytes) -> str:
        """Stores ``data`` (encrypted when the vault has a key); returns its digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.is_file() and self._current(target):
            return digest
        blob = encrypt_bytes(data, digest, self.key) if self.key is not None else data
        write_atomically(target, blob)
        return digest

    def put_file(self, path: Path) -> str:
        return self.put_bytes(Path(path).read_bytes())

    def read(self, digest: str) -> bytes:
        """The plain content; ``AttachmentUnreadable`` when missing, under another key or
        damaged."""
        try:
            blob = self.path(digest).read_bytes()
        except FileNotFoundError:
            raise AttachmentUnreadable("missing", digest) from None
        except OSError:
            raise AttachmentUnreadable("damaged", digest) from None
        return decrypt_bytes(blob, digest, self.key)

    def _current(self, target: Path) -> bool:
        """A stored file already as this vault writes it (plain without a key, or encrypted
        under this key)."""
        if self.key is None:
            return not is_encrypted(target)
        return header_key_id(target) == self.key.key_id


def stored_files(folder: Path | None) -> Iterator[Path]:
    """Every stored file of ``folder`` (``ab/abcdef…``; not a half-written ``….tmp``)."""
    if folder is None or not Path(folder).is_dir():
        return
    for path in sorted(Path(folder).glob("*/*")):
        if path.is_file() and "." not in path.name:
            yield path


def encrypt_folder(folder: Path, key: StoreKey, progress: Progress | None = None) -> int:
    """Encrypts in place every plain file still in ``folder``; returns how many it encrypted.
    Each file is rewritten under a temporary name and renamed over the plain one (a hard link
    a backup holds keeps the old file). Run again after a kill, it carries on where it
    stopped. A plain file whose content no longer matches its name is encrypted as it is
    (reading it then reports it damaged, as before)."""
    folder = Path(folder)
    for leftover in folder.glob("*/*.tmp") if folder.is_dir() else ():
        leftover.unlink(missing_ok=True)
    files = list(stored_files(folder))
    done = 0
    for n, path in enumerate(files, start=1):
        if not is_encrypted(path):
            write_atomically(path, encrypt_bytes(path.read_bytes(), path.name, key))
            done += 1
        if progress is not None:
            progress(n / len(files))
    if progress is not None and not files:
        progress(1.0)
    return done


__all__ = ["AttachmentUnreadable", "Vault", "decrypt_bytes", "encrypt_bytes", "encrypt_folder",
           "header_key_id", "is_encrypted", "stored_files", "write_atomically"]
