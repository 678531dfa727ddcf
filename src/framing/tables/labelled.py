"""Labelled files: texts and their labels, read with the same readers as files to score."""

from __future__ import annotations

from collections.abc import Sequence

from framing.errors import InputError
from framing.tables.read import Row, text_of

__all__ = ["labelled_texts"]


def labelled_texts(
    rows: Sequence[Row], text_col: str, label_col: str, columns: Sequence[str]
) -> tuple[list[str], list[float], int]:
    """Texts and graded labels in [0, 1] of a labelled file; also how many empty rows were left out.

    Raises :class:`InputError` naming the row for unreadable rows and bad labels.
    """
    shown = ", ".join(repr(c) for c in columns) or "none"
    for flag, col in (("--text-col", text_col), ("--label-col", label_col)):
        if col not in columns:
            raise InputError(f"no column {col!r} ({flag}); the file's columns are: {shown}")
    texts: list[str] = []
    targets: list[float] = []
    empty = 0
    for row in rows:
        where = f"line {row.line}"
        if row.error:
            raise InputError(f"{where}: {row.error}")
        text, err = text_of(row.fields.get(text_col), text_col)
        if err:
            raise InputError(f"{where}: {err}")
        if not text.strip():
            empty += 1
            continue
        raw = row.fields.get(label_col)
        try:
            target = float(raw)
        except (TypeError, ValueError):
            raise InputError(
                f"{where}: label {raw!r} is not a number; labels are 0/1 or a grade in [0, 1]"
            ) from None
        if not 0.0 <= target <= 1.0:
            raise InputError(f"{where}: label {target} is outside [0, 1]")
        texts.append(text)
        targets.append(target)
    if not texts:
        raise InputError("no labelled rows with text to evaluate")
    return texts, targets, empty
