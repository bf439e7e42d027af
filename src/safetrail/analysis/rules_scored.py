"""Scoring rules: a threat is found from its parts, not from a listed phrase.

A phrase rule fires only on the wordings it lists, and every new set of messages brought wordings
no rule listed. A scoring rule instead looks, inside one sentence (or two sentences side by side),
for the parts a threat is made of, each from a broad list of words:

- an **act**: harm, named or hinted ("stab", "hospital", "won't make it home", "good locks");
- a **frame** that makes it menace: the future ("I'll", "gonna", "soon"), a condition ("if you",
  "or else", "carry on and"), a warning ("you've been warned", "remember that") or a rhetorical
  turn ("be a shame if", "hope you like", "do you know what happens to");
- a **target**: you, your family, your pets, your things.

Each act and frame has a weight (2 strong, 1 weak); the rule fires when the best act and the best
frame together reach the rule's threshold and, where the rule needs one, a target is present.
So "I'll stab you" (strong act, plain future) fires, "you'll be sorry" (weak act, plain future)
does not, and "people like you have accidents" (weak act, rhetorical frame) does.

Blockers keep precision: a first-person denial ("I would never hurt you") unless a condition
follows ("... unless you leave"); news, court reports and fiction ("police said", "in the film");
everyday idioms ("beat you to the car park", "your mum will kill you"); and, for the acts that are
also the words of games, sport, exams and food ("I'll destroy you at FIFA", "murder a pint"), the
presence of such a context anywhere in the message.

Every hit is still explained: it names the scoring rule and the exact words from the first part
to the last (``text[start:end] == words``). Lists are written in the phrase language of
``rules_phrase`` (texting spellings, repeated letters and dropped apostrophes are accepted).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field

from safetrail.analysis.model import Tag, TagHit
from safetrail.analysis.rules_phrase import compile_phrase

MAX_CUE_HITS = 40
_SENTENCE_END = re.compile(r"[.!?;\n]+")


@dataclass(frozen=True, slots=True)
class Cues:
    """A named list of phrases with one weight.

    Each phrase is searched on its own, and only when one of its trigger words is in the text
    (as ``tag_text`` does for the phrase rules): that keeps a broad list cheap. ``pattern`` is the
    whole list as one expression, for showing and for the rule's fingerprint.
    """

    name: str
    weight: int
    phrases: tuple[str, ...]
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    searches: tuple[tuple[re.Pattern[str], frozenset[bytes]], ...] = field(
        init=False, repr=False, compare=False
    )
    triggers: frozenset[bytes] = field(init=False, repr=False, compare=False)
    by_trigger: dict[bytes, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = [compile_phrase(phrase) for phrase in self.phrases]
        source = "|".join(f"(?:{regex})" for regex, _ in compiled)
        object.__setattr__(self, "pattern", re.compile(source))
        searches = tuple((re.compile(regex), frozenset(words)) for regex, words in compiled)
        object.__setattr__(self, "searches", searches)
        index: dict[bytes, list[int]] = {}
        for number, (_, words) in enumerate(compiled):
            for word in words:
                index.setdefault(word, []).append(number)
        object.__setattr__(self, "by_trigger", {word: tuple(n) for word, n in index.items()})
        object.__setattr__(self, "triggers", frozenset(index))

    def candidates(self, words: Set[bytes] | None) -> Iterable[int]:
        """The numbers of the phrases that may match a text with these words (None: all)."""
        if words is None:
            return range(len(self.searches))
        chosen: set[int] = set()
        for word in self.triggers.intersection(words):
            chosen.update(self.by_trigger[word])
        return chosen


@dataclass(frozen=True, slots=True)
class Found:
    """One cue found in the text."""

    start: int
    end: int
    weight: int
    cues: str  # the name of the list it came from


@dataclass(frozen=True, slots=True)
class ScoredRule:
    """A rule that fires when an act and a frame (and a target, if needed) meet in one window.

    ``idiomatic`` names act lists whose words are also everyday idioms of games, sport, work and
    food; those acts are ignored when ``context`` occurs anywhere in the message. ``denials``
    block a window unless one of ``conditions`` is in it too; ``blockers`` always block it.
    ``reach`` is how many sentences before or after an act's sentence its other parts may be in.
    The rule does not run when a tag in ``yields_to`` was already found (a threat of violence is
    not added to a message already found to threaten sexual violence, whose words it shares), and
    its hit is dropped where it overlaps a hit of a tag in ``yields_within`` (self-harm pressure:
    "if you leave I'll end it"). The rule's blockers and idiom context also veto the phrase rules'
    hits for the tags in ``vetoes``: "Song lyric of the day: watch your back" is not a threat
    whichever rule read it.
    """

    name: str
    tag: Tag
    description: str
    acts: tuple[Cues, ...]
    frames: tuple[Cues, ...]
    targets: Cues | None = None
    blockers: Cues | None = None
    denials: Cues | None = None
    conditions: Cues | None = None
    context: Cues | None = None
    idiomatic: frozenset[str] = frozenset()
    yields_to: frozenset[Tag] = frozenset()
    yields_within: frozenset[Tag] = frozenset()
    vetoes: frozenset[Tag] = frozenset()
    threshold: int = 3
    reach: int = 1
    triggers: frozenset[bytes] = field(init=False, repr=False, compare=False)
    strong_triggers: frozenset[bytes] = field(init=False, repr=False, compare=False)
    frame_triggers: frozenset[bytes] = field(init=False, repr=False, compare=False)
    act_index: dict[bytes, tuple[tuple[int, int], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[bytes, list[tuple[int, int]]] = {}
        for list_number, cues in enumerate(self.acts):
            for word, phrases in cues.by_trigger.items():
                index.setdefault(word, []).extend((list_number, n) for n in phrases)
        object.__setattr__(self, "act_index", {word: tuple(at) for word, at in index.items()})
        object.__setattr__(self, "triggers", frozenset(index))
        strong = [cues.triggers for cues in self.acts if cues.weight >= self.threshold]
        object.__setattr__(self, "strong_triggers", frozenset().union(*strong))
        frames = [cues.triggers for cues in self.frames]
        object.__setattr__(self, "frame_triggers", frozenset().union(*frames))

    def may_fire(self, words: Set[bytes]) -> bool:
        """False when these words cannot make a hit: no act, or neither an act strong enough
        alone nor any frame (a cheap test before searching)."""
        if self.triggers.isdisjoint(words):
            return False
        return not (
            self.strong_triggers.isdisjoint(words) and self.frame_triggers.isdisjoint(words)
        )

    def all_cues(self) -> Iterator[Cues]:
        yield from self.acts
        yield from self.frames
        for cues in (self.targets, self.blockers, self.denials, self.conditions, self.context):
            if cues is not None:
                yield cues

    def fingerprint(self) -> str:
        """Everything that decides what the rule finds (for knowing when to tag again)."""
        parts = [self.name, self.tag.value, str(self.threshold), str(self.reach)]
        parts.append(",".join(sorted(self.idiomatic)))
        parts.append(",".join(sorted(tag.value for tag in self.yields_to)))
        parts.append(",".join(sorted(tag.value for tag in self.yields_within)))
        parts.append(",".join(sorted(tag.value for tag in self.vetoes)))
        parts.extend(
            f"{cues.name}:{cues.weight}:{cues.pattern.pattern}" for cues in self.all_cues()
        )
        return "\n".join(parts)


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def _find(cues: Iterable[Cues], lowered: str, words: Set[bytes] | None) -> list[Found]:
    """Every cue of these lists in the text (at most MAX_CUE_HITS per phrase), at word starts."""
    found: list[Found] = []
    for one in cues:
        for number in one.candidates(words):
            _search(one, number, lowered, found)
    return found


def _find_acts(rule: ScoredRule, lowered: str, words: Set[bytes] | None) -> list[Found]:
    """The rule's acts in the text: one look-up of the text's words in the acts' index."""
    if words is None:
        return _find(rule.acts, lowered, None)
    found: list[Found] = []
    chosen: set[tuple[int, int]] = set()
    for word in rule.triggers.intersection(words):
        chosen.update(rule.act_index[word])
    for list_number, number in chosen:
        _search(rule.acts[list_number], number, lowered, found)
    return found


