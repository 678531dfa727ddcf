"""The results of :func:`framing.explain`: plain data (spans, terms, head scores, sentences,
article and overall scores, the explanation), each with ``to_dict()``.

Nothing here computes a score; :mod:`framing.explanation.build` fills these objects from the
engine's arrays. A body sentence's term lists are built the first time they are read, from
the arrays it was given.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from framing.core.boilerplate import blank
from framing.core.language import LanguageCheck
from framing.explanation.heads import NAMED_HEADS

__all__ = [
    "ArticleScore",
    "Explanation",
    "FeatureTerm",
    "HeadResult",
    "HeadScore",
    "Overall",
    "Sentence",
    "Span",
    "Term",
]


# ---- the result ---------------------------------------------------------------------------
class Span(NamedTuple):
    """Character offsets: ``text[start:end]`` is the word (or n-gram) shown."""

    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


# heads whose results have fields of their own in explain()'s JSON
_NAMED = NAMED_HEADS


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building many small acyclic objects (it
    would otherwise rescan them again and again); its previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


new_span = partial(tuple.__new__, Span)  # Span((start, end)) without a Python-level call


@dataclass(slots=True)
class Term:
    """One word (token form), quoted or not, and its total contribution over its occurrences.

    ``probability``: the word's own loaded probability (the largest over its occurrences),
    from a head made of word evidence (:mod:`framing.core.wordhead`); None for other heads.
    """

    term: str
    contribution: float
    spans: list[Span]
    quoted: bool = False
    probability: float | None = None

    def to_dict(self) -> dict:
        out = {
            "term": self.term,
            "contribution": self.contribution,
            "spans": [{"start": a, "end": b} for a, b in self.spans],
            "quoted": self.quoted,
        }
        if self.probability is not None:  # a head made of word evidence (the key is added)
            out["probability"] = self.probability
        return out


@dataclass(slots=True)
class FeatureTerm:
    """One feature (n-gram, char n-gram, lexicon feature) and its contribution."""

    feature: str
    contribution: float
    spans: list[Span]

    def to_dict(self) -> dict:
        return {
            "feature": self.feature,
            "contribution": self.contribution,
            "spans": [{"start": a, "end": b} for a, b in self.spans],
        }


@dataclass(slots=True)
class HeadScore:
    """One head's score of one text: probability, logit, intercept, threshold, label and terms.

    ``sum(t.contribution for t in terms) + intercept == logit`` (exactly, up to float
    rounding); ``features`` lists the individual features when they were asked for.
    """

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
        return {
            "head": self.head,
            "probability": self.probability,
            "logit": self.logit,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "label": self.label,
            "terms": [t.to_dict() for t in self.terms],
            "features": [f.to_dict() for f in self.features],
        }


@dataclass(slots=True, eq=False)
class Sentence:
    """One body sentence: ``body[start:end]``, its paragraph, and the scores of every sentence
    head (``loaded``, and any head of unit ``sentence`` or ``text``).

    The scores are computed with the whole body; their term lists are built the first time
    they are read (``loaded``, ``loaded_outlet``, :meth:`score`), so a long body's sentences
    cost little until then."""

    index: int
    start: int
    end: int
    paragraph: int
    quoted: bool  # some of its words are inside a quotation
    # per head: a function building (raw score, outlet-voice score or None) when first read
    _sources: dict[str, Callable[[], tuple]] = field(default_factory=dict, repr=False)
    _scores: dict[str, tuple] = field(default_factory=dict, repr=False)
    # with a ``technique`` head: a function of the sentence giving its label scores
    _technique_src: Callable[[Sentence], list] | None = field(default=None, repr=False)
    _techniques: list | None = field(default=None, repr=False)

    @property
    def heads(self) -> list[str]:
        """The sentence heads that scored this sentence."""
        return list(self._sources)

    def _pair(self, head: str) -> tuple:
        pair = self._scores.get(head)
        if pair is None:
            pair = self._scores[head] = self._sources[head]()
        return pair

    def probability(self, head: str = "loaded") -> float:
        """The raw score's probability, without building its term lists."""
        source = self._sources[head]
        if head in self._scores or not hasattr(source, "probability"):
            return self._pair(head)[0].probability
        return source.probability()

    def score(self, head: str = "loaded", outlet: bool = False) -> HeadScore | None:
        """The raw score of ``head`` (every word, quoted or not), or with ``outlet=True`` its
        outlet-voice score (``None`` when nothing in the sentence is quoted)."""
        return self._pair(head)[1 if outlet else 0]

    @property
    def techniques(self) -> list | None:
        """With a ``technique`` head: every technique's
        :class:`framing.explanation.labels.LabelScore` on this sentence, most probable first,
        with the words behind it (offsets into the body); ``None`` when the model has no such
        head."""
        if self._technique_src is None:
            return None
        if self._techniques is None:
            self._techniques = self._technique_src(self)
        return self._techniques

    @property
    def detected_techniques(self) -> list[str]:
        """The techniques whose probability reaches their threshold on this sentence."""
        return [t.label for t in self.techniques or () if t.decision]

    @property
    def loaded(self) -> HeadScore:
        """The raw ``loaded`` score: every word of the sentence, quoted or not."""
        return self.score("loaded")

    @property
    def loaded_outlet(self) -> HeadScore | None:
        """Only when ``quoted``: the ``loaded`` score without the quoted words (else ``None``)."""
        return self.score("loaded", outlet=True)

    @property
    def outlet(self) -> HeadScore:
        """The outlet-voice ``loaded`` score (the raw score when nothing is quoted)."""
        return self.loaded_outlet or self.loaded

    def __getitem__(self, key: str):
        return getattr(self, key)

    def _dicts(self, head: str) -> tuple:
        """The ``to_dict()`` of the raw and outlet-voice scores of ``head`` (None for no
        outlet-voice score), made by the source without the objects when not built yet."""
        source = self._sources[head]
        if head not in self._scores and hasattr(source, "dicts"):
            return source.dicts()
        raw, outlet = self._pair(head)
        return raw.to_dict(), _opt(outlet)

    def _technique_dicts(self) -> list[dict] | None:
        """The ``to_dict()`` of :attr:`techniques`, made by the source without the objects
        when not built yet."""
        source = self._technique_src
        if source is None:
            return None
        if self._techniques is None and hasattr(source, "dicts"):
            return source.dicts(self)
        return [t.to_dict() for t in self.techniques]

    def to_dict(self) -> dict:
        loaded, outlet = self._dicts("loaded") if "loaded" in self._sources else (None, None)
        other = {}
        for name in self._sources:
            if name != "loaded":
                score, out = self._dicts(name)
                other[name] = {"score": score, "outlet": out}
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "quoted": self.quoted,
            "loaded": loaded,
            "loaded_outlet": outlet,
            "techniques": self._technique_dicts(),
            "other_heads": other,
        }


