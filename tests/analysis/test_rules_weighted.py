"""The word weights: how a text is cut and scored, the published file, and their place in
``tag_text``."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetrail.analysis import rules_weighted
from safetrail.analysis.model import THREAT_TAGS, Tag
from safetrail.analysis.rules import tag_text
from safetrail.analysis.rules_weighted import (
    CHUNK_WORDS,
    RULE_PREFIX,
    WeightedRules,
    grams,
    load,
    pieces,
)


def keys(text: str) -> list[str]:
    lowered = text.lower()
    return [key for piece in pieces(lowered) for key in grams(piece)]


def small_rules(threat_veto: float | None = None, gifts_veto: float | None = -1.0) -> WeightedRules:
    document = {
        "tags": {
            "threat_of_violence": {
                "bias": -2.0,
                "threshold": 0.0,
                "veto": threat_veto,
                "weights": {"straw": 3.0, "through a straw": 4.0, "spoil": -5.0},
            },
            "gifts": {
                "bias": -1.0,
                "threshold": 1.0,
                "veto": gifts_veto,
                "weights": {"flowers": 4.0, "bought": -6.0},
            },
        }
    }
    return WeightedRules.from_json(json.dumps(document).encode())


def test_words_are_read_as_in_training() -> None:
    assert sorted(keys("I'll see U soooon")) == sorted(
        ["ill", "see", "you", "son", "ill see", "see you", "you son", "ill see you", "see you son"]
    )
    assert sorted(keys("ur car… ur choice")) == sorted(
        [
            "your",
            "car",
            "choice",
            "your car",
            "car your",
            "your choice",
            "your car your",
            "car your choice",
        ]
    )


def test_a_short_text_is_one_piece_and_spans_fit_the_text() -> None:
    text = "Carry on and you'll be eating through a straw"
    (piece,) = pieces(text.lower())
    assert [word for word, _, _ in piece][:3] == ["carry", "on", "and"]
    for word, start, end in piece:
        assert text.lower()[start:end].replace("'", "") == word


def test_a_long_text_is_cut_at_sentence_ends() -> None:
    sentence = "We had such a lovely time at the seaside with your aunt and the dog. "
    text = sentence * 10 + "Next time you won't be walking home"
    cut = pieces(text.lower())
    assert len(cut) > 1
    assert all(len(piece) <= CHUNK_WORDS for piece in cut)
    assert sum(len(piece) for piece in cut) == len(text.split())
    last = cut[-1]
    assert " ".join(word for word, _, _ in last).endswith("next time you wont be walking home")
    assert text.lower()[last[0][1] :].startswith(last[0][0])


def test_one_sentence_longer_than_a_piece_is_split_hard() -> None:
    text = " ".join(["word"] * (CHUNK_WORDS * 2 + 5))
    assert [len(p) for p in pieces(text)] == [CHUNK_WORDS, CHUNK_WORDS, 5]


def test_a_piece_is_scored_as_the_file_says() -> None:
    rules = small_rules()
    piece = pieces("you will be eating through a straw")[0]
    scores = dict(zip(rules.tags, rules.scores(grams(piece), len(piece)), strict=True))
    assert math.isclose(scores[Tag.THREAT_OF_VIOLENCE], -2.0 + (3.0 + 4.0) / math.sqrt(7))
    assert math.isclose(scores[Tag.GIFTS], -1.0)


def test_a_short_text_counts_as_three_words() -> None:
    rules = small_rules()
    piece = pieces("straw")[0]
    (score,) = (
        s
        for t, s in zip(rules.tags, rules.scores(grams(piece), 1), strict=True)
        if t is Tag.THREAT_OF_VIOLENCE
    )
    assert math.isclose(score, -2.0 + 3.0 / math.sqrt(3))


def test_the_shipped_file_loads_with_every_tag() -> None:
    rules = load()
    assert set(rules.tags) == set(Tag)
    assert len(rules.by_gram) > 1000
    floor = json.loads(
        (Path(rules_weighted.__file__).parent / rules_weighted.WEIGHTS_RESOURCE).read_bytes()
    )["settings"]["threat_veto_floor"]
    for tag, veto in zip(rules.tags, rules.vetoes, strict=True):
        if tag in {Tag.THREAT_OF_VIOLENCE, Tag.THREAT_OF_SEXUAL_VIOLENCE}:
            # a threat is taken away only when the weights are strongly against it
            assert veto is None or veto <= floor <= -1.0


def test_weighted_hits_show_the_words_that_added_most(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_weighted, "load", small_rules)
    text = "Keep going and you'll be eating through a straw"
    weighing = rules_weighted.weigh(text.lower())
    (hit,) = weighing.hits(text, set())
    assert hit.tag is Tag.THREAT_OF_VIOLENCE
    assert hit.rule == RULE_PREFIX + "threat_of_violence"
    assert hit.words == "through a straw" == text[hit.start : hit.end]
    assert weighing.hits(text, {Tag.THREAT_OF_VIOLENCE}) == []
    spoiled = "don't spoil the straw ending"
    assert rules_weighted.weigh(spoiled).hits(spoiled, set()) == []


def test_a_veto_overrules_only_where_the_file_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_weighted, "load", small_rules)
    bought = rules_weighted.weigh("i bought you those")
    assert not bought.keeps(Tag.GIFTS)  # -1 - 6/sqrt(4) = -4 < -1
    assert bought.keeps(Tag.THREAT_OF_VIOLENCE)  # no veto for threats
    assert rules_weighted.weigh("flowers on your step").keeps(Tag.GIFTS)
    assert rules_weighted.weigh("anything").keeps(Tag.FOLLOWING)  # a tag with no weights


def test_tag_text_adds_weighted_hits_only_when_learned() -> None:
    text = "People who mess me about tend to end up needing a lot of dental work"
    with_weights = {hit.rule for hit in tag_text(text)}
    without = {hit.rule for hit in tag_text(text, learned=False)}
    assert not any(rule.startswith(RULE_PREFIX) for rule in without)
    assert with_weights - without <= {RULE_PREFIX + tag.value for tag in Tag}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_every_weighted_hit_names_its_own_words(text: str) -> None:
    for hit in tag_text(text):
        assert text[hit.start : hit.end] == hit.words
        if hit.rule.startswith(RULE_PREFIX):
            assert hit.rule == RULE_PREFIX + hit.tag.value


def test_a_hostile_long_text_is_bounded() -> None:
    text = ("you " * 3000) + ". " * 2000
    started = time.perf_counter()
    tag_text(text)
    assert time.perf_counter() - started < 1.0


def test_rules_version_follows_the_published_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    from safetrail.services.tagging import rules_version

    before = rules_version()
    monkeypatch.setattr(rules_weighted, "load", small_rules)
    assert rules_version() != before


def test_the_shipped_weights_were_trained_on_the_labelled_data_there_is() -> None:
    from benchmarks.train_tag_weights import BLIND, check, training_files

    assert check() is None
    assert not {path.name for path in training_files()} & set(BLIND)


def test_the_whole_tagger_keeps_nearly_all_the_rules_hard_negatives() -> None:
    """The word weights add some wrong tags to everyday messages (measured in BENCHMARKS.md);
    on the rules' hand-written hard negatives they may add at most one in twenty."""
    from tests.analysis.test_rules import NEGATIVES
    from tests.analysis.test_rules_scored_conduct import CONDUCT_NEGATIVES

    cases = NEGATIVES + CONDUCT_NEGATIVES
    wrong = [text for tag, text in cases if tag in {hit.tag for hit in tag_text(text)}]
    assert len(wrong) <= len(cases) // 20, wrong


def test_the_whole_tagger_keeps_nearly_all_the_rules_key_positives() -> None:
    """The word weights may overrule a rule's hit (a veto chosen on unseen writers, where the
    rules' precision is low); on the rules' own key positives they may drop at most one in
    twenty, and never a threat."""
    from tests.analysis.test_rules import POSITIVES, VEILED_POSITIVES
    from tests.analysis.test_rules_scored_conduct import POSITIVES_SCORED

    cases = POSITIVES + VEILED_POSITIVES + POSITIVES_SCORED
    lost = [(tag, text) for tag, text in cases if tag not in {h.tag for h in tag_text(text)}]
    assert len(lost) <= len(cases) // 20, lost
    assert not [text for tag, text in lost if tag in THREAT_TAGS], lost
