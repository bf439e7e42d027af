"""Behaviour tags: precision and recall of the rules on the labelled messages, and their speed.

Usage: python -m benchmarks.tagging_bench [--no-mistakes] [--speed N] [--phrases-only]

--no-mistakes prints only the tables; --speed N times N passes over the development set (default
20; best of three); --phrases-only runs the phrase rules without the scoring rules (the figures
before round 6).

Six hand-written sets in benchmarks/data/, each message with the tags a careful reader would
give it (messages from a person causing harm, and ordinary messages: friends, family, work, sport,
news, lyric-like lines):

- labelled_messages.jsonl, the development set, written before the rules; the rules were then
  improved against it, so its figures flatter them;
- round2_messages.jsonl and round3_messages.jsonl, each written after a round of rules as a
  held-out set; their mistakes then led to broader rules, so they became development sets too;
- heldout_messages.jsonl, written after round 3 and never used to change the rules; its misses
  were then quoted in BENCHMARKS.md and round 5 broadened the rules, so it is no longer blind;
- round5_heldout.jsonl, written after the round-5 rules (veiled threats, texting spelling) and
  scored once as a blind set; round 6 (the scoring rules) was developed against it, so it is no
  longer blind;
- round6_dev.jsonl, written during round 6 in eight batches (s6001-s6106 before the scoring
  rules; each later batch scored once with the rules of the moment, then used to change them; see
  BENCHMARKS.md), mostly veiled threats and hard negatives: a development set;
- round6_blind.jsonl (353 messages), written by someone who never saw the rules, their tests or
  their figures (see round6_blind.md), and scored once, after round 6 was merged: the honest
  estimate for unseen messages. Its mistakes are listed in BENCHMARKS.md; any rule changed because
  of them makes it a development set too.

Round 7 (scoring rules for the other tags, ``rules_scored_conduct``) was developed against every
set above, the round-6 blind set included, so none of them is blind any more: its figures for
following, property, gifts, whereabouts and the rest are development figures. The honest estimate
for round 7 needs a new blind set.
- round7_blind.jsonl, written by someone who never saw the rules, scored once after round 7;
- round8_*.jsonl and round9_*.jsonl, six writers each, written from one brief
  (docs/helpers/session4-data-brief*.md) without seeing the rules or each other: the training
  data of the word weights (``rules_weighted``, ``benchmarks/train_tag_weights.py``), with
  round8_blind.jsonl, scored once before it joined them;
- round9_blind.jsonl, written the same way, scored once before it joined them;
- round10_*.jsonl, six more writers, each asked to dwell on the tags found hardest so far;
- round10_blind.jsonl, written the same way, scored once before it joined them;
- round11_*.jsonl, three more writers (places and things, veiled threats, whole inboxes);
- round11_blind.jsonl, written the same way, never trained on, scored once.

The word weights were trained on every set but round11_blind.jsonl, so their figures on the
others flatter them; ``train_tag_weights`` gives fair, out-of-file figures for those.

Every mistake is listed with its text so that the figures can be checked by eye.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from safetrail.analysis.model import THREAT_TAGS, Tag
from safetrail.analysis.rules import tag_text

DATA = Path(__file__).parent / "data" / "labelled_messages.jsonl"
ROUND_2 = Path(__file__).parent / "data" / "round2_messages.jsonl"
ROUND_3 = Path(__file__).parent / "data" / "round3_messages.jsonl"
HELD_OUT = Path(__file__).parent / "data" / "heldout_messages.jsonl"
ROUND_5_HELD_OUT = Path(__file__).parent / "data" / "round5_heldout.jsonl"
ROUND_6_DEV = Path(__file__).parent / "data" / "round6_dev.jsonl"
ROUND_6_BLIND = Path(__file__).parent / "data" / "round6_blind.jsonl"
ROUND_7_BLIND = Path(__file__).parent / "data" / "round7_blind.jsonl"
ROUND_8_BLIND = Path(__file__).parent / "data" / "round8_blind.jsonl"
ROUND_9_BLIND = Path(__file__).parent / "data" / "round9_blind.jsonl"
ROUND_10_BLIND = Path(__file__).parent / "data" / "round10_blind.jsonl"
ROUND_11_BLIND = Path(__file__).parent / "data" / "round11_blind.jsonl"
ROUND_8_WRITERS: tuple[tuple[str, str], ...] = (
    ("texts", "texting ex-partners"),
    ("letters", "emails and letters"),
    ("social", "social media"),
    ("voicemail", "voicemails and third parties"),
    ("fixated", "fixated strangers"),
    ("everyday", "everyday words, mostly harmless"),
)
ROUND_9_WRITERS: tuple[tuple[str, str], ...] = (
    ("work", "work and clients"),
    ("family", "family and older writers"),
    ("students", "students and young adults"),
    ("relationships", "relationships of every kind"),
    ("online", "online and technology"),
    ("community", "community life, half harmless"),
)
ROUND_10_WRITERS: tuple[tuple[str, str], ...] = (
    ("veiled", "veiled threats told through details"),
    ("presence", "following, loitering, watching, whereabouts"),
    ("exposure", "publishing, impersonation, others, accounts"),
    ("persistence", "contact, orders, gifts, property, self-harm"),
    ("dialects", "the UK's Englishes and dictation"),
    ("jokes", "jokes, and threats dressed as jokes"),
)
ROUND_11_WRITERS: tuple[tuple[str, str], ...] = (
    ("places", "places and things: presence, whereabouts, property"),
    ("menace", "veiled threats and the jokes that share their words"),
    ("inbox", "twelve harassers' inboxes, as exported"),
)


def writer_sets(round_number: int, writers: Sequence[tuple[str, str]]) -> list[tuple[str, Path]]:
    """One round's writers' sets: round<N>_<name>.jsonl, titled by the writer's voice."""
    return [
        (
            f"Behaviour tags, round-{round_number} writer: {about}",
            Path(__file__).parent / "data" / f"round{round_number}_{name}.jsonl",
        )
        for name, about in writers
    ]


