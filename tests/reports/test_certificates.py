"""Bad certificates are refused with a Russian message and nothing is stored."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.forms import VerifyForm
from reports.models import SigningCertificate
from schools.access import SYSTEM

pytestmark = pytest.mark.django_db


def _p12(*, days_from=-1, days_to=30, other_key=False, password=b"pw"):
    from demo.signing import _root

    ca_key, ca_certificate = _root()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Иванова")]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=days_from))
        .not_valid_after(now + datetime.timedelta(days=days_to))
        .sign(ca_key, hashes.SHA256())
    )
    if other_key:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return pkcs12.serialize_key_and_certificates(
        b"x", key, certificate, [ca_certificate], serialization.BestAvailableEncryption(password)
    )


@pytest.mark.parametrize(
    ("data", "password", "message"),
    [
        (lambda: _p12(), "wrong", "Неверный пароль"),
        (lambda: _p12(days_from=-30, days_to=-1), "pw", "истёк"),
        (lambda: _p12(days_from=5, days_to=30), "pw", "ещё не действует"),
        (lambda: b"not a pkcs12 container at all", "pw", "не является контейнером PKCS#12"),
    ],
    ids=["wrong-password", "expired", "not-yet-valid", "broken"],
)
def test_a_bad_certificate_is_refused_and_nothing_is_stored(world, data, password, message):
    with pytest.raises(ValidationError, match=message):
        services.certificate_upload(
            acting_user=SYSTEM,
            organisation=world.authority,
            data=data(),
            password=password,
            position="Начальник",
        )
    assert not SigningCertificate.objects.exists()


def test_the_password_is_not_stored_and_the_key_is_encrypted(world):
    row = services.certificate_upload(
        acting_user=SYSTEM,
        organisation=world.authority,
        data=_p12(),
        password="pw",
        position="Начальник",
    )
    stored = bytes(row.private_key)
    assert b"PRIVATE KEY" not in stored
    assert b"pw" not in stored
    from reports.certificates import decrypt_key

    assert decrypt_key(stored, row.sha256, row.key_id).key_size == 2048


def test_a_50_mb_file_that_is_not_a_pdf_gets_a_clear_message(settings):
    big = SimpleUploadedFile("plan.pdf", b"0" * (50 * 1024 * 1024), content_type="application/pdf")
    form = VerifyForm(files={"file": big})
    assert not form.is_valid()
    assert "больше" in form.errors["file"][0]
    fake = SimpleUploadedFile("plan.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    form = VerifyForm(files={"file": fake})
    assert not form.is_valid()
    assert "не является PDF" in form.errors["file"][0]
