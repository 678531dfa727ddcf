"""``suggest()``: the rewritten text, scored before and after by every head."""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import partial

from framing.core.model import Model, as_model
from framing.core.text import split_paragraphs, split_sentences
from framing.errors import InputError
from framing.explanation import MAX_BODY_CHARS, MAX_HEADLINE_CHARS, explain, explain_text
from framing.explanation.guards import truncate
from framing.explanation.results import Sentence
from framing.rewording.edits import _Builder, _Edit, _Unit
from framing.rewording.results import Replacement, SentenceScores, Skipped, Suggestion

__all__ = [
    "RewrittenOffsets",
    "suggest",
]


# ---- scoring ------------------------------------------------------------------------------------
def _resolve(model) -> Model:
    return as_model(model)  # None: the process-wide model explain() uses


def _extra_heads(model: Model, text: str) -> dict[str, float]:
    out = {}
    for name, head in model.heads.items():
        if name in ("clickbait", "loaded") or not head.is_binary:
            continue
        out[name] = float(head.predict_proba([text])[0, 0])
    return out


def _scoring(model: Model) -> Model:
    """The heads suggest() reads through explain() (``clickbait`` and ``loaded``) as a model
    of their own: explain() gives them the same numbers without scoring the others
    (techniques, frames), which suggest() never reads."""
    heads = {n: h for n, h in model.heads.items() if n in ("clickbait", "loaded")}
    if len(heads) == len(model.heads):
        return model
    return Model(heads, model.manifest, house_style=model.house_style)


def _headline_scores(model: Model, text: str):
    ex = explain(headline=text, model=_scoring(model))
    scores = {}
    if ex.clickbait is not None:
        scores["clickbait"] = ex.clickbait.probability
    if ex.loaded_headline is not None:
        scores["loaded"] = ex.loaded_headline.probability
    scores.update(_extra_heads(model, text))
    return ex, scores


def _body_scores(model: Model, text: str):
    ex = explain(body=text, model=_scoring(model))
    scores = {}
    if ex.article is not None:
        scores["loaded"] = ex.article.probability
    scores.update(_extra_heads(model, text))
    return ex, scores


def _unit(start: int, end: int, score) -> _Unit:
    """A scored unit with its words' contributions (``explain()``'s terms), unquoted and
    quoted apart, read from ``score()`` only if the unit holds a loaded word (a body's
    sentences build their term lists when first read)."""
    return _Unit(start, end, {}, {}, score)


def _check(text, kind: str) -> None:
    if isinstance(text, bytes | bytearray | memoryview):
        raise InputError("suggest() takes text (str), not bytes: decode it first")
    if not isinstance(text, str):
        raise InputError(f"suggest() takes text (str), not {type(text).__name__}")
    if kind not in ("auto", "headline", "body"):
        raise InputError(f"kind must be 'auto', 'headline' or 'body', not {kind!r}")


def _kind(text: str) -> str:
    if len(text) > MAX_HEADLINE_CHARS:
        return "body"
    paragraphs = split_paragraphs(text)
    if len(paragraphs) > 1:
        return "body"
    return "body" if len(split_sentences(text, paragraphs)) > 1 else "headline"


def _apply(text: str, edits: list[_Edit]) -> tuple[str, list[Replacement]]:
    parts = []
    out = []
    pos = 0
    shift = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        r_start = e.start + shift
        out.append(
            Replacement(
                e.start,
                e.end,
                text[e.start : e.end],
                e.replacement,
                tuple(e.alternatives),
                e.term,
                e.source,
                e.contribution,
                r_start,
                r_start + len(e.replacement),
            )
        )
        shift += len(e.replacement) - (e.end - e.start)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts), out


class RewrittenOffsets:
    """Offsets of the text in the rewritten text, each found by bisection in the sorted,
    disjoint replacements (linear in the text, however many sentences and replacements)."""

    def __init__(self, replacements: Sequence[Replacement]):
        self.replacements = replacements
        self.starts = [r.start for r in replacements]
        self.ends = [r.end for r in replacements]

    def map(self, pos: int, end: bool) -> int:
        """``pos`` in the rewritten text (a position inside a replaced span goes to that
        replacement's start, or its end when ``end``)."""
        reps = self.replacements
        k = bisect_left(self.starts, pos)  # reps[:k] start before ``pos``
        if k and pos < reps[k - 1].end:  # inside a replaced span
            return reps[k - 1].rewritten_end if end else reps[k - 1].rewritten_start
        if not end and k < len(reps) and reps[k].start == pos:
            return reps[k].rewritten_start
        return pos + (reps[k - 1].rewritten_end - reps[k - 1].end if k else 0)

    def touches(self, start: int, end: int) -> bool:
        """Whether a replacement overlaps ``[start, end)``."""
        k = bisect_right(self.ends, start)  # the first replacement ending after ``start``
        return k < len(self.starts) and self.starts[k] < end


