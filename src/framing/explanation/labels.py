"""Exact explanations of multi-label heads: for each label, its calibrated probability, its
decision, and the words that drove it, with character offsets.

The arithmetic is the one of :mod:`framing.explanation` (each feature's contribution split over
its occurrences, each occurrence's share split evenly over the words it covers), done once
per text for all labels: the text is analysed once, each occurrence's unit value
(feature value times its share) is computed once, and label ``k``'s contribution of an
occurrence is that unit value times label ``k``'s weight. For every label,
``intercept + sum(term contributions) + rest == logit`` (to floating-point rounding), where
``rest`` is the total of the terms left out of a shortened ``terms`` list (and, in a list of
content words, ``function_words`` the total of the function words left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from framing.core.head import Head, sigmoid
from framing.core.ranking import strongest
from framing.core.tokens import tokenize_batch
from framing.explanation.results import Span, Term, new_span

__all__ = [
    "LabelScore",
    "LabelsExplanation",
    "explain_labels",
    "explain_labels_batch",
]


@dataclass(slots=True)
class LabelScore:
    """One label of a multi-label head on one text."""

    label: str
    probability: float
    logit: float
    intercept: float
    threshold: float
    decision: bool  # probability >= threshold
    terms: list[Term]  # per word, strongest |contribution| first (maybe shortened)
    rest: float = 0.0  # total contribution of the words not listed in ``terms``
    # measured below the precision rule of :mod:`framing.explanation.reliability`: shown only
    # when asked for (``all_techniques=True``), labelled so
    low_confidence: bool = False
    # total contribution of the function words and numbers left out of ``terms`` (only in
    # lists of content words, such as a frame's evidence; 0 otherwise)
    function_words: float = 0.0

    def top(self, k: int = 3, direction: str = "up") -> list[Term]:
        """The ``k`` strongest listed terms pushing ``up`` (positive) or ``down`` (negative)."""
        sign = 1 if direction == "up" else -1
        picked = [t for t in self.terms if sign * t.contribution > 0]
        return sorted(picked, key=lambda t: -sign * t.contribution)[:k]

    def to_dict(self) -> dict:
        """The fields as a dict (what ``dataclasses.asdict`` gives: spans as (start, end)),
        built directly: a long body has tens of thousands of these."""
        return {
            "label": self.label,
            "probability": self.probability,
            "logit": self.logit,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "decision": self.decision,
            "terms": [
                {
                    "term": t.term,
                    "contribution": t.contribution,
                    "spans": list(t.spans),
                    "quoted": t.quoted,
                }
                for t in self.terms
            ],
            "rest": self.rest,
            "low_confidence": self.low_confidence,
            "function_words": self.function_words,
        }


@dataclass(slots=True)
class LabelsExplanation:
    """All labels of a head on one text, most probable first."""

    head: str
    text: str
    labels: list[LabelScore] = field(default_factory=list)

    @property
    def detected(self) -> list[str]:
        return [s.label for s in self.labels if s.decision]

    def __getitem__(self, label: str) -> LabelScore:
        for s in self.labels:
            if s.label == label:
                return s
        raise KeyError(f"no label {label!r}; labels are {[s.label for s in self.labels]}")

    def to_dict(self) -> dict:
        return {
            "head": self.head,
            "detected": self.detected,
            "text": self.text,
            "labels": [s.to_dict() for s in self.labels],
        }


def _words(tb, offset: int):
    """The distinct words of a one-text batch in alphabetical order (ties between equal
    contributions keep that order), each token's word, and a function giving a word's spans
    (built once for every label)."""
    present = np.unique(tb.form_id)
    names = [tb.forms[f] for f in present.tolist()]
    alphabetical = sorted(range(len(present)), key=names.__getitem__)
    rank = np.empty(len(tb.forms), dtype=np.int64)
    rank[present[alphabetical]] = np.arange(len(present))
    unique_forms = [names[i] for i in alphabetical]
    token_form = rank[tb.form_id]
    by_word = np.argsort(token_form, kind="stable")
    word_ptr = np.searchsorted(token_form[by_word], np.arange(len(unique_forms) + 1)).tolist()
    starts = (tb.starts[by_word] + offset).tolist()
    ends = (tb.ends[by_word] + offset).tolist()
    made: dict[int, list[Span]] = {}  # the spans of the words asked for so far

    def spans_of(j: int) -> list[Span]:
        """Word ``j``'s spans (a new list)."""
        spans = made.get(j)
        if spans is None:
            a, b = word_ptr[j], word_ptr[j + 1]
            spans = made[j] = list(map(new_span, zip(starts[a:b], ends[a:b], strict=True)))
        return list(spans)

    return unique_forms, token_form, spans_of


