"""Persuasion techniques per sentence and frames per article, with exact explanations.

``explain_techniques(model, text)`` splits ``text`` into sentences (with
:func:`framing.core.text.split_sentences`, as :func:`framing.explain` does) and runs the
``technique`` head on each; ``explain_frames(model, article)`` runs the ``frame`` head on the whole
article. Both return dataclasses with ``to_dict()``; every span is a character offset into
the text passed in (``text[span.start:span.end]`` is the word shown).

Only reliable techniques are shown by default (see :mod:`framing.explanation.reliability`):
a technique measured below the precision rule is left out unless ``all_techniques=True``,
and then it is marked ``low_confidence``. :class:`ShownTechniques` applies that rule for
:func:`framing.explain`, ``framing score`` and :func:`explain_techniques` alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from framing.core.head import Head, sigmoid
from framing.core.model import Model
from framing.core.text import split_sentences
from framing.core.tokens import TokenBatch
from framing.core.wordlists import is_content_word
from framing.errors import InputError
from framing.explanation.labels import LabelScore, explain_labels, explain_labels_batch
from framing.explanation.reliability import low_confidence_labels, shown_labels

__all__ = [
    "FRAMES_NEED_TEXT",
    "FrameExplanation",
    "SentenceTechniques",
    "ShownTechniques",
    "TechniqueExplanation",
    "explain_frames",
    "explain_techniques",
    "sentence_techniques",
    "technique_counts",
]


@dataclass(frozen=True, slots=True)
class ShownTechniques:
    """Which techniques of a model's ``technique`` head are shown as detected: by default the
    reliable ones (and unmeasured ones), with ``all_techniques`` every one, the
    low-confidence ones marked.

    ``mask``: per label of the head, shown; ``low_confidence``: the head's labels measured
    below the rule (hidden by default, marked when shown)."""

    mask: np.ndarray
    low_confidence: frozenset[str]
    all_techniques: bool = False

    @classmethod
    def of(cls, model: Model, all_techniques: bool = False) -> ShownTechniques:
        """The rule for ``model`` (which must have a ``technique`` head)."""
        return cls(
            shown_labels(model, "technique", all_labels=all_techniques),
            frozenset(low_confidence_labels(model, "technique")),
            bool(all_techniques),
        )

    @property
    def mode(self) -> str:
        """``"all"`` or ``"reliable"``: what the output holds."""
        return "all" if self.all_techniques else "reliable"

    def decide(self, decided: np.ndarray) -> np.ndarray:
        """Decisions ``(n_sentences, n_labels)`` with the hidden labels cleared."""
        return np.asarray(decided, dtype=bool) & self.mask

    def names(self, head: Head) -> list[str]:
        """The labels of ``head`` that :meth:`keep` can keep (no need to build the others)."""
        return [lab for lab in head.labels if self.all_techniques or lab not in self.low_confidence]

    def keep(self, scores: Sequence[LabelScore]) -> list[LabelScore]:
        """The shown labels' scores, in their order, the low-confidence ones marked."""
        out = []
        for s in scores:
            if s.label in self.low_confidence:
                if not self.all_techniques:
                    continue
                s.low_confidence = True
            out.append(s)
        return out

    def keep_dicts(self, scores: Sequence[dict]) -> list[dict]:
        """:meth:`keep` of the scores' ``to_dict()``."""
        out = []
        for s in scores:
            if s["label"] in self.low_confidence:
                if not self.all_techniques:
                    continue
                s["low_confidence"] = True
            out.append(s)
        return out


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


@dataclass(slots=True)
class SentenceTechniques:
    """The ``technique`` head on one sentence; ``techniques`` most probable first."""

    start: int
    end: int
    text: str
    techniques: list[LabelScore]

    @property
    def detected(self) -> list[str]:
        return [t.label for t in self.techniques if t.decision]

    def to_dict(self) -> dict:
        return {
            "detected": self.detected,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "techniques": [t.to_dict() for t in self.techniques],
        }


