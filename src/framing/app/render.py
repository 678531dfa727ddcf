"""Rendering explanations for people: escaped HTML highlighting, labels, chart rows.

Pure functions over the results of :func:`framing.explain` and :func:`framing.suggest` (no
model, no Streamlit), used by the app's pages and testable on their own.

Every piece of user text goes through :func:`html.escape`, including the text *between*
highlighted words, so a headline such as ``<script>alert(1)</script>`` is shown as those
characters and runs nothing. The only markup in the output is the project's own ``<mark>``
and ``<span>`` tags with fixed class names and numeric styles. Text that Streamlit renders
as Markdown (``st.error``, ``st.warning``, ``st.info``, headers) gets names from the user or
the model (file, column, group and head names, error messages, searches) through
:func:`as_text`, so ``[click](http://evil.example)`` or an image is shown as those
characters and links nowhere.
"""

from __future__ import annotations

import html
import re
import string
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

UP_RGB = (214, 39, 40)  # pushes the score up: red
DOWN_RGB = (31, 119, 180)  # pushes the score down: blue
# One fixed scale of contribution (in logits) for every text: level k (1-5) for
# |contribution| from STEPS[k - 2] (0 for level 1) up to STEPS[k - 1], each level one opacity.
# The same contribution gets the same colour in every text, whatever else the text holds.
STEPS = (0.25, 0.5, 1.0, 2.0)
ALPHAS = (0.12, 0.28, 0.45, 0.65, 0.85)

CSS = """
<style>
.fr-text { line-height: 1.9; white-space: pre-wrap; font-size: 1.05rem; }
.fr-term { border-radius: 3px; padding: 0 1px; color: inherit; }
.fr-quoted { border-bottom: 2px dashed #6b6b6b; font-style: italic; }
.fr-legend span { margin-right: 1em; padding: 0 4px; border-radius: 3px; }
.fr-label { font-size: 0.75rem; margin: 0 4px; padding: 0 4px; border: 1px solid #888;
  border-radius: 8px; color: #444; white-space: nowrap; }
.fr-old { background-color: rgba(214, 39, 40, 0.18); text-decoration: line-through; }
.fr-new { background-color: rgba(44, 160, 44, 0.22); text-decoration: none;
  border-bottom: 2px solid #2ca02c; }
</style>
"""


# C0 and C1 control characters, DEL, and the characters that reorder or hide text
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# every ASCII punctuation character: CommonMark shows any of them backslash-escaped as itself
_MARKDOWN_RE = re.compile(f"([{re.escape(string.punctuation)}])")


def _control(match: re.Match) -> str:
    ch = match.group()
    shown = repr(ch)[1:-1]
    return shown if shown != ch else f"\\u{ord(ch):04x}"


