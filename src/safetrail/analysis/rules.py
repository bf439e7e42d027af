"""Behaviour tags from a message's words: transparent rules, each hit saying why.

``tag_text`` suggests tags for one text. Every ``TagHit`` names the rule that fired and the exact
words it fired on (``text[start:end] == words``), so the person can see why a tag was suggested and
reject it. The phrase rules are in ``rules_threats``, ``rules_presence`` and ``rules_digital``; the
phrase language they are written in is described in ``rules_phrase``. After them, the scoring rules
(``rules_scored``, word lists in ``rules_scored_words``) look for threats, sexual threats and
self-harm pressure that no phrase lists, from their parts (an act, a frame of menace, a target);
their blockers also veto phrase-rule hits in news, fiction and game talk. The same engine then
scores the other behaviours (``rules_scored_conduct``: following, property, gifts, whereabouts,
loitering, watching, monitoring, account access, impersonation, third-party contact) from a verb
and its object in one sentence; some of their blockers also veto phrase-rule hits.

Speed: the rules are compiled once. For each text, one cheap pass splits it into plain lower-case
words, and only the phrases whose trigger words appear are run (about five per message), so a
typical message costs some 30 to 45 microseconds with all the scoring rules (see BENCHMARKS.md).
Texts are hostile: only the first ``MAX_CHARS`` characters are examined, each phrase reports at
most ``MAX_HITS_PER_PHRASE`` hits, and no pattern can backtrack catastrophically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from safetrail.analysis.model import Tag, TagHit
from safetrail.analysis.rules_digital import DIGITAL_RULES
from safetrail.analysis.rules_phrase import Rule
from safetrail.analysis.rules_presence import PRESENCE_RULES
from safetrail.analysis.rules_scored import ScoredRule, in_sentence_with, score_text, vetoed
from safetrail.analysis.rules_scored_conduct import CONDUCT_RULES
from safetrail.analysis.rules_scored_words import FICTION_ONLY, FICTION_VETOES
from safetrail.analysis.rules_scored_words import SCORED_RULES as THREAT_SCORED_RULES
from safetrail.analysis.rules_threats import THREAT_RULES
from safetrail.analysis.rules_weighted import weigh

__all__ = ["MAX_CHARS", "RULES", "SCORED_RULES", "Rule", "ScoredRule", "tag_text"]

MAX_CHARS = 5_000
MAX_HITS_PER_PHRASE = 20

RULES: tuple[Rule, ...] = THREAT_RULES + PRESENCE_RULES + DIGITAL_RULES
# The threat rules first (their order matters: violence yields to the other two), then the
# rules for the other behaviours (``rules_scored_conduct``).
SCORED_RULES: tuple[ScoredRule, ...] = THREAT_SCORED_RULES + CONDUCT_RULES
_VETOING_RULES = tuple(rule for rule in SCORED_RULES if rule.vetoes)
_RULES_BY_TAG: dict[Tag, tuple[ScoredRule, ...]] = {
    tag: tuple(rule for rule in SCORED_RULES if rule.tag is tag)
    for tag in {rule.tag for rule in SCORED_RULES}
}

# Words inside a threat's own phrase that deny it ("I would never hurt you").
_NEGATION = re.compile(
    r"(?<!\w)(?:never|not|won\W?t|wont|wouldn\W?t|wouldnt"
    r"|don\W?t\W+(?:want|wanna|plan|intend|mean))(?!\w)",
    re.IGNORECASE,
)
# What turns a denial back into a threat when it follows it ("... yet", "... unless you").
_CONDITION = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:yet|unless|if\W+(?:you|u)|as\W+long\W+as|this\W+time|for\W+now|"
    r"till|until|so\W+long\W+as|provided)(?!\w)",
    re.IGNORECASE,
)
_CONDITION_WINDOW = 40

# Plain-word splitting: lower-case ASCII letters kept, everything else becomes a space.
_WORD_BYTES = bytes(range(ord("a"), ord("z") + 1))
_SPLIT_TABLE = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))
_TRIPLE_LETTER = re.compile(r"([a-z])\1\1")
_SQUEEZE = re.compile(rb"([a-z])\1+")


def _squeeze(word: bytes) -> bytes:
    """Collapse repeated letters ("sooo" -> "so") so stretched spellings meet their triggers."""
    return _SQUEEZE.sub(rb"\1", word)


@dataclass(frozen=True, slots=True, eq=False)
class _Phrase:
    """One phrase of a rule, ready to search (hashed by identity)."""

    pattern: re.Pattern[str]
    rule: Rule


def _index(rules: Iterable[Rule], squeeze: bool) -> dict[bytes, tuple[_Phrase, ...]]:
    index: dict[bytes, list[_Phrase]] = {}
    for rule in rules:
        for pattern, words in zip(rule.phrase_patterns, rule.phrase_triggers, strict=True):
            phrase = _Phrase(pattern, rule)
            for word in words:
                key = _squeeze(word) if squeeze else word
                index.setdefault(key, []).append(phrase)
    return {word: tuple(phrases) for word, phrases in index.items()}


_BY_WORD = _index(RULES, squeeze=False)
_BY_SQUEEZED_WORD = _index(RULES, squeeze=True)
_TRIGGERS = frozenset(_BY_WORD)
_SQUEEZED_TRIGGERS = frozenset(_BY_SQUEEZED_WORD)


def _plain_words(lowered: str) -> set[bytes]:
    return set(lowered.encode("ascii", "replace").translate(_SPLIT_TABLE).split())


def _candidate_phrases(lowered: str, words: set[bytes]) -> set[_Phrase]:
    """The phrases whose trigger words occur in the text."""
    chosen: set[_Phrase] = set()
    for word in words & _TRIGGERS:
        chosen.update(_BY_WORD[word])
    if _TRIPLE_LETTER.search(lowered):
        for word in {_squeeze(w) for w in words} & _SQUEEZED_TRIGGERS:
            chosen.update(_BY_SQUEEZED_WORD[word])
    return chosen


def _lower_same_length(text: str) -> str:
    """Lower-case text keeping every character at its index (so spans fit the original)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _starts_word(text: str, index: int) -> bool:
    if index == 0:
        return True
    before = text[index - 1]
    return not (before.isalnum() or before == "_")


