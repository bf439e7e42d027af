"""Behaviour tag rules: explained hits, key positives and hard negatives, denial guards, hostile
input, and the labelled benchmark's targets (so a regression in the rules fails CI)."""

from __future__ import annotations

import json
import time

import pytest
from benchmarks.tagging_bench import DATA, THREATS, evaluate, load
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.analysis.model import Tag, TagHit
from safetrail.analysis.rules import MAX_CHARS, RULES, SCORED_RULES, tag_text
from safetrail.analysis.rules_weighted import RULE_PREFIX


def tags_of(text: str) -> set[Tag]:
    return {hit.tag for hit in tag_text(text)}


def check_hits(text: str, hits: list[TagHit]) -> None:
    tags = {rule.name: rule.tag for rule in RULES} | {rule.name: rule.tag for rule in SCORED_RULES}
    tags |= {f"{RULE_PREFIX}{tag.value}": tag for tag in Tag}
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.words
        assert tags[hit.rule] is hit.tag


# --- the rule set itself ---------------------------------------------------------------------


def test_every_tag_has_a_rule_and_rules_are_documented() -> None:
    assert {rule.tag for rule in RULES} == set(Tag)
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for rule in RULES:
        assert rule.description.strip()
        assert rule.phrases
        assert len(rule.phrase_patterns) == len(rule.phrase_triggers) == len(rule.phrases)
        assert all(rule.phrase_triggers)


def test_hit_names_the_rule_and_the_exact_words() -> None:
    text = "Hiya. I'll KILL you, I know where you live 🔪"
    hits = tag_text(text)
    check_hits(text, hits)
    threat = next(hit for hit in hits if hit.tag is Tag.THREAT_OF_VIOLENCE)
    assert threat.rule == "threat.harm_you"
    assert threat.words == "I'll KILL you"
    where = next(hit for hit in hits if hit.tag is Tag.KNOWLEDGE_OF_WHEREABOUTS)
    assert where.words == "know where you live"


def test_hits_are_in_text_order() -> None:
    hits = tag_text("answer your phone. I'm outside your house. I'll kill you")
    assert [hit.start for hit in hits] == sorted(hit.start for hit in hits)


# --- key positives and hard negatives, per tag -------------------------------------------------

POSITIVES = [
    (Tag.THREAT_OF_VIOLENCE, "I'm going to smash your face in"),
    (Tag.THREAT_OF_VIOLENCE, "ur dead when i see u"),
    (Tag.THREAT_OF_VIOLENCE, "watch ur back"),
    (Tag.THREAT_OF_VIOLENCE, "You'll regret this"),
    (Tag.THREAT_OF_VIOLENCE, "im gonna kiiiill you"),
    (Tag.THREAT_OF_SEXUAL_VIOLENCE, "ill rape u"),
    (Tag.THREAT_OF_SEXUAL_VIOLENCE, "I'll force myself on you"),
    (Tag.SELF_HARM_PRESSURE, "if you leave I'll kill myself"),
    (Tag.SELF_HARM_PRESSURE, "I'll end it all if you don't answer"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "I saw you at the gym"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "your light is on"),
    (Tag.WATCHING_OR_SPYING, "I've been watching you"),
    (Tag.WATCHING_OR_SPYING, "there's a tracker on your car"),
    (Tag.FOLLOWING, "I followed you home"),
    (Tag.FOLLOWING, "I was behind you the whole way"),
    (Tag.LOITERING, "I'm outside your house"),
    (Tag.LOITERING, "waiting outside your work"),
    (Tag.MONITORING, "I read your messages"),
    (Tag.MONITORING, "you were online at 3am"),
    (Tag.ACCOUNT_ACCESS, "I know your password"),
    (Tag.ACCOUNT_ACCESS, "logged into your Facebook"),
    (Tag.PUBLISHING, "I'll post your photos"),
    (Tag.PUBLISHING, "I'll tell everyone what you did"),
    (Tag.IMPERSONATION, "I made an account as you"),
    (Tag.IMPERSONATION, "pretending to be you"),
    (Tag.THIRD_PARTY_CONTACT, "I spoke to your mum"),
    (Tag.THIRD_PARTY_CONTACT, "your friends told me"),
    (Tag.GIFTS, "I left you a present"),
    (Tag.GIFTS, "did you get my flowers"),
    (Tag.INTERFERING_WITH_PROPERTY, "I keyed your car"),
    (Tag.INTERFERING_WITH_PROPERTY, "check your letterbox"),
    (Tag.CONTACTING, "you can't block me"),
    (Tag.CONTACTING, "why are you ignoring me"),
    (Tag.CONTACTING, "new number"),
    (Tag.BREACH_OF_ORDER, "I don't care about the court order"),
    (Tag.BREACH_OF_ORDER, "restraining order won't stop me"),
]

