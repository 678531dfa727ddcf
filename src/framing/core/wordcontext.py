"""A small context form for a word-evidence head: the word class of a word's neighbours.

A word model that sees only the word reads "flood" alike in "flood water rises" and "flood of
migrants". This module gives each word a few context features that cannot swamp the word's
own evidence: the coarse WordNet class (a *supersense*, e.g. ``person``, ``group``,
``substance``) of the nearest content word before it and after it (stop words skipped),
and only for words that hold lexicon evidence of their own (the *gate*: a word in none of
the head's lexicons gets no context term; a space with the lexicon :data:`GATE_LEXICON`
gates on that lexicon alone: the words with a literal sense). The term a gated word adds to
its logit is ``coef[0, class of previous] + coef[1, class of next]``: 2 x ``len(CLASSES)``
numbers.

Neighbour classes come from a table ``lemma -> class`` (the class of the lemma's most
frequent WordNet sense, written at training time); a form is looked up as written (lower
case) and then with simple inflections removed (:func:`lemma_candidates`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from framing.core.tokens import TokenBatch

__all__ = ["CLASSES", "GATE_LEXICON", "NO_NEIGHBOUR", "OTHER", "WordContext", "lemma_candidates"]

# when the head's space has this lexicon (words with a literal sense as well as a loaded one),
# the context term is gated on it alone; otherwise on any lexicon
GATE_LEXICON = "wordnet_literal"

# coarse classes: WordNet lexicographer files grouped (see framing.training.wordnet.COARSE)
CLASSES = (
    "none",  # no content word on that side
    "other",  # a content word WordNet does not know
    "person",
    "group",
    "animal",
    "thing",  # artifact, object, substance, food, plant, body
    "phenomenon",
    "place",
    "time",
    "event",  # act, event, process
    "abstract",  # communication, cognition, attribute, state, feeling, ...
    "quantity",
    "verb_physical",  # contact, motion, body, weather, consumption, change
    "verb_social",  # communication, social, competition, emotion
    "verb_other",
    "adj",
)
NO_NEIGHBOUR = 0
OTHER = 1
_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)


def lemma_candidates(form: str) -> list[str]:
    """``form`` (lower case) and its forms with a simple inflection removed, in that order."""
    f = form.lower()
    out = [f]
    for suffix, repl in _SUFFIXES:
        if f.endswith(suffix) and len(f) > len(suffix) + 2:
            out.append(f[: -len(suffix)] + repl)
    for suffix in ("ed", "ing"):  # "slammed" -> "slam"
        if f.endswith(suffix) and len(f) > len(suffix) + 3:
            stem = f[: -len(suffix)]
            if stem[-1] == stem[-2]:
                out.append(stem[:-1])
    return out


class WordContext:
    """The context term of a word-evidence head (see the module docs).

    ``classes``: lemma -> index into :data:`CLASSES`; ``coef``: 2 x len(CLASSES), the
    logit a gated word gains from its previous / next content word's class; ``stop``: the
    words that are skipped when looking for a neighbour."""

    def __init__(self, classes: Mapping[str, int], coef: np.ndarray, stop: frozenset[str]):
        coef = np.asarray(coef, dtype=np.float64)
        if coef.shape != (2, len(CLASSES)) or not np.isfinite(coef).all():
            raise ValueError(f"context coef must be 2 x {len(CLASSES)} finite numbers")
        bad = [c for c in set(classes.values()) if not 0 <= c < len(CLASSES)]
        if bad:
            raise ValueError(f"context class {bad[0]!r} is not an index of CLASSES")
        self.classes = dict(classes)
        self.coef = coef
        self.stop = frozenset(stop)
        self._form_class: dict[str, int] = {}

    def form_class(self, form: str) -> int:
        """The class of a form (a stop word or a non-word: -1, i.e. not a content word)."""
        got = self._form_class.get(form)
        if got is None:
            low = form.lower()
            if low in self.stop or not any(c.isalpha() for c in low):
                got = -1
            else:
                got = next(
                    (self.classes[c] for c in lemma_candidates(low) if c in self.classes), OTHER
                )
            if len(self._form_class) > 200_000:
                self._form_class.clear()
            self._form_class[form] = got
        return got

    def neighbours(self, tb: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
        """Per token: the class of the nearest content word before it and after it, in its
        own text (:data:`NO_NEIGHBOUR` where there is none)."""
        return neighbour_classes(tb, self.form_class)

    def logits(self, tb: TokenBatch, gate: np.ndarray) -> np.ndarray:
        """Per token: its context term (0 where ``gate`` is False)."""
        prev, nxt = self.neighbours(tb)
        return np.where(gate, self.coef[0, prev] + self.coef[1, nxt], 0.0)


def neighbour_classes(tb: TokenBatch, form_class) -> tuple[np.ndarray, np.ndarray]:
    """Per token of ``tb``: the class (``form_class(form)``) of the nearest content word
    before and after it in its own text; ``form_class`` gives -1 for a non-content form."""
    n = len(tb.form_id)
    prev = np.full(n, NO_NEIGHBOUR, dtype=np.int64)
    nxt = np.full(n, NO_NEIGHBOUR, dtype=np.int64)
    if not n:
        return prev, nxt
    by_form = np.array([form_class(f) for f in tb.forms], dtype=np.int64)
    cls = by_form[tb.form_id]
    content = np.flatnonzero(cls >= 0)
    doc = np.repeat(np.arange(tb.n_docs), np.diff(tb.ptr))
    pos = np.arange(n)
    # the last content token before t, the first after t
    k = np.searchsorted(content, pos, side="left") - 1
    ok = k >= 0
    ok[ok] &= doc[content[k[ok]]] == doc[ok]
    prev[ok] = cls[content[k[ok]]]
    k = np.searchsorted(content, pos, side="right")
    ok = k < len(content)
    ok[ok] &= doc[content[k[ok]]] == doc[ok]
    nxt[ok] = cls[content[k[ok]]]
    return prev, nxt
