"""Persuasion techniques per sentence and frames per article, with exact explanations.

``explain_techniques(model, text)`` splits ``text`` into sentences (with
:func:`framing.core.text.split_sentences`, as :func:`framing.explain` does) and runs the
``technique`` head on each; ``explain_frames(model, article)`` runs the ``frame`` head on the whole
article. Both return dataclasses with ``to_dict()``; every span is a character offset into
the text passed in (``text[span.start:span.end]`` is the word shown).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from framing.core.model import Model
from framing.core.text import split_sentences
from framing.errors import InputError
from framing.explanation.labels import LabelScore, explain_labels

__all__ = [
    "FrameExplanation",
    "SentenceTechniques",
    "TechniqueExplanation",
    "explain_frames",
    "explain_techniques",
]


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
        return {"detected": self.detected, **asdict(self)}


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


@dataclass(slots=True)
class FrameExplanation:
    """The ``frame`` head on one article; ``frames`` most probable first."""

    frames: list[LabelScore]

    @property
    def detected(self) -> list[str]:
        return [f.label for f in self.frames if f.decision]

    def profile(self) -> dict[str, float]:
        """Probability of every frame, in the inventory's order of the head."""
        return {f.label: f.probability for f in self.frames}

    def to_dict(self) -> dict:
        return {"detected": self.detected, **asdict(self)}


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
) -> TechniqueExplanation:
    """Techniques per sentence of ``text`` with the words behind each.

    ``top_labels`` keeps the most probable techniques per sentence (plus any detected one
    ranked lower; None keeps all); ``top_terms`` the strongest words per technique;
    ``with_terms=False`` gives probabilities and decisions only (faster).
    """
    head = model["technique"]
    text = _text(text, "text")
    out = TechniqueExplanation()
    for start, end in split_sentences(text):
        sentence = text[start:end]
        result = explain_labels(
            head, sentence, top_terms=top_terms, offset=start, with_terms=with_terms
        )
        labels = result.labels
        if top_labels is not None:
            labels = [s for i, s in enumerate(labels) if i < top_labels or s.decision]
        out.sentences.append(SentenceTechniques(start, end, sentence, labels))
    return out


def explain_frames(
    model: Model, article: str, *, top_terms: int | None = 10, with_terms: bool = True
) -> FrameExplanation:
    """Every frame's probability, decision and the words behind it, for one article."""
    article = _text(article, "article")
    if not article.strip():
        raise InputError("the article is empty; pass its title and body text")
    result = explain_labels(model["frame"], article, top_terms=top_terms, with_terms=with_terms)
    return FrameExplanation(result.labels)
