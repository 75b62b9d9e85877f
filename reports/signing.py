"""PAdES signatures with pyHanko: signing a rendered PDF, and checking a PDF's signature.

Signing: the PDF was rendered with the visible stamp «Документ подписан электронной
подписью» already on its last page (``reports.rendering``: the product's fonts, Cyrillic),
so the signature field is put exactly over the stamp with an empty appearance of its own:
a viewer that shows signatures shows this one where the stamp is. The signature is
PAdES (ETSI.CAdES.detached, SHA-256); its level depends on what the chain allows:

* B-B — the signer's certificate and chain in the signature;
* B-LT — when a timestamp authority is configured (``SIGNING_TSA_URL``) and revocation
  data of the chain is at hand (the CRLs kept with the trusted roots, or fetched when
  ``SIGNING_FETCH_REVOCATION`` allows): a signature timestamp and the validation data
  in the document's DSS, so the signature can be checked after the certificate expires.

Checking: every signature of the file against the product's trusted roots (``TrustedRoot``),
without network access: valid (the mathematics), intact (the signed bytes are unchanged and
cover the whole file), trusted (the chain ends in a trusted root).
"""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from .certificates import CertificateError, decrypt_key, load_pem_list

logger = logging.getLogger(__name__)

FIELD_NAME = "Signature1"
KEY_USAGES = {"digital_signature", "non_repudiation"}


@dataclass(frozen=True)
class StampBox:
    """Where the visible stamp is: page index and the rectangle in PDF points (x1, y1,
    x2, y2, origin at the bottom left)."""

    page: int
    box: tuple[float, float, float, float]


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def trust_roots() -> tuple[list[asn1_x509.Certificate], list[bytes]]:
    """The product's trusted roots and the CRLs kept with them."""
    from .models import TrustedRoot

    roots, crls = [], []
    for root in TrustedRoot.objects.filter(is_active=True).order_by("pk"):
        roots.extend(_asn1(c) for c in load_pem_list(root.certificate_pem))
        if root.crl_pem.strip():
            try:
                crl = x509.load_pem_x509_crl(root.crl_pem.encode())
                crls.append(crl.public_bytes(serialization.Encoding.DER))
            except ValueError:
                logger.warning("Trusted root %s has an unreadable CRL", root.pk)
    return roots, crls


def validation_context(*, other_certs=(), for_signing: bool = False):
    from pyhanko_certvalidator import ValidationContext

    roots, crls = trust_roots()
    fetch = bool(getattr(settings, "SIGNING_FETCH_REVOCATION", False)) and for_signing
    return ValidationContext(
        trust_roots=roots,
        other_certs=list(other_certs),
        crls=crls,
        allow_fetching=fetch,
        revocation_mode="soft-fail",
    )


def chains_to_trusted_root(certificate: x509.Certificate, chain: list[x509.Certificate]) -> bool:
    """Whether the certificate's chain (with the given issuers) ends in a trusted root."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    context = validation_context(other_certs=[_asn1(c) for c in chain])
    validator = CertificateValidator(
        _asn1(certificate),
        intermediate_certs=[_asn1(c) for c in chain],
        validation_context=context,
    )
    try:
        asyncio.run(validator.async_validate_path())
    except (PathBuildingError, PathValidationError):
        return False
    return True


def signer_for(certificate_row):
    """A pyHanko signer from a stored certificate (the key decrypted in memory only)."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = decrypt_key(certificate_row.private_key, certificate_row.sha256, certificate_row.key_id)
    (certificate,) = load_pem_list(certificate_row.certificate_pem)
    chain = load_pem_list(certificate_row.chain_pem)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=_asn1(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
    ), [_asn1(c) for c in chain]


