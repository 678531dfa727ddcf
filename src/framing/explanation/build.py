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
from functools import partial

import numpy as np

from framing.core.head import Head, sigmoid
from framing.core.model import Model, default_model
from framing.core.text import (
    LanguageCheck,
    check_language,
    quote_spans,
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
from framing.explanation.scores import (
    overall_score,
    quoted_tokens,
    score_bodies,
    score_headlines,
)
from framing.explanation.techniques import explain_frames
from framing.explanation.terms import TermTable, head_scores, raw_and_outlet

MAX_HEADLINE_CHARS = 2_000
MAX_BODY_CHARS = 2_000_000


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


def _sentence_source(raw: TermTable, outlet: TermTable, outlet_row: dict, k: int):
    """A function building sentence ``k``'s (raw, outlet-voice) scores when first read."""

    def build() -> tuple:
        return raw.score(k), (outlet.score(outlet_row[k]) if k in outlet_row else None)

    return build


def _fill_bodies(model: Model, results: list, bodies: Sequence[str], features: bool) -> None:
    technique = model.heads.get("technique")
    also = ["technique"] if technique is not None else []
    part = score_bodies(model, bodies, entries=features, also=also)
    tables = {
        name: raw_and_outlet(scored, with_features=features) for name, scored in part.heads.items()
    }
    if technique is not None and part.sentence_tokens is not None:
        decided = sentence_techniques(technique, part.sentence_tokens, via=part.via)
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
            for s in res.sentences:
                s._technique_src = partial(_sentence_labels, technique, res.body)
        for name, scored in part.heads.items():
            result = res.heads.setdefault(name, HeadResult(name, scored.head.unit))
            result.article = part.article(name, b)
            result.article_outlet = part.article(name, b, outlet=True)
        if "loaded" in tables and res.article_outlet is None:
            res.warnings.append("every word of the body is quoted: no outlet-voice article score")


def _sentence_labels(head: Head, body: str, sentence: Sentence) -> list:
    """Every label of a multi-label sentence head on one body sentence (offsets into the body)."""
    text = body[sentence.start : sentence.end]
    return explain_labels(head, text, top_terms=5, offset=sentence.start).labels


def sentence_techniques(head: Head, sentences: TokenBatch, *, via=None) -> np.ndarray:
    """Per sentence of ``sentences``, whether each technique of ``head`` reaches its
    threshold: a boolean array ``(n_sentences, n_labels)`` (``via``: a shared pass over
    ``sentences`` that includes the head, see :mod:`framing.core.shared`)."""
    logits, _ = head.attribute_labels(sentences, via=via)
    return sigmoid(logits) >= head.label_thresholds()


def technique_counts(head: Head, decided: np.ndarray) -> dict[str, int]:
    """Sentences on which each technique was detected, most frequent first (ties by name)."""
    counts = {lab: int(c) for lab, c in zip(head.labels, decided.sum(axis=0), strict=True) if c}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


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


def _setoverall_score(res: Explanation) -> None:
    def p(score):
        return score.probability if score is not None else None

    res.overall = overall_score(
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
    quoted = quoted_tokens(tb, [quote_spans(t) for t in texts] if quotes else [])
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
) -> Explanation:
    """Explain a headline and/or an article body with the model's heads (see module docs).

    ``features`` adds the per-feature lists to the headline scores; ``sentence_features`` to
    each body sentence's scores too (larger output).
    """
    if headline is None and body is None:
        raise InputError("explain() needs a headline, a body or both")
    return _explain_all(
        [headline], [body], model, features=features, sentence_features=sentence_features
    )[0]


def explain_many(
    headlines,
    bodies: Sequence[str | None] | None = None,
    *,
    model: Model | None = None,
    features: bool = False,
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
    return _explain_all(headlines, bodies, model, features=features, sentence_features=False)


def _prepare_text(res: Explanation, text: str, limit: int, what: str) -> str:
    """Truncate and language-check one input text, noting warnings on ``res``."""
    text, cut = _truncate(text, limit, f"the {what}", res.warnings)
    res.truncated = res.truncated or cut
    res.language[what] = check_language(text)
    _language_warning(f"the {what}", res.language[what], res.warnings)
    return text


def _explain_all(headlines, bodies, model, *, features: bool, sentence_features: bool) -> list:
    single = len(headlines) == 1
    for i, (h, b) in enumerate(zip(headlines, bodies, strict=True)):
        _check_input(h, "headline" if single else f"headline {i}")
        _check_input(b, "body" if single else f"body {i}")
    model = _resolve(model)
    with gc_paused():  # many small result objects, none of them in a cycle
        return _explain_checked(headlines, bodies, model, features, sentence_features)


def _explain_checked(headlines, bodies, model, features: bool, sentence_features: bool) -> list:
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
        _fill_bodies(model, with_body, [r.body for r in with_body], sentence_features)
    _fill_article_labels(model, results)
    for res in results:
        _setoverall_score(res)
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
