"""Is a text English? The one rule every surface applies (the model was trained on English).

A cheap first look decides most English text without loading anything; the rest is asked of
py3langid (a maintained fork of langid.py: naive Bayes over byte n-grams), restricted to
:data:`LANGUAGES` and loaded on first use (about 0.6 s, once per process). In order:

1. no letters: undecided (``english`` None);
2. under half of the letters in the Latin script: not English;
3. fewer than :data:`MIN_WORDS_FOR_LANGUAGE` words: undecided (too short to tell);
4. at least two *different* common English words (function words such as "the", "of", "is"
   and frequent headline words such as "people", "never"; :data:`FIRST_LOOK_WORDS`) and no
   function word of another European language ("der", "les", "que", ...): English, without
   the library;
5. otherwise py3langid: not English when its probability of English is under
   :data:`MAX_ENGLISH_PROBABILITY`, English otherwise.

A text judged not English names its language (py3langid's most probable one, an ISO 639-1
code such as ``fr``). The figures (written headlines in eight languages, English headlines of
two public sets) are printed by ``benchmarks/eval_language.py``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

__all__ = [
    "ENGLISH_FUNCTION_WORDS",
    "FIRST_LOOK_WORDS",
    "FOREIGN_FUNCTION_WORDS",
    "LANGUAGES",
    "LANGUAGE_SAMPLE_CHARS",
    "MAX_ENGLISH_PROBABILITY",
    "MIN_WORDS_FOR_LANGUAGE",
    "LanguageCheck",
    "check_language",
    "check_languages",
    "identify",
]

_ENGLISH_TEXT = """the of and to a an in on is are was were be been for that with it its this
from by has have had not but they their them he his she her we our you your who which what when
why how would could should will than there these those after over into about says said more
just out up also if or as at my can new"""
# Frequent function words of other Latin-script languages that are not English words
# (German, French, Spanish, Italian, Portuguese, Dutch, ...).
_FOREIGN_TEXT = """der und nicht ist ein eine einer mit auf den dem das für von sich auch
wird werden bei nach über sind wie oder hat im zum zur dass sie wir ich les des du et est une
pour dans pas qui sur aux avec cette sont elle nous vous mais leur très los las y que por para
una es su como pero más muy ya della di che il gli nel degli sono questo não em uma com os das
dos het een niet zijn voor ook och att är som inte jest nie się"""
# Frequent English words of headlines that are not frequent words of the other languages
# (no "so", "man", "do", "me", "i", "die"): with the function words, the words of the first look
_COMMON_TEXT = """people things never ever every here only best most really make know need get
got did him all one time times first now too very during before against under between while
because off down back year years world women men day way like look amid vs"""
ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_TEXT.split())
FIRST_LOOK_WORDS = ENGLISH_FUNCTION_WORDS | frozenset(_COMMON_TEXT.split())
FOREIGN_FUNCTION_WORDS = frozenset(_FOREIGN_TEXT.split())
# The languages py3langid chooses among: the most written ones. Restricting the choice keeps
# short English headlines from being taken for a rare language close to English (Nigerian
# Pidgin, Scots, ...), which the full set of 97 does for about 1 English headline in 50.
_LANGUAGES_TEXT = (
    "en fr de es it pt nl ru zh ja ko ar tr pl sv da no fi cs hu ro el uk id vi hi fa he ca"
)
LANGUAGES = tuple(_LANGUAGES_TEXT.split())
MAX_ENGLISH_PROBABILITY = 0.1
MIN_WORDS_FOR_LANGUAGE = 4
MIN_ENGLISH_WORDS = 2  # different English function words that decide without the library
LANGUAGE_SAMPLE_CHARS = 20_000
# what is not a Latin letter / not a letter (Latin: A-Z, Latin-1 to Latin Extended-B, Latin
# Extended Additional), removed to count the letters without listing them
_NOT_LATIN_RE = re.compile(r"[^A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
_NOT_LETTER_RE = re.compile(r"[\W\d_]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class LanguageCheck:
    """Whether a text is English (``english`` None: cannot tell) and, when it is not, its
    language (``language``, an ISO 639-1 code; None when English or undecided)."""

    english: bool | None
    language: str | None
    latin_share: float  # share of letters in the Latin script
    english_words: int  # different common English words (FIRST_LOOK_WORDS)
    foreign_words: int  # function words of other languages ("der", "les", "que", ...)
    words: int
    english_probability: float | None  # py3langid's, when it was asked
    reason: str


_LOCK = threading.Lock()
_IDENTIFIER: list = []


def _identifier():
    """py3langid's identifier over :data:`LANGUAGES`, loaded once per process."""
    with _LOCK:
        if not _IDENTIFIER:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            ident.set_languages(list(LANGUAGES))
            _IDENTIFIER.append(ident)
        return _IDENTIFIER[0]


