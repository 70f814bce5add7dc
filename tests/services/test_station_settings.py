"""The station's settings (issue 13, item 3): each field checked and refused with its message,
nothing stored half, the station's details through the outbox, the letterhead images kept by
their hash and handed to the papers."""

from __future__ import annotations

import json
import shutil
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import certifi
import pytest
from PIL import Image
from sqlalchemy import func, select

from app.bootstrap import Services
from app.domain.errors import FieldErrors, RuleViolation
from app.i18n import render
from app.printing.data import Paper
from app.services.context import Actor
from app.services.errors import PermissionDenied
from app.services.station_settings import (
    MAX_IMAGE_BYTES,
    SettingsChange,
    check_image,
    read_image_file,
    read_language,
)
from app.store.models import AuditEntry, OutboxOp, Setting, Station
from sync import protocol as p


def picture(size: tuple[int, int] = (120, 60), fmt: str = "PNG", mode: str = "RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def state(svc: Services) -> tuple:
    """Everything a save could change."""
    with svc.db.read() as s:
        station = s.scalars(select(Station)).one()
        return ((station.name, station.address, station.phone, station.revision),
                sorted(tuple(r) for r in s.execute(select(Setting.key, Setting.value))),
                s.scalar(select(func.count()).select_from(OutboxOp)),
                s.scalar(select(func.count()).select_from(AuditEntry)))


@pytest.fixture
def boss(station: dict[str, Actor]) -> Actor:
    return station["manager"]


def test_the_station_details_change_through_the_outbox(services: Services, boss: Actor) -> None:
    before = services.station_settings.current()
    after = services.station_settings.save(boss, SettingsChange(
        name="北京海淀中关村维修站", address="北京市海淀区中关村大街2号", phone="13912345678"))
    assert (after.name, after.address, after.phone) == (
        "北京海淀中关村维修站", "北京市海淀区中关村大街2号", "13912345678")
    assert after.code == before.code == "BJ001"
    assert services.users.station().phone == "13912345678"
    with services.db.read() as s:
        station = s.scalars(select(Station)).one()
        op = s.scalars(select(OutboxOp).where(OutboxOp.entity == "station")
                       .order_by(OutboxOp.seq.desc())).first()
        assert station.revision == 2
        assert op.entity_id == station.id and op.action == "update" and op.base_revision == 1
        payload = json.loads(op.payload)
        assert payload["phone"] == "13912345678" and payload["code"] == "BJ001"
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.entity == "station",
                                                    AuditEntry.action == "update"))
    # the papers' letterhead says it too
    assert services.reports.letterhead().name == "北京海淀中关村维修站"


def test_saving_nothing_new_writes_nothing(services: Services, boss: Actor) -> None:
    now = services.station_settings.current()
    before = state(services)
    services.station_settings.save(boss, SettingsChange(name=now.name, phone=now.phone))
    assert state(services) == before


def test_the_phone_may_be_emptied_but_not_wrong(services: Services, boss: Actor) -> None:
    assert services.station_settings.save(boss, SettingsChange(phone="")).phone == ""
    with pytest.raises(RuleViolation) as err:
        services.station_settings.save(boss, SettingsChange(phone="12345"))
    assert err.value.field == "phone"


@pytest.mark.parametrize(("change", "field"), [
    (SettingsChange(name=""), "name"),
    (SettingsChange(name="站" * 65), "name"),
    (SettingsChange(address="路" * 201), "address"),
    (SettingsChange(phone="010-1"), "phone"),
    (SettingsChange(sync_minutes=0), "sync_minutes"),
    (SettingsChange(sync_minutes=1441), "sync_minutes"),
    (SettingsChange(sync_minutes=True), "sync_minutes"),
    (SettingsChange(language="fr"), "language"),
    (SettingsChange(papers={"report": "ROLL80"}), "papers"),
    (SettingsChange(papers={"nonsense": "A4"}), "papers"),
    (SettingsChange(printers={"report": "x" * 201}), "printers"),
    (SettingsChange(printers={"nonsense": "HP"}), "printers"),
    (SettingsChange(ca_bundle="relative/ca.pem"), "ca_bundle"),
    (SettingsChange(logo=b"GIF89a not an image"), "logo"),
    (SettingsChange(stamp=b""), "stamp"),
])
def test_each_bad_field_is_refused_with_its_field_and_nothing_is_stored(
        services: Services, boss: Actor, change: SettingsChange, field: str) -> None:
    before = state(services)
    with pytest.raises(RuleViolation) as err:
        services.station_settings.save(boss, change)
    assert err.value.field == field
    assert render(err.value) != err.value.template  # said in Chinese
    assert state(services) == before