def _word_matches(
    pattern: re.Pattern[str], lowered: str, first: re.Match[str]
) -> Iterator[re.Match[str]]:
    """Matches that begin at the start of a word, leftmost first, never overlapping.

    ``first`` is the pattern's first match anywhere in the text (already found by the caller).
    """
    match: re.Match[str] | None = first
    while match is not None:
        if not _starts_word(lowered, match.start()):
            match = pattern.search(lowered, match.start() + 1)
            continue
        if match.end() == match.start():
            match = pattern.search(lowered, match.end() + 1)
            continue
        yield match
        match = pattern.search(lowered, match.end())


def _denied(lowered: str, match: re.Match[str]) -> bool:
    """True when the matched words deny the act and no condition or delay follows."""
    if not _NEGATION.search(match.group()):
        return False
    after = lowered[match.end() : match.end() + _CONDITION_WINDOW]
    return _CONDITION.search(after) is None


def _hits_for(phrase: _Phrase, first: re.Match[str], text: str, lowered: str) -> list[TagHit]:
    rule = phrase.rule
    hits: list[TagHit] = []
    for match in _word_matches(phrase.pattern, lowered, first):
        if rule.negatable and _denied(lowered, match):
            continue
        start, end = match.span()
        hits.append(TagHit(rule.tag, rule.name, text[start:end], start, end))
        if len(hits) >= MAX_HITS_PER_PHRASE:
            break
    return hits


def tag_text(text: str, scoring: bool = True, learned: bool = True) -> list[TagHit]:
    """Suggest behaviour tags for one text; each hit names its rule and the exact words.

    Pure and bounded: only the first MAX_CHARS characters are examined. Hits come in order of
    position in the text. ``scoring=False`` runs the phrase rules alone (for comparison in the
    benchmark): no scoring-rule hits, no word weights and no vetoes. ``learned=False`` leaves out
    the word weights (``rules_weighted``), which otherwise add tags no other rule found.
    """
    text = text[:MAX_CHARS]
    lowered = _lower_same_length(text)
    words = _plain_words(lowered)
    hits: list[TagHit] = []
    for phrase in _candidate_phrases(lowered, words):
        first = phrase.pattern.search(lowered)
        if first is not None:  # most phrases find nothing: one call and on to the next
            hits.extend(_hits_for(phrase, first, text, lowered))
    if scoring:
        hits = _without_vetoed(hits, lowered, words)
        hits.extend(_without_fiction(_scored_hits(text, lowered, words, hits), lowered, words))
        if learned:
            hits = _weighed(text, lowered, words, hits)
    if not hits:
        return hits
    hits.sort(key=lambda hit: (hit.start, hit.end, hit.rule))
    return _without_duplicates(hits)


