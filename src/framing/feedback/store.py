"""The feedback store: marks in a SQLite file or a PostgreSQL database, through the same
SQLAlchemy Core code.

Schema (version :data:`SCHEMA_VERSION`; see docs/feedback.md): one table of marks
(:data:`MARKS_TABLE`) and a one-row table holding the schema version (:data:`VERSION_TABLE`).
:func:`migrate` creates a new database at the current version and upgrades an older one
step by step (:data:`MIGRATIONS`), under a lock, so that processes opening a new database at
once create it once. A database of a newer version is refused.

Concurrent writers lose nothing: every write is one transaction; on SQLite, the file is in
WAL mode (readers never block the writer), a write transaction takes the write lock when it
begins (``BEGIN IMMEDIATE``), waits up to :data:`BUSY_TIMEOUT_S` for it, and the whole
transaction is retried when the database stays busy; on PostgreSQL, a transaction failed by
a serialization failure or a deadlock is retried. Nothing is retried that may have committed.

A read-only SQLite file (no write permission for us, or none for anybody: root may write
anything, the file's mode still says it is not to be changed) is opened read-only (SQLite URI
``mode=ro``; also ``immutable=1`` when nobody may write it and no write-ahead log is pending,
so that nothing is created beside it): the marks can be listed, counted and exported, and a
write raises a :class:`StoreError` that says to copy the file or give another database.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterable
from urllib.parse import quote

import sqlalchemy as sa

from framing.errors import FramingError, InputError
from framing.feedback.marks import MARK_FIELDS, Mark, check_mark, now_iso
from framing.feedback.urls import Location, mask_url, resolve_location
from framing.tables.write import read_only_file

__all__ = [
    "BUSY_TIMEOUT_S",
    "MARKS_TABLE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "VERSION_TABLE",
    "FeedbackStore",
    "StoreError",
    "check_version",
    "migrate",
    "open_store",
    "read_only_file",
]

SCHEMA_VERSION = 1
MARKS_TABLE = "feedback_marks"
VERSION_TABLE = "feedback_schema"
BUSY_TIMEOUT_S = 30.0
ATTEMPTS = 8  # a transaction is tried this many times when the database stays busy
_BATCH = 1_000  # marks per INSERT statement (one transaction for the whole call)
_PG_LOCK = 727_270_027  # the advisory lock held while a PostgreSQL schema is created/upgraded
_PG_RETRY_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected

METADATA = sa.MetaData()
MARKS = sa.Table(
    MARKS_TABLE,
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("unit", sa.String(16), nullable=False),
    sa.Column("head", sa.String(40), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=True),
    sa.Column("span_end", sa.Integer, nullable=True),
    sa.Column("word", sa.Text, nullable=True),  # text[span_start:span_end].lower()
    sa.Column("answer", sa.String(16), nullable=False),
    sa.Column("model_hash", sa.String(128), nullable=True),
    sa.Column("score", sa.Double, nullable=True),
    sa.Column("user_name", sa.String(200), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index("ix_feedback_marks_head_word", "head", "word"),
    sa.Index("ix_feedback_marks_user_name", "user_name"),
    sa.Index("ix_feedback_marks_created_at", "created_at"),
)
VERSION = sa.Table(
    VERSION_TABLE,
    METADATA,
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("upgraded_at", sa.String(32), nullable=False),
)

# version N -> the step that upgrades a database of version N to N + 1 (none yet: version 1
# is the first). A step runs inside the migration's transaction, under its lock.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {}


class StoreError(FramingError):
    """The feedback database cannot be opened, read or written (the message says why, with
    any password masked, and what to do)."""


def _hint(location: Location, reason: str) -> str:
    if location.backend == "sqlite":
        if "not a database" in reason:
            return "give a SQLite file made by framing feedback, or the name of a new file"
        return "check that the file and its folder exist and are writable"
    return (
        "check that the server runs and that the URL's user, password, host, port and "
        "database are right"
    )


def _store_error(location: Location, exc: Exception, doing: str) -> StoreError:
    orig = getattr(exc, "orig", None) or exc
    reason = " ".join(str(orig).split()) or type(orig).__name__
    return StoreError(
        f"feedback database {location.display}: cannot {doing} ({mask_url(reason)[:500]}); "
        f"{_hint(location, reason)}"
    )


def _sqlite_busy(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(m in text for m in ("database is locked", "database is busy", "table is locked"))


def _transient(location: Location, exc: Exception) -> bool:
    """Whether a failed transaction surely rolled back and may be tried again."""
    if location.backend == "sqlite":
        return isinstance(exc, sa.exc.OperationalError) and _sqlite_busy(exc)
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, sa.exc.DBAPIError) and state in _PG_RETRY_STATES


def _sqlite_engine(location: Location) -> sa.Engine:
    path = location.path
    if not path.parent.is_dir():
        if location.source != "default":
            raise InputError(
                f"cannot create the feedback database {path}: folder {path.parent} does not "
                "exist; create it or give another --db"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        location.url, connect_args={"timeout": BUSY_TIMEOUT_S}, hide_parameters=True
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # transactions begun by _on_begin
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get("framing_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _sqlite_read_only_engine(location: Location) -> sa.Engine:
    """An engine reading the read-only file ``location.path`` (URI ``mode=ro``; with
    ``immutable=1`` when nobody may write it and its write-ahead log is empty or absent)."""
    path = location.path.resolve()
    wal = path.with_name(path.name + "-wal")
    nobody_writes = not path.stat().st_mode & 0o222
    immutable = nobody_writes and (not wal.exists() or wal.stat().st_size == 0)
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")

    def connect():
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)

    return sa.create_engine(
        "sqlite://", creator=connect, poolclass=sa.pool.NullPool, hide_parameters=True
    )


def _read_only_refusal(location: Location) -> StoreError:
    return StoreError(
        f"the database file is read-only: {location.display}; copy it (cp) to a writable "
        "place or give another database (--db)"
    )


def check_version(conn: sa.Connection) -> int:
    """The schema version of a database opened read-only (nothing created or upgraded): a
    :class:`StoreError` when it is not a framing feedback database, or is of another
    version than this framing's."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        raise StoreError(
            f"the database has no {VERSION_TABLE} table: it was not made by framing feedback"
        )
    found = conn.execute(sa.select(sa.func.max(VERSION.c.version))).scalar()
    if found != SCHEMA_VERSION:
        raise StoreError(
            f"the feedback database has schema version {found}, this framing reads version "
            f"{SCHEMA_VERSION}; "
            + (
                "upgrade framing"
                if found and found > SCHEMA_VERSION
                else "open a writable copy once to upgrade it"
            )
        )
    return found


