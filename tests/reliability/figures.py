"""Sum up a reliability run's JSON lines (SAFETRAIL_RELIABILITY_OUT) into RELIABILITY.md's figures.

python -m tests.reliability.figures reliability-run.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path


def summarise(path: Path) -> str:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    out: list[str] = []
    crash = [r for r in rows if r["suite"] == "crash"]
    if crash:
        out.append("Kill points (SIGKILL), by operation:")
        by_op: dict[str, Counter[str]] = defaultdict(Counter)
        for row in crash:
            named = isinstance(row["kill_at"], str)
            by_op[row["operation"]]["named points" if named else "timed points"] += 1
            by_op[row["operation"]][f"left {row['state']}"] += 1
            by_op[row["operation"]]["killed before finishing" if row["killed"] else "finished"] += 1
            by_op[row["operation"]]["with problems" if row["problems"] else "survived"] += 1
            if row["output"] != "absent":
                by_op[row["operation"]][f"output {row['output']}"] += 1
        for op, counts in sorted(by_op.items()):
            out.append(f"  {op}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        survived = sum(1 for r in crash if not r["problems"])
        seeds = sorted({r["seed"] for r in crash if r["seed"]})
        out.append(f"  total: {survived} of {len(crash)} survived; seeds {seeds}")
    fuzz = [r for r in rows if r["suite"] == "fuzz"]
    if fuzz:
        out.append("Fuzz cases per format (parsed / refused with a typed error):")
        per: dict[str, Counter[str]] = defaultdict(Counter)
        for row in fuzz:
            per[row["format"]][row["outcome"]] += row["cases"]
        for name, counts in sorted(per.items()):
            out.append(f"  {name}: {counts['parsed']} / {counts['refused']}")
        out.append(f"  total: {sum(sum(c.values()) for c in per.values())}")
    hostile = [r for r in rows if r["suite"] == "hostile"]
    if hostile:
        counts = Counter(r["outcome"] for r in hostile)
        out.append(
            f"Hostile files: {len(hostile)}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
        )
    leaks = [r for r in rows if r["suite"] == "leaks"]
    for row in leaks:
        out.append(
            f"Leak scan: {row['leaks']} leaks in {row['files']} files and {row['outputs']} outputs"
        )
    return "\n".join(out)


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1])))
