"""A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, pg_ctl on a free port.

One cluster per test process (xdist workers each start their own), with a
migrated template database holding the test store's admin, so each test's
database is a cheap `CREATE DATABASE … TEMPLATE`. When PostgreSQL cannot be
found or started, `PgCluster.start` raises `PgUnavailable` with the reason,
which the tests that need it show as their skip reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

# Durability is worthless for a cluster thrown away after the run.
FAST = "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
SUPERUSER = "postgres"


class PgUnavailable(RuntimeError):
    """Why PostgreSQL tests cannot run on this machine."""


def find_bin(name: str) -> str | None:
    """`initdb`/`pg_ctl` on PATH or in the Debian layout (/usr/lib/postgresql/N/bin), newest first."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _version(folder: str) -> int:
    part = Path(folder).parent.name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> list[str]:
    """initdb refuses root: as root, run the server tools as the `postgres` (or `nobody`) user."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        if runuser:
            return [runuser, "-u", user, "--"]
    raise PgUnavailable("running as root and there is no `postgres` user or runuser to run initdb as")


class PgCluster:
    """One running server: `url(name)` for a database, `create_database` per test."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.port = 0
        self._counter = 0
        self._prefix = _run_as()

    def start(self) -> "PgCluster":
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise PgUnavailable("PostgreSQL's initdb/pg_ctl not found (scripts/ensure-test-tools installs them)")
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise PgUnavailable("psycopg2 is not installed (pip install -e '.[dev]')") from None
        self.folder = Path(tempfile.mkdtemp(prefix="pos-pg-", dir=self._parent()))
        data = self.folder / "data"
        if self._prefix:
            shutil.chown(self.folder, user=self._prefix[2])
        self._tool([initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync"], "initdb")
        for _ in range(5):  # another process may grab the port between bind and start
            self.port = _free_port()
            options = f"{FAST} -p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
            try:
                self._tool([pg_ctl, "-D", str(data), "-l", str(self.folder / "server.log"),
                            "-o", options, "-w", "-t", "30", "start"], "pg_ctl start")
                return self
            except PgUnavailable:
                continue
        raise PgUnavailable(f"the server would not start; see {self.folder / 'server.log'}")

    def _parent(self) -> str:
        """A temp folder the server's user can reach: as root, /tmp may be private to root."""
        candidates = ["/dev/shm", tempfile.gettempdir(), "/var/tmp"]
        for parent in candidates:
            if not os.path.isdir(parent):
                continue
            if not self._prefix or subprocess.run(self._prefix + ["test", "-x", parent, "-a", "-r", parent],
                                                  capture_output=True).returncode == 0:
                return parent
        raise PgUnavailable(f"no temp folder that the {self._prefix[2]} user can reach ({', '.join(candidates)})")

    def _tool(self, argv: list[str], what: str) -> None:
        try:
            done = subprocess.run(self._prefix + argv, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PgUnavailable(f"{what} failed: {exc}") from None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise PgUnavailable(f"{what} failed: {tail[0]}")

    def stop(self) -> None:
        if self.folder is None:
            return
        pg_ctl = find_bin("pg_ctl")
        if pg_ctl and (self.folder / "data" / "postmaster.pid").exists():
            subprocess.run(self._prefix + [pg_ctl, "-D", str(self.folder / "data"), "-m", "immediate", "-w",
                                           "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def url(self, name: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def execute(self, sql: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", user=SUPERUSER, host="127.0.0.1", port=self.port)
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    def create_database(self, template: str | None = None) -> str:
        """A new empty (or copied from `template`) database; returns its URL."""
        self._counter += 1
        name = f"test_{os.getpid()}_{self._counter}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