SETS: tuple[tuple[str, Path], ...] = (
    ("Behaviour tags, development set", DATA),
    ("Behaviour tags, second development set", ROUND_2),
    ("Behaviour tags, third development set", ROUND_3),
    ("Behaviour tags, old held-out set (now development)", HELD_OUT),
    ("Behaviour tags, round-5 set (now development)", ROUND_5_HELD_OUT),
    ("Behaviour tags, round-6 development set", ROUND_6_DEV),
    ("Behaviour tags, round-6 blind set (now development)", ROUND_6_BLIND),
    ("Behaviour tags, round-7 blind set (now development)", ROUND_7_BLIND),
    *writer_sets(8, ROUND_8_WRITERS),
    ("Behaviour tags, round-8 blind set (now training data)", ROUND_8_BLIND),
    *writer_sets(9, ROUND_9_WRITERS),
    ("Behaviour tags, round-9 blind set (now training data)", ROUND_9_BLIND),
    *writer_sets(10, ROUND_10_WRITERS),
    ("Behaviour tags, round-10 blind set (now training data)", ROUND_10_BLIND),
    *writer_sets(11, ROUND_11_WRITERS),
    ("Behaviour tags, round-11 blind set", ROUND_11_BLIND),
)
THREATS = "threats (combined)"


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    text: str
    tags: frozenset[Tag]


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


@dataclass(frozen=True, slots=True)
class Mistake:
    kind: str  # "false positive" or "false negative"
    label: str
    id: str
    text: str
    rules: tuple[str, ...] = ()


@dataclass(slots=True)
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)
    messages: int = 0
    negatives: int = 0


def load(path: Path = DATA) -> list[Labelled]:
    """Read the labelled messages (one JSON object per line)."""
    out: list[Labelled] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                tags = frozenset(Tag(tag) for tag in row["tags"])
                out.append(Labelled(str(row["id"]), str(row["text"]), tags))
    return out


def _score(report: Report, label: str, item: Labelled, wanted: bool, found: Sequence[str]) -> None:
    score = report.scores.setdefault(label, Score())
    if wanted and found:
        score.true_positives += 1
    elif found:
        score.false_positives += 1
        report.mistakes.append(Mistake("false positive", label, item.id, item.text, tuple(found)))
    elif wanted:
        score.false_negatives += 1
        report.mistakes.append(Mistake("false negative", label, item.id, item.text))


