"""A self-signed CA and a server certificate for 127.0.0.1, made once with ``cryptography``.

azure-core's bearer-token policy refuses to send a token over plain http, so the demo Azure speaks
https; clients trust it through the CA file (``ca.pem``), the way an air-gapped site trusts its
private root.  Files are written 0600 in a 0700 directory; an existing, still valid set is reused.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server.key"


@dataclass(frozen=True)
class CertFiles:
    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(self.cert), str(self.key))
        return ctx


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)


EXPIRY_FILE = "not-after"  # the certificate's end of validity (ISO), so a start need not load cryptography


def _still_valid(files: CertFiles) -> bool:
    expiry = files.cert.parent / EXPIRY_FILE
    if not all(p.exists() for p in (files.ca, files.cert, files.key, expiry)):
        return False
    try:
        until = dt.datetime.fromisoformat(expiry.read_text(encoding="ascii").strip())
    except ValueError:
        return False
    return until > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)


def ensure_certs(directory: str | os.PathLike[str]) -> CertFiles:
    """The CA and server certificate in ``directory`` (created 0700), generated when missing."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    files = CertFiles(d / CA_FILE, d / CERT_FILE, d / KEY_FILE)
    if _still_valid(files):
        return files
    years = 5
    ca_pem, cert_pem, key_pem = generate(years)
    _write_private(files.key, key_pem)
    _write_private(files.cert, cert_pem)
    _write_private(files.ca, ca_pem)
    until = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5) + dt.timedelta(days=365 * years)
    _write_private(d / EXPIRY_FILE, until.isoformat().encode("ascii"))
    return files


def generate(years: int = 5) -> tuple[bytes, bytes, bytes]:
    """(CA certificate, server certificate, server key) as PEM, EC P-256, for 127.0.0.1/localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    until = now + dt.timedelta(days=365 * years)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "loom-tui"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "loom demo Azure local CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca.public_bytes(pem), leaf.public_bytes(pem), key_pem
