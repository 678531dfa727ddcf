"""The results of :func:`framing.suggest`: replacements, skipped words, scores before and after."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Replacement",
    "SentenceScores",
    "Skipped",
    "Suggestion",
]


# ---- results -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Replacement:
    """One change: ``text[start:end]`` (``original``) became ``replacement``, which is
    ``rewritten[rewritten_start:rewritten_end]``.

    ``alternatives`` are every neutral wording that fits this span, the applied one first
    (``""`` = the span left out). ``term`` is the entry of ``loaded_terms.txt`` (or the
    intensifier) matched, ``source`` is ``"loaded_terms"`` or ``"intensifier"``, and
    ``contribution`` the matched words' contribution to the ``loaded`` logit of their
    sentence before the change.
    """

    start: int
    end: int
    original: str
    replacement: str
    alternatives: tuple[str, ...]
    term: str
    source: str
    contribution: float
    rewritten_start: int = 0
    rewritten_end: int = 0

    def to_dict(self) -> dict:
        """Plain JSON-ready data (offsets into the text and into the rewritten text)."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "alternatives": list(self.alternatives),
            "term": self.term,
            "source": self.source,
            "contribution": self.contribution,
            "rewritten_start": self.rewritten_start,
            "rewritten_end": self.rewritten_end,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A loaded word (positive contribution) left as it is, and why (``reason``)."""

    start: int
    end: int
    original: str
    term: str
    contribution: float
    reason: str
    alternatives: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "term": self.term,
            "contribution": self.contribution,
            "reason": self.reason,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True, slots=True)
class SentenceScores:
    """A body sentence, ``text[start:end]`` before and ``rewritten[rewritten_start:
    rewritten_end]`` after, with its ``loaded`` probability before and after."""

    start: int
    end: int
    rewritten_start: int
    rewritten_end: int
    before: float
    after: float
    changed: bool

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {
            "start": self.start,
            "end": self.end,
            "rewritten_start": self.rewritten_start,
            "rewritten_end": self.rewritten_end,
            "before": {"loaded": self.before},
            "after": {"loaded": self.after},
            "changed": self.changed,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The result of :func:`suggest` (see the module docs for every rule).

    Attributes:
        text: the text given.
        rewritten: the text with every replacement applied.
        kind: ``"headline"`` (one sentence) or ``"body"``.
        before, after: each head's probability of ``text`` and of ``rewritten``.
        replacements: what was replaced, with offsets into ``text`` and ``rewritten``.
        skipped: loaded words left as they are, with the reason.
        sentences: for a body, each sentence's scores before and after.
        warnings: what the reader should know (the text was cut to its length limit).
    """

    text: str
    rewritten: str
    kind: str  # "headline" or "body"
    before: dict[str, float]
    after: dict[str, float]
    replacements: tuple[Replacement, ...]
    skipped: tuple[Skipped, ...] = ()
    sentences: tuple[SentenceScores, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether any replacement was applied."""
        return bool(self.replacements)

    def to_dict(self) -> dict:
        """``{"text", "rewritten", "before", "after", "replacements", ...}``: plain JSON-ready
        data, the same that ``framing suggest --json`` prints: besides the text, its rewording,
        the scores and the replacements, ``kind``, ``skipped`` and (for a body) ``sentences``."""
        return {
            "text": self.text,
            "rewritten": self.rewritten,
            "kind": self.kind,
            "before": dict(self.before),
            "after": dict(self.after),
            "replacements": [r.to_dict() for r in self.replacements],
            "skipped": [s.to_dict() for s in self.skipped],
            "sentences": [s.to_dict() for s in self.sentences],
            "warnings": list(self.warnings),
        }
