"""Creating and updating cases from share packages, and applying revocation notices.

Nothing is stored until `open_package` has checked the whole package (decryption, every hash,
the signature, the custody chain, the consent and the sequence). A package that fails is
rejected whole, and the rejection is audited. The originals go into the server's encrypted
blob store; the rest into the case tables, in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError

from safetrail.models.jsonvalue import JsonObject, canonical_json
from safetrail.models.timeutil import from_iso, utc_key
from safetrail.server import audit, clock
from safetrail.server.access import AccessDenied, Action, CaseGrant, Principal, authorize_server
from safetrail.server.accounts import age_identity
from safetrail.server.keys import ServerKeys
from safetrail.server.schema import (
    case_assignments,
    case_consents,
    case_custody,
    case_evidence,
    case_incidents,
    case_packages,
    case_records,
    case_reports,
    case_safety,
    cases,
)
from safetrail.share.model import PackageMarker, PackageRejected
from safetrail.share.package import OpenedPackage, open_notice, open_package
from safetrail.vault.blobstore import BlobStore

MEDIA_TYPES = {".csv": "text/csv", ".jsonl": "application/jsonl", ".json": "application/json"}


@dataclass(frozen=True, slots=True)
class ImportResult:
    case_id: int
    created: bool
    incidents: int
    records: int
    evidence: int
    withdrawn: int


class ImportRefused(Exception):
    """The package cannot be used; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _last_marker(conn: Connection, case_id: int) -> PackageMarker | None:
    row = conn.execute(
        select(case_packages.c.marker)
        .where(case_packages.c.case_id == case_id)
        .where(case_packages.c.kind == "package")
        .order_by(case_packages.c.sequence.desc())
        .limit(1)
    ).first()
    return PackageMarker.from_json(json.loads(row.marker)) if row else None


def find_case(conn: Connection, casebook_id: str, consent_uid: str) -> int | None:
    row = conn.execute(
        select(cases.c.id)
        .where(cases.c.casebook_id == casebook_id)
        .where(cases.c.consent_uid == consent_uid)
    ).first()
    return int(row.id) if row else None


def _opened(engine: Engine, keys: ServerKeys, principal: Principal, path: Path) -> OpenedPackage:
    with engine.connect() as conn:
        identity = str(age_identity(conn, keys, principal.account.id))

    def last_received(casebook_id: str, consent_uid: str) -> PackageMarker | None:
        with engine.connect() as conn:
            case_id = find_case(conn, casebook_id, consent_uid)
            return None if case_id is None else _last_marker(conn, case_id)

    return open_package(path, identity, last_received=last_received)


def _store_files(opened: OpenedPackage, blobs: BlobStore) -> dict[str, str]:
    """Put every original and report in the blob store; their blob names by SHA-256."""
    names: dict[str, str] = {}
    for entry in opened.evidence:
        if entry.payload is not None and entry.sha256 is not None:
            names[entry.sha256] = blobs.put_bytes(
                opened.read_original(entry.evidence_id), sync=False
            ).name
    for report in opened.reports:
        names[report.sha256] = blobs.put_bytes(opened.read_report(report.name), sync=False).name
    blobs.sync(set(names.values()))
    return names


def _upsert(
    conn: Connection, table: object, key: dict[str, object], values: dict[str, object]
) -> None:
    from sqlalchemy import Table

    assert isinstance(table, Table)
    condition = [table.c[name] == value for name, value in key.items()]
    done = conn.execute(update(table).where(*condition).values(**values))
    if not done.rowcount:
        conn.execute(table.insert().values(**key, **values))


def _occurred_key(text: object) -> str | None:
    return utc_key(from_iso(text)) if isinstance(text, str) and text else None


