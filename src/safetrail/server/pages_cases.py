"""The case pages: list, import, view, files, notes, details, assignment, revocation, export."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy import Connection

from safetrail.models.filenames import safe_filename
from safetrail.server import audit, casedata, casework
from safetrail.server.access import Action, Principal, authorize_server, deny_other
from safetrail.server.cases import ImportRefused, apply_revocation, import_package
from safetrail.server.police_export import ExportDamaged, write_export
from safetrail.server.web import check_csrf, grant, render, see_other, signed_in, state_of

router = APIRouter()
SignedIn = Annotated[Principal, Depends(signed_in)]
Csrf = Annotated[str, Form(max_length=200)]


def _viewed(conn: Connection, principal: Principal, case_id: int, what: str) -> None:
    """Audit a view in the same transaction as the read (one round trip fewer per page)."""
    audit.append(
        conn,
        audit.case_chain(case_id),
        principal.actor,
        what,
        case_id=case_id,
        details={"role": principal.role.value},
    )


def _download(filename: str, chunks: Iterator[bytes], media_type: str) -> StreamingResponse:
    name = safe_filename(filename, "file").encode("ascii", "replace").decode().replace('"', "_")
    return StreamingResponse(
        chunks,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _case_list(
    request: Request, principal: Principal, message: str = "", status: int = 200
) -> HTMLResponse:
    state = state_of(request)
    with state.engine.connect() as conn:
        rows = casedata.list_cases(conn, principal)
    return render(
        request, "cases.html", status_code=status, principal=principal, cases=rows, message=message
    )


@router.get("/cases")
def case_list(request: Request, principal: SignedIn) -> HTMLResponse:
    authorize_server(state_of(request).engine, principal, Action.LIST_CASES)
    return _case_list(request, principal)


def _save_upload(upload: UploadFile, limit_mb: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="safetrail-upload-"))
    path = folder / "package.age"
    written = 0
    with path.open("wb") as sink:
        while chunk := upload.file.read(1 << 20):
            written += len(chunk)
            if written > limit_mb << 20:
                shutil.rmtree(folder, ignore_errors=True)
                raise ImportRefused(f"the file is larger than the limit of {limit_mb} MB")
            sink.write(chunk)
    return path


@router.post("/cases/import", response_model=None)
def import_case(
    request: Request, principal: SignedIn, package: Annotated[UploadFile, File()], csrf: Csrf = ""
) -> Response:
    check_csrf(request, principal, csrf)
    state = state_of(request)
    authorize_server(state.engine, principal, Action.IMPORT_PACKAGE)
    try:
        path = _save_upload(package, state.config.max_package_mb)
        try:
            result = import_package(state.engine, state.keys, state.blobs, principal, path)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
    except ImportRefused as exc:
        return _case_list(
            request,
            principal,
            f"The package was not imported, and nothing in it was kept: {exc.reason}",
            422,
        )
    return see_other(f"/cases/{result.case_id}")


@router.get("/cases/{case_id}")
def case_page(request: Request, principal: SignedIn, case_id: int) -> HTMLResponse:
    allowed = grant(request, principal, Action.VIEW_CASE, case_id)
    state = state_of(request)
    assignable: list[tuple[int, str, str]] = []
    with state.engine.begin() as conn:
        view = casedata.case_view(conn, allowed)
        refused = principal.role.value == "police_liaison" and not view.shows_person_data
        if not refused:
            if principal.role.value == "supervisor":
                assignable = list(casedata.iter_assignable(conn))
            _viewed(conn, principal, case_id, "case viewed")
    if refused:
        raise deny_other(state.engine, principal, "view the case: consent not in force", case_id)
    return render(request, "case.html", principal=principal, case=view, assignable=assignable)


@router.get("/cases/{case_id}/evidence/{item_id}", response_model=None)
def evidence_file(request: Request, principal: SignedIn, case_id: int, item_id: int) -> Response:
    allowed = grant(request, principal, Action.READ_FILE, case_id)
    state = state_of(request)
    with state.engine.begin() as conn:
        found = casedata.shared_original(conn, allowed, item_id)
        if found is not None:
            _viewed(conn, principal, case_id, f"evidence {item_id} opened")
    if found is None:
        raise deny_other(state.engine, principal, f"open evidence {item_id}: not shared", case_id)
    return _download(
        found.filename, state.blobs.read_chunks(found.blob_name), "application/octet-stream"
    )


@router.get("/cases/{case_id}/reports/{name}", response_model=None)
def report_file(request: Request, principal: SignedIn, case_id: int, name: str) -> Response:
    allowed = grant(request, principal, Action.READ_FILE, case_id)
    state = state_of(request)
    with state.engine.begin() as conn:
        found = casedata.shared_report(conn, allowed, name[:40])
        if found is not None:
            _viewed(conn, principal, case_id, f"report {name[:40]} opened")
    if found is None:
        raise deny_other(state.engine, principal, "open a report: not shared", case_id)
    return _download(
        found.filename, state.blobs.read_chunks(found.blob_name), "application/octet-stream"
    )


@router.get("/cases/{case_id}/notes")
def notes_page(request: Request, principal: SignedIn, case_id: int) -> HTMLResponse:
    allowed = grant(request, principal, Action.VIEW_NOTES, case_id)
    with state_of(request).engine.begin() as conn:
        found = casedata.notes(conn, allowed)
        _viewed(conn, principal, case_id, "notes read")
    return render(
        request, "notes.html", principal=principal, case_id=case_id, notes=found, message=""
    )


@router.post("/cases/{case_id}/notes", response_model=None)
def add_note(
    request: Request,
    principal: SignedIn,
    case_id: int,
    csrf: Csrf = "",
    kind: Annotated[str, Form(max_length=20)] = "note",
    text: Annotated[str, Form(max_length=20000)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    check_csrf(request, principal, csrf)
    allowed = grant(request, principal, Action.ADD_NOTE, case_id)
    try:
        with state_of(request).engine.begin() as conn:
            casework.add_note(conn, allowed, kind, text, due)
    except casework.CaseworkError as exc:
        with state_of(request).engine.connect() as conn:
            found = casedata.notes(conn, allowed)
        return render(
            request, "notes.html", status_code=422, principal=principal, case_id=case_id,
            notes=found, message=str(exc),
        )  # fmt: skip
    return see_other(f"/cases/{case_id}/notes")


def _back_with(request: Request, principal: Principal, case_id: int, message: str) -> HTMLResponse:
    return render(
        request, "message.html", status_code=422, principal=principal,
        title="That did not work", message=message, back=f"/cases/{case_id}",
    )  # fmt: skip


@router.post("/cases/{case_id}/details", response_model=None)
def case_details(
    request: Request,
    principal: SignedIn,
    case_id: int,
    csrf: Csrf = "",
    label: Annotated[str, Form(max_length=400)] = "",
    next_review: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    check_csrf(request, principal, csrf)
    allowed = grant(request, principal, Action.EDIT_DETAILS, case_id)
    try:
        with state_of(request).engine.begin() as conn:
            casework.set_details(conn, allowed, label, next_review)
    except casework.CaseworkError as exc:
        return _back_with(request, principal, case_id, str(exc))
    return see_other(f"/cases/{case_id}")


@router.post("/cases/{case_id}/assign", response_model=None)
def assign(
    request: Request,
    principal: SignedIn,
    case_id: int,
    csrf: Csrf = "",
    account_id: Annotated[int, Form()] = 0,
    assigned: Annotated[str, Form(max_length=10)] = "yes",
) -> Response:
    check_csrf(request, principal, csrf)
    allowed = grant(request, principal, Action.ASSIGN, case_id)
    try:
        with state_of(request).engine.begin() as conn:
            casework.assign(conn, allowed, account_id, assigned == "yes")
    except casework.CaseworkError as exc:
        return _back_with(request, principal, case_id, str(exc))
    return see_other(f"/cases/{case_id}")


@router.post("/cases/{case_id}/revocation", response_model=None)
def revocation(
    request: Request,
    principal: SignedIn,
    case_id: int,
    notice: Annotated[UploadFile, File()],
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, principal, csrf)
    allowed = grant(request, principal, Action.APPLY_REVOCATION, case_id)
    state = state_of(request)
    try:
        path = _save_upload(notice, 1)
        try:
            apply_revocation(state.engine, state.keys, allowed, path)
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)
    except ImportRefused as exc:
        return _back_with(request, principal, case_id, f"The notice was not applied: {exc.reason}")
    return see_other(f"/cases/{case_id}")


@router.get("/cases/{case_id}/export", response_model=None)
def police_export(request: Request, principal: SignedIn, case_id: int) -> Response:
    allowed = grant(request, principal, Action.EXPORT_POLICE, case_id)
    state = state_of(request)
    with state.engine.connect() as conn:
        content = casedata.export_content(conn, allowed)
    if content is None:
        raise deny_other(
            state.engine, principal, "export for police: consent not in force", case_id
        )
    try:
        spool = write_export(content, state.blobs, f"case-{case_id}-for-police")
    except ExportDamaged as exc:
        return _back_with(request, principal, case_id, str(exc))
    audit.record(
        state.engine, audit.case_chain(case_id), principal.actor, "exported for police",
        case_id=case_id,
        details={"incidents": len(content.incidents), "records": len(content.records),
                 "originals": len(content.evidence), "reports": len(content.reports)},
    )  # fmt: skip

    def chunks() -> Iterator[bytes]:
        with spool:
            while piece := spool.read(1 << 20):
                yield piece

    return _download(f"case-{case_id}-for-police.zip", chunks(), "application/zip")


@router.get("/cases/{case_id}/audit")
def case_audit(request: Request, principal: SignedIn, case_id: int) -> HTMLResponse:
    grant(request, principal, Action.VIEW_AUDIT, case_id)
    with state_of(request).engine.begin() as conn:
        log = audit.entries(conn, audit.case_chain(case_id))
        _viewed(conn, principal, case_id, "audit log viewed")
    return render(
        request, "audit.html", principal=principal, title=f"Audit log of case {case_id}",
        log=log, problems=audit.chain_problems(log), jsonl=f"/cases/{case_id}/audit.jsonl",
    )  # fmt: skip


@router.get("/cases/{case_id}/audit.jsonl", response_model=None)
def case_audit_jsonl(request: Request, principal: SignedIn, case_id: int) -> Response:
    grant(request, principal, Action.VIEW_AUDIT, case_id)
    with state_of(request).engine.begin() as conn:
        log = audit.entries(conn, audit.case_chain(case_id))
        _viewed(conn, principal, case_id, "audit log exported")
    body = "".join(audit.as_jsonl(log)).encode("utf-8")
    return _download(f"case-{case_id}-audit.jsonl", iter([body]), "application/jsonl")
