"""A throwaway PostgreSQL server for the tests and the benchmark (not part of the library).

:func:`find_bindir` finds the server's programs (``pg_config --bindir``, else
``/usr/lib/postgresql/*/bin``, else ``initdb`` on the PATH); :class:`Cluster` creates a cluster
in a temporary folder (``initdb``), starts ``postgres`` on a free port of 127.0.0.1, and
stops it by its process id and removes the folder. PostgreSQL refuses to run as root: as
root, the folder is given to the ``postgres`` system user (which the Debian package
creates) and the programs run as that user. Connections over TCP need a password (SCRAM),
so the URLs the tests use carry a real one.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

SUPERUSER = "framing_test"
PASSWORD = "s3cr3t-Pa55:w@rd/x"  # characters that need URL quoting, to test the masking


def _has_server(bindir: Path) -> bool:
    return (bindir / "initdb").is_file() and (bindir / "postgres").is_file()


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``postgres``, or None when PostgreSQL is not installed."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True
        )
        bindir = Path(out.stdout.strip())
        if _has_server(bindir):
            return bindir
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for bindir in versions:
        if _has_server(bindir):
            return bindir
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(os.path.realpath(initdb)).parent
        if _has_server(bindir):
            return bindir
    return None


def _temp_root(user) -> str | None:
    """Where to make the cluster's folder: the usual temporary folder, unless another user
    (``postgres``, when we are root) could not reach it: then the system's /tmp."""
    root = Path(tempfile.gettempdir()).resolve()
    if user is None or all(p.stat().st_mode & 0o001 for p in (root, *root.parents)):
        return None
    return "/tmp"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


class Cluster:
    """A PostgreSQL server of its own, in a temporary folder (see the module)."""

    def __init__(self, bindir: Path, *, fsync: bool = False):
        self.bindir = bindir
        self.fsync = fsync
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.user = None  # (uid, gid) to run as, or None: as ourselves
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root and there is no postgres system user to run PostgreSQL "
                    "as (install the Debian postgresql package)"
                ) from None
            self.user = (entry.pw_uid, entry.pw_gid)
        self.folder = Path(tempfile.mkdtemp(prefix="framing-pg-", dir=_temp_root(self.user)))
        if self.user is not None:
            os.chown(self.folder, *self.user)

    def _run_as(self) -> dict:
        if self.user is None:
            return {}
        return {"user": self.user[0], "group": self.user[1], "extra_groups": []}

    def start(self, timeout: float = 60.0) -> Cluster:
        """initdb, then start the server and wait until it takes connections."""
        data = self.folder / "data"
        pwfile = self.folder / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.user is not None:
            os.chown(pwfile, *self.user)
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
        subprocess.run(
            [self.bindir / "initdb", "-D", data, "-U", SUPERUSER, f"--pwfile={pwfile}",
             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale",
             "--no-sync"],
            check=True, capture_output=True, cwd=self.folder, env=env, timeout=120,
            **self._run_as(),
        )  # fmt: skip
        self.port = _free_port()
        log = open(self.folder / "server.log", "wb")  # noqa: SIM115
        options = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=60"]
        if not self.fsync:
            options += ["-c", "fsync=off", "-c", "full_page_writes=off"]
        self.proc = subprocess.Popen(
            [self.bindir / "postgres", "-D", data, "-p", str(self.port), "-k", self.folder,
             *options],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, env=env,
            **self._run_as(),
        )  # fmt: skip
        log.close()
        self._wait(timeout)
        return self

    def _wait(self, timeout: float) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"PostgreSQL exited with {self.proc.returncode}: {tail}")
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.2)

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        """A ``postgresql://`` URL of ``database`` (with the password)."""
        return f"postgresql://{SUPERUSER}:{_quote(password)}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url`` (its connections closed)."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server by its process id (a fast shutdown) and remove the folder."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
