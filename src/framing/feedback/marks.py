"""A reader's correction (:class:`Mark`) and the one rule for what a valid mark is.

A *word mark* says of the word ``text[start:end]`` that it is ``loaded`` or ``neutral`` (not
loaded) for a head; a *unit mark* says of the whole headline or sentence that its right label
for the head is ``1`` or ``0``. :func:`check_mark` is the rule every surface applies (the
store before writing, the import before reading a file in), and :func:`find_word` locates a
word given by its spelling, as ``framing feedback add TEXT --word WORD`` does.
"""

from __future__ import annotations

import getpass
import math
import os
import re
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

from framing import strict
from framing.core.head import MAX_TEXT_CHARS, head_name_problem
from framing.core.text import token_spans
from framing.errors import InputError

__all__ = [
    "MARK_FIELDS",
    "MAX_NOTE_CHARS",
    "MAX_USER_CHARS",
    "UNITS",
    "UNIT_ANSWERS",
    "WORD_ANSWERS",
    "Mark",
    "USER_ENV_VAR",
    "check_mark",
    "current_user",
    "find_word",
    "mark_problem",
    "now_iso",
]

UNITS = ("headline", "sentence")
WORD_ANSWERS = ("loaded", "neutral")
UNIT_ANSWERS = ("1", "0")
MAX_USER_CHARS = 200
MAX_NOTE_CHARS = 10_000
USER_ENV_VAR = "FRAMING_USER"
MAX_HASH_CHARS = 128
# ISO-8601 in UTC with microseconds, as the store writes it (and sorts as text)
_TIME_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
_WORD_CHAR_RE = re.compile(r"\w")


@dataclass(frozen=True)
class Mark:
    """One correction: the unit's text as scored, the head, the span (None: the whole
    unit), the answer, what the model said then, who and when."""

    text: str  # the unit's text exactly as scored
    unit: str  # "headline" | "sentence"
    head: str = "loaded"  # the head the mark is about
    start: int | None = None  # character offsets of the marked word in text; None = whole unit
    end: int | None = None
    answer: str = ""  # word mark: "loaded" | "neutral"; unit mark: "1" | "0" (the right label)
    model_hash: str | None = None  # the model's hash when marked
    score: float | None = None  # the model's probability for (text, head) when marked
    user: str | None = None
    note: str | None = None
    id: int | None = None  # set by the store
    created_at: str | None = None  # ISO-8601 UTC, set by the store when None

    @property
    def is_word(self) -> bool:
        """Whether this marks a word (else the whole unit)."""
        return self.start is not None

    @property
    def word(self) -> str | None:
        """The marked word, ``text[start:end]`` (None for a unit mark)."""
        return None if self.start is None else self.text[self.start : self.end]

    def to_dict(self) -> dict:
        """The mark's fields by name, plus ``word``."""
        out = {f: getattr(self, f) for f in MARK_FIELDS}
        out["word"] = self.word
        return out


MARK_FIELDS = tuple(f.name for f in fields(Mark))


def current_user() -> str | None:
    """Who is marking, when nobody says: ``$FRAMING_USER`` when set, else the login name
    (None when the system knows none). ``framing feedback add`` stores it with a mark and
    ``framing feedback undo`` removes only that user's newest mark."""
    name = os.environ.get(USER_ENV_VAR, "").strip()
    if name:
        return name
    try:
        return getpass.getuser().strip() or None
    except (KeyError, OSError, ImportError):  # no login name (e.g. a uid without a passwd entry)
        return None