def _without_vetoed(hits: list[TagHit], lowered: str, words: set[bytes]) -> list[TagHit]:
    """Drop phrase-rule hits that a scoring rule's blockers veto (news, lyrics, game talk), and
    following, loitering and watching in songs and stories."""
    if not hits:
        return hits
    hits = _without_fiction(hits, lowered, words)
    for rule in _VETOING_RULES:
        if not rule.vetoes.isdisjoint(hit.tag for hit in hits):
            hits = [
                hit
                for hit in hits
                if hit.tag not in rule.vetoes
                or not vetoed(rule, lowered, _words_for(lowered, words), hit.start, hit.end)
            ]
    return hits


def _without_fiction(hits: list[TagHit], lowered: str, words: set[bytes]) -> list[TagHit]:
    """Drop following, loitering and watching found in a sentence of a song or story."""
    if not any(hit.tag in FICTION_VETOES for hit in hits):
        return hits
    chosen = _words_for(lowered, words)
    return [
        hit
        for hit in hits
        if hit.tag not in FICTION_VETOES
        or not in_sentence_with(FICTION_ONLY, lowered, chosen, hit.start, hit.end)
    ]


def _words_for(lowered: str, words: set[bytes]) -> set[bytes] | None:
    """The words to pick phrases by, or None to try every phrase (stretched spellings)."""
    return None if _TRIPLE_LETTER.search(lowered) else words


def _scored_hits(text: str, lowered: str, words: set[bytes], earlier: list[TagHit]) -> list[TagHit]:
    """The scoring rules' hits, for tags no rule found yet (their act words must be present).

    A rule does not run when a tag it yields to was found anywhere in the message, and its hit
    is dropped when it overlaps a hit of a tag it yields to within its words ("if you leave I'll
    end it" is self-harm pressure, not a threat to end you)."""
    hits: list[TagHit] = []
    found = {hit.tag for hit in earlier}
    chosen = _words_for(lowered, words)
    for rule in SCORED_RULES:
        if rule.tag in found or not found.isdisjoint(rule.yields_to):
            continue
        if chosen is not None and (chosen.isdisjoint(rule.triggers) or not rule.may_fire(chosen)):
            continue
        hit = score_text(rule, text, lowered, chosen)
        if hit is not None and not any(
            other.tag in rule.yields_within and other.start < hit.end and hit.start < other.end
            for other in (*earlier, *hits)
        ):
            hits.append(hit)
            found.add(hit.tag)
    return hits


def _weighed(text: str, lowered: str, words: set[bytes], hits: list[TagHit]) -> list[TagHit]:
    """The word weights' say: drop the hits they overrule, add the tags they find on their own
    (unless news, fiction or game talk vetoes them, as for the phrase rules)."""
    weighing = weigh(lowered)
    kept = [hit for hit in hits if weighing.keeps(hit.tag)]
    added = weighing.hits(text, {hit.tag for hit in kept})
    if not added:
        return kept
    chosen = _words_for(lowered, words)
    added = [hit for hit in added if not _blocked(hit, lowered, chosen)]
    return kept + _without_vetoed(added, lowered, words)


def _blocked(hit: TagHit, lowered: str, words: set[bytes] | None) -> bool:
    """True when the scoring rule for the hit's tag would block it in its sentence: news,
    fiction, everyday talk, or a denial with no condition ("I don't want to hurt you")."""
    for rule in _RULES_BY_TAG.get(hit.tag, ()):
        if rule.blockers and in_sentence_with(rule.blockers, lowered, words, hit.start, hit.end):
            return True
        if (
            rule.denials
            and in_sentence_with(rule.denials, lowered, words, hit.start, hit.end)
            and not (
                rule.conditions
                and in_sentence_with(rule.conditions, lowered, words, hit.start, hit.end)
            )
        ):
            return True
    return False


def _without_duplicates(hits: list[TagHit]) -> list[TagHit]:
    """One hit per rule and span (two phrases of one rule may find the same words)."""
    seen: set[tuple[str, int, int]] = set()
    out: list[TagHit] = []
    for hit in hits:
        key = (hit.rule, hit.start, hit.end)
        if key not in seen:
            seen.add(key)
            out.append(hit)
    return out