def _search(cues: Cues, number: int, lowered: str, found: list[Found]) -> None:
    pattern = cues.searches[number][0]
    match = pattern.search(lowered)
    count = 0
    while match is not None and count < MAX_CUE_HITS:
        start, end = match.span()
        if end > start and _starts_word(lowered, start):
            found.append(Found(start, end, cues.weight, cues.name))
            count += 1
            match = pattern.search(lowered, end)
        else:  # inside a word: look again from the next character
            match = pattern.search(lowered, start + 1)


def _sentence_starts(lowered: str) -> list[int]:
    return [0, *(match.end() for match in _SENTENCE_END.finditer(lowered))]


def _by_sentence(items: list[Found], starts: list[int]) -> dict[int, list[Found]]:
    grouped: dict[int, list[Found]] = {}
    for item in items:
        grouped.setdefault(bisect_right(starts, item.start) - 1, []).append(item)
    return grouped


def _windows(sentences: Iterable[int], count: int, reach: int) -> Iterator[tuple[int, int]]:
    """Around each sentence holding an act, the narrowest windows first: the sentence alone, then
    with one neighbour, up to ``reach`` sentences (so a target or a warning in a neighbouring
    sentence still counts)."""
    seen: set[tuple[int, int]] = set()
    for size in range(reach + 1):
        for index in sorted(sentences):
            for first in range(index - size, index + 1):
                window = (first, first + size)
                if window[0] >= 0 and window[1] < count and window not in seen:
                    seen.add(window)
                    yield window


def _best(items: list[Found], near: int) -> Found:
    """The heaviest item, and of those the closest to position ``near``."""
    return max(items, key=lambda item: (item.weight, -abs(item.start - near)))


