"""Readers' corrections (marks), stored in a SQLite file or a PostgreSQL database.

    from framing.feedback import Mark, open_store
    with open_store() as store:              # $FRAMING_DB, else the per-user default file
        store.add(Mark("Despot slams talks", "headline", start=0, end=6, answer="loaded"))

The store needs SQLAlchemy (and psycopg 3 for PostgreSQL): ``pip install 'framing[feedback]'``;
it is imported when a store is opened, so importing this package costs nothing. See
docs/feedback.md for the schema and the ``framing feedback`` command.
"""

from __future__ import annotations

from framing.errors import InputError
from framing.feedback.io import MARK_COLUMNS, read_marks, read_marks_report, write_marks
from framing.feedback.marks import (
    UNIT_ANSWERS,
    UNITS,
    USER_ENV_VAR,
    WORD_ANSWERS,
    Mark,
    check_mark,
    current_user,
    find_word,
    mark_problem,
)
from framing.feedback.urls import ENV_VAR, Location, default_db_path, mask_url, resolve_location

__all__ = [
    "ENV_VAR",
    "MARK_COLUMNS",
    "UNITS",
    "UNIT_ANSWERS",
    "USER_ENV_VAR",
    "WORD_ANSWERS",
    "Location",
    "Mark",
    "check_mark",
    "current_user",
    "default_db_path",
    "find_word",
    "mark_problem",
    "mask_url",
    "open_store",
    "read_marks",
    "read_marks_report",
    "resolve_location",
    "write_marks",
]


def open_store(url=None):
    """The :class:`~framing.feedback.store.FeedbackStore` at ``url`` (a path, a
    ``sqlite:///`` or ``postgresql://`` URL, or None: ``$FRAMING_DB``, else the per-user
    default SQLite file), its schema created or upgraded."""
    try:
        from framing.feedback import store
    except ImportError as exc:
        raise InputError(
            f"the feedback store needs SQLAlchemy ({exc.name} is missing): pip install "
            "'framing[feedback]'"
        ) from None
    return store.open_store(url)
