"""Making a share package on the person's computer (see `package.create_package`)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from safetrail.export.bundle import BundleSelection, stage_bag, zip_bag
from safetrail.export.chronology import write_chronology_csv
from safetrail.export.selection import Selection
from safetrail.export.timesketch import write_timesketch_jsonl
from safetrail.models.jsonvalue import JsonObject, JsonValue, canonical_json
from safetrail.models.timeutil import to_iso
from safetrail.services import entities, simple_entities
from safetrail.services.casebook import Casebook
from safetrail.services.errors import InvalidInput, SafetrailError
from safetrail.services.evidence import list_evidence
from safetrail.services.incidents import list_incidents
from safetrail.services.record_query import RecordConditions, conditions_for
from safetrail.share.age import encrypt_stream
from safetrail.share.consent import (
    EMPTY_STATE,
    SentState,
    get_consent,
    last_package,
    record_package,
)
from safetrail.share.model import (
    FORMAT_VERSION,
    PACKAGE_FORMAT,
    ConsentRecord,
    PackageMarker,
    PackageSummary,
    Scope,
    json_list,
)
from safetrail.share.signing import consent_signing_key, sign_hex
from safetrail.storage import repository
from safetrail.storage.schema import records
from safetrail.vault.atomic import atomic_output

CONSENT_FILE = "share/consent.json"
HEADER_FILE = "share/package.json"
SAFETY_FILE = "share/safety.json"
SAFETY_KINDS: tuple[entities.Kind, ...] = (
    "plan_item",
    "risk_answer",
    "risk_review",
    "order",
    "police_contact",
)
SIGNATURE_FILE = "signature-ed25519.txt"
SIGNED_FILE = "tagmanifest-sha256.txt"
DESCRIPTION = (
    "Safetrail share package: what the person consented to share with one named recipient, "
    "with the consent record and the hash-chained custody log."
)
V = TypeVar("V")
REPORT_FILES: dict[str, tuple[str, str]] = {
    "chronology": ("reports/chronology.csv", "text/csv"),
    "timeline": ("reports/timeline.jsonl", "application/x-ndjson"),
}


@dataclass(frozen=True, slots=True)
class Plan:
    """What this package holds (`send_*`) and what the consent now covers (`state`)."""

    state: SentState
    send_incidents: frozenset[int]
    send_evidence: frozenset[int]
    send_record_groups: frozenset[int]
    records: int
    send_reports: dict[str, bytes]
    withdrawn_incidents: tuple[int, ...]
    withdrawn_evidence: tuple[int, ...]
    send_safety: bytes | None
    withdrawn_safety: bool


def safety_json(book: Casebook) -> bytes:
    """The safety plan's steps, risk answers and reviews, court orders and police contacts, as
    stored (current versions, removed ones left out). Trusted contacts are never included."""
    content: JsonObject = {
        kind: [
            {"id": item.id, "version": item.version, **item.data}
            for item in simple_entities.current(book, kind)
        ]
        for kind in SAFETY_KINDS
    }
    return canonical_json(content).encode("utf-8")


def _record_digests(
    book: Casebook, scope: Scope, evidence: set[int]
) -> tuple[dict[int, str], dict[int, int]]:
    """Per exhibit, a SHA-256 over its records in scope and how many there are.

    Importers' output never changes once stored (`verify` checks it), so only a record's id
    and the person's corrections (who sent it, which side is theirs) go into the digest: a new
    record or a correction shows as a new digest, and the exhibit's records are sent again.
    """
    digests = {evidence_id: hashlib.sha256() for evidence_id in evidence}
    counts = dict.fromkeys(evidence, 0)
    wanted = RecordConditions(start=scope.start, end=scope.end)
    query = select(
        records.c.evidence_id, records.c.id, records.c.subject_id, records.c.direction_set
    ).order_by(records.c.id)
    with book.read() as conn:
        conditions = conditions_for(conn, wanted) or []
        for row in conn.execute(query.where(*conditions)):
            digest = digests.get(int(row.evidence_id))
            if digest is None:
                continue
            digest.update(f"{row.id},{row.subject_id},{row.direction_set}\n".encode())
            counts[int(row.evidence_id)] += 1
    return {key: digest.hexdigest() for key, digest in digests.items()}, counts


def _reports(book: Casebook, scope: Scope, staging: Path) -> dict[str, bytes]:
    selection = Selection(
        start=scope.start, end=scope.end, include_private_notes=scope.include_private_notes
    )
    made: dict[str, bytes] = {}
    for name in sorted(scope.reports):
        target = staging / f"report-{name}"
        if name == "chronology":
            write_chronology_csv(book, target, selection)
        else:
            write_timesketch_jsonl(book, target, selection)
        made[name] = target.read_bytes()
        target.unlink()
    return made


def _changed(current: Mapping[int, V], sent: Mapping[int, V]) -> frozenset[int]:
    return frozenset(key for key, value in current.items() if sent.get(key) != value)


def plan_package(
    book: Casebook, scope: Scope, sent: SentState, staging: Path | None = None
) -> Plan:
    """Everything in scope now, and what of it is new or changed since `sent`. Reports are
    made (in `staging`, a private folder) only when `staging` is given."""
    incidents = {
        i.id: i.version
        for i in list_incidents(book)
        if (scope.everything or i.id in scope.incident_ids)
        and scope.covers_time(i.details.occurred_start)
    }
    evidence = {
        e.id: e.version
        for e in list_evidence(book)
        if scope.everything or e.id in scope.evidence_ids
    }
    groups, counts = _record_digests(book, scope, set(evidence))
    reports = _reports(book, scope, staging) if staging is not None else {}
    report_hashes = {name: hashlib.sha256(data).hexdigest() for name, data in reports.items()}
    notes_changed = sent is not EMPTY_STATE and (
        sent.include_private_notes != scope.include_private_notes
    )
    send_incidents = frozenset(incidents) if notes_changed else _changed(incidents, sent.incidents)
    send_groups = _changed(groups, sent.record_groups)
    safety = safety_json(book) if scope.safety_plan else None
    safety_hash = hashlib.sha256(safety).hexdigest() if safety is not None else None
    return Plan(
        state=SentState(
            incidents, evidence, groups, report_hashes, scope.include_private_notes, safety_hash
        ),
        send_incidents=send_incidents,
        send_evidence=_changed(evidence, sent.evidence),
        send_record_groups=send_groups,
        records=sum(counts[group] for group in send_groups),
        send_reports={n: d for n, d in reports.items() if sent.reports.get(n) != report_hashes[n]},
        withdrawn_incidents=tuple(sorted(set(sent.incidents) - set(incidents))),
        withdrawn_evidence=tuple(sorted(set(sent.evidence) - set(evidence))),
        send_safety=safety if safety_hash != sent.safety else None,
        withdrawn_safety=sent.safety is not None and safety is None,
    )


def _check_can_share(consent: ConsentRecord) -> None:
    if consent.revoked:
        raise SafetrailError("This consent was revoked, so nothing more can be shared under it.")
    now = repository.now_utc()
    if now < consent.valid_from:
        raise SafetrailError(f"This consent starts on {consent.valid_from:%d %B %Y}.")
    if consent.valid_until is not None and now >= consent.valid_until:
        raise SafetrailError(
            "This consent has ended. If you want to share again, make a new consent."
        )
    if consent.fingerprint_confirmed_at is None:
        raise InvalidInput(
            "Please check the recipient's key first: compare its fingerprint with them by "
            "phone or in person, then confirm it (safetrail share fingerprint --confirm)."
        )


def _header(
    consent: ConsentRecord,
    plan: Plan,
    package_id: str,
    sequence: int,
    previous: PackageMarker | None,
    head: str,
    records: int,
) -> JsonObject:
    reports: list[JsonValue] = [
        {
            "name": name,
            "filename": f"data/{REPORT_FILES[name][0]}",
            "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": REPORT_FILES[name][1],
        }
        for name, data in sorted(plan.send_reports.items())
    ]
    return {
        "format": PACKAGE_FORMAT,
        "format_version": FORMAT_VERSION,
        "package_id": package_id,
        "casebook_id": consent.casebook_id,
        "consent_id": consent.consent_id,
        "consent_uid": consent.uid,
        "consent_version": consent.version,
        "sequence": sequence,
        "previous_package_id": previous.package_id if previous else None,
        "previous_sha256": previous.sha256 if previous else None,
        "created_at": to_iso(repository.now_utc()),
        "custody_head": head,
        "notice_public_key": consent.notice_public_key,
        "contents": {
            "incidents": json_list(sorted(plan.send_incidents)),
            "evidence": json_list(sorted(plan.send_evidence)),
            "record_groups": json_list(sorted(plan.send_record_groups)),
            "records": records,
            "reports": reports,
            "safety": None
            if plan.send_safety is None
            else {
                "filename": f"data/{SAFETY_FILE}",
                "sha256": hashlib.sha256(plan.send_safety).hexdigest(),
            },
        },
        "withdrawn": {
            "incidents": json_list(list(plan.withdrawn_incidents)),
            "evidence": json_list(list(plan.withdrawn_evidence)),
            "safety": plan.withdrawn_safety,
        },
    }


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_encrypted(
    book: Casebook,
    consent: ConsentRecord,
    plan: Plan,
    staging: Path,
    out: Path,
    header: JsonObject,
) -> None:
    scope = consent.scope
    selection = BundleSelection(
        start=scope.start,
        end=scope.end,
        include_private_notes=scope.include_private_notes,
        incident_ids=plan.send_incidents,
        evidence_ids=plan.send_evidence,
        record_evidence_ids=plan.send_record_groups,
    )
    extra = {
        CONSENT_FILE: canonical_json(consent.data).encode("utf-8"),
        HEADER_FILE: canonical_json(header).encode("utf-8"),
        **{REPORT_FILES[name][0]: data for name, data in plan.send_reports.items()},
        **({SAFETY_FILE: plan.send_safety} if plan.send_safety is not None else {}),
    }
    top = f"safetrail-share-{header['sequence']}"
    bag_dir = staging / top
    bag_dir.mkdir(mode=0o700)
    stage_bag(
        book, bag_dir, selection, extra_files=extra, description=DESCRIPTION, with_report=False
    )
    key = consent_signing_key(book.master_key, consent.uid)
    signature = sign_hex(key, (bag_dir / SIGNED_FILE).read_bytes())
    (bag_dir / SIGNATURE_FILE).write_text(signature + "\n", encoding="ascii")
    inner = staging / "package.zip"
    zip_bag(bag_dir, inner, top)
    with inner.open("rb") as source, atomic_output(out) as sink:
        encrypt_stream(source, sink, consent.recipient_key)


def build_package(
    book: Casebook, consent_id: int, out: Path, *, previous: PackageMarker | None
) -> PackageSummary:
    consent = get_consent(book, consent_id)
    _check_can_share(consent)
    last = last_package(book, consent_id)
    if (last.marker if last else None) != previous:
        raise SafetrailError(
            "The package this one should follow is not the last one made for this consent."
        )
    sequence = 1 if previous is None else previous.sequence + 1
    package_id = str(uuid.uuid4())
    staging = Path(tempfile.mkdtemp(prefix=".safetrail-share-", dir=out.parent))
    staging.chmod(0o700)
    try:
        plan = plan_package(book, consent.scope, last.sent if last else EMPTY_STATE, staging)
        with book.read() as conn:
            head = repository.last_head(conn).hash
        records = plan.records
        header = _header(consent, plan, package_id, sequence, previous, head, records)
        _write_encrypted(book, consent, plan, staging, out, header)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    marker = PackageMarker(
        package_id=package_id,
        sha256=_sha256_file(out),
        sequence=sequence,
        casebook_id=consent.casebook_id,
        consent_uid=consent.uid,
        notice_public_key=consent.notice_public_key,
        custody_head=head,
    )
    counts: JsonObject = {
        "incidents": len(plan.send_incidents),
        "evidence": len(plan.send_evidence),
        "records": records,
        "reports": json_list(sorted(plan.send_reports)),
        "safety": plan.send_safety is not None,
    }
    record_package(
        book, consent, marker, previous.package_id if previous else None, plan.state, counts
    )
    return PackageSummary(
        path=out,
        marker=marker,
        consent_id=consent.consent_id,
        recipient_name=consent.recipient_name,
        recipient_key=consent.recipient_key,
        incidents=len(plan.send_incidents),
        evidence=len(plan.send_evidence),
        records=records,
        reports=tuple(sorted(plan.send_reports)),
        withdrawn_incidents=plan.withdrawn_incidents,
        withdrawn_evidence=plan.withdrawn_evidence,
        safety=plan.send_safety is not None,
    )