@dataclass(slots=True)
class TechniqueExplanation:
    """Techniques of every sentence of a text, and how often each was detected."""

    sentences: list[SentenceTechniques] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of sentences on which each technique was detected, most frequent first."""
        c = Counter(label for s in self.sentences for label in s.detected)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict:
        return {"counts": self.counts(), "sentences": [s.to_dict() for s in self.sentences]}


FRAMES_NEED_TEXT = (
    "frames need the article text: on a headline alone the frame head was measured "
    "unreliable (no frame reached precision 0.5), so none is given; add the body"
)


@dataclass(slots=True)
class FrameExplanation:
    """The ``frame`` head on one article; ``frames`` most probable first, each with its
    content words as evidence (function words and numbers summed in ``function_words``).

    ``note`` says why no frame is given (:data:`FRAMES_NEED_TEXT` for a headline alone:
    then ``frames`` is empty)."""

    frames: list[LabelScore]
    note: str | None = None

    @property
    def detected(self) -> list[str]:
        """The frames shown: at or above their thresholds, with a content word pushing up."""
        return [f.label for f in self.shown]

    @property
    def shown(self) -> list[LabelScore]:
        return [f for f in self.frames if f.decision and f.top(1)]

    def profile(self) -> dict[str, float]:
        """Probability of every frame, in the inventory's order of the head."""
        return {f.label: f.probability for f in self.frames}

    def to_dict(self) -> dict:
        return {
            "detected": self.detected,
            "frames": [f.to_dict() for f in self.frames],
            "note": self.note,
        }


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be a string, got {type(value).__name__}")
    return value


def explain_techniques(
    model: Model,
    text: str,
    *,
    top_labels: int | None = 3,
    top_terms: int | None = 5,
    with_terms: bool = True,
    all_techniques: bool = False,
) -> TechniqueExplanation:
    """Techniques per sentence of ``text`` with the words behind each.

    ``top_labels`` keeps the most probable techniques per sentence (plus any detected one
    ranked lower; None keeps all); ``top_terms`` the strongest words per technique;
    ``with_terms=False`` gives probabilities and decisions only (faster). Only reliable
    techniques are listed unless ``all_techniques`` (then low-confidence ones are marked).
    """
    head = model["technique"]
    shown = ShownTechniques.of(model, all_techniques)
    text = _text(text, "text")
    out = TechniqueExplanation()
    for start, end in split_sentences(text):
        sentence = text[start:end]
        result = explain_labels(
            head, sentence, top_terms=top_terms, offset=start, with_terms=with_terms
        )
        labels = shown.keep(result.labels)
        if top_labels is not None:
            labels = [s for i, s in enumerate(labels) if i < top_labels or s.decision]
        out.sentences.append(SentenceTechniques(start, end, sentence, labels))
    return out


def explain_frames(
    model: Model,
    article: str,
    *,
    top_terms: int | None = 10,
    with_terms: bool = True,
    headline_only: bool = False,
) -> FrameExplanation:
    """Every frame's probability, decision and the content words behind it, for one article
    (``top_terms`` content words per frame; the function words and numbers summed in
    ``function_words``, the content words left out in ``rest``: still exact).

    ``headline_only``: the text is a headline alone, on which frames were measured
    unreliable: no frame is given, only the note :data:`FRAMES_NEED_TEXT`."""
    article = _text(article, "article")
    if not article.strip():
        raise InputError("the article is empty; pass its title and body text")
    if headline_only:
        return FrameExplanation([], FRAMES_NEED_TEXT)
    if not with_terms:
        result = explain_labels(model["frame"], article, with_terms=False)
    else:  # content words listed, function words summed, in one pass
        batch = explain_labels_batch(
            model["frame"], [article], top_terms=top_terms, content=is_content_word
        )
        result = batch[0]
    return FrameExplanation(result.labels)
