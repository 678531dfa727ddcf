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
see :mod:`framing.explanation.techniques`): each body sentence gets every technique's
probability and words (``Sentence.techniques``, built when first read), the explanation
counts the sentences on which each technique was detected (``Explanation.techniques``), and
the ``frame`` head reads ``Explanation.frame_text`` (headline, a blank line, body; its
boilerplate blanked) for ``Explanation.frames``.

**Cost**: every score (and the article score and ranking) is computed when :func:`explain`
returns; the term lists of a body sentence are built the first time ``Sentence.loaded`` /
``Sentence.loaded_outlet`` is read (or by ``to_dict()``), so a long body costs little until
its sentences are looked at.

**Limits**: a headline longer than ``MAX_HEADLINE_CHARS`` and a body longer than
``MAX_BODY_CHARS`` are truncated at the last space before the limit, with a warning. Text that
framing.core.language.check_language judges not English gets no label (``label`` None), no
overall score and no frames, with the warning "not scored: language fr".
The rule is :func:`framing.explanation.guards.guard_text`, which ``framing score`` applies too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from framing.core.boilerplate import describe_skipped
from framing.core.head import Head, sigmoid
from framing.core.model import Model, as_model
from framing.core.scoring import texts_list
from framing.core.text import (
    quote_spans,
)
from framing.core.tokens import tokenize_batch
from framing.errors import InputError
from framing.explanation.guards import (
    MAX_BODY_CHARS,
    MAX_HEADLINE_CHARS,
    guard_text,
    text_problems,
)
from framing.explanation.heads import head_roles
from framing.explanation.labels import Ranking, explain_labels
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
from framing.explanation.scores import (
    OVERALL_PARTS,
    overall_score,
    quoted_tokens,
    score_bodies,
    score_headlines,
)
from framing.explanation.techniques import (
    ShownTechniques,
    explain_frames,
    technique_counts,
)
from framing.explanation.terms import TermTable, head_scores, raw_and_outlet

LABEL_BLOCK = 64  # sentences whose technique labels are built together


def _fill_headlines(model: Model, results: list, headlines: Sequence[str], features: bool) -> None:
    part = score_headlines(model, headlines, entries=features)
    for res, q in zip(results, part.quotes, strict=True):
        res.headline_quotes = [Span(a, b) for a, b in q]
    for name, scored in part.heads.items():
        raw, out, row = raw_and_outlet(scored, with_features=features)
        unit = scored.head.unit
        for d, res in enumerate(results):
            score = raw.score(d)
            result = res.heads.setdefault(name, HeadResult(name, unit))
            result.headline = score
            result.headline_outlet = out.score(row[d]) if d in row else score


class _SentenceSource:
    """Builds sentence ``k``'s (raw, outlet-voice) scores when first read; its raw
    probability alone costs nothing (:meth:`framing.explanation.results.Sentence.probability`)."""

    __slots__ = ("k", "outlet", "outlet_row", "raw")

    def __init__(self, raw: TermTable, outlet: TermTable, outlet_row: dict, k: int):
        self.raw, self.outlet, self.outlet_row, self.k = raw, outlet, outlet_row, k

    def __call__(self) -> tuple:
        k, row = self.k, self.outlet_row
        return self.raw.score(k), (self.outlet.score(row[k]) if k in row else None)

    def probability(self) -> float:
        return float(self.raw.probs[self.k])

    def dicts(self) -> tuple:
        """The ``to_dict()`` of the two scores, made without building them."""
        k, row = self.k, self.outlet_row
        return self.raw.score_dict(k), (self.outlet.score_dict(row[k]) if k in row else None)


def _sentence_source(raw: TermTable, outlet: TermTable, outlet_row: dict, k: int):
    """A function building sentence ``k``'s (raw, outlet-voice) scores when first read."""
    return _SentenceSource(raw, outlet, outlet_row, k)


