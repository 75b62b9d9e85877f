"""Certificates: reading an uploaded PKCS#12, checking it, keeping its key encrypted.

A PKCS#12 file holds the certificate, its private key and usually its issuers, sealed
with a password. The password opens it once, at upload; what is kept is the certificate
(public, in clear) and the private key encrypted with AES-256-GCM under the key of the
settings (``CERTIFICATE_ENCRYPTION_KEY``; the certificate's fingerprint is the associated
data, so a key cannot be moved to another certificate's row). The password is never
stored, logged or put in an error message.

Every refusal is a ``CertificateError`` with a Russian message for the administrator.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_PKCS12_BYTES = 100 * 1024


class CertificateError(Exception):
    """The certificate cannot be used; the message says why, in Russian."""


@dataclass
class Pkcs12Contents:
    certificate: x509.Certificate
    private_key: object
    chain: list[x509.Certificate]


# --- The encryption key of the settings ---------------------------------------------------


def encryption_key() -> bytes:
    """The 32-byte key that encrypts private keys: ``CERTIFICATE_ENCRYPTION_KEY`` (URL-safe
    base64 of 32 bytes), else one derived from ``SECRET_KEY`` (HKDF-SHA256 with a label of
    its own, so the secret key itself never encrypts anything)."""
    configured = getattr(settings, "CERTIFICATE_ENCRYPTION_KEY", "")
    if configured:
        try:
            key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ImproperlyConfigured(
                "CERTIFICATE_ENCRYPTION_KEY must be 32 bytes in URL-safe base64 "
                "(python -c 'import secrets, base64; "
                "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')."
            )
        return key
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"roadmaps certificate keys"
    ).derive(settings.SECRET_KEY.encode())


def key_id(key: bytes | None = None) -> str:
    """Names the encryption key (not secret): a row encrypted under another key says so."""
    return hashlib.sha256(key or encryption_key()).hexdigest()[:16]


def encrypt_key(private_key, certificate_sha256: str) -> bytes:
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(12)
    return nonce + AESGCM(encryption_key()).encrypt(nonce, der, certificate_sha256.encode())


def decrypt_key(blob: bytes, certificate_sha256: str, stored_key_id: str):
    if stored_key_id != key_id():
        raise CertificateError(
            "Закрытый ключ сертификата зашифрован другим ключом, чем задан сейчас в настройках "
            "(CERTIFICATE_ENCRYPTION_KEY). Загрузите сертификат заново или верните прежний ключ."
        )
    blob = bytes(blob)
    try:
        der = AESGCM(encryption_key()).decrypt(blob[:12], blob[12:], certificate_sha256.encode())
    except Exception:
        raise CertificateError(
            "Закрытый ключ сертификата не расшифровывается: запись повреждена. "
            "Загрузите сертификат заново."
        ) from None
    return serialization.load_der_private_key(der, password=None)


# --- Reading and checking -----------------------------------------------------------------


def read_pkcs12(data: bytes, password: str) -> Pkcs12Contents:
    """Open a PKCS#12 file; the errors name what is wrong (broken file, wrong password,
    no key, a key that is not the certificate's) and never the password."""
    if not data:
        raise CertificateError("Файл сертификата пустой.")
    if len(data) > MAX_PKCS12_BYTES:
        raise CertificateError(
            "Файл слишком большой для сертификата (PKCS#12 — это несколько килобайт). "
            "Выберите файл .p12 или .pfx."
        )
    if not _looks_like_pkcs12(data):
        raise CertificateError(
            "Файл не является контейнером PKCS#12 (.p12, .pfx) или повреждён. "
            "Выгрузите сертификат с закрытым ключом в формате PKCS#12 и загрузите снова."
        )
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError:
        raise CertificateError(
            "Неверный пароль контейнера PKCS#12 (или контейнер повреждён). Ничего не сохранено."
        ) from None
    if certificate is None:
        raise CertificateError("В контейнере нет сертификата подписанта.")
    if key is None:
        raise CertificateError(
            "В контейнере нет закрытого ключа: подписывать таким сертификатом нельзя. "
            "Выгрузите сертификат вместе с закрытым ключом."
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise CertificateError(
            "Алгоритм ключа не поддерживается: принимаются ключи RSA и ECDSA "
            "(ГОСТ Р 34.10-2012 пока не поддерживается)."
        )
    if key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise CertificateError(
            "Закрытый ключ в контейнере не соответствует сертификату: подпись им не "
            "проверялась бы этим сертификатом. Выгрузите пару ключ + сертификат заново."
        )
    return Pkcs12Contents(certificate, key, list(chain or []))


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in {
            "data",
            "signed_data",
        }
    except Exception:
        return False


def check_usable(certificate: x509.Certificate, now: datetime.datetime | None = None) -> None:
    """Valid today, and meant for signatures when its key usage says what for."""
    now = now or datetime.datetime.now(datetime.UTC)
    if now < certificate.not_valid_before_utc:
        raise CertificateError(
            f"Сертификат ещё не действует: он действителен с "
            f"{certificate.not_valid_before_utc:%d.%m.%Y}."
        )
    if now > certificate.not_valid_after_utc:
        raise CertificateError(
            f"Срок действия сертификата истёк {certificate.not_valid_after_utc:%d.%m.%Y}."
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise CertificateError(
            "Сертификат не предназначен для электронной подписи документов "
            "(нет назначения «цифровая подпись»)."
        )


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def serial_hex(certificate: x509.Certificate) -> str:
    value = certificate.serial_number
    text = f"{value:X}"
    return text if len(text) % 2 == 0 else f"0{text}"


def to_pem(*certificates: x509.Certificate) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates)


def load_pem_list(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode()) if text.strip() else []


def person_name(certificate: x509.Certificate) -> str:
    """The signer as the certificate names them: «Фамилия Имя Отчество» from the surname
    and given name (Russian certificates split them so), else the common name."""
    subject = certificate.subject

    def first(oid) -> str:
        found = subject.get_attributes_for_oid(oid)
        return str(found[0].value).strip() if found else ""

    surname, given = first(NameOID.SURNAME), first(NameOID.GIVEN_NAME)
    if surname and given:
        return f"{surname} {given}"
    return first(NameOID.COMMON_NAME) or subject.rfc4514_string()


def title_of(certificate: x509.Certificate) -> str:
    found = certificate.subject.get_attributes_for_oid(NameOID.TITLE)
    return str(found[0].value).strip() if found else ""


def name_text(name: x509.Name) -> str:
    common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    organisation = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    parts = [str(a.value) for a in (*common, *organisation)]
    return ", ".join(dict.fromkeys(parts)) or name.rfc4514_string()