def _opt(x) -> dict | None:
    return x.to_dict() if x is not None else None


@dataclass(slots=True)
class ArticleScore:
    """Article-level ``loaded`` score: mean probability of the top ``top_k`` sentences."""

    probability: float
    label: bool
    threshold: float
    top_k: int
    max_probability: float
    share_above_threshold: float
    n_sentences: int
    ranking: list[int]  # sentence indices, most loaded (highest logit) first

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class Overall:
    """Mean of the outlet-voice probabilities in ``components`` (for sorting, not a verdict)."""

    score: float
    components: dict[str, float]

    def to_dict(self) -> dict:
        return {"score": self.score, "components": dict(self.components)}


@dataclass(slots=True)
class HeadResult:
    """One head's results on an explained item: on the headline (raw and outlet voice), the
    article score over the body's sentences (raw and outlet voice), and for a multi-label
    head read on the whole article, its labels."""

    head: str
    unit: str
    headline: HeadScore | None = None
    headline_outlet: HeadScore | None = None
    article: ArticleScore | None = None
    article_outlet: ArticleScore | None = None
    labels: list | None = None  # framing.explanation.labels.LabelScore, most probable first

    def to_dict(self) -> dict:
        return {
            "head": self.head,
            "unit": self.unit,
            "headline": _opt(self.headline),
            "headline_outlet": _opt(self.headline_outlet),
            "article": _opt(self.article),
            "article_outlet": _opt(self.article_outlet),
            "labels": [x.to_dict() for x in self.labels] if self.labels is not None else None,
        }


