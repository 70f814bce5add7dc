"""Encrypted backups (issue 14 item 2): a backup (folder and .zip) holds none of a customer's
personal data in plain bytes; it is restored on another PC only with the station's recovery
key (then kept on that PC), a wrong one changes nothing; backups an older program made in
plain are encrypted in place, resumably; a plain backup restored into an encrypted station
comes back encrypted."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from app.bootstrap import open_services
from app.domain.enums import OrderSource, OrderType, ServiceMode
from app.i18n import render
from app.paths import DataPaths
from app.services.customers import CustomerInput
from app.services.orders import NewOrder
from app.services.recovery import needs_recovery_key, recovery_offer, restore_file, restore_offered
from app.store import backups as store
from app.store import sqlite_driver, vault
from app.store.backup_checks import BackupProblem, check_candidate, problem
from app.store.key_seal import default_key_seal
from app.store.store_key import RecoveryKeyInvalid, StoreKey
from app.store.vault import Vault

NAME, PHONE, ADDRESS = "欧阳娜娜", "13912345678", "北京市海淀区学院路甲38号"
SECRETS = [x.encode() for x in (NAME, PHONE, ADDRESS)] + [
    NAME.encode("utf-16-le"), b"JPEG-PHOTO-SECRET"]


def _customer_with_photo(services, station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clerk = station["clerk"]
    order = services.orders.create(clerk, NewOrder(
        OrderType.REPAIR, OrderSource.PHONE, ServiceMode.ON_SITE, "不制冷", PHONE,
        customer=CustomerInput(NAME, (PHONE,), ADDRESS)))
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (16, 16), "#a37").save(photo, "JPEG")
    photo.write_bytes(photo.read_bytes() + b"JPEG-PHOTO-SECRET")
    services.orders.attach_photo(clerk, order.id, photo)


def _plain_bytes_found(data: bytes) -> list[bytes]:
    return [s for s in SECRETS if s in data]


def test_a_backup_and_its_zip_hold_no_personal_data_in_plain_bytes(services, station,
                                                                   tmp_path: Path) -> None:
    _customer_with_photo(services, station, tmp_path)
    made = services.backups.backup_now(station["manager"])
    backup = store.list_backups(services.paths.backups)[0]
    assert backup.path == made.path and made.key_id == services.db.key.key_id
    files = [p for p in backup.path.rglob("*") if p.is_file()]
    assert len(files) == 3  # database, manifest, one photo
    for f in files:
        assert _plain_bytes_found(f.read_bytes()) == [], f
    manifest = json.loads((backup.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["key_id"] == services.db.key.key_id
    assert services.db.key.recovery_text() not in json.dumps(manifest)
    archive = store.export_zip(backup, tmp_path / "usb" / "bj001.zip")
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            assert _plain_bytes_found(z.read(name)) == [], name
    assert _plain_bytes_found(archive.read_bytes()) == []
    assert not sqlite_driver.is_plain(backup.database)
    check_candidate(backup.database, services.db.key)
    with pytest.raises(BackupProblem) as err:  # without the key nothing is read
        check_candidate(backup.database, None)
    assert err.value.kind == "wrong_key"


def test_restore_on_a_new_pc_needs_the_recovery_key_and_keeps_it(services, station,
                                                                  tmp_path: Path) -> None:
    _customer_with_photo(services, station, tmp_path)
    key = services.db.key
    backup = store.make_backup(services.paths.database, services.paths.backups,
                               services.paths.attachments, "manual", key=key)
    archive = store.export_zip(backup, tmp_path / "usb" / "bj001.zip")
    new_pc = DataPaths(tmp_path / "new-pc").ensure()
    assert needs_recovery_key(new_pc, archive)
    text = key.recovery_text()
    with pytest.raises(RecoveryKeyInvalid):  # one character of the checksum mistyped
        StoreKey.from_recovery_text(text[:-1] + ("1" if text[-1] != "1" else "2"))
    with pytest.raises(BackupProblem) as err:  # another station's key: refused, nothing made
        restore_file(new_pc, archive, recovery_key=StoreKey.generate())
    assert err.value.kind == "wrong_recovery_key" and "另一个维修站" in render(err.value)
    assert not new_pc.database.exists() and default_key_seal(new_pc.root).load() is None
    done = restore_file(new_pc, archive, recovery_key=StoreKey.from_recovery_text(
        key.recovery_text()))
    assert done.key == key and default_key_seal(new_pc.root).load() == key
    assert not needs_recovery_key(new_pc, archive)
    reopened = open_services(new_pc.root)
    try:
        assert reopened.db.key == key
        (customer,) = reopened.customers.search(NAME)
        assert customer.name == NAME
        (photo,) = list(new_pc.attachments.glob("*/*"))  # opens with the restored key
        assert reopened.orders.read_attachment(photo.name).endswith(b"JPEG-PHOTO-SECRET")
    finally:
        reopened.close()


def test_the_window_offers_a_foreign_backup_with_the_recovery_key(services, station,
                                                                  tmp_path: Path) -> None:
    key = services.db.key
    store.make_backup(services.paths.database, services.paths.backups, None, "daily", key=key)
    paths = services.paths
    services.close()
    paths.database.write_bytes(b"")
    default_key_seal(paths.root).clear()  # this PC lost the key (or it is another PC)
    offer = recovery_offer(paths, problem("empty", path=paths.database))
    assert offer.backup is None and offer.foreign is not None
    with pytest.raises(BackupProblem):
        restore_offered(offer, StoreKey.generate().recovery_text())
    assert paths.database.read_bytes() == b""
    done = restore_offered(offer, key.recovery_text())
    assert done.key == key and default_key_seal(paths.root).load() == key
    open_services(paths.root).close()


def _plain_backups(services, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """Backups as an older program made them: a plain database and plain photos."""
    key = services.db.key
    plain_db = tmp_path / "old" / "station.sqlite3"
    plain_db.parent.mkdir()
    store.copy_database(services.paths.database, plain_db, key, target_key=None)
    assert sqlite_driver.is_plain(plain_db)
    live = tmp_path / "old" / "attachments"
    plain = Vault(live, None)
    for photo in services.paths.attachments.glob("*/*"):
        plain.put_bytes(services.orders.read_attachment(photo.name))
    folder = tmp_path / "backups"
    for kind in ("daily", "manual"):
        made = store.make_backup(plain_db, folder, live, kind)
        assert made.manifest.key_id is None
    (folder / "replaced-20260101T000000000000Z.sqlite3").write_bytes(plain_db.read_bytes())
    return folder, live


def test_encrypt_plain_backups_encrypts_everything_once_and_resumes(services, station,
                                                                    tmp_path: Path) -> None:
    _customer_with_photo(services, station, tmp_path)
    key = services.db.key
    folder, live = _plain_backups(services, tmp_path)
    first, second = sorted(b.path for b in store.list_backups(folder))
    assert any(_plain_bytes_found(p.read_bytes()) for p in folder.rglob("*") if p.is_file())
    # a kill inside an earlier run: a partial export and the plain file linked aside
    db = first / "station.sqlite3"
    Path(str(db) + ".encrypting").write_bytes(b"partial")
    Path(str(db) + ".plain").hardlink_to(db)
    vault.encrypt_folder(live, key)  # the migration encrypts the live photos first
    seen: list[float] = []
    assert store.encrypt_plain_backups(folder, key, seen.append, attachments_dir=live) == 3
    assert seen[-1] == 1.0
    for f in (p for p in folder.rglob("*") if p.is_file() and p.name != ".lock"):
        assert _plain_bytes_found(f.read_bytes()) == [], f
    assert not list(folder.rglob("*.plain")) and not list(folder.rglob("*.encrypting"))
    for backup in store.list_backups(folder):
        assert backup.manifest.key_id == key.key_id
        if backup.path.is_dir():
            check_candidate(backup.database, key)
            (photo,) = list((backup.path / "attachments").glob("*/*"))
            assert Vault(backup.path / "attachments", key).read(photo.name).endswith(
                b"JPEG-PHOTO-SECRET")
            # linked to the live encrypted file, not a third copy
            assert photo.stat().st_ino == (live / photo.relative_to(
                backup.path / "attachments")).stat().st_ino
    (replaced,) = folder.glob("replaced-*.sqlite3")
    assert not sqlite_driver.is_plain(replaced)
    sqlite_driver.connect(replaced, key).close()
    assert store.encrypt_plain_backups(folder, key) == 0  # idempotent
    assert second.is_dir()


def test_a_plain_backup_restored_into_an_encrypted_station_comes_back_encrypted(
        services, station, tmp_path: Path) -> None:
    _customer_with_photo(services, station, tmp_path)
    key = services.db.key
    folder, _live = _plain_backups(services, tmp_path)
    newest = store.list_backups(folder)[0]
    paths = services.paths
    services.close()
    for photo in paths.attachments.glob("*/*"):
        photo.unlink()
    done = store.restore(newest.path, paths.database, paths.backups, paths.attachments, key=key)
    assert done.key == key and done.attachments_added == 1
    assert not sqlite_driver.is_plain(paths.database)
    for photo in paths.attachments.glob("*/*"):
        assert vault.header_key_id(photo) == key.key_id
    reopened = open_services(paths.root)
    try:
        (customer,) = reopened.customers.search(NAME)
    finally:
        reopened.close()