def _store_items(
    conn: Connection, case_id: int, opened: OpenedPackage, names: dict[str, str]
) -> None:
    for incident in opened.incidents:
        item_id, version = incident["id"], incident.get("version", 1)
        assert isinstance(item_id, int) and isinstance(version, int)
        occurred = _occurred_key(incident.get("occurred_start")) or ""
        _upsert(
            conn,
            case_incidents,
            {"case_id": case_id, "item_id": item_id},
            {
                "version": version,
                "removed": False,
                "occurred_utc": occurred,
                "data": canonical_json(incident),
            },
        )
    for record in opened.records:
        item_id, evidence_id = record["id"], record["evidence_id"]
        assert isinstance(item_id, int) and isinstance(evidence_id, int)
        _upsert(
            conn,
            case_records,
            {"case_id": case_id, "item_id": item_id},
            {
                "evidence_id": evidence_id,
                "removed": False,
                "occurred_utc": _occurred_key(record.get("occurred_at")),
                "data": canonical_json(record),
            },
        )
    for entry in opened.evidence:
        version = entry.data.get("version", 1)
        _upsert(
            conn,
            case_evidence,
            {"case_id": case_id, "item_id": entry.evidence_id},
            {
                "version": version if isinstance(version, int) else 1,
                "removed": False,
                "exhibit_ref": entry.exhibit_ref,
                "filename": entry.original_filename,
                "sha256": entry.sha256,
                "size": entry.size,
                "blob_name": names.get(entry.sha256 or ""),
                "data": canonical_json(entry.data),
            },
        )
    for report in opened.reports:
        suffix = Path(report.filename).suffix.lower()
        _upsert(
            conn,
            case_reports,
            {"case_id": case_id, "name": report.name},
            {
                "filename": Path(report.filename).name,
                "media_type": report.media_type
                or MEDIA_TYPES.get(suffix, "application/octet-stream"),
                "sha256": report.sha256,
                "size": len(opened.read_report(report.name)),
                "blob_name": names[report.sha256],
            },
        )
    _withdraw(conn, case_id, opened)
    _store_safety(conn, case_id, opened)


def _store_safety(conn: Connection, case_id: int, opened: OpenedPackage) -> None:
    """The safety plan arrives whole when it changed: what is not in it any more is hidden."""
    if opened.withdrawn_safety or opened.safety is not None:
        conn.execute(
            update(case_safety).where(case_safety.c.case_id == case_id).values(removed=True)
        )
    if opened.safety is None:
        return
    for kind, items in opened.safety.items():
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                continue
            version = item.get("version")
            _upsert(
                conn,
                case_safety,
                {"case_id": case_id, "kind": kind, "item_id": item["id"]},
                {
                    "version": version if isinstance(version, int) else 1,
                    "removed": False,
                    "data": canonical_json(item),
                },
            )


def _withdraw(conn: Connection, case_id: int, opened: OpenedPackage) -> None:
    if opened.withdrawn_incidents:
        conn.execute(
            update(case_incidents)
            .where(case_incidents.c.case_id == case_id)
            .where(case_incidents.c.item_id.in_(opened.withdrawn_incidents))
            .values(removed=True)
        )
    if opened.withdrawn_evidence:
        for table in (case_evidence, case_records):
            column = table.c.item_id if table is case_evidence else table.c.evidence_id
            conn.execute(
                update(table)
                .where(table.c.case_id == case_id)
                .where(column.in_(opened.withdrawn_evidence))
                .values(removed=True)
            )


