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
