"""Risk: the questions police or an advocate may ask, answered and re-answered over time, and the
factors found in the evidence. Never a score, a band or a level: a list of facts and next steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from safetrail.models.enums import Behaviour
from safetrail.models.jsonvalue import JsonObject, JsonValue
from safetrail.safety.factors import RiskFactor, factors_in
from safetrail.safety.plan_content import NextStep, load_safety_plan
from safetrail.safety.risk_content import RiskQuestion, load_risk_questions
from safetrail.services import simple_entities as store
from safetrail.services.casebook import Casebook
from safetrail.services.entities import Kind
from safetrail.services.errors import InvalidInput
from safetrail.services.incidents import list_incidents
from safetrail.storage.repository import now_utc

if TYPE_CHECKING:
    from safetrail.analysis.model import Event
    from safetrail.analysis.results import Analysis
    from safetrail.services.analysis import CaseAnalysis

ANSWER_KIND: Kind = "risk_answer"
REVIEW_KIND: Kind = "risk_review"


@dataclass(frozen=True, slots=True)
class RiskAnswer:
    question_id: str
    answer: str
    note: str
    answered_at: str
    version: int

    def to_json(self) -> JsonObject:
        return {
            "question_id": self.question_id,
            "answer": self.answer,
            "note": self.note,
            "answered_at": self.answered_at,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    at: str
    answers: dict[str, str]
    factors: tuple[str, ...]


@dataclass
class RiskOverview:
    questions: tuple[RiskQuestion, ...]
    answers: dict[str, RiskAnswer]
    factors: list[RiskFactor]
    changes: list[str]
    next_steps: tuple[NextStep, ...]
    last_review: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> JsonObject:
        return {
            "answers": [a.to_json() for a in self.answers.values()],
            "factors": [f.to_json() for f in self.factors],
            "changes_since_last_review": list(self.changes),
            "next_steps": [{"id": s.id, "title": s.title, "text": s.text} for s in self.next_steps],
            "last_review": self.last_review,
            "assessment": (
                "Safetrail does not rate danger. A professional risk assessment (for example "
                "S-DASH or DARA) is done by the police or a specialist advocate."
            ),
        }


def _answer_from(stored: store.Stored) -> RiskAnswer:
    data = stored.data
    return RiskAnswer(
        str(data["question_id"]),
        str(data["answer"]),
        str(data.get("note") or ""),
        str(data["answered_at"]),
        stored.version,
    )


def current_answers(book: Casebook) -> dict[str, tuple[int, RiskAnswer]]:
    return {
        str(s.data["question_id"]): (s.id, _answer_from(s))
        for s in store.current(book, ANSWER_KIND)
    }


def answer_history(book: Casebook, question_id: str) -> list[RiskAnswer]:
    entry = current_answers(book).get(question_id)
    if entry is None:
        return []
    return [
        RiskAnswer(
            question_id, str(d["answer"]), str(d.get("note") or ""), str(d["answered_at"]), n
        )
        for n, (_, d) in enumerate(store.history(book, ANSWER_KIND, entry[0]), start=1)
    ]


def record_answers(
    book: Casebook, answers: dict[str, tuple[str, str]], case: CaseAnalysis | None = None
) -> Review:
    """Save answers ({question id: (answer, note)}), then a dated review of them all.

    Every answer is checked before any is saved. An unchanged answer keeps its earlier date;
    a changed one becomes a new version, and the old one stays in its history.
    """
    _check_answers(answers)
    existing = current_answers(book)
    at = now_utc().isoformat()
    for question_id, (answer, note) in answers.items():
        fields: JsonObject = {
            "question_id": question_id,
            "answer": answer,
            "note": note,
            "answered_at": at,
        }
        if question_id not in existing:
            store.create(book, ANSWER_KIND, fields)
        else:
            entity_id, old = existing[question_id]
            if (old.answer, old.note) != (answer, note):
                store.change(book, ANSWER_KIND, entity_id, fields)
    snapshot: JsonObject = {q: a.answer for q, (_, a) in current_answers(book).items()}
    factor_ids: list[JsonValue] = [f.id for f in evidence_factors(book, case)]
    review: JsonObject = {"at": at, "answers": snapshot, "factors": factor_ids}
    return _review(store.create(book, REVIEW_KIND, review))


def _check_answers(answers: dict[str, tuple[str, str]]) -> None:
    content = load_risk_questions()
    valid_questions = {q.id for q in content.questions}
    valid_answers = {o.id for o in content.answer_options}
    for question_id, (answer, _) in answers.items():
        if question_id not in valid_questions:
            raise InvalidInput(f"There is no question {question_id!r}.")
        if answer not in valid_answers:
            choices = ", ".join(sorted(valid_answers))
            raise InvalidInput(f"Answer {answer!r} is not one of: {choices}.")


def _review(stored: store.Stored) -> Review:
    answers = stored.data.get("answers")
    factors = stored.data.get("factors")
    return Review(
        stored.id,
        str(stored.data["at"]),
        {str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {},
        tuple(str(f) for f in factors) if isinstance(factors, list) else (),
    )


def reviews(book: Casebook) -> list[Review]:
    return [_review(s) for s in store.current(book, REVIEW_KIND)]


ESCALATION_SIGNALS = frozenset(
    {
        "contact_rising",
        "online_to_physical",
        "threat_names_place",
        "threat_names_time",
        "threat_names_weapon",
    }
)


def evidence_factors(book: Casebook, case: CaseAnalysis | None = None) -> list[RiskFactor]:
    """Factors in the incidents and imported records, with escalation from the analysis.

    A caller that already holds the case's analysis (the web app's shared cache) passes it as
    `case`, so the whole analysis is not run again; without it the analysis is run here.
    """
    violent = frozenset(
        i.id for i in list_incidents(book) if Behaviour.VIOLENCE in i.details.behaviours
    )
    if case is not None:
        if not case.events:
            return factors_in(case.events, violent, [])
        return factors_from(case.events, case.analysis, violent)
    from safetrail.analysis.results import analyse
    from safetrail.services.analysis import case_events

    found = case_events(book)
    if not found.events:
        return factors_in(found.events, violent, [])
    result = analyse(found.events, book.setting("timezone") or "Europe/London")
    return factors_from(found.events, result, violent)


def factors_from(
    events: list[Event], result: Analysis, violent: frozenset[int]
) -> list[RiskFactor]:
    """The factors in `events`, given their analysis (so a caller that has one reuses it)."""
    by_id = {event.id: event for event in events}
    escalation = [
        by_id[event_id]
        for subject in result.subjects
        for signal in subject.escalation.signals
        if signal.signal in ESCALATION_SIGNALS
        for event_id in signal.evidence
        if event_id in by_id
    ]
    return factors_in(events, violent, escalation)


def _changes(
    previous: Review | None,
    latest: Review | None,
    factors: list[RiskFactor],
    questions: dict[str, RiskQuestion],
) -> list[str]:
    if latest is None:
        return ["You have not answered the questions yet."]
    changes: list[str] = []
    if previous is not None:
        for question_id, answer in latest.answers.items():
            before = previous.answers.get(question_id)
            if before != answer:
                label = questions[question_id].question if question_id in questions else question_id
                changes.append(f"{label} Was: {before or 'not answered'}. Now: {answer}.")
    known = set(latest.factors)
    for factor in factors:
        if factor.id not in known:
            changes.append(f"New since your last review: {factor.title.lower()}.")
    return changes or ["Nothing has changed since your last review."]


def risk_overview(book: Casebook, case: CaseAnalysis | None = None) -> RiskOverview:
    content = load_risk_questions()
    plan = load_safety_plan()
    all_reviews = reviews(book)
    latest = all_reviews[-1] if all_reviews else None
    previous = all_reviews[-2] if len(all_reviews) > 1 else None
    factors = evidence_factors(book, case)
    questions = {q.id: q for q in content.questions}
    return RiskOverview(
        questions=content.questions,
        answers={q: a for q, (_, a) in current_answers(book).items()},
        factors=factors,
        changes=_changes(previous, latest, factors, questions),
        next_steps=plan.next_steps,
        last_review=latest.at if latest else None,
    )
