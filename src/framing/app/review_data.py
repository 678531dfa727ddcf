"""The Review page's tables, as plain functions (no Streamlit): readers' marks listed and
counted, the items of a scored file the model is least sure of, and scores before and after.

Marks are :class:`framing.feedback.Mark` objects (or anything with their fields); the
tables are pandas DataFrames the page shows as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from framing.core.columns import column_name, headline_heads
from framing.core.house_style import model_fingerprint
from framing.core.model import Model

__all__ = [
    "MARK_COLUMNS_SHOWN",
    "answer_words",
    "before_after",
    "head_counts",
    "least_sure",
    "marks_table",
    "probability_columns",
    "word_choices",
    "word_counts",
]

MARK_COLUMNS_SHOWN = (
    "id",
    "time",
    "head",
    "unit",
    "word",
    "answer",
    "score",
    "model",
    "user",
    "note",
    "text",
)


def _word(mark) -> str:
    return "" if mark.start is None else mark.text[mark.start : mark.end]


def marks_table(marks: Sequence) -> pd.DataFrame:
    """One row per mark (newest first, as the store lists them): its id, time, head, unit,
    the word (empty for a whole-unit mark), the answer, the score and model when marked,
    the user, the note and the text."""
    rows = [
        {
            "id": m.id,
            "time": (m.created_at or "")[:19].replace("T", " "),
            "head": m.head,
            "unit": m.unit,
            "word": _word(m),
            "answer": answer_words(m),
            "score": None if m.score is None else round(float(m.score), 3),
            "model": m.model_hash or "",
            "user": m.user or "",
            "note": m.note or "",
            "text": m.text,
        }
        for m in marks
    ]
    return pd.DataFrame(rows, columns=list(MARK_COLUMNS_SHOWN))


def answer_words(mark) -> str:
    """The answer in words: ``loaded`` / ``not loaded`` for a word, ``label 1`` / ``label 0``
    for a whole unit."""
    if mark.start is not None:
        return "not loaded" if mark.answer == "neutral" else mark.answer
    return f"label {mark.answer}"


def head_counts(stats: dict) -> pd.DataFrame:
    """Marks per head and answer, from the store's ``stats()``."""
    rows = [
        {"head": head, "answer": answer, "marks": n}
        for head, answers in sorted((stats.get("per_head") or {}).items())
        for answer, n in sorted(answers.items())
    ]
    return pd.DataFrame(rows, columns=["head", "answer", "marks"])


def word_counts(stats: dict) -> pd.DataFrame:
    """Word marks per (head, word): how many said ``loaded`` and ``not loaded``, most
    marked first."""
    rows = []
    for (head, word), answers in (stats.get("per_word") or {}).items():
        loaded, neutral = answers.get("loaded", 0), answers.get("neutral", 0)
        rows.append({"head": head, "word": word, "loaded": loaded, "not loaded": neutral})
    table = pd.DataFrame(rows, columns=["head", "word", "loaded", "not loaded"])
    total = table["loaded"] + table["not loaded"]
    order = np.lexsort((table["word"].to_numpy(), -total.to_numpy()))
    return table.iloc[order].reset_index(drop=True)


def probability_columns(columns: Iterable[str]) -> list[str]:
    """The per-text probability columns of a ``framing score`` output (``{head}_probability``;
    the article-level ``body_...`` ones are left out: a mark is about a headline or one
    sentence)."""
    return [column_name(h, "probability") for h in headline_heads([str(c) for c in columns])]


def least_sure(
    frame: pd.DataFrame,
    text_col: str,
    prob_col: str,
    threshold: float,
    done: Iterable[str] = (),
) -> pd.DataFrame:
    """The rows of a scored file ordered by how unsure the model is: probability nearest
    ``threshold`` first (ties in file order). Rows without text or probability (an
    ``error`` row) and texts in ``done`` (already marked) are left out.

    Returns the columns ``row`` (0-based row of the file), ``text``, ``probability`` and
    ``distance`` (``|probability - threshold|``).
    """
    p = pd.to_numeric(frame[prob_col], errors="coerce")
    text = frame[text_col]
    keep = p.notna() & text.map(lambda t: isinstance(t, str) and bool(t.strip()))
    done = set(done)
    if done:
        keep &= ~text.isin(done)
    out = pd.DataFrame(
        {
            "row": np.flatnonzero(keep.to_numpy()),
            "text": text[keep].to_list(),
            "probability": p[keep],
        }
    )
    out["distance"] = (out["probability"] - threshold).abs()
    return out.sort_values(["distance", "row"], kind="stable").reset_index(drop=True)


def before_after(marks: Sequence, model: Model) -> pd.DataFrame:
    """For each corrected (text, head) of ``marks`` scored when marked: the score then
    (stored in the newest mark) and ``model``'s score now. Heads the model lacks, or
    multi-label ones, are left out."""
    newest: dict[tuple[str, str], object] = {}
    for m in marks:  # the store lists the newest first
        if m.score is not None and (m.text, m.head) not in newest:
            newest[(m.text, m.head)] = m
    keys = [k for k in newest if k[1] in model.heads and model.heads[k[1]].is_binary]
    after: dict[tuple[str, str], float] = {}
    for head in {h for _, h in keys}:
        texts = [t for t, h in keys if h == head]
        probs = model[head].predict_proba(texts)[:, 0]
        after.update({(t, head): float(p) for t, p in zip(texts, probs, strict=True)})
    now = model_fingerprint(model)
    rows = [
        {
            "head": head,
            "before": round(float(newest[(text, head)].score), 3),
            "model then": newest[(text, head)].model_hash or "",
            "after": round(after[(text, head)], 3),
            "model now": now,
            "change": round(after[(text, head)] - float(newest[(text, head)].score), 3),
            "text": text,
        }
        for text, head in keys
    ]
    cols = ["head", "before", "model then", "after", "model now", "change", "text"]
    return pd.DataFrame(rows, columns=cols)


def word_choices(terms: Sequence, text: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """The highlighted words of a score that can be marked: per occurrence, a label
    (``despot (+2.06)``, with ``#2`` when the word occurs twice) and its span in the unit's
    ``text`` (term spans + ``offset``), in the order of the text."""
    found = []
    for t in terms:
        if t.contribution == 0:
            continue
        spans = sorted(t.spans)
        for k, (a, b) in enumerate(spans):
            where = f", #{k + 1}" if len(spans) > 1 else ""
            a, b = a + offset, b + offset
            found.append((a, b, f"{text[a:b]} ({t.contribution:+.2f}{where})"))
    found.sort()
    return [(label, a, b) for a, b, label in found]
