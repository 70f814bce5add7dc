"""Encoding of protocol bodies: compact UTF-8 JSON, gzip with a bounded inflate, and the
field readers that validate incoming JSON. ``sync.protocol`` re-exports the public names.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

#: what a server accepts after decompression (a batch of 500 large ops, with headroom)
MAX_BODY_BYTES = 16_000_000


class ProtocolError(ValueError):
    """A message that does not follow the protocol (bad JSON, missing field, wrong type)."""


# -- gzip JSON bodies ----------------------------------------------------------------------------


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON (Chinese text stays readable, not \\u-escaped)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_body(obj: Any, level: int = 6) -> bytes:
    """Gzip-compressed JSON for a ``Content-Encoding: gzip`` request body."""
    return gzip.compress(dumps(obj), compresslevel=level)


def decode_body(
    data: bytes, content_encoding: str | None = None, max_bytes: int = MAX_BODY_BYTES
) -> Any:
    """Parses a (possibly gzip) JSON body, refusing more than ``max_bytes`` once inflated."""
    encoding = (content_encoding or "").strip().lower()
    if encoding == "gzip":
        data = _gunzip(data, max_bytes)
    elif encoding not in ("", "identity"):
        raise ProtocolError(f"unsupported content encoding {content_encoding!r}")
    if len(data) > max_bytes:
        raise ProtocolError(f"body larger than {max_bytes} bytes")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"body is not UTF-8 JSON: {exc}") from exc
    except RecursionError:
        raise ProtocolError("body is nested too deeply") from None


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    # bounded inflate: a small gzip bomb must not exhaust memory
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ProtocolError(f"body is not valid gzip: {exc}") from exc
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise ProtocolError(f"body larger than {max_bytes} bytes once decompressed")
    if not inflater.eof:
        raise ProtocolError("gzip body is truncated")
    return out


# -- field readers (validation for from_json) ----------------------------------------------------


def read_obj(data: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ProtocolError(f"{what} must be a JSON object")
    return data


def read_int(data: Mapping[str, Any], key: str, *, minimum: int | None = None) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(f"{key!r} must be an integer")
    if minimum is not None and value < minimum:
        raise ProtocolError(f"{key!r} must be >= {minimum}")
    return value


def read_str(data: Mapping[str, Any], key: str, *, default: str | None = None, max_len: int = 200) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ProtocolError(f"{key!r} must be a string")
    if len(value) > max_len:
        raise ProtocolError(f"{key!r} is longer than {max_len} characters")
    if "\x00" in value or not value.isascii() and not _encodes(value):
        # neither database keeps a NUL or a lone surrogate in a text column
        raise ProtocolError(f"{key!r} holds a NUL character or text that is not Unicode")
    return value


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_bool(data: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ProtocolError(f"{key!r} must be true or false")
    return value


def read_list(data: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ProtocolError(f"{key!r} must be a list")
    return value
