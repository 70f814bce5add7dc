"""TLS is always verified: a certificate from an unknown CA is refused, REQUESTS_CA_BUNDLE
cannot widen the trust, and a configured company CA bundle makes it work."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.bootstrap import open_services
from app.domain.enums import Role
from app.services.sync_service import SyncService
from app.services.sync_token import FileTokenStore
from app.services.users import NewStation, NewUser
from sync.client import SyncError
from tests.sync.faults.harness import LiveHq, fast_transport


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write_company_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A company CA and a server certificate for 127.0.0.1 signed by it (PEM files)."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Company CA")).issuer_name(
        _name("Company CA")).public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(
        ca.subject).public_key(key.public_key()).serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_file, cert_file, key_file


@pytest.fixture
def tls_hq(tmp_path: Path) -> Iterator[tuple[LiveHq, Path]]:
    ca, cert, key = _write_company_ca(tmp_path)
    hq = LiveHq(tmp_path / "hq.sqlite3", ssl_files=(cert, key)).start()
    yield hq, ca
    hq.stop()


def test_unknown_ca_refused_env_cannot_override_bundle_works(tmp_path: Path, tls_hq,
                                                            monkeypatch) -> None:
    hq, ca = tls_hq
    assert hq.url.startswith("https://") and hq.admin is not None
    token = hq.admin.add_station("TLS01", "TLS")
    services = open_services(tmp_path / "station")
    try:
        services.users.set_up_station(NewStation("TLS01", "TLS 站", "北京", "010-62345678"),
                                      NewUser("boss", "站长", Role.MANAGER, "correct-horse"))
        boss = services.users.login("boss", "correct-horse")
        sync = SyncService(services.db, services.bus, FileTokenStore(services.paths.root),
                           transport_factory=fast_transport)
        with pytest.raises(SyncError) as unknown:
            sync.register(boss, hq.url, "TLS01", token)
        assert unknown.value.code == SyncError.TLS
        # the environment variable that silently overrides a session's trust elsewhere
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
        monkeypatch.setenv("CURL_CA_BUNDLE", str(ca))
        with pytest.raises(SyncError) as env_only:
            sync.register(boss, hq.url, "TLS01", token)
        assert env_only.value.code == SyncError.TLS
        assert not sync.is_registered()
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        monkeypatch.delenv("CURL_CA_BUNDLE")
        sync.register(boss, hq.url, "TLS01", token, ca_bundle=str(ca))
        report = sync.sync_now()
        assert report.pushed_ops >= 2
        assert sync.status().online
    finally:
        services.close()
