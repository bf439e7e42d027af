"""Scoring rules for the behaviours that are not threats (``rules_scored_conduct``).

The messages are written for these tests and are not in the benchmark sets. Positives marked
``scored`` must be found by the scoring rule itself (no phrase rule lists them); hard negatives
are everyday messages that share the rules' words.
"""

from __future__ import annotations

import pytest

from safetrail.analysis.model import Tag, TagHit
from safetrail.analysis.rules import SCORED_RULES, tag_text
from safetrail.analysis.rules_scored import ScoredRule
from safetrail.analysis.rules_scored_conduct import CONDUCT_RULES, FOLLOWING, GIFTS
from safetrail.analysis.rules_scored_words import SCORED_RULES as THREAT_SCORED_RULES
from safetrail.services.tagging import rules_version


def hits_for(tag: Tag, text: str, learned: bool = True) -> list[TagHit]:
    return [hit for hit in tag_text(text, learned=learned) if hit.tag is tag]


POSITIVES_SCORED = [
    (Tag.FOLLOWING, "walked after you the whole way down Mill Lane"),
    (Tag.FOLLOWING, "was three cars back from you on the ring road"),
    (Tag.FOLLOWING, "so I hopped on too and sat at the back"),
    (Tag.FOLLOWING, "got on the same tram as you again this morning"),
    (Tag.INTERFERING_WITH_PROPERTY, "your wing mirror didnt snap off by itself"),
    (Tag.INTERFERING_WITH_PROPERTY, "your letters are in my drawer, all of them"),
    (Tag.FOLLOWING, "was right behind you all the way to the station and back"),
    (Tag.INTERFERING_WITH_PROPERTY, "poured paint all over your bike"),
    (Tag.INTERFERING_WITH_PROPERTY, "I've been nicking your letters for weeks"),
    (Tag.INTERFERING_WITH_PROPERTY, "took the dog for a little drive, she misses you"),
    (Tag.INTERFERING_WITH_PROPERTY, "bit of petrol and your fence would make a lovely bonfire"),
    (Tag.GIFTS, "I sent roses to your office again"),
    (Tag.GIFTS, "ordered you a pizza to the flat, enjoy x"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "your pilates class finishes at 8 doesn't it"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "the flat above the chippy, found it easy"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "tuesdays you always do the big shop right"),
    (Tag.WATCHING_OR_SPYING, "been filming you from the car park opposite, coming and going"),
    (Tag.LOITERING, "I'm in the van outside. Not moving"),
    (Tag.LOITERING, "parked up 150 metres away from your door all evening"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "u think ur safe in that new house? found it"),
    (Tag.MONITORING, "I check every story you post"),
    (Tag.MONITORING, "saw your Strava this morning, 5k at 6am"),
    (Tag.ACCOUNT_ACCESS, "your icloud password still works for me"),
    (Tag.ACCOUNT_ACCESS, "logged into your banking app, you're skint"),
    (Tag.IMPERSONATION, "rang the school posing as your husband"),
    (Tag.IMPERSONATION, "set up a dating profile with your photos"),
    (Tag.THIRD_PARTY_CONTACT, "I popped round your nan's and we had a lovely natter"),
    (Tag.THIRD_PARTY_CONTACT, "keep it up and your landlord gets a letter"),
    (Tag.GIFTS, "did the roses arrive? another bunch on its way to you"),
]


@pytest.mark.parametrize(("tag", "text"), POSITIVES_SCORED)
def test_conduct_is_scored_from_its_parts(tag: Tag, text: str) -> None:
    hits = hits_for(tag, text, learned=False)
    scored = [hit for hit in hits if hit.rule.endswith(".scored")]
    assert scored, f"{tag.value} not scored in {text!r} (found {hits})"
    hit = scored[0]
    assert text[hit.start : hit.end] == hit.words


@pytest.mark.parametrize(
    ("tag", "text"),
    [
        (Tag.FOLLOWING, "I tailed you from the leisure centre to the chemist"),
        (Tag.INTERFERING_WITH_PROPERTY, "someone slashed your tyres last night, shame"),
        (Tag.GIFTS, "left a necklace on your doorstep, wear it"),
        (Tag.LOITERING, "parked outside your work again all afternoon"),
        (Tag.LOITERING, "I'll be hanging round your gym till you come out"),
        (Tag.WATCHING_OR_SPYING, "I watch your bedroom window every night"),
        (Tag.THIRD_PARTY_CONTACT, "messaged your manager about what you're really like"),
    ],
)
def test_conduct_found_by_either_kind_of_rule(tag: Tag, text: str) -> None:
    assert hits_for(tag, text)


