"""Importer figures: a 1,000,000-message WhatsApp chat and a 1 GB SMS Backup & Restore file.

Each import runs the real `ingest` service (original kept encrypted, parse, records and FTS5
index in one transaction) into a new casebook. Beside it, in the same run and on the same file,
the peers `whatstk` and `chat-miner` parse the WhatsApp chat (parse only: they keep nothing), and
so does Safetrail's WhatsApp importer alone, for a like-for-like figure.

Every measured step runs in its own child process (`python -m benchmarks.import_bench child ...`)
that times the step itself and reports its own peak RSS (VmHWM from /proc/self/status, which
starts afresh at exec, so the parent cannot inflate it); the parent also reads each child's
ru_maxrss with os.wait4 as a cross-check.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import SEARCH_WORDS, write_sms_backup, write_whatsapp

PASSPHRASE = "benchmark passphrase"
MB = 1e6
MIB = 2**20
Result = dict[str, object]


def peak_rss_bytes() -> int:
    """This process's peak resident set size since exec (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


# --- the child side: one measured step each ------------------------------------------------


def child_ingest(source: Path, book_dir: Path) -> Result:
    from safetrail.services.casebook import create_casebook
    from safetrail.services.ingest import IngestOptions, ingest

    book = create_casebook(book_dir, PASSPHRASE, "BM")
    before = peak_rss_bytes()
    start = time.perf_counter()
    result = ingest(book, source, IngestOptions())
    seconds = time.perf_counter() - start
    book.close()
    return {
        "seconds": seconds,
        "records": result.records,
        "attachments": result.attachments,
        "warnings": result.warnings_total,
        "peak_before": before,
    }


def child_search(book_dir: Path) -> Result:
    from safetrail.services.casebook import open_casebook
    from safetrail.services.records import search_records

    book = open_casebook(book_dir, PASSPHRASE)
    samples: list[float] = []
    hits: list[float] = []
    for word in SEARCH_WORDS:
        start = time.perf_counter()
        found = search_records(book, word)
        samples.append(time.perf_counter() - start)
        hits.append(len(found))
    book.close()
    return {"samples": samples, "hits": hits}


def child_parse(source: Path) -> Result:
    """Safetrail's WhatsApp importer alone, as the peers are measured: parse, keep nothing."""
    from safetrail.importers.base import ImportOptions, Source
    from safetrail.models.record import ParseWarning
    from safetrail.services.ingest import registry

    importer = registry().get("whatsapp_txt")
    size = source.stat().st_size
    start = time.perf_counter()
    records = warnings = 0
    for item in importer.parse(Source(source, source.name, "", size), ImportOptions()):
        if isinstance(item, ParseWarning):
            warnings += 1
        else:
            records += 1
    return {"seconds": time.perf_counter() - start, "records": records, "warnings": warnings}


def child_tag(source: Path) -> Result:
    """The behaviour-tag rules alone over every message of the chat (the import runs them on
    each message it stores); the parse is done first and not timed."""
    from safetrail.analysis.rules import tag_text
    from safetrail.importers.base import ImportOptions, Source
    from safetrail.models.record import Record
    from safetrail.services.ingest import registry

    importer = registry().get("whatsapp_txt")
    size = source.stat().st_size
    texts = [
        item.text
        for item in importer.parse(Source(source, source.name, "", size), ImportOptions())
        if isinstance(item, Record) and item.text
    ]
    start = time.perf_counter()
    tags = sum(len(tag_text(text)) for text in texts)
    return {"seconds": time.perf_counter() - start, "records": len(texts), "tags": tags}


def child_whatstk(source: Path) -> Result:
    objects = importlib.import_module("whatstk.whatsapp.objects")
    start = time.perf_counter()
    chat = objects.WhatsAppChat.from_source(filepath=str(source), max_size=None)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "records": len(chat.df)}


def child_chatminer(source: Path) -> Result:
    parsers = importlib.import_module("chatminer.chatparsers")
    logging.disable(logging.INFO)  # it logs every system line it skips
    start = time.perf_counter()
    parser = parsers.WhatsAppParser(str(source))
    parser.parse_file()
    parsed = time.perf_counter() - start
    frame = parser.parsed_messages.get_df()
    return {
        "seconds": time.perf_counter() - start,
        "parse_seconds": parsed,
        "records": len(frame),
    }


