"""``suggest()``: the rewritten text, scored before and after by every head."""

from __future__ import annotations

import os
from collections.abc import Sequence

from framing.core.model import Model, as_model
from framing.core.text import split_paragraphs, split_sentences
from framing.errors import InputError
from framing.explanation import MAX_BODY_CHARS, MAX_HEADLINE_CHARS, explain, explain_text
from framing.rewording.edits import _Builder, _Edit, _Unit
from framing.rewording.results import Replacement, SentenceScores, Skipped, Suggestion

__all__ = [
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


def _headline_scores(model: Model, text: str):
    ex = explain(headline=text, model=model)
    scores = {}
    if ex.clickbait is not None:
        scores["clickbait"] = ex.clickbait.probability
    if ex.loaded_headline is not None:
        scores["loaded"] = ex.loaded_headline.probability
    scores.update(_extra_heads(model, text))
    return ex, scores


def _body_scores(model: Model, text: str):
    ex = explain(body=text, model=model)
    scores = {}
    if ex.article is not None:
        scores["loaded"] = ex.article.probability
    scores.update(_extra_heads(model, text))
    return ex, scores


def _unit(start: int, end: int, score) -> _Unit:
    """A scored unit with its words' contributions (``explain()``'s terms), unquoted and
    quoted apart."""
    unit = _Unit(start, end, {}, {})
    for t in score.terms:
        (unit.quoted if t.quoted else unit.contributions)[t.term] = t.contribution
    return unit


def _check(text, kind: str) -> None:
    if isinstance(text, bytes | bytearray | memoryview):
        raise InputError("suggest() takes text (str), not bytes: decode it first")
    if not isinstance(text, str):
        raise InputError(f"suggest() takes text (str), not {type(text).__name__}")
    if kind not in ("auto", "headline", "body"):
        raise InputError(f"kind must be 'auto', 'headline' or 'body', not {kind!r}")
    if len(text) > MAX_BODY_CHARS:
        raise InputError(
            f"the text has {len(text):,} characters, over the limit of {MAX_BODY_CHARS:,}: "
            "split it and suggest each part"
        )
    if kind == "headline" and len(text) > MAX_HEADLINE_CHARS:
        raise InputError(
            f"a headline has at most {MAX_HEADLINE_CHARS:,} characters; this text has "
            f"{len(text):,}: pass kind='body'"
        )


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


def _map(pos: int, replacements: Sequence[Replacement], end: bool) -> int:
    """An offset of the text in the rewritten text (a position inside a replaced span goes
    to that replacement's start, or its end when ``end``)."""
    shift = 0
    for r in replacements:
        if pos < r.start or (end and pos == r.start):
            break
        if pos < r.end or (not end and pos == r.end and r.start == r.end):
            return r.rewritten_end if end else r.rewritten_start
        shift = r.rewritten_end - r.end
    return pos + shift


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
        paragraph of at most 2,000 characters, else as a body; see the module docs.

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
        ``text`` is not a ``str`` (bytes included), is too long, or ``kind`` is unknown.
    """
    _check(text, kind)
    model = _resolve(model)
    if kind == "auto":
        kind = _kind(text)
    if kind == "headline":
        ex, before = _headline_scores(model, text)
        loaded = ex.loaded_headline
        units = [_unit(0, len(text), loaded)] if loaded is not None else []
        quotes = [tuple(q) for q in ex.headline_quotes]
    else:
        ex, before = _body_scores(model, text)
        units = [_unit(s.start, s.end, s.loaded) for s in ex.sentences]
        quotes = [tuple(q) for q in ex.body_quotes]
    builder = _Builder(text, quotes, units)
    builder.run()
    if kind == "headline":
        scores = [loaded] if loaded is not None else []
    else:
        scores = [x.loaded for x in ex.sentences]
    builder.skipped.extend(_unlisted(text, scores, builder))
    rewritten, replacements = _apply(text, builder.edits)
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
    )


UNLISTED = "no neutral wording for it in the list (its own loaded probability {:.2f})"


def _unlisted(text: str, scores, builder: _Builder) -> list[Skipped]:
    """The words a head made of word evidence judges loaded on their own (probability at or
    above its threshold) that no rule replaced or skipped: there is no neutral wording for
    them in the list. Quoted words are left to the quotation rule."""
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
    out = []
    for s in ex.sentences:
        changed = any(r.start < s.end and r.end > s.start for r in replacements)
        ra = _map(s.start, replacements, end=False)
        rb = _map(s.end, replacements, end=True)
        while ra < rb and rewritten[ra].isspace():
            ra += 1
        while rb > ra and rewritten[rb - 1].isspace():
            rb -= 1
        same = after_by_span.get((ra, rb))
        if same is not None:
            after = same.loaded.probability
        elif loaded is not None:  # the rewritten text splits differently here
            after = explain_text(loaded, rewritten[ra:rb], with_features=False).probability
        else:
            after = float("nan")
        out.append(SentenceScores(s.start, s.end, ra, rb, s.loaded.probability, after, changed))
    return tuple(out)
