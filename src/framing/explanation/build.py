"""Exact explanations: which words drove each score, with character offsets.

**Per-word rule** (exact): a feature's contribution ``coef * value`` is split over its
occurrences in proportion to their weights, and each occurrence's share is split evenly over
the words (tokens) it covers. A bigram gives half of its share to each of its two words; a
character n-gram gives its share to the one word it lies in. Per-word contributions plus the
intercept equal the calibrated logit (to floating-point rounding). The per-feature list
(``HeadScore.features``) is there for those who want the n-grams themselves.

**Offsets** are into the text given: the headline for headline scores, the *body* for body
sentences, so ``text[span.start:span.end]`` is exactly the word shown.

**Quotes**: a word inside a quotation (:func:`framing.core.text.quote_spans`) is ``quoted``. Each
score comes twice: raw (all the text) and *outlet voice*: the same head on the text with every
quotation blanked out (replaced by spaces, so offsets still hold). The outlet-voice score is
itself an exact explanation; its n-grams join the words either side of a removed quotation.

**Article score** (body, ``loaded`` head): each sentence is scored on its own; the article's
probability is the mean probability of its ``TOP_K`` = 3 most loaded sentences (all of them
when there are fewer), reported beside the share of sentences at or above the threshold and
the sentences ranked by logit. The outlet-voice article score applies the same formula to the
outlet-voice sentence scores, leaving out sentences that are entirely quoted.

**Overall sensationalism** (for sorting and triage, always beside the separate scores): the
mean of the outlet-voice probabilities that are available among clickbait(headline),
loaded(headline) and the article loaded score(body).

**Techniques and frames** (only with a model that has the ``technique`` / ``frame`` heads,
see :mod:`framing.techniques`): each body sentence gets every technique's probability and
words (``Sentence.techniques``, built when first read), the explanation counts the sentences
on which each technique was detected (``Explanation.techniques``), and the ``frame`` head
reads ``Explanation.article_text`` (headline, a blank line, body) for ``Explanation.frames``.

**Cost**: every score (and the article score and ranking) is computed when :func:`explain`
returns; the term lists of a body sentence are built the first time ``Sentence.loaded`` /
``Sentence.loaded_outlet`` is read (or by ``to_dict()``), so a long body costs little until
its sentences are looked at.

**Limits**: a headline longer than ``MAX_HEADLINE_CHARS`` and a body longer than
``MAX_BODY_CHARS`` are truncated at the last space before the limit, with a warning. Text that
:func:`framing.core.text.check_language` judges not English is scored anyway, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from framing.core.engine import Attribution
from framing.core.head import Head, sigmoid
from framing.core.model import Model, default_model
from framing.core.text import (
    LanguageCheck,
    check_language,
    quote_spans,
    split_paragraphs,
    split_sentences,
)
from framing.core.tokens import TokenBatch, tokenize_batch
from framing.errors import InputError
from framing.explanation.heads import head_roles
from framing.explanation.labels import explain_labels
from framing.explanation.results import (
    ArticleScore,
    Explanation,
    FeatureTerm,
    HeadResult,
    HeadScore,
    Overall,
    Sentence,
    Span,
    Term,
    gc_paused,
)
from framing.explanation.techniques import (
    ShownTechniques,
    explain_frames,
    sentence_techniques,
    technique_counts,
)
from framing.explanation.terms import TermTable, head_scores

MAX_HEADLINE_CHARS = 2_000
MAX_BODY_CHARS = 2_000_000
TOP_K = 3


# ---- the batched scores (arrays only), shared with framing.batch ---------------------------------
def _in_spans(starts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each offset lies inside one of the sorted, disjoint ``spans``."""
    if not spans or len(starts) == 0:
        return np.zeros(len(starts), dtype=bool)
    lo = np.array([s for s, _ in spans], dtype=np.int64)
    hi = np.array([e for _, e in spans], dtype=np.int64)
    k = np.searchsorted(lo, starts, side="right") - 1
    return (k >= 0) & (starts < hi[np.maximum(k, 0)])


