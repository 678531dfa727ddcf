"""Fixtures of the feedback tests: a throwaway PostgreSQL server for the session (skipped, with
the reason, only when no PostgreSQL server programs are installed), a new database per test,
and ``db_url``: each test once on a SQLite file and once on PostgreSQL."""

from __future__ import annotations

import pytest

from feedback.pg_cluster import Cluster, find_bindir

NO_POSTGRES = (
    "no PostgreSQL server programs (initdb, postgres) found via pg_config, "
    "/usr/lib/postgresql/*/bin or PATH: install Debian's postgresql package (.ci/run does)"
)


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL server of its own on 127.0.0.1, stopped by its process id at the end."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(NO_POSTGRES)
    cluster = Cluster(bindir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """The URL (with its password) of a new, empty PostgreSQL database."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(scope="module")
def pg_module_url(pg_cluster):
    """A new PostgreSQL database shared by the tests of a module (property tests)."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A new database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "marks.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request, tmp_path_factory):
    """A database shared by a module's tests, on each backend."""
    if request.param == "sqlite":
        return str(tmp_path_factory.mktemp("feedback") / "marks.sqlite3")
    return request.getfixturevalue("pg_module_url")
