"""Neutral rewording: for each loaded word that drives the ``loaded`` score up, a neutral
alternative, a rewritten text with every replacement applied, and both texts scored exactly.

**What is replaced.** A word or phrase is a candidate when

1. it is an entry of ``resources/loaded_terms.txt`` (a phrase of up to three words, or one
   word), in the entry's own form or an inflection of it: plural or third person (``-s``,
   ``-es``, ``-ies``), possessive (``-'s``), past (``-ed``, ``-d``, a doubled consonant,
   ``-ied``), ``-ing``, or an adverb in ``-ly`` (``-ily``, ``-ically``, ``-ble`` -> ``-bly``);
   a phrase's last word may be plural or possessive ("witch hunts", "hermit nation's"); or
2. it is not in that file but is one of :data:`INTENSIFIERS`, adverbs that intensify or
   judge without stating a fact ("utterly", "brazenly"); their only alternative is to leave
   them out;

**and** its contribution to the ``loaded`` score of its sentence, as :func:`framing.explain`
reports it (the word's per-word contribution, summed over the words of a phrase; a word
that occurs twice in a sentence counts its total, as ``explain()`` lists it), is positive.
Words inside quotation marks are never changed (rewording a quotation would misquote
someone); they are listed in :attr:`Suggestion.skipped`.

**Alternatives** come only from the file's neutral counterparts, in the file's order; the
first one that fits is applied, the others are offered. They are inflected like the word they
replace (plural, possessive, ``-ly``; ``-ed`` and ``-ing`` only for the alternatives that
are verbs, listed in :data:`VERBS` with their irregular forms), and take its capitalisation
("Slams" -> "Criticises", "DESPOT" -> "LEADER"; in a Title Case headline every word of a
longer alternative is capitalised). ``<drop>`` (and every intensifier) means leaving the word
out, which is done only where the sentence stays whole: the word must be followed by another
word on its line (an adjective not by a function word such as "and"; an adverb not by
"and", "or", "but", "nor"); an adverb may also be dropped before a comma or at the end of a
clause ("Shamelessly, he denied" -> "He denied"; "he acted shamelessly." -> "he acted.").
An alternative that is a name (every word capitalised: "North Korea") is applied only when
the text itself names it somewhere ("where the text says so"); otherwise the next one is.
Around a replacement: "the" before a name is absorbed ("the hermit nation" -> "North
Korea"); words before the span that repeat the alternative's first words are absorbed
("the hermit nation" -> "the country", "military junta" -> "military government"); "a" or
"an" before a changed word is corrected when the spelling rule is sure ("an autocrat" ->
"a leader", "a shameless attempt" -> "an attempt", "a bizarre" -> "an unusual"; acronyms
are left alone); a dropped sentence-initial word passes its capital to the next word. An
adverb made from an entry ("ruthlessly" from "ruthless") is left out first, like the file's
own adverbs ("brutally | <drop>"); the adverbs of the entry's counterparts are offered
("harshly"). A past form after "has", "was", ... takes the participle ("has ranted" -> "has
spoken"); an irregular past after "the" does not fit ("the plundered treasury" stays).

When none of a candidate's alternatives fits (a form the file has no counterpart for, such
as "-ed" of a noun: "massacred"; a name the text does not give; an adjective counterpart
where the word is used as a noun: "a sham."; "accused of ..." before a noun; a drop that
would break the sentence), the word is left as it is and listed in
:attr:`Suggestion.skipped` with the reason.

**Limits.** The rules read spelling, not grammar or sense: a literal use ("toxic
chemicals", "pap smears", "the Gatumba massacre") is reworded like a loaded one when the
model scores it up; reported speech without quotation marks ("called him a coward") is
reworded although someone said it; the part-of-speech guesses (which counterparts are
adjectives, :data:`VERBS`) are lists and endings, not a tagger.

**Headline or body.** ``suggest(text)`` treats ``text`` as a headline when it is one
sentence in one paragraph (as :func:`framing.text.split_sentences` splits it) of at most
:data:`framing.explain.MAX_HEADLINE_CHARS` characters, else as an article body
(``kind="headline"`` / ``"body"`` forces either). A headline is scored as
``explain(headline=...)`` scores it: ``before``/``after`` hold the raw ``clickbait`` and
``loaded`` probabilities. A body is scored as ``explain(body=...)`` scores it: each
sentence by ``loaded`` (``Suggestion.sentences`` has each sentence's probability before and
after), and ``before``/``after`` hold the article score (mean of the 3 most loaded
sentences) under ``"loaded"``. Other binary heads of the model (e.g. one trained with
``framing train``) are scored on the whole text with ``head.predict_proba``, as
:func:`framing.score` does; multi-label heads (``technique``, ``frame``) are not in
``before``/``after``.

**Offsets.** Every :class:`Replacement` has ``start``/``end`` into ``text``
(``text[start:end] == original``) and ``rewritten_start``/``rewritten_end`` into
``rewritten``; outside the replaced spans the two texts are the same, character for
character. A span may be larger than the loaded word: it includes the whitespace a drop
removes, an article it corrects or words it absorbs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import InputError
from .explain import MAX_BODY_CHARS, MAX_HEADLINE_CHARS, explain, explain_text
from .lexicons import DROP, loaded_term_alternatives
from .model import Model
from .text import (
    ENGLISH_FUNCTION_WORDS,
    split_paragraphs,
    split_sentences,
    token_spans,
)

__all__ = [
    "INTENSIFIERS",
    "VERBS",
    "Replacement",
    "SentenceScores",
    "Skipped",
    "Suggestion",
    "escape_control",
    "inflect",
    "render_suggestion",
    "suggest",
]

# Adverbs that intensify or pass judgement without stating a fact: leaving them out keeps
# what the sentence claims. Deliberately absent: words that carry facts ("allegedly",
# "reportedly", "nearly", "seriously injured", "critically", "fatally", "severely",
# "badly", "only", "completely", "entirely") and adverbs of size that often state one
# ("rose dramatically", "massively", "hugely", "spectacularly").
_INTENSIFIERS_TEXT = """
very really extremely incredibly unbelievably truly deeply wildly insanely ridiculously
outrageously terribly horribly awfully shockingly staggeringly astonishingly stunningly
amazingly downright brazenly viciously savagely mercilessly furiously angrily bitterly
desperately frantically hysterically disgracefully shamefully scandalously appallingly
horrifically grotesquely obscenely monstrously wickedly callously cynically
"""
INTENSIFIERS = frozenset(_INTENSIFIERS_TEXT.split())

# The alternatives that are verbs, with their irregular (past, past participle) forms;
# regular verbs get "-ed" / "-ing" by the spelling rules of :func:`inflect`.
VERBS: dict[str, tuple[str, str] | None] = {
    "criticise": None,
    "respond": None,
    "campaign": None,
    "persuade": None,
    "attack": None,
    "kill": None,
    "damage": None,
    "dispute": None,
    "threaten": None,
    "promote": None,
    "advocate": None,
    "rule": None,
    "accuse": None,
    "say": ("said", "said"),
    "speak": ("spoke", "spoken"),
    "take": ("took", "taken"),
    "cut": ("cut", "cut"),
    "lead": ("led", "led"),
    "teach": ("taught", "taught"),
}
_PAST_TO_PARTICIPLE = {p: pp for p, pp in (v for v in VERBS.values() if v) if p != pp}
_IRREGULAR_PAST = frozenset(w for v in VERBS.values() if v for w in v if not w.endswith("ed"))
_IRREGULAR_PAST -= {"cut"}  # "the cut budget" reads well
_DETERMINERS_TEXT = "a an the this that these those its his her their our your my"
_DETERMINERS = frozenset(_DETERMINERS_TEXT.split())
# After these words a past form is a participle ("has spoken", not "has spoke").
_AUXILIARIES_TEXT = "has have had having was were is are be been being am get gets got gotten 's"
_AUXILIARIES = frozenset(_AUXILIARIES_TEXT.split())
_IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "person": "people",
    "spokesperson": "spokespeople",
    "child": "children",
    "crisis": "crises",
    "strongman": "strongmen",
    "henchman": "henchmen",
    "spokesman": "spokesmen",
    "chairman": "chairmen",
}
# Alternatives with no plural (adjectives), found by ending or listed; the listed nouns
# that end like adjectives do take one.
_ADJECTIVE_ENDINGS = (
    "ed", "ous", "ive", "ful", "less", "ic", "al", "ent", "ant", "ible", "able", "ish", "ary",
    "-wing", "ly",
)  # fmt: skip
_SHORT_ADJECTIVES_TEXT = """
harsh weak strong clear false close new rare large poor grave stark strict severe cruel
fierce former unwise wise
"""
_SHORT_ADJECTIVES = frozenset(_SHORT_ADJECTIVES_TEXT.split())
_NOUNS_LIKE_ADJECTIVES_TEXT = """
official rival criminal radical arrival proposal liberal assistant migrant immigrant
militant agent president resident dissident participant defendant opponent proponent ally
authoritarian
"""
_NOUNS_LIKE_ADJECTIVES = frozenset(_NOUNS_LIKE_ADJECTIVES_TEXT.split())
_CONJUNCTIONS = frozenset({"and", "or", "but", "nor"})
_ARTICLES = frozenset({"a", "an"})
_VOWELS = frozenset("aeiou")
_SILENT_H = ("honest", "honour", "honor", "hour", "heir")
_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*")
_OPENERS = "\"'“‘«‹([{„‚"
_CLAUSE_END = frozenset(".,;:!?)")
_TITLE_SMALL_WORDS_TEXT = "a an the of and or but to in on at for by with as from"
_TITLE_SMALL_WORDS = frozenset(_TITLE_SMALL_WORDS_TEXT.split())


# ---- results -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Replacement:
    """One change: ``text[start:end]`` (``original``) became ``replacement``, which is
    ``rewritten[rewritten_start:rewritten_end]``.

    ``alternatives`` are every neutral wording that fits this span, the applied one first
    (``""`` = the span left out). ``term`` is the entry of ``loaded_terms.txt`` (or the
    intensifier) matched, ``source`` is ``"loaded_terms"`` or ``"intensifier"``, and
    ``contribution`` the matched words' contribution to the ``loaded`` logit of their
    sentence before the change.
    """

    start: int
    end: int
    original: str
    replacement: str
    alternatives: tuple[str, ...]
    term: str
    source: str
    contribution: float
    rewritten_start: int = 0
    rewritten_end: int = 0

    def to_dict(self) -> dict:
        """Plain JSON-ready data (offsets into the text and into the rewritten text)."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "alternatives": list(self.alternatives),
            "term": self.term,
            "source": self.source,
            "contribution": self.contribution,
            "rewritten_start": self.rewritten_start,
            "rewritten_end": self.rewritten_end,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A loaded word (positive contribution) left as it is, and why (``reason``)."""

    start: int
    end: int
    original: str
    term: str
    contribution: float
    reason: str
    alternatives: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "term": self.term,
            "contribution": self.contribution,
            "reason": self.reason,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True, slots=True)
class SentenceScores:
    """A body sentence, ``text[start:end]`` before and ``rewritten[rewritten_start:
    rewritten_end]`` after, with its ``loaded`` probability before and after."""

    start: int
    end: int
    rewritten_start: int
    rewritten_end: int
    before: float
    after: float
    changed: bool

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {
            "start": self.start,
            "end": self.end,
            "rewritten_start": self.rewritten_start,
            "rewritten_end": self.rewritten_end,
            "before": {"loaded": self.before},
            "after": {"loaded": self.after},
            "changed": self.changed,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The result of :func:`suggest` (see the module docs for every rule)."""

    text: str
    rewritten: str
    kind: str  # "headline" or "body"
    before: dict[str, float]
    after: dict[str, float]
    replacements: tuple[Replacement, ...]
    skipped: tuple[Skipped, ...] = ()
    sentences: tuple[SentenceScores, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        """Whether any replacement was applied."""
        return bool(self.replacements)

    def to_dict(self) -> dict:
        """``{"text", "rewritten", "before", "after", "replacements", ...}``: plain JSON-ready
        data, the same that ``framing suggest --json`` prints. Besides the keys of issue 14
        it has ``kind``, ``skipped`` and (for a body) ``sentences``."""
        return {
            "text": self.text,
            "rewritten": self.rewritten,
            "kind": self.kind,
            "before": dict(self.before),
            "after": dict(self.after),
            "replacements": [r.to_dict() for r in self.replacements],
            "skipped": [s.to_dict() for s in self.skipped],
            "sentences": [s.to_dict() for s in self.sentences],
        }


# ---- inflection --------------------------------------------------------------------------------
def _is_consonant(ch: str) -> bool:
    return ch.isalpha() and ch.lower() not in _VOWELS


def _doubles(word: str) -> bool:
    """One-syllable words ending consonant-vowel-consonant double it: slam -> slammed."""
    if len(word) < 3 or not word.isalpha():
        return False
    a, b, c = word[-3], word[-2], word[-1]
    syllables = len(re.findall(r"[aeiouy]+", word.lower()))
    return (
        syllables == 1
        and _is_consonant(a)
        and b.lower() in _VOWELS
        and _is_consonant(c)
        and c.lower() not in "wxy"
    )


def _adjective_like(word: str) -> bool:
    """Whether a one-word alternative reads as an adjective (no plural, no noun use)."""
    lower = word.lower()
    if lower in _NOUNS_LIKE_ADJECTIVES or lower in _IRREGULAR_PLURALS or lower.endswith("ment"):
        return False
    return lower.endswith(_ADJECTIVE_ENDINGS) or lower in _SHORT_ADJECTIVES


def _plural(word: str) -> str | None:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lower]
    if _adjective_like(lower):
        return None
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and _is_consonant(lower[-2]):
        return word[:-1] + "ies"
    return word + "s"