def _postgresql_engine(location: Location) -> sa.Engine:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise InputError(
            "a PostgreSQL feedback database needs psycopg 3: pip install 'framing[feedback]'"
        ) from None
    return sa.create_engine(
        location.url,
        pool_pre_ping=True,
        pool_size=2,
        hide_parameters=True,
        connect_args={"connect_timeout": 10, "application_name": "framing"},
    )


def migrate(conn: sa.Connection) -> int:
    """Create the schema in a new database, or upgrade an older one to
    :data:`SCHEMA_VERSION` (inside ``conn``'s transaction); the version found before.
    A database of a newer version raises :class:`StoreError` (upgrade framing)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    inspector = sa.inspect(conn)
    if not inspector.has_table(VERSION_TABLE):
        if inspector.has_table(MARKS_TABLE):
            raise StoreError(
                f"the database has a {MARKS_TABLE} table but no {VERSION_TABLE} table: it "
                "was not made by framing; give another database"
            )
        METADATA.create_all(conn)
        conn.execute(sa.insert(VERSION), {"version": SCHEMA_VERSION, "upgraded_at": now_iso()})
        return 0
    found = conn.execute(sa.select(sa.func.max(VERSION.c.version))).scalar()
    if found is None:
        raise StoreError(f"the {VERSION_TABLE} table is empty; the database is damaged")
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"the feedback database has schema version {found}, newer than this framing "
            f"knows ({SCHEMA_VERSION}); upgrade framing"
        )
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
        conn.execute(sa.update(VERSION).values(version=version + 1, upgraded_at=now_iso()))
    return found


def _row(mark: Mark, now: str) -> dict:
    return {
        "created_at": mark.created_at or now,
        "unit": mark.unit,
        "head": mark.head,
        "text": mark.text,
        "span_start": mark.start,
        "span_end": mark.end,
        "word": None if mark.start is None else mark.text[mark.start : mark.end].lower(),
        "answer": mark.answer,
        "model_hash": mark.model_hash,
        "score": mark.score,
        "user_name": mark.user,
        "note": mark.note,
    }


def _key(mark: Mark) -> tuple:
    """A mark's fields but its id: equal keys are the same mark."""
    return tuple(getattr(mark, f) for f in MARK_FIELDS if f != "id")