def _quoted(tb: TokenBatch, quotes: Sequence[list[tuple[int, int]]]) -> np.ndarray:
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


def _score(head: Head, tb: TokenBatch, quoted: np.ndarray, entries: bool = True) -> Scored:
    n_quoted = np.bincount(tb.doc[quoted], minlength=tb.n_docs)
    docs = np.flatnonzero(n_quoted)
    outlet_tb = tb.select(~quoted, docs)
    raw = head.attribute(tb, entries=entries)
    outlet = head.attribute(outlet_tb, entries=entries)
    outlet_logit = raw.logit.copy()
    outlet_logit[docs] = outlet.logit
    return Scored(head, tb, quoted, raw, docs, outlet_tb, outlet, outlet_logit)


@dataclass(slots=True)
class Headlines:
    quotes: list[list[tuple[int, int]]]
    heads: dict[str, Scored]


def score_headlines(
    model: Model,
    headlines: Sequence[str],
    heads: Sequence[str] | None = None,
    *,
    entries: bool = False,
) -> Headlines:
    """Raw and outlet-voice scores of ``heads`` (those the model has; by default every head
    the registry scores on headlines) for many headlines.

    The array-level step of :func:`explain` / :func:`explain_many`, shared with
    :mod:`framing.batch` so that ``framing score`` reports the same numbers. ``entries``
    keeps the per-feature entries (for per-feature lists; see :func:`attribute`)."""
    quotes = [quote_spans(h) for h in headlines]
    tb = tokenize_batch(headlines)
    quoted = _quoted(tb, quotes)
    if heads is None:
        heads = [r.name for r in head_roles(model) if r.on_headline]
    return Headlines(
        quotes,
        {n: _score(model[n], tb, quoted, entries) for n in heads if n in model.heads},
    )


@dataclass(slots=True)
class Bodies:
    """Heads on the sentences of many bodies, all sentences in one batch: body ``b`` owns
    sentences ``sent_ptr[b]:sent_ptr[b+1]`` and tokens ``tokens.ptr[b]:tokens.ptr[b+1]``."""

    paragraphs: list[list[tuple[int, int]]]
    sentences: list[list[tuple[int, int]]]
    quotes: list[list[tuple[int, int]]]
    sent_ptr: np.ndarray
    tokens: TokenBatch | None  # the bodies' tokens, one text per body
    heads: dict[str, Scored]  # per head: one text per sentence
    voiced: np.ndarray  # per sentence: some word outside quotations (or no word at all)
    sentence_tokens: TokenBatch | None = None  # the tokens again, one text per sentence

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
        return _article_score(logits[indices], indices, scored.head.threshold)


def score_bodies(
    model: Model,
    bodies: Sequence[str],
    heads: Sequence[str] | None = None,
    *,
    entries: bool = False,
) -> Bodies:
    """Every sentence of many bodies scored by ``heads`` (those the model has; by default every
    head the registry scores on sentences), raw and outlet voice, in one batch per head (see
    :class:`Bodies`). ``entries`` keeps the per-feature entries (for per-feature lists;
    slower, see :func:`framing.core.engine.attribute`)."""
    paragraphs = [split_paragraphs(b) for b in bodies]
    sentences = [split_sentences(b, p) for b, p in zip(bodies, paragraphs, strict=True)]
    quotes = [quote_spans(b, p) for b, p in zip(bodies, paragraphs, strict=True)]
    sent_ptr = np.zeros(len(bodies) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sentences], out=sent_ptr[1:])
    if heads is None:
        heads = [r.name for r in head_roles(model) if r.on_sentences]
    heads = [n for n in heads if n in model.heads]
    if not heads:
        return Bodies(paragraphs, sentences, quotes, sent_ptr, None, {}, np.zeros(0, dtype=bool))
    tb = tokenize_batch(bodies)
    quoted = _quoted(tb, quotes)
    owner = np.repeat(np.arange(len(bodies)), np.diff(sent_ptr))
    bounds = np.array([se for s in sentences for se in s], dtype=np.int64).reshape(-1, 2)
    stb = tb.regroup(owner, bounds)
    n_words = stb.n_tokens
    n_quoted = np.bincount(stb.doc[quoted], minlength=stb.n_docs)
    voiced = (n_words == 0) | (n_quoted < n_words)
    scored = {n: _score(model[n], stb, quoted, entries) for n in heads}
    return Bodies(paragraphs, sentences, quotes, sent_ptr, tb, scored, voiced, stb)


