"""The request shapes of the API (pydantic models, strict: a number is not a string, and
unknown keys are refused so that a misspelt field is not silently ignored)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ExplainRequest", "Item", "ScoreRequest", "SuggestRequest"]

_STRICT = ConfigDict(extra="forbid", strict=True)


class Item(BaseModel):
    """One text to score: a headline and/or a body (at least one non-empty)."""

    model_config = _STRICT
    id: str | int | None = Field(None, description="returned as it is, to match rows")
    headline: str | None = None
    body: str | None = None


class ScoreRequest(BaseModel):
    """``POST /v1/score``: the options of ``framing score`` and the items."""

    model_config = _STRICT
    items: list[Item] = Field(description="the texts; one output row each, in order")
    top_k: int = Field(3, ge=0, le=100, description="words reported per head and row")
    threshold: float | None = Field(None, ge=0.0, le=1.0, description="default: each head's")
    frames: bool = False
    techniques: bool = False
    all_techniques: bool = False
    heads: list[str] | None = Field(
        None,
        min_length=1,
        description=(
            'the binary heads to score, e.g. ["clickbait"] (default: every one); the work '
            "and the columns of the others are left out, and overall_score unless every head "
            "it counts is scored"
        ),
        examples=[["clickbait"]],
    )
    outlet_voice: bool = Field(
        True,
        description=(
            "score each head again with quotations left out: the _outlet_probability "
            "columns and overall_score (false leaves them out, and the work)"
        ),
    )
    check_language: bool = Field(
        True,
        description=(
            "judge each text's language: one judged not English gets no label and a "
            "warning (false labels every text, as framing.score() does)"
        ),
    )


class ExplainRequest(BaseModel):
    """``POST /v1/explain``: the arguments of :func:`framing.explain`."""

    model_config = _STRICT
    headline: str | None = None
    body: str | None = None
    features: bool = True
    sentence_features: bool = False
    all_techniques: bool = False


class SuggestRequest(BaseModel):
    """``POST /v1/suggest``: the arguments of :func:`framing.suggest`."""

    model_config = _STRICT
    text: str
    kind: Literal["auto", "headline", "body"] = "auto"
