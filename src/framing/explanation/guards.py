"""The limits and checks applied to each text before it is scored: one rule for
:func:`framing.explain` and ``framing score``.

* A headline longer than :data:`MAX_HEADLINE_CHARS` and a body longer than
  :data:`MAX_BODY_CHARS` are cut at the last space before the limit (within its last 1,000
  characters; else at the limit), with a warning; offsets into the cut text are offsets into
  the original.
* Text that framing.core.language.check_language judges not English gets no label and no
  overall score: its warning says "not scored: language fr" (the model was trained on
  English; its probabilities are kept for those who want them).
* Text that cannot be scored is refused (:func:`text_problems`): nothing but white space in
  every text given (``framing score``'s "empty text" row error), or text that is not valid
  Unicode (a lone surrogate, :func:`framing.strict.text_problem`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from framing import strict
from framing.core.language import LanguageCheck, check_languages

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_HEADLINE_CHARS",
    "NOT_CHECKED",
    "Guarded",
    "cut_point",
    "guard_text",
    "guard_texts",
    "language_warning",
    "text_problems",
    "truncate",
]

MAX_HEADLINE_CHARS = 2_000
MAX_BODY_CHARS = 2_000_000


@dataclass(slots=True)
class Guarded:
    """A text as it is scored: cut to its limit, its language check, and the warnings."""

    text: str
    truncated: bool
    language: LanguageCheck
    warnings: list[str] = field(default_factory=list)


def cut_point(text: str, limit: int) -> int:
    """Where a text over ``limit`` characters is cut: at the last space before the limit
    (within its last 1,000 characters), else at the limit."""
    cut = text.rfind(" ", max(0, limit - 1000), limit)
    return cut if cut > 0 else limit


def truncate(text: str, limit: int, what: str, warnings: list[str]) -> tuple[str, bool]:
    """``text`` cut at the last space before ``limit`` (a warning naming ``what`` appended to
    ``warnings``), and whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = cut_point(text, limit)
    warnings.append(
        f"{what} has {len(text):,} characters, over the limit of {limit:,}: only its first "
        f"{cut:,} characters were explained"
    )
    return text[:cut], True


def language_warning(what: str, check: LanguageCheck, warnings: list[str]) -> None:
    """Append the warning for text judged not English (nothing otherwise)."""
    if check.english is False:
        warnings.append(
            f"not scored: language {check.language} ({what}: {check.reason}); the model was "
            "trained on English text, so it gives no label and no overall score here"
        )


def text_problems(texts: dict[str, str | None]) -> str | None:
    """Why the texts of one item (name -> text, None: not given) cannot be scored, or None:
    every text given is empty or white space (``"empty text ..."``, the row error of
    ``framing score``), or one is not valid Unicode."""
    given = {name: t for name, t in texts.items() if t is not None}
    for name, text in given.items():
        problem = strict.text_problem(text)
        if problem is not None:
            return f"the {name} is {problem}"
    if given and not any(t.strip() for t in given.values()):
        names = " or ".join(f"the {name}" for name in given)
        return f"empty text (nothing in {names}): nothing to score"
    return None


def guard_text(text: str, kind: str, limit: int | None = None) -> Guarded:
    """``text`` (a ``"headline"`` or a ``"body"``) cut to its limit and language-checked.

    ``limit`` defaults to :data:`MAX_HEADLINE_CHARS` or :data:`MAX_BODY_CHARS`.
    """
    return guard_texts([text], kind, limit)[0]


# the language check of a text whose language was not asked about (``languages=False``)
NOT_CHECKED = LanguageCheck(None, None, 0.0, 0, 0, 0, None, "language not checked")


def guard_texts(
    texts: Sequence[str], kind: str, limit: int | None = None, *, languages: bool = True
) -> list[Guarded]:
    """:func:`guard_text` of each of ``texts`` (the language checks made together, see
    :func:`framing.core.language.check_languages`; none without ``languages``: every
    text's check is :data:`NOT_CHECKED`)."""
    if limit is None:
        limit = MAX_HEADLINE_CHARS if kind == "headline" else MAX_BODY_CHARS
    what = f"the {kind}"
    cut = [
        truncate(text, limit, what, warnings := []) + (warnings,)
        if len(text) > limit
        else (text, False, [])
        for text in texts
    ]
    texts = [text for text, _, _ in cut]
    checks = check_languages(texts) if languages else [NOT_CHECKED] * len(texts)
    out = []
    for (text, was_cut, warnings), check in zip(cut, checks, strict=True):
        if check.english is False:
            language_warning(what, check, warnings)
        out.append(Guarded(text, was_cut, check, warnings))
    return out
