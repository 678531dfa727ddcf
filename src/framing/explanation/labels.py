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

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from framing.core.head import Head, sigmoid
from framing.core.tokens import tokenize_batch
from framing.explanation.results import Span, Term, new_span

__all__ = [
    "LabelScore",
    "LabelsExplanation",
    "Ranking",
    "explain_labels",
    "explain_labels_batch",
    "labels_of",
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
    only: Collection[str] | None = None,
    content=None,
) -> list[LabelsExplanation]:
    """:func:`explain_labels` (with the words) of each of ``texts``, scored in one batch;
    ``offsets[i]`` is added to the spans of text ``i``; ``only`` (label names) builds just
    those labels (the others are left out of the result); ``content`` (a predicate on a
    word): only the words it accepts are listed, the others summed in ``function_words``
    (a frame's evidence, :func:`framing.explanation.techniques.explain_frames`).

    The words of every text and label are ranked in one pass over the batch's arrays: each
    word's total per label is one ``bincount``, each text's ``top_terms`` strongest words
    per label one stable sort of its rows, and spans are made for the words listed only."""
    tb = tokenize_batch(texts)
    logits, per_token = head.attribute_labels(tb)
    return labels_of(head, texts, tb, logits, per_token, top_terms, offsets, only, content)


def labels_of(
    head, texts, tb, logits, per_token, top_terms, offsets=None, only=None, content=None
) -> list:
    """:func:`explain_labels_batch` from a token batch of ``texts`` and the head's logits and
    per-token contributions on it (:meth:`framing.core.head.Head.attribute_labels`).

    Every text's words are ranked in one pass per label (:class:`Ranking`); only the listed
    words' :class:`Term` objects are made."""
    ranking = Ranking(head, tb, logits, per_token, top_terms, offsets, only, content)
    return [LabelsExplanation(head.name, text, ranking.scores(d)) for d, text in enumerate(texts)]


class Ranking:
    """The labels of a multi-label head on every text of a token batch, ranked in one pass
    per label (:func:`_ranked`): each text's :class:`LabelScore` list (:meth:`scores`) or
    its ``to_dict()`` made without the objects (:meth:`dicts`), most probable first."""

    def __init__(
        self, head, tb, logits, per_token, top_terms, offsets=None, only=None, content=None
    ):
        thresholds = head.label_thresholds()
        top = None if top_terms is None else max(top_terms, 0)
        cols = [k for k, lab in enumerate(head.labels) if only is None or lab in only]
        self.words = words = _Words(tb, offsets)
        n_docs = tb.n_docs
        # per label (row), each word's total contribution; a text's words are contiguous
        totals = np.zeros((len(cols), words.n))
        for r, k in enumerate(cols):
            totals[r] = np.bincount(words.of_token, weights=per_token[:, k], minlength=words.n)
        word_doc = np.repeat(np.arange(n_docs), np.diff(words.ptr))
        listed = np.ones(words.n, dtype=bool)
        if content is not None:
            names = map(words.forms.__getitem__, words.form)
            listed = np.fromiter(map(content, names), bool, words.n)
        self.per_label = [_ranked(row, listed, word_doc, n_docs, top) for row in totals]
        self.logit_rows = logits[:, cols].tolist()
        self.prob_rows = sigmoid(logits[:, cols]).tolist()
        self.content = content is not None
        # per label: its name, intercept and threshold
        self.fixed = [
            (head.labels[k], float(head.intercept[k]), float(thresholds[k])) for k in cols
        ]

    def _rows(self, d: int) -> list[tuple]:
        """Text ``d``'s labels: (label, probability, logit, intercept, threshold, kept words,
        their totals, rest, function words), most probable first."""
        rows = []
        for r, (label, intercept, threshold) in enumerate(self.fixed):
            kept, values, at, rests, others = self.per_label[r]
            a, z = at[d], at[d + 1]
            rows.append(
                (
                    label,
                    self.prob_rows[d][r],
                    self.logit_rows[d][r],
                    intercept,
                    threshold,
                    kept[a:z],
                    values[a:z],
                    rests[d],
                    others[d] if self.content else 0.0,
                )
            )
        rows.sort(key=lambda row: -row[1])
        return rows

    def scores(self, d: int) -> list[LabelScore]:
        """Text ``d``'s :class:`LabelScore` list."""
        term = self.words.term
        return [
            LabelScore(
                label,
                prob,
                logit,
                intercept,
                threshold,
                prob >= threshold,
                list(map(term, kept, values)),
                rest,
                function_words=function_words,
            )
            for label, prob, logit, intercept, threshold, kept, values, rest, function_words in (
                self._rows(d)
            )
        ]

    def dicts(self, d: int) -> list[dict]:
        """``[s.to_dict() for s in self.scores(d)]``, made from the arrays directly."""
        terms = self.words.term_dicts
        return [
            {
                "label": label,
                "probability": prob,
                "logit": logit,
                "intercept": intercept,
                "threshold": threshold,
                "decision": prob >= threshold,
                "terms": terms(kept, values),
                "rest": rest,
                "low_confidence": False,
                "function_words": function_words,
            }
            for label, prob, logit, intercept, threshold, kept, values, rest, function_words in (
                self._rows(d)
            )
        ]