def _writer(data: bytes):
    """pyHanko's incremental writer over the rendered PDF, finding a page of a flat page
    tree by its index.

    pyHanko finds a page by walking the page tree and reading every page before it; each
    page it reads from WeasyPrint's single object stream it finds by scanning the stream's
    index from the start, so reaching the last page of a 150-page plan read ~150 × the
    index (0.6 s of the signature). WeasyPrint writes one /Pages node whose kids are the
    pages: the stamp's page is read alone. Any other tree goes pyHanko's way."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class Writer(IncrementalPdfFileWriter):
        def find_page_for_modification(self, page_ix):
            pages = self.root["/Pages"]
            kids = pages["/Kids"]
            count = pages["/Count"]
            if len(kids) == count and -count <= page_ix < count:
                ref = kids.raw_get(page_ix)
                page = ref.get_object() if isinstance(ref, generic.IndirectObject) else None
                if isinstance(page, generic.DictionaryObject) and page.get("/Type") == "/Page":
                    if "/Resources" in page:
                        return ref, page.raw_get("/Resources")
                    if "/Resources" in pages:
                        return ref, pages.raw_get("/Resources")
            return super().find_page_for_modification(page_ix)

    return Writer(io.BytesIO(data), strict=False)


def sign_pdf(
    data: bytes,
    certificate_row,
    stamp: StampBox,
    *,
    reason: str,
    location: str = "",
) -> tuple[bytes, str]:
    """Sign ``data`` with the certificate; returns the signed PDF and the PAdES level
    reached («B-B» or «B-LT»)."""
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import StaticStampStyle

    signer, chain = signer_for(certificate_row)
    (certificate,) = load_pem_list(certificate_row.certificate_pem)
    now = datetime.datetime.now(datetime.UTC)
    if not (certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc):
        raise CertificateError(
            "Сертификат организации сейчас недействителен (срок действия с "
            f"{certificate.not_valid_before_utc:%d.%m.%Y} по "
            f"{certificate.not_valid_after_utc:%d.%m.%Y}): подписать нельзя. "
            "Администратор загружает новый сертификат."
        )
    tsa_url = getattr(settings, "SIGNING_TSA_URL", "")
    timestamper = HTTPTimeStamper(tsa_url, timeout=20) if tsa_url else None
    context = validation_context(other_certs=chain, for_signing=True)
    _, crls = trust_roots()
    long_term = timestamper is not None and (
        bool(crls) or bool(getattr(settings, "SIGNING_FETCH_REVOCATION", False))
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
        name=certificate_row.signer_name,
        embed_validation_info=long_term,
        validation_context=context if long_term else None,
    )
    writer = _writer(data)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(FIELD_NAME, on_page=stamp.page, box=tuple(int(v) for v in stamp.box)),
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        # The stamp is part of the page; the field's own appearance is empty.
        stamp_style=StaticStampStyle(border_width=0),
    )
    output = pdf_signer.sign_pdf(writer)
    return output.getvalue(), "B-LT" if long_term else ("B-T" if timestamper else "B-B")


# --- Checking ---------------------------------------------------------------------------


@dataclass
class SignatureCheck:
    signed: bool = False
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signer_certificate_sha256: str = ""
    serial: str = ""
    signed_at: datetime.datetime | None = None
    problem: str = ""


def check_signature(data: bytes) -> SignatureCheck:
    """The last signature of the PDF (ours is the only one), checked against the trusted
    roots, offline. A file that is not a PDF gives ``problem``."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    result = SignatureCheck()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        result.problem = f"unreadable: {type(error).__name__}"
        return result
    if not signatures:
        return result
    result.signed = True
    embedded = signatures[-1]
    try:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=validation_context(),
            key_usage_settings=KeyUsageConstraints(
                key_usage=KEY_USAGES, match_all_key_usages=False
            ),
        )
    except Exception as error:  # a broken signature dictionary or CMS blob
        logger.info("Signature check failed: %r", error)
        result.problem = f"broken signature: {type(error).__name__}"
        return result
    certificate = status.signing_cert
    result.valid = bool(status.valid)
    result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.intact = bool(status.intact) and result.whole_file
    result.trusted = bool(status.trusted)
    if certificate is not None:
        names = certificate.subject.native
        result.signer = names.get("common_name") or certificate.subject.human_friendly
    if certificate is not None:
        result.signer_certificate_sha256 = certificate.sha256.hex()
        result.serial = f"{certificate.serial_number:X}"
    result.signed_at = status.signer_reported_dt
    return result
