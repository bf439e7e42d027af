"""Small builders for analysis tests: Events at given UTC times, with sensible defaults."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from safetrail.analysis.model import Event, Tag

LONDON = "Europe/London"
START = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday, in winter (London is on UTC)


class Kit:
    """Hands out increasing ids so every event in a test is distinct."""

    def __init__(self) -> None:
        self.next_id = 0

    def event(
        self,
        at: datetime,
        channel: str = "text_message",
        tags: Iterable[Tag] = (Tag.CONTACTING,),
        subject_id: int | None = 1,
        *,
        text: str = "",
        by_subject: bool = True,
        after_no_contact_request: bool = False,
        feared_violence: bool | None = None,
        impact: str = "",
        changes_made: str = "",
        breach_of: str | None = None,
    ) -> Event:
        self.next_id += 1
        return Event(
            kind="record",
            id=self.next_id,
            at=at,
            subject_id=subject_id,
            channel=channel,
            text=text,
            by_subject=by_subject,
            tags=frozenset(tags),
            after_no_contact_request=after_no_contact_request,
            feared_violence=feared_violence,
            impact=impact,
            changes_made=changes_made,
            breach_of=breach_of,
        )

    def weekly(self, counts: Iterable[int], start: datetime = START) -> list[Event]:
        """`counts[i]` events in week i, an hour apart from the start of that week."""
        events: list[Event] = []
        for week, count in enumerate(counts):
            for n in range(count):
                events.append(self.event(start + timedelta(weeks=week, hours=n)))
        return events