def child_main(args: list[str]) -> None:
    mode, output, *rest = args
    paths = [Path(arg) for arg in rest]
    if mode == "ingest":
        result = child_ingest(paths[0], paths[1])
    elif mode == "search":
        result = child_search(paths[0])
    elif mode == "parse":
        result = child_parse(paths[0])
    elif mode == "tag":
        result = child_tag(paths[0])
    elif mode == "whatstk":
        result = child_whatstk(paths[0])
    elif mode == "chatminer":
        result = child_chatminer(paths[0])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    result["peak_rss"] = peak_rss_bytes()
    Path(output).write_text(json.dumps(result))


# --- the parent side --------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    result: Result
    maxrss: int
    """ru_maxrss of the child from wait4, in bytes (a cross-check of result["peak_rss"])."""

    def seconds(self) -> float:
        return self.real("seconds")

    def real(self, key: str) -> float:
        value = self.result[key]
        assert isinstance(value, int | float)
        return float(value)

    def number(self, key: str) -> int:
        return int(self.real(key))

    def series(self, key: str) -> list[float]:
        values = self.result[key]
        assert isinstance(values, list)
        return [float(value) for value in values]

    def peak(self) -> str:
        return f"{self.number('peak_rss') / MIB:,.0f} MiB"


def measure(mode: str, workdir: Path, *paths: Path) -> Measured:
    output = workdir / f"{mode}.json"
    log = workdir / f"{mode}.log"
    command = [sys.executable, "-m", "benchmarks.import_bench", "child", mode, str(output)]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [*command, *map(str, paths)], stdout=handle, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{mode} failed with exit code {process.returncode}:\n{tail}")
    return Measured(json.loads(output.read_text()), usage.ru_maxrss * 1024)


def _rate(records: int, size: int, seconds: float) -> str:
    return f"{records / seconds:,.0f} records/s, {size / seconds / MB:,.1f} MB/s"


def emit(line: str) -> None:
    """Print a figure as soon as it is measured, so a later failure cannot lose it."""
    print(line, flush=True)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


PEERS = {"whatstk": "whatstk", "chatminer": "chatminer"}
"""Each peer's child mode and the module it needs (from the `bench` extra)."""


def measure_peer(mode: str, workdir: Path, chat: Path) -> Measured | None:
    if importlib.util.find_spec(PEERS[mode]) is None:
        emit(f"- {mode}: not installed, not measured (pip install -e '.[bench]')")
        return None
    return measure(mode, workdir, chat)


