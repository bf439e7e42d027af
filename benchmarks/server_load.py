"""Load test of the caseworker server on loopback, bounded in time.

Starts a throwaway PostgreSQL cluster and `safetrail server run` (uvicorn, several workers) on
127.0.0.1, signs in the caseworkers with real passwords and TOTP codes, then for `--duration`
seconds: `--browsers` caseworkers browse (case list, case view, notes, an original file, now and
then a note) and `--importers` caseworkers import share packages made by a real casebook. Every
request's latency and outcome is kept; the summary gives throughput, median, 95th percentile and
errors. Nothing leaves 127.0.0.1, and the server and cluster are stopped whatever happens.

Usage: python -m benchmarks.server_load [--duration 300] [--browsers 200] [--importers 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pyotp
from sqlalchemy import Engine

from safetrail.models.incident import IncidentDetails
from safetrail.server import clock
from safetrail.server.access import Principal
from safetrail.server.accounts import Role, create_account, get_account
from safetrail.server.cases import import_package
from safetrail.server.config import Argon2Cost
from safetrail.server.db import server_engine
from safetrail.server.keys import ServerKeys, create_key_file, load_keys
from safetrail.server.migrations.runner import upgrade
from safetrail.server.schema import case_assignments
from safetrail.server.throwaway import start_cluster
from safetrail.services.casebook import Casebook, create_casebook
from safetrail.services.evidence import add_file
from safetrail.services.incidents import add_incident
from safetrail.services.ingest import IngestOptions, ingest
from safetrail.share.consent import confirm_fingerprint, create_consent
from safetrail.share.model import Scope
from safetrail.share.package import create_package
from safetrail.vault.keys import KdfParams

PASSWORD = "benchmark password, long enough"
CHAT = (
    Path(__file__).resolve().parents[1] / "tests" / "samples" / "whatsapp" / "android_24h_dmy.txt"
)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PRESIGNIN = re.compile(r'name="presignin" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)"')
# Argon2id for the benchmark accounts: OWASP's lowest recommended setting (19 MiB, t=2), so
# that creating and signing in 220 accounts does not dominate the run.
BENCH_ARGON2 = Argon2Cost(time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, started: float, ok: bool, what: str = "") -> None:
        self.samples.append(Sample(kind, time.perf_counter() - started, ok))
        if not ok:
            self.errors[what or kind] = self.errors.get(what or kind, 0) + 1


@dataclass
class User:
    username: str
    secret: str
    account_id: int
    packages: list[Path] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _person_casebook(folder: Path) -> Casebook:
    book = create_casebook(
        folder / "casebook",
        "benchmark passphrase for a casebook",
        "JS",
        kdf=KdfParams(time_cost=1, memory_cost_kib=8 * 1024, parallelism=1),
    )
    letter = folder / "letter.txt"
    letter.write_bytes(b"You can't hide from me.\n")
    add_file(book, letter)
    ingest(book, CHAT, IngestOptions())
    for day in range(1, 21):
        add_incident(
            book,
            IncidentDetails(
                occurred_start=datetime(2026, 3, day, 18, 40, tzinfo=UTC),
                what_happened=f"He was waiting outside my work again (day {day})",
            ),
        )
    return book


def _package_for(book: Casebook, recipient: str, out: Path) -> Path:
    made = create_consent(
        book,
        recipient_name="Caseworker",
        recipient_key=recipient,
        purpose="Support and safety planning",
        scope=Scope(everything=True, reports=frozenset({"chronology"})),
        valid_from=datetime.now(UTC) - timedelta(minutes=5),
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    confirm_fingerprint(book, made.consent_id, made.recipient_fingerprint)
    return create_package(book, made.consent_id, out, previous=None).path


def _add_users(engine: Engine, keys: ServerKeys, prefix: str, count: int) -> list[User]:
    users: list[User] = []
    with engine.begin() as conn:
        for number in range(count):
            name = f"{prefix}{number}"
            made = create_account(
                conn, keys, BENCH_ARGON2, username=name, display_name=name,
                role=Role.CASEWORKER, password=PASSWORD,
            )  # fmt: skip
            users.append(User(made.account.username, made.totp_secret, made.account.id))
    return users


def _seed_cases(
    engine: Engine, keys: ServerKeys, blob_dir: Path, book: Casebook, folder: Path, count: int
) -> list[int]:
    owner = _add_users(engine, keys, "seed", 1)[0]
    with engine.connect() as conn:
        account = get_account(conn, owner.account_id)
    assert account is not None and account.age_recipient is not None
    blobs = keys.blob_store(blob_dir)
    case_ids = []
    for number in range(count):
        path = _package_for(book, account.age_recipient, folder / f"seed-{number}.age")
        result = import_package(engine, keys, blobs, Principal(account), path)
        case_ids.append(result.case_id)
    return case_ids


def _assign(engine: Engine, users: list[User], case_ids: list[int]) -> None:
    moment = clock.stamp(clock.now())
    with engine.begin() as conn:
        conn.execute(
            case_assignments.insert(),
            [
                {
                    "case_id": case_ids[i % len(case_ids)],
                    "account_id": user.account_id,
                    "assigned_by": user.account_id,
                    "assigned_at": moment,
                }
                for i, user in enumerate(users)
            ],
        )


async def _sign_in(client: httpx.AsyncClient, user: User) -> None:
    page = await client.get("/signin")
    token = PRESIGNIN.search(page.text)
    assert token is not None
    sent = await client.post(
        "/signin", data={"username": user.username, "password": PASSWORD, "presignin": token[1]}
    )
    assert sent.status_code == 303, sent.text
    csrf = CSRF.search((await client.get("/signin/code")).text)
    assert csrf is not None
    code = pyotp.TOTP(user.secret).now()
    done = await client.post("/signin/code", data={"code": code, "csrf": csrf[1]})
    if done.status_code != 303:
        raise RuntimeError(f"sign-in of {user.username} failed: {done.status_code}")


async def _timed(
    results: Results, kind: str, call: Awaitable[httpx.Response]
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as exc:
        results.add(kind, started, False, f"{kind}: {type(exc).__name__}")
        return None
    ok = response.status_code in {200, 303}
    results.add(kind, started, ok, f"{kind}: HTTP {response.status_code}")
    return response


async def _browse(client: httpx.AsyncClient, results: Results, until: float, think: float) -> None:
    rng = random.Random()
    while time.monotonic() < until:
        listing = await _timed(results, "browse", client.get("/cases"))
        cases = CASE_LINK.findall(listing.text) if listing is not None else []
        if cases:
            case_id = rng.choice(cases)
            view = await _timed(results, "browse", client.get(f"/cases/{case_id}"))
            await _timed(results, "browse", client.get(f"/cases/{case_id}/notes"))
            if rng.random() < 0.3:
                await _timed(results, "browse", client.get(f"/cases/{case_id}/evidence/1"))
            if view is not None and rng.random() < 0.1 and (csrf := CSRF.search(view.text)):
                note = {"csrf": csrf[1], "kind": "note", "text": "Called, left a message."}
                await _timed(results, "browse", client.post(f"/cases/{case_id}/notes", data=note))
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))


async def _import(
    client: httpx.AsyncClient, user: User, results: Results, until: float, think: float
) -> None:
    for path in user.packages:
        if time.monotonic() >= until:
            return
        page = await client.get("/account")
        csrf = CSRF.search(page.text)
        assert csrf is not None
        files = {"package": ("package.age", path.read_bytes(), "application/octet-stream")}
        sent = await _timed(
            results, "import", client.post("/cases/import", data={"csrf": csrf[1]}, files=files)
        )
        if sent is not None and sent.status_code == 303:
            await _timed(results, "browse", client.get(sent.headers["location"]))
        await asyncio.sleep(think)


def _client(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=120.0)


async def _drive(
    base: str, browsers: list[User], importers: list[User], args: argparse.Namespace
) -> tuple[Results, float]:
    clients = {user.username: _client(base) for user in browsers + importers}
    gate = asyncio.Semaphore(8)

    async def sign_in(user: User) -> None:
        async with gate:
            await _sign_in(clients[user.username], user)

    await asyncio.gather(*(sign_in(user) for user in browsers + importers))
    results = Results()
    started = time.monotonic()
    until = started + args.duration
    await asyncio.gather(
        *(_browse(clients[u.username], results, until, args.think) for u in browsers),
        *(_import(clients[u.username], u, results, until, args.import_think) for u in importers),
    )
    elapsed = time.monotonic() - started
    for client in clients.values():
        await client.aclose()
    return results, elapsed


def _start_server(env: dict[str, str], base: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "safetrail", "server", "run"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/signin", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    _stop(server)
    raise RuntimeError(f"the server did not start: {log.read_text(errors='replace')[-2000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarise(results: Results, elapsed: float) -> dict[str, object]:
    summary: dict[str, object] = {"seconds": round(elapsed, 1), "errors": dict(results.errors)}
    for kind in ("browse", "import", "all"):
        times = [s.seconds for s in results.samples if kind in {"all", s.kind}]
        failed = sum(1 for s in results.samples if kind in {"all", s.kind} and not s.ok)
        summary[kind] = {
            "requests": len(times),
            "per_second": round(len(times) / elapsed, 1) if elapsed else 0.0,
            "median_ms": round(statistics.median(times) * 1000, 1) if times else 0.0,
            "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
            "errors": failed,
        }
    return summary


def run(args: argparse.Namespace) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="safetrail-load-"))
    cluster = start_cluster()
    server: subprocess.Popen[bytes] | None = None
    try:
        url = cluster.create_database("load")
        engine = server_engine(url)
        upgrade(engine)
        create_key_file(folder / "server.key")
        keys = load_keys(folder / "server.key")
        print("setting up accounts, a casebook and packages...", file=sys.stderr)
        browsers = _add_users(engine, keys, "browser", args.browsers)
        importers = _add_users(engine, keys, "importer", args.importers)
        book = _person_casebook(folder)
        try:
            _assign(
                engine,
                browsers,
                _seed_cases(engine, keys, folder / "blobs", book, folder, args.seed_cases),
            )
            for user in importers:
                with engine.connect() as conn:
                    account = get_account(conn, user.account_id)
                assert account is not None and account.age_recipient is not None
                user.packages = [
                    _package_for(book, account.age_recipient, folder / f"{user.username}-{n}.age")
                    for n in range(args.packages_per_importer)
                ]
        finally:
            book.close()
        engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "SAFETRAIL_SERVER_DATABASE_URL": url,
            "SAFETRAIL_SERVER_BLOB_DIR": str(folder / "blobs"),
            "SAFETRAIL_SERVER_KEY_FILE": str(folder / "server.key"),
            "SAFETRAIL_SERVER_BIND_HOST": "127.0.0.1",
            "SAFETRAIL_SERVER_BIND_PORT": str(port),
            "SAFETRAIL_SERVER_WORKERS": str(args.workers),
            "SAFETRAIL_SERVER_COOKIE_SECURE": "false",
            "SAFETRAIL_SERVER_ARGON2_TIME_COST": str(BENCH_ARGON2.time_cost),
            "SAFETRAIL_SERVER_ARGON2_MEMORY_COST_KIB": str(BENCH_ARGON2.memory_cost_kib),
        }
        server = _start_server(env, base, folder / "server.log")
        print(f"running for {args.duration} s...", file=sys.stderr)
        results, elapsed = asyncio.run(_drive(base, browsers, importers, args))
        return summarise(results, elapsed)
    finally:
        if server is not None:
            _stop(server)
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    parser.add_argument("--browsers", type=int, default=200)
    parser.add_argument("--importers", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--think", type=float, default=1.0, help="browsers' mean pause, s")
    parser.add_argument("--import-think", type=float, default=20.0, help="importers' pause, s")
    parser.add_argument("--packages-per-importer", type=int, default=15)
    parser.add_argument("--seed-cases", type=int, default=10, help="cases the browsers share")
    return parser.parse_args(argv)


def main() -> None:
    print(json.dumps(run(parse()), indent=2))


if __name__ == "__main__":
    main()
