"""The head registry: what each head of a model scores, and where the surfaces show it.

Heads are data. Every surface (``explain()``, ``framing explain``, ``framing score``, the
app, the model card) asks :func:`head_roles` which heads a model has and what each one reads,
instead of naming heads in code, so a head a user trains (``framing train --head partisan``)
shows up everywhere with no code change.

A head's ``unit`` (set when it is trained) decides what it reads:

========== =========== ==============================================================
unit       kind        scored on
========== =========== ==============================================================
headline   binary      the headline (``clickbait``)
sentence   binary      the headline, and each body sentence, with an article score
                       (``loaded``)
text       binary      as ``sentence`` (users' heads: trained on whatever texts they had)
sentence   multi-label each body sentence (``technique``)
article    multi-label the article: headline and body together (``frame``)
text       multi-label the article, as ``article`` (users' categorical heads)
========== =========== ==============================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from framing.core.model import Model

__all__ = ["HEADLINE_UNITS", "SENTENCE_UNITS", "HeadRole", "head_roles", "role_of"]

HEADLINE_UNITS = ("headline", "sentence", "text")
SENTENCE_UNITS = ("sentence", "text")
# the shipped heads whose results have named fields in explain()'s output
NAMED_HEADS = ("clickbait", "loaded", "technique", "frame")


@dataclass(frozen=True, slots=True)
class HeadRole:
    """What one head scores, read from the head itself (its ``unit`` and labels)."""

    name: str
    unit: str
    multilabel: bool
    description: str = ""

    @property
    def on_headline(self) -> bool:
        """A binary head scored on the headline."""
        return not self.multilabel and self.unit in HEADLINE_UNITS

    @property
    def on_sentences(self) -> bool:
        """A binary head scored on each body sentence, with an article score."""
        return not self.multilabel and self.unit in SENTENCE_UNITS

    @property
    def labels_per_sentence(self) -> bool:
        """A multi-label head scored on each body sentence (persuasion techniques)."""
        return self.multilabel and self.unit == "sentence"

    @property
    def labels_per_article(self) -> bool:
        """A multi-label head scored on the whole article (frames, users' categories)."""
        return self.multilabel and self.unit != "sentence"

    @property
    def named(self) -> bool:
        """One of the shipped heads, whose results have fields of their own."""
        return self.name in NAMED_HEADS


def role_of(model: Model, name: str) -> HeadRole:
    """The role of the head ``name`` of ``model``."""
    head = model[name]
    return HeadRole(name, head.unit, not head.is_binary, head.description)


def head_roles(model: Model) -> list[HeadRole]:
    """Every head of ``model`` with its role, in the model's order."""
    return [role_of(model, name) for name in model.heads]
