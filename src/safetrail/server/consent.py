"""The person's current consent for a case, checked on every request.

The latest consent version received decides what anyone on the server may see: only while it
is in force (not revoked, inside its period), and only what its scope covers. A narrower scope
in an update, an end date that has passed or a revocation notice takes effect on the very next
request, because nothing is cached.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, select

from safetrail.models.timeutil import from_iso
from safetrail.server import clock
from safetrail.server.schema import case_consents
from safetrail.share.model import ConsentRecord


@dataclass(frozen=True, slots=True)
class CurrentConsent:
    """The consent as it applies to one viewer: `police` is True for a police liaison, who
    sees anything only if the person agreed it may be passed on to police."""

    record: ConsentRecord | None
    at: datetime
    police: bool = False

    @property
    def in_force(self) -> bool:
        return self.record is not None and self.record.in_force(self.at)

    @property
    def police_may_receive(self) -> bool:
        """In force, and the person agreed that what it covers may go to the police."""
        return self.in_force and self.record is not None and self.record.scope.pass_to_police

    @property
    def open(self) -> bool:
        """Whether this viewer may see anything of the person's data now."""
        return self.police_may_receive if self.police else self.in_force

    @property
    def shows_safety(self) -> bool:
        return self.open and self.record is not None and self.record.scope.safety_plan

    @property
    def status(self) -> str:
        """In plain words, for the pages."""
        record = self.record
        if record is None:
            return "No consent has been received."
        if record.revoked_at is not None and record.revoked_at <= self.at:
            return "The person withdrew their consent. Their information is no longer shown."
        if self.at < record.valid_from:
            return "The person's consent has not started yet."
        if record.valid_until is not None and self.at >= record.valid_until:
            return "The person's consent has ended. Their information is no longer shown."
        if self.police and not record.scope.pass_to_police:
            return "The person has not agreed that this may be passed on to police."
        until = "" if record.valid_until is None else f" until {record.valid_until:%d %B %Y}"
        police = (
            " The person agrees it may be passed on to police."
            if record.scope.pass_to_police
            else " Not to be passed on to police."
        )
        return f"Consent in force{until}. Purpose: {record.purpose}.{police}"

    def shows_incident(self, item_id: int, occurred: str) -> bool:
        if self.record is None or not self.open:
            return False
        scope = self.record.scope
        chosen = scope.everything or item_id in scope.incident_ids
        return chosen and scope.covers_time(from_iso(occurred))

    def shows_evidence(self, item_id: int) -> bool:
        if self.record is None or not self.open:
            return False
        scope = self.record.scope
        return scope.everything or item_id in scope.evidence_ids

    def shows_record(self, evidence_id: int, occurred: str | None) -> bool:
        if self.record is None or not self.shows_evidence(evidence_id):
            return False
        return self.record.scope.covers_time(None if occurred is None else from_iso(occurred))

    def shows_report(self, name: str) -> bool:
        return self.record is not None and self.open and name in self.record.scope.reports

    @property
    def private_notes(self) -> bool:
        return self.record is not None and self.record.scope.include_private_notes


def current_consent(conn: Connection, case_id: int, police: bool = False) -> CurrentConsent:
    row = conn.execute(
        select(case_consents)
        .where(case_consents.c.case_id == case_id)
        .order_by(case_consents.c.consent_id.desc())
        .limit(1)
    ).first()
    moment = clock.now()
    if row is None:
        return CurrentConsent(None, moment, police)
    record = ConsentRecord.from_data(int(row.consent_id), int(row.version), json.loads(row.data))
    if row.revoked_at is not None and record.revoked_at is None:
        # A revocation notice arrived after the package; the record stays as the person sent it.
        record = replace(record, revoked_at=from_iso(row.revoked_at))
    return CurrentConsent(record, moment, police)
