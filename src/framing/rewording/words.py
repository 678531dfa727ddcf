"""Spelling rules of the rewording: inflection, capitalisation and the article before a word.

They read spelling, not grammar: lists and endings, not a tagger (see :mod:`framing.rewording`)."""

from __future__ import annotations

import re

from framing.core.wordlists import DROP

__all__ = [
    "INTENSIFIERS",
    "VERBS",
    "article_for",
    "inflect",
    "ing",
    "past",
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


def past(verb: str, participle: bool) -> str:
    """The past (or past participle) of a verb of :data:`VERBS`, regular or listed."""
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


def ing(verb: str) -> str:
    """The -ing form of a regular verb (e-drop, consonant doubling)."""
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
        return past(last, participle) if form == "past" else ing(last)
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


def article_for(word: str) -> str | None:
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