@dataclass(slots=True)
class Explanation:
    """Everything :func:`framing.explain` found on one headline and/or body.

    ``heads`` holds every head's :class:`HeadResult` (a user's heads too); the shipped heads
    are also reachable by name: ``clickbait``, ``loaded_headline``, ``article`` and their
    outlet-voice twins, ``techniques`` and ``frames``."""

    headline: str | None
    body: str | None
    heads: dict[str, HeadResult] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    overall: Overall | None = None
    paragraphs: list[Span] = field(default_factory=list)
    headline_quotes: list[Span] = field(default_factory=list)
    body_quotes: list[Span] = field(default_factory=list)
    # boilerplate of the body (teaser, link, sign-up and cookie lines) left out of the
    # sentences and the article score (framing.core.boilerplate); offsets into the body
    skipped: list[Span] = field(default_factory=list)
    language: dict[str, LanguageCheck] = field(default_factory=dict)
    truncated: bool = False
    # with a ``technique`` head: sentences of the body on which each shown technique was
    # detected; ``technique_mode`` says which are shown ("reliable" by default, or "all") and
    # ``low_confidence_techniques`` names the head's techniques measured below the precision
    # rule (hidden in "reliable" mode, marked in "all" mode)
    techniques: dict[str, int] | None = None
    technique_mode: str | None = None
    low_confidence_techniques: list[str] | None = None
    # with a ``frame`` head: framing.explanation.techniques.FrameExplanation
    frames: object | None = None

    def result(self, head: str) -> HeadResult:
        """The :class:`HeadResult` of ``head`` (empty when the head did not score this item)."""
        return self.heads.get(head) or HeadResult(head, "")

    @property
    def clickbait(self) -> HeadScore | None:
        return self.result("clickbait").headline

    @property
    def clickbait_outlet(self) -> HeadScore | None:
        return self.result("clickbait").headline_outlet

    @property
    def loaded_headline(self) -> HeadScore | None:
        return self.result("loaded").headline

    @property
    def loaded_headline_outlet(self) -> HeadScore | None:
        return self.result("loaded").headline_outlet

    @property
    def article(self) -> ArticleScore | None:
        """The ``loaded`` article score of the body."""
        return self.result("loaded").article

    @property
    def article_outlet(self) -> ArticleScore | None:
        return self.result("loaded").article_outlet

    @property
    def article_text(self) -> str:
        """The text the ``frame`` head reads (frame term offsets point into it): the headline
        and the body, separated by a blank line, as the articles it was trained on."""
        return "\n\n".join(t for t in (self.headline, self.body) if t)

    @property
    def frame_text(self) -> str:
        """:attr:`article_text` with the body's boilerplate (:attr:`skipped`) blanked: what
        the ``frame`` head reads, so a teaser or a cookie line adds no frame; the offsets are
        those of :attr:`article_text`."""
        body = blank(self.body, [(k.start, k.end) for k in self.skipped]) if self.body else ""
        return "\n\n".join(t for t in (self.headline, body) if t)

    @property
    def not_scored(self) -> str | None:
        """Why the item has no labels and no overall score ("language fr": a text judged
        not English), or None."""
        found = [c.language for c in self.language.values() if c.english is False]
        return f"language {found[0]}" if found else None

    def ranked_sentences(self) -> list[Sentence]:
        """The body's sentences, most loaded first."""
        return [self.sentences[i] for i in self.article.ranking] if self.article else []

    def to_dict(self) -> dict:
        with gc_paused():  # hundreds of thousands of small objects for a long body
            return self._to_dict()

    def _to_dict(self) -> dict:
        def opt(x):
            return x.to_dict() if x is not None else None

        return {
            "headline": self.headline,
            "body": self.body,
            "clickbait": opt(self.clickbait),
            "loaded_headline": opt(self.loaded_headline),
            "clickbait_outlet": opt(self.clickbait_outlet),
            "loaded_headline_outlet": opt(self.loaded_headline_outlet),
            "article": opt(self.article),
            "article_outlet": opt(self.article_outlet),
            "overall": opt(self.overall),
            "sentences": [s.to_dict() for s in self.sentences],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "headline_quotes": [q.to_dict() for q in self.headline_quotes],
            "body_quotes": [q.to_dict() for q in self.body_quotes],
            **({"skipped": [k.to_dict() for k in self.skipped]} if self.skipped else {}),
            "language": {
                k: {f: getattr(v, f) for f in v.__slots__} for k, v in self.language.items()
            },
            "truncated": self.truncated,
            "not_scored": self.not_scored,
            "techniques": dict(self.techniques) if self.techniques is not None else None,
            **self._technique_reliability(),
            "frames": self.frames.to_dict() if self.frames is not None else None,
            "other_heads": {n: r.to_dict() for n, r in self.heads.items() if n not in _NAMED},
            "warnings": list(self.warnings),
        }

    def _technique_reliability(self) -> dict:
        """Which techniques the output holds; only with a ``technique`` head (the JSON of a
        model without one is unchanged)."""
        if self.technique_mode is None:
            return {}
        return {
            "technique_mode": self.technique_mode,
            "low_confidence_techniques": list(self.low_confidence_techniques or ()),
        }
