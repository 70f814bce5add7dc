"""The station's settings as the manager's 设置 page changes them (Qt-free).

``StationSettingsService.current()`` reads them all at once; ``save(actor, change)`` checks
every field of a ``SettingsChange`` first (every refused field at once, as a form marks them)
and then stores the lot in one transaction, or nothing:

- the station's name, address and phone: the synced ``Station`` row (revision bumped, audit
  and outbox row together, like every station-owned write);
- the letterhead images (logo beside the station's name, stamp in the papers' 盖章 box):
  PNG or JPEG only, at most ``MAX_IMAGE_BYTES`` and ``MAX_SIDE`` pixels a side, decoded by
  Pillow and by reportlab (which draws them) before they are kept. They are stored like the
  photos, content-addressed and encrypted in ``attachments/ab/abcdef…`` (``app.store.vault``:
  the backups carry them), and
  named by their hash in the local ``settings`` table;
- the head-office connection's sync interval (minutes) and CA bundle (a PEM file the TLS
  layer loads); the address and token stay with ``SyncService.register`` (the register
  dialog), and ``test_connection`` proves the stored ones;
- per document, the default paper (one of the registry's ``papers``) and printer name (the
  printer names come from the window; this only keeps the text);
- the interface language (zh_CN/en) for the program's next start. It is kept in
  ``language.json`` in the data folder, not in the database: the program must know it before
  anything opens (Qt's own dialogs, the recovery dialog of a damaged database), so
  ``read_language(data_dir)`` reads it with no database and no Qt.

Local settings (not synced) are rows of ``settings``; the keys are the ``KEY_*`` below.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain import validation as v
from app.domain.errors import ErrorCollector, RuleViolation
from app.domain.permissions import Permission
from app.i18n import LANGUAGES
from app.paths import DataPaths
from app.printing.data import Paper
from app.printing.registry import documents
from app.services import events
from app.services import text_input as t
from app.services.context import Actor
from app.services.journal import record, row_payload
from app.services.sync_service import SyncService
from app.services.sync_store import SYNC
from app.store.base import utcnow
from app.store.database import Database
from app.store.models import Setting, Station, SyncRegistration
from app.store.models.sync import SINGLETON_ID
from app.store.vault import Vault

KEY_LOGO = "letterhead.logo"  # value "<sha256>" of the stored image ("" or absent: none)
KEY_STAMP = "letterhead.stamp"
KEY_SYNC_MINUTES = "sync.interval_minutes"
LANGUAGE_FILE = "language.json"  # {"language": "en"}
PAPER_KEY = "print.{document}.paper"
PRINTER_KEY = "print.{document}.printer"

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
MIN_SIDE = 16
MAX_CA_BYTES = 1024 * 1024
MAX_PRINTER = 200
SYNC_MINUTES = (1, 1440)  # at most once a minute, at least once a day
DEFAULT_SYNC_MINUTES = 5
DEFAULT_LANGUAGE = "zh_CN"
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class LetterheadImage:
    """A checked image: its bytes, hash, format (PNG/JPEG) and pixel size."""

    data: bytes
    sha256: str
    format: str
    width: int
    height: int


@dataclass(frozen=True)
class DocumentDefaults:
    document: str
    title: str  # English source text (``tr`` it)
    papers: tuple[Paper, ...]  # what the paper can be printed on
    paper: Paper | None  # None: the printing dialog's last choice
    printer: str  # "" = the system's default printer


@dataclass(frozen=True)
class StationSettings:
    code: str
    name: str
    address: str
    phone: str
    logo: LetterheadImage | None
    stamp: LetterheadImage | None
    registered: bool
    hq_url: str
    ca_bundle: str
    sync_minutes: int
    documents: tuple[DocumentDefaults, ...]
    language: str


@dataclass(frozen=True)
class SettingsChange:
    """What the page changes; None leaves a field as it is."""

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    logo: bytes | None = None  # a new logo (checked here)
    drop_logo: bool = False
    stamp: bytes | None = None
    drop_stamp: bool = False
    ca_bundle: str | None = None  # "" = none (the system's certificates)
    sync_minutes: int | None = None
    papers: Mapping[str, Paper | str | None] = field(default_factory=dict)  # None: unset
    printers: Mapping[str, str] = field(default_factory=dict)  # "" = the system default
    language: str | None = None


def check_image(data: bytes, field: str = "logo", label: str = "Logo") -> LetterheadImage:
    """A PNG or JPEG that Pillow and reportlab both decode, within the size limits; else a
    RuleViolation saying what is wrong."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise RuleViolation("{label}: the file is empty.", field=field, label=label)
    data = bytes(data)
    if len(data) > MAX_IMAGE_BYTES:
        raise RuleViolation("{label}: the image is {size} KB; at most {limit} KB is taken.",
                            field=field, label=label, size=len(data) // 1024,
                            limit=MAX_IMAGE_BYTES // 1024)
    from PIL import Image, UnidentifiedImageError

    unreadable = RuleViolation("{label}: the file is not a readable PNG or JPEG image.",
                               field=field, label=label)
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            fmt = probe.format or ""
            width, height = probe.size
    except Image.DecompressionBombError:
        raise RuleViolation("{label}: the image is too large; each side must be {low} to {high} "
                            "pixels.", field=field, label=label, low=MIN_SIDE,
                            high=MAX_SIDE) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise unreadable from None
    if fmt not in IMAGE_FORMATS:
        raise RuleViolation("{label}: only PNG or JPEG images are taken (this one is {format}).",
                            field=field, label=label, format=fmt or "?")
    # the pixel size before any pixel is decoded (a small file may claim a huge picture)
    if max(width, height) > MAX_SIDE or min(width, height) < MIN_SIDE:
        raise RuleViolation("{label}: the image is {width}×{height} pixels; each side must be "
                            "{low} to {high} pixels.", field=field, label=label, width=width,
                            height=height, low=MIN_SIDE, high=MAX_SIDE)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as full:
            full.load()  # verify() reads no pixel data: a truncated file fails here
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        raise unreadable from None
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(io.BytesIO(data)).getRGBData()  # what the papers will draw
    except Exception:  # reportlab raises bare Exceptions for what it cannot read
        raise RuleViolation("{label}: the file is not a readable PNG or JPEG image.",
                            field=field, label=label) from None
    return LetterheadImage(data, hashlib.sha256(data).hexdigest(), fmt, width, height)


def read_image_file(path: str | Path, field: str = "logo",
                    label: str = "Logo") -> LetterheadImage:
    """The image file at ``path``, checked (its size before it is read)."""
    t.check_key(str(path), field, label)
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise RuleViolation("{label}: the image is {size} KB; at most {limit} KB is taken.",
                                field=field, label=label, size=size // 1024,
                                limit=MAX_IMAGE_BYTES // 1024)
        data = source.read_bytes()
    except OSError as exc:
        raise RuleViolation("{label}: the file {path} cannot be read: {error}", field=field,
                            label=label, path=str(path), error=exc.strerror or str(exc)) from None
    return check_image(data, field, label)


def check_ca_bundle(path: str) -> str:
    """"" (none) or the full path of an existing PEM file the TLS layer loads."""
    t.check_key(path, "ca_bundle", "CA bundle")
    path = path.strip()
    if not path:
        return ""
    target = Path(path)
    if not target.is_absolute():
        raise RuleViolation("The CA bundle must be a full path to a PEM file.",
                            field="ca_bundle")
    if not target.is_file():
        raise RuleViolation("The CA bundle {path} does not exist.", field="ca_bundle",
                            path=path)
    try:
        if target.stat().st_size > MAX_CA_BYTES:
            raise RuleViolation("The CA bundle {path} is too large to be a certificate file.",
                                field="ca_bundle", path=path)
        text = target.read_bytes()
    except OSError as exc:
        raise RuleViolation("The CA bundle {path} cannot be read: {error}", field="ca_bundle",
                            path=path, error=exc.strerror or str(exc)) from None
    if b"-----BEGIN CERTIFICATE-----" not in text:
        raise RuleViolation("The CA bundle {path} is not a PEM certificate file.",
                            field="ca_bundle", path=path)
    try:
        ssl.create_default_context(cafile=str(target))
    except (ssl.SSLError, ValueError, OSError):
        raise RuleViolation("The CA bundle {path} is not a PEM certificate file.",
                            field="ca_bundle", path=path) from None
    return str(target)


def _check_minutes(value: int) -> int:
    low, high = SYNC_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RuleViolation("The sync interval must be {low} to {high} minutes.",
                            field="sync_minutes", low=low, high=high)
    return value


def read_language(data_dir: Path) -> str | None:
    """The language chosen on the settings page for the station in ``data_dir``; None when
    none was chosen (or the file is unreadable). No database, no Qt: for the start."""
    try:
        data = json.loads((Path(data_dir) / LANGUAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("language") if isinstance(data, dict) else None
    return value if value in LANGUAGES else None


def _check_language(value: str) -> str:
    if value not in LANGUAGES:
        raise RuleViolation("The language must be one of: {known}.", field="language",
                            known=LANGUAGES)
    return value


class StationSettingsService:
    def __init__(self, db: Database, bus: events.ChangeBus, paths: DataPaths,
                 sync: SyncService, clock: Callable[[], datetime] = utcnow,
                 vault: Vault | None = None) -> None:
        self.db = db
        self.bus = bus
        self.paths = paths
        self.vault = vault or Vault(paths.attachments, db.key)
        self.attachments_dir = self.vault.folder
        self.sync = sync
        self.clock = clock
        self._images: dict[str, LetterheadImage] = {}  # checked once per content hash

    # -- reading ----------------------------------------------------------------------------
    def current(self) -> StationSettings:
        with self.db.read() as s:
            station = s.scalars(select(Station)).first()
            reg = s.get(SyncRegistration, SINGLETON_ID)
            values = {k: v for k, v in s.execute(select(Setting.key, Setting.value))}
        if station is None:
            raise RuleViolation("Set up the station first.")
        docs = []
        for spec in documents().values():
            paper = values.get(PAPER_KEY.format(document=spec.name), "")
            docs.append(DocumentDefaults(
                spec.name, spec.title, tuple(spec.papers),
                Paper(paper) if paper in {p.value for p in spec.papers} else None,
                values.get(PRINTER_KEY.format(document=spec.name), "")))
        return StationSettings(
            code=station.code, name=station.name, address=station.address,
            phone=station.phone, logo=self._image(values.get(KEY_LOGO, "")),
            stamp=self._image(values.get(KEY_STAMP, "")), registered=reg is not None,
            hq_url=reg.hq_url if reg else "", ca_bundle=reg.ca_bundle if reg else "",
            sync_minutes=_stored_minutes(values.get(KEY_SYNC_MINUTES)),
            documents=tuple(docs), language=self.language())

    def letterhead_images(self) -> tuple[bytes | None, bytes | None]:
        """(logo, stamp) bytes for the papers' letterhead; None where there is none."""
        with self.db.read() as s:
            logo = s.get(Setting, KEY_LOGO)
            stamp = s.get(Setting, KEY_STAMP)
            keys = (logo.value if logo else "", stamp.value if stamp else "")
        images = [self._image(k) for k in keys]
        return tuple(i.data if i else None for i in images)  # type: ignore[return-value]

    def sync_minutes(self) -> int:
        """How often the window syncs in the background (minutes)."""
        with self.db.read() as s:
            row = s.get(Setting, KEY_SYNC_MINUTES)
            return _stored_minutes(row.value if row else None)

    def language(self) -> str:
        """The interface language the program starts in next time (zh_CN or en)."""
        return read_language(self.paths.root) or DEFAULT_LANGUAGE

    def default_paper(self, document: str) -> Paper | None:
        with self.db.read() as s:
            row = s.get(Setting, PAPER_KEY.format(document=document))
        try:
            return Paper(row.value) if row and row.value else None
        except ValueError:
            return None

    def print_defaults(self) -> dict[str, tuple[str, Paper | None]]:
        """Every document's default printer ("" = the system's) and paper, in one read (the
        print controller asks once, off the GUI thread)."""
        with self.db.read() as s:
            values = {row.key: row.value for row in s.scalars(
                select(Setting).where(Setting.key.like("print.%")))}
        out: dict[str, tuple[str, Paper | None]] = {}
        for spec in documents().values():
            raw = values.get(PAPER_KEY.format(document=spec.name), "")
            try:
                paper = Paper(raw) if raw else None
            except ValueError:
                paper = None
            out[spec.name] = (values.get(PRINTER_KEY.format(document=spec.name), ""), paper)
        return out

    def default_printer(self, document: str) -> str:
        with self.db.read() as s:
            row = s.get(Setting, PRINTER_KEY.format(document=document))
            return row.value if row else ""

    def test_connection(self, hq_url: str | None = None, ca_bundle: str | None = None) -> str:
        """Proves the stored token with head office (at ``hq_url``/``ca_bundle`` when given,
        else the registered ones); head office's identity. Failures as ``SyncError`` in the
        user's words. Network: call it off the GUI thread."""
        with self.db.read() as s:
            reg = s.get(SyncRegistration, SINGLETON_ID)
            if reg is None:
                raise RuleViolation("This station is not registered with head office yet.")
            url, ca = reg.hq_url, reg.ca_bundle
        if hq_url is not None:
            t.check_key(hq_url, "hq_url", "Head-office address")
            url = hq_url
        if ca_bundle is not None:
            ca = check_ca_bundle(ca_bundle)
        token = self.sync.tokens.load()
        if not token:
            raise RuleViolation("The head-office token is missing; register the station again.")
        hq_id, _device = self.sync._check_registration(url, token, ca or None)
        return hq_id

    def _image(self, sha: str) -> LetterheadImage | None:
        if not sha:
            return None
        known = self._images.get(sha)
        if known is not None:
            return known
        try:
            image = check_image(self.vault.read(sha))
        except (OSError, RuleViolation):  # AttachmentUnreadable is a RuleViolation
            return None  # removed, damaged or foreign on disk: the papers print without it
        if image.sha256 != sha:
            return None
        self._images[sha] = image
        return image

    def _path(self, sha: str) -> Path:
        return self.vault.path(sha)

    # -- writing ----------------------------------------------------------------------------
    def save(self, actor: Actor, change: SettingsChange) -> StationSettings:
        """Checks every field of ``change``, then stores them together or not at all."""
        actor.require(Permission.SETTINGS_EDIT)
        c = ErrorCollector()
        name = (c.check(t.check_required, change.name, "name", "Station name", v.MAX_SHORT)
                if change.name is not None else None)
        address = (c.check(t.check_length, change.address, "address", "Address", v.MAX_ADDRESS)
                   if change.address is not None else None)
        phone = c.check(_check_phone, change.phone) if change.phone is not None else None
        logo = (c.check(check_image, change.logo, "logo", "Logo")
                if change.logo is not None else None)
        stamp = (c.check(check_image, change.stamp, "stamp", "Stamp")
                 if change.stamp is not None else None)
        ca = c.check(check_ca_bundle, change.ca_bundle) if change.ca_bundle is not None else None
        minutes = (c.check(_check_minutes, change.sync_minutes)
                   if change.sync_minutes is not None else None)
        language = (c.check(_check_language, change.language)
                    if change.language is not None else None)
        local = c.check(self._check_printing, change, default={})
        c.raise_if_any()
        if ca is not None and ca and not self.sync.is_registered():
            raise RuleViolation("Register the station with head office first; the register "
                                "dialog takes the CA bundle too.", field="ca_bundle")
        # the images go to disk first (content-addressed: a file nobody names is harmless)
        for image in (logo, stamp):
            if image is not None:
                self._keep(image)
        if logo is not None or change.drop_logo:
            local[KEY_LOGO] = logo.sha256 if logo is not None else ""
        if stamp is not None or change.drop_stamp:
            local[KEY_STAMP] = stamp.sha256 if stamp is not None else ""
        if minutes is not None:
            local[KEY_SYNC_MINUTES] = str(minutes)
        topics = {events.STATION}
        previous = self._set_language(language) if language is not None else None
        try:
            self._store(actor, name, address, phone, ca, local, topics,
                        language if previous is not None else None)
        except BaseException:
            if previous is not None:  # nothing stored half: the language goes back too
                self._write_language(previous[1])
            raise
        self.bus.publish(topics)
        return self.current()

    def _store(self, actor: Actor, name: str | None, address: str | None, phone: str | None,
               ca: str | None, local: dict[str, str], topics: set[str],
               language: str | None) -> None:
        with self.db.write() as s:
            station = s.scalars(select(Station)).first()
            if station is None:
                raise RuleViolation("Set up the station first.")
            new = (name if name is not None else station.name,
                   address if address is not None else station.address,
                   phone if phone is not None else station.phone)
            if new != (station.name, station.address, station.phone):
                base = station.revision
                station.name, station.address, station.phone = new
                station.revision += 1
                station.updated_at = self.clock()
                s.flush()
                record(s, actor, action="update", entity="station", entity_id=station.id,
                       payload=row_payload(station), base_revision=base,
                       detail=station.name)
                topics.add(events.OUTBOX)
            if ca is not None:
                reg = s.get(SyncRegistration, SINGLETON_ID)
                if reg is not None and reg.ca_bundle != ca:
                    reg.ca_bundle = ca
                    record(s, actor, action="sync_ca_bundle", entity="station",
                           entity_id=station.code, detail=ca)
                    topics.add(SYNC)
            changed = [f"language={language}"] if language is not None else []
            for key, value in local.items():
                row = s.get(Setting, key)
                if row is None:
                    s.add(Setting(key=key, value=value))
                elif row.value != value:
                    row.value = value
                else:
                    continue
                changed.append(f"{key}={value}")
            if changed:
                record(s, actor, action="settings", entity="settings", entity_id="station",
                       detail="; ".join(changed))

    def _set_language(self, language: str) -> tuple[str, bytes | None] | None:
        """Writes the language file when it changes; (old language, old file bytes)."""
        path = self.paths.root / LANGUAGE_FILE
        if read_language(self.paths.root) == language:
            return None
        try:
            before = path.read_bytes()
        except OSError:
            before = None
        try:
            self._write_language(json.dumps({"language": language}).encode())
        except OSError as exc:
            raise RuleViolation("The language could not be saved: {error}", field="language",
                                error=exc.strerror or str(exc)) from None
        return language, before

    def _write_language(self, content: bytes | None) -> None:
        path = self.paths.root / LANGUAGE_FILE
        if content is None:
            path.unlink(missing_ok=True)
            return
        partial = path.with_name(path.name + ".tmp")
        partial.write_bytes(content)
        os.replace(partial, path)

    def _check_printing(self, change: SettingsChange) -> dict[str, str]:
        known = documents()
        out: dict[str, str] = {}
        for name, paper in change.papers.items():
            spec = known.get(name)
            if spec is None:
                raise RuleViolation("Unknown document '{name}'.", field="papers", name=name)
            if paper is None or paper == "":
                out[PAPER_KEY.format(document=name)] = ""
                continue
            allowed = {p.value for p in spec.papers}
            value = paper.value if isinstance(paper, Paper) else str(paper)
            if value not in allowed:
                raise RuleViolation("{document} prints on {papers} only.", field="papers",
                                    document=spec.title,
                                    papers=tuple(p.value for p in spec.papers))
            out[PAPER_KEY.format(document=name)] = value
        for name, printer in change.printers.items():
            if name not in known:
                raise RuleViolation("Unknown document '{name}'.", field="printers", name=name)
            text = v.check_length(printer, "printers", "Printer", MAX_PRINTER, multiline=False)
            out[PRINTER_KEY.format(document=name)] = text
        return out

    def _keep(self, image: LetterheadImage) -> None:
        self.vault.put_bytes(image.data)  # encrypted; kept once per content


def _check_phone(raw: str) -> str:
    return v.check_phone(raw, "phone") if v.clean_text(raw, "phone", "Phone number") else ""


def _stored_minutes(raw: str | None) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return DEFAULT_SYNC_MINUTES
    low, high = SYNC_MINUTES
    return value if low <= value <= high else DEFAULT_SYNC_MINUTES




__all__ = [
    "DocumentDefaults",
    "LetterheadImage",
    "SettingsChange",
    "StationSettings",
    "StationSettingsService",
    "check_ca_bundle",
    "check_image",
    "read_image_file",
    "read_language",
]
