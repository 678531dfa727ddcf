"""The arrays behind every explanation: heads on batches of headlines and of body sentences.

:func:`score_headlines` and :func:`score_bodies` score many texts at once, raw and in outlet
voice (quotations left out), and keep the engine's arrays; :mod:`framing.explanation.build`
turns them into result objects and :mod:`framing.batch` into columns, so both report the
same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framing.core.boilerplate import article_paragraphs, blank
from framing.core.engine import Attribution
from framing.core.head import Head, sigmoid
from framing.core.model import Model
from framing.core.shared import SharedPass, shared_pass
from framing.core.text import quote_spans, quote_spans_many, split_paragraphs, split_sentences
from framing.core.tokens import TokenBatch, tokenize_batch
from framing.explanation.heads import head_roles
from framing.explanation.results import (
    ArticleScore,
    Overall,
)

__all__ = [
    "TOP_K",
    "Bodies",
    "Headlines",
    "Scored",
    "article_score",
    "OVERALL_PARTS",
    "overall_part",
    "overall_score",
    "overall_scores",
    "quoted_tokens",
    "score_bodies",
    "score_headlines",
]

TOP_K = 3


def _in_spans(starts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each offset lies inside one of the sorted, disjoint ``spans``."""
    if not spans or len(starts) == 0:
        return np.zeros(len(starts), dtype=bool)
    lo = np.array([s for s, _ in spans], dtype=np.int64)
    hi = np.array([e for _, e in spans], dtype=np.int64)
    k = np.searchsorted(lo, starts, side="right") - 1
    return (k >= 0) & (starts < hi[np.maximum(k, 0)])


def quoted_tokens(tb: TokenBatch, quotes: Sequence[list[tuple[int, int]]]) -> np.ndarray:
    """Per token of ``tb`` (text ``d`` quoted by ``quotes[d]``): inside a quotation."""
    out = np.zeros(len(tb.form_id), dtype=bool)
    for d, spans in enumerate(quotes):
        if spans:
            a, b = tb.ptr[d], tb.ptr[d + 1]
            out[a:b] = _in_spans(tb.starts[a:b], spans)
    return out


@dataclass(slots=True)
class Scored:
    """One head on a token batch, raw and outlet voice (arrays; no result objects yet).

    ``outlet`` scores the texts ``outlet_docs`` (those with a quoted word) without their
    quoted tokens; every other text's outlet-voice score is its raw score
    (``outlet_logit`` holds every text's)."""

    head: Head
    tb: TokenBatch
    quoted: np.ndarray
    raw: Attribution
    outlet_docs: np.ndarray
    outlet_tb: TokenBatch
    outlet: Attribution
    outlet_logit: np.ndarray


def _score_all(
    heads: dict[str, Head],
    tb: TokenBatch,
    quoted: np.ndarray,
    entries: bool,
    also: Sequence[Head] = (),
) -> tuple[dict[str, Scored], SharedPass | None]:
    """Every head on ``tb``, raw and outlet voice. Without per-feature entries the heads
    share one pass over the raw batch and one over the outlet-voice batch
    (:mod:`framing.core.shared`), both over the same joined space (one table of the words),
    which the heads ``also`` (scored by the caller on the raw batch) join too; the raw pass
    is returned."""
    n_quoted = np.bincount(tb.doc[quoted], minlength=tb.n_docs)
    docs = np.flatnonzero(n_quoted)
    outlet_tb = tb.select(~quoted, docs)
    via_raw = via_outlet = None
    # one joined space for both passes: one table of the words, found once (a head made of
    # word evidence reads its words on its own, see framing.core.wordhead)
    spaces = [h.space for h in (*heads.values(), *also) if h.joins_shared_pass]
    if not entries and heads and spaces:
        via_raw = shared_pass(spaces, tb)
        via_outlet = shared_pass(spaces, outlet_tb)
    out = {}
    for name, head in heads.items():
        raw = head.attribute(tb, entries=entries, via=via_raw)
        outlet = head.attribute(outlet_tb, entries=entries, via=via_outlet)
        outlet_logit = raw.logit.copy()
        outlet_logit[docs] = outlet.logit
        out[name] = Scored(head, tb, quoted, raw, docs, outlet_tb, outlet, outlet_logit)
    return out, via_raw