def explain_labels(
    head: Head,
    text: str,
    *,
    top_terms: int | None = 10,
    offset: int = 0,
    with_terms: bool = True,
) -> LabelsExplanation:
    """Every label of ``head`` on ``text``: probability, decision and the words behind it.

    ``top_terms`` keeps the strongest words per label (None keeps all; the rest is summed in
    ``rest``). ``offset`` is added to every span (to point into a longer document that
    ``text`` was cut from). ``with_terms=False`` skips the words (probabilities only).
    """
    if not with_terms:
        thresholds = head.label_thresholds()
        logits = head.logits([text])[0]
        scores = [
            LabelScore(
                lab,
                float(sigmoid(z)),
                float(z),
                float(head.intercept[k]),
                float(thresholds[k]),
                bool(sigmoid(z) >= thresholds[k]),
                [],
                float(z - head.intercept[k]),
            )
            for k, (lab, z) in enumerate(zip(head.labels, logits, strict=True))
        ]
        return LabelsExplanation(head.name, text, sorted(scores, key=lambda s: -s.probability))
    return explain_labels_batch(head, [text], top_terms=top_terms, offsets=[offset])[0]


def explain_labels_batch(
    head: Head,
    texts: Sequence[str],
    *,
    top_terms: int | None = 10,
    offsets: Sequence[int] | None = None,
    content=None,
) -> list[LabelsExplanation]:
    """:func:`explain_labels` (with the words) of each of ``texts``, scored in one batch;
    ``offsets[i]`` is added to the spans of text ``i``; ``content``: see
    :func:`_label_scores`."""
    thresholds = head.label_thresholds()
    tb = tokenize_batch(texts)
    logits, per_token = head.attribute_labels(tb)
    out = []
    for d, text in enumerate(texts):
        a, b = int(tb.ptr[d]), int(tb.ptr[d + 1])
        offset = offsets[d] if offsets is not None else 0
        scores = _label_scores(
            head,
            tb.docs(d, d + 1),
            logits[d],
            per_token[a:b],
            offset,
            top_terms,
            thresholds,
            content,
        )
        out.append(LabelsExplanation(head.name, text, scores))
    return out


def _label_scores(head, tb, logits, per_token, offset, top_terms, thresholds, content=None):
    """Every label's score on one text (a one-text batch and its arrays), most probable
    first. ``content`` (a predicate on a word): only the words it accepts are listed, the
    others summed in ``function_words`` (what :func:`framing.explanation.techniques.
    content_evidence` does to a full list, without building the full list)."""
    unique_forms, token_form, spans_of = _words(tb, offset)
    per_form_all = np.zeros((len(unique_forms), len(head.labels)))
    for k in range(len(head.labels)):
        per_form_all[:, k] = np.bincount(
            token_form, weights=per_token[:, k], minlength=len(unique_forms)
        )
    listed = np.arange(len(unique_forms))
    if content is not None:
        listed = np.flatnonzero([bool(content(f)) for f in unique_forms])
    others = np.setdiff1d(np.arange(len(unique_forms)), listed)
    scores = []
    for k, lab in enumerate(head.labels):
        per_form = per_form_all[listed, k]
        logit = float(logits[k])
        kept = strongest(per_form, top_terms)
        terms = [
            Term(unique_forms[j], v, spans_of(j))
            for j, v in zip(listed[kept].tolist(), per_form[kept].tolist(), strict=True)
        ]
        prob = float(sigmoid(logit))
        score = LabelScore(
            lab,
            prob,
            logit,
            float(head.intercept[k]),
            float(thresholds[k]),
            bool(prob >= thresholds[k]),
            terms,
            float(per_form.sum() - per_form[kept].sum()),
        )
        if content is not None:
            score.function_words = float(per_form_all[others, k].sum())
        scores.append(score)
    return sorted(scores, key=lambda s: -s.probability)