NEGATIVES = [
    (Tag.THREAT_OF_VIOLENCE, "I'm dead tired"),
    (Tag.THREAT_OF_VIOLENCE, "that joke killed me 😂"),
    (Tag.THREAT_OF_VIOLENCE, "you're killing it at work"),
    (Tag.THREAT_OF_VIOLENCE, "we'll kill them on Saturday"),
    (Tag.THREAT_OF_VIOLENCE, "You'll regret not coming!"),
    (Tag.THREAT_OF_VIOLENCE, "Man jailed for threatening to kill neighbour, court hears"),
    (Tag.THREAT_OF_SEXUAL_VIOLENCE, "Police appeal after sexual assault in the park"),
    (Tag.SELF_HARM_PRESSURE, "I'll jump in the shower then come over"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "I saw you on the telly!"),
    (Tag.WATCHING_OR_SPYING, "we're watching the kids tonight"),
    (Tag.FOLLOWING, "follow us on Instagram"),
    (Tag.FOLLOWING, "I'm right behind you on this one"),
    (Tag.LOITERING, "I'll wait for you outside the station"),
    (Tag.MONITORING, "read your email, sounds good"),
    (Tag.ACCOUNT_ACCESS, "the wifi password is on the fridge"),
    (Tag.PUBLISHING, "I'll post the photos in the family group"),
    (Tag.PUBLISHING, "everyone will see the fireworks from the hill"),
    (Tag.IMPERSONATION, "as you know, the meeting is at 2"),
    (Tag.THIRD_PARTY_CONTACT, "Tell her I said happy birthday!"),
    (Tag.GIFTS, "I'll leave you alone then"),
    (Tag.INTERFERING_WITH_PROPERTY, "can you check the letterbox for my passport"),
    (Tag.CONTACTING, "pick up some milk on the way home"),
    (Tag.CONTACTING, "call me back when you can"),
    (Tag.BREACH_OF_ORDER, "your Amazon order has been dispatched"),
]


@pytest.mark.parametrize(("tag", "text"), POSITIVES)
def test_key_positive(tag: Tag, text: str) -> None:
    """The rules' own key positives (what the word weights may overrule is bounded in
    test_rules_weighted)."""
    assert tag in {hit.tag for hit in tag_text(text, learned=False)}


@pytest.mark.parametrize(("tag", "text"), NEGATIVES)
def test_hard_negative(tag: Tag, text: str) -> None:
    """The rules' own hard negatives (the word weights' are counted in test_rules_weighted)."""
    assert tag not in {hit.tag for hit in tag_text(text, learned=False)}


VEILED_POSITIVES = [
    (Tag.THREAT_OF_VIOLENCE, "Carry on and you'll be eating through a straw"),
    (Tag.THREAT_OF_VIOLENCE, "accidents happen to people like u"),
    (Tag.THREAT_OF_VIOLENCE, "itd be a shame if something happened to ur car"),
    (Tag.THREAT_OF_VIOLENCE, "i know people who can find u"),
    (Tag.THREAT_OF_VIOLENCE, "u wont see it coming"),
    (Tag.THREAT_OF_VIOLENCE, "ull end up in a ditch"),
    (Tag.THREAT_OF_VIOLENCE, "il torch ur car with u in it"),
    (Tag.THREAT_OF_VIOLENCE, "i wil smash ur face in"),
    (Tag.THREAT_OF_SEXUAL_VIOLENCE, "I'll tear your clothes off"),
    (Tag.THREAT_OF_SEXUAL_VIOLENCE, "ur gunna sleep with me or else"),
    (Tag.SELF_HARM_PRESSURE, "I'll end it if you leave"),
    (Tag.SELF_HARM_PRESSURE, "my blood will be on your hands"),
    (Tag.PUBLISHING, "im putting ur nudes online"),
    (Tag.INTERFERING_WITH_PROPERTY, "I smashed your wing mirrors"),
]
VEILED_NEGATIVES = [
    (Tag.SELF_HARM_PRESSURE, "Stop it, you're killing me 🤣"),
    (Tag.THREAT_OF_VIOLENCE, "Watch your back on that path, there's ice"),
    (Tag.THREAT_OF_VIOLENCE, "You'll be sorry when you see the price lol"),
    (Tag.THREAT_OF_VIOLENCE, "I know people at the bank, they can sort your mortgage"),
    (Tag.THREAT_OF_VIOLENCE, "Last warning from the library about that overdue book"),
]


