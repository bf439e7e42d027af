"""Evidence: add files or exports (file picker or drag and drop, with a progress bar), the import
summary and warnings, the exhibits list, and a viewer that never hands the raw file to the browser.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from safetrail.importers.base import DateOrder
from safetrail.models.evidence import EvidenceDescription
from safetrail.services.casebook import Casebook
from safetrail.services.errors import NotFound, SafetrailError
from safetrail.services.evidence import add_physical, get_evidence, list_evidence
from safetrail.services.preview import image_preview, warnings_for
from safetrail.services.records import RecordFilter, list_records, senders_of, set_me
from safetrail.web.pages.common import OpenBook, error, field, see_other, state_of
from safetrail.web.templating import render
from safetrail.web.uploads import (
    MODES,
    Mode,
    UploadBatch,
    add_upload,
    answer_date_order,
    new_batch,
    process_batch,
    stored_name,
)

router = APIRouter(prefix="/evidence")

RECORDS_PER_PAGE = 100
KEEP_BATCHES = 20  # summaries of recent uploads kept to show; older ones are forgotten
PREVIEWABLE = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff")


@router.get("")
def exhibits(request: Request, book: OpenBook) -> Response:
    return render(
        request, "evidence/list.html", {"title": "Evidence", "items": list_evidence(book)}
    )


def _incident_param(request: Request) -> int | None:
    value = request.query_params.get("incident", "")
    return int(value) if value.isdigit() else None


@router.get("/add")
def add_page(request: Request, book: OpenBook) -> Response:
    return render(
        request,
        "evidence/add.html",
        {"title": "Add evidence", "incident_id": _incident_param(request), "mode": "auto"},
    )


@router.post("/add")
async def add(request: Request) -> Response:
    state = state_of(request)
    book = state.require_book()
    form = await request.form()
    chosen = field(form, "mode", 10)
    mode: Mode = chosen if chosen in MODES else "auto"
    incident = field(form, "incident_id", 20)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        return render(
            request,
            "evidence/add.html",
            {
                "title": "Add evidence",
                "incident_id": int(incident) if incident.isdigit() else None,
                "mode": mode,
                "errors": [error("files", "Please choose at least one file.")],
            },
            400,
        )
    batch = new_batch(mode, int(incident) if incident.isdigit() else None)
    try:
        with state.working():
            for upload in uploads:
                await run_in_threadpool(add_upload, batch, upload.filename or "", upload.file)
            await run_in_threadpool(process_batch, book, batch)
    except BaseException:
        batch.discard()
        raise
    batch.settle()
    state.uploads[batch.token] = batch
    for token in list(state.uploads)[:-KEEP_BATCHES]:
        state.uploads.pop(token).discard()
    return see_other(f"/evidence/added/{batch.token}")


def _batch(request: Request, token: str) -> UploadBatch | None:
    return state_of(request).uploads.get(token)


@router.get("/added/{token}")
def added(request: Request, token: str, book: OpenBook) -> Response:
    batch = _batch(request, token)
    if batch is None:
        return see_other("/evidence")
    return render(request, "evidence/added.html", {"title": "What was added", "batch": batch})


@router.post("/added/{token}/date-order")
async def date_order(request: Request, token: str) -> Response:
    book = state_of(request).require_book()
    batch = _batch(request, token)
    if batch is None:
        return see_other("/evidence")
    form = await request.form()
    index, order = field(form, "file", 5), field(form, "date_order", 3)
    if index.isdigit() and int(index) < len(batch.files) and order in ("DMY", "MDY"):
        chosen: DateOrder = "DMY" if order == "DMY" else "MDY"
        with state_of(request).working():
            await run_in_threadpool(answer_date_order, book, batch, int(index), chosen)
    return see_other(f"/evidence/added/{token}")


@router.get("/item")
def item_page(request: Request, book: OpenBook) -> Response:
    return render(
        request,
        "evidence/item.html",
        {"title": "Record an item", "values": {"description": "", "source": ""}},
    )


def _store_item(book: Casebook, description: str, source: str, photo: UploadFile | None) -> int:
    details = EvidenceDescription(description=description, source=source)
    if photo is None:
        return add_physical(book, details).id
    with tempfile.TemporaryDirectory(prefix="safetrail-upload-") as folder:
        path = Path(folder) / stored_name(photo.filename or "", 0)
        with path.open("xb") as sink:
            shutil.copyfileobj(photo.file, sink, 1024 * 1024)
        return add_physical(book, details, path).id


@router.post("/item")
async def record_item(request: Request) -> Response:
    """A letter, gift or other thing, with a photo of it if there is one."""
    state = state_of(request)
    book = state.require_book()
    form = await request.form()
    values = {"description": field(form, "description", 5000), "source": field(form, "source", 500)}
    upload = form.get("photo")
    photo = upload if isinstance(upload, UploadFile) and upload.filename else None
    if not values["description"]:
        return render(
            request,
            "evidence/item.html",
            {
                "title": "Record an item",
                "values": values,
                "errors": [
                    error(
                        "description",
                        "Please describe the item, for example 'Card left on my car'.",
                    )
                ],
            },
            400,
        )
    try:
        with state.working():
            item_id = await run_in_threadpool(
                _store_item, book, values["description"], values["source"], photo
            )
    except SafetrailError as exc:
        return render(
            request,
            "evidence/item.html",
            {"title": "Record an item", "values": values, "errors": [error("photo", str(exc))]},
            400,
        )
    return see_other(f"/evidence/{item_id}")


@router.get("/{evidence_id}")
def show(request: Request, evidence_id: int, book: OpenBook) -> Response:
    try:
        item = get_evidence(book, evidence_id)
    except NotFound:
        return render(
            request,
            "base/problem.html",
            {"title": "Not found", "message": "There is no evidence item with that number."},
            404,
        )
    page = request.query_params.get("page", "1")
    number = int(page) if page.isdigit() and int(page) > 0 else 1
    records = list_records(
        book,
        RecordFilter(
            evidence_id=evidence_id,
            limit=RECORDS_PER_PAGE + 1,
            offset=(number - 1) * RECORDS_PER_PAGE,
        ),
    )
    shown_warnings, warnings_total = warnings_for(book, evidence_id)
    senders = senders_of(book, evidence_id)
    everything = list_evidence(book)
    attachments = [e for e in everything if e.parent_id == evidence_id]
    parent = next((e for e in everything if e.id == item.parent_id), None)
    return render(
        request,
        "evidence/show.html",
        {
            "title": f"Exhibit {item.exhibit_ref}",
            "item": item,
            "records": records[:RECORDS_PER_PAGE],
            "page": number,
            "more": len(records) > RECORDS_PER_PAGE,
            "warnings": shown_warnings,
            "warnings_total": warnings_total,
            "is_image": item.file is not None and item.file.media_type in PREVIEWABLE,
            "senders": senders if len(senders) > 1 else [],
            "me_saved": request.query_params.get("me") == "1",
            "attachments": attachments,
            "parent": parent,
        },
    )


@router.get("/{evidence_id}/image")
def image(request: Request, evidence_id: int, book: OpenBook) -> Response:
    """The picture re-encoded by the server: never the original bytes."""
    try:
        png = image_preview(book, evidence_id)
    except (NotFound, SafetrailError):
        return Response(status_code=404)
    return Response(png, media_type="image/png", headers={"Content-Disposition": "inline"})


@router.post("/{evidence_id}/me")
async def which_is_me(request: Request, evidence_id: int) -> Response:
    """The person says which sender in an import is them: their messages become 'sent'."""
    book = state_of(request).require_book()
    key = field(await request.form(), "sender_key", 500)
    if key:
        try:
            await run_in_threadpool(set_me, book, evidence_id, key)
        except NotFound:
            return see_other(f"/evidence/{evidence_id}")
        return see_other(f"/evidence/{evidence_id}?me=1")
    return see_other(f"/evidence/{evidence_id}")
