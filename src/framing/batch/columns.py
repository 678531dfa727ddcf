"""Which columns of a table hold the text, and which columns scoring adds.

Defaults follow ``framing score``: the headline is ``headline`` or ``title`` and the body
``body`` or ``text`` (any case). The scored columns come from the head registry
(:func:`framing.explanation.heads.head_roles`): every binary head on the headline, the
sentence heads on the body, and the framing heads' columns when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from framing.core import columns as spec
from framing.core.columns import JSON_COLUMNS, TECHNIQUE_AND_FRAME_COLUMNS
from framing.core.model import Model
from framing.errors import InputError
from framing.explanation.heads import head_roles
from framing.explanation.scores import OVERALL_PARTS

__all__ = [
    "BODY_DEFAULTS",
    "HEADLINE_DEFAULTS",
    "JSON_COLUMNS",
    "check_heads",
    "check_new_columns",
    "column_types",
    "columns_for",
    "output_columns",
    "resolve_columns",
    "scored_heads",
]

HEADLINE_DEFAULTS = ("headline", "title")
BODY_DEFAULTS = ("body", "text")


def _find(columns: Sequence[str], wanted: str | None, defaults: Sequence[str]) -> str | None:
    if wanted:
        return wanted if wanted in columns else None
    lower = {c.lower(): c for c in reversed(list(columns))}
    for d in defaults:
        if d in lower:
            return lower[d]
    return None


def resolve_columns(
    columns: Sequence[str],
    headline_col: str | None = None,
    body_col: str | None = None,
    id_col: str | None = None,
) -> tuple[str | None, str | None]:
    """The headline and body columns to score, or an :class:`InputError` naming the columns."""
    shown = ", ".join(repr(c) for c in columns) or "none"
    for flag, wanted in (
        ("--headline-col", headline_col),
        ("--body-col", body_col),
        ("--id-col", id_col),
    ):
        if wanted and wanted not in columns:
            raise InputError(f"no column {wanted!r} ({flag}); the input's columns are: {shown}")
    if headline_col or body_col:
        return (headline_col or None), (body_col or None)
    head = _find(columns, None, HEADLINE_DEFAULTS)
    body = _find(columns, None, BODY_DEFAULTS)
    if head is None and body is None:
        raise InputError(
            f"no text column found (looked for headline/title and body/text); the input's "
            f"columns are: {shown}. Name one with --headline-col or --body-col"
        )
    return head, body


def output_columns(
    model: Model,
    headline_col: str | None,
    body_col: str | None,
    top_k: int,
    *,
    frames: bool = False,
    techniques: bool = False,
    all_techniques: bool = False,
    heads: Sequence[str] | None = None,
    outlet_voice: bool = True,
):
    """The columns scoring adds, in order: per scored head (all, or those of ``heads``) and
    text column its probability, label, top terms (when ``top_k``) and outlet-voice
    probability (when ``outlet_voice``); the overall score (when ``outlet_voice`` and every
    head it counts is scored); the framing heads' columns when asked for (``all_techniques``
    adds ``techniques_low_confidence`` after ``techniques``); ``warnings``; ``error``. An
    :class:`InputError` when ``frames`` / ``techniques`` ask for a head the model lacks, or
    ``heads`` names one it does not score (:func:`check_heads`)."""
    cols: list[str] = []
    for prefix, names in scored_heads(model, headline_col, body_col, heads):
        for h in names:
            cols += spec.head_columns(h, prefix, terms=top_k > 0, outlet=outlet_voice)
    if outlet_voice and overall_counted(model, heads):
        cols.append(spec.OVERALL)
    for wanted, head in ((frames, "frame"), (techniques, "technique")):
        if wanted:
            if head not in model.heads:
                raise InputError(
                    f"this model has no {head!r} head (it has: {', '.join(model.heads)}); "
                    "the shipped model has it; build another model with the framing heads with "
                    "`python training/train_framing.py --out DIR` and pass --model DIR"
                )
            cols += TECHNIQUE_AND_FRAME_COLUMNS[f"{head}s"]
    if techniques and all_techniques:
        cols.append(spec.TECHNIQUES_LOW_CONFIDENCE)
    return cols + [spec.WARNINGS, spec.ERROR]


def columns_for(model: Model, options) -> list[str]:
    """:func:`output_columns` of a :class:`~framing.batch.ScoreOptions` (its text columns
    found): the columns a :class:`~framing.batch.Scorer` with those options adds."""
    return output_columns(
        model,
        options.headline_col,
        options.body_col,
        options.top_k,
        frames=options.frames,
        techniques=options.techniques,
        all_techniques=options.all_techniques,
        heads=options.heads,
        outlet_voice=options.outlet_voice,
    )


def check_heads(model: Model, heads: Sequence[str] | None) -> None:
    """An :class:`InputError` unless every name of ``heads`` (None: every head) is a binary
    head of ``model``, the heads :func:`scored_heads` scores."""
    if heads is None:
        return
    binary = [r.name for r in head_roles(model) if r.on_headline or r.on_sentences]
    unknown = [h for h in heads if h not in binary]
    if unknown:
        raise InputError(
            f"no head {unknown[0]!r} to score among heads ({', '.join(map(repr, binary))} "
            "are; frames and techniques have options of their own)"
        )


def overall_counted(model: Model, heads: Sequence[str] | None) -> bool:
    """Whether the overall score is made with ``heads`` scored (None: every head): every
    head of the model it counts (:data:`framing.explanation.scores.OVERALL_PARTS`) is."""
    return heads is None or all(h in heads for _c, h, _t in OVERALL_PARTS if h in model.heads)


def scored_heads(
    model: Model, headline_col, body_col, heads: Sequence[str] | None = None
) -> list[tuple[str, list[str]]]:
    """The binary heads scored on each text column, as (column prefix, head names): every
    headline head on the headline, every sentence head on the body's sentences (multi-label
    heads have their own columns: see :func:`output_columns`); only those of ``heads``
    when given (:func:`check_heads`)."""
    check_heads(model, heads)
    roles = [r for r in head_roles(model) if heads is None or r.name in heads]
    plan = []
    if headline_col:
        plan.append((spec.HEADLINE_PREFIX, [r.name for r in roles if r.on_headline]))
    if body_col:
        plan.append((spec.BODY_PREFIX, [r.name for r in roles if r.on_sentences]))
    if heads is not None and plan and not any(names for _prefix, names in plan):
        reads = "; ".join(
            f"{r.name} reads {'the headline' if not r.on_sentences else 'the body'}"
            if r.on_headline != r.on_sentences
            else f"{r.name} reads the headline and the body"
            for r in roles
        )
        given = " and ".join(t for t, c in (("headlines", headline_col), ("bodies", body_col)) if c)
        raise InputError(f"heads {list(heads)} score none of the texts given ({given}): {reads}")
    return plan


def column_types(columns: Sequence[str]) -> dict[str, str]:
    """The type of each scored column, for typed outputs (Parquet): ``float64`` for
    probabilities and ``overall_score``, ``int64`` for labels, ``string`` for the rest (terms
    and other JSON text, ``warnings``, ``error``): :func:`framing.core.columns.column_dtype`."""
    return {c: spec.column_dtype(c) for c in columns}


def check_new_columns(input_columns: Sequence[str], out_columns: Sequence[str]) -> None:
    """An :class:`InputError` when the input already has a column scoring would add."""
    clash = [c for c in out_columns if c in input_columns]
    if clash:
        raise InputError(
            f"the input already has output column(s) {clash}; rename or drop them "
            "before scoring (e.g. when re-scoring a scored file)"
        )