def _fill_bodies(
    model: Model, results: list, bodies: Sequence[str], features: bool, all_techniques: bool
) -> None:
    technique = model.heads.get("technique")
    also = ["technique"] if technique is not None else []
    part = score_bodies(model, bodies, entries=features, also=also)
    tables = {
        name: raw_and_outlet(scored, with_features=features) for name, scored in part.heads.items()
    }
    if technique is not None and part.sentence_tokens is not None:
        shown = ShownTechniques.of(model, all_techniques)
        t_logits, t_per_token = technique.attribute_labels(part.sentence_tokens, via=part.via)
        decided = shown.decide(sigmoid(t_logits) >= technique.label_thresholds())
    else:
        technique = None
    for b, res in enumerate(results):
        paragraphs, sentences = part.paragraphs[b], part.sentences[b]
        res.paragraphs = [Span(x, y) for x, y in paragraphs]
        res.body_quotes = [Span(x, y) for x, y in part.quotes[b]]
        res.skipped = [Span(x, y) for x, y in part.skipped[b]]
        if res.skipped:
            res.warnings.append(describe_skipped(part.skipped[b]))
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
            n = len(sentences)
            tokens = part.sentence_tokens.docs(a, a + n)
            lo, hi = int(part.sentence_tokens.ptr[a]), int(part.sentence_tokens.ptr[a + n])
            arrays = (tokens, t_logits[a : a + n], t_per_token[lo:hi])
            labels = _SentenceLabels(technique, res.body, shown, sentences, arrays)
            for s in res.sentences:
                s._technique_src = labels
        for name, scored in part.heads.items():
            result = res.heads.setdefault(name, HeadResult(name, scored.head.unit))
            result.article = part.article(name, b)
            result.article_outlet = part.article(name, b, outlet=True)
        if "loaded" in tables and res.article_outlet is None:
            res.warnings.append("every word of the body is quoted: no outlet-voice article score")


class _SentenceLabels:
    """The shown labels of a multi-label sentence head on a body's sentences (offsets into
    the body), most probable first: built when a sentence's are first read, with the
    sentences around it, a block of :data:`LABEL_BLOCK` in one pass over the arrays of the
    body's scoring (``arrays``: its sentences' tokens, the head's logits and per-token
    contributions on them)."""

    def __init__(self, head: Head, body: str, shown: ShownTechniques, spans: list, arrays):
        self.head, self.body, self.shown, self.spans = head, body, shown, spans
        self.arrays = arrays
        self.blocks: dict[int, Ranking] = {}

    def _ranking(self, sentence: Sentence) -> tuple[Ranking, int]:
        """The ranking of the block of the sentence, and the sentence's number in it."""
        block, at = divmod(sentence.index, LABEL_BLOCK)
        if block not in self.blocks:
            a = block * LABEL_BLOCK
            spans = self.spans[a : a + LABEL_BLOCK]
            tb, logits, per_token = self.arrays
            z = a + len(spans)
            lo, hi = int(tb.ptr[a]), int(tb.ptr[z])
            self.blocks[block] = Ranking(
                self.head,
                tb.docs(a, z),
                logits[a:z],
                per_token[lo:hi],
                5,
                only=self.shown.names(self.head),
            )
        return self.blocks[block], at

    def __call__(self, sentence: Sentence) -> list:
        ranking, at = self._ranking(sentence)
        return self.shown.keep(ranking.scores(at))

    def dicts(self, sentence: Sentence) -> list[dict]:
        """``[t.to_dict() for t in self(sentence)]`` without the objects."""
        ranking, at = self._ranking(sentence)
        return self.shown.keep_dicts(ranking.dicts(at))


def _fill_article_labels(model: Model, results: list) -> None:
    """Multi-label heads read on the whole article (frames, users' categorical heads)."""
    roles = [r for r in head_roles(model) if r.labels_per_article]
    for res in results:
        text = res.frame_text
        if not text.strip():
            continue
        for role in roles:
            if role.name == "frame":
                alone = not (res.body and res.body.strip())
                res.frames = explain_frames(model, text, headline_only=alone)
            else:
                labels = explain_labels(model[role.name], text, top_terms=10).labels
                res.heads[role.name] = HeadResult(role.name, role.unit, labels=labels)


