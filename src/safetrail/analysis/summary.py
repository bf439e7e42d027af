"""A short, plain summary of what was logged, built only from the computed facts.

Plain and kind words, dates written out, numbers where they help. Never a score, a band or a
level: a summary that said "low" could falsely reassure someone who is in danger.
"""

from __future__ import annotations

from safetrail.analysis.escalation import Escalation, Signal
from safetrail.analysis.impact import Impact
from safetrail.analysis.pattern import Pattern
from safetrail.analysis.trend import RECENT_WEEKS
from safetrail.analysis.words import plain_date

CLOSING = (
    "This is a summary of what you logged; it is not legal advice. "
    "If you are in immediate danger, call 999."
)


def _conduct_sentence(pattern: Pattern, who: str | None) -> str:
    conduct = pattern.conduct
    if who is None:
        return _unlinked_sentence(pattern)
    if conduct.first_contact is None or conduct.last_contact is None:
        return f"Nothing {who} did is logged yet."
    if conduct.occasions == 1:
        return f"What {who} did is logged on one day, {plain_date(conduct.first_contact)}."
    return (
        f"What {who} did is logged on {conduct.occasions:,} separate days, from "
        f"{plain_date(conduct.first_contact)} to {plain_date(conduct.last_contact)}."
    )


def _unlinked_sentence(pattern: Pattern) -> str:
    """Entries not linked to anyone may come from more than one person: say so plainly."""
    conduct = pattern.conduct
    if conduct.first_contact is None:
        return "Some entries are not linked to a person yet."
    first = plain_date(conduct.first_contact)
    when = (
        f"on one day, {first}"
        if conduct.occasions == 1
        else f"on {conduct.occasions:,} separate days, from {first}"
    )
    return (
        f"Entries not linked to a person yet are logged {when}; linking them to the person "
        "responsible lets Safetrail count them with that person's conduct."
    )


def _rising_sentence(escalation: Escalation) -> str | None:
    rates = escalation.trend.rates
    if not escalation.trend.rising or rates is None:
        return None
    ratio = rates.rate_ratio
    if ratio is not None and ratio >= 2:
        change = "more than doubled"
    elif ratio is not None and ratio >= 1.5:
        change = "risen by more than half"
    else:
        change = "risen"
    return (
        f"In the last {RECENT_WEEKS} weeks contact has {change}: {rates.recent_count:,} contacts, "
        f"about {rates.recent_rate:.0f} a week, against about {rates.earlier_rate:.0f} a week "
        "before."
    )


def _first(signals: tuple[Signal, ...], name: str) -> Signal | None:
    return next((signal for signal in signals if signal.signal == name), None)


def _specific_threats(signals: tuple[Signal, ...]) -> list[str]:
    """'A threat on 3 May 2026 names a place and a weapon.': one sentence per date."""
    kinds_by_day: dict[str, list[str]] = {}
    for kind in ("place", "time", "weapon"):
        found = _first(signals, f"threat_names_{kind}")
        if found:
            kinds_by_day.setdefault(plain_date(found.since), []).append(f"a {kind}")
    return [f"A threat on {day} names {_and(kinds)}." for day, kinds in kinds_by_day.items()]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _signal_sentences(escalation: Escalation) -> list[str]:
    signals = escalation.signals
    sentences: list[str] = []
    new = [signal for signal in signals if signal.signal == "new_behaviour"]
    if new:
        listed = ", ".join(
            f"{signal.cues[0].replace('_', ' ')} (first on {plain_date(signal.since)})"
            for signal in new
        )
        sentences.append(f"Behaviours that started later: {listed}.")
    for name in ("online_to_physical", "first_threat"):
        found = _first(signals, name)
        if found:
            sentences.append(found.description)
    sentences.extend(_specific_threats(signals))
    for name in ("third_party_contact", "order_breached"):
        found = _first(signals, name)
        if found:
            sentences.append(found.description)
    return sentences


def _pattern_sentences(pattern: Pattern) -> list[str]:
    sentences: list[str] = []
    if pattern.bursts:
        peak = max(burst.peak for burst in pattern.bursts)
        minutes = round(pattern.burst_window.total_seconds() / 60)
        times = "once" if len(pattern.bursts) == 1 else f"{len(pattern.bursts)} times"
        sentences.append(
            f"Many contacts came close together {times}; the most within {minutes} minutes "
            f"was {peak}."
        )
    after = pattern.after_no_contact
    if after.count:
        contacts = "1 contact is" if after.count == 1 else f"{after.count:,} contacts are"
        sentences.append(f"Since you asked for no contact, {contacts} logged.")
    return sentences


def _impact_sentences(impact: Impact) -> list[str]:
    sentences: list[str] = []
    fear = impact.fear
    if fear.occasions:
        days = "one day" if fear.occasions == 1 else f"{fear.occasions} separate days"
        sentences.append(f"You recorded fearing violence on {days}.")
    if impact.changes:
        areas = ", ".join(change.label.lower() for change in impact.changes)
        sentences.append(f"You recorded changes to your daily life: {areas}.")
    return sentences


def summarise(pattern: Pattern, escalation: Escalation, impact: Impact, who: str | None) -> str:
    """Sentences about one subject, in the order an officer would ask about them.

    `who` names the subject ("Sam", "this person"); None means entries not linked to anyone.
    """
    sentences = [_conduct_sentence(pattern, who)]
    rising = _rising_sentence(escalation)
    if rising:
        sentences.append(rising)
    sentences.extend(_signal_sentences(escalation))
    sentences.extend(_pattern_sentences(pattern))
    sentences.extend(_impact_sentences(impact))
    return " ".join(sentences)


def closing() -> str:
    return CLOSING