def _article_score(logits: np.ndarray, indices: np.ndarray, threshold: float) -> ArticleScore:
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


def _overall(
    clickbait: float | None, loaded_headline: float | None, loaded_body: float | None
) -> Overall | None:
    """Mean of the outlet-voice probabilities that are available (see the module docs)."""
    components = {
        k: v
        for k, v in (
            ("clickbait_headline", clickbait),
            ("loaded_headline", loaded_headline),
            ("loaded_body", loaded_body),
        )
        if v is not None
    }
    if not components:
        return None
    return Overall(float(np.mean(list(components.values()))), components)


# ---- result objects from the arrays -------------------------------------------------------------
def _raw_and_outlet(s: Scored, *, with_features: bool) -> tuple[TermTable, TermTable, dict]:
    """Term tables of every text, raw and outlet voice, and the outlet table's row of each
    text that has one (texts with a quoted word)."""
    raw = TermTable(s.head, s.tb, s.raw, s.quoted, with_features=with_features)
    quoted_out = np.zeros(len(s.outlet_tb.form_id), dtype=bool)
    out = TermTable(s.head, s.outlet_tb, s.outlet, quoted_out, with_features=with_features)
    row = {d: i for i, d in enumerate(s.outlet_docs.tolist())}
    return raw, out, row


def _fill_headlines(model: Model, results: list, headlines: Sequence[str], features: bool) -> None:
    part = score_headlines(model, headlines, entries=features)
    for res, q in zip(results, part.quotes, strict=True):
        res.headline_quotes = [Span(a, b) for a, b in q]
    for name, scored in part.heads.items():
        raw, out, row = _raw_and_outlet(scored, with_features=features)
        unit = scored.head.unit
        for d, res in enumerate(results):
            score = raw.score(d)
            result = res.heads.setdefault(name, HeadResult(name, unit))
            result.headline = score
            result.headline_outlet = out.score(row[d]) if d in row else score


def _sentence_source(raw: TermTable, outlet: TermTable, outlet_row: dict, k: int):
    """A function building sentence ``k``'s (raw, outlet-voice) scores when first read."""

    def build() -> tuple:
        return raw.score(k), (outlet.score(outlet_row[k]) if k in outlet_row else None)

    return build


def _fill_bodies(
    model: Model, results: list, bodies: Sequence[str], features: bool, all_techniques: bool
) -> None:
    part = score_bodies(model, bodies, entries=features)
    tables = {
        name: _raw_and_outlet(scored, with_features=features) for name, scored in part.heads.items()
    }
    technique = model.heads.get("technique")
    if technique is not None and part.sentence_tokens is not None:
        shown = ShownTechniques.of(model, all_techniques)
        decided = shown.decide(sentence_techniques(technique, part.sentence_tokens))
    else:
        technique = None
    for b, res in enumerate(results):
        paragraphs, sentences = part.paragraphs[b], part.sentences[b]
        res.paragraphs = [Span(x, y) for x, y in paragraphs]
        res.body_quotes = [Span(x, y) for x, y in part.quotes[b]]
        if not tables:
            res.warnings.append("this model has no sentence head: the body was not scored")
            continue
        if not sentences:
            res.warnings.append("the body has no text to score")
            continue
        a = int(part.sent_ptr[b])
        p_lo = np.array([x for x, _ in paragraphs])
        para = (np.searchsorted(p_lo, [x for x, _ in sentences], side="right") - 1).tolist()
        any_rows = next(iter(tables.values()))[2]  # texts with a quoted word: same for all heads
        res.sentences = [
            Sentence(
                i,
                x,
                y,
                para[i],
                (a + i) in any_rows,
                {n: _sentence_source(*tab, a + i) for n, tab in tables.items()},
            )
            for i, (x, y) in enumerate(sentences)
        ]
        if technique is not None:
            res.techniques = technique_counts(technique, decided[a : a + len(sentences)])
            res.technique_mode = shown.mode
            res.low_confidence_techniques = sorted(shown.low_confidence)
            for s in res.sentences:
                s._technique_src = partial(_sentence_labels, technique, res.body, shown)
        for name, scored in part.heads.items():
            result = res.heads.setdefault(name, HeadResult(name, scored.head.unit))
            result.article = part.article(name, b)
            result.article_outlet = part.article(name, b, outlet=True)
        if "loaded" in tables and res.article_outlet is None:
            res.warnings.append("every word of the body is quoted: no outlet-voice article score")


