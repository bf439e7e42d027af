"""Word weights: one published linear rule per tag, learned from hand-labelled messages.

The phrase and scoring rules find the wordings someone thought of; on messages written by people
who never saw them they found only a quarter to a third of the threats (BENCHMARKS.md). This rule
adds what labelled examples teach: every word, pair and triple of words ("n-grams") carries a
weight for each tag, learned by ``benchmarks/train_tag_weights.py`` from the labelled sets in
``benchmarks/data/`` and published in ``tag_weights.json`` beside this module, where anyone can
read why "eating through a straw" leans towards a threat and "spoil the ending" away from one.

How a text is scored, for each tag: the text is cut into pieces of at most ``CHUNK_WORDS`` words at
sentence ends (a short message is one piece); a piece's score is the tag's bias plus the sum of the
weights of the distinct n-grams in it, divided by the square root of its number of words; the tag is
suggested when some piece's score reaches the tag's threshold. The hit names the rule
(``weighted.<tag>``) and shows the words from the first to the last of the n-grams that added
most, so the person sees why.

Words are found the same way in training and here: lower case, apostrophes dropped ("I'll" is
"ill"), letters repeated three times or more squeezed ("sooo" is "so"), and a few texting spellings
read as the word they stand for ("u" is "you", "ur" is "your").
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib import resources

from safetrail.analysis.model import Tag, TagHit

__all__ = [
    "CHUNK_WORDS",
    "Gram",
    "Weighing",
    "WeightedRules",
    "grams",
    "load",
    "pieces",
    "weigh",
    "words_of",
]

CHUNK_WORDS = 40
MIN_WORDS = 3
WEIGHTS_RESOURCE = "tag_weights.json"
RULE_PREFIX = "weighted."
SHOWN_CHARS = 80

_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)*")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_STRETCHED = re.compile(r"([a-z])\1{2,}")
SPELLINGS: dict[str, str] = {
    "u": "you",
    "ya": "you",
    "yu": "you",
    "ur": "your",
    "yr": "your",
    "yer": "your",
    "youre": "your",
    "r": "are",
    "n": "and",
    "wiv": "with",
    "wid": "with",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "wot": "what",
    "wat": "what",
    "dnt": "dont",
    "il": "ill",
    "ull": "youll",
    "b4": "before",
    "gna": "gonna",
    "tho": "though",
    "luv": "love",
    "pls": "please",
    "plz": "please",
    "im": "i",
    "m": "am",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "2nite": "tonight",
    "tonite": "tonight",
    "bk": "back",
    "wk": "week",
}


@dataclass(frozen=True, slots=True)
class Gram:
    """One n-gram of a piece of text: its key ("through a straw") and where it is."""

    key: str
    start: int
    end: int


def _word(token: str) -> str:
    if "'" in token or "\u2019" in token:
        token = token.replace("'", "").replace("\u2019", "")
    return SPELLINGS.get(token, token)


def words_of(lowered: str) -> list[tuple[str, int, int]]:
    """The text's words, normalised as in training, with their spans."""
    found = [(_word(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
    if _STRETCHED.search(lowered) is None:
        return found
    return [(SPELLINGS.get(w := _STRETCHED.sub(r"\1", word), w), a, b) for word, a, b in found]


def pieces(lowered: str) -> list[list[tuple[str, int, int]]]:
    """The text's words (normalised, with their spans), cut into pieces of at most CHUNK_WORDS
    words at sentence ends; a text of CHUNK_WORDS words or fewer is one piece."""
    words = words_of(lowered)
    if len(words) <= CHUNK_WORDS:
        return [words] if words else []
    ends = [m.start() for m in _SENTENCE_END.finditer(lowered)]
    out: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    index = 0
    for stop in [*ends, len(lowered)]:
        sentence_end = bisect_left(words, stop, lo=index, key=lambda word: word[1])
        sentence = words[index:sentence_end]
        index = sentence_end
        if current and len(current) + len(sentence) > CHUNK_WORDS:
            out.append(current)
            current = []
        current.extend(sentence)
        while len(current) > CHUNK_WORDS:
            out.append(current[:CHUNK_WORDS])
            current = current[CHUNK_WORDS:]
    if current:
        out.append(current)
    return out


Spans = dict[str, tuple[int, int]]


def grams(piece: list[tuple[str, int, int]]) -> Spans:
    """The piece's 1-, 2- and 3-grams and where each first occurs."""
    seen: Spans = {}
    words = [word for word, _, _ in piece]
    for index, (word, start, end) in enumerate(piece):
        seen.setdefault(word, (start, end))
        if index >= 1:
            seen.setdefault(f"{words[index - 1]} {word}", (piece[index - 1][1], end))
        if index >= 2:
            key = f"{words[index - 2]} {words[index - 1]} {word}"
            seen.setdefault(key, (piece[index - 2][1], end))
    return seen


def scale(words: int) -> float:
    """What each n-gram's weight is multiplied by in a piece of this many words."""
    return 1.0 / math.sqrt(max(words, MIN_WORDS))


@dataclass(frozen=True, slots=True)
class WeightedRules:
    """The published weights, turned round for lookup: n-gram -> its weight for every tag.

    ``thresholds``: a tag's score at which the weights suggest it on their own. ``vetoes``: the
    score below which the weights overrule another rule's hit on that tag (None: never, as for
    threats, where a missed tag costs more than a wrong one)."""

    tags: tuple[Tag, ...]
    biases: tuple[float, ...]
    thresholds: tuple[float, ...]
    vetoes: tuple[float | None, ...]
    by_gram: dict[str, tuple[float, ...]]
    fingerprint: str

    @classmethod
    def from_json(cls, raw: bytes) -> WeightedRules:
        data = json.loads(raw)
        entries = sorted(data["tags"].items())
        by_gram: dict[str, list[float]] = {}
        for index, (_, entry) in enumerate(entries):
            for key, weight in entry["weights"].items():
                by_gram.setdefault(key, [0.0] * len(entries))[index] = float(weight)
        return cls(
            tuple(Tag(name) for name, _ in entries),
            tuple(float(entry["bias"]) for _, entry in entries),
            tuple(float(entry["threshold"]) for _, entry in entries),
            tuple(
                None if entry.get("veto") is None else float(entry["veto"]) for _, entry in entries
            ),
            {key: tuple(weights) for key, weights in by_gram.items()},
            hashlib.sha256(raw).hexdigest()[:16],
        )

    def scores(self, found: Spans, words: int) -> list[float]:
        """Each tag's score for one piece (compare with the tag's threshold)."""
        rows = [row for key in found if (row := self.by_gram.get(key)) is not None]
        factor = scale(words)
        if not rows:
            return list(self.biases)
        columns = zip(*rows, strict=True)
        return [bias + sum(c) * factor for bias, c in zip(self.biases, columns, strict=True)]

    def strongest(self, found: Spans, index: int) -> Gram | None:
        """The words shown for a hit on tag ``index``: from the first to the last of the (at
        most) three n-grams that added most, when they lie within SHOWN_CHARS of each other;
        otherwise the one that added most."""
        ranked = sorted(
            (
                (row[index], key)
                for key in found
                if (row := self.by_gram.get(key)) and row[index] > 0
            ),
            reverse=True,
        )
        if not ranked:
            return None
        top = [found[key] for _, key in ranked[:3]]
        start, end = min(a for a, _ in top), max(b for _, b in top)
        if end - start > SHOWN_CHARS:
            start, end = top[0]
        return Gram(ranked[0][1], start, end)


@cache
def load() -> WeightedRules:
    raw = resources.files("safetrail.analysis").joinpath(WEIGHTS_RESOURCE).read_bytes()
    return WeightedRules.from_json(raw)


@dataclass(frozen=True, slots=True)
class Weighing:
    """What the weights make of one text: each tag's best score over the text's pieces, and
    which piece gave it."""

    rules: WeightedRules
    best: tuple[float, ...]
    where: tuple[int, ...]
    found: tuple[Spans, ...]

    def keeps(self, tag: Tag) -> bool:
        """False when the weights overrule another rule's hit on ``tag`` in this text."""
        if tag not in self.rules.tags:
            return True
        index = self.rules.tags.index(tag)
        veto = self.rules.vetoes[index]
        return veto is None or self.best[index] >= veto

    def hits(self, text: str, skip: set[Tag]) -> list[TagHit]:
        """The tags the weights suggest on their own, for tags not in ``skip``; each shows the
        n-gram that added most to its score."""
        out: list[TagHit] = []
        for index, tag in enumerate(self.rules.tags):
            if tag in skip or self.best[index] < self.rules.thresholds[index]:
                continue
            gram = self.rules.strongest(self.found[self.where[index]], index)
            if gram is not None:
                words = text[gram.start : gram.end]
                out.append(TagHit(tag, RULE_PREFIX + tag.value, words, gram.start, gram.end))
        return out


def weigh(lowered: str) -> Weighing:
    rules = load()
    size = len(rules.tags)
    best = [-math.inf] * size
    where = [0] * size
    cut = pieces(lowered)
    found = tuple(grams(piece) for piece in cut)
    for number, (piece, piece_grams) in enumerate(zip(cut, found, strict=True)):
        for index, score in enumerate(rules.scores(piece_grams, len(piece))):
            if score > best[index]:
                best[index] = score
                where[index] = number
    return Weighing(rules, tuple(best), tuple(where), found)