def test_one_bad_field_keeps_the_good_ones_from_being_stored(services: Services,
                                                             boss: Actor) -> None:
    before = state(services)
    with pytest.raises(FieldErrors) as err:
        services.station_settings.save(boss, SettingsChange(
            phone="13912345678", logo=picture(), sync_minutes=10, name="", language="xx"))
    assert {e.field for e in err.value.errors} == {"name", "language"}
    assert state(services) == before


def test_only_the_manager_changes_settings(services: Services,
                                           station: dict[str, Actor]) -> None:
    before = state(services)
    for who in ("clerk", "tech"):
        with pytest.raises(PermissionDenied):
            services.station_settings.save(station[who], SettingsChange(phone="13912345678"))
    assert state(services) == before


# -- the letterhead images ------------------------------------------------------------------

def test_logo_and_stamp_are_kept_by_hash_and_reach_the_papers(services: Services,
                                                              boss: Actor) -> None:
    logo, stamp = picture((240, 80)), picture((300, 300), "JPEG")
    saved = services.station_settings.save(boss, SettingsChange(logo=logo, stamp=stamp))
    assert saved.logo.data == logo and saved.logo.format == "PNG"
    assert (saved.logo.width, saved.logo.height) == (240, 80)
    assert saved.stamp.format == "JPEG"
    stored = services.paths.attachments / saved.logo.sha256[:2] / saved.logo.sha256
    assert services.station_settings.vault.read(saved.logo.sha256) == logo
    assert (stored.read_bytes() != logo) == (services.db.key is not None)  # kept encrypted
    header = services.reports.letterhead()
    assert header.logo == logo and header.stamp == stamp
    # removed: the papers print without them
    services.station_settings.save(boss, SettingsChange(drop_logo=True, drop_stamp=True))
    header = services.reports.letterhead()
    assert header.logo is None and header.stamp is None
    assert services.station_settings.current().logo is None


@pytest.mark.parametrize(("data", "words"), [
    (picture(fmt="GIF"), "PNG"),
    (picture(fmt="BMP"), "PNG"),
    (b"%PDF-1.4 not a picture", "PNG"),
    (picture()[:60], "PNG"),  # truncated
    (picture((10, 10)), "16"),
    (picture((4001, 20)), "4000"),
    (picture((20000, 20000), "PNG", "1"), "4000"),  # a few KB claiming 400 million pixels
    (picture((9000, 9000), "PNG", "1"), "9000×9000"),  # refused before it is decoded
])
def test_images_that_are_not_png_or_jpeg_or_out_of_limits_are_refused(data: bytes,
                                                                      words: str) -> None:
    with pytest.raises(RuleViolation) as err:
        check_image(data, "stamp", "Stamp")
    assert err.value.field == "stamp"
    assert words in render(err.value)


def test_an_image_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(picture() + b"\0" * MAX_IMAGE_BYTES)
    with pytest.raises(RuleViolation, match="KB"):
        read_image_file(big)
    with pytest.raises(RuleViolation) as err:
        check_image(big.read_bytes())
    assert "2048" in render(err.value)
    with pytest.raises(RuleViolation) as err:
        read_image_file(tmp_path / "missing.png")
    assert err.value.field == "logo"
    good = tmp_path / "logo.jpg"
    good.write_bytes(picture(fmt="JPEG"))
    assert read_image_file(good).format == "JPEG"


def test_an_image_removed_from_disk_prints_nothing_rather_than_failing(services: Services,
                                                                       boss: Actor) -> None:
    saved = services.station_settings.save(boss, SettingsChange(logo=picture()))
    (services.paths.attachments / saved.logo.sha256[:2] / saved.logo.sha256).unlink()
    services.station_settings._images.clear()
    assert services.reports.letterhead().logo is None


# -- head office ----------------------------------------------------------------------------

@pytest.fixture
def pem(tmp_path: Path) -> Path:
    target = tmp_path / "company-ca.pem"
    shutil.copy(certifi.where(), target)
    return target


def _register(services: Services, boss: Actor) -> None:
    services.sync.register(boss, "http://127.0.0.1:8765", "BJ001", "secret-token", check=False)


