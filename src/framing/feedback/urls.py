"""Where the feedback database is: a path, a ``sqlite:///`` or ``postgresql://`` URL,
``$FRAMING_DB``, or the per-user default file; and URLs with their passwords masked.

* Nothing given: ``$FRAMING_DB`` when set, else the per-user default SQLite file
  (:func:`default_db_path`: ``$XDG_DATA_HOME/framing/feedback.sqlite3``, by default
  ``~/.local/share/framing/feedback.sqlite3``; ``%LOCALAPPDATA%\\framing`` on Windows).
* A path (anything without ``://``): a SQLite file, created on first use.
* ``sqlite:///relative.db``, ``sqlite:////absolute.db``: a SQLite file.
* ``postgresql://USER:PASSWORD@HOST:PORT/DB`` (also ``postgres://``,
  ``postgresql+psycopg://``): a PostgreSQL database through psycopg 3.

A password in a URL is never printed: every message and display goes through
:func:`mask_url`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import InputError

__all__ = [
    "ENV_VAR",
    "Location",
    "default_db_path",
    "mask_url",
    "resolve_location",
]

ENV_VAR = "FRAMING_DB"
DEFAULT_FILE = "feedback.sqlite3"
# user:password@ in any URL, and password=... in a query string or a libpq connection string
_USERINFO_RE = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/?#@\s]*:)\S*(?=@)")
_PARAM_RE = re.compile(r"(?P<head>(?:[?&;\s]|^)password\s*=\s*)(?:'[^']*'|[^&;\s]*)", re.I)
MASK = "***"


def mask_url(text: str) -> str:
    """``text`` (a URL, or a message that may hold URLs) with every password replaced by
    ``***``: the ``PASSWORD`` of ``scheme://USER:PASSWORD@HOST`` and any ``password=``
    parameter."""
    text = _USERINFO_RE.sub(lambda m: m.group("head") + MASK, str(text))
    return _PARAM_RE.sub(lambda m: m.group("head") + MASK, text)


def default_db_path() -> Path:
    """The per-user default database file (not created here)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / "framing" / DEFAULT_FILE


@dataclass(frozen=True)
class Location:
    """A resolved database: its SQLAlchemy URL (password included: never print it), its
    backend (``sqlite`` or ``postgresql``), the SQLite file (or None) and where it came from
    (``argument``, ``$FRAMING_DB`` or ``default``)."""

    url: str
    backend: str
    path: Path | None
    source: str

    @property
    def display(self) -> str:
        """The location as it may be printed (password masked)."""
        if self.path is not None:
            return str(self.path)
        return mask_url(self.url.replace("postgresql+psycopg://", "postgresql://", 1))


def _sqlite_location(path: Path, source: str) -> Location:
    path = path.expanduser()
    if path.is_dir():
        raise InputError(
            f"the feedback database {path} is a folder; give a file such as {path / DEFAULT_FILE}"
        )
    return Location(f"sqlite:///{path}", "sqlite", path, source)


def resolve_location(url: str | os.PathLike | None = None) -> Location:
    """The database named by ``url`` (a path or URL), else by ``$FRAMING_DB``, else the
    per-user default file; an :class:`~framing.errors.InputError` for a URL of another kind."""
    source = "argument"
    if url is None or (isinstance(url, str) and not url.strip()):
        url, source = os.environ.get(ENV_VAR, "").strip() or None, f"${ENV_VAR}"
        if url is None:
            return _sqlite_location(default_db_path(), "default")
    if isinstance(url, os.PathLike):
        return _sqlite_location(Path(url), source)
    if not isinstance(url, str):
        raise InputError(f"the feedback database must be a path or URL, not {type(url).__name__}")
    if "://" not in url:
        return _sqlite_location(Path(url), source)
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest in ("/", "/:memory:"):
            raise InputError(
                f"{mask_url(url)}: give a file, as sqlite:///relative.db or sqlite:////abs.db"
            )
        return _sqlite_location(Path(rest[1:].split("?", 1)[0]), source)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return Location("postgresql+psycopg://" + rest, "postgresql", None, source)
    raise InputError(
        f"unsupported feedback database {mask_url(url)}: give a file path, sqlite:///FILE "
        "or postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
    )
