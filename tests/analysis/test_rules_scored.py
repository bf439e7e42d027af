"""Scoring rules: threats found from their parts (act, frame, target) rather than listed phrases.

The messages below are written for these tests and are not in the benchmark sets. Positives are
chosen so that no phrase rule finds them (checked), so each one tests the scoring rule itself.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from benchmarks.tagging_bench import ROUND_5_HELD_OUT, ROUND_6_DEV, THREATS, evaluate, load

from safetrail.analysis.model import Tag, TagHit
from safetrail.analysis.rules import RULES, SCORED_RULES, tag_text
from safetrail.analysis.rules_scored import Cues, ScoredRule, score_text
from safetrail.analysis.rules_scored_words import SELF_HARM, SEXUAL, VIOLENCE
from safetrail.services.tagging import rules_version


def scored(text: str) -> list[TagHit]:
    return [hit for hit in tag_text(text) if hit.rule.endswith(".scored")]


def phrase_tags(text: str) -> set[Tag]:
    return {hit.tag for hit in tag_text(text) if not hit.rule.endswith(".scored")}


# --- the rules themselves -------------------------------------------------------------------


def test_scoring_rules_are_named_documented_and_distinct_from_phrase_rules() -> None:
    names = {rule.name for rule in SCORED_RULES}
    assert {"threat.scored", "sexual.scored", "self_harm.scored"} <= names
    assert len(names) == len(SCORED_RULES)
    assert names.isdisjoint(rule.name for rule in RULES)
    for rule in SCORED_RULES:
        assert rule.description.strip()
        assert rule.acts and rule.frames
        assert rule.triggers


def test_fingerprint_follows_the_word_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    before = rules_version()
    changed = ScoredRule(
        name=VIOLENCE.name,
        tag=VIOLENCE.tag,
        description=VIOLENCE.description,
        acts=VIOLENCE.acts[:-1],
        frames=VIOLENCE.frames,
        targets=VIOLENCE.targets,
    )
    assert changed.fingerprint() != VIOLENCE.fingerprint()
    monkeypatch.setattr("safetrail.services.tagging.SCORED_RULES", (changed, SEXUAL, SELF_HARM))
    assert rules_version() != before


# --- the scoring, on a small rule of its own ---------------------------------------------------

TOY = ScoredRule(
    name="toy.scored",
    tag=Tag.THREAT_OF_VIOLENCE,
    description="test rule",
    acts=(Cues("strong", 2, ("stab",)), Cues("weak", 1, ("sorry",)), Cues("whole", 3, ("doom",))),
    frames=(Cues("future", 1, ("will",)), Cues("condition", 2, ("unless",))),
    targets=Cues("target", 1, ("you",)),
    blockers=Cues("news", 0, ("police said",)),
    denials=Cues("denial", 0, ("never",)),
    conditions=Cues("condition", 0, ("unless",)),
    context=Cues("game", 0, ("chess",)),
    idiomatic=frozenset({"strong"}),
)


def toy(text: str) -> TagHit | None:
    lowered = text.lower()
    words = {word.encode() for word in re.findall(r"[a-z]+", lowered)}
    return score_text(TOY, text, lowered, words)


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("will stab you", True),  # 2 + 1 reaches 3
        ("will be sorry you", False),  # 1 + 1 does not
        ("sorry you, unless", True),  # 1 + 2 does
        ("stab you", False),  # no frame
        ("will stab", False),  # no target
        ("doom", True),  # menace in itself: no frame, no target needed
        ("will stab him. you", True),  # target in the next sentence
        ("will stab him. ok. you", False),  # but not two sentences away
        ("police said he will stab you", False),  # blocker in the window
        ("never will stab you", False),  # denial
        ("never will stab you unless", True),  # denial with a condition
        ("will stab you at chess", False),  # idiomatic act in its context
        ("will be sorry you, unless we play chess", True),  # context spares other acts
    ],
)
def test_score_reaches_the_threshold_only_with_its_parts(text: str, fires: bool) -> None:
    assert (toy(text) is not None) is fires


def test_hit_spans_the_parts_and_names_the_rule() -> None:
    text = "Well. I WILL stab you, ok"
    hit = toy(text)
    assert hit is not None
    assert hit.rule == "toy.scored"
    assert hit.words == "WILL stab you"
    assert text[hit.start : hit.end] == hit.words


def test_frame_inside_the_act_does_not_count_twice() -> None:
    rule = ScoredRule(
        name="toy.overlap",
        tag=Tag.THREAT_OF_VIOLENCE,
        description="test rule",
        acts=(Cues("act", 2, ("won't make it",)),),
        frames=(Cues("future", 1, ("won't",)),),
    )
    text = "you won't make it"
    assert score_text(rule, text, text, None) is None
    text = "won't stop: you won't make it"
    assert score_text(rule, text, text, None) is not None


# --- threats of violence that no phrase rule lists --------------------------------------------

VEILED = [
    "keep this up and ur kids wont have a dad",
    "carry on and u will need an ambulance mate",
    "one of these days u wont make it back from the gym",
    "be a real shame if ur little dog got run over",
    "wait til i get my hands on u",
    "ur new bloke better sleep with the lights on",
    "I'd hate for anything to happen to your sister",
    "im going to rearrange your face",
    "people like you end up in a wheelchair",
    "hope your fella likes hospital food",
    "you'll be picking your teeth up off the pavement",
    "one more word and you'll need an ambulance",
    "nobody will recognise you when I'm done with you",
    "it's only a matter of time before I catch up with you",
]


@pytest.mark.parametrize("text", VEILED)
def test_veiled_threat_is_scored(text: str) -> None:
    assert not phrase_tags(text) & {Tag.THREAT_OF_VIOLENCE}, "a phrase rule finds it: pick another"
    hits = scored(text)
    assert [hit.tag for hit in hits] == [Tag.THREAT_OF_VIOLENCE]
    hit = hits[0]
    assert hit.rule == "threat.scored"
    assert text[hit.start : hit.end] == hit.words


NOT_THREATS = [
    # denials
    "I would never lay a finger on you or the kids",
    "I'm not going to hurt you, I promise, I just want to talk",
    "no one is going to hurt you here",
    # news and fiction, past narration
    "police said the man was stabbed outside the pub",
    "he told the court he would burn her house down",
    "the film ends with him burying the body, you'll love it",
    "my brother got battered on the way home last night",
    "he was stabbed in the leg, he's in hospital now",
    # games, sport, food and exams
    "ill destroy u at fifa tonight",
    "we're gonna batter you at the pub quiz",
    "you're gonna smash that interview tomorrow",
    "I'll beat you to the car park",
    # everyday speech with harm words
    "if you get hurt at training tell the coach",
    "If you hurt her I'll never forgive you",
    "I'll shoot you a message when I land",
    "I'll hit you up later",
    "ur mum is gonna kill u when she sees ur room",
    "hope ur nan gets out of hospital soon",
    "I'll pick you up from the hospital at 5",
    "be a shame if we missed the start",
    "you'll be sorry you missed the gig",
    "Lock your car, there's been break-ins on our road",
    "Watch yourself on the stairs, they're wet",
    "I'll knock on your door when I'm back",
    "I'll push you on the swings",
    "I'll throw you a surprise party",
    "your time will come, keep applying for jobs",
    "just you wait till you see the cake!",
    "I'm not joking, this pizza is amazing",
    "I'll drown you in cake when you get back",
    "one night out won't hurt you, come on",
    "if anyone hurts you, tell me and I'll sort it",
    "careful with that knife, you'll cut yourself",
    "you'll need an ambulance after you try my chilli",
    "I'll leave the lights on for you",
    "I'll sort you out with a lift tomorrow",
    "if you need an ambulance ring 999 not me",
    "you won't make it home in time for dinner, the trains are off",
    "your brakes were squeaking, get them checked before the motorway next time",
    "wait till your dad sees the kitchen, he'll kill you",
]


@pytest.mark.parametrize("text", NOT_THREATS)
def test_not_a_threat(text: str) -> None:
    tags = {hit.tag for hit in tag_text(text)}
    assert not tags & {Tag.THREAT_OF_VIOLENCE, Tag.THREAT_OF_SEXUAL_VIOLENCE}


# --- threats of sexual violence and self-harm pressure ----------------------------------------


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "you'll give me what i want one way or another"),
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "one day ill be in that bed of yours and u wont stop me"),
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "u wont be able to say no when ur drunk"),
        (Tag.SELF_HARM_PRESSURE, "ive got the pills out, ur choice"),
        (Tag.SELF_HARM_PRESSURE, "standing on the bridge. pick up"),
        (Tag.SELF_HARM_PRESSURE, "if u leave me ill end it i mean it"),
        (Tag.SELF_HARM_PRESSURE, "without you there's no point me being here"),
    ],
)
def test_other_threats_are_scored(tag: Tag, text: str) -> None:
    assert tag not in phrase_tags(text), "a phrase rule finds it: pick another"
    assert tag in {hit.tag for hit in scored(text)}


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "whether you like it or not we're going to your nan's"),
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "get in bed and rest, I'll bring you soup"),
        (Tag.THREAT_OF_SEXUAL_VIOLENCE, "nobody will believe how cheap this sofa was"),
        (Tag.SELF_HARM_PRESSURE, "she said she'll end it with him tonight"),
        (Tag.SELF_HARM_PRESSURE, "take two pills with food, the doctor said"),
        (Tag.SELF_HARM_PRESSURE, "I'm gone, see you tomorrow"),
    ],
)
def test_other_hard_negatives(tag: Tag, text: str) -> None:
    assert tag not in {hit.tag for hit in tag_text(text)}


def test_violence_yields_to_a_self_harm_finding() -> None:
    tags = {hit.tag for hit in tag_text("if you dont come home tonight ill end my life")}
    assert tags == {Tag.SELF_HARM_PRESSURE}


def test_violence_yields_to_self_harm_only_in_the_same_words() -> None:
    hits = tag_text("I'll make your life hell and then I'll end it")
    violence = [hit for hit in hits if hit.tag is Tag.THREAT_OF_VIOLENCE]
    assert [hit.words for hit in violence] == ["I'll make your life hell"]


def test_violence_yields_to_a_sexual_threat_anywhere_in_the_message() -> None:
    tags = {hit.tag for hit in tag_text("I'm going to rape you when I find you")}
    assert tags == {Tag.THREAT_OF_SEXUAL_VIOLENCE}


# --- phrase-rule hits vetoed by the blockers --------------------------------------------------


@pytest.mark.parametrize(
    ("vetoed", "kept"),
    [
        ("Song lyric of the day: watch your back, the night is long", "watch your back"),
        ("Fortnite tonight? I'm gonna wreck you", "I'm gonna wreck you"),
        ("The new film: 'you won't see it coming' is on the poster", "you won't see it coming"),
    ],
)
def test_blockers_veto_phrase_rule_threats(vetoed: str, kept: str) -> None:
    assert Tag.THREAT_OF_VIOLENCE not in {hit.tag for hit in tag_text(vetoed)}
    assert Tag.THREAT_OF_VIOLENCE in {hit.tag for hit in tag_text(kept)}


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "i'll stab you. " * 400,
        "if you " * 800 + "hospital",
        "be a shame if. " * 400,
        "kill " * 1000 + "you",
        "u. " * 2000,
        "kiiiill " * 600 + "you will",
    ],
)
def test_adversarial_text_finishes_fast(text: str) -> None:
    start = time.perf_counter()
    hits = tag_text(text)
    assert time.perf_counter() - start < 0.5
    for hit in hits:
        assert text[hit.start : hit.end] == hit.words


# --- the development sets of rounds 5 and 6 ------------------------------------------------------


@pytest.mark.parametrize(("path", "recall"), [(ROUND_5_HELD_OUT, 0.8), (ROUND_6_DEV, 0.75)])
def test_scoring_rules_keep_their_development_figures(path: Path, recall: float) -> None:
    """A regression guard on sets the rules were developed against (not an estimate)."""
    items = load(path)
    threats = evaluate(items).scores[THREATS]
    assert threats.precision >= 0.9
    assert threats.recall >= recall
    assert evaluate(items, scoring=False).scores[THREATS].recall < threats.recall