def _store_consent_and_custody(conn: Connection, case_id: int, opened: OpenedPackage) -> bool:
    """Keep the consent's latest version and any custody entries not yet held. True if the
    consent changed."""
    consent = opened.consent
    before = conn.execute(
        select(case_consents.c.version)
        .where(case_consents.c.case_id == case_id)
        .where(case_consents.c.consent_id == consent.consent_id)
    ).scalar_one_or_none()
    _upsert(
        conn,
        case_consents,
        {"case_id": case_id, "consent_id": consent.consent_id},
        {
            "version": consent.version,
            "uid": consent.uid,
            "valid_from": utc_key(consent.valid_from),
            "valid_until": None if consent.valid_until is None else utc_key(consent.valid_until),
            "revoked_at": None if consent.revoked_at is None else utc_key(consent.revoked_at),
            "data": canonical_json(consent.data),
        },
    )
    held = int(
        conn.execute(
            select(case_custody.c.seq)
            .where(case_custody.c.case_id == case_id)
            .order_by(case_custody.c.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
        or 0
    )
    fresh = [entry for entry in opened.custody_log if entry.seq > held]
    if fresh:
        conn.execute(
            case_custody.insert(),
            [
                {
                    "case_id": case_id,
                    "seq": e.seq,
                    "at": e.at,
                    "action": e.action,
                    "kind": e.kind,
                    "entity_id": e.entity_id,
                    "version": e.version,
                    "details": canonical_json(e.details),
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                }
                for e in fresh
            ],
        )
    return before != consent.version


def _record_package(
    conn: Connection, case_id: int, opened: OpenedPackage, principal: Principal
) -> None:
    marker = opened.marker
    conn.execute(
        case_packages.insert().values(
            case_id=case_id,
            package_id=marker.package_id,
            sequence=marker.sequence,
            kind="package",
            sha256=marker.sha256,
            marker=canonical_json(marker.to_json()),
            received_at=clock.stamp(clock.now()),
            received_by=principal.account.id,
        )
    )


def _new_case(conn: Connection, opened: OpenedPackage, principal: Principal) -> int:
    moment = clock.stamp(clock.now())
    case_id = conn.execute(
        cases.insert()
        .values(
            casebook_id=opened.casebook_id,
            consent_uid=opened.marker.consent_uid,
            label=(opened.consent.case_label or "").strip()[:80]
            or f"Shared by casebook {opened.casebook_id[:8]}",
            created_at=moment,
            created_by=principal.account.id,
            updated_at=moment,
            next_review=None,
        )
        .returning(cases.c.id)
    ).scalar_one()
    conn.execute(
        case_assignments.insert().values(
            case_id=case_id,
            account_id=principal.account.id,
            assigned_by=principal.account.id,
            assigned_at=moment,
        )
    )
    return int(case_id)


def _is_assigned(conn: Connection, case_id: int, account_id: int) -> bool:
    return (
        conn.execute(
            select(case_assignments.c.case_id)
            .where(case_assignments.c.case_id == case_id)
            .where(case_assignments.c.account_id == account_id)
        ).first()
        is not None
    )


def _summary(opened: OpenedPackage) -> JsonObject:
    return {
        "package": opened.marker.package_id,
        "sequence": opened.sequence,
        "incidents": len(opened.incidents),
        "records": len(opened.records),
        "evidence": len(opened.evidence),
        "reports": [r.name for r in opened.reports],
        "withdrawn_incidents": list(opened.withdrawn_incidents),
        "withdrawn_evidence": list(opened.withdrawn_evidence),
        "safety_plan": opened.safety is not None,
        "withdrawn_safety": opened.withdrawn_safety,
        "custody_head": opened.custody_head,
    }


def import_package(
    engine: Engine, keys: ServerKeys, blobs: BlobStore, principal: Principal, path: Path
) -> ImportResult:
    """Open, check and store a first package or an update. ImportRefused if it fails."""
    authorize_server(engine, principal, Action.IMPORT_PACKAGE)
    received_sha = file_sha256(path)
    try:
        opened = _opened(engine, keys, principal, path)
    except PackageRejected as exc:
        audit.record(
            engine,
            audit.SERVER_CHAIN,
            principal.actor,
            "package rejected",
            outcome="failed",
            details={"reason": exc.reason, "sha256": received_sha},
        )
        raise ImportRefused(exc.reason) from exc
    with engine.connect() as conn:
        _refuse_if_not_assigned(conn, engine, opened, principal)
    names = _store_files(opened, blobs)
    try:
        with engine.begin() as conn:
            return _apply(conn, engine, opened, names, principal)
    except IntegrityError as exc:
        raise ImportRefused(
            "this package was imported already, or another import of it is under way"
        ) from exc


def _refuse_if_not_assigned(
    conn: Connection, engine: Engine, opened: OpenedPackage, principal: Principal
) -> int | None:
    """The case this package updates (None for a new one); AccessDenied, audited, if the
    importer is not assigned to it. Checked before any file is stored, and again inside the
    transaction that stores the rest."""
    existing = find_case(conn, opened.casebook_id, opened.marker.consent_uid)
    if existing is not None and not _is_assigned(conn, existing, principal.account.id):
        audit.record(
            engine,
            audit.case_chain(existing),
            principal.actor,
            str(Action.IMPORT_PACKAGE),
            outcome="denied",
            case_id=existing,
            details={"reason": "not assigned to this case", "role": principal.role.value},
        )
        raise AccessDenied("not assigned to this case")
    return existing


def _apply(
    conn: Connection,
    engine: Engine,
    opened: OpenedPackage,
    names: dict[str, str],
    principal: Principal,
) -> ImportResult:
    existing = _refuse_if_not_assigned(conn, engine, opened, principal)
    created = existing is None
    case_id = _new_case(conn, opened, principal) if existing is None else existing
    _store_items(conn, case_id, opened, names)
    consent_changed = _store_consent_and_custody(conn, case_id, opened)
    _record_package(conn, case_id, opened, principal)
    conn.execute(
        update(cases).where(cases.c.id == case_id).values(updated_at=clock.stamp(clock.now()))
    )
    chain = audit.case_chain(case_id)
    action = "case created from a share package" if created else "update package applied"
    audit.append(conn, chain, principal.actor, action, case_id=case_id, details=_summary(opened))
    if created:
        audit.append(
            conn, chain, principal.actor, "case assigned", case_id=case_id,
            details={"account": principal.account.username, "role": principal.role.value},
        )  # fmt: skip
    if consent_changed:
        audit.append(
            conn, chain, principal.actor, "consent received", case_id=case_id,
            details={"consent": opened.consent.uid, "version": opened.consent.version,
                     "scope": opened.consent.scope.to_json()},
        )  # fmt: skip
    return ImportResult(
        case_id=case_id,
        created=created,
        incidents=len(opened.incidents),
        records=len(opened.records),
        evidence=len(opened.evidence),
        withdrawn=len(opened.withdrawn_incidents) + len(opened.withdrawn_evidence),
    )


def apply_revocation(engine: Engine, keys: ServerKeys, grant: CaseGrant, path: Path) -> None:
    """Check a revocation notice against the case's consent key and withdraw the consent."""
    principal = grant.principal
    sha = file_sha256(path)
    with engine.connect() as conn:
        marker = _last_marker(conn, grant.case_id)
        identity = str(age_identity(conn, keys, principal.account.id))
        case = conn.execute(select(cases).where(cases.c.id == grant.case_id)).one()
    chain = audit.case_chain(grant.case_id)
    try:
        if marker is None:
            raise PackageRejected("this case has no package to check the notice against")
        notice = open_notice(path, identity, marker.notice_public_key)
        if notice.casebook_id != case.casebook_id or notice.consent_uid != case.consent_uid:
            raise PackageRejected("this notice is about another person's consent")
    except PackageRejected as exc:
        audit.record(
            engine, chain, principal.actor, "revocation notice rejected", outcome="failed",
            case_id=grant.case_id, details={"reason": exc.reason, "sha256": sha},
        )  # fmt: skip
        raise ImportRefused(exc.reason) from exc
    with engine.begin() as conn:
        conn.execute(
            update(case_consents)
            .where(case_consents.c.case_id == grant.case_id)
            .where(case_consents.c.uid == notice.consent_uid)
            .values(revoked_at=utc_key(notice.revoked_at))
        )
        conn.execute(
            case_packages.insert().values(
                case_id=grant.case_id,
                package_id=f"revocation:{notice.consent_uid}:{notice.consent_version}",
                sequence=0,
                kind="revocation",
                sha256=sha,
                marker=canonical_json(notice.to_json()),
                received_at=clock.stamp(clock.now()),
                received_by=principal.account.id,
            )
        )
        audit.append(
            conn, chain, principal.actor, "consent revoked", case_id=grant.case_id,
            details={"consent": notice.consent_uid, "revoked_at": notice.revoked_at.isoformat(),
                     "reason": notice.reason},
        )  # fmt: skip
