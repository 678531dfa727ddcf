"""Marks in and out of files: CSV, TSV, JSONL and Parquet (by the file's suffix).

:func:`write_marks` writes one row per mark (:data:`MARK_COLUMNS`) through the project's
writers (:mod:`framing.tables`), replacing the file only when complete. CSV/TSV cells of
text are formula-guarded as every table output of framing is (a cell that a spreadsheet
would run gets a leading ``'``), in a way :func:`read_marks` undoes exactly
(:func:`guard_cell`, :func:`unguard_cell`), so an exported file imports back to the same
marks. JSONL and Parquet hold the values as they are.

:func:`read_marks` reads such a file back (also a file written by hand: the columns
``text`` and ``answer``, with ``start``/``end`` or a ``word`` to find in the text, the
others optional). Every row becomes a mark or a problem naming its line.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

from framing.errors import InputError
from framing.feedback.marks import Mark, check_mark, find_word, mark_problem
from framing.tables import (
    DelimitedWriter,
    JsonlWriter,
    ParquetWriter,
    ReadStats,
    atomic_output,
    format_of,
    neutralize_formula,
    read_chunks,
    write_rows,
)

__all__ = [
    "MARK_COLUMNS",
    "guard_cell",
    "read_marks",
    "read_marks_report",
    "unguard_cell",
    "write_marks",
]

MARK_COLUMNS = [
    "id",
    "created_at",
    "unit",
    "head",
    "text",
    "start",
    "end",
    "word",
    "answer",
    "model_hash",
    "score",
    "user",
    "note",
]
_TEXT_COLUMNS = ("text", "word", "model_hash", "user", "note", "answer", "unit", "head")
_PARQUET_TYPES = {"id": "int64", "start": "int64", "end": "int64", "score": "float64"}
MAX_PROBLEMS = 20  # problems listed in an error (all are counted)


def _formula_like(value: str) -> bool:
    return neutralize_formula(value) != value


def guard_cell(value: str) -> str:
    """``value`` as a CSV/TSV cell: formula-like text (:func:`framing.tables.neutralize_formula`)
    gets a leading ``'``, and so does text that is ``'`` characters before formula-like text
    (so that :func:`unguard_cell` can tell the two apart)."""
    if _formula_like(value) or (value.startswith("'") and _formula_like(value.lstrip("'"))):
        return "'" + value
    return value


def unguard_cell(cell: str) -> str:
    """The value :func:`guard_cell` was given (the inverse: ``unguard_cell(guard_cell(v)) ==
    v`` for every text)."""
    if cell.startswith("'") and _formula_like(cell.lstrip("'")):
        return cell[1:]
    return cell


def write_marks(marks, path, *, fmt: str | None = None) -> int:
    """Write ``marks`` to ``path`` (CSV, TSV, JSONL or Parquet by its suffix, or ``fmt``);
    the number written. The file is replaced only when complete."""
    fmt = format_of(str(path), fmt, output=True)
    rows = [m.to_dict() for m in marks]
    for row in rows:
        row["user"], row["note"] = row.get("user"), row.get("note")
    if fmt == "parquet":
        with atomic_output(str(path), binary=True) as fh:
            writer = ParquetWriter(fh, MARK_COLUMNS, _PARQUET_TYPES)
            for i in range(0, len(rows), 10_000):
                write_rows(writer, rows[i : i + 10_000])
            writer.close()
        return len(rows)
    with atomic_output(str(path)) as fh:
        if fmt == "jsonl":
            writer = JsonlWriter(fh, MARK_COLUMNS)
            write_rows(writer, [{c: r.get(c) for c in MARK_COLUMNS} for r in rows])
        else:
            writer = DelimitedWriter(fh, MARK_COLUMNS, fmt, user_columns=(), guard=True)
            for row in rows:
                for c in _TEXT_COLUMNS:
                    if isinstance(row.get(c), str):
                        row[c] = guard_cell(row[c])
            write_rows(writer, rows)
        writer.close()
    return len(rows)


def _int(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    raise ValueError(f"{name} must be a whole number, not {value!r}")


def _float(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"score must be a number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"score must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"score must be a probability between 0 and 1, not {value!r}")
    return number


def _text(value, name: str, guarded: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value) if name == "answer" else value
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    return unguard_cell(value) if guarded else value


def _time(value) -> str | None:
    """A time read from a file as the store writes it (ISO-8601 UTC with microseconds): any
    ISO-8601 time with a time zone (``2026-12-07T08:01:02Z``, ``...+01:00``) is converted."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"created_at must be an ISO-8601 time, not {value!r}")
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"created_at {value!r} is not an ISO-8601 time such as 2026-12-07T08:01:02+00:00"
        ) from None
    if when.tzinfo is None:
        raise ValueError(f"created_at {value!r} has no time zone; add one, e.g. +00:00 or Z")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def _mark_of(fields: dict, guarded: bool) -> Mark:
    """The mark a row's fields describe (a ValueError or InputError says why not)."""
    if "text" not in fields or "answer" not in fields:
        raise ValueError("a mark needs the columns text and answer")
    get = {c: _text(fields.get(c), c, guarded) for c in _TEXT_COLUMNS}
    start, end = _int(fields.get("start"), "start"), _int(fields.get("end"), "end")
    text = get["text"] or ""
    if start is None and end is None and get["word"]:
        start, end = find_word(text, get["word"])
    elif None not in (start, end) and get["word"] and text[start:end] != get["word"]:
        raise ValueError(
            f"word {get['word']!r} is not text[{start}:{end}] ({text[start:end]!r}); fix "
            "the offsets or leave them empty to find the word"
        )
    mark = Mark(
        text=text,
        unit=get["unit"] or "headline",
        head=get["head"] or "loaded",
        start=start,
        end=end,
        answer=get["answer"] or "",
        model_hash=get["model_hash"],
        score=_float(fields.get("score")),
        user=get["user"],
        note=get["note"],
        created_at=_time(fields.get("created_at")),
    )
    problem = mark_problem(mark)
    if problem is not None:
        raise ValueError(problem)
    return check_mark(mark)


