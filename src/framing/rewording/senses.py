"""Literal or loaded? The rule that keeps :func:`framing.suggest` from changing the facts.

Many words of ``loaded_terms.txt`` have a common literal sense ("an invasion" by an army,
"toxic waste", "the door slammed"), where the neutral counterpart would change what the
sentence says. Every entry of the list carries a sense class (its third field; the file's
header defines them). For the classes with a common literal sense (``quality``, ``claim``,
``action``, ``event``, ``person``) the default is to offer the alternatives without applying
them (listed in :attr:`Suggestion.skipped`, reason "literal sense? ..."): the counterpart is
applied only where the sentence shows the loaded sense, a cue read from the words around the
entry:

* the word is said of people in public life or of what they say, decide or do: the noun it
  qualifies, its object, its complement, the owner before it, or the subject of "is" /
  "was" ... it is said of, one of the word classes of :mod:`framing.rewording.cues`;
* it is a label someone gives: "branded", "called", "like a" before it, or "X are ENTRY"
  with X a person, a group or a name;
* for a verb, a complement of speech ("scoffed at", "fumed over", "slammed as");
* for a noun of people, it is the actor of a civic act ("the regime announced");
* for an event noun, "against" after it (a dispute, not a physical event).

``name`` entries are applied except when capitalised inside a sentence (a name or title),
``intensifier`` entries when they qualify the word after them in the same clause, and
``loaded`` entries always. The rule enumerates the loaded sense's signs, not the literal
contexts: a literal use is safe unless it looks like a loaded one (the limit is a loaded use
without a cue, which is offered, not applied).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from framing.core.wordlists import FUNCTION_WORDS, loaded_term_senses
from framing.rewording.cues import (
    CIVIC,
    COPULAS,
    DETERMINERS,
    DISCOURSE,
    INSTITUTIONS,
    LABELS,
    PEOPLE,
    member,
    words,
)

__all__ = ["literal_sense"]

_ACTORS = PEOPLE | INSTITUTIONS
_PUBLIC = PEOPLE | INSTITUTIONS | DISCOURSE
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]—–]")
# heads of a partitive, whose phrase is the one after "of": "a row of bins"
_PARTITIVES = words(
    "row block team group series number lot pair couple handful dozen piece set range line "
    "pile stack bunch crowd herd flock sort kind type"
)
_SPEECH = frozenset({"at", "over", "about", "as"})
_COMPLEMENT = frozenset({"of", "against", "on", "over", "about", "for", "to", "at", "by"})
_ADJECTIVES = frozenset({"new", "own", "other", "same", "such", "very", "more", "most"})
_OFFERED = "literal sense? no sign here that it is said of people or of what they say or do"


@dataclass(frozen=True, slots=True)
class _Sentence:
    forms: Sequence[str]
    words: Sequence[str]
    starts: Sequence[int]
    text: str
    unit_start: int
    title_case: bool

    def joined(self, k: int) -> bool:
        """Whether token ``k`` is in the same clause as token ``k - 1``."""
        gap = self.text[self.starts[k - 1] + len(self.words[k - 1]) : self.starts[k]]
        return not _CLAUSE_END.search(gap)

    def after(self, j: int, n: int = 4) -> list[int]:
        """Up to ``n`` tokens from ``j`` on, within the clause."""
        out = []
        for k in range(j, min(j + n, len(self.forms))):
            if k > j and not self.joined(k) or k == j and k > 0 and not self.joined(k):
                break
            out.append(k)
        return out

    def before(self, i: int, n: int = 3) -> list[int]:
        """Up to ``n`` tokens before ``i``, nearest first, within the clause."""
        out = []
        for k in range(i - 1, max(-1, i - 1 - n), -1):
            if not self.joined(k + 1):
                break
            out.append(k)
        return out

    def phrase(self, j: int) -> list[str]:
        """The content words of the noun phrase from token ``j``: determiners and a few
        adjectives the function-word list holds ("new", "own") skipped, up to three words,
        ending at a function word or the clause's end; in a partitive ("a row of bins", "a
        team of propagandists") the phrase after "of"."""
        out: list[str] = []
        for k in self.after(j, 5):
            form = self.forms[k]
            if form in DETERMINERS or form in _ADJECTIVES:
                continue
            if form == "of" and out and out[-1] in _PARTITIVES and k + 1 < len(self.forms):
                return self.phrase(k + 1)
            if form in FUNCTION_WORDS or len(out) == 3:
                break
            out.append(form)
        return out

    def name(self, k: int) -> bool:
        """Whether token ``k`` is capitalised as a name (not at a sentence's start, not in
        a Title Case headline)."""
        w = self.words[k]
        if self.title_case or not w[:1].isupper() or (len(w) > 1 and w.isupper()):
            return False
        before = self.text[self.unit_start : self.starts[k]].rstrip()
        return bool(before) and before[-1] not in ":\"'“‘(["

    def subject(self, i: int, actors: frozenset[str], names: bool = False) -> bool:
        """Whether the entry at ``i`` is said of an actor: "X is/are (a/the ...) ENTRY", with
        at most a determiner and one adjective between the verb and the entry."""
        back = self.before(i, 4)
        content = 0
        for n, k in enumerate(back):
            form = self.forms[k]
            if form in COPULAS:
                rest = back[n + 1 :]
                subj = next((x for x in rest if self.forms[x] not in FUNCTION_WORDS), None)
                return subj is not None and (
                    member(self.forms[subj], actors) or names and self.name(subj)
                )
            if form in DETERMINERS or form in _ADJECTIVES:
                continue
            content += 1
            if form in FUNCTION_WORDS or form.endswith("ed") or content > 1:
                break
        return False

    def labelled(self, i: int) -> bool:
        back = self.before(i, 3)
        forms = [self.forms[k] for k in back]
        return any(f in LABELS for f in forms) or forms[:2] in (["a", "like"], ["an", "like"])


