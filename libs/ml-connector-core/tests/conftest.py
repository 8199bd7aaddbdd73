"""Test fixtures: a throw-away PostgreSQL server per session, and a fresh ledger per test on each backend."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

REQUIRE_ENV = "ML_CONNECTOR_REQUIRE_POSTGRES"
EXTERNAL_ENV = "ML_CONNECTOR_TEST_POSTGRES_URL"  # use an existing server (e.g. a CI service container)
SYSTEM_USER = "postgres"


def _postgres_bindir() -> Path | None:
    """initdb and pg_ctl from PATH, else the newest Debian/Ubuntu install under /usr/lib/postgresql."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.split("/")[-3]))

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """A private cluster in a temp dir; as root it runs as the `postgres` user (postgres refuses root)."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="mlc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                pytest.fail("running as root needs `runuser` to start PostgreSQL as the postgres user")
            try:
                shutil.chown(self.root, user=SYSTEM_USER, group=None)
            except LookupError:
                pytest.fail(
                    f"running as root needs the `{SYSTEM_USER}` system user (apt-get install postgresql creates it)"
                )
            self.prefix = ["runuser", "-u", SYSTEM_USER, "--"]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, *args], capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> None:
        result = self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "-N",
        )
        if result.returncode != 0:
            pytest.fail(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        for _attempt in range(3):  # the free port may be taken between probe and bind
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            result = self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            )
            if result.returncode == 0:
                return
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        pytest.fail(f"PostgreSQL did not start:\n{result.stdout}\n{result.stderr}\n{log[-2000:]}")

    def stop(self) -> None:
        if self.data.exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a PostgreSQL server (superuser, database `postgres`) for this session."""
    external = os.environ.get(EXTERNAL_ENV)
    if external:
        yield external
        return
    bindir = _postgres_bindir()
    if bindir is None:
        message = "no PostgreSQL binaries (initdb, pg_ctl) found: run scripts/ensure-postgres.sh"
        if os.environ.get("CI") or os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = _Server(bindir)
    try:
        server.start()
        yield server.url
    finally:
        server.stop()


def _admin_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty ledger: a SQLite file, or a fresh PostgreSQL schema (first on search_path).

    A schema per test costs milliseconds; a database per test costs half a second.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    server_url = request.getfixturevalue("postgres_url")
    schema = f"mlc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with (
            psycopg.connect(_admin_conninfo(server_url), autocommit=True) as admin,
            contextlib.suppress(psycopg.Error),
        ):
            admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[object]:
    """A Ledger on each backend, closed after the test."""
    from ml_connector.ledger import Ledger

    instance = Ledger(ledger_url)
    try:
        yield instance
    finally:
        instance.close()