def as_text(value) -> str:
    """``value`` (any object, as ``str``) to put into Markdown and be shown as those
    characters: control characters written as escapes (``\\n``, ``\\x1b``, ``\\u202e``),
    then every ASCII punctuation character backslash-escaped, so no link, image, emphasis,
    heading, HTML tag, colour directive or formula can form."""
    return _MARKDOWN_RE.sub(r"\\\1", _CONTROL_RE.sub(_control, str(value)))


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted stretch of text: ``text[start:end]`` and the term it belongs to."""

    start: int
    end: int
    term: str
    contribution: float  # the term's total contribution to the logit
    occurrences: int = 1
    quoted: bool = False


def verdict(label: bool | None) -> str:
    """The model's label at its threshold, in words (the label ``framing explain`` prints):
    ``"yes"``, ``"no"``, or ``"not scored"`` (None: the text was judged not English)."""
    return "not scored" if label is None else "yes" if label else "no"


def level(contribution: float) -> int:
    """The level (1-5) of a contribution on the fixed scale :data:`STEPS` (logits)."""
    return bisect_right(STEPS, abs(contribution)) + 1


def marks_from_terms(terms: Iterable, offset: int = 0) -> list[Mark]:
    """One :class:`Mark` per occurrence of each term (``Term`` objects of an explanation).

    ``offset`` shifts the spans, e.g. from a sentence into the article that holds it.
    """
    out = []
    for t in terms:
        n = len(t.spans)
        quoted = bool(getattr(t, "quoted", False))
        for s in t.spans:
            out.append(
                Mark(s.start + offset, s.end + offset, t.term, float(t.contribution), n, quoted)
            )
    return out


def words_that_matter(terms: Sequence, k: int = 3, min_abs: float = 0.1) -> list:
    """The terms of one score worth highlighting: its ``k`` largest by ``|contribution|``,
    each at least ``min_abs`` (the article view's default, so that function words such as
    "the", "of", "and", whose contributions are small, stay plain)."""
    ranked = sorted(terms, key=lambda t: -abs(t.contribution))
    return [t for t in ranked[:k] if abs(t.contribution) >= min_abs]


def rewrite_html(text: str, spans: Sequence[tuple[int, int]], kind: str) -> str:
    """``text`` as escaped HTML with ``spans`` marked as removed (``kind="old"``: struck
    through) or inserted (``kind="new"``: underlined) wording, for the before/after view of a
    suggestion. An empty span (a word left out) leaves no mark."""
    tag = "del" if kind == "old" else "ins"
    parts = ['<div class="fr-text">']
    pos = 0
    for a, b in sorted(spans):
        if a < pos or not 0 <= a <= b <= len(text):
            continue
        parts.append(html.escape(text[pos:a]))
        if b > a:
            parts.append(f'<{tag} class="fr-{kind}">{html.escape(text[a:b])}</{tag}>')
        pos = b
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)


def _style(contribution: float) -> str:
    rgb = UP_RGB if contribution > 0 else DOWN_RGB
    alpha = ALPHAS[level(contribution) - 1]
    return f"background-color: rgba({rgb[0]}, {rgb[1]}, {rgb[2]}, {alpha:.3f})"


def _title(mark: Mark, shown: str) -> str:
    n = mark.occurrences
    where = f" (sum over its {n} occurrences)" if n > 1 else ""
    voice = "; inside a quotation" if mark.quoted else ""
    return (
        f"{shown}: {mark.contribution:+.4f} to the logit, level {level(mark.contribution)}"
        f"{where}{voice}"
    )


def highlight_html(
    text: str,
    marks: Sequence[Mark],
    *,
    min_abs: float = 0.0,
    labels: Sequence[tuple[int, str]] = (),
) -> str:
    """``text`` as escaped HTML with each mark wrapped in a coloured ``<mark>``, and each
    ``(offset, label)`` of ``labels`` shown as a small badge at that offset (e.g. a sentence's
    techniques after its last character; a badge never splits a mark).

    Colour gives the direction (red pushes the score up, blue pushes it down), opacity the
    size of the contribution on one fixed scale of logits (:data:`STEPS`, five levels, the
    same in every text), a dashed underline marks quoted words, and the ``title`` (shown on
    hover) holds the exact contribution. Marks with ``|contribution| < min_abs`` or zero
    stay plain text; a mark overlapping an earlier one is left plain (tokens of one text
    never overlap).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    shown = [m for m in marks if m.contribution != 0 and abs(m.contribution) >= min_abs]
    shown = [m for m in shown if 0 <= m.start < m.end <= len(text)]
    shown.sort(key=lambda m: (m.start, m.end))
    parts = ['<div class="fr-text">']
    pos = 0
    pending = sorted((min(max(o, 0), len(text)), lab) for o, lab in labels)

    def flush(upto: int) -> int:
        nonlocal pos
        while pending and pending[0][0] <= upto:
            offset, label = pending.pop(0)
            if offset > pos:
                parts.append(html.escape(text[pos:offset]))
                pos = offset
            parts.append(f'<span class="fr-label">{html.escape(label)}</span>')
        return pos

    for m in shown:
        if m.start < pos:
            continue
        flush(m.start)
        parts.append(html.escape(text[pos : m.start]))
        classes = "fr-term fr-up" if m.contribution > 0 else "fr-term fr-down"
        if m.quoted:
            classes += " fr-quoted"
        word = text[m.start : m.end]
        parts.append(
            f'<mark class="{classes}" style="{_style(m.contribution)}" '
            f'data-contribution="{m.contribution:.6f}" data-level="{level(m.contribution)}" '
            f'title="{html.escape(_title(m, word))}">{html.escape(word)}</mark>'
        )
        pos = m.end
    flush(len(text))
    parts.append(html.escape(text[pos:]))
    parts.append("</div>")
    return "".join(parts)