def _sentence_labels(head: Head, body: str, shown: ShownTechniques, sentence: Sentence) -> list:
    """The shown labels of a multi-label sentence head on one body sentence (offsets into the
    body), most probable first."""
    text = body[sentence.start : sentence.end]
    return shown.keep(explain_labels(head, text, top_terms=5, offset=sentence.start).labels)


def _fill_article_labels(model: Model, results: list) -> None:
    """Multi-label heads read on the whole article (frames, users' categorical heads)."""
    roles = [r for r in head_roles(model) if r.labels_per_article]
    for res in results:
        text = res.article_text
        if not text.strip():
            continue
        for role in roles:
            if role.name == "frame":
                res.frames = explain_frames(model, text)
            else:
                labels = explain_labels(model[role.name], text, top_terms=10).labels
                res.heads[role.name] = HeadResult(role.name, role.unit, labels=labels)


def _set_overall(res: Explanation) -> None:
    def p(score):
        return score.probability if score is not None else None

    res.overall = _overall(
        p(res.clickbait_outlet), p(res.loaded_headline_outlet), p(res.article_outlet)
    )


# ---- public functions -------------------------------------------------------------------------
def explain_text(
    head: Head, text: str, *, with_features: bool = True, quotes: bool = True
) -> HeadScore:
    """Exact per-word and per-feature contributions of a binary head on one text.

    Words inside quotations are marked ``quoted`` (unless ``quotes=False``); the score is the
    raw one (quoted words included).
    """
    return _texts_scores(head, [text], quotes=quotes, with_features=with_features)[0]


def _texts_scores(head: Head, texts: Sequence[str], *, quotes: bool, with_features: bool):
    tb = tokenize_batch(texts)
    quoted = _quoted(tb, [quote_spans(t) for t in texts] if quotes else [])
    return head_scores(head, tb, head.attribute(tb), quoted, with_features=with_features)


def _truncate(text: str, limit: int, what: str, warnings: list[str]) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", max(0, limit - 1000), limit)
    cut = cut if cut > 0 else limit
    warnings.append(
        f"{what} has {len(text):,} characters, over the limit of {limit:,}: only its first "
        f"{cut:,} characters were explained"
    )
    return text[:cut], True


def _language_warning(what: str, check: LanguageCheck, warnings: list[str]) -> None:
    if check.english is False:
        warnings.append(
            f"{what} may not be English ({check.reason}); the model was trained on English "
            "text, so its scores may mean little here"
        )