def _set_overall(res: Explanation) -> None:
    """The overall score (:func:`framing.explanation.scores.overall_score`): none when a
    text is judged not English."""

    def p(head: str, text: str):
        result = res.result(head)
        score = result.headline_outlet if text == "headline" else result.article_outlet
        return score.probability if score is not None else None

    foreign = any(c.english is False for c in res.language.values())
    res.overall = overall_score(*(p(h, t) for _c, h, t in OVERALL_PARTS), foreign=foreign)


def _withhold_foreign(res: Explanation) -> None:
    """A text judged not English gets no label (None) and the item no frames (and no overall
    score: :func:`_set_overall`); the probabilities and words stay, for those who want them."""
    foreign = {k for k, c in res.language.items() if c.english is False}
    if not foreign:
        return
    res.frames = None
    for result in res.heads.values():
        scores = (result.headline, result.headline_outlet) if "headline" in foreign else ()
        if "body" in foreign:
            scores += (result.article, result.article_outlet)
        for score in scores:
            if score is not None:
                score.label = None


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
    quoted = quoted_tokens(tb, [quote_spans(t) for t in texts] if quotes else [])
    return head_scores(head, tb, head.attribute(tb), quoted, with_features=with_features)


def _check_input(value, what: str) -> None:
    if isinstance(value, bytes | bytearray | memoryview):
        raise InputError(f"{what} must be a string (or None), not bytes: decode it first")
    if value is not None and not isinstance(value, str):
        raise InputError(f"{what} must be a string (or None), not {type(value).__name__}")


def _resolve(model) -> Model:
    return as_model(model)


def explain(
    headline: str | None = None,
    body: str | None = None,
    *,
    model: Model | str | os.PathLike | None = None,
    features: bool = True,
    sentence_features: bool = False,
    all_techniques: bool = False,
) -> Explanation:
    """Explain a headline and/or an article body with every head of the model.

    Args:
        headline: the headline (None: no headline).
        body: the article body (None: no body); split into paragraphs and sentences.
        model: a :class:`~framing.core.model.Model`, the path of a model folder, or None for
            the shipped model (``$FRAMING_MODEL`` if set).
        features: add the per-feature lists to the headline scores.
        sentence_features: add them to each body sentence's scores too (larger output).
        all_techniques: with a ``technique`` head, show every technique, the ones not
            measured reliable marked ``low_confidence`` (default: the reliable ones only,
            see :mod:`framing.explanation.reliability`).

    Returns:
        The :class:`~framing.explanation.results.Explanation`: every score with its exact
        per-word contributions and offsets (see the module docs).

    Raises:
        InputError: neither a headline nor a body, one that is not a string, text that is not
            valid Unicode (a lone surrogate), or only white space in every text given
            (``framing score`` marks such a row "empty text"; the same rule,
            :func:`framing.explanation.guards.text_problems`).
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
    model: Model | str | os.PathLike | None = None,
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
            problem = text_problems({f"text {i}": t or " "})  # lone surrogates (empty: scored)
            if problem is not None:
                raise InputError(problem)
        return _texts_scores(headlines, texts, quotes=True, with_features=features)
    if isinstance(headlines, str):
        raise InputError("explain_many() takes a list of headlines, not one string")
    headlines = texts_list(headlines, "explain_many()", "headlines", none=True)
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
    """Truncate and language-check one input text (:func:`guard_text`, the rule ``framing
    score`` applies too), noting warnings on ``res``."""
    guarded = guard_text(text, what, limit)
    res.truncated = res.truncated or guarded.truncated
    res.language[what] = guarded.language
    res.warnings += guarded.warnings
    return guarded.text


def _explain_all(
    headlines, bodies, model, *, features: bool, sentence_features: bool, all_techniques: bool
) -> list:
    single = len(headlines) == 1
    for i, (h, b) in enumerate(zip(headlines, bodies, strict=True)):
        _check_input(h, "headline" if single else f"headline {i}")
        _check_input(b, "body" if single else f"body {i}")
        problem = text_problems({"headline": h, "body": b})  # framing score's row errors
        if problem is not None:
            raise InputError(problem if single else f"item {i}: {problem}")
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
        _withhold_foreign(res)
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
