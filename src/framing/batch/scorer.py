"""Batch scoring of rows: which columns hold the text, and the scored output columns.

Pure functions and a :class:`Scorer` over in-memory chunks; the CLI and the app feed it
chunks of rows (in one process or several, with identical output). The numbers are
:func:`framing.explain`'s, computed for a whole chunk at once through the same functions
(:func:`framing.explain.score_headlines`, :func:`framing.explain.score_bodies`).

Output columns (the shipped model's heads: ``clickbait``, ``loaded``; a model with more heads
gets the same columns for them, on the body for heads whose unit is not ``headline``):

* for each head, on the headline: ``{head}_probability`` (explain's raw score),
  ``{head}_label`` (1 when the probability reaches the threshold), ``{head}_terms`` (the
  ``top_k`` words with the largest absolute contribution, as JSON
  ``[{"term", "contribution", "spans": [[start, end], ...]}]`` with offsets into the
  headline) and ``{head}_outlet_probability`` (the score with quotations left out);
* for the ``loaded`` head on the body: ``body_loaded_probability`` is explain's article score
  (each sentence scored on its own; the mean probability of the 3 most loaded sentences),
  ``body_loaded_label``, ``body_loaded_terms`` (the top words of those most loaded sentences,
  contributions summed over them, offsets into the body) and
  ``body_loaded_outlet_probability`` (the outlet-voice article score; empty when every word
  of the body is quoted);
* ``overall_score``: explain's overall score, the mean of the outlet-voice probabilities
  available among clickbait(headline), loaded(headline) and loaded(body);
* ``error``: empty when the row was scored, else why it was not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framing.core.head import sigmoid
from framing.core.model import Model
from framing.core.ranking import TopTerm, top_terms
from framing.core.text import split_sentences
from framing.core.tokens import tokenize_batch
from framing.errors import InputError
from framing.explanation.build import (
    score_bodies,
    score_headlines,
    sentence_techniques,
    technique_counts,
)
from framing.tables.read import Row

HEADLINE_DEFAULTS = ("headline", "title")
BODY_DEFAULTS = ("body", "text")


@dataclass(frozen=True)
class ScoreOptions:
    headline_col: str | None = None
    body_col: str | None = None
    top_k: int = 3
    threshold: float | None = None  # None: each head's own threshold
    max_chars: int = 100_000
    frames: bool = False  # add the ``frame`` head's columns (the model must have it)
    techniques: bool = False  # add the ``technique`` head's column (the model must have it)


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


FRAMING_COLUMNS = {"frames": ("frame_top", "frames"), "techniques": ("techniques",)}
JSON_COLUMNS = ("frames", "techniques")  # columns holding JSON (besides the ``_terms`` ones)


def output_columns(
    model: Model,
    headline_col: str | None,
    body_col: str | None,
    top_k: int,
    *,
    frames: bool = False,
    techniques: bool = False,
):
    cols: list[str] = []
    for prefix, heads in _plan(model, headline_col, body_col):
        for h in heads:
            cols += [f"{prefix}{h}_probability", f"{prefix}{h}_label"]
            if top_k > 0:
                cols.append(f"{prefix}{h}_terms")
            cols.append(f"{prefix}{h}_outlet_probability")
    cols.append("overall_score")
    for wanted, head in ((frames, "frame"), (techniques, "technique")):
        if wanted:
            if head not in model.heads:
                raise InputError(
                    f"this model has no {head!r} head (it has: {', '.join(model.heads)}); "
                    "build a model with the framing heads with "
                    "`python training/train_framing.py --out DIR` and pass --model DIR"
                )
            cols += FRAMING_COLUMNS[f"{head}s"]
    return cols + ["error"]


def _plan(model: Model, headline_col, body_col) -> list[tuple[str, list[str]]]:
    """The binary heads scored on each text column (multi-label heads have their own
    columns: see :func:`output_columns`)."""
    binary = [n for n, h in model.heads.items() if h.is_binary]
    plan = []
    if headline_col:
        plan.append(("", binary))
    if body_col:
        plan.append(("body_", [n for n in binary if model.heads[n].unit != "headline"]))
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


def _rounded(values: np.ndarray) -> list:
    return [None if v != v else round(v, 6) for v in values.tolist()]


class Scorer:
    """Scores prepared chunks with every head; the same input gives the same output anywhere."""

    def __init__(self, model: Model, options: ScoreOptions):
        self.model = model
        self.options = options
        self.plan = _plan(model, options.headline_col, options.body_col)
        self.columns = output_columns(
            model,
            options.headline_col,
            options.body_col,
            options.top_k,
            frames=options.frames,
            techniques=options.techniques,
        )

    def _threshold(self, name: str) -> float:
        t = self.options.threshold
        return t if t is not None else self.model[name].threshold

    def score(self, headlines: list[str], bodies: list[str], errors: list[str | None]) -> dict:
        """Output columns (column name -> list of values, one per row)."""
        n = len(errors)
        out: dict[str, list] = {}
        # the components of explain's overall score (Overall): outlet-voice probabilities
        voice = {k: np.full(n, np.nan) for k in ("clickbait", "loaded", "body_loaded")}
        for prefix, names in self.plan:
            texts = headlines if prefix == "" else bodies
            rows = np.array(
                [i for i in range(n) if errors[i] is None and texts[i].strip()], dtype=np.int64
            )
            chunk = [texts[i] for i in rows.tolist()]
            if prefix == "":
                self._headline_columns(out, voice, rows, chunk, names, n)
            else:
                self._body_columns(out, voice, rows, chunk, names, n)
        stacked = np.vstack(list(voice.values()))
        counted = (~np.isnan(stacked)).sum(axis=0)
        overall = np.where(counted > 0, np.nansum(stacked, axis=0) / np.maximum(counted, 1), np.nan)
        out["overall_score"] = _rounded(overall)
        ok = [i for i in range(n) if errors[i] is None]
        if self.options.frames:
            self._frame_columns(out, ok, headlines, bodies, n)
        if self.options.techniques:
            self._technique_column(out, ok, headlines, bodies, n)
        out["error"] = [e or None for e in errors]
        return out

    def _frame_columns(self, out, ok, headlines, bodies, n) -> None:
        """``frame_top``: the most probable frame; ``frames``: JSON of the frames reaching
        their thresholds, most probable first (read on the headline and body together)."""
        head = self.model["frame"]
        texts = ["\n\n".join(t for t in (headlines[i], bodies[i]) if t) for i in ok]
        proba = sigmoid(head.attribute_labels(tokenize_batch(texts))[0])
        thresholds = head.label_thresholds()
        top: list = [None] * n
        detected: list = [None] * n
        for row, p in zip(ok, proba, strict=True):
            order = np.argsort(-p, kind="stable")
            top[row] = head.labels[order[0]]
            detected[row] = json.dumps(
                {head.labels[k]: round(float(p[k]), 4) for k in order if p[k] >= thresholds[k]}
            )
        out["frame_top"], out["frames"] = top, detected

    def _technique_column(self, out, ok, headlines, bodies, n) -> None:
        """``techniques``: JSON of the techniques detected on the most sentences of the body
        (the headline when there is no body): ``{technique: sentences}``, at most 3, most
        frequent first."""
        head = self.model["technique"]
        texts = [bodies[i] if bodies[i].strip() else headlines[i] for i in ok]
        spans = [split_sentences(t) for t in texts]
        sentences = [t[a:b] for t, ss in zip(texts, spans, strict=True) for a, b in ss]
        decided = sentence_techniques(head, tokenize_batch(sentences))
        col: list = [None] * n
        at = 0
        for row, ss in zip(ok, spans, strict=True):
            counts = technique_counts(head, decided[at : at + len(ss)])
            at += len(ss)
            col[row] = json.dumps(dict(list(counts.items())[:3]))
        out["techniques"] = col

    def _put(self, out, name, rows, n, proba, outlet, terms) -> None:
        threshold = self._threshold(name.removeprefix("body_"))
        p_col = np.full(n, np.nan)
        p_col[rows] = proba
        out[f"{name}_probability"] = _rounded(p_col)
        labels: list = [None] * n
        for i, p in zip(rows.tolist(), proba.tolist(), strict=True):
            labels[i] = None if p != p else int(p >= threshold)
        out[f"{name}_label"] = labels
        if self.options.top_k > 0:
            t_col: list = [None] * n
            for i, row_terms in zip(rows.tolist(), terms, strict=True):
                t_col[i] = terms_json(row_terms)
            out[f"{name}_terms"] = t_col
        o_col = np.full(n, np.nan)
        o_col[rows] = outlet
        out[f"{name}_outlet_probability"] = _rounded(o_col)

    def _headline_columns(self, out, voice, rows, chunk, names, n) -> None:
        part = score_headlines(self.model, chunk, names)
        for name in names:
            s = part.heads[name]
            terms = top_terms(s.tb, s.raw.per_token, self.options.top_k)
            outlet = sigmoid(s.outlet_logit)
            self._put(out, name, rows, n, sigmoid(s.raw.logit), outlet, terms)
            if name in voice:
                voice[name][rows] = outlet

    def _body_columns(self, out, voice, rows, chunk, names, n) -> None:
        part = score_bodies(self.model, chunk, names)
        k = self.options.top_k
        for name in names:
            s = part.heads[name]
            proba = np.full(len(chunk), np.nan)
            outlet = np.full(len(chunk), np.nan)
            top = np.zeros(s.tb.n_docs, dtype=bool)  # per sentence: counted in the article score
            for b in range(len(chunk)):
                article = part.article(name, b)
                if article is None:
                    continue
                proba[b] = article.probability
                top[part.sent_ptr[b] + np.asarray(article.ranking[: article.top_k])] = True
                voiced = part.article(name, b, outlet=True)
                outlet[b] = voiced.probability if voiced is not None else np.nan
            terms: list = []
            if k > 0:
                keep = top[s.tb.doc]
                tokens = part.tokens.select(keep, np.arange(len(chunk)))
                terms = top_terms(tokens, s.raw.per_token[keep], k)
            self._put(out, f"body_{name}", rows, n, proba, outlet, terms)
            if f"body_{name}" in voice:
                voice[f"body_{name}"][rows] = outlet


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
