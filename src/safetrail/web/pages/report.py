"""The report: choose what goes in, see a preview, and download it.

Each download is written to a private temporary folder beside the casebook (never the system
temp folder), streamed to the browser, then deleted. Adding a format is one entry in FORMATS.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from safetrail.export.bundle import BundleSelection, write_bundle
from safetrail.export.chronology import write_chronology_csv
from safetrail.export.selection import Selection, is_record, redact, subject_identifiers
from safetrail.export.timesketch import write_timesketch_jsonl
from safetrail.services.casebook import Casebook
from safetrail.services.errors import SafetrailError
from safetrail.services.reports import write_report
from safetrail.services.subjects import list_subjects
from safetrail.services.timeline import TimelineEntry, TimelineFilter, timeline
from safetrail.services.when import zone
from safetrail.web.downloads import send_and_forget
from safetrail.web.pages.common import Errors, OpenBook, error, field, state_of
from safetrail.web.pages.filters import KIND_CHOICES, read_filters
from safetrail.web.templating import render

router = APIRouter(prefix="/report")

PREVIEW_ENTRIES = 10
COUNT_LIMIT = 1000  # the preview reads this many entries at most, so it stays quick
YES_NO = (("yes", "Yes"), ("no", "No"))


def _bundle(book: Casebook, out: Path, selection: Selection) -> object:
    chosen = BundleSelection(
        selection.start, selection.end, selection.subject_id, selection.include_private_notes
    )
    return write_bundle(book, out, chosen)


@dataclass(frozen=True, slots=True)
class ReportFormat:
    id: str
    label: str
    hint: str
    filename: str
    media_type: str
    write: Callable[[Casebook, Path, Selection], object]


def _report_as(fmt: str) -> Callable[[Casebook, Path, Selection], object]:
    def write(book: Casebook, out: Path, selection: Selection) -> object:
        return write_report(book, selection, fmt, out)

    return write


FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat(
        "pdf",
        "Report for police (PDF)",
        "A summary, the chronology with the exact words, charts, the list of exhibits with "
        "their fingerprints (hashes), police contacts and how to check the bundle. Print it or "
        "hand it over.",
        "safetrail-report.pdf",
        "application/pdf",
        _report_as("pdf"),
    ),
    ReportFormat(
        "html",
        "The same report as a web page (HTML)",
        "Opens in any browser, without the internet.",
        "safetrail-report.html",
        "text/html",
        _report_as("html"),
    ),
    ReportFormat(
        "bundle",
        "Evidence bundle (ZIP)",
        "Every original file, the records, your diary and the custody log, with a list of "
        "fingerprints (hashes) so anyone can check nothing was changed. Not redacted.",
        "safetrail-bundle.zip",
        "application/zip",
        _bundle,
    ),
    ReportFormat(
        "csv",
        "Chronology (CSV spreadsheet)",
        "One row for each entry, in time order. Opens in a spreadsheet.",
        "safetrail-chronology.csv",
        "text/csv",
        write_chronology_csv,
    ),
    ReportFormat(
        "jsonl",
        "Timeline for Timesketch (JSONL)",
        "For police or investigators who use the Timesketch tool.",
        "safetrail-timeline.jsonl",
        "application/x-ndjson",
        write_timesketch_jsonl,
    ),
    ReportFormat(
        "case",
        "Description for forensic tools (CASE/UCO JSON-LD)",
        "Describes each original file, its fingerprint and how it was acquired and imported.",
        "safetrail-case.jsonld",
        "application/ld+json",
        _report_as("case"),
    ),
)
FORMATS_BY_ID = {f.id: f for f in FORMATS}


@dataclass
class Choices:
    values: dict[str, str]
    kinds: frozenset[str]
    selection: Selection | None
    errors: Errors


def read_choices(book: Casebook, source: Mapping[str, str], kinds: list[str]) -> Choices:
    subjects = {s.id for s in list_subjects(book)}
    filters = read_filters(
        source, kinds, zone(book.setting("timezone") or "Europe/London"), subjects
    )
    values = dict(filters.values)
    for name, default in (("tagged_only", "no"), ("private_notes", "no"), ("redact", "yes")):
        typed = source.get(name)
        values[name] = typed if typed in ("yes", "no") else default
    errors = filters.errors
    if kinds and not (set(kinds) & {k for k, _ in KIND_CHOICES}):
        errors.append(error("kind", "Please choose at least one kind of entry."))
    if errors:
        return Choices(values, filters.kinds, None, errors)
    selection = Selection(
        start=filters.start,
        end=filters.end,
        subject_id=filters.subject_id,
        kinds=filters.kinds,
        full_text=values["tagged_only"] == "no",
        include_private_notes=values["private_notes"] == "yes",
        redact_third_parties=values["redact"] == "yes",
    )
    return Choices(values, filters.kinds, selection, [])


def _first_entries(book: Casebook, selection: Selection) -> tuple[list[TimelineEntry], bool]:
    """The first entries of the selection, chosen as the export chooses them (one page only),
    and whether there are more."""
    page = timeline(
        book,
        TimelineFilter(
            subject_id=selection.subject_id,
            start=selection.start,
            end=selection.end,
            kinds=selection.kinds,
            limit=COUNT_LIMIT + 1,
        ),
    )
    more = len(page) > COUNT_LIMIT
    kept = [e for e in page[:COUNT_LIMIT] if selection.full_text or not is_record(e) or e.tags]
    return kept, more


def _preview(book: Casebook, selection: Selection) -> dict[str, Any]:
    counted: Counter[str] = Counter()
    first: list[Any] = []
    keep = subject_identifiers(book) if selection.redact_third_parties else frozenset()
    entries, more = _first_entries(book, selection)
    for entry in entries:
        counted["record" if is_record(entry) else entry.kind] += 1
        if len(first) < PREVIEW_ENTRIES:
            text = redact(entry.text, keep) if selection.redact_third_parties else entry.text
            first.append((entry, text))
    total = sum(counted.values())
    return {
        "counts": [(label, counted[kind]) for kind, label in KIND_CHOICES],
        "total": total,
        "more": more,
        "limit": f"{COUNT_LIMIT:,}",
        "first": first,
    }


def _page_context(book: Casebook, choices: Choices) -> dict[str, Any]:
    subjects = [(s.id, s.details.label(s.id)) for s in list_subjects(book)]
    preview = _preview(book, choices.selection) if choices.selection else None
    return {
        "title": "Make a report",
        "values": choices.values,
        "kinds": choices.kinds,
        "errors": choices.errors,
        "subjects": subjects,
        "kind_choices": KIND_CHOICES,
        "yes_no": YES_NO,
        "formats": FORMATS,
        "preview": preview,
        "hidden": [(k, v) for k, v in choices.values.items() if v]
        + [("kind", k) for k in sorted(choices.kinds)],
    }


@router.get("")
def report_page(request: Request, book: OpenBook) -> Response:
    params = request.query_params
    choices = read_choices(book, dict(params), params.getlist("kind"))
    status = 400 if choices.errors else 200
    return render(request, "report/report.html", _page_context(book, choices), status=status)


def _write(book: Casebook, chosen: ReportFormat, selection: Selection) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=".safetrail-download-", dir=book.root.parent))
    folder.chmod(0o700)
    out = folder / chosen.filename
    try:
        chosen.write(book, out, selection)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return out


@router.post("/download")
async def download(request: Request) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    source = {k: v for k, v in form.items() if isinstance(v, str)}
    kinds = [v for v in form.getlist("kind") if isinstance(v, str)]
    choices = await run_in_threadpool(read_choices, book, source, kinds)
    chosen = FORMATS_BY_ID.get(field(form, "format", 20))
    if chosen is None:
        choices.errors.append(error("format", "Please choose what to download."))
    if choices.errors or chosen is None or choices.selection is None:
        context = await run_in_threadpool(_page_context, book, choices)
        return render(request, "report/report.html", context, status=400)
    try:
        out = await run_in_threadpool(_write, book, chosen, choices.selection)
    except SafetrailError as exc:
        choices.errors.append(error("format", str(exc)))
        context = await run_in_threadpool(_page_context, book, choices)
        return render(request, "report/report.html", context, status=400)
    stamp = datetime.now().strftime("%Y-%m-%d")
    name = chosen.filename.replace("safetrail-", f"safetrail-{stamp}-")
    return send_and_forget(out, chosen.media_type, name)
