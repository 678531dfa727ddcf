"""What to score and how: the one options object of the batch path, its defaults and checks.

``framing score`` (local and ``--engine dask``), the Dask engine
(:func:`framing.engines.dask_engine.score_dataframe`),
the app and the HTTP API all make a :class:`ScoreOptions`; it checks every value once, with
messages naming the library's parameters (a :class:`~framing.errors.OptionError`, which the
command line turns into its flags' names).
"""

from __future__ import annotations

from dataclasses import dataclass

from framing.errors import OptionError, require_at_least

__all__ = [
    "CHUNK_CHARS",
    "CHUNK_SIZE",
    "MAX_CHARS",
    "ROW_CHARS_PER_MAX_CHARS",
    "ScoreOptions",
]

MAX_CHARS = 100_000  # one headline or body; longer is a row error
CHUNK_SIZE = 2_000  # rows scored at a time, at most
CHUNK_CHARS = 1_000_000  # a chunk ends once its rows hold this many characters
ROW_CHARS_PER_MAX_CHARS = 10  # a row (line, record) of over 10 x max_chars is not read


@dataclass(frozen=True)
class ScoreOptions:
    """What to score and how, checked once when made (an :class:`~framing.errors.OptionError`
    otherwise).

    Attributes:
        headline_col: the headline column (None: no headline).
        body_col: the article body column (None: no body).
        top_k: words reported per head and row (0: none).
        threshold: the label threshold of every head (None: each head's own).
        max_chars: a longer text is a row error.
        frames: add the ``frame`` head's columns (the model must have it).
        techniques: add the ``technique`` head's column (the model must have it).
        all_techniques: with ``techniques``, count every technique, not only the reliable
            ones, and add ``techniques_low_confidence`` (see
            :mod:`framing.explanation.reliability`).
        heads: the binary heads scored (None: every one; see
            :func:`framing.batch.columns.scored_heads`); ``overall_score`` only when every
            head it counts is among them.
        outlet_voice: add each head's ``_outlet_probability`` (quotations left out) and
            ``overall_score`` (made of them); False saves the second pass.
        check_language: judge each text's language (a text judged not English gets no
            label, no overall score and a warning); False labels every text, as
            :func:`framing.score` does.
        chunk_size: rows scored at a time, at most.
        chunk_chars: a chunk ends once its rows hold this many characters (None: no limit).
        workers: processes scoring chunks (the local batch path).
    """

    headline_col: str | None = None
    body_col: str | None = None
    top_k: int = 3
    threshold: float | None = None
    max_chars: int = MAX_CHARS
    frames: bool = False
    techniques: bool = False
    all_techniques: bool = False
    heads: tuple[str, ...] | None = None
    outlet_voice: bool = True
    check_language: bool = True
    chunk_size: int = CHUNK_SIZE
    chunk_chars: int | None = CHUNK_CHARS
    workers: int = 1

    def __post_init__(self) -> None:
        require_at_least("top_k", self.top_k, 0)
        if self.threshold is not None and not 0.0 <= self.threshold <= 1.0:
            raise OptionError("{} must be between 0 and 1", "threshold")
        for name in ("max_chars", "chunk_size", "workers"):
            require_at_least(name, getattr(self, name))
        if self.chunk_chars is not None:
            require_at_least("chunk_chars", self.chunk_chars)
        if self.all_techniques and not self.techniques:
            raise OptionError("{} goes with {}", "all_techniques", "techniques")
        if self.heads is not None:
            if isinstance(self.heads, str) or not all(isinstance(h, str) for h in self.heads):
                raise OptionError("{} must be a list of heads' names", "heads")
            if not self.heads:
                raise OptionError(
                    "{} must name at least one head (leave it out: every head)", "heads"
                )
            object.__setattr__(self, "heads", tuple(dict.fromkeys(self.heads)))

    @property
    def max_row_chars(self) -> int:
        """The longest row (line, record) read: :data:`ROW_CHARS_PER_MAX_CHARS` times
        ``max_chars``."""
        return ROW_CHARS_PER_MAX_CHARS * self.max_chars