def _past(verb: str, participle: bool) -> str:
    irregular = VERBS.get(verb)
    if irregular:
        return irregular[1] if participle else irregular[0]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and _is_consonant(verb[-2]):
        return verb[:-1] + "ied"
    if _doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if _doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def _adverb(adjective: str) -> str | None:
    if adjective.endswith("ly"):
        return None
    if adjective.endswith("ic"):
        return adjective + "ally"
    if adjective.endswith("le") and len(adjective) > 2 and _is_consonant(adjective[-3]):
        return adjective[:-1] + "y"
    if adjective.endswith("ue"):
        return adjective[:-1] + "ly"
    if adjective.endswith("ll"):
        return adjective + "y"
    if adjective.endswith("y") and _is_consonant(adjective[-2]):
        return adjective[:-1] + "ily"
    return adjective + "ly"


def inflect(alternative: str, form: str, *, participle: bool = False, apostrophe: str = "'"):
    """``alternative`` (as written in ``loaded_terms.txt``) in the inflection ``form``.

    ``form`` is ``""`` (as written), ``"plural"`` (plural or third person, on the last
    word), ``"possessive"`` (``'s`` on the last word, with ``apostrophe``), ``"past"`` and
    ``"ing"`` (one-word verbs of :data:`VERBS` only; ``participle`` picks the past
    participle of an irregular verb), or ``"adverb"`` (one word). Returns ``None`` when the
    alternative has no such form here (an adjective has no plural, a noun no past).
    ``DROP`` stays ``DROP``.

    >>> inflect("criticise", "past"), inflect("leader", "plural"), inflect("harsh", "adverb")
    ('criticised', 'leaders', 'harshly')
    """
    if alternative == DROP:
        return DROP
    words = alternative.split(" ")
    last = words[-1]
    if form == "":
        if participle and len(words) == 1 and last in _PAST_TO_PARTICIPLE:
            return _PAST_TO_PARTICIPLE[last]
        return alternative
    if form == "possessive":
        return alternative + apostrophe + "s"
    if form == "plural":
        plural = _plural(last)
        return None if plural is None else " ".join([*words[:-1], plural])
    if len(words) != 1:
        return None
    if form in ("past", "ing"):
        if last not in VERBS:
            return None
        return _past(last, participle) if form == "past" else _ing(last)
    if form == "adverb":
        return _adverb(last)
    raise ValueError(f"unknown form {form!r}")


