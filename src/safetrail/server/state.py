"""What every request needs: settings, the database, the server keys and the blob store."""

from __future__ import annotations

import json
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader
from sqlalchemy import Engine

from safetrail.server.config import ServerConfig
from safetrail.server.keys import ServerKeys
from safetrail.vault.blobstore import BlobStore


@dataclass(frozen=True)
class ServerState:
    config: ServerConfig
    engine: Engine
    keys: ServerKeys
    blobs: BlobStore
    templates: Environment


def template_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("safetrail.server", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = lambda text: (text or "")[:16].replace("T", " ")
    env.filters["detail"] = lambda value: value if isinstance(value, str) else json.dumps(value)
    return env
