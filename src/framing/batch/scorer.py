"""Scoring a chunk of rows: the texts of each row, and the scored columns.

:class:`Scorer` works on in-memory chunks; :func:`framing.batch.run.run_chunks` feeds it
chunks (in one process or several, with identical output) for the CLI, the Dask engine and
the app. The numbers are
:func:`framing.explain`'s, computed for a whole chunk at once through the same functions
(:func:`framing.explanation.scores.score_headlines`,
:func:`framing.explanation.scores.score_bodies`).

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
  available among clickbait(headline), loaded(headline) and loaded(body); empty when a text
  of the row is judged not English;
* ``warnings``: empty, or a JSON list of the warnings :func:`framing.explain` gives for the
  same text: a headline over 2,000 characters or a body over 2,000,000 is cut at a space
  (scored as cut, offsets unchanged), and a text judged not English is not scored: "not
  scored: language fr", its ``_label`` columns, ``overall_score`` and frames left empty (the
  model cannot tell; the probabilities stay for those who want them);
* ``error``: empty when the row was scored, else why it was not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import chain, repeat

import numpy as np

from framing import strict
from framing.batch.columns import columns_for, scored_heads
from framing.batch.options import ScoreOptions
from framing.core.boilerplate import (
    article_paragraphs,
    blank,
    boilerplate_spans,
    describe_skipped,
)
from framing.core.columns import (
    BODY_PREFIX,
    ERROR,
    HEADLINE_PREFIX,
    OVERALL,
    TECHNIQUES_LOW_CONFIDENCE,
    WARNINGS,
    column_name,
)
from framing.core.head import sigmoid
from framing.core.model import Model
from framing.core.ranking import TopTerm, WordGroups
from framing.core.text import split_paragraphs, split_sentences
from framing.core.tokens import tokenize_batch
from framing.explanation.guards import guard_texts as guard_many
from framing.explanation.scores import (
    OVERALL_PARTS,
    overall_part,
    overall_scores,
    score_bodies,
    score_headlines,
)
from framing.explanation.techniques import (
    FRAMES_NEED_TEXT,
    ShownTechniques,
    sentence_techniques,
    technique_counts,
)
from framing.tables.read import Row, text_of

__all__ = [
    "Scorer",
    "chunk_cells",
    "guard_texts",
    "input_values",
    "merge",
    "merge_columns",
    "prepare",
    "prepare_cells",
    "terms_json",
    "terms_json_column",
]


def prepare(
    rows: Sequence[Row], headline_col: str | None, body_col: str | None, max_chars: int
) -> tuple[list[str], list[str], list[str | None]]:
    """The texts to score per row and, for rows that cannot be scored, the reason."""
    cells = [[row.fields.get(c) for row in rows] if c else None for c in (headline_col, body_col)]
    errors = [row.error for row in rows]
    return prepare_cells(cells[0], cells[1], errors, headline_col, body_col, max_chars)


def prepare_cells(
    headlines: Sequence | None,
    bodies: Sequence | None,
    row_errors: Sequence[str | None],
    headline_col: str | None,
    body_col: str | None,
    max_chars: int,
) -> tuple[list[str], list[str], list[str | None]]:
    """:func:`prepare` given each row's headline and body cells (None: not scored; a
    missing cell may be None or empty) and its reading error."""
    n = len(row_errors)
    heads: list[str] = []
    bodies_out: list[str] = []
    errors: list[str | None] = []
    columns = (headline_col, body_col)
    none = [None] * n
    for error, *cells in zip(
        row_errors,
        none if headlines is None else headlines,
        none if bodies is None else bodies,
        strict=True,
    ):
        texts = []
        for col, value in zip(columns, cells, strict=True):
            if not col:
                texts.append("")
                continue
            text, err = text_of(value, col)
            if err and not error:
                error = err
            if len(text) > max_chars and not error:
                error = (
                    f"field {col!r} too long ({len(text)} characters, limit {max_chars}; "
                    "raise it with --max-chars)"
                )
            texts.append(text)
        if not error and not any(t.strip() for t in texts):
            cols = " or ".join(repr(c) for c in columns if c)
            error = f"empty text (nothing in {cols})"
        heads.append("" if error else texts[0])
        bodies_out.append("" if error else texts[1])
        errors.append(error)
    return heads, bodies_out, errors


def guard_texts(
    headlines: Sequence[str],
    bodies: Sequence[str],
    errors: Sequence[str | None],
    languages: bool = True,
) -> tuple[list[str], list[str], list[list[str] | None], list[str]]:
    """Each row's texts as :func:`framing.explain` scores them (the same rule:
    :func:`framing.explanation.guards.guard_text`): cut to their limits, with the warnings;
    and per row the column prefixes (``""``, ``"body_"``) of texts judged not English
    (none without ``languages``: no text's language is checked)."""
    n = len(errors)
    out = [list(headlines), list(bodies)]
    warnings: list[list[str] | None] = [None] * n
    foreign: list = [()] * n
    for texts, kind, prefix in (
        (out[0], "headline", HEADLINE_PREFIX),
        (out[1], "body", BODY_PREFIX),
    ):
        rows = [i for i in range(n) if errors[i] is None and texts[i].strip()]
        guarded = guard_many([texts[i] for i in rows], kind, languages=languages)
        for i, g in zip(rows, guarded, strict=True):
            texts[i] = g.text
            if g.warnings:
                warnings[i] = (warnings[i] or []) + g.warnings
            if g.language.english is False:
                foreign[i] = (*foreign[i], prefix)
    return out[0], out[1], warnings, foreign


def terms_json(terms: list[TopTerm]) -> str:
    """JSON of a row's top terms (forms are word characters: no escaping is needed)."""
    parts = []
    for t in terms:
        spans = ",".join(f"[{s},{e}]" for s, e in t.spans)
        parts.append(f'{{"term":"{t.term}","contribution":{t.contribution:.4f},"spans":[{spans}]}}')
    return "[" + ",".join(parts) + "]"


_TERM = '%s{"term":"%s","contribution":%.4f,"spans":[%s]}'
_SPAN = "[%d,%d]%s"


def _written_digits(form: str, written: Sequence[str]) -> str:
    """A term's form with the text's own digits (forms write every digit as 0): its
    different written numbers joined by ", " ("17", or "17, 23" for two numbers of one form);
    the form itself where a spelling does not line up with it."""
    out = []
    for w in written:
        if len(w) != len(form):
            return form
        out.append(
            "".join(c if f == "0" and c.isdigit() else f for f, c in zip(form, w, strict=True))
        )
    return ", ".join(dict.fromkeys(out)) or form


def terms_json_column(
    groups: WordGroups, per_token: np.ndarray, k: int, texts: Sequence[str] | None = None
) -> list[str]:
    """:func:`terms_json` of every text of a batch (its words grouped in ``groups``): its
    ``k`` strongest words by ``per_token``, formatted from arrays (no per-term objects).

    Each piece is formatted by one %-template for the whole batch; the texts (and a word's
    spans) are separated by NULs, which no term holds (forms are word characters), and
    split apart at the end. With ``texts`` (the batch's texts, which the spans index), a
    term with digits shows the text's own digits (see :func:`_written_digits`)."""
    tb = groups.tb
    sums = groups.sums(per_token)
    chosen = groups.strongest(sums, k)
    if len(chosen) == 0:
        return ["[]"] * tb.n_docs
    lo, hi = groups.ptr[chosen], groups.ptr[chosen + 1]
    counts = hi - lo
    ends = np.cumsum(counts)
    toks = groups.tokens[np.repeat(lo - (ends - counts), counts) + np.arange(int(ends[-1]))]
    span_sep = np.full(len(toks), ",", dtype=object)  # (object: numpy strings drop NULs)
    span_sep[ends - 1] = "\0"
    starts, stops = tb.starts[toks].tolist(), tb.ends[toks].tolist()
    args = chain.from_iterable(zip(starts, stops, span_sep.tolist(), strict=True))
    spans = ((_SPAN * len(toks)) % tuple(args))[:-1].split("\0")  # the words' span lists
    docs = groups.doc[chosen]
    opens = np.concatenate([[True], docs[1:] != docs[:-1]])
    term_sep = np.full(len(chosen), ",", dtype=object)
    term_sep[opens] = "]\0["
    term_sep[0] = "["
    names = list(map(tb.forms.__getitem__, groups.form[chosen].tolist()))
    if texts is not None:
        first = (ends - counts).tolist()
        for c, name in enumerate(names):
            if "0" in name:
                text = texts[int(docs[c])]
                span = range(first[c], first[c] + int(counts[c]))
                names[c] = _written_digits(name, [text[starts[t] : stops[t]] for t in span])
    values = sums[chosen].tolist()
    args = chain.from_iterable(zip(term_sep.tolist(), names, values, spans, strict=True))
    joined = (_TERM * len(chosen)) % tuple(args) + "]"
    column = np.full(tb.n_docs, "[]", dtype=object)
    column[docs[opens]] = joined.split("\0")
    return column.tolist()


def _rounded(values: np.ndarray) -> list:
    if not np.isnan(values).any():
        return list(map(round, values.tolist(), repeat(6)))
    return [None if v != v else round(v, 6) for v in values.tolist()]


class _Chunk:
    """What scoring one chunk gathers on its way (one per call: a :class:`Scorer` keeps no
    state between chunks): per row, the texts judged not English, the boilerplate left out
    of the article score, the rows whose scores are not finite, and the overall score's
    outlet-voice components."""

    def __init__(self, n: int, foreign: Sequence):
        self.n = n
        self.foreign = foreign
        self.skipped: dict[int, list] = {}
        self.nonfinite: set[int] = set()
        self.voice = {c: np.full(n, np.nan) for c, _head, _text in OVERALL_PARTS}

    def add_voice(self, head: str, text: str, rows: np.ndarray, outlet: np.ndarray) -> None:
        """Head ``head``'s outlet-voice probabilities on ``text`` of ``rows``, when the
        overall score counts them."""
        component = overall_part(head, text)
        if component is not None:
            self.voice[component][rows] = outlet


NONFINITE = (
    "the model gave a score that is not a finite number (its weights are too large for this "
    "text): not scored; retrain the model"
)


class Scorer:
    """Scores chunks with every head; the same input gives the same output anywhere.

    Two ways in, one chunk at a time: its rows (:meth:`score`) or its texts
    (:meth:`score_texts`); :func:`framing.batch.run_chunks` reads a stream of chunks through
    :meth:`score_many` or :meth:`render_many`, which :class:`framing.batch.ProcessScorer`
    mirrors. Nothing is kept from one call to the next.
    """

    def __init__(self, model: Model, options: ScoreOptions):
        self.model = model
        self.options = options
        self.plan = scored_heads(model, options.headline_col, options.body_col, options.heads)
        self.columns = columns_for(model, options)

    def score_many(self, chunks) -> Iterator[tuple[list[Row], dict]]:
        """Each chunk with its scored columns, in order (see :func:`framing.batch.run_chunks`)."""
        for chunk in chunks:
            yield chunk, self.score(chunk)

    def render_many(
        self, chunks, input_columns: Sequence[str], render: Callable[[dict], str]
    ) -> Iterator[tuple[list[Row], list, str]]:
        """Each chunk with its ``error`` column and its rows rendered as text:
        ``render(merge_columns(chunk, scored, input_columns))`` (see
        :func:`framing.batch.run_chunks`)."""
        cols = list(input_columns)
        o = self.options
        for chunk in chunks:
            values, errors = chunk_cells(chunk, cols, o.headline_col, o.body_col)
            yield chunk, *self._render_cells(values, errors, cols, render)

    def _render_cells(
        self, values: list, row_errors: list, input_columns: Sequence[str], render
    ) -> tuple[list, str]:
        """A chunk's ``error`` column and its rows rendered as text, from its cells and
        reading errors (:func:`chunk_cells`): what a worker process does with a chunk."""
        o = self.options
        n = len(input_columns)
        texts = prepare_cells(
            values[n], values[n + 1], row_errors, o.headline_col, o.body_col, o.max_chars
        )
        scored = self.score_texts(*texts)
        merged = dict(zip(input_columns, values[:n], strict=True))  # as merge_columns gives it
        merged.update(scored)
        return scored[ERROR], render(merged)

    def score(self, rows: Sequence[Row]) -> dict:
        """The scored columns of a chunk of rows (column name -> one value per row): its
        texts read (:func:`prepare`) and scored by :meth:`score_texts`."""
        o = self.options
        return self.score_texts(*prepare(rows, o.headline_col, o.body_col, o.max_chars))

    def score_texts(
        self, headlines: list[str], bodies: list[str], errors: list[str | None]
    ) -> dict:
        """The scored columns of a chunk's texts (as :func:`prepare` gives them: a row with
        an error is not scored), each text cut to its limit and language-checked first
        (:func:`guard_texts`): the columns of :attr:`columns`, in order."""
        headlines, bodies, warnings, foreign = guard_texts(
            headlines, bodies, errors, self.options.check_language
        )
        return self._score_guarded(headlines, bodies, errors, warnings, foreign)

    def _threshold(self, name: str) -> float:
        t = self.options.threshold
        return t if t is not None else self.model[name].threshold

    def _score_guarded(self, headlines, bodies, errors, warnings, foreign) -> dict:
        """The output columns of guarded texts (:func:`guard_texts`). ``warnings``: per row,
        the warnings for the ``warnings`` column; ``foreign``: per row, the column prefixes
        (``""`` headline, ``"body_"`` body) whose text was judged not English, whose labels
        are left empty (the probabilities are kept)."""
        n = len(errors)
        chunk = _Chunk(n, foreign)
        out: dict[str, list] = {}
        for prefix, names in self.plan:
            texts = headlines if prefix == HEADLINE_PREFIX else bodies
            rows = np.array(
                [i for i in range(n) if errors[i] is None and texts[i].strip()], dtype=np.int64
            )
            scored = [texts[i] for i in rows.tolist()]
            if prefix == HEADLINE_PREFIX:
                self._headline_columns(out, chunk, rows, scored, names)
            else:
                self._body_columns(out, chunk, rows, scored, names)
        if OVERALL in self.columns:
            out[OVERALL] = _rounded(overall_scores(chunk.voice, [bool(f) for f in foreign]))
        ok = [i for i in range(n) if errors[i] is None]
        warnings = list(warnings)
        if self.options.frames:
            self._frame_columns(out, ok, headlines, bodies, chunk, warnings)
        if self.options.techniques:
            self._technique_column(out, ok, headlines, bodies, n)
        for i, spans in chunk.skipped.items():  # boilerplate left out of the article score
            warnings[i] = (warnings[i] or []) + [describe_skipped(spans)]
        out[WARNINGS] = [strict.dumps(w, ensure_ascii=False) if w else None for w in warnings]
        out[ERROR] = [e or None for e in errors]
        for i in chunk.nonfinite:  # never a row neither scored nor marked
            for values in out.values():
                values[i] = None
            out[ERROR][i] = NONFINITE
        return out

    def _frame_columns(self, out, ok, headlines, bodies, chunk, warnings) -> None:
        """``frame_top``: the most probable frame at or above its threshold; ``frames``: JSON
        of the frames at or above their thresholds, most probable first (read on the headline
        and body together). A row without a body gets no frames and the warning
        :data:`FRAMES_NEED_TEXT`; a row judged not English none either."""
        head = self.model["frame"]
        n, foreign = chunk.n, chunk.foreign
        rows = [i for i in ok if bodies[i].strip() and not (foreign and foreign[i])]
        for i in ok:
            if not bodies[i].strip():
                warnings[i] = [*(warnings[i] or []), FRAMES_NEED_TEXT]
        read = any(prefix != HEADLINE_PREFIX and names for prefix, names in self.plan)
        skipped = [chunk.skipped.get(i, []) if read else boilerplate_spans(bodies[i]) for i in rows]
        texts = [
            "\n\n".join(t for t in (headlines[i], blank(bodies[i], spans)) if t)
            for i, spans in zip(rows, skipped, strict=True)
        ]
        proba = sigmoid(head.attribute_labels(tokenize_batch(texts))[0]) if rows else []
        thresholds = head.label_thresholds()
        top: list = [None] * n
        detected: list = [None] * n
        for row, p in zip(rows, proba, strict=True):
            order = [k for k in np.argsort(-p, kind="stable") if p[k] >= thresholds[k]]
            top[row] = head.labels[order[0]] if order else None
            detected[row] = strict.dumps({head.labels[k]: round(float(p[k]), 4) for k in order})
        out["frame_top"], out["frames"] = top, detected

    def _technique_column(self, out, ok, headlines, bodies, n) -> None:
        """``techniques``: JSON of the techniques detected on the most sentences of the body
        (the headline when there is no body): ``{technique: sentences}``, at most 3, most
        frequent first; only reliable techniques unless ``all_techniques``, which adds
        ``techniques_low_confidence``: JSON list of the low-confidence ones among them."""
        head = self.model["technique"]
        shown = ShownTechniques.of(self.model, self.options.all_techniques)
        texts = [bodies[i] if bodies[i].strip() else headlines[i] for i in ok]
        # the body's sentences as explain reads them: boilerplate lines left out
        spans = [split_sentences(t, article_paragraphs(t, split_paragraphs(t))[0]) for t in texts]
        sentences = [t[a:b] for t, ss in zip(texts, spans, strict=True) for a, b in ss]
        decided = shown.decide(sentence_techniques(head, tokenize_batch(sentences)))
        col: list = [None] * n
        low: list = [None] * n
        at = 0
        for row, ss in zip(ok, spans, strict=True):
            counts = dict(list(technique_counts(head, decided[at : at + len(ss)]).items())[:3])
            at += len(ss)
            col[row] = strict.dumps(counts)
            low[row] = strict.dumps([t for t in counts if t in shown.low_confidence])
        out["techniques"] = col
        if self.options.all_techniques:
            out[TECHNIQUES_LOW_CONFIDENCE] = low

    def _put(self, out, chunk, prefix, name, rows, proba, outlet, terms) -> None:
        n = chunk.n
        threshold = self._threshold(name)
        p_col = np.full(n, np.nan)
        p_col[rows] = proba
        out[column_name(name, "probability", prefix)] = _rounded(p_col)
        labels = np.full(n, None, dtype=object)
        scored = ~np.isnan(proba)
        labels[rows[scored]] = (proba[scored] >= threshold).astype(int).tolist()
        for i in rows.tolist() if chunk.foreign else ():
            if prefix in chunk.foreign[i]:
                labels[i] = None  # text judged not English: no verdict
        out[column_name(name, "label", prefix)] = labels.tolist()
        if self.options.top_k > 0:  # terms: each row's JSON (terms_json_column)
            t_col: list = [None] * n
            for i, row_terms in zip(rows.tolist(), terms, strict=True):
                t_col[i] = row_terms
            out[column_name(name, "terms", prefix)] = t_col
        if not self.options.outlet_voice:
            return
        o_col = np.full(n, np.nan)
        o_col[rows] = outlet
        out[column_name(name, "outlet_probability", prefix)] = _rounded(o_col)

    def _headline_columns(self, out, chunk, rows, texts, names) -> None:
        part = score_headlines(self.model, texts, names, outlet=self.options.outlet_voice)
        k = self.options.top_k
        groups = WordGroups(part.heads[names[0]].tb) if names and k > 0 else None
        for name in names:
            s = part.heads[name]
            finite = np.isfinite(s.raw.logit) & np.isfinite(s.outlet_logit)
            chunk.nonfinite.update(rows[~finite].tolist())
            terms = terms_json_column(groups, s.raw.per_token, k, texts) if groups else []
            outlet = sigmoid(s.outlet_logit)
            self._put(out, chunk, HEADLINE_PREFIX, name, rows, sigmoid(s.raw.logit), outlet, terms)
            chunk.add_voice(name, "headline", rows, outlet)

    def _body_columns(self, out, chunk, rows, texts, names) -> None:
        part = score_bodies(self.model, texts, names, outlet=self.options.outlet_voice)
        for row, spans in zip(rows.tolist(), part.skipped, strict=True):
            if spans:
                chunk.skipped[row] = spans
        k = self.options.top_k
        for name in names:
            s = part.heads[name]
            bad = np.flatnonzero(~(np.isfinite(s.raw.logit) & np.isfinite(s.outlet_logit)))
            owners = np.searchsorted(part.sent_ptr, bad, side="right") - 1
            chunk.nonfinite.update(rows[owners].tolist())
            proba = np.full(len(texts), np.nan)
            outlet = np.full(len(texts), np.nan)
            top = np.zeros(s.tb.n_docs, dtype=bool)  # per sentence: counted in the article score
            for b in range(len(texts)):
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
                tokens = part.tokens.select(keep, np.arange(len(texts)))
                terms = terms_json_column(WordGroups(tokens), s.raw.per_token[keep], k, texts)
            self._put(out, chunk, BODY_PREFIX, name, rows, proba, outlet, terms)
            chunk.add_voice(name, "body", rows, outlet)


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


def merge_columns(rows: Sequence[Row], scored: dict, input_columns: Sequence[str]) -> dict:
    """:func:`merge` as columns: each input column's values (missing fields empty), then
    the scored columns."""
    out = dict(zip(input_columns, input_values(rows, input_columns), strict=True))
    out.update(scored)
    return out


def chunk_cells(
    rows: Sequence[Row], input_columns: list[str], headline_col: str | None, body_col: str | None
) -> tuple[list[list], list[str | None]]:
    """What a chunk is scored and written from: each input column's values (missing fields
    empty), then the headline and body cells (None: not scored; the same lists when they
    are input columns), and each row's reading error."""
    text_cols = (headline_col, body_col)
    names = input_columns + [c for c in text_cols if c and c not in input_columns]
    values = input_values(rows, names)
    by_name = dict(zip(names, values, strict=True))
    cells = [by_name[c] if c else None for c in text_cols]
    return values[: len(input_columns)] + cells, [row.error for row in rows]


def input_values(rows: Sequence[Row], input_columns: Sequence[str]) -> list[list]:
    """Each input column's values, missing fields empty (the first columns of
    :func:`merge_columns`)."""
    fields = [row.fields for row in rows]
    return [[f.get(c, "") for f in fields] for c in input_columns]
