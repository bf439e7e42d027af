"""Starlette's TestClient, imported without its warning that it prefers `httpx2` to `httpx`
(pytest turns warnings into errors; httpx is what the project depends on)."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
