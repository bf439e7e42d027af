"""How far two careful readers agree on the blind sets' tags: the ceiling the tagger is judged
against.

Usage:
    python -m benchmarks.reader_agreement

Each blind set's labels were written by the helper who wrote its messages. A second helper, who
saw only the texts and the tag definitions of the writers' brief (never the labels, the rules or
the data), labelled the same messages again: ``benchmarks/data/second_reader/<set>.jsonl``, with
that reader's notes beside it. The tables score the second reader against the writer exactly as
``tagging_bench`` scores the tagger, so the two can be read side by side: where careful readers
agree at 0.9, a tagger at 0.5 is far from what the words allow; where they disagree, no tagger
can do better than their agreement.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from benchmarks.tagging_bench import Labelled, load
from safetrail.analysis.model import THREAT_TAGS, Tag

DATA_DIR = Path(__file__).parent / "data"
SECOND_READER_DIR = DATA_DIR / "second_reader"
SETS: tuple[str, ...] = ("round10_blind", "round11_blind")

Tags = frozenset[Tag]


def second_reading(path: Path) -> dict[str, Tags]:
    """The second reader's tags, by message id."""
    out: dict[str, Tags] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                out[str(row["id"])] = frozenset(Tag(tag) for tag in row["tags"])
            except (KeyError, ValueError) as error:
                raise ValueError(f"{path}, line {number}: {error}") from error
    return out


def carries(tag: Tag) -> Callable[[Tags], bool]:
    return lambda tags: tag in tags


def precision_recall(
    items: list[Labelled], second: dict[str, Tags], has: Callable[[Tags], bool]
) -> tuple[float, float]:
    """The second reader's precision and recall for one tag (or the threats together), taking
    the writer's labels as the answer."""
    both = sum(1 for item in items if has(second[item.id]) and has(item.tags))
    found = sum(1 for item in items if has(second[item.id]))
    wanted = sum(1 for item in items if has(item.tags))
    return both / max(1, found), both / max(1, wanted)


def table(name: str) -> list[str]:
    items = load(DATA_DIR / f"{name}.jsonl")
    second = second_reading(SECOND_READER_DIR / f"{name}.jsonl")
    missing = [item.id for item in items if item.id not in second]
    if missing:
        raise ValueError(f"{name}: the second reader has no labels for {', '.join(missing[:5])}")
    p, r = precision_recall(items, second, lambda tags: bool(tags & THREAT_TAGS))
    lines = [
        f"{name}: {len(items)} messages; the second reader scored against the writer's labels.",
        "",
        "| tag | writer's positives | precision | recall |",
        "| --- | ---: | ---: | ---: |",
        f"| **threats (violence + sexual violence)** | "
        f"{sum(1 for item in items if item.tags & THREAT_TAGS)} | {p:.2f} | {r:.2f} |",
    ]
    both_at_floor = 0
    for tag in sorted(Tag, key=lambda tag: tag.value):
        p, r = precision_recall(items, second, carries(tag))
        both_at_floor += min(p, r) >= 0.7
        positives = sum(1 for item in items if tag in item.tags)
        lines.append(f"| {tag.value} | {positives} | {p:.2f} | {r:.2f} |")
    agreed = sum(len(item.tags & second[item.id]) for item in items)
    micro_p = agreed / max(1, sum(len(second[item.id]) for item in items))
    micro_r = agreed / max(1, sum(len(item.tags) for item in items))
    same = sum(1 for item in items if item.tags == second[item.id])
    lines += [
        f"| all tags (micro) | {sum(len(item.tags) for item in items)} | "
        f"{micro_p:.2f} | {micro_r:.2f} |",
        "",
        f"Tags at 0.7 on both: {both_at_floor} of {len(Tag)}. "
        f"The same tags on {same} of {len(items)} messages.",
    ]
    return lines


def run() -> str:
    return "\n\n".join("\n".join(table(name)) for name in SETS)


def main() -> None:
    print(run())


if __name__ == "__main__":
    main()
