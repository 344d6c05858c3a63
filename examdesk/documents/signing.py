"""Statements signed by the board's key (PAdES baseline B, with pyHanko), and their signature checked again.

The key and its certificate come from settings, as PEM: EXAMDESK_SIGNING_KEY / EXAMDESK_SIGNING_CERT (the PEM
text itself, e.g. from a secret store through the environment) or else EXAMDESK_SIGNING_KEY_FILE /
EXAMDESK_SIGNING_CERT_FILE (paths; by default var/signing/board-key.pem and var/signing/board-cert.pem, where
`examdesk demo` makes a self-signed pair on its first run), with EXAMDESK_SIGNING_KEY_PASSWORD when the key is
encrypted. Without a key, statements are issued unsigned and say so; `check` still answers.

A viewer shows who signed (the certificate's name) and that nothing changed since. `check` validates a file
against the board's own certificate as the trust anchor: the signature must be intact, made by that certificate,
and cover the whole file (nothing appended after signing).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext_noop
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

FIELD = "BoardSignature"
REASON = "Issued by the exam board: the results as they were released"


T = TypeVar("T")


def outside_event_loop(work: Callable[[], T]) -> T:
    """Run `work` here, or in a thread of its own when this thread runs an event loop: pyHanko's synchronous
    calls start one of their own (asyncio.run), which a running loop refuses."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


class SigningKeyError(RuntimeError):
    """The configured key or certificate cannot be read, or they do not belong together."""


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    cert_pem: bytes
    password: bytes | None = None


def configured_pair() -> KeyPair | None:
    """The board's key and certificate as the settings give them, or None when no key is configured."""
    key = str(getattr(settings, "EXAMDESK_SIGNING_KEY", "") or "")
    cert = str(getattr(settings, "EXAMDESK_SIGNING_CERT", "") or "")
    password = str(getattr(settings, "EXAMDESK_SIGNING_KEY_PASSWORD", "") or "").encode() or None
    if key or cert:
        if not (key and cert):
            raise SigningKeyError("Set both EXAMDESK_SIGNING_KEY and EXAMDESK_SIGNING_CERT, or neither.")
        return KeyPair(key.encode(), cert.encode(), password)
    key_file, cert_file = signing_files()
    if not key_file.exists():
        return None
    if not cert_file.exists():
        raise SigningKeyError(f"The signing key {key_file} has no certificate at {cert_file}.")
    return KeyPair(key_file.read_bytes(), cert_file.read_bytes(), password)


def signing_files() -> tuple[Path, Path]:
    var = Path(settings.VAR_DIR) if hasattr(settings, "VAR_DIR") else Path("var")
    key = getattr(settings, "EXAMDESK_SIGNING_KEY_FILE", "") or var / "signing" / "board-key.pem"
    cert = getattr(settings, "EXAMDESK_SIGNING_CERT_FILE", "") or var / "signing" / "board-cert.pem"
    return Path(key), Path(cert)


class BoardSigner:
    """Signs PDFs with one key pair (the pyHanko signer is built once)."""

    def __init__(self, pair: KeyPair) -> None:
        try:
            key = serialization.load_pem_private_key(pair.key_pem, password=pair.password)
            cert = x509.load_pem_x509_certificate(pair.cert_pem)
        except (ValueError, TypeError) as error:
            raise SigningKeyError(f"The board's signing key or certificate cannot be read: {error}") from error
        public = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if key.public_key().public_bytes(*public) != cert.public_key().public_bytes(*public):
            raise SigningKeyError("The board's signing certificate is not the signing key's.")
        der_key = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.certificate = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
        self.name = str(self.certificate.subject.native.get("common_name", ""))
        signer = signers.SimpleSigner(
            signing_cert=self.certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([self.certificate]),  # type: ignore[no-untyped-call]
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256", reason=REASON
        )
        self._pdf_signer = signers.PdfSigner(metadata, signer=signer)

    def sign(self, pdf: bytes) -> bytes:
        """`pdf` with the board's signature appended (an incremental update: the signed bytes are unchanged)."""

        def sign() -> bytes:
            out = io.BytesIO()
            self._pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out)
            return out.getvalue()

        return outside_event_loop(sign)


@functools.lru_cache(maxsize=4)
def _signer_for(pair: KeyPair) -> BoardSigner:
    return BoardSigner(pair)


def board_signer() -> BoardSigner | None:
    """The board's signer, or None when no key is configured (statements are then issued unsigned)."""
    pair = configured_pair()
    return _signer_for(pair) if pair is not None else None


def board_certificate() -> asn1_x509.Certificate | None:
    signer = board_signer()
    return signer.certificate if signer is not None else None


# --- Checking ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # the file carries a signature at all
    valid: bool  # intact, by the board's certificate, covering the whole file
    signer: str = ""  # the signing certificate's name, when there is a signature
    problem: str = ""  # why it is not valid, in a sentence


NOT_SIGNED = gettext_noop("The file carries no signature.")
NOT_INTACT = gettext_noop("The file was changed after it was signed.")
NOT_BOARD = gettext_noop("The file was signed, but not with the board's key.")
NOT_WHOLE = gettext_noop("Something was added to the file after it was signed.")
NO_BOARD_KEY = gettext_noop("The board has no signing key configured, so no signature can be checked.")
UNREADABLE = gettext_noop("The file cannot be read as a PDF.")


def check(pdf: bytes) -> SignatureCheck:
    """Whether `pdf` carries the board's signature, intact and over the whole file."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # noqa: BLE001 (any parse failure means the same to the person who uploaded it)
        return SignatureCheck(signed=False, valid=False, problem=UNREADABLE)
    if not embedded:
        return SignatureCheck(signed=False, valid=False, problem=NOT_SIGNED)
    signature = embedded[-1]
    try:
        name = str(signature.signer_cert.subject.native.get("common_name", ""))
    except Exception:  # noqa: BLE001
        name = ""
    board = board_certificate()
    if board is None:
        return SignatureCheck(signed=True, valid=False, signer=name, problem=NO_BOARD_KEY)
    try:
        status = outside_event_loop(
            lambda: validate_pdf_signature(signature, ValidationContext(trust_roots=[board], allow_fetching=False))
        )
    except Exception:  # noqa: BLE001 (a mangled signature dictionary or CMS)
        return SignatureCheck(signed=True, valid=False, signer=name, problem=NOT_INTACT)
    if not status.intact or not status.valid:
        return SignatureCheck(signed=True, valid=False, signer=name, problem=NOT_INTACT)
    if signature.signer_cert.dump() != board.dump() or not status.trusted:
        return SignatureCheck(signed=True, valid=False, signer=name, problem=NOT_BOARD)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SignatureCheck(signed=True, valid=False, signer=name, problem=NOT_WHOLE)
    return SignatureCheck(signed=True, valid=True, signer=name)


# --- A board key of its own for the demo -------------------------------------------------------------------------


def self_signed_pair(board_name: str, *, days: int = 3650) -> KeyPair:
    """A new P-256 key and a self-signed certificate naming the board (for the demo and the tests)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, board_name), x509.NameAttribute(NameOID.ORGANIZATION_NAME, board_name)]
    )
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        cert.public_bytes(serialization.Encoding.PEM),
    )


def demo_key_ensure(board_name: str) -> Path | None:
    """Make the demo board's key pair in the signing files unless a key is configured; returns the key file made."""
    if configured_pair() is not None:
        return None
    key_file, cert_file = signing_files()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    pair = self_signed_pair(board_name)
    cert_file.write_bytes(pair.cert_pem)
    key_file.touch(mode=0o600)
    key_file.write_bytes(pair.key_pem)
    return key_file