class _Scan:
    """The cues of one rule in one text, each list searched only when first needed (most texts
    stop at the acts), grouped by sentence."""

    def __init__(self, lowered: str, words: Set[bytes] | None, starts: list[int]) -> None:
        self.lowered = lowered
        self.words = words
        self.starts = starts
        self._cache: dict[int, dict[int, list[Found]]] = {}

    def get(self, cues: Cues | None) -> dict[int, list[Found]]:
        if cues is None:
            return {}
        key = id(cues)  # lists are module constants, alive as long as the rules
        if key not in self._cache:
            self._cache[key] = _by_sentence(_find([cues], self.lowered, self.words), self.starts)
        return self._cache[key]


def _in(grouped: dict[int, list[Found]], window: tuple[int, int]) -> list[Found]:
    if window[0] == window[1]:
        return grouped.get(window[0], [])
    return [item for index in range(window[0], window[1] + 1) for item in grouped.get(index, [])]


def score_text(
    rule: ScoredRule, text: str, lowered: str, words: Set[bytes] | None
) -> TagHit | None:
    """The rule's hit on this text (its first window that reaches the threshold), or None.

    ``lowered`` is the text lower-cased with every character kept in place; ``words`` its plain
    lower-case words (as ``tag_text`` splits them), used to skip phrases that cannot match, or
    None to try every phrase (for stretched spellings such as "kiiill", whose words differ).
    """
    acts = _find_acts(rule, lowered, words)
    if not acts:
        return None
    if rule.idiomatic and _find([rule.context] if rule.context else [], lowered, words):
        acts = [act for act in acts if act.cues not in rule.idiomatic]
        if not acts:
            return None
    frames = _find(rule.frames, lowered, words)
    if not frames and all(act.weight < rule.threshold for act in acts):
        return None
    starts = _sentence_starts(lowered)
    scan = _Scan(lowered, words, starts)
    by_act = _by_sentence(acts, starts)
    by_frame = _by_sentence(frames, starts)
    for window in _windows(by_act, len(starts), rule.reach):
        span = _window_span(rule, scan, window, _in(by_act, window), _in(by_frame, window))
        if span is not None:
            start, end = span
            return TagHit(rule.tag, rule.name, text[start:end], start, end)
    return None


def _window_span(
    rule: ScoredRule,
    scan: _Scan,
    window: tuple[int, int],
    acts: list[Found],
    frames: list[Found],
) -> tuple[int, int] | None:
    """The span of the parts that make the threat in this window, or None.

    An act as heavy as the threshold needs no frame and no target (it is menace in itself:
    "someone's going to get hurt"); otherwise the heaviest frame that is not inside the act's own
    words is added.
    """
    parts = _act_and_frame(rule, acts, frames)
    if parts is None:
        return None
    act = parts[0]
    if rule.targets is not None and act.weight < rule.threshold:
        targets = _in(scan.get(rule.targets), window)
        if not targets:
            return None
        parts.append(min(targets, key=lambda item: abs(item.start - act.start)))
    if _in(scan.get(rule.blockers), window):
        return None
    if _in(scan.get(rule.denials), window) and not _in(scan.get(rule.conditions), window):
        return None
    return min(part.start for part in parts), max(part.end for part in parts)


def _act_and_frame(rule: ScoredRule, acts: list[Found], frames: list[Found]) -> list[Found] | None:
    for act in sorted(acts, key=lambda item: (-item.weight, item.start)):
        if act.weight >= rule.threshold:
            return [act]
        apart = [item for item in frames if item.start < act.start or item.end > act.end]
        if apart:
            frame = _best(apart, act.start)
            if act.weight + frame.weight >= rule.threshold:
                return [act, frame]
    return None


def vetoed(rule: ScoredRule, lowered: str, words: Set[bytes] | None, start: int, end: int) -> bool:
    """True when the words at ``start:end`` sit in a sentence with one of the rule's blockers
    (news, fiction, an idiom), or are an idiomatic act in a message about games, sport or food."""
    if rule.blockers is not None and in_sentence_with(rule.blockers, lowered, words, start, end):
        return True
    if not rule.idiomatic or rule.context is None or not _find([rule.context], lowered, words):
        return False
    idioms = [cues for cues in rule.acts if cues.name in rule.idiomatic]
    return any(item.start < end and item.end > start for item in _find(idioms, lowered, words))


def in_sentence_with(
    cues: Cues, lowered: str, words: Set[bytes] | None, start: int, end: int
) -> bool:
    """True when one of ``cues`` occurs in the sentence(s) holding ``start:end``."""
    found = _find([cues], lowered, words)
    if not found:
        return False
    starts = _sentence_starts(lowered)
    first = bisect_right(starts, start) - 1
    last = bisect_right(starts, max(start, end - 1)) - 1
    return any(first <= bisect_right(starts, item.start) - 1 <= last for item in found)