def identify(text: str) -> tuple[str, float]:
    """py3langid's most probable language of ``text`` among :data:`LANGUAGES`, and its
    probability of English."""
    ranked = _identifier().rank(text)
    return ranked[0][0], float(dict(ranked).get("en", 0.0))


def check_language(text: str) -> LanguageCheck:
    """Whether ``text`` is English, by the rule of this module (on its first 20,000
    characters)."""
    return check_languages([text])[0]


def check_languages(texts: Sequence[str]) -> list[LanguageCheck]:
    """:func:`check_language` of each text; the words of the ASCII texts (most of a feed) are
    counted together, in one pass over the joined texts, and the library is loaded only when
    a text needs it."""
    out: list[LanguageCheck | None] = [None] * len(texts)
    fast = []
    for i, text in enumerate(texts):
        if text.isascii() and len(text) <= LANGUAGE_SAMPLE_CHARS and "\0" not in text:
            fast.append(i)
        else:
            out[i] = _check(text[:LANGUAGE_SAMPLE_CHARS])
    if fast:
        counts = _ascii_counts([texts[i] for i in fast])
        for i, (n, eng, foreign) in zip(fast, counts, strict=True):
            out[i] = _verdict(texts[i], 1.0, n, eng, foreign)
    return out  # type: ignore[return-value]


# ASCII text made lower case words: letters and apostrophes kept, anything else a space;
# what _WORD_RE finds there is then what it finds in the text (NUL joins texts)
_ASCII_WORD_TABLE = str.maketrans(
    {i: " " for i in range(1, 128) if not (chr(i).isalpha() or chr(i) == "'")}
)
_ASCII_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")
# per word: its number among the first-look words (1, 2, ...), and 0 for another language's
# function word (no word is both)
_FIRST_LOOK_IDS = {w: k + 1 for k, w in enumerate(sorted(FIRST_LOOK_WORDS))}
_WORD_CODES = {**{w: 0 for w in FOREIGN_FUNCTION_WORDS}, **_FIRST_LOOK_IDS}


def _ascii_counts(texts: list[str]) -> list[tuple[int, int, int]]:
    """Per ASCII text: its words, its different first-look words, its foreign function
    words."""
    joined = "\0".join(texts).lower().translate(_ASCII_WORD_TABLE)
    words = [
        _ASCII_WORD_RE.findall(line) if "'" in line else line.split() for line in joined.split("\0")
    ]
    size = len(texts)
    n = np.fromiter(map(len, words), np.int64, size)
    flat = list(chain.from_iterable(words))
    code = np.fromiter(map(_WORD_CODES.get, flat, repeat(-1)), np.int64, len(flat))
    doc = np.repeat(np.arange(size), n)
    foreign = np.bincount(doc[code == 0], minlength=size)
    width = len(_FIRST_LOOK_IDS) + 1
    pairs = np.unique(doc[code > 0] * width + code[code > 0])
    eng = np.bincount(pairs // width, minlength=size)
    return list(zip(n.tolist(), eng.tolist(), foreign.tolist(), strict=True))


def _check(sample: str) -> LanguageCheck:
    letters = len(_NOT_LETTER_RE.sub("", sample))
    latin = len(_NOT_LATIN_RE.sub("", sample)) / letters if letters else 0.0
    words = _WORD_RE.findall(sample.lower())
    eng = len(FIRST_LOOK_WORDS.intersection(words))
    foreign = sum(map(FOREIGN_FUNCTION_WORDS.__contains__, words))
    return _verdict(sample, latin, len(words), eng, foreign)


def _verdict(sample: str, latin: float, n: int, eng: int, foreign: int) -> LanguageCheck:
    """The rule of this module on a text's counts (the library asked when they do not
    decide)."""
    if n == 0:
        return LanguageCheck(None, None, 0.0, 0, 0, 0, None, "no letters")
    counts = (latin, eng, foreign, n)
    if latin < 0.5:
        language, p_en = identify(sample)
        return _foreign(counts, language, p_en, f"{1 - latin:.0%} of its letters are not Latin")
    if n < MIN_WORDS_FOR_LANGUAGE:
        return LanguageCheck(None, None, *counts, None, f"only {n} words: too short")
    if eng >= MIN_ENGLISH_WORDS and not foreign:
        return LanguageCheck(True, None, *counts, None, f"{eng} common English words")
    language, p_en = identify(sample)
    if p_en < MAX_ENGLISH_PROBABILITY:
        return _foreign(counts, language, p_en, f"identified as {language} by py3langid")
    return LanguageCheck(True, None, *counts, p_en, f"identified as English ({p_en:.2f})")


def _foreign(counts: tuple, language: str, p_en: float, reason: str) -> LanguageCheck:
    code = language if language != "en" else "und"  # script says no, the library says en
    return LanguageCheck(False, code, *counts, p_en, reason)