def test_the_ca_bundle_must_exist_and_be_pem(services: Services, boss: Actor, tmp_path: Path,
                                             pem: Path) -> None:
    _register(services, boss)
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                       "-----END CERTIFICATE-----\n")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    before = state(services)
    for bad in (not_pem, text, tmp_path / "missing.pem", tmp_path):
        with pytest.raises(RuleViolation) as err:
            services.station_settings.save(boss, SettingsChange(ca_bundle=str(bad)))
        assert err.value.field == "ca_bundle"
        assert str(bad) in render(err.value)
    assert state(services) == before
    saved = services.station_settings.save(boss, SettingsChange(ca_bundle=str(pem)))
    assert saved.ca_bundle == str(pem)
    assert services.station_settings.save(boss, SettingsChange(ca_bundle="")).ca_bundle == ""


def test_a_ca_bundle_waits_for_the_registration(services: Services, boss: Actor,
                                                pem: Path) -> None:
    with pytest.raises(RuleViolation) as err:
        services.station_settings.save(boss, SettingsChange(ca_bundle=str(pem)))
    assert err.value.field == "ca_bundle"


def test_sync_interval_language_and_printing_are_kept(services: Services, boss: Actor) -> None:
    svc = services.station_settings
    assert svc.sync_minutes() == 5 and svc.language() == "zh_CN"
    saved = svc.save(boss, SettingsChange(
        sync_minutes=30, language="en", papers={"report": Paper.A5, "work-order": "A4"},
        printers={"report": "HP LaserJet 1020", "work-order": ""}))
    assert saved.sync_minutes == 30 and svc.sync_minutes() == 30
    assert saved.language == "en" and svc.language() == "en"
    # kept beside the database, readable before anything opens (the start, the recovery)
    assert read_language(services.paths.root) == "en"
    report = next(d for d in saved.documents if d.document == "report")
    assert report.paper is Paper.A5 and report.printer == "HP LaserJet 1020"
    assert svc.default_paper("report") is Paper.A5
    assert svc.default_printer("report") == "HP LaserJet 1020"
    assert svc.default_paper("work-order") is Paper.A4
    svc.save(boss, SettingsChange(papers={"report": None}))
    assert svc.default_paper("report") is None
    with services.db.read() as s:
        assert s.scalar(select(AuditEntry.detail).where(AuditEntry.entity == "settings"))


class _Transport:
    def __init__(self, config) -> None:
        self.config = config

    def health(self):
        return SimpleNamespace(protocols=[p.PROTOCOL_VERSION], hq_id="hq-1")

    def pull(self, _cursor, _limit):
        return SimpleNamespace(status_code=200)

    def device(self) -> p.DeviceAnswer:  # protocol 2: which device the token is
        seen.append(self.config)
        me = p.DeviceInfo(1, "1号机", "")
        return p.DeviceAnswer("BJ001", "北京维修站", me, (me,), 1)

    def raise_for(self, _response, expected=(200,)) -> None:
        seen.append(self.config)

    def close(self) -> None:
        pass


seen: list = []


def test_the_connection_test_uses_the_stored_token(services: Services, boss: Actor,
                                                   pem: Path) -> None:
    with pytest.raises(RuleViolation):
        services.station_settings.test_connection()  # not registered yet
    _register(services, boss)
    services.sync.transport_factory = _Transport
    seen.clear()
    assert services.station_settings.test_connection(ca_bundle=str(pem)) == "hq-1"
    assert seen[0].token == "secret-token" and seen[0].ca_bundle == str(pem)
    assert seen[0].hq_url == "http://127.0.0.1:8765"


def test_a_failed_save_puts_the_language_back(services: Services, boss: Actor,
                                              monkeypatch) -> None:
    svc = services.station_settings
    assert read_language(services.paths.root) is None

    def broken(*_args, **_kwargs):
        raise RuleViolation("Set up the station first.")

    monkeypatch.setattr(svc, "_store", broken)
    with pytest.raises(RuleViolation):
        svc.save(boss, SettingsChange(language="en", phone="13912345678"))
    assert read_language(services.paths.root) is None
    assert not (services.paths.root / "language.json").exists()
    monkeypatch.undo()
    svc.save(boss, SettingsChange(language="en"))
    with pytest.raises(RuleViolation):
        monkeypatch.setattr(svc, "_store", broken)
        svc.save(boss, SettingsChange(language="zh_CN"))
    assert read_language(services.paths.root) == "en"