@dataclass(slots=True)
class Headlines:
    """Every head's scores of a batch of texts, with the quotation spans of each text."""

    quotes: list[list[tuple[int, int]]]
    heads: dict[str, Scored]


def score_headlines(
    model: Model,
    headlines: Sequence[str],
    heads: Sequence[str] | None = None,
    *,
    entries: bool = False,
    outlet: bool = True,
) -> Headlines:
    """Raw and outlet-voice scores of ``heads`` (those the model has; by default every head
    the registry scores on headlines) for many headlines.

    The array-level step of :func:`explain` / :func:`explain_many`, shared with
    :mod:`framing.batch` so that ``framing score`` reports the same numbers. ``entries``
    keeps the per-feature entries (for per-feature lists; see :func:`attribute`). Without
    ``outlet`` no quotation is looked for: the outlet-voice scores are the raw ones."""
    quotes = quote_spans_many(list(headlines)) if outlet else [[] for _ in headlines]
    tb = tokenize_batch(headlines)
    quoted = quoted_tokens(tb, quotes)
    if heads is None:
        heads = [r.name for r in head_roles(model) if r.on_headline]
    return Headlines(
        quotes, _score_all({n: model[n] for n in heads if n in model.heads}, tb, quoted, entries)[0]
    )


@dataclass(slots=True)
class Bodies:
    """Heads on the sentences of many bodies, all sentences in one batch: body ``b`` owns
    sentences ``sent_ptr[b]:sent_ptr[b+1]`` and tokens ``tokens.ptr[b]:tokens.ptr[b+1]``."""

    paragraphs: list[list[tuple[int, int]]]
    sentences: list[list[tuple[int, int]]]
    quotes: list[list[tuple[int, int]]]
    skipped: list[list[tuple[int, int]]]  # per body: boilerplate left out (core.boilerplate)
    sent_ptr: np.ndarray
    tokens: TokenBatch | None  # the bodies' tokens, one text per body
    heads: dict[str, Scored]  # per head: one text per sentence
    voiced: np.ndarray  # per sentence: some word outside quotations (or no word at all)
    sentence_tokens: TokenBatch | None = None  # the tokens again, one text per sentence
    via: SharedPass | None = None  # the pass over ``sentence_tokens`` (heads and ``also``)

    def article(self, name: str, b: int, outlet: bool = False) -> ArticleScore | None:
        """Body ``b``'s article score (raw, or outlet voice over its voiced sentences)."""
        a, z = int(self.sent_ptr[b]), int(self.sent_ptr[b + 1])
        scored = self.heads.get(name)
        if scored is None or a == z:
            return None
        logits = (scored.outlet_logit if outlet else scored.raw.logit)[a:z]
        indices = np.arange(z - a)
        if outlet:
            indices = indices[self.voiced[a:z]]
            if len(indices) == 0:
                return None
        return article_score(logits[indices], indices, scored.head.threshold)


def score_bodies(
    model: Model,
    bodies: Sequence[str],
    heads: Sequence[str] | None = None,
    *,
    entries: bool = False,
    also: Sequence[str] = (),
    outlet: bool = True,
) -> Bodies:
    """Every sentence of many bodies scored by ``heads`` (those the model has; by default every
    head the registry scores on sentences), raw and outlet voice, in one batch per head (see
    :class:`Bodies`). ``entries`` keeps the per-feature entries (for per-feature lists;
    slower, see :func:`framing.core.engine.attribute`). The heads ``also`` (e.g. the
    multi-label ``technique``, which the caller scores on ``Bodies.sentence_tokens``) join
    the shared pass ``Bodies.via``. Without ``outlet`` no quotation is looked for (as
    :func:`score_headlines`)."""
    paragraphs = [split_paragraphs(b) for b in bodies]
    # the boilerplate lines (teasers, links, sign-up and cookie notices) are cut out of the
    # paragraphs that are read, and blanked in the text that is tokenised: offsets unchanged
    cut = [article_paragraphs(b, p) for b, p in zip(bodies, paragraphs, strict=True)]
    read, skipped = [r for r, _ in cut], [k for _, k in cut]
    sentences = [split_sentences(b, p) for b, p in zip(bodies, read, strict=True)]
    quotes = [quote_spans(b, p) if outlet else [] for b, p in zip(bodies, read, strict=True)]
    sent_ptr = np.zeros(len(bodies) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sentences], out=sent_ptr[1:])
    if heads is None:
        heads = [r.name for r in head_roles(model) if r.on_sentences]
    heads = [n for n in heads if n in model.heads]
    if not heads:
        return Bodies(
            paragraphs, sentences, quotes, skipped, sent_ptr, None, {}, np.zeros(0, dtype=bool)
        )
    tb = tokenize_batch([blank(b, k) for b, k in zip(bodies, skipped, strict=True)])
    quoted = quoted_tokens(tb, quotes)
    owner = np.repeat(np.arange(len(bodies)), np.diff(sent_ptr))
    bounds = np.array([se for s in sentences for se in s], dtype=np.int64).reshape(-1, 2)
    stb = tb.regroup(owner, bounds)
    n_words = stb.n_tokens
    n_quoted = np.bincount(stb.doc[quoted], minlength=stb.n_docs)
    voiced = (n_words == 0) | (n_quoted < n_words)
    also_heads = [model[n] for n in also if n in model.heads]
    scored, via = _score_all({n: model[n] for n in heads}, stb, quoted, entries, also_heads)
    return Bodies(paragraphs, sentences, quotes, skipped, sent_ptr, tb, scored, voiced, stb, via)


