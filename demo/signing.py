"""The demo's own certification authority: a root the product trusts, a signing
certificate for every organisation (its head or director as the signer), uploaded as
PKCS#12 through the same service an administrator uses, and the current approved
municipal plan signed.

The demo CA's key is kept in the private storage (``demo-ca/``), so a later run issues
certificates to new organisations under the same root; without it a new root is made.
Nothing here is a real certificate: the root is trusted by this product only.
"""

from __future__ import annotations

import datetime
import secrets

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.jobs import run_job
from core.models import JobState
from roadmaps.constants import RoadmapStatus
from roadmaps.models import Roadmap
from schools.access import SYSTEM
from schools.constants import Role
from schools.models import Membership, Organisation

CA_NAME = "Демонстрационный удостоверяющий центр «Дорожные карты»"
CA_COMMON_NAME = "Демо УЦ «Дорожные карты»"
CA_KEY = "demo-ca/root-key.pem"
CA_CERT = "demo-ca/root-cert.pem"
YEAR = datetime.timedelta(days=365)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _cut(text: str, limit: int = 64) -> str:
    """Text within the 64 bytes (UTF-8) that the library allows a name attribute."""
    text = text.strip()
    while len(text.encode()) > limit:
        text = text[:-1]
    return text.strip() or "—"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _root():
    """The demo CA (key and certificate), made once and kept in the private storage."""
    from reports.certificates import fingerprint
    from reports.models import TrustedRoot

    storage = storages["private"]
    if storage.exists(CA_KEY) and storage.exists(CA_CERT):
        with storage.open(CA_KEY, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        with storage.open(CA_CERT, "rb") as handle:
            certificate = x509.load_pem_x509_certificate(handle.read())
        if TrustedRoot.objects.filter(sha256=fingerprint(certificate)).exists():
            return key, certificate
    key = _key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Дорожные карты (демо)"),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
        ]
    )
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + 10 * YEAR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    for path in (CA_KEY, CA_CERT):
        if storage.exists(path):
            storage.delete(path)
    storage.save(
        CA_KEY,
        ContentFile(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )
    storage.save(CA_CERT, ContentFile(certificate.public_bytes(serialization.Encoding.PEM)))
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(name)
        .last_update(now - datetime.timedelta(minutes=5))
        .next_update(now + YEAR)
        .sign(key, hashes.SHA256())
    )
    TrustedRoot.objects.create(
        name=CA_NAME,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        sha256=fingerprint(certificate),
        crl_pem=crl.public_bytes(serialization.Encoding.PEM).decode(),
    )
    return key, certificate


def _signer(organisation: Organisation) -> tuple[str, str, str, str]:
    """(surname, given names, full name, position) of the organisation's head (a school's
    director first), or a stand-in named after the organisation."""
    membership = (
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            role__in=(Role.SCHOOL_DIRECTOR, Role.HEAD),
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    if membership is not None:
        user = membership.user
        given = " ".join(part for part in (user.first_name, user.middle_name) if part)
        full = " ".join(part for part in (user.last_name, given) if part) or user.username
        position = membership.position or user.position or Role(membership.role).label
        return user.last_name or full, given, full, position
    return "", "", f"Руководитель {organisation.short_name}", "Руководитель организации"


def issue_pkcs12(organisation: Organisation, ca_key, ca_certificate, password: bytes):
    surname, given, full, position = _signer(organisation)
    key = _key()
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _cut(organisation.full_name)),
        x509.NameAttribute(NameOID.TITLE, _cut(position)),
        x509.NameAttribute(NameOID.COMMON_NAME, _cut(full)),
    ]
    if surname and given:
        attributes += [
            x509.NameAttribute(NameOID.SURNAME, _cut(surname)),
            x509.NameAttribute(NameOID.GIVEN_NAME, _cut(given)),
        ]
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + 2 * YEAR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        name=full.encode(),
        key=key,
        cert=certificate,
        cas=[ca_certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(password),
    )
    return data, position, full


def seed_signing() -> dict:
    """The demo CA, a certificate for each organisation without one, and the signed PDF of
    the municipal plan in execution (the approved plan in force)."""
    from reports import services
    from reports.constants import ReportKind
    from reports.models import Report, SigningCertificate

    ca_key, ca_certificate = _root()
    issued = 0
    with_certificate = set(
        SigningCertificate.objects.filter(is_active=True).values_list("organisation_id", flat=True)
    )
    for organisation in Organisation.objects.exclude(pk__in=with_certificate).order_by("pk"):
        password = secrets.token_urlsafe(12)
        data, position, full = issue_pkcs12(organisation, ca_key, ca_certificate, password.encode())
        services.certificate_upload(
            acting_user=SYSTEM,
            organisation=organisation,
            data=data,
            password=password,
            position=position,
            signer_name=full,
        )
        issued += 1
    signed = 0
    plans = Roadmap.objects.filter(
        status__in=(RoadmapStatus.EXECUTION, RoadmapStatus.APPROVED), is_template=False
    ).select_related("owner__region")
    for plan in plans.order_by("pk")[:2]:
        if services.signed_report(plan) is not None:
            continue
        report = services.report_request(
            acting_user=SYSTEM,
            kind=ReportKind.ROADMAP,
            roadmap=plan,
            signed=True,
            enqueue_job=False,
        )
        if report.state == JobState.QUEUED:
            run_job(Report, report.pk, services.report_build)
        signed += 1
    return {"certificates issued": issued, "plans signed": signed}