def _public(forms: Sequence[str], words: frozenset[str] = _PUBLIC) -> bool:
    return any(member(f, words) for f in forms)


def _quality(s: _Sentence, i: int, j: int, words: frozenset[str]) -> bool:
    return _public(s.phrase(j), words) or s.subject(i, words) or s.labelled(i)


def _action(s: _Sentence, i: int, j: int) -> bool:
    nxt = s.after(j, 1)
    if nxt and s.forms[nxt[0]] in _SPEECH:
        return True
    return _public(s.phrase(j))


def _event(s: _Sentence, i: int, j: int) -> bool:
    if s.forms[j - 1] in _COMPLEMENT:  # "war on": the entry ends in its preposition
        return _public(s.phrase(j))
    nxt = s.after(j, 1)
    if nxt and s.forms[nxt[0]] == "against":
        return True
    if nxt and s.forms[nxt[0]] in _COMPLEMENT and _public(s.phrase(nxt[0] + 1)):
        return True
    back = s.before(i, 2)
    if back and (member(s.forms[back[0]], _PUBLIC) and not s.name(back[0])):
        return True
    if len(back) == 2 and s.forms[back[1]].endswith("'s") and member(s.forms[back[1]], _ACTORS):
        return True
    return s.subject(i, _PUBLIC)


def _person(s: _Sentence, i: int, j: int) -> bool:
    if s.subject(i, _ACTORS, names=True) or s.labelled(i):
        return True
    nxt = s.after(j, 3)
    if len(nxt) == 3 and s.forms[nxt[0]] in ("and", "or"):  # "dictators and tyrants gather"
        nxt = nxt[2:]
    if nxt:
        f = s.forms[nxt[0]]
        if f in CIVIC or member(f, _ACTORS):
            return True
        if f in ("of", "for") and _public(s.phrase(nxt[0] + 1)):
            return True
    back = s.before(i, 3)
    if back and s.forms[back[0]].endswith("'s") and member(s.forms[back[0]], _ACTORS):
        return True
    forms = [s.forms[k] for k in back]
    if "of" in forms[:2]:  # "critics of the regime"
        k = back[forms.index("of") + 1] if forms.index("of") + 1 < len(back) else None
        return k is not None and member(s.forms[k], PEOPLE)
    return False


_CUES = {
    "quality": lambda s, i, j: _quality(s, i, j, _PUBLIC),
    "claim": lambda s, i, j: _quality(s, i, j, DISCOURSE),
    "action": _action,
    "event": _event,
    "person": _person,
}


@lru_cache(maxsize=4)
def _senses(style=None) -> dict[str, str]:
    """Each entry's sense class: the shipped list's, a house-style list's (a
    :class:`framing.core.house_style.HouseStyle`) over them when given (a user's entry
    without a class is ``loaded``: always reworded)."""
    found = loaded_term_senses()
    if style is not None:
        found = {**found, **style.senses()}
    return found


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
    """Why the match ``forms[i:j]`` (entry ``term``; ``words`` as written) is not to be
    reworded as the loaded sense (the reason, starting "literal sense?"), or None.
    ``starts`` are the tokens' offsets into ``text``; ``style``: the house-style list in
    use, or None."""
    sense = _senses(style).get(term, "loaded")
    if sense == "loaded":
        return None
    s = _Sentence(forms, words, starts, text, unit_start, title_case)
    if sense == "name":
        if s.name(i):
            return f"literal sense? '{words[i]}' is capitalised, as part of a name"
        return None
    if sense == "intensifier":
        if j < len(forms) and s.joined(j):
            return None
        return "literal sense? at the end of a clause it says how, not how much"
    if _CUES[sense](s, i, j):
        return None
    return _OFFERED
