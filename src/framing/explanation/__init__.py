"""Exact explanations of the model's scores: which words drove each one, with offsets.

:func:`explain` (one headline and/or body) and :func:`explain_many` build the result objects
of :mod:`framing.explanation.results` from the engine's arrays; multi-label heads (persuasion
techniques per sentence, frames per article) are explained by :mod:`framing.explanation.labels`
and :mod:`framing.explanation.techniques`; which techniques are shown by default is decided
from the model's manifest by :mod:`framing.explanation.reliability`.
"""

from framing.explanation.build import (
    MAX_BODY_CHARS,
    MAX_HEADLINE_CHARS,
    explain,
    explain_many,
    explain_text,
)
from framing.explanation.labels import LabelScore, LabelsExplanation, explain_labels
from framing.explanation.reliability import LabelReliability, label_reliability
from framing.explanation.results import (
    ArticleScore,
    Explanation,
    FeatureTerm,
    HeadScore,
    Overall,
    Sentence,
    Span,
    Term,
)
from framing.explanation.techniques import (
    FrameExplanation,
    TechniqueExplanation,
    explain_frames,
    explain_techniques,
)

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_HEADLINE_CHARS",
    "ArticleScore",
    "Explanation",
    "FeatureTerm",
    "FrameExplanation",
    "HeadScore",
    "LabelReliability",
    "LabelScore",
    "LabelsExplanation",
    "Overall",
    "Sentence",
    "Span",
    "Term",
    "TechniqueExplanation",
    "explain",
    "explain_frames",
    "explain_labels",
    "explain_many",
    "explain_techniques",
    "explain_text",
    "label_reliability",
]