def _check_input(value, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InputError(f"{what} must be a string (or None), not {type(value).__name__}")


def _resolve(model: Model | None) -> Model:
    return model or default_model()


def explain(
    headline: str | None = None,
    body: str | None = None,
    *,
    model: Model | None = None,
    features: bool = True,
    sentence_features: bool = False,
    all_techniques: bool = False,
) -> Explanation:
    """Explain a headline and/or an article body with the model's heads (see module docs).

    ``features`` adds the per-feature lists to the headline scores; ``sentence_features`` to
    each body sentence's scores too (larger output). With a ``technique`` head, only the
    techniques measured reliable are shown (:mod:`framing.explanation.reliability`);
    ``all_techniques=True`` shows every one, the others marked ``low_confidence``.
    """
    if headline is None and body is None:
        raise InputError("explain() needs a headline, a body or both")
    return _explain_all(
        [headline],
        [body],
        model,
        features=features,
        sentence_features=sentence_features,
        all_techniques=all_techniques,
    )[0]


def explain_many(
    headlines,
    bodies: Sequence[str | None] | None = None,
    *,
    model: Model | None = None,
    features: bool = False,
    all_techniques: bool = False,
) -> list:
    """Explain many headlines (and optional bodies) in one batched pass; input order kept.

    The headlines of all items are tokenised, featurised and attributed together (one
    vectorised pass per head), and so are the sentences of all bodies, which is much faster
    than one :func:`explain` call each. Results equal :func:`explain`'s item by item
    (``features`` defaults to off here). For compatibility, ``explain_many(head, texts)``
    returns one raw :class:`HeadScore` per text.
    """
    if isinstance(headlines, Head):
        texts = list(bodies or [])
        for i, t in enumerate(texts):
            _check_input(t, f"text {i}")
        return _texts_scores(headlines, texts, quotes=True, with_features=features)
    if isinstance(headlines, str):
        raise InputError("explain_many() takes a list of headlines, not one string")
    headlines = list(headlines)
    bodies = [None] * len(headlines) if bodies is None else list(bodies)
    if len(bodies) != len(headlines):
        raise InputError(f"{len(headlines)} headlines but {len(bodies)} bodies: give one each")
    for i, (h, b) in enumerate(zip(headlines, bodies, strict=True)):
        if h is None and b is None:
            raise InputError(f"item {i} has neither a headline nor a body")
    return _explain_all(
        headlines,
        bodies,
        model,
        features=features,
        sentence_features=False,
        all_techniques=all_techniques,
    )


def _prepare_text(res: Explanation, text: str, limit: int, what: str) -> str:
    """Truncate and language-check one input text, noting warnings on ``res``."""
    text, cut = _truncate(text, limit, f"the {what}", res.warnings)
    res.truncated = res.truncated or cut
    res.language[what] = check_language(text)
    _language_warning(f"the {what}", res.language[what], res.warnings)
    return text


def _explain_all(
    headlines, bodies, model, *, features: bool, sentence_features: bool, all_techniques: bool
) -> list:
    single = len(headlines) == 1
    for i, (h, b) in enumerate(zip(headlines, bodies, strict=True)):
        _check_input(h, "headline" if single else f"headline {i}")
        _check_input(b, "body" if single else f"body {i}")
    model = _resolve(model)
    with gc_paused():  # many small result objects, none of them in a cycle
        return _explain_checked(
            headlines, bodies, model, features, sentence_features, all_techniques
        )


def _explain_checked(
    headlines, bodies, model, features: bool, sentence_features: bool, all_techniques: bool
) -> list:
    results = [Explanation(headline=h, body=b) for h, b in zip(headlines, bodies, strict=True)]
    with_headline = [r for r in results if r.headline is not None]
    for res in with_headline:
        res.headline = _prepare_text(res, res.headline, MAX_HEADLINE_CHARS, "headline")
    if with_headline:
        _fill_headlines(model, with_headline, [r.headline for r in with_headline], features)
    with_body = [r for r in results if r.body is not None]
    for res in with_body:
        res.body = _prepare_text(res, res.body, MAX_BODY_CHARS, "body")
    if with_body:
        _fill_bodies(
            model, with_body, [r.body for r in with_body], sentence_features, all_techniques
        )
    _fill_article_labels(model, results)
    for res in results:
        _set_overall(res)
    return results


__all__ = [
    "ArticleScore",
    "Explanation",
    "FeatureTerm",
    "HeadScore",
    "MAX_BODY_CHARS",
    "MAX_HEADLINE_CHARS",
    "Overall",
    "Sentence",
    "Span",
    "Term",
    "explain",
    "explain_many",
    "explain_text",
]
