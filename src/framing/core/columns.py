"""The column specification: the one owner of the score columns' names and types.

A scored head gives, per text it is scored on, four columns named
``{prefix}{head}{suffix}``: the prefix is ``""`` on the headline and ``"body_"`` on the
article body, the suffix the column's kind:

=========================  ======================  =======  =====
kind                       suffix                  dtype    JSON
=========================  ======================  =======  =====
``probability``            ``_probability``        float64  no
``label``                  ``_label``              int64    no
``terms``                  ``_terms``              string   yes
``outlet_probability``     ``_outlet_probability`` float64  no
=========================  ======================  =======  =====

Besides them: ``overall_score`` (float64), the technique and frame heads' columns (JSON
text but ``frame_top``), ``warnings`` (JSON) and ``error``. Every writer, reader, the Dask
engine, the table view, the app and the head-name check build and parse names here
(:func:`column_name`, :func:`parse_column`); ``tests/shipping/test_architecture.py`` fails on
a suffix written anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BODY_PREFIX",
    "ERROR",
    "TECHNIQUE_AND_FRAME_COLUMNS",
    "HEADLINE_PREFIX",
    "JSON_COLUMNS",
    "KINDS",
    "OVERALL",
    "TECHNIQUES_LOW_CONFIDENCE",
    "WARNINGS",
    "ScoreColumn",
    "column_dtype",
    "column_name",
    "head_columns",
    "headline_heads",
    "is_json",
    "name_collides",
    "parse_column",
    "score_title",
]

HEADLINE_PREFIX = ""
BODY_PREFIX = "body_"
# kind -> (suffix, dtype, JSON text); the longest suffix first, so parsing finds it first
KINDS = {
    "outlet_probability": ("_outlet_probability", "float64", False),
    "probability": ("_probability", "float64", False),
    "label": ("_label", "int64", False),
    "terms": ("_terms", "string", True),
}
ORDER = ("probability", "label", "terms", "outlet_probability")  # a head's columns, in order
OVERALL = "overall_score"
WARNINGS = "warnings"
ERROR = "error"
TECHNIQUES_LOW_CONFIDENCE = "techniques_low_confidence"
# the technique and frame heads' columns, by option
TECHNIQUE_AND_FRAME_COLUMNS = {"frames": ("frame_top", "frames"), "techniques": ("techniques",)}
# columns holding JSON text (besides the ``terms`` ones)
JSON_COLUMNS = ("frames", "techniques", TECHNIQUES_LOW_CONFIDENCE, WARNINGS)


@dataclass(frozen=True)
class ScoreColumn:
    """One head's score column.

    Attributes:
        head: the head's name.
        prefix: ``""`` (headline) or ``"body_"`` (article body).
        kind: one of :data:`KINDS`.
    """

    head: str
    prefix: str
    kind: str

    @property
    def name(self) -> str:
        """The column's name."""
        return f"{self.prefix}{self.head}{KINDS[self.kind][0]}"

    @property
    def dtype(self) -> str:
        """``float64``, ``int64`` or ``string``."""
        return KINDS[self.kind][1]

    @property
    def json(self) -> bool:
        """Whether the column holds JSON text."""
        return KINDS[self.kind][2]


def column_name(head: str, kind: str, prefix: str = HEADLINE_PREFIX) -> str:
    """The name of head ``head``'s ``kind`` column on the text of ``prefix``."""
    return ScoreColumn(head, prefix, kind).name


def head_columns(head: str, prefix: str, *, terms: bool, outlet: bool = True) -> list[str]:
    """A scored head's columns, in order (without ``terms`` when no words are reported,
    without ``outlet_probability`` when the outlet voice is not scored)."""
    left_out = {k for k, wanted in (("terms", terms), ("outlet_probability", outlet)) if not wanted}
    return [column_name(head, k, prefix) for k in ORDER if k not in left_out]


def parse_column(name: str) -> ScoreColumn | None:
    """The head, prefix and kind of a head's score column; None for any other column."""
    for kind, (suffix, _dtype, _json) in KINDS.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            prefix = BODY_PREFIX if stem.startswith(BODY_PREFIX) else HEADLINE_PREFIX
            return ScoreColumn(stem[len(prefix) :], prefix, kind)
    return None


def column_dtype(name: str) -> str:
    """The type of a scored column for typed outputs: ``float64`` for probabilities and
    ``overall_score``, ``int64`` for labels, ``string`` for the rest (terms and other JSON
    text, ``warnings``, ``error``)."""
    if name == OVERALL:
        return "float64"
    column = parse_column(name)
    return column.dtype if column is not None else "string"


def is_json(name: str, *, terms_only: bool = False) -> bool:
    """Whether a scored column holds JSON text (``terms_only``: the ``terms`` columns only)."""
    column = parse_column(name)
    if column is not None:
        return column.json
    return not terms_only and name in JSON_COLUMNS


def headline_heads(columns: Sequence[str]) -> list[str]:
    """The heads scored on the headline, in the order of their probability columns."""
    parsed = [parse_column(c) for c in columns]
    return [
        c.head
        for c in parsed
        if c is not None and c.kind == "probability" and c.prefix == HEADLINE_PREFIX
    ]


def score_title(name: str) -> str:
    """A probability column's name as words (``body_loaded_probability``: ``body loaded``);
    other columns' names with spaces."""
    column = parse_column(name)
    if column is not None and column.kind in ("probability", "outlet_probability"):
        name = name[: -len(KINDS["probability"][0])]
    return name.replace("_", " ")


def name_collides(head: str) -> bool:
    """Whether head ``head``'s columns would read as another head's (``body_x`` is ``x`` on
    the body; ``x_outlet`` gives ``x_outlet_probability``, ``x`` in outlet voice)."""
    return any(
        parse_column(column_name(head, kind)) != ScoreColumn(head, HEADLINE_PREFIX, kind)
        for kind in KINDS
    )
