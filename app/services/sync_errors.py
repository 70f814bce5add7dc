"""Every way a sync can fail, said in the user's words with what to do next.

``explain(exc)`` turns what the transport and the engine raise (a ``SyncError`` whose detail
may be a class name such as ``ConnectionError``, a ``requests`` exception, a protocol error)
into a ``SyncError`` with the same stable ``code`` and an English template from this module,
which the catalogue translates. No class name, URL internals or HTTP jargon reaches a person;
the HTTP status is kept as a number where head office's staff need it.
"""

from __future__ import annotations

import requests

from sync import protocol as p
from sync.client import SyncError

#: the templates, by the situation they describe
NO_LINE = ("Head office cannot be reached: the network is down or the head-office server is "
           "not running. Check this computer's network connection, then press F9 to sync "
           "again. Nothing is lost: pending changes stay on this computer.")
TIMED_OUT = ("Head office did not answer in time (the line is slow or head office is busy). "
             "Press F9 to try again in a few minutes. Nothing is lost: pending changes stay "
             "on this computer.")
CUT_SHORT = ("The connection to head office broke off during the sync. Press F9 to try "
             "again; what was already sent is kept.")
BAD_CERTIFICATE = ("This computer could not confirm it is talking to the real head office "
                   "(its certificate is not trusted). Check the head-office address and the "
                   "company CA bundle under Register with head office; if both are right, "
                   "ask head office's IT. Nothing was sent.")
TOKEN_REFUSED = ("Head office no longer accepts this station's token (wrong or replaced). Ask "
                 "head office for a new token and register again (the manager: Register "
                 "with head office). Nothing is lost: pending changes stay on this computer.")
TOKEN_REVOKED = ("Head office has revoked this station's token. Call head office; once they "
                 "issue a new one, the manager registers again. Nothing is lost: pending "
                 "changes stay on this computer.")
DEVICE_REVOKED = ("Head office has stopped this device (its token was revoked). Call head "
                  "office. The changes head office never received stay on this computer; the "
                  "manager can list them (repair-station unsent).")
UPGRADE = ("Head office needs a newer version of this program. Install the update from head "
           "office, then sync again. Nothing is lost: pending changes stay on this computer.")
POSITION = ("Head office and this station disagree about how far the sync got. Press F9 to "
            "sync again; if this message comes back, tell head office (HTTP {status}).")
STARTING_OVER = ("Head office no longer holds the older changes this station asked for; the "
                 "next sync downloads head office's data afresh. Press F9 to sync again.")
SERVER_TROUBLE = ("Head office's server reported a fault (HTTP {status}). Try again later with "
                  "F9; if it lasts, tell head office. Nothing is lost: pending changes stay on "
                  "this computer.")
UNREADABLE = ("Head office's answer could not be read: the address may not be the head-office "
              "sync service, or the program versions do not match. Check the head-office "
              "address; if it is right, tell head office.")
REFUSED_REQUEST = ("Head office refused the request (HTTP {status}). Press F9 to try again; "
                   "if it comes back, tell head office.")
BAD_ADDRESS = ("The head-office address is not usable. The manager registers again with the "
               "address head office gave (it starts with https://).")
UNEXPECTED = ("The sync stopped on an unexpected problem. Press F9 to try again; if it comes "
              "back, restart the program and tell head office.")

#: requests' names for a line that timed out, broke off mid-answer, or was never made
_TIMEOUTS = frozenset({"Timeout", "ReadTimeout", "ConnectTimeout"})
_CUT = frozenset({"ChunkedEncodingError", "ContentDecodingError", "ProtocolError",
                  "IncompleteRead"})
#: codes whose existing message already says, in the user's words, what to do
_KEPT = frozenset({SyncError.NOT_REGISTERED, SyncError.BUSY, SyncError.CANCELLED})


def explain(exc: BaseException) -> SyncError:
    """``exc`` as a person should read it (code kept; a new template without class names)."""
    if isinstance(exc, SyncError):
        return _of_sync_error(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return SyncError(SyncError.TLS, BAD_CERTIFICATE)
    if isinstance(exc, requests.Timeout):
        return SyncError(SyncError.OFFLINE, TIMED_OUT)
    if isinstance(exc, requests.ConnectionError):
        return SyncError(SyncError.OFFLINE, NO_LINE)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError
                  | requests.exceptions.ContentDecodingError):
        return SyncError(SyncError.OFFLINE, CUT_SHORT)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema
                  | requests.exceptions.InvalidSchema):
        return SyncError(SyncError.PROTOCOL, BAD_ADDRESS)
    if isinstance(exc, p.ProtocolError | ValueError):
        return SyncError(SyncError.PROTOCOL, UNREADABLE)
    if isinstance(exc, requests.RequestException):
        return SyncError(SyncError.OFFLINE, NO_LINE)
    return SyncError(SyncError.PROTOCOL, UNEXPECTED)


def of_status(status: int) -> SyncError:
    """The answer for an HTTP status head office gave where 200 was expected."""
    if status == 401:
        return SyncError(SyncError.UNAUTHORIZED, TOKEN_REFUSED)
    if status == 403:
        return SyncError(SyncError.REVOKED, TOKEN_REVOKED)
    if status == 426:
        return SyncError(SyncError.UPGRADE_REQUIRED, UPGRADE)
    if status == 409:
        return SyncError(SyncError.PROTOCOL, POSITION, status=status)
    if status == 410:
        return SyncError(SyncError.PROTOCOL, STARTING_OVER)
    if status >= 500:
        return SyncError(SyncError.SERVER, SERVER_TROUBLE, status=status)
    return SyncError(SyncError.PROTOCOL, REFUSED_REQUEST, status=status)


def _of_sync_error(exc: SyncError) -> SyncError:
    code, params = exc.code, exc.params
    if code in _KEPT or exc.template in _OURS:
        return exc
    if code == SyncError.OFFLINE:
        detail = str(params.get("detail", ""))
        if detail in _TIMEOUTS:
            return SyncError(code, TIMED_OUT)
        if detail in _CUT:
            return SyncError(code, CUT_SHORT)
        return SyncError(code, NO_LINE)
    if code == SyncError.TLS:
        if "host" in params:  # plain http to another computer: its own message says what to do
            return exc
        return SyncError(code, BAD_CERTIFICATE)
    if code == SyncError.UNAUTHORIZED:
        return SyncError(code, TOKEN_REFUSED)
    if code == SyncError.REVOKED:
        # a device of a station with several: only this device was stopped (protocol 2)
        return SyncError(code, DEVICE_REVOKED if params.get("device") else TOKEN_REVOKED)
    if code == SyncError.UPGRADE_REQUIRED:
        return SyncError(code, UPGRADE)
    status = params.get("status")
    if isinstance(status, int):
        return of_status(status)
    if code == SyncError.SERVER:
        digits = "".join(ch for ch in str(params.get("detail", "")) if ch.isdigit())
        return SyncError(code, SERVER_TROUBLE, status=int(digits) if digits else 500)
    if code == SyncError.PROTOCOL:
        return SyncError(code, UNREADABLE)
    return SyncError(code, UNEXPECTED)


_OURS = frozenset({NO_LINE, TIMED_OUT, CUT_SHORT, BAD_CERTIFICATE, TOKEN_REFUSED, TOKEN_REVOKED,
                   DEVICE_REVOKED,
                   UPGRADE, POSITION, STARTING_OVER, SERVER_TROUBLE, UNREADABLE,
                   REFUSED_REQUEST, BAD_ADDRESS, UNEXPECTED})
