"""The second reader's labels of the blind sets: complete, well formed, and scored the way the
tagger is scored."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import reader_agreement
from benchmarks.tagging_bench import Labelled

from safetrail.analysis.model import THREAT_TAGS, Tag


@pytest.mark.parametrize("name", reader_agreement.SETS)
def test_every_blind_message_has_a_second_reading(name: str) -> None:
    lines = reader_agreement.table(name)
    assert lines[0].startswith(f"{name}: ")
    assert any(line.startswith("| **threats") for line in lines)


def test_precision_and_recall_take_the_writer_as_the_answer() -> None:
    items = [
        Labelled("a", "x", frozenset({Tag.THREAT_OF_VIOLENCE})),
        Labelled("b", "x", frozenset({Tag.THREAT_OF_VIOLENCE})),
        Labelled("c", "x", frozenset()),
    ]
    second = {
        "a": frozenset({Tag.THREAT_OF_SEXUAL_VIOLENCE}),
        "b": frozenset[Tag](),
        "c": frozenset({Tag.THREAT_OF_VIOLENCE}),
    }
    threats = reader_agreement.precision_recall(
        items, second, lambda tags: bool(tags & THREAT_TAGS)
    )
    violence = reader_agreement.precision_recall(
        items, second, reader_agreement.carries(Tag.THREAT_OF_VIOLENCE)
    )
    assert threats == (0.5, 0.5)
    assert violence == (0.0, 0.0)


def test_a_broken_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "a", "tags": []}\n{"id": "b", "tags": ["nonsense"]}\n')
    with pytest.raises(ValueError, match=r"labels\.jsonl, line 2"):
        reader_agreement.second_reading(path)
