from __future__ import annotations

import pytest

from safetrail.safety.risk_content import RiskContentError, load_risk_questions
from tests.safety.readability import MIN_READING_EASE, reading_ease

REQUIRED_TOPICS = {
    "fear",
    "previous-harassment",
    "property-damage",
    "frequent-visits",
    "loitering",
    "threats",
    "harassing-others",
    "violence-towards-others",
    "recruiting-others",
    "drink-or-drugs",
    "history-of-violence",
    "relationship",
}


def test_all_topics_are_covered() -> None:
    ids = {q.id for q in load_risk_questions().questions}
    assert ids == REQUIRED_TOPICS


def test_answer_options_are_yes_no_not_sure_with_free_text() -> None:
    content = load_risk_questions()
    assert [o.id for o in content.answer_options] == ["yes", "no", "not-sure"]
    assert content.free_text_prompt


def test_every_question_says_why_it_is_asked() -> None:
    for question in load_risk_questions().questions:
        assert question.why and question.question.endswith(("?", "."))


@pytest.mark.parametrize("question_id", sorted(REQUIRED_TOPICS))
def test_question_is_easy_to_read(question_id: str) -> None:
    question = load_risk_questions().question(question_id)
    assert reading_ease(f"{question.question} {question.why}") >= MIN_READING_EASE


def test_intro_is_easy_to_read_and_promises_no_rating() -> None:
    intro = load_risk_questions().intro
    assert reading_ease(intro) >= MIN_READING_EASE
    assert "never adds up" in intro


def test_loader_rejects_a_question_without_why() -> None:
    text = """
intro: Hi.
free_text_prompt: Add more.
answer_options: [{id: "yes", label: "Yes"}]
questions:
  - {id: fear, topic: fear, question: "Are you afraid?"}
"""
    with pytest.raises(RiskContentError, match="why"):
        load_risk_questions(text)