def bench_whatsapp(messages: int, workdir: Path) -> None:
    chat = workdir / "WhatsApp Chat with Daniel.txt"
    start = time.perf_counter()
    size = write_whatsapp(chat, messages)
    emit(
        f"WhatsApp chat: {messages:,} messages, {size / MB:,.1f} MB "
        f"({size / messages:.0f} bytes a message), generated in "
        f"{time.perf_counter() - start:.1f} s; {load()}."
    )
    ours = measure("ingest", workdir, chat, workdir / "book-whatsapp")
    if ours.number("records") != messages or ours.number("warnings"):
        raise RuntimeError(f"the generated chat did not import cleanly: {ours.result}")
    emit(
        f"- safetrail ingest (keep original, parse, records + FTS5 + tags, one transaction): "
        f"{ours.seconds():.1f} s ({_rate(ours.number('records'), size, ours.seconds())}), "
        f"{ours.number('records'):,} records, {ours.number('warnings')} warnings; peak RSS "
        f"{ours.peak()} (wait4 {ours.maxrss / MIB:,.0f} MiB; "
        f"{ours.number('peak_before') / MIB:,.0f} MiB before the import); {load()}"
    )
    search = measure("search", workdir, workdir / "book-whatsapp")
    shutil.rmtree(workdir / "book-whatsapp", ignore_errors=True)
    samples = search.series("samples")
    hits = [int(h) for h in search.series("hits")]
    per_word = ", ".join(
        f"{word} {sample * 1000:.0f}" for word, sample in zip(SEARCH_WORDS, samples, strict=True)
    )
    emit(
        f"- search_records, {len(samples)} different words, default limit: median "
        f"{statistics.median(samples) * 1000:.1f} ms, min {min(samples) * 1000:.1f} ms, "
        f"max {max(samples) * 1000:.1f} ms (target: median < 50 ms); hits per query "
        f"{min(hits)}-{max(hits)}\n  per word (ms): {per_word}"
    )
    parse = measure("parse", workdir, chat)
    emit(
        f"- safetrail's WhatsApp importer alone (parse only, as the peers): "
        f"{parse.seconds():.1f} s ({_rate(parse.number('records'), size, parse.seconds())}); "
        f"peak RSS {parse.peak()} (wait4 {parse.maxrss / MIB:,.0f} MiB)"
    )
    tag = measure("tag", workdir, chat)
    emit(
        f"- the behaviour-tag rules alone over the same {tag.number('records'):,} message "
        f"texts (run by the import on each one): {tag.seconds():.1f} s, "
        f"{tag.seconds() / tag.number('records') * 1e6:.1f} µs a message"
    )
    peers: dict[str, float] = {}
    whatstk = measure_peer("whatstk", workdir, chat)
    if whatstk is not None:
        peers["whatstk"] = whatstk.seconds()
        emit(
            f"- whatstk WhatsAppChat.from_source (parse only): {whatstk.seconds():.1f} s "
            f"({_rate(whatstk.number('records'), size, whatstk.seconds())}), "
            f"{whatstk.number('records'):,} rows; peak RSS {whatstk.peak()} "
            f"(wait4 {whatstk.maxrss / MIB:,.0f} MiB)"
        )
    chatminer = measure_peer("chatminer", workdir, chat)
    if chatminer is not None:
        peers["chat-miner"] = chatminer.real("parse_seconds")
        emit(
            f"- chat-miner WhatsAppParser.parse_file (parse only): {peers['chat-miner']:.1f} s "
            f"({_rate(chatminer.number('records'), size, peers['chat-miner'])}); with get_df "
            f"{chatminer.seconds():.1f} s, {chatminer.number('records'):,} rows; peak RSS "
            f"{chatminer.peak()} (wait4 {chatminer.maxrss / MIB:,.0f} MiB)"
        )
    if peers:
        emit(compare_with_peers(peers, ours.seconds(), parse.seconds()))


def compare_with_peers(peers: dict[str, float], ours: float, parse: float) -> str:
    faster = min(peers, key=lambda name: peers[name])
    ratio = peers[faster] / ours
    verdict = (
        f"{ratio:.2f}x faster"
        if ratio >= 1
        else f"{1 / ratio:.2f}x slower (its time {ratio:.2f}x ours)"
    )
    return (
        f"- ours vs the faster peer ({faster}, parse only): {verdict} (target: at least 2x "
        f"faster); parse only, ours is {peers[faster] / parse:.2f}x as fast as {faster}"
    )


def bench_sms(target_bytes: int, workdir: Path) -> None:
    backup = workdir / "sms-20240314210512.xml"
    start = time.perf_counter()
    made = write_sms_backup(backup, target_bytes)
    generated = time.perf_counter() - start
    ours = measure("ingest", workdir, backup, workdir / "book-sms")
    shutil.rmtree(workdir / "book-sms", ignore_errors=True)
    lines = [
        f"SMS Backup & Restore: {made.bytes / MB:,.0f} MB, {made.sms:,} <sms> and {made.mms:,} "
        f"<mms>, {made.images:,} of them with a base64 JPEG part (3 KB to 400 KB, "
        f"{made.image_bytes / MB:,.0f} MB decoded), generated in {generated:.1f} s.",
        f"- safetrail ingest: {ours.seconds():.1f} s "
        f"({_rate(ours.number('records'), made.bytes, ours.seconds())}; target >= 50 MB/s), "
        f"{ours.number('records'):,} records, {ours.number('attachments'):,} attachments kept as "
        f"evidence items; peak RSS {ours.peak()} (wait4 {ours.maxrss / MIB:,.0f} MiB; "
        f"{ours.number('peak_before') / MIB:,.0f} MiB before the import); {load()}",
    ]
    for line in lines:
        emit(line)


def run(messages: int, sms_bytes: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="safetrail-import-bench-"))
    try:
        bench_whatsapp(messages, workdir)
        (workdir / "WhatsApp Chat with Daniel.txt").unlink()
        bench_sms(sms_bytes, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return "Peak memory target: < 400 MiB for each import."


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child_main(sys.argv[2:])
    else:
        raise SystemExit("Run the benchmarks with: python -m benchmarks.run --only import")
