"""Exact explanations: which words drove each score, with character offsets.

Per-word rule (documented, exact): each feature's contribution ``coef * value`` is split over
its occurrences in proportion to their weights, and each occurrence's share is split evenly
over the words (tokens) it covers. So a bigram gives half of its share to each of its two
words, and a character n-gram gives its share to the one word it lies in. Per-word
contributions plus the intercept equal the calibrated logit (to floating-point rounding).

Offsets are into the text the head scored (the headline, or the body for body sentences):
``text[start:end]`` is exactly the word shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .head import Head, sigmoid
from .model import Model


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Term:
    """One word (token form) and its total contribution over its occurrences."""

    term: str
    contribution: float
    spans: list[Span]
    quoted: bool = False


@dataclass(slots=True)
class FeatureTerm:
    """One feature (n-gram, char n-gram, lexicon feature) and its contribution."""

    feature: str
    contribution: float
    spans: list[Span]


@dataclass(slots=True)
class HeadScore:
    head: str
    probability: float
    logit: float
    intercept: float
    threshold: float
    label: bool
    terms: list[Term]  # per word, sorted by |contribution|, largest first
    features: list[FeatureTerm] = field(default_factory=list)

    def top(self, k: int = 3, direction: str = "up") -> list[Term]:
        """The ``k`` strongest terms pushing ``up`` (positive) or ``down`` (negative)."""
        sign = 1 if direction == "up" else -1
        picked = [t for t in self.terms if sign * t.contribution > 0]
        return sorted(picked, key=lambda t: -sign * t.contribution)[:k]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Explanation:
    headline: str | None
    body: str | None
    clickbait: HeadScore | None = None
    loaded_headline: HeadScore | None = None
    sentences: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def explain_text(head: Head, text: str, *, with_features: bool = True) -> HeadScore:
    """Exact per-word and per-feature contributions of a binary head on one text."""
    att = head.attribute(text)
    occ = att.occurrences
    intercept = float(head.intercept[0])
    logit = intercept + float(att.per_token.sum())
    by_form: dict[str, Term] = {}
    for i, form in enumerate(occ.forms):
        c = float(att.per_token[i])
        span = Span(occ.starts[i], occ.ends[i])
        term = by_form.get(form)
        if term is None:
            by_form[form] = Term(form, c, [span])
        else:
            term.contribution += c
            term.spans.append(span)
    terms = sorted(by_form.values(), key=lambda t: -abs(t.contribution))
    features: list[FeatureTerm] = []
    if with_features:
        names = head.space.feature_names()
        spans_of: dict[int, list[Span]] = {}
        for f, lo, hi in zip(att.feature, att.token_lo, att.token_hi, strict=True):
            spans_of.setdefault(int(f), []).append(Span(occ.starts[lo], occ.ends[hi - 1]))
        features = sorted(
            (FeatureTerm(str(names[f]), c, spans_of[f]) for f, c in att.by_feature.items()),
            key=lambda t: -abs(t.contribution),
        )
    prob = float(sigmoid(logit))
    return HeadScore(
        head=head.name,
        probability=prob,
        logit=logit,
        intercept=intercept,
        threshold=head.threshold,
        label=prob >= head.threshold,
        terms=terms,
        features=features,
    )


def explain(
    headline: str | None = None,
    body: str | None = None,
    *,
    model: Model | None = None,
) -> Explanation:
    """Explain a headline and/or an article body with the model's heads."""
    from .scoring import _default_model

    model = model or _default_model()
    result = Explanation(headline=headline, body=body)
    if headline:
        if "clickbait" in model.heads:
            result.clickbait = explain_text(model["clickbait"], headline)
        if "loaded" in model.heads:
            result.loaded_headline = explain_text(model["loaded"], headline)
    return result


def explain_many(head: Head, texts: Sequence[str]) -> list[HeadScore]:
    return [explain_text(head, t, with_features=False) for t in texts]


__all__ = ["Explanation", "FeatureTerm", "HeadScore", "Span", "Term", "explain"]