@pytest.mark.parametrize(("tag", "text"), VEILED_POSITIVES)
def test_veiled_and_texting_style_positive(tag: Tag, text: str) -> None:
    assert tag in tags_of(text)


@pytest.mark.parametrize(("tag", "text"), VEILED_NEGATIVES)
def test_veiled_rule_hard_negative(tag: Tag, text: str) -> None:
    assert tag not in tags_of(text)


def test_ordinary_messages_get_no_tag() -> None:
    for text in ["ok", "👍", "love you x", "Dinner's in the oven", "Team meeting moved to 2pm"]:
        assert tag_text(text) == []


# --- denials ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt you",
        "I'd never hurt you, you know that",
        "I'm not going to kill you, calm down",
        "I don't want to hurt you",
    ],
)
def test_plain_denial_is_not_a_threat(text: str) -> None:
    assert Tag.THREAT_OF_VIOLENCE not in tags_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to hurt you... yet",
        "I won't hurt you as long as you do what I say",
        "I won't hurt you if you come back",
    ],
)
def test_denial_with_a_condition_is_a_threat(text: str) -> None:
    assert Tag.THREAT_OF_VIOLENCE in tags_of(text)


def test_menace_that_contains_a_negation_is_still_a_threat() -> None:
    assert Tag.THREAT_OF_VIOLENCE in tags_of("Don't make me hurt you")
    assert Tag.THREAT_OF_VIOLENCE in tags_of("You won't see me coming")


# --- hostile input ------------------------------------------------------------------------------

ADVERSARIAL = [
    "i " * 5_000,
    "I'll " * 2_000 + "x",
    "you " * 3_000,
    "k" + "i" * 20_000 + "ll",
    "I'll" + " " * 10_000 + "kill",
    "I'll " + "f*** " * 3_000 + "you",
    "!" * 20_000,
    "a" * 50_000,
    "sat " * 1_000 + "outside " * 1_000,
    ("I'm not going to hurt you " * 300),
    "🔪" * 10_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_adversarial_text_finishes_fast(text: str) -> None:
    start = time.perf_counter()
    hits = tag_text(text)
    assert time.perf_counter() - start < 0.5
    check_hits(text, hits)


def test_only_the_first_max_chars_are_examined() -> None:
    text = "x" * MAX_CHARS + " I'll kill you"
    assert tag_text(text) == []
    assert tags_of("x" * (MAX_CHARS - 20) + " I'll kill you") == {Tag.THREAT_OF_VIOLENCE}


def test_spans_survive_characters_that_change_length_when_lower_cased() -> None:
    text = "İİİ I'll kill you İ"
    hits = tag_text(text)
    assert hits
    check_hits(text, hits)


WORDS = [
    "I'll", "kill", "you", "your", "ur", "dead", "not", "never", "outside", "house", "watch",
    "back", "followed", "password", "post", "photos", "court", "order", "myself", "😂", "\n",
    "İ", "ß", "'", "…", "yet", "until",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_safe(text: str) -> None:
    check_hits(text, tag_text(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from([" ", "", "  ", "!"]))
def test_any_mix_of_rule_words_is_safe(words: list[str], separator: str) -> None:
    text = separator.join(words)
    check_hits(text, tag_text(text))


# --- the labelled benchmark ---------------------------------------------------------------------


def test_labelled_set_is_big_and_balanced() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 650
    assert len({row["id"] for row in rows}) == len(rows)
    assert sum(not row["tags"] for row in rows) >= 0.4 * len(rows)
    for tag in Tag:
        assert sum(tag.value in row["tags"] for row in rows) >= 25, tag


def test_benchmark_targets_are_met() -> None:
    start = time.perf_counter()
    report = evaluate(load())
    threats = report.scores[THREATS]
    assert threats.precision >= 0.9
    assert threats.recall >= 0.8
    for tag in Tag:
        score = report.scores[tag.value]
        assert score.precision >= 0.7, tag
        assert score.recall >= 0.7, tag
    assert time.perf_counter() - start < 5
