"""Batch scoring of rows: which columns hold the text, and the scored output columns.

Pure functions and a :class:`Scorer` over in-memory chunks; the CLI feeds it chunks read by
:mod:`framing.io` (in one process or several, with identical output).

Output columns, for each head of the model (the shipped model: ``clickbait``, ``loaded``):

* ``{head}_probability``, ``{head}_label`` (1 when the probability reaches the threshold),
  ``{head}_terms``: the head on the headline; terms are the ``top_k`` words with the largest
  absolute contribution, as JSON ``[{"term", "contribution", "spans": [[start, end], ...]}]``
  with offsets into the headline;
* ``body_{head}_*``: the same for the body text, for heads whose unit is not ``headline``
  (offsets into the body). The body is scored as one text by the head;
* ``overall_score``: the largest of the row's probabilities above;
* ``error``: empty when the row was scored, else why it was not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .attribution import TopTerm, attribute, tokenize_batch, top_terms
from .errors import InputError
from .head import sigmoid
from .io import Row
from .model import Model

HEADLINE_DEFAULTS = ("headline", "title")
BODY_DEFAULTS = ("body", "text")


@dataclass(frozen=True)
class ScoreOptions:
    headline_col: str | None = None
    body_col: str | None = None
    top_k: int = 3
    threshold: float | None = None  # None: each head's own threshold
    max_chars: int = 100_000


def _find(columns: Sequence[str], wanted: str | None, defaults: Sequence[str]) -> str | None:
    if wanted:
        return wanted if wanted in columns else None
    lower = {c.lower(): c for c in reversed(list(columns))}
    for d in defaults:
        if d in lower:
            return lower[d]
    return None


def resolve_columns(
    columns: Sequence[str],
    headline_col: str | None = None,
    body_col: str | None = None,
    id_col: str | None = None,
) -> tuple[str | None, str | None]:
    """The headline and body columns to score, or an :class:`InputError` naming the columns."""
    shown = ", ".join(repr(c) for c in columns) or "none"
    for flag, wanted in (
        ("--headline-col", headline_col),
        ("--body-col", body_col),
        ("--id-col", id_col),
    ):
        if wanted and wanted not in columns:
            raise InputError(f"no column {wanted!r} ({flag}); the input's columns are: {shown}")
    if headline_col or body_col:
        return (headline_col or None), (body_col or None)
    head = _find(columns, None, HEADLINE_DEFAULTS)
    body = _find(columns, None, BODY_DEFAULTS)
    if head is None and body is None:
        raise InputError(
            f"no text column found (looked for headline/title and body/text); the input's "
            f"columns are: {shown}. Name one with --headline-col or --body-col"
        )
    return head, body


def output_columns(model: Model, headline_col: str | None, body_col: str | None, top_k: int):
    cols: list[str] = []
    for prefix, heads in _plan(model, headline_col, body_col):
        for h in heads:
            cols += [f"{prefix}{h}_probability", f"{prefix}{h}_label"]
            if top_k > 0:
                cols.append(f"{prefix}{h}_terms")
    return cols + ["overall_score", "error"]


def _plan(model: Model, headline_col, body_col) -> list[tuple[str, list[str]]]:
    plan = []
    if headline_col:
        plan.append(("", list(model.heads)))
    if body_col:
        plan.append(("body_", [n for n, h in model.heads.items() if h.unit != "headline"]))
    return plan


def _as_text(value, column: str) -> tuple[str, str | None]:
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, (bool, dict, list, bytes)):
        return "", f"field {column!r} is {type(value).__name__}, not text"
    return str(value), None


def prepare(
    rows: Sequence[Row], headline_col: str | None, body_col: str | None, max_chars: int
) -> tuple[list[str], list[str], list[str | None]]:
    """The texts to score per row and, for rows that cannot be scored, the reason."""
    heads: list[str] = []
    bodies: list[str] = []
    errors: list[str | None] = []
    for row in rows:
        error = row.error
        texts = []
        for col in (headline_col, body_col):
            if not col:
                texts.append("")
                continue
            text, err = _as_text(row.fields.get(col), col)
            if err and not error:
                error = err
            if len(text) > max_chars and not error:
                error = (
                    f"field {col!r} too long ({len(text)} characters, limit {max_chars}; "
                    "raise it with --max-chars)"
                )
            texts.append(text)
        if not error and not any(t.strip() for t in texts):
            cols = " or ".join(repr(c) for c in (headline_col, body_col) if c)
            error = f"empty text (nothing in {cols})"
        heads.append("" if error else texts[0])
        bodies.append("" if error else texts[1])
        errors.append(error)
    return heads, bodies, errors


def terms_json(terms: list[TopTerm]) -> str:
    """JSON of a row's top terms (forms are word characters: no escaping is needed)."""
    parts = []
    for t in terms:
        spans = ",".join(f"[{s},{e}]" for s, e in t.spans)
        parts.append(f'{{"term":"{t.term}","contribution":{t.contribution:.4f},"spans":[{spans}]}}')
    return "[" + ",".join(parts) + "]"


class Scorer:
    """Scores prepared chunks with every head; the same input gives the same output anywhere."""

    def __init__(self, model: Model, options: ScoreOptions):
        self.model = model
        self.options = options
        self.plan = _plan(model, options.headline_col, options.body_col)
        self.columns = output_columns(model, options.headline_col, options.body_col, options.top_k)

    def score(self, headlines: list[str], bodies: list[str], errors: list[str | None]) -> dict:
        """Output columns (column name -> list of values, one per row)."""
        n = len(errors)
        k = self.options.top_k
        out: dict[str, list] = {}
        overall = np.full(n, np.nan)
        for prefix, head_names in self.plan:
            texts = headlines if prefix == "" else bodies
            rows = [i for i in range(n) if errors[i] is None and texts[i].strip()]
            tb = tokenize_batch([texts[i] for i in rows])
            for name in head_names:
                head = self.model[name]
                threshold = (
                    self.options.threshold if self.options.threshold is not None else head.threshold
                )
                att = attribute(head, tb)
                proba = sigmoid(att.logit)
                p_col: list = [None] * n
                l_col: list = [None] * n
                for i, p in zip(rows, proba.tolist(), strict=True):
                    p_col[i] = round(p, 6)
                    l_col[i] = 1 if p >= threshold else 0
                if rows:
                    overall[rows] = np.fmax(overall[rows], proba)
                out[f"{prefix}{name}_probability"] = p_col
                out[f"{prefix}{name}_label"] = l_col
                if k > 0:
                    t_col: list = [None] * n
                    for i, terms in zip(rows, top_terms(tb, att.per_token, k), strict=True):
                        t_col[i] = terms_json(terms)
                    out[f"{prefix}{name}_terms"] = t_col
        out["overall_score"] = [None if v != v else round(v, 6) for v in overall.tolist()]
        out["error"] = [e or None for e in errors]
        return out


def merge(rows: Sequence[Row], scored: dict, input_columns: Sequence[str]) -> list[dict]:
    """Input fields (every input column kept) followed by the scored columns, per row."""
    out = []
    names = list(scored)
    cols = [scored[c] for c in names]
    for i, row in enumerate(rows):
        rec = dict.fromkeys(input_columns, "")
        rec.update(row.fields)
        for c, values in zip(names, cols, strict=True):
            rec[c] = values[i]
        out.append(rec)
    return out


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
        text, err = _as_text(row.fields.get(text_col), text_col)
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