def _bases(form: str) -> list[tuple[str, str]]:
    """Candidate (entry, inflection) pairs a token form may be an inflection of."""
    out: list[tuple[str, str]] = []

    def add(base: str, kind: str) -> None:
        if len(base) >= 3 and (base, kind) not in out:
            out.append((base, kind))

    if form.endswith("'s"):
        add(form[:-2], "possessive")
    if form.endswith("men"):
        add(form[:-3] + "man", "plural")  # strongmen
    if form.endswith("ies"):
        add(form[:-3] + "y", "plural")
    if form.endswith("es"):
        add(form[:-2], "plural")
    if form.endswith("s") and not form.endswith(("ss", "'s")):
        add(form[:-1], "plural")
    if form.endswith("ied"):
        add(form[:-3] + "y", "past")
    if form.endswith("ed"):
        add(form[:-2], "past")
        add(form[:-1], "past")
        if len(form) > 4 and form[-3] == form[-4]:
            add(form[:-3], "past")
    if form.endswith("ing"):
        add(form[:-3], "ing")
        add(form[:-3] + "e", "ing")
        if len(form) > 5 and form[-4] == form[-5]:
            add(form[:-4], "ing")
    if form.endswith("ically"):
        add(form[:-4], "adverb")
    if form.endswith("ily"):
        add(form[:-3] + "y", "adverb")
    if form.endswith("ly"):
        add(form[:-2], "adverb")
        add(form[:-1] + "e", "adverb")  # implausibly -> implausible
    return out