def legend_html() -> str:
    """The colour legend of the highlighted text (HTML): the five numbered levels of the
    fixed scale, each pushing up (red) and down (blue)."""
    edges = (0.0, *STEPS)
    items = []
    for k, lo in enumerate(edges, 1):
        span = f"{lo:g}-{STEPS[k - 1]:g}" if k <= len(STEPS) else f"{lo:g} or more"
        up, down = _style(lo + 1e-9), _style(-(lo + 1e-9))
        items.append(
            f'<span class="fr-level" data-level="{k}"><b>{k}</b> '
            f'<span style="{up}">up</span><span style="{down}">down</span> {span}</span>'
        )
    return (
        '<div class="fr-legend">'
        "Colour = a word's contribution to the score, in logits (log-odds; +1 multiplies the "
        "odds by 2.7), on one fixed scale for every text: " + " ".join(items) + ". "
        '<span class="fr-quoted">quoted (a speaker\'s words)</span> '
        "Hover a word for its exact value."
        "</div>"
    )


def shown_term(term, text: str | None) -> str:
    """A term as the text wrote it (its own digits and case; its different spellings joined
    by commas), or its form when the text is not given."""
    if text is None:
        return term.term
    return ", ".join(dict.fromkeys(text[s.start : s.end] for s in term.spans)) or term.term


def waterfall_rows(score, k: int = 10, text: str | None = None) -> list[dict]:
    """Rows for a waterfall chart of one head's score: intercept, the ``k`` largest terms,
    the rest as one bar, ending at the logit.

    Each row has ``label``, ``contribution``, ``start``, ``end`` (running total before and
    after the bar) and ``kind`` (``intercept``, ``up``, ``down``, ``rest``); the last ``end``
    is ``intercept + sum of all terms`` (the logit the explanation reports).
    """
    terms = sorted(score.terms, key=lambda t: -abs(t.contribution))
    top, rest = terms[:k], terms[k:]
    rows = [("intercept", float(score.intercept), "intercept")]
    rows += [
        (shown_term(t, text), float(t.contribution), "up" if t.contribution > 0 else "down")
        for t in top
    ]
    if rest:
        rows.append((f"{len(rest)} other words", sum(t.contribution for t in rest), "rest"))
    out, running = [], 0.0
    for i, (label, c, kind) in enumerate(rows):
        out.append(
            {
                "order": i,
                "label": label,
                "contribution": c,
                "start": running,
                "end": running + c,
                "kind": kind,
            }
        )
        running += c
    return out


def term_rows(score, k: int | None = None, text: str | None = None) -> list[dict]:
    """A table of a head's terms: word (as ``text`` wrote it), contribution, occurrences,
    quoted, offsets; and the word's own probability when the head is made of word evidence."""
    terms = score.terms if k is None else score.terms[:k]
    rows = []
    for t in terms:
        row = {
            "term": shown_term(t, text),
            "contribution": round(float(t.contribution), 4),
            "occurrences": len(t.spans),
            "quoted": bool(getattr(t, "quoted", False)),
            "offsets": ", ".join(f"{s.start}-{s.end}" for s in t.spans),
        }
        if getattr(t, "probability", None) is not None:
            row["word probability"] = round(float(t.probability), 3)
        rows.append(row)
    return rows


def search_weights(names: Sequence[str], weights: Sequence[float], query: str, limit: int = 50):
    """Features whose name contains ``query`` (case-insensitive), strongest weight first."""
    q = query.strip().lower()
    if not q:
        return []
    hits = [(str(n), float(w)) for n, w in zip(names, weights, strict=True) if q in str(n)]
    hits.sort(key=lambda nw: -abs(nw[1]))
    return [{"feature": n, "weight": round(w, 4)} for n, w in hits[:limit]]


__all__ = [
    "CSS",
    "ALPHAS",
    "Mark",
    "STEPS",
    "highlight_html",
    "legend_html",
    "level",
    "marks_from_terms",
    "rewrite_html",
    "search_weights",
    "shown_term",
    "term_rows",
    "verdict",
    "waterfall_rows",
    "words_that_matter",
]