def _mark(row) -> Mark:
    return Mark(
        text=row.text,
        unit=row.unit,
        head=row.head,
        start=row.span_start,
        end=row.span_end,
        answer=row.answer,
        model_hash=row.model_hash,
        score=row.score,
        user=row.user_name,
        note=row.note,
        id=row.id,
        created_at=row.created_at,
    )


class FeedbackStore:
    """Marks in one database (see the module). Open with :func:`open_store`; close with
    :meth:`close` or use it as a context manager. Processes open stores of their own; the
    threads of a process may share one (each call takes a connection of its own from the
    engine's pool, as a Streamlit app's sessions would)."""

    def __init__(self, location: Location):
        self.location = location
        #: the SQLite file is read-only: opened for reading, every write refused
        self.read_only = location.backend == "sqlite" and read_only_file(location.path)
        if self.read_only:
            self.engine = _sqlite_read_only_engine(location)
        elif location.backend == "sqlite":
            self.engine = _sqlite_engine(location)
        else:
            self.engine = _postgresql_engine(location)
        try:
            if self.read_only:
                self._read(check_version, "read the schema version")
            else:
                self._write(migrate, "create or upgrade the schema")
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def display(self) -> str:
        """Where the marks are, safe to print (password masked)."""
        return self.location.display

    def __repr__(self) -> str:
        return f"FeedbackStore({self.display!r})"

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    # ---- transactions ------------------------------------------------------------------------
    def _run(self, work, doing: str, *, write: bool):
        """``work(conn)`` in one transaction, tried again while the database is busy."""
        for attempt in range(ATTEMPTS):
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn = conn.execution_options(framing_write=True)
                    with conn.begin():
                        return work(conn)
            except sa.exc.DBAPIError as exc:
                if attempt + 1 < ATTEMPTS and _transient(self.location, exc):
                    time.sleep(min(0.05 * 2**attempt, 2.0) * random.uniform(0.5, 1.5))
                    continue
                raise _store_error(self.location, exc, doing) from None
            except sa.exc.SQLAlchemyError as exc:
                raise _store_error(self.location, exc, doing) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, work, doing: str):
        if self.read_only:
            raise _read_only_refusal(self.location)
        return self._run(work, doing, write=True)

    def _read(self, work, doing: str = "read the marks"):
        return self._run(work, doing, write=False)

    # ---- writing -----------------------------------------------------------------------------
    def add(self, mark: Mark) -> int:
        """Store ``mark`` (checked by :func:`~framing.feedback.check_mark`); its id."""
        return self.add_many([mark])[0]

    def add_many(self, marks: Iterable[Mark]) -> list[int]:
        """Store ``marks`` in one transaction (all or none: each is checked first); their ids
        in order. A mark's ``created_at`` is kept when set (an imported mark), else now."""
        checked = [check_mark(m) for m in marks]
        if not checked:
            return []
        return self._write(lambda conn: self._insert(conn, checked), "store the marks")

    @staticmethod
    def _insert(conn, checked: list[Mark]) -> list[int]:
        """Insert checked marks (in batches, inside ``conn``'s transaction); their ids."""
        now = now_iso()
        rows = [_row(m, now) for m in checked]
        insert = sa.insert(MARKS).returning(MARKS.c.id, sort_by_parameter_order=True)
        ids = []
        for i in range(0, len(rows), _BATCH):
            ids += conn.execute(insert, rows[i : i + _BATCH]).scalars().all()
        return ids

    def import_marks(self, marks: Iterable[Mark]) -> tuple[list[int], int]:
        """Store the marks of a file (:func:`~framing.feedback.read_marks`) in one
        transaction, but those already stored: the same in every field but the id (a file
        imported twice adds nothing the second time). The new ids, and how many were
        already there."""
        checked = [check_mark(m) for m in marks]
        keys = {_key(m) for m in checked if m.created_at is not None}
        times = sorted({m.created_at for m in checked if m.created_at is not None})

        def work(conn):
            found = set()
            for i in range(0, len(times), _BATCH):
                query = sa.select(MARKS).where(MARKS.c.created_at.in_(times[i : i + _BATCH]))
                found |= {_key(_mark(r)) for r in conn.execute(query)} & keys
            new, seen = [], set()
            for m in checked:
                key = _key(m)
                if key in found or (m.created_at is not None and key in seen):
                    continue
                seen.add(key)
                new.append(m)
            return self._insert(conn, new), len(checked) - len(new)

        return self._write(work, "import the marks")

    def delete(self, mark_id: int) -> bool:
        """Delete the mark ``mark_id``; whether there was one."""
        if isinstance(mark_id, bool) or not isinstance(mark_id, int):
            raise InputError(f"a mark id is a whole number, not {mark_id!r}")

        def work(conn):
            return conn.execute(sa.delete(MARKS).where(MARKS.c.id == mark_id)).rowcount > 0

        return self._write(work, "delete the mark")

    def undo_last(self, user: str | None = None) -> Mark | None:
        """Delete the mark stored last (of ``user`` when given); it, or None when none."""

        def work(conn):
            for _ in range(100):  # another process may delete the same mark first
                query = sa.select(MARKS).order_by(MARKS.c.id.desc()).limit(1)
                if user is not None:
                    query = query.where(MARKS.c.user_name == user)
                row = conn.execute(query.with_for_update()).first()
                if row is None:
                    return None
                deleted = conn.execute(sa.delete(MARKS).where(MARKS.c.id == row.id))
                if deleted.rowcount:
                    return _mark(row)
            return None

        return self._write(work, "undo the last mark")

    # ---- reading -----------------------------------------------------------------------------
    def get(self, mark_id: int) -> Mark | None:
        """The mark ``mark_id``, or None."""
        row = self._read(
            lambda conn: conn.execute(sa.select(MARKS).where(MARKS.c.id == mark_id)).first()
        )
        return None if row is None else _mark(row)

    def list(
        self,
        head: str | None = None,
        word: str | None = None,
        user: str | None = None,
        limit: int | None = None,
        *,
        unit: str | None = None,
        oldest_first: bool = False,
    ) -> list[Mark]:
        """The marks, newest first (``oldest_first``: in the order stored), filtered by head,
        word (any case), user and unit; at most ``limit``."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise InputError(f"limit must be a whole number, not {limit!r}")
        query = sa.select(MARKS).order_by(MARKS.c.id if oldest_first else MARKS.c.id.desc())
        for column, value in (
            (MARKS.c.head, head),
            (MARKS.c.word, None if word is None else word.lower()),
            (MARKS.c.user_name, user),
            (MARKS.c.unit, unit),
        ):
            if value is not None:
                query = query.where(column == value)
        if limit is not None:
            query = query.limit(max(limit, 0))
        rows = self._read(lambda conn: conn.execute(query).all())
        return [_mark(r) for r in rows]

    def count(self) -> int:
        """How many marks are stored."""
        return self._read(
            lambda conn: conn.execute(sa.select(sa.func.count()).select_from(MARKS)).scalar()
        )

    def stats(self) -> dict:
        """Counts: ``total``; ``per_head`` {head: {answer: n}}; ``per_word``
        {(head, word in lower case): {answer: n}} (word marks only)."""
        c = MARKS.c
        n = sa.func.count()

        def work(conn):
            total = conn.execute(sa.select(n).select_from(MARKS)).scalar()
            heads = conn.execute(sa.select(c.head, c.answer, n).group_by(c.head, c.answer)).all()
            words = conn.execute(
                sa.select(c.head, c.word, c.answer, n)
                .where(c.word.is_not(None))
                .group_by(c.head, c.word, c.answer)
            ).all()
            return total, heads, words

        total, heads, words = self._read(work)
        per_head: dict = {}
        for head, answer, count in sorted(heads):
            per_head.setdefault(head, {})[answer] = count
        per_word: dict = {}
        for head, word, answer, count in sorted(words):
            per_word.setdefault((head, word), {})[answer] = count
        return {"total": total, "per_head": per_head, "per_word": per_word}

    def schema_version(self) -> int:
        """The database's schema version."""
        return self._read(
            lambda conn: conn.execute(sa.select(sa.func.max(VERSION.c.version))).scalar()
        )


def open_store(url=None) -> FeedbackStore:
    """The feedback store at ``url``: a path or ``sqlite:///`` URL (a SQLite file, created on
    first use), a ``postgresql://`` URL, or None: ``$FRAMING_DB``, else the per-user default
    file (see :mod:`framing.feedback.urls`). The schema is created or upgraded on opening."""
    return FeedbackStore(resolve_location(url))