# ---- the lexicon of alternatives -----------------------------------------------------------
@dataclass(frozen=True)
class _Index:
    entries: dict[str, list[str]]
    max_words: int


@lru_cache(maxsize=1)
def _index() -> _Index:
    entries = loaded_term_alternatives()
    return _Index(entries, max(k.count(" ") + 1 for k in entries))


@dataclass(slots=True)
class _Match:
    i: int  # first token
    j: int  # one past the last token
    term: str
    form: str  # inflection
    alternatives: list[str]
    source: str


def _find(forms: Sequence[str], index: _Index) -> list[_Match]:
    """Non-overlapping matches, left to right, the longest at each position."""
    out: list[_Match] = []
    entries = index.entries
    i = 0
    n_tok = len(forms)
    while i < n_tok:
        found = None
        for n in range(min(index.max_words, n_tok - i), 0, -1):
            head = " ".join(forms[i : i + n - 1])
            last = forms[i + n - 1]
            key = f"{head} {last}" if head else last
            if key in entries:
                found = _Match(i, i + n, key, "", entries[key], "loaded_terms")
                break
            for base, kind in _bases(last):
                if n > 1 and kind not in ("plural", "possessive"):
                    continue
                key = f"{head} {base}" if head else base
                if key in entries:
                    found = _Match(i, i + n, key, kind, entries[key], "loaded_terms")
                    break
            if found:
                break
        if found is None and forms[i] in INTENSIFIERS:
            found = _Match(i, i + 1, forms[i], "", [DROP], "intensifier")
        if found is not None:
            out.append(found)
            i = found.j
        else:
            i += 1
    return out


