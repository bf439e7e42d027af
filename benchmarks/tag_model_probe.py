"""A probe, not a feature: would word weights learned from our labelled messages find the threats
in the blind set that the rules miss?

A logistic regression over word 1-, 2- and 3-grams (texts lower-cased, apostrophes dropped;
n-grams seen at least twice) is trained on the six development sets for "threat" (violence or
sexual violence). Its threshold is the lowest whose five-fold cross-validated precision on the
development sets is at least 0.9; only then is it scored, once, on round6_blind.jsonl, alone and
together with the rules (a message is a threat if either says so). round7_blind.jsonl is kept out
of the training as well.

Usage: python -m benchmarks.tag_model_probe   (needs numpy, from the `bench` extra)
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from benchmarks.tagging_bench import ROUND_6_BLIND, ROUND_7_BLIND, SETS, Labelled, load
from safetrail.analysis.model import THREAT_TAGS
from safetrail.analysis.rules import tag_text

Matrix = npt.NDArray[np.float32]
Flags = npt.NDArray[np.bool_]
WORD = re.compile(r"[a-z0-9]+")
FOLDS = 5
WANTED_PRECISION = 0.9


def ngrams(text: str) -> set[str]:
    words = WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))
    found = set(words)
    found.update(" ".join(pair) for pair in itertools.pairwise(words))
    found.update(" ".join(three) for three in zip(words, words[1:], words[2:], strict=False))
    return found


def matrix(grams: Sequence[set[str]], vocabulary: dict[str, int]) -> Matrix:
    out = np.zeros((len(grams), len(vocabulary)), dtype=np.float32)
    for row, found in enumerate(grams):
        columns = [vocabulary[g] for g in found if g in vocabulary]
        if columns:
            out[row, columns] = 1.0 / np.sqrt(len(columns))
    return out


def fit(x: Matrix, y: Flags, steps: int = 800) -> tuple[Matrix, float]:
    """Gradient descent on the class-balanced logistic loss with a light L2 penalty."""
    target = y.astype(np.float32)
    weight = np.where(y, (1 - target.mean()) / target.mean(), 1.0).astype(np.float32)
    w = np.zeros(x.shape[1], dtype=np.float32)
    bias = 0.0
    for _ in range(steps):
        error = (1 / (1 + np.exp(-(x @ w + bias))) - target) * weight
        w -= 8.0 * (x.T @ error / len(target) + 1e-5 * w)
        bias -= 8.0 * float(error.mean())
    return w, bias


def precision_recall(found: Flags, wanted: Flags) -> tuple[float, float]:
    hits = int((found & wanted).sum())
    return hits / max(1, int(found.sum())), hits / max(1, int(wanted.sum()))


def is_threat(items: Sequence[Labelled]) -> Flags:
    return np.array([bool(item.tags & THREAT_TAGS) for item in items])


def run() -> str:
    blind_sets = (ROUND_6_BLIND, ROUND_7_BLIND)
    train = [item for _, path in SETS if path not in blind_sets for item in load(path)]
    blind = load(ROUND_6_BLIND)
    grams = [ngrams(item.text) for item in train]
    counts = Counter(g for found in grams for g in found)
    vocabulary = {g: i for i, g in enumerate(sorted(g for g, n in counts.items() if n >= 2))}
    x, y = matrix(grams, vocabulary), is_threat(train)
    fold = np.random.default_rng(1).integers(0, FOLDS, len(train))
    held = np.zeros(len(train))
    for k in range(FOLDS):
        w, bias = fit(x[fold != k], y[fold != k])
        held[fold == k] = 1 / (1 + np.exp(-(x[fold == k] @ w + bias)))
    threshold = next(
        t
        for t in np.arange(0.30, 0.99, 0.01)
        if precision_recall(held >= t, y)[0] >= WANTED_PRECISION
    )
    cv_p, cv_r = precision_recall(held >= threshold, y)
    w, bias = fit(x, y)
    blind_x = matrix([ngrams(item.text) for item in blind], vocabulary)
    model = 1 / (1 + np.exp(-(blind_x @ w + bias))) >= threshold
    rules = np.array([any(h.tag in THREAT_TAGS for h in tag_text(item.text)) for item in blind])
    wanted = is_threat(blind)
    lines = [
        f"Trained on {len(train):,} development messages ({int(y.sum())} threats), "
        f"{len(vocabulary):,} word n-grams; threshold {threshold:.2f} "
        f"(cross-validated precision {cv_p:.2f}, recall {cv_r:.2f}).",
        f"Blind set, {len(blind)} messages, {int(wanted.sum())} threats:",
    ]
    for label, found in (("rules", rules), ("learned weights", model), ("either", rules | model)):
        p, r = precision_recall(found, wanted)
        lines.append(f"- {label}: precision {p:.2f}, recall {r:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
