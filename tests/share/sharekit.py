"""Test helpers for sharing: a filled casebook, a confirmed consent, and package surgery."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from safetrail.models.incident import IncidentDetails
from safetrail.services.casebook import Casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.share.age import decrypt_bytes, encrypt_bytes, new_identity
from safetrail.share.consent import confirm_fingerprint, create_consent
from safetrail.share.model import ConsentRecord, Scope
from safetrail.share.signing import consent_signing_key, sign_hex

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CHAT = SAMPLES / "whatsapp" / "android_24h_dmy.txt"
NOTE = "private: I moved to my sister's flat"
LETTER = b"You can't hide from me.\n"


@dataclass(frozen=True)
class Recipient:
    secret: str
    public: str


def recipient() -> Recipient:
    secret, public = new_identity()
    return Recipient(secret, public)


def fill(book: Casebook, folder: Path) -> None:
    """Evidence 1 (a letter), 2 (a photo), 3 (a WhatsApp chat with records); incidents 1-2."""
    letter = folder / "letter.txt"
    letter.write_bytes(LETTER)
    photo = folder / "car.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 4)
    add_file(book, letter)
    add_file(book, photo)
    ingest(book, CHAT, IngestOptions())
    for day, text in ((6, "He was outside my work"), (20, "He followed me home")):
        add_incident(
            book,
            IncidentDetails(
                occurred_start=datetime(2017, 3, day, 18, 40, tzinfo=UTC),
                what_happened=text,
                private_notes=NOTE,
            ),
        )


def consent(
    book: Casebook, to: Recipient, scope: Scope | None = None, confirm: bool = True
) -> ConsentRecord:
    made = create_consent(
        book,
        recipient_name="Paladin caseworker",
        recipient_key=to.public,
        purpose="Support and safety planning",
        scope=scope or Scope(everything=True, reports=frozenset({"chronology", "timeline"})),
        valid_from=datetime.now(UTC) - timedelta(minutes=5),
        valid_until=datetime.now(UTC) + timedelta(days=90),
    )
    if confirm:
        made = confirm_fingerprint(book, made.consent_id, made.recipient_fingerprint)
    return made


def inner_files(path: Path, to: Recipient) -> tuple[str, dict[str, bytes]]:
    """(top folder, {path inside the bag: bytes}) of a package."""
    plain = decrypt_bytes(path.read_bytes(), to.secret)
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        top = names[0].split("/")[0]
        return top, {n.split("/", 1)[1]: archive.read(n) for n in names}


def write_package(path: Path, to: Recipient, top: str, files: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(f"{top}/{name}", data)
    path.write_bytes(encrypt_bytes(buffer.getvalue(), to.public))


def _manifest(files: dict[str, bytes], names: list[str]) -> bytes:
    lines = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(names)]
    return "".join(lines).encode()


def reseal(files: dict[str, bytes], sign: Callable[[bytes], str]) -> None:
    """Recompute manifests, Payload-Oxum and the signature, as a forger with the key would."""
    payload = [n for n in files if n.startswith("data/")]
    files["manifest-sha256.txt"] = _manifest(files, payload)
    octets = sum(len(files[n]) for n in payload)
    info = [
        line
        for line in files["bag-info.txt"].decode().splitlines()
        if not line.startswith("Payload-Oxum")
    ]
    info.append(f"Payload-Oxum: {octets}.{len(payload)}")
    files["bag-info.txt"] = ("\n".join(info) + "\n").encode()
    files["tagmanifest-sha256.txt"] = _manifest(
        files, ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
    )
    files["signature-ed25519.txt"] = (sign(files["tagmanifest-sha256.txt"]) + "\n").encode()


def consent_signer(book: Casebook, made: ConsentRecord) -> Callable[[bytes], str]:
    key = consent_signing_key(book.master_key, made.uid)
    return lambda message: sign_hex(key, message)


def tamper(
    path: Path,
    to: Recipient,
    change: Callable[[dict[str, bytes]], None],
    sign: Callable[[bytes], str] | None = None,
) -> Path:
    """A copy of the package with `change` applied inside (resealed if `sign` is given)."""
    top, files = inner_files(path, to)
    change(files)
    if sign is not None:
        reseal(files, sign)
    changed = path.with_name(f"tampered-{path.name}")
    write_package(changed, to, top, files)
    return changed