CONDUCT_NEGATIVES: list[tuple[Tag, str]] = [
    (Tag.FOLLOWING, "do you follow that baking page on insta"),
    (Tag.FOLLOWING, "Behind you all the way, go for it"),
    (Tag.FOLLOWING, "Woman followed home from a bar, police appeal for witnesses"),
    (Tag.FOLLOWING, "Song idea: I'll follow you through every street of this town"),
    (Tag.INTERFERING_WITH_PROPERTY, "I took your car to the garage for you, it's fixed"),
    (Tag.INTERFERING_WITH_PROPERTY, "the kids broke my window playing football"),
    (Tag.INTERFERING_WITH_PROPERTY, "someone set fire to the bins on our estate again"),
    (Tag.INTERFERING_WITH_PROPERTY, "just keyed in the code for your gate, we're in"),
    (Tag.GIFTS, "did your parcel come? mine went to the depot"),
    (Tag.GIFTS, "thanks for the flowers, so kind"),
    (Tag.GIFTS, "Left you some cake in the fridge x"),
    (Tag.INTERFERING_WITH_PROPERTY, "I took your bins out since you were away"),
    (Tag.INTERFERING_WITH_PROPERTY, "Your tyres were flat so I pumped them up"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "The new flat above the bakery has a great view"),
    (Tag.THIRD_PARTY_CONTACT, "I rang your mum to ask about Sunday lunch, she said yes"),
    (Tag.THIRD_PARTY_CONTACT, "We sent your dad a card for Father's Day"),
    (Tag.GIFTS, "I've left your present with your neighbour, happy birthday"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "what time does your class finish?"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "your shift finishes at 10, want a lift?"),
    (Tag.LOITERING, "waiting in the car park for the kids"),
    (Tag.LOITERING, "I'll be round yours at 8 for the film"),
    (Tag.LOITERING, "I'll wait by the school gates for the kids, see you at 3"),
    (Tag.LOITERING, "Been sat in the car park at the hospital for an hour, no spaces"),
    (Tag.WATCHING_OR_SPYING, "I can watch the kids at your house on Saturday"),
    (Tag.MONITORING, "Saw your new profile pic, love the hair!"),
    (Tag.ACCOUNT_ACCESS, "Your facebook got hacked again, change your password!"),
    (Tag.WATCHING_OR_SPYING, "see you later at the pub"),
    (Tag.WATCHING_OR_SPYING, "Saw you at the window, waved but you didnt see me!"),
    (Tag.INTERFERING_WITH_PROPERTY, "Put your letters in my drawer so they dont get lost"),
    (Tag.INTERFERING_WITH_PROPERTY, "Your letters came to mine, I'll pop them round"),
    (Tag.WATCHING_OR_SPYING, "gonna watch the match at your house?"),
    (Tag.WATCHING_OR_SPYING, "gonna flatten u when i see u"),
    (Tag.KNOWLEDGE_OF_WHEREABOUTS, "I dreamt you were at the seaside, so random"),
    (Tag.MONITORING, "did you see my post about the dog?"),
    (Tag.MONITORING, "read your email, sounds good"),
    (Tag.ACCOUNT_ACCESS, "you should change your password, there's a scam going round"),
    (Tag.ACCOUNT_ACCESS, "I forgot my phone pin again"),
    (Tag.IMPERSONATION, "stop pretending you didn't eat the last biscuit"),
    (Tag.THIRD_PARTY_CONTACT, "your mum rang, she says call her back when you can"),
    (Tag.THIRD_PARTY_CONTACT, "tell your sister happy birthday from me"),
    (Tag.THIRD_PARTY_CONTACT, "I spoke to your brother about the van, he's fine with it"),
]


@pytest.mark.parametrize(("tag", "text"), CONDUCT_NEGATIVES)
def test_conduct_hard_negatives(tag: Tag, text: str) -> None:
    """The rules' own hard negatives (the word weights' are counted in test_rules_weighted)."""
    assert not hits_for(tag, text, learned=False)


def test_conduct_rules_follow_the_threat_rules_and_are_documented() -> None:
    assert SCORED_RULES == THREAT_SCORED_RULES + CONDUCT_RULES
    tags = {rule.tag for rule in CONDUCT_RULES}
    assert len(tags) == len(CONDUCT_RULES)
    assert Tag.THREAT_OF_VIOLENCE not in tags
    for rule in CONDUCT_RULES:
        assert rule.name.endswith(".scored") and rule.description.strip()
        assert rule.threshold == 2 and all(cues.weight == 1 for cues in rule.frames)


def test_one_part_alone_is_not_enough() -> None:
    assert not hits_for(Tag.GIFTS, "flowers", learned=False)
    assert not hits_for(Tag.GIFTS, "I sent it to you", learned=False)
    assert hits_for(Tag.GIFTS, "I sent flowers to you")


def test_rules_version_follows_the_conduct_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    before = rules_version()
    narrower = ScoredRule(
        name=FOLLOWING.name,
        tag=FOLLOWING.tag,
        description=FOLLOWING.description,
        acts=FOLLOWING.acts[:1],
        frames=FOLLOWING.frames,
        blockers=FOLLOWING.blockers,
        threshold=FOLLOWING.threshold,
        reach=FOLLOWING.reach,
    )
    rules = tuple(narrower if rule is FOLLOWING else rule for rule in SCORED_RULES)
    monkeypatch.setattr("safetrail.services.tagging.SCORED_RULES", rules)
    assert rules_version() != before


def test_a_rule_that_cannot_reach_its_threshold_is_skipped() -> None:
    assert not GIFTS.may_fire({b"hello", b"there"})
    assert not GIFTS.may_fire({b"flowers"})  # a gift, but nothing giving it
    assert GIFTS.may_fire({b"flowers", b"sent"})
