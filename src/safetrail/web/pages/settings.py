"""Settings: time zone and jurisdiction (in the casebook), the app's lock time, discreet mode and
quick-exit site (beside it), the passphrase, and an encrypted backup to download."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from safetrail.analysis.offences import JURISDICTIONS
from safetrail.services.backup import create_backup
from safetrail.services.casebook import Casebook, change_passphrase
from safetrail.services.errors import SafetrailError
from safetrail.services.settings import JURISDICTION_NAMES, change_settings, passphrase_opens
from safetrail.services.when import zone
from safetrail.web.analysis_cache import ANALYSIS_CACHE
from safetrail.web.downloads import send_and_forget
from safetrail.web.pages.common import Errors, OpenBook, error, field, see_other, state_of
from safetrail.web.preferences import (
    IDLE_CHOICES,
    WebPreferences,
    check_exit_url,
    check_idle_minutes,
    save_preferences,
)
from safetrail.web.state import AppState
from safetrail.web.templating import render

router = APIRouter(prefix="/settings")

MAX_PASSPHRASE = 1024
SAVED_MESSAGES = {
    "case": "Your case settings are saved.",
    "app": "The app settings are saved.",
    "passphrase": "Your passphrase is changed. Use the new one from now on.",
}


def _values(book: Casebook, preferences: WebPreferences) -> dict[str, str]:
    return {
        "timezone": book.setting("timezone") or "Europe/London",
        "jurisdiction": book.setting("jurisdiction") or "england-wales",
        "idle_minutes": str(preferences.idle_minutes),
        "discreet": "yes" if preferences.discreet else "no",
        "exit_url": preferences.exit_url,
    }


def _context(
    state: AppState, book: Casebook, errors: Errors, typed: dict[str, str] | None, saved: str
) -> dict[str, Any]:
    values = _values(book, state.preferences())
    if typed:
        values.update(typed)
    return {
        "title": "Settings",
        "values": values,
        "errors": errors,
        "saved": SAVED_MESSAGES.get(saved, ""),
        "jurisdictions": [(j, JURISDICTION_NAMES[j]) for j in JURISDICTIONS],
        "idle_choices": [(str(m), f"{m} minutes") for m in IDLE_CHOICES],
        "yes_no": (("yes", "Yes"), ("no", "No")),
        "is_demo": state.is_demo,
    }


@router.get("")
def settings_page(request: Request, book: OpenBook) -> Response:
    saved = request.query_params.get("saved", "")
    context = _context(state_of(request), book, [], None, saved)
    return render(request, "settings/settings.html", context)


def _problem(request: Request, book: Casebook, errors: Errors, typed: dict[str, str]) -> Response:
    context = _context(state_of(request), book, errors, typed, "")
    return render(request, "settings/settings.html", context, status=400)


@router.post("/case")
async def save_case_settings(request: Request) -> Response:
    book = state_of(request).require_book()
    form = await request.form()
    typed = {
        "timezone": field(form, "timezone", 60),
        "jurisdiction": field(form, "jurisdiction", 40),
    }
    errors: Errors = []
    try:
        zone(typed["timezone"])
    except SafetrailError as exc:
        errors.append(error("timezone", str(exc)))
    if typed["jurisdiction"] not in JURISDICTIONS:
        errors.append(error("jurisdiction", "Please choose where you live."))
    if errors:
        return _problem(request, book, errors, typed)
    await run_in_threadpool(change_settings, book, typed["timezone"], typed["jurisdiction"])
    ANALYSIS_CACHE.clear()
    return see_other("/settings?saved=case")


@router.post("/app")
async def save_app_settings(request: Request) -> Response:
    state = state_of(request)
    book = state.require_book()
    form = await request.form()
    typed = {
        "idle_minutes": field(form, "idle_minutes", 10),
        "discreet": field(form, "discreet", 10),
        "exit_url": field(form, "exit_url", 400),
    }
    errors: Errors = []
    idle = 0
    try:
        idle = check_idle_minutes(
            int(typed["idle_minutes"]) if typed["idle_minutes"].isdigit() else -1
        )
    except SafetrailError as exc:
        errors.append(error("idle_minutes", str(exc)))
    exit_url = ""
    try:
        exit_url = check_exit_url(typed["exit_url"])
    except SafetrailError as exc:
        errors.append(error("exit_url", str(exc)))
    root = state.config.casebook_root
    if not errors and not root.is_dir():
        errors.append(error("idle_minutes", "These can be saved once you make your own casebook."))
    if errors:
        return _problem(request, book, errors, typed)
    chosen = replace(
        state.preferences(),
        idle_minutes=idle,
        exit_url=exit_url,
        discreet=typed["discreet"] == "yes",
    )
    await run_in_threadpool(save_preferences, root, chosen)
    return see_other("/settings?saved=app")


def _change_passphrase(state: AppState, book: Casebook, old: str, new: str, again: str) -> Errors:
    if not old:
        return [error("old_passphrase", "Please type your passphrase as it is now.")]
    if not passphrase_opens(book, old):
        return [
            error(
                "old_passphrase", "That is not the passphrase of this casebook. Please try again."
            )
        ]
    if not new:
        return [error("new_passphrase", "Please choose a new passphrase.")]
    if new != again:
        return [error("confirm_passphrase", "The two new passphrases are not the same.")]
    try:
        change_passphrase(book, new, state.config.kdf)
    except SafetrailError as exc:
        return [error("new_passphrase", str(exc))]
    return []


@router.post("/passphrase")
async def save_passphrase(request: Request) -> Response:
    state = state_of(request)
    book = state.require_book()
    form = await request.form()
    old = _raw(form.get("old_passphrase"))
    new = _raw(form.get("new_passphrase"))
    again = _raw(form.get("confirm_passphrase"))
    errors = await run_in_threadpool(_change_passphrase, state, book, old, new, again)
    if errors:
        return _problem(request, book, errors, {})
    return see_other("/settings?saved=passphrase")


def _raw(value: object) -> str:
    """A passphrase exactly as typed (spaces count), bounded."""
    return value[:MAX_PASSPHRASE] if isinstance(value, str) else ""


def _backup(book: Casebook) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=".safetrail-download-", dir=book.root.parent))
    folder.chmod(0o700)
    out = folder / "casebook.backup"
    try:
        create_backup(book, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return out


@router.post("/backup")
async def download_backup(request: Request) -> Response:
    book = state_of(request).require_book()
    try:
        out = await run_in_threadpool(_backup, book)
    except SafetrailError as exc:
        return _problem(request, book, [error("backup", str(exc))], {})
    return send_and_forget(
        out, "application/octet-stream", f"safetrail-{date.today():%Y-%m-%d}.backup"
    )
