"""A throwaway PostgreSQL cluster in a temporary folder, for the tests and the load benchmark.

PostgreSQL refuses to run as root, so when we are root (as in CI) the cluster is created and run
as the `postgres` system user, in a folder that user owns. It listens only on a Unix socket in
that folder: nothing on the network can reach it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

PG_BIN = Path(os.environ.get("SAFETRAIL_PG_BIN", "/usr/lib/postgresql/15/bin"))
RUN_AS = "postgres"


class ClusterError(Exception):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(args: Sequence[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *args]
    return list(args)


@dataclass
class Cluster:
    root: Path
    port: int
    user: str

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres") -> str:
        return (
            f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def create_database(self, name: str) -> str:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            _as_owner(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run(args: Sequence[str], what: str) -> None:
    done = subprocess.run(_as_owner(args), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ClusterError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def start_cluster() -> Cluster:
    """initdb and start a fast, unsafe-on-crash cluster (fsync off): for tests only."""
    if not (PG_BIN / "initdb").exists():
        raise ClusterError(
            f"PostgreSQL is not installed in {PG_BIN}: run `make system-deps` as root "
            "(Debian package postgresql)"
        )
    # As root, the folder's parent must be open to the postgres user: /tmp is, a TMPDIR may not be.
    parent = os.environ.get("SAFETRAIL_PG_TMP", "/tmp") if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="safetrail-pg-", dir=parent))
    user = RUN_AS if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        entry = pwd.getpwnam(RUN_AS)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    cluster = Cluster(root=root, port=port, user=user)
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(root / "data"), "-U", user, "-A", "trust",
              "-E", "UTF8", "--no-sync"], "initdb")  # fmt: skip
        _run(["mkdir", "-p", str(cluster.socket_dir)], "mkdir")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{cluster.socket_dir}' "
            f"-p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300"
        )
        _run([str(PG_BIN / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
              "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")  # fmt: skip
    except BaseException:
        cluster.stop()
        raise
    return cluster
