"""The station's secret: what encrypts its database, backups and photos, and its recovery key.

One random 160-bit secret per station. Everything else is derived from it with HKDF-SHA256
(RFC 5869), each for one purpose: the SQLCipher key of the database (a raw 256-bit key, so
opening a connection costs no key stretching), the key of the photo files, and a short key
id that backups carry so a wrong recovery key is told apart from a damaged file.

The **recovery key** is the secret written for people: 32 Crockford base32 characters plus
4 of checksum, in nine groups of four (``7K2M-QX9P-…``). It is shown once at set-up for the
manager to print or copy, and it is what opens the station's data on another PC. Typing is
forgiving the way Crockford's alphabet is (case, ``O``/``0``, ``I``/``L``/``1``, spaces and
dashes), never silently wrong: the checksum refuses a mistyped key.

Pure: no I/O, no Qt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SECRET_BYTES = 20
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_DECODE = {c: i for i, c in enumerate(_ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
_GROUP = 4
_BODY_CHARS = SECRET_BYTES * 8 // 5  # 32
_CHECK_CHARS = 4  # 20 bits of SHA-256


class RecoveryKeyInvalid(ValueError):
    """The text typed is not a recovery key (wrong length, letters, or checksum)."""

    template = ("This is not a valid recovery key: it has nine groups of four letters and "
                "digits. Check each group against the printed sheet.")

    def __init__(self) -> None:
        self.params: dict[str, object] = {}
        super().__init__(self.template)


def _hkdf(secret: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(b"repair-station", secret, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def _b32(data: bytes, chars: int) -> str:
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    number <<= chars * 5 - bits
    return "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(chars)))


def _checksum(secret: bytes) -> str:
    digest = hashlib.sha256(b"recovery-key-check" + secret).digest()[:3]  # 24 bits, 20 used
    return _b32(digest, 5)[:_CHECK_CHARS]


@dataclass(frozen=True, repr=False)
class StoreKey:
    """The station's secret; never logged (``repr`` shows only the key id)."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != SECRET_BYTES:
            raise ValueError("a store key is 20 bytes")

    @classmethod
    def generate(cls) -> StoreKey:
        return cls(secrets.token_bytes(SECRET_BYTES))

    def __repr__(self) -> str:
        return f"StoreKey(id={self.key_id})"

    # -- derived keys ---------------------------------------------------------------------------
    @property
    def database_key(self) -> bytes:
        return _hkdf(self.secret, b"station database v1", 32)

    @property
    def file_key(self) -> bytes:
        """AES-256-GCM key of the photo and logo files (``app.store.vault``)."""
        return _hkdf(self.secret, b"station files v1", 32)

    @property
    def key_id(self) -> str:
        """16 hex digits that name the key without revealing it (kept in backup manifests)."""
        return _hkdf(self.secret, b"key id v1", 8).hex()

    def sqlcipher_pragma(self) -> str:
        """The statement that keys a SQLCipher connection with the raw database key."""
        return f"PRAGMA key = \"x'{self.database_key.hex()}'\""

    # -- the recovery key -----------------------------------------------------------------------
    def recovery_text(self) -> str:
        chars = _b32(self.secret, _BODY_CHARS) + _checksum(self.secret)
        return "-".join(chars[i:i + _GROUP] for i in range(0, len(chars), _GROUP))

    @classmethod
    def from_recovery_text(cls, text: str) -> StoreKey:
        cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
        if len(cleaned) != _BODY_CHARS + _CHECK_CHARS or any(c not in _DECODE for c in cleaned):
            raise RecoveryKeyInvalid()
        number = 0
        for ch in cleaned[:_BODY_CHARS]:
            number = (number << 5) | _DECODE[ch]
        secret = number.to_bytes(SECRET_BYTES, "big")
        canonical = "".join(_ALPHABET[_DECODE[c]] for c in cleaned[_BODY_CHARS:])
        if not hmac.compare_digest(canonical, _checksum(secret)):
            raise RecoveryKeyInvalid()
        return cls(secret)