def evaluate(items: Iterable[Labelled], scoring: bool = True, learned: bool = True) -> Report:
    """Score every tag (and the threat tags together) over the labelled messages."""
    report = Report()
    for item in items:
        report.messages += 1
        report.negatives += not item.tags
        hits = tag_text(item.text, scoring=scoring, learned=learned)
        for tag in Tag:
            rules = sorted({hit.rule for hit in hits if hit.tag is tag})
            _score(report, tag.value, item, tag in item.tags, rules)
        threat_rules = sorted({hit.rule for hit in hits if hit.tag in THREAT_TAGS})
        _score(report, THREATS, item, bool(item.tags & THREAT_TAGS), threat_rules)
    return report


def speed(
    items: Sequence[Labelled], rounds: int, scoring: bool = True, learned: bool = True
) -> float:
    """Microseconds per message for tag_text over the labelled texts (best of three passes)."""
    texts = [item.text for item in items]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                tag_text(text, scoring=scoring, learned=learned)
        best = min(best, time.perf_counter() - start)
    return best / (rounds * len(texts)) * 1e6


def table(report: Report) -> str:
    """The per-tag table in Markdown."""
    lines = [
        "| tag | positives | precision | recall | false pos. | false neg. |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in [THREATS, *(tag.value for tag in Tag)]:
        score = report.scores[label]
        positives = score.true_positives + score.false_negatives
        lines.append(
            f"| {label} | {positives} | {score.precision:.2f} | {score.recall:.2f} "
            f"| {score.false_positives} | {score.false_negatives} |"
        )
    return "\n".join(lines)


def mistakes_text(report: Report) -> str:
    lines = [f"Mistakes ({len(report.mistakes)}):"]
    for mistake in sorted(report.mistakes, key=lambda m: (m.label, m.kind, m.id)):
        why = f" [{', '.join(mistake.rules)}]" if mistake.rules else ""
        lines.append(f"- {mistake.label}: {mistake.kind} {mistake.id}{why}: {mistake.text}")
    return "\n".join(lines)


def _section(
    title: str, path: Path, show_mistakes: bool, scoring: bool, learned: bool
) -> list[str]:
    if not path.exists():
        return [f"{title}: {path.name} is not there."]
    report = evaluate(load(path), scoring=scoring, learned=learned)
    parts = [
        f"{title}: {report.messages} messages, {report.negatives} with no tag ({path.name}).",
        table(report),
    ]
    if show_mistakes:
        parts.append(mistakes_text(report))
    return parts


def run(
    show_mistakes: bool = True, rounds: int = 20, scoring: bool = True, learned: bool = True
) -> str:
    """Evaluate every set, time tag_text, and return the printable result."""
    items = load()
    ordinary = [item for item in items if not item.tags]
    if not scoring:
        what = "Phrase rules only (no scoring rules, no word weights)."
    elif not learned:
        what = "Phrase and scoring rules, without the word weights."
    else:
        what = (
            "Phrase and scoring rules and the word weights. The weights were trained on every "
            "set below but the round-11 blind set, so on those sets their figures flatter them: "
            "python -m benchmarks.train_tag_weights gives the fair, out-of-file figures."
        )
    parts = [what]
    for title, path in SETS:
        parts.extend(_section(title, path, show_mistakes, scoring, learned))
    mean = speed(items, rounds, scoring, learned)
    parts.append(
        f"tag_text: {mean:.1f} µs per message over the development set, "
        f"{speed(ordinary, rounds, scoring, learned):.1f} µs over its ordinary (untagged) "
        "messages (best of 3 passes)."
    )
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-mistakes", action="store_true", help="only the table")
    parser.add_argument(
        "--speed", "--rounds", dest="rounds", type=int, default=20, help="timing passes"
    )
    parser.add_argument("--phrases-only", action="store_true", help="without the scoring rules")
    parser.add_argument("--no-weights", action="store_true", help="without the word weights")
    args = parser.parse_args()
    print(
        run(
            not args.no_mistakes,
            args.rounds,
            scoring=not args.phrases_only,
            learned=not args.no_weights,
        )
    )


if __name__ == "__main__":
    main()