def suggest(
    text: str, model: Model | str | os.PathLike | None = None, *, kind: str = "auto"
) -> Suggestion:
    """Neutral rewording of ``text``: the loaded words that push its ``loaded`` score up
    replaced by their neutral counterparts, and the text scored before and after.

    Parameters
    ----------
    text : str
        A headline or an article body (see ``kind``).
    model : framing.Model, str or os.PathLike, optional
        The model to explain and score with, or the path of a model folder; the shipped one
        when ``None``.
    kind : {"auto", "headline", "body"}
        ``"auto"`` (default) treats ``text`` as a headline when it is one sentence in one
        paragraph of at most 2,000 characters, else as a body; see the module docs. The
        length rule is explain()'s (:mod:`framing.explanation.guards`): a body over
        2,000,000 characters, or a headline over 2,000, is cut at the last space before the
        limit, with a warning, and the cut text is reworded (``Suggestion.text``).

    Returns
    -------
    Suggestion
        ``text``, ``rewritten``, the probabilities ``before`` and ``after`` (exactly those
        :func:`framing.explain` gives on the two texts), the applied ``replacements``
        (offsets into ``text`` and into ``rewritten``), the loaded words ``skipped`` and,
        for a body, each sentence's ``loaded`` probability before and after.

    Raises
    ------
    framing.InputError
        ``text`` is not a ``str`` (bytes included), or ``kind`` is unknown.
    """
    _check(text, kind)
    model = _resolve(model)
    if kind == "auto":
        kind = _kind(text)
    warnings: list[str] = []  # explain()'s length rule: cut at its limit, with its warning
    limit = MAX_HEADLINE_CHARS if kind == "headline" else MAX_BODY_CHARS
    text, _ = truncate(text, limit, f"the {kind}", warnings)
    if kind == "headline":
        ex, before = _headline_scores(model, text)
        loaded = ex.loaded_headline
        units = [_unit(0, len(text), lambda: loaded)] if loaded is not None else []
        quotes = [tuple(q) for q in ex.headline_quotes]
    else:
        ex, before = _body_scores(model, text)
        units = [_unit(s.start, s.end, partial(Sentence.score, s)) for s in ex.sentences]
        quotes = [tuple(q) for q in ex.body_quotes]
    corrected = model.manifest.get("feedback", {}).get("corrected_entries", {})
    builder = _Builder(text, quotes, units, model.house_style, corrected)
    builder.run()
    builder.skipped.extend(_unlisted(model, text, ex, kind, builder))
    rewritten, replacements = _apply(text, builder.edits)
    if not rewritten.strip():  # every word dropped: no rewording (nothing would be left to score)
        rewritten, replacements = text, []
    if not replacements:
        after_ex, after = ex, dict(before)
    elif kind == "headline":
        after_ex, after = _headline_scores(model, rewritten)
    else:
        after_ex, after = _body_scores(model, rewritten)
    sentences: tuple[SentenceScores, ...] = ()
    if kind == "body":
        sentences = _sentence_scores(model, ex, after_ex, rewritten, replacements)
    return Suggestion(
        text=text,
        rewritten=rewritten,
        kind=kind,
        before=before,
        after=after,
        replacements=tuple(replacements),
        skipped=tuple(builder.skipped),
        sentences=sentences,
        warnings=tuple(warnings),
    )


UNLISTED = "no neutral wording for it in the list (its own loaded probability {:.2f})"


def _unlisted(model: Model, text: str, ex, kind: str, builder: _Builder) -> list[Skipped]:
    """The words a head made of word evidence judges loaded on their own (probability at or
    above its threshold) that no rule replaced or skipped: there is no neutral wording for
    them in the list. Quoted words are left to the quotation rule. Only a word-evidence head
    gives words their own probability (and reading every sentence's terms costs a term list
    per sentence, so a linear head's are not read)."""
    if getattr(model.heads.get("loaded"), "kind", None) != "word_evidence":
        return []
    if kind == "headline":
        scores = [ex.loaded_headline] if ex.loaded_headline is not None else []
    else:
        scores = [x.loaded for x in ex.sentences]
    taken = [(e.start, e.end) for e in builder.edits] + [(k.start, k.end) for k in builder.skipped]
    out = []
    for score in scores:
        for t in score.terms:
            if t.probability is None or t.probability < score.threshold or t.quoted:
                continue
            for a, b in t.spans:
                if not any(a < y and b > x for x, y in taken):
                    out.append(
                        Skipped(
                            a, b, text[a:b], t.term, t.contribution, UNLISTED.format(t.probability)
                        )
                    )
    return sorted(out, key=lambda k: k.start)


def _sentence_scores(model, ex, after_ex, rewritten, replacements):
    after_by_span = {(s.start, s.end): s for s in after_ex.sentences}
    loaded = model.heads.get("loaded")
    offsets = RewrittenOffsets(replacements)
    out = []
    for s in ex.sentences:
        changed = offsets.touches(s.start, s.end)
        ra = offsets.map(s.start, end=False)
        rb = offsets.map(s.end, end=True)
        while ra < rb and rewritten[ra].isspace():
            ra += 1
        while rb > ra and rewritten[rb - 1].isspace():
            rb -= 1
        same = after_by_span.get((ra, rb))
        if same is not None:
            after = same.probability("loaded")
        elif loaded is not None:  # the rewritten text splits differently here
            after = explain_text(loaded, rewritten[ra:rb], with_features=False).probability
        else:
            after = float("nan")
        before = s.probability("loaded")
        out.append(SentenceScores(s.start, s.end, ra, rb, before, after, changed))
    return tuple(out)