def now_iso() -> str:
    """The current time as the store writes it: ISO-8601 UTC with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _text_problem(value, what: str, limit: int, *, required: bool) -> str | None:
    """Why a text field cannot be stored (None when it can)."""
    if value is None:
        return f"{what} is missing" if required else None
    if not isinstance(value, str):
        return f"{what} must be text, not {type(value).__name__}"
    if required and not value.strip():
        return f"{what} is empty; give the text that was scored"
    if len(value) > limit:
        return f"{what} is {len(value):,} characters long, over the limit of {limit:,}; shorten it"
    problem = strict.text_problem(value)
    if problem is not None:
        return f"{what} is {problem}"
    if "\x00" in value:
        return f"{what} holds a NUL character (\\x00), which a database cannot store; remove it"
    return None


def _span_problem(mark: Mark) -> str | None:
    start, end, text = mark.start, mark.end, mark.text
    if (start is None) != (end is None):
        return "give both start and end of the marked word (or neither, for the whole unit)"
    if start is None:
        return None
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name} must be a whole number, not {value!r}"
    if not 0 <= start < end <= len(text):
        return (
            f"the span {start}:{end} is not inside the text ({len(text):,} characters); "
            "give offsets with 0 <= start < end <= the text's length"
        )
    _forms, starts, ends = token_spans(text)
    on_words = start in set(starts) and end in set(ends)
    if not on_words or not _WORD_CHAR_RE.search(text[start:end]):
        return (
            f"the span {start}:{end} ({text[start:end]!r}) is not on a word: it must start "
            "where a word starts and end where a word ends"
        )
    return None


def _answer_problem(mark: Mark) -> str | None:
    allowed = WORD_ANSWERS if mark.start is not None else UNIT_ANSWERS
    if mark.answer not in allowed:
        kind = "a word mark" if mark.start is not None else "a whole-unit mark"
        return f"the answer of {kind} is one of {', '.join(allowed)}, not {mark.answer!r}"
    return None


def _score_problem(score) -> str | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float):
        return f"score must be a number, not {type(score).__name__}"
    if not (math.isfinite(score) and 0.0 <= score <= 1.0):
        return f"score must be a probability between 0 and 1, not {score!r}"
    return None


def mark_problem(mark: Mark) -> str | None:
    """Why ``mark`` cannot be stored (None when it can): the one rule for a valid mark."""
    if not isinstance(mark, Mark):
        return f"a mark must be a framing.feedback.Mark, not {type(mark).__name__}"
    checks = (
        lambda: _text_problem(mark.text, "the text", MAX_TEXT_CHARS, required=True),
        lambda: (
            None
            if mark.unit in UNITS
            else f"unit must be one of {', '.join(UNITS)}, not {mark.unit!r}"
        ),
        lambda: head_name_problem(mark.head),
        lambda: _span_problem(mark),
        lambda: _answer_problem(mark),
        lambda: _score_problem(mark.score),
        lambda: _text_problem(mark.model_hash, "model_hash", MAX_HASH_CHARS, required=False),
        lambda: _text_problem(mark.user, "the user name", MAX_USER_CHARS, required=False),
        lambda: _text_problem(mark.note, "the note", MAX_NOTE_CHARS, required=False),
        lambda: (
            None
            if mark.created_at is None
            or (isinstance(mark.created_at, str) and _TIME_RE.fullmatch(mark.created_at))
            else f"created_at must be ISO-8601 UTC like {now_iso()!r}, not {mark.created_at!r}"
        ),
    )
    for check in checks:
        problem = check()
        if problem is not None:
            return problem
    return None


def check_mark(mark: Mark) -> Mark:
    """``mark`` as the store keeps it (an empty user, note or model hash is None; a score is a
    float), or an :class:`~framing.errors.InputError` saying what is wrong and what to do."""
    problem = mark_problem(mark)
    if problem is not None:
        raise InputError(f"cannot store the mark: {problem}")
    return replace(
        mark,
        user=mark.user or None,
        note=mark.note or None,
        model_hash=mark.model_hash or None,
        score=None if mark.score is None else float(mark.score),
    )


def find_word(text: str, word: str, start: int | None = None) -> tuple[int, int]:
    """The span of ``word`` in ``text``: its first whole-word occurrence (case-insensitive
    when no occurrence has the same case), or the one starting at ``start``. A whole-word
    occurrence starts where a word of ``text`` starts and ends where one ends, so ``art`` is
    not found in ``party``. An :class:`~framing.errors.InputError` names the occurrences."""
    if not isinstance(word, str) or not word.strip():
        raise InputError("the word to mark is empty; give a word of the text")
    if not _WORD_CHAR_RE.search(word):
        raise InputError(f"{word!r} is not a word (no letter or digit); give a word of the text")
    _forms, starts, ends = token_spans(text)
    starts, ends = set(starts), set(ends)
    found = []
    for flags in (0, re.IGNORECASE):
        pattern = re.compile(f"(?=({re.escape(word)}))", flags)
        found = [
            (m.start(), m.start() + len(m.group(1)))
            for m in pattern.finditer(text)
            if m.start() in starts and m.start() + len(m.group(1)) in ends
        ]
        if found:
            break
    if not found:
        raise InputError(
            f"the word {word!r} is not a whole word of the text; give a word as it is spelt "
            "in the text"
        )
    if start is None:
        return found[0]
    for span in found:
        if span[0] == start:
            return span
    offsets = ", ".join(str(s) for s, _e in found[:20])
    raise InputError(
        f"the word {word!r} does not start at offset {start}; it starts at {offsets}: pass "
        "one of these to --start"
    )