def _check_columns(path: str, fmt: str, columns: list[str]) -> None:
    """Refuse a table without the columns a mark needs (a JSONL line may hold any keys:
    each line is checked by itself)."""
    missing = [c for c in ("text", "answer") if c not in columns]
    if missing and fmt != "jsonl":
        raise InputError(
            f"{path} has no column {' and '.join(missing)}: marks need text and answer (an "
            f"export of framing feedback has {', '.join(MARK_COLUMNS)})"
        )


def read_marks_report(
    path, *, fmt: str | None = None, encoding: str = "utf-8"
) -> tuple[list[Mark], list[str]]:
    """The marks of the file ``path`` and the problems of the rows that are not marks
    (``"line N: why"``); the ``id`` column is not read (a store gives new ids). A file
    without the columns ``text`` and ``answer`` is an :class:`~framing.errors.InputError`."""
    path = str(path)
    fmt = format_of(path, fmt)
    if fmt == "txt":
        raise InputError(f"{path}: marks are read from CSV, TSV, JSONL or Parquet, not text")
    if not Path(path).is_file():
        raise InputError(f"no such file: {path}")
    marks: list[Mark] = []
    problems: list[str] = []
    guarded = fmt in ("csv", "tsv")
    stats = ReadStats()
    with open(path, "rb") as fh:
        for chunk in read_chunks(fh, fmt, encoding=encoding, stats=stats):
            _check_columns(path, fmt, stats.columns)
            for row in chunk:
                if row.error is not None:
                    problems.append(f"line {row.line}: {row.error}")
                    continue
                try:
                    marks.append(_mark_of(row.fields, guarded))
                except (ValueError, InputError) as exc:
                    problems.append(f"line {row.line}: {exc}")
    _check_columns(path, fmt, stats.columns)
    return marks, problems


def read_marks(path, *, fmt: str | None = None) -> list[Mark]:
    """The marks of the file ``path`` (CSV, TSV, JSONL or Parquet by its suffix); an
    :class:`~framing.errors.InputError` listing the rows that are not marks, if any."""
    marks, problems = read_marks_report(path, fmt=fmt)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS])
        extra = len(problems) - MAX_PROBLEMS
        more = f" (and {extra:,} more)" if extra > 0 else ""
        raise InputError(
            f"{path}: {len(problems):,} row(s) are not marks: {shown}{more}; fix them (or "
            "import with --skip-bad)"
        )
    return marks
