"""`safetrail serve`, run as a script would: the URL first, loopback only, refused without it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from safetrail.cli.serve import bind_loopback


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = {**os.environ, "SAFETRAIL_CASEBOOK": str(tmp_path / "book")}
    process = subprocess.Popen(
        [sys.executable, "-m", "safetrail", "serve", "--no-browser"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline().strip()
        yield first_line, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _wait_for(url: str) -> None:
    parts = urlsplit(url)
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex((parts.hostname or "", parts.port or 0)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def test_the_first_line_is_the_launch_url_and_it_signs_in(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    url, _ = served
    parts = urlsplit(url)
    assert parts.scheme == "http"
    assert parts.hostname == "127.0.0.1"
    assert parts.path == "/launch"
    assert parts.query.startswith("secret=")
    _wait_for(url)
    with httpx.Client(base_url=f"http://{parts.netloc}") as client:
        assert client.get("/welcome").status_code == 403
        signed_in = client.get(url, follow_redirects=True)
        assert signed_in.status_code == 200
        assert "Welcome" in signed_in.text
        assert signed_in.headers["x-frame-options"] == "DENY"


def test_a_port_in_use_is_explained() -> None:
    import click

    taken = bind_loopback(0)
    try:
        with pytest.raises(click.ClickException, match="already in use"):
            bind_loopback(taken.getsockname()[1])
    finally:
        taken.close()


def test_it_listens_on_loopback_only() -> None:
    sock = bind_loopback(0)
    try:
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()