# ---- case and articles -------------------------------------------------------------------------
def _is_name(alternative: str) -> bool:
    words = alternative.split(" ")
    return all(w[:1].isupper() for w in words)


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _match_case(original: str, replacement: str, title: bool) -> str:
    letters = [c for c in original if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters and original.lstrip(_OPENERS)[:1].isupper():
        if title:
            return " ".join(
                w if (k and w.lower() in _TITLE_SMALL_WORDS) else _capitalise(w)
                for k, w in enumerate(replacement.split(" "))
            )
        return _capitalise(replacement)
    return replacement


def _article_for(word: str) -> str | None:
    """ "a" or "an" before ``word``, or ``None`` when the spelling rule is not sure.

    By spelling: a vowel letter takes "an", a consonant "a", except silent-h words (an
    honest, an hour), "eu", "one" and "u" sounded "you" (a European, a one-off, a usual, a
    union, a unanimous; but an unusual, an uninformed, an ugly, an utter). Acronyms and
    anything else are left to the writer (``None``).
    """
    if not word or not word[0].isalpha():
        return None
    if len(word) > 1 and word.isupper():
        return None  # acronyms: "an MP", "a NATO summit"
    lower = word.lower()
    if not lower.isascii() or not lower[:3].isalpha():
        return None
    if lower.startswith(_SILENT_H):
        return "an"
    if lower.startswith(("eu", "ewe", "one", "once", "uni", "unan")):
        if lower.startswith(("unin", "unim", "unid")):
            return "an"  # un- + in...: an uninformed, an unimaginable, an unidentified
        return "a"
    if lower[0] == "u":
        if len(lower) < 3:
            return None
        if lower.startswith("un") or (lower[1] not in _VOWELS and lower[2] not in _VOWELS):
            return "an"  # an unusual, an ugly, an utter, an urgent
        return "a" if lower[1] not in _VOWELS else None  # a usual, a utility
    return "an" if lower[0] in _VOWELS else "a"


_ARTICLE_BEFORE = re.compile(r"(a|an|A|An|AN)([ \t]+)$")


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'’-"


def _with_article(article: str, new: str) -> str:
    if article.isupper() and len(article) > 1:
        return new.upper()
    return _capitalise(new) if article[:1].isupper() else new


def _is_title_case(text: str) -> bool:
    words = [w for w in _WORD_RE.findall(text) if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# ---- building the edits of one sentence ------------------------------------------------------
@dataclass(slots=True)
class _Edit:
    start: int
    end: int
    replacement: str
    alternatives: list[str]
    term: str
    source: str
    contribution: float
    core: tuple[int, int]  # the loaded word's own span
    drop: bool


@dataclass(slots=True)
class _Unit:
    """One scored unit (the headline, or one body sentence) of ``text``."""

    start: int
    end: int
    contributions: dict[str, float]  # word form -> total contribution, unquoted words
    quoted: dict[str, float]  # the same for the quoted words


class _Builder:
    def __init__(self, text: str, quotes: list[tuple[int, int]], units: list[_Unit]):
        self.text = text
        self.quotes = quotes
        self.units = units
        self.edits: list[_Edit] = []
        self.skipped: list[Skipped] = []
        self.lower_text = text.lower()

    def quoted(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.quotes)

    def run(self) -> None:
        index = _index()
        for unit in self.units:
            self.unit(unit, index)
        self.fix_articles()

    def unit(self, unit: _Unit, index: _Index) -> None:
        text = self.text
        forms, starts, ends = token_spans(text[unit.start : unit.end])
        starts = [s + unit.start for s in starts]
        ends = [e + unit.start for e in ends]
        title = _is_title_case(text[unit.start : unit.end])
        floor = unit.start  # nothing before this may be absorbed (an earlier edit ends here)
        for m in _find(forms, index):
            a, b = starts[m.i], ends[m.j - 1]
            words = set(forms[m.i : m.j])
            if any(self.quoted(starts[k]) for k in range(m.i, m.j)):
                contribution = sum(unit.quoted.get(f, 0.0) for f in words)
                if contribution > 0:
                    self.skip(a, b, m, contribution, "inside a quotation: not reworded")
                continue
            contribution = sum(unit.contributions.get(f, 0.0) for f in words)
            if contribution <= 0:
                continue
            edit = self.build(m, forms, starts, ends, floor, unit, title, contribution)
            if edit is not None:
                self.edits.append(edit)
                floor = edit.end

    def skip(self, a: int, b: int, m: _Match, contribution: float, reason: str, alts=()):
        self.skipped.append(
            Skipped(a, b, self.text[a:b], m.term, contribution, reason, tuple(alts))
        )

    # -- one match --------------------------------------------------------------------------
    def build(self, m, forms, starts, ends, floor, unit, title, contribution):
        text = self.text
        a, b = starts[m.i], ends[m.j - 1]
        original = text[a:b]
        prev_form = forms[m.i - 1] if m.i > 0 and starts[m.i - 1] >= unit.start else ""
        participle = prev_form in _AUXILIARIES
        apostrophe = "’" if "’" in original else "'"
        inflected = []
        for alt in m.alternatives:
            word = inflect(alt, m.form, participle=participle, apostrophe=apostrophe)
            if word is not None and word not in inflected:
                inflected.append(word)
        if not inflected:
            self.skip(a, b, m, contribution, f"no counterpart for this form of {m.term!r}")
            return None
        if m.form == "adverb" and DROP not in inflected:
            # an adverb made from a judging adjective ("ruthlessly efficient") is left out,
            # as the file's own adverbs are; its adverb counterparts are offered besides
            inflected.insert(0, DROP)
        nxt = m.j if m.j < len(forms) and starts[m.j] < unit.end else None
        gap = text[b : starts[nxt]] if nxt is not None else ""
        next_form = forms[nxt] if nxt is not None and not gap.strip() and "\n" not in gap else ""
        fitting = [
            w
            for w in inflected
            if w == DROP or self._fits(w, a, b, prev_form, next_form, participle)
        ]
        if not fitting:
            self.skip(a, b, m, contribution, "no alternative fits here", inflected)
            return None
        words = [w for w in fitting if w != DROP]
        if fitting[0] == DROP:
            edit = self.drop(m, forms, starts, ends, floor, unit, contribution)
            if edit is not None:
                core_a, core_b = edit.core
                lead, trail = text[edit.start : core_a], text[core_b : edit.end]
                for w in words:
                    r = lead + _match_case(original, w, title) + trail
                    if r not in edit.alternatives:
                        edit.alternatives.append(r)
                return edit
            if not words:
                self.skip(a, b, m, contribution, "leaving it out would break the sentence", [""])
                return None
        # which words before the span the applied alternative absorbs
        span_start = self._absorb(words[0], forms, starts, ends, m.i, floor)
        rendered = []
        for w in words:
            r = self._render(w, span_start, a, original, title)
            if r is not None and r not in rendered:
                rendered.append(r)
        if not rendered:
            self.skip(a, b, m, contribution, "no alternative fits here", words)
            return None
        return _Edit(
            span_start, b, rendered[0], rendered, m.term, m.source, contribution, (a, b), False
        )

    def _fits(self, alt: str, a: int, b: int, prev: str, nxt: str, participle: bool) -> bool:
        """Whether the (inflected) alternative ``alt`` fits between the words ``prev`` and
        ``nxt`` (``""`` at an edge or across punctuation)."""
        if _is_name(alt) and not self._names_it(alt, a, b):
            return False  # a name only where the text names it
        if prev in _DETERMINERS and alt in _IRREGULAR_PAST:
            return False  # "the plundered treasury" is not "the took treasury"
        content_next = bool(nxt) and nxt not in ENGLISH_FUNCTION_WORDS and nxt not in "!?"
        if " of " in alt and content_next:
            return False  # "accused of corruption" cannot stand before a noun
        # "a sham." is a noun: not "a disputed."
        noun_use = prev in _DETERMINERS and not content_next
        return not (" " not in alt and _adjective_like(alt) and noun_use)

    def _names_it(self, name: str, a: int, b: int) -> bool:
        """Whether the text names ``name`` outside ``[a, b)``, but not right before it (an
        apposition: "North Korea, the hermit nation," would repeat the name)."""
        needle = name.lower()
        window = self.lower_text[max(0, a - len(needle) - 12) : a]
        before = re.sub(r"[\s,;:(—–-]*(?:\bthe)?[\s,;:(—–-]*$", "", window)
        if before.endswith(needle):
            return False
        where = self.lower_text.find(needle)
        while where >= 0:
            if where + len(needle) <= a or where >= b:
                return True
            where = self.lower_text.find(needle, where + 1)
        return False

    def _prev_tokens(self, forms, starts, ends, i, floor):
        """Tokens before token ``i`` joined to it by whitespace only (nearest first)."""
        out = []
        k = i - 1
        while k >= 0 and starts[k] >= floor:
            gap = self.text[ends[k] : starts[k + 1]]
            if gap.strip() or "\n" in gap:
                break
            out.append(k)
            k -= 1
        return out

    def _absorb(self, alternative: str, forms, starts, ends, i, floor) -> int:
        prev = self._prev_tokens(forms, starts, ends, i, floor)
        words = alternative.lower().split(" ")
        if _is_name(alternative) and prev and forms[prev[0]] == "the":
            return starts[prev[0]]
        for n in range(min(len(words) - 1, len(prev)), 0, -1):
            ks = prev[:n][::-1]
            if [forms[k] for k in ks] == words[:n]:
                return starts[ks[0]]
        if prev and forms[prev[0]] in _ARTICLES:
            first = alternative.split(" ")[0]
            wanted = _article_for(first)
            if wanted is not None and wanted != forms[prev[0]]:
                return starts[prev[0]]
        return starts[i]

    def _render(self, alternative, span_start, a, original, title):
        """``alternative`` as the replacement of ``text[span_start:b]``, or ``None``."""
        prefix = self.text[span_start:a]
        cased = _match_case(original, alternative, title)
        if not prefix:
            if _is_name(alternative) or alternative.lower().startswith("the "):
                return cased if not self._after_article(a) else None
            return cased
        pforms, _, _ = token_spans(prefix)
        lower = alternative.lower().split(" ")
        if pforms == ["the"] and _is_name(alternative):
            return alternative if not prefix[:1].isupper() else _capitalise(alternative)
        if lower[: len(pforms)] == pforms:
            # the alternative repeats the words it absorbed: keep their spelling
            tail = alternative.split(" ")[len(pforms) :]
            return prefix + _match_case(original, " ".join(tail), title)
        if len(pforms) == 1 and pforms[0] in _ARTICLES:
            if _is_name(alternative) or lower[0] == "the":
                return None
            wanted = _article_for(alternative.split(" ")[0])
            article = self.text[span_start : span_start + len(pforms[0])]
            new = _with_article(article, wanted) if wanted else article
            return new + prefix[len(pforms[0]) :] + cased
        if _is_name(alternative) or lower[0] == "the":
            return None
        return prefix + cased

    def _after_article(self, a: int) -> bool:
        art = _ARTICLE_BEFORE.search(self.text, max(0, a - 8), a)
        return art is not None and not (art.start(1) and _word_char(self.text[art.start(1) - 1]))

    # -- leaving a word out -------------------------------------------------------------------
    def drop(self, m, forms, starts, ends, floor, unit, contribution) -> _Edit | None:
        text = self.text
        a, b = starts[m.i], ends[m.j - 1]
        adverb = forms[m.j - 1].endswith("ly")
        line_end = text.find("\n", b)
        line_end = unit.end if line_end < 0 else min(line_end, unit.end)
        nxt = m.j if m.j < len(forms) else None
        after = text[b:line_end]
        gap = len(after) - len(after.lstrip(" \t"))
        following = text[b + gap : b + gap + 1]
        if nxt is not None and starts[nxt] == b + gap and gap > 0:
            # a word follows on the same line
            word = forms[nxt]
            if word in _CONJUNCTIONS or (not adverb and word in ENGLISH_FUNCTION_WORDS):
                return None
            if word in ("!", "?"):
                return None
            start, end = a, b + gap
        elif adverb and following == ",":
            rest = text[b + 1 : line_end]
            gap2 = len(rest) - len(rest.lstrip(" \t"))
            at_start = not text[unit.start : a].strip(_OPENERS + " \t")
            if not at_start:
                return None  # "he was, shamelessly, ..." is left alone
            start, end = a, b + 1 + gap2
        elif adverb and (following == "" or following in _CLAUSE_END):
            before = text[unit.start : a]
            gap0 = len(before) - len(before.rstrip(" \t"))
            if gap0 == 0 or a - gap0 < floor:
                return None
            start, end = a - gap0, b
        else:
            return None
        if start < floor:
            return None
        return _Edit(start, end, "", [""], m.term, m.source, contribution, (a, b), True)

    # -- articles and capitals around the edits ------------------------------------------------
    def fix_articles(self) -> None:
        text = self.text
        edits = sorted(self.edits, key=lambda e: e.start)
        by_start = {e.start: e for e in edits}
        unit_starts = [u.start for u in self.units]
        for k, e in enumerate(edits):
            if not e.drop:
                continue
            nxt_word = self._next_word(e.end, by_start)
            # an article before a dropped word: the word after the drop decides it
            window = max(0, e.start - 8)
            art = _ARTICLE_BEFORE.search(text, window, e.start)
            prev_end = edits[k - 1].end if k else 0
            if art and art.start(1) > 0 and _word_char(text[art.start(1) - 1]):
                art = None  # the end of a word ("Jordan"), not an article
            if art and art.start(1) >= prev_end and nxt_word is not None:
                wanted = _article_for(nxt_word[0])
                if wanted is not None and wanted != art.group(1).lower():
                    old, gap = art.group(1), art.group(2)
                    alternatives = []
                    for alt in e.alternatives:
                        first = _WORD_RE.search(alt) if alt.strip() else None
                        want = _article_for(first.group()) if first else wanted
                        alternatives.append(_with_article(old, want or old.lower()) + gap + alt)
                    e.start = art.start(1)
                    e.replacement, e.alternatives = alternatives[0], alternatives
                    by_start = {x.start: x for x in edits}
            # a capitalised first word dropped: the next word takes the capital
            core = text[e.core[0] : e.core[1]]
            unit = self.units[bisect_right(unit_starts, e.core[0]) - 1]
            at_start = not text[unit.start : e.core[0]].strip(_OPENERS + " \t")
            if core[:1].isupper() and at_start and nxt_word is not None:
                word, pos, owner = nxt_word
                if word[:1].islower():
                    if owner is not None:
                        owner.replacement = _capitalise(owner.replacement)
                        owner.alternatives = [_capitalise(x) for x in owner.alternatives]
                    elif e.end == pos:
                        e.end = pos + len(word)
                        e.alternatives = [
                            alt + word if alt.strip() else _capitalise(word)
                            for alt in e.alternatives
                        ]
                        e.replacement = e.alternatives[0]
        self.edits = edits

    def _next_word(self, pos: int, by_start: dict[int, _Edit]):
        """The first word of the rewritten text at ``pos``: (word, its start, its edit)."""
        text = self.text
        seen = 0
        while seen < 50:
            seen += 1
            e = by_start.get(pos)
            if e is not None:
                if e.replacement.strip():
                    w = _WORD_RE.search(e.replacement)
                    return (w.group(), pos, e) if w else None
                pos = e.end
                continue
            m = re.compile(r"[ \t]*").match(text, pos)
            p = m.end()
            if p != pos and p in by_start:
                pos = p
                continue
            w = _WORD_RE.match(text, p)
            return (w.group(), p, None) if w else None
        return None


# ---- scoring ------------------------------------------------------------------------------------
def _resolve(model: Model | None) -> Model:
    if model is not None:
        return model
    from .scoring import _default_model  # the process-wide shipped model explain() uses

    return _default_model()


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


def suggest(text: str, model: Model | None = None, *, kind: str = "auto") -> Suggestion:
    """Neutral rewording of ``text``: the loaded words that push its ``loaded`` score up
    replaced by their neutral counterparts, and the text scored before and after.

    Parameters
    ----------
    text : str
        A headline or an article body (see ``kind``).
    model : framing.Model, optional
        The model to explain and score with; the shipped one when ``None``.
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


# ---- terminal text ------------------------------------------------------------------------------
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def escape_control(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1), bidirectional overrides and line or
    paragraph separators written as escapes (``\\n``, ``\\t``, ``\\x1b``, ``\\u202e``), so
    that nothing in it can move the cursor or restyle a terminal."""

    def esc(m: re.Match) -> str:
        ch = m.group()
        r = repr(ch)[1:-1]
        if r == ch:  # repr leaves some format characters as they are
            r = f"\\u{ord(ch):04x}"
        return r

    return _UNSAFE.sub(esc, text)


def _marked(text: str, spans: Sequence[tuple[int, int]], open_: str, close: str) -> str:
    parts = []
    pos = 0
    for a, b in spans:
        parts.append(escape_control(text[pos:a]))
        if b > a:  # a span left out leaves no mark in the text after
            parts.append(open_ + escape_control(text[a:b]) + close)
        pos = max(pos, b)
    parts.append(escape_control(text[pos:]))
    return "".join(parts)


def _fmt_scores(scores: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" for k, v in scores.items()) or "(no scores)"


def render_suggestion(s: Suggestion, *, color: bool = False) -> str:
    """Human-readable terminal text of a :class:`Suggestion`: the scores before and after,
    the text before (``-``, replaced words in ``[-...-]``) and after (``+``, replacements in
    ``{+...+}``), each replacement with the other alternatives, and the loaded words left as
    they are. A body shows only the sentences that changed. Control characters are
    escaped (:func:`escape_control`); ``color`` marks with ANSI colours instead of brackets
    (red struck through, green bold).
    """
    if color:
        old = ("\x1b[31;9m", "\x1b[0m")
        new = ("\x1b[32;1m", "\x1b[0m")
    else:
        old = ("[-", "-]")
        new = ("{+", "+}")
    lines = [
        f"{s.kind}: before  {_fmt_scores(s.before)}",
        f"{s.kind}: after   {_fmt_scores(s.after)}",
    ]
    reps = s.replacements
    if s.kind == "headline" or not s.sentences:
        blocks = [(0, len(s.text), 0, len(s.rewritten), None)]
    else:
        blocks = [
            (x.start, x.end, x.rewritten_start, x.rewritten_end, x)
            for x in s.sentences
            if x.changed
        ]
    for a, b, ra, rb, sent in blocks:
        inside = [r for r in reps if r.start < b and r.end > a]
        lines.append("")
        if sent is not None:
            lines.append(f"sentence at {a}-{b}: loaded {sent.before:.3f} -> {sent.after:.3f}")
        before_spans = [(max(r.start, a) - a, min(r.end, b) - a) for r in inside]
        after_spans = [
            (max(r.rewritten_start, ra) - ra, min(r.rewritten_end, rb) - ra) for r in inside
        ]
        lines.append("- " + _marked(s.text[a:b], before_spans, *old))
        lines.append("+ " + _marked(s.rewritten[ra:rb], after_spans, *new))
    if reps:
        lines.append("")
        lines.append(f"{len(reps)} replacement{'s' if len(reps) != 1 else ''}:")
        for r in reps:
            shown = repr(r.replacement) if r.replacement.strip() else "(left out)"
            others = [repr(x) if x.strip() else "(left out)" for x in r.alternatives[1:]]
            also = f"  (also: {', '.join(others)})" if others else ""
            lines.append(
                f"  {r.start}-{r.end} {escape_control(repr(r.original))} -> "
                f"{escape_control(shown)}{escape_control(also)}"
            )
    else:
        lines.append("")
        lines.append("no loaded word to replace")
    if s.skipped:
        lines.append("")
        lines.append("left as they are:")
        for k in s.skipped:
            lines.append(
                f"  {k.start}-{k.end} {escape_control(repr(k.original))}: "
                f"{escape_control(k.reason)}"
            )
    return "\n".join(lines)
