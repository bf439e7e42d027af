"""Questions a police officer or advocate may ask, as content only.

The questions are Safetrail's own wording of public screening topics. There is deliberately no
scoring here: no counts, no thresholds and no ratings, because a number could falsely reassure.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from safetrail.safety import content_checks as checks


class RiskContentError(ValueError):
    """The risk questions file is malformed."""


@dataclass(frozen=True, slots=True)
class AnswerOption:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class RiskQuestion:
    id: str
    topic: str
    question: str
    why: str


@dataclass(frozen=True, slots=True)
class RiskQuestions:
    intro: str
    answer_options: tuple[AnswerOption, ...]
    free_text_prompt: str
    questions: tuple[RiskQuestion, ...]

    def question(self, question_id: str) -> RiskQuestion:
        for item in self.questions:
            if item.id == question_id:
                return item
        raise KeyError(question_id)


def load_risk_questions(text: str | None = None) -> RiskQuestions:
    """Load the shipped questions, or parse `text` instead (used by tests)."""
    import yaml

    if text is None:
        text = (
            resources.files("safetrail.safety")
            .joinpath("content", "risk_questions.yaml")
            .read_text(encoding="utf-8")
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RiskContentError(f"risk_questions.yaml is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise RiskContentError("risk_questions.yaml must be a mapping")
    questions = tuple(_question(item) for item in _list(data, "questions"))
    _check_unique([q.id for q in questions])
    return RiskQuestions(
        intro=_text(data, "intro", "risk questions"),
        answer_options=tuple(_option(item) for item in _list(data, "answer_options")),
        free_text_prompt=_text(data, "free_text_prompt", "risk questions"),
        questions=questions,
    )


def _question(item: object) -> RiskQuestion:
    entry = _mapping(item)
    where = f"question {entry.get('id')!r}"
    return RiskQuestion(
        id=_text(entry, "id", where),
        topic=_text(entry, "topic", where),
        question=_text(entry, "question", where),
        why=_text(entry, "why", where),
    )


def _option(item: object) -> AnswerOption:
    entry = _mapping(item)
    return AnswerOption(
        id=_text(entry, "id", "answer option"), label=_text(entry, "label", "answer option")
    )


def _check_unique(ids: list[str]) -> None:
    if len(set(ids)) != len(ids):
        raise RiskContentError("question ids must be unique")


def _mapping(item: object) -> dict[str, object]:
    return checks.mapping(item, RiskContentError)


def _list(data: dict[str, object], key: str) -> list[object]:
    return checks.non_empty_list(data, key, RiskContentError)


def _text(entry: dict[str, object], key: str, where: str) -> str:
    return checks.text(entry, key, where, RiskContentError)