def article_score(logits: np.ndarray, indices: np.ndarray, threshold: float) -> ArticleScore:
    """The article score of a body's sentence logits: the mean probability of its ``TOP_K``
    most loaded sentences, with the ranking (``indices`` are the sentences' numbers)."""
    probs = sigmoid(logits)
    k = min(TOP_K, len(probs))
    prob = float(np.sort(probs)[::-1][:k].mean())
    ranking = indices[np.argsort(-logits, kind="stable")].tolist()
    return ArticleScore(
        probability=prob,
        label=prob >= threshold,
        threshold=threshold,
        top_k=k,
        max_probability=float(probs.max()),
        share_above_threshold=float((probs >= threshold).mean()),
        n_sentences=len(probs),
        ranking=ranking,
    )


# the overall score's components: (component, head, text) whose outlet-voice probabilities
# are averaged, where available; the one rule behind explain()'s Overall and framing score's
# overall_score
OVERALL_PARTS = (
    ("clickbait_headline", "clickbait", "headline"),
    ("loaded_headline", "loaded", "headline"),
    ("loaded_body", "loaded", "body"),
)


def overall_part(head: str, text: str) -> str | None:
    """The overall score's component that head ``head`` on ``text`` (``"headline"`` or
    ``"body"``) gives, or None."""
    return next((c for c, h, t in OVERALL_PARTS if (h, t) == (head, text)), None)


def overall_scores(components: dict[str, np.ndarray], foreign: Sequence[bool] = ()) -> np.ndarray:
    """The overall score of many items at once: per item, the mean of its components'
    outlet-voice probabilities that are available (not NaN; a component missing from
    ``components`` is missing for every item); NaN when none is, or when a text of the item
    is judged not English (``foreign``: per item; the model cannot tell). ``components``
    holds at least one component."""
    n = len(next(iter(components.values())))
    missing = np.full(n, np.nan)
    stacked = np.vstack(
        [np.asarray(components.get(c, missing), dtype=np.float64) for c, _h, _t in OVERALL_PARTS]
    )
    counted = (~np.isnan(stacked)).sum(axis=0)
    overall = np.where(counted > 0, np.nansum(stacked, axis=0) / np.maximum(counted, 1), np.nan)
    overall[np.asarray(foreign, dtype=bool).nonzero()[0]] = np.nan
    return overall


def overall_score(
    clickbait: float | None,
    loaded_headline: float | None,
    loaded_body: float | None,
    *,
    foreign: bool = False,
) -> Overall | None:
    """:func:`overall_scores` of one item (None: no overall score)."""
    values = (clickbait, loaded_headline, loaded_body)
    components = {
        c: v for (c, _h, _t), v in zip(OVERALL_PARTS, values, strict=True) if v is not None
    }
    if not components:
        return None
    score = overall_scores({c: [v] for c, v in components.items()}, [foreign])
    if np.isnan(score[0]):
        return None
    return Overall(float(score[0]), components)
