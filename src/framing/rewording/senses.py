"""Literal or loaded? The rule that keeps :func:`framing.suggest` from changing the facts.

Many words of ``loaded_terms.txt`` have a common literal sense ("an invasion" by an army,
"toxic waste", "the door slammed", "the Srebrenica massacre"), where the neutral counterpart
would change what the sentence says. Such a word is offered with its alternatives but not
replaced (listed in :attr:`Suggestion.skipped`, reason "literal sense? ...") when:

* the sentence holds one of the entry's literal contexts, recorded in the list file after a
  second ``|`` (``invasion | arrival | literal: troops; army; -Name; ...``): ``Name`` the
  entry capitalised inside a sentence that is not in Title Case, as part of a name or title
  ("the musical Wicked", "Dennis the Menace", "the Third Crusade"; only for the entries
  marked so: elsewhere a capital is often a headline's style); a word or phrase
  anywhere in the sentence (a plural "s" or "es" and a possessive "'s" ignored),
  ``+word`` / ``-word`` among the two words after / before the entry, ``-Name`` a
  capitalised word just before it (a named event: "the Normandy invasion").

The contexts are word lists written from the entries' dictionary senses, not a model: a
literal use without a listed context is still reworded (the limit), and a loaded use next to
a context word is offered, not applied (the safe side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from framing.core.wordlists import loaded_term_contexts, phrase

__all__ = ["literal_sense"]


@dataclass(frozen=True, slots=True)
class _Contexts:
    anywhere: tuple[tuple[str, ...], ...]  # phrases (token forms)
    after: frozenset[str]
    before: frozenset[str]
    named: bool  # "-Name": a capitalised word just before
    name: bool  # "Name": the entry itself capitalised inside a sentence


@lru_cache(maxsize=4)
def _contexts(style=None) -> dict[str, _Contexts]:
    """The literal-sense contexts of the shipped list's entries, a house-style list's (a
    :class:`framing.core.house_style.HouseStyle`) replacing them when given: a user's entry
    has its own contexts, or none."""
    found = loaded_term_contexts()
    if style is not None:
        own = style.contexts()
        found = {k: v for k, v in found.items() if k not in style.alternatives()} | own
    out = {}
    for term, patterns in found.items():
        anywhere, after, before, named, name = [], set(), set(), False, False
        for p in patterns:
            if p == "-Name":
                named = True
            elif p == "Name":
                name = True
            elif p.startswith("+"):
                after.add(_stem(phrase(p[1:])))
            elif p.startswith("-"):
                before.add(_stem(phrase(p[1:])))
            else:
                anywhere.append(tuple(map(_stem, phrase(p).split())))
        out[term] = _Contexts(tuple(anywhere), frozenset(after), frozenset(before), named, name)
    return out


def _stem(form: str) -> str:
    """A form with a possessive or plural ending taken off, so that "dog", "dogs" and
    "dog's" are one context."""
    form = form.removesuffix("'s")
    for end in ("es", "s"):
        if form.endswith(end) and len(form) > len(end) + 2:
            return form[: -len(end)]
    return form


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def _sentence_start(text: str, start: int, unit_start: int) -> bool:
    """Whether ``text[start]`` opens its sentence (nothing before it in the unit but
    punctuation that opens one: quotes, brackets, a colon)."""
    before = text[unit_start:start].rstrip()
    return not before or before[-1] in ":\"'“‘(["


def literal_sense(
    term: str,
    forms: Sequence[str],
    words: Sequence[str],
    i: int,
    j: int,
    *,
    title_case: bool,
    starts: Sequence[int],
    text: str,
    unit_start: int,
    style=None,
) -> str | None:
    """Why the match ``forms[i:j]`` (entry ``term``; ``words`` as written) reads as the
    literal sense, or None. ``starts`` are the tokens' offsets into ``text``."""
    ctx = _contexts(style).get(term)
    if ctx is None:
        return None
    first = words[i]
    name = ctx.name and not title_case and _capitalised(first)
    if name and not _sentence_start(text, starts[i], unit_start):
        return f"literal sense? '{first}' is capitalised, as part of a name"
    stems = [_stem(f) for f in forms]
    for k in range(j, min(j + 2, len(forms))):
        if stems[k] in ctx.after:
            return f"literal sense? '{words[k]}' follows it"
    for k in range(max(0, i - 2), i):
        if stems[k] in ctx.before:
            return f"literal sense? '{words[k]}' comes before it"
    named = ctx.named and i > 0 and _capitalised(words[i - 1]) and not title_case
    if named and not _sentence_start(text, starts[i - 1], unit_start):
        return f"literal sense? a name ('{words[i - 1]}') comes before it"
    for pattern in ctx.anywhere:
        n = len(pattern)
        for k in range(len(stems) - n + 1):
            if (k + n <= i or k >= j) and tuple(stems[k : k + n]) == pattern:
                shown = " ".join(words[k : k + n])
                return f"literal sense? '{shown}' in the sentence"
    return None