def _ranked(totals: np.ndarray, listed: np.ndarray, word_doc: np.ndarray, n_docs: int, top):
    """One label's words of every text ranked in one pass: the ``top`` (None: all) listed
    words of each text by -|total|, ties in alphabetical order (the words' order within a
    text), as a stable sort of each text's words gives them. Returns the kept words and
    their totals (lists, text by text), each text's slice of them, and per text the total
    of its listed words left out (``rest``) and of the words not listed (``others``)."""
    idx = np.flatnonzero(listed)
    doc = word_doc[idx]
    values = totals[idx]
    order = np.lexsort((idx, -np.abs(values), doc))
    counts = np.bincount(doc, minlength=n_docs)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    keep = order[np.arange(len(order)) - first < top] if top is not None else order
    kept_counts = np.bincount(doc[keep], minlength=n_docs)
    at = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(kept_counts, out=at[1:])
    listed_sum = np.bincount(doc, weights=values, minlength=n_docs)
    kept_sum = np.bincount(doc[keep], weights=values[keep], minlength=n_docs)
    rests = (listed_sum - kept_sum).tolist()
    left = ~listed
    others = np.bincount(word_doc[left], weights=totals[left], minlength=n_docs).tolist()
    return idx[keep].tolist(), values[keep].tolist(), at.tolist(), rests, others


class _Words:
    """The distinct words of every text of a batch, by text then in alphabetical order (ties
    between equal contributions keep that order): ``ptr[d]:ptr[d+1]`` are text ``d``'s,
    ``of_token`` each token's word; :meth:`term` makes a listed word's :class:`Term`."""

    def __init__(self, tb, offsets: Sequence[int] | None):
        present = np.unique(tb.form_id)
        names = [tb.forms[f] for f in present.tolist()]
        alphabetical = present[sorted(range(len(present)), key=names.__getitem__)]
        rank = np.empty(len(tb.forms), dtype=np.int64)
        rank[alphabetical] = np.arange(len(present))
        doc = tb.doc
        width = max(len(present), 1)
        keys, self.of_token = np.unique(doc * width + rank[tb.form_id], return_inverse=True)
        self.n = len(keys)
        self.ptr = np.searchsorted(keys // width, np.arange(tb.n_docs + 1)).tolist()
        self.forms = tb.forms
        self.form = alphabetical[keys % width].tolist()
        by_word = np.argsort(self.of_token, kind="stable")
        self.tok_ptr = np.searchsorted(self.of_token[by_word], np.arange(self.n + 1)).tolist()
        shift = np.zeros(tb.n_docs, dtype=np.int64)
        if offsets is not None:
            shift[:] = offsets
        moved = shift[doc[by_word]]
        self.starts = (tb.starts[by_word] + moved).tolist()
        self.ends = (tb.ends[by_word] + moved).tolist()
        self.spans: dict[int, list[Span]] = {}  # the spans of the words listed so far
        self.pairs: dict[int, list[tuple]] = {}  # and as (start, end) pairs (term_dicts)

    def term(self, j: int, value: float) -> Term:
        """Word ``j`` (of the batch) with its total ``value`` and spans (a new list)."""
        spans = self.spans.get(j)
        if spans is None:
            a, b = self.tok_ptr[j], self.tok_ptr[j + 1]
            pairs = zip(self.starts[a:b], self.ends[a:b], strict=True)
            spans = self.spans[j] = list(map(new_span, pairs))
        return Term(self.forms[self.form[j]], value, list(spans))

    def term_dicts(self, kept: list[int], values: list[float]) -> list[dict]:
        """``[self.term(j, v).to_dict() for j, v in zip(kept, values)]`` as
        :meth:`LabelScore.to_dict` writes them (spans as (start, end) pairs), without the
        objects; a word's pairs are made once (each dict gets a list of its own)."""
        forms, form, pairs = self.forms, self.form, self.pairs
        out = []
        for j, value in zip(kept, values, strict=True):
            spans = pairs.get(j)
            if spans is None:
                a, b = self.tok_ptr[j], self.tok_ptr[j + 1]
                spans = pairs[j] = list(zip(self.starts[a:b], self.ends[a:b], strict=True))
            out.append(
                {"term": forms[form[j]], "contribution": value, "spans": spans[:], "quoted": False}
            )
        return out
