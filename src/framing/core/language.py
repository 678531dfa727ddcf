"""Is a text English? The one rule every surface applies (the model was trained on English).

A cheap first look decides most English text without loading anything; the rest is asked of
py3langid (a maintained fork of langid.py: naive Bayes over byte n-grams), restricted to
:data:`LANGUAGES` and loaded on first use, once per process. The restricted model is built once
from py3langid's LZMA file (about 0.8 s) and kept uncompressed in a cache folder
($FRAMING_CACHE_DIR, else $XDG_CACHE_HOME/framing or ~/.cache/framing; about 50 MB), then
memory-mapped by every later process (about 0.05 s); the texts a batch leaves to the library
are scored together (the byte walk of every position found at once: a few numpy steps),
with py3langid's arithmetic (its probabilities to the last bit: a test). In order:

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

import hashlib
import itertools
import math
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path

import numpy as np

__all__ = [
    "ENGLISH_FUNCTION_WORDS",
    "FIRST_LOOK_WORDS",
    "FOREIGN_FUNCTION_WORDS",
    "LANGUAGES",
    "LANGUAGE_SAMPLE_CHARS",
    "MAX_ENGLISH_PROBABILITY",
    "MIN_NAMED_PROBABILITY",
    "MIN_WORDS_FOR_LANGUAGE",
    "LanguageCheck",
    "check_language",
    "check_languages",
    "identify",
    "identify_many",
    "language_model",
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
dos het een niet zijn voor ook bij uit naar tegen wordt werd heeft hebben worden kunnen maar
nog wel geen deze dit wat onder tussen zonder och att är som inte jest nie się"""
# Frequent English words of headlines that are not frequent words of the other languages
# (no "so", "man", "do", "me", "i", "die"): with the function words, the words of the first look
_COMMON_TEXT = """people things never ever every here only best most really make know need get
got did him all one time times first now too very during before against under between while
because off down back year years world women men day way like look amid vs"""
ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_TEXT.split())
FIRST_LOOK_WORDS = ENGLISH_FUNCTION_WORDS | frozenset(_COMMON_TEXT.split())
# First-look words that are also frequent words of another Latin-script language ("in" and
# "over" Dutch, "was" and "will" German, "a" Spanish and Italian, "of" Dutch for "or"): the
# first look decides English only when at least one of its words is not one of these
# ("Nieuwe film over Ajax in premiere" holds two English words and is Dutch)
_SHARED_TEXT = "a an in is was of on over also will we had for her men"
SHARED_WORDS = frozenset(_SHARED_TEXT.split())
FOREIGN_FUNCTION_WORDS = frozenset(_FOREIGN_TEXT.split())
# The languages py3langid chooses among: the most written ones. Restricting the choice keeps
# short English headlines from being taken for a rare language close to English (Nigerian
# Pidgin, Scots, ...), which the full set of 97 does for about 1 English headline in 50.
_LANGUAGES_TEXT = (
    "en fr de es it pt nl ru zh ja ko ar tr pl sv da no fi cs hu ro el uk id vi hi fa he ca"
)
LANGUAGES = tuple(_LANGUAGES_TEXT.split())
# py3langid's model lists them alphabetically; its columns are kept in that order, as its
# set_languages does (the products then round as its own do)
MODEL_ORDER = tuple(sorted(LANGUAGES))
MAX_ENGLISH_PROBABILITY = 0.1
# a language is named only when py3langid gives it at least this probability (else "und")
MIN_NAMED_PROBABILITY = 0.5
MIN_WORDS_FOR_LANGUAGE = 4
MIN_ENGLISH_WORDS = 2  # different English function words that decide without the library
LANGUAGE_SAMPLE_CHARS = 20_000
# what the library reads of a text the first look leaves undecided: its first 2,000
# characters (a paragraph is plenty to name a language; a long body read whole cost a fifth
# of explain()'s time on a 1,000-word article)
LIBRARY_SAMPLE_CHARS = 2_000
# what is not a Latin letter / not a letter (Latin: A-Z, Latin-1 to Latin Extended-B, Latin
# Extended Additional), removed to count the letters without listing them
_NOT_LATIN_RE = re.compile(r"[^A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
_NOT_LETTER_RE = re.compile(r"[\W\d_]+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
_ASCII_NOT_LETTERS = bytes(i for i in range(128) if not chr(i).isalpha())


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
CACHE_ENV = "FRAMING_CACHE_DIR"
_CACHE_FORMAT = 3
_CACHE_ARRAYS = ("ptc", "pc", "nextmove", "row", "out")
# bytes walked from the start state to find the state at each position of a long text: at
# least the longest n-gram of the model (6 bytes in py3langid's; a longer one is caught by the
# check of _Identifier._states, and the texts are then walked byte by byte)
_WALK_WINDOW = 6


class _Identifier:
    """py3langid's naive Bayes restricted to :data:`LANGUAGES`, scoring many texts at once.

    The same arithmetic as py3langid's ``LanguageIdentifier.rank`` with ``norm_probs`` (its
    byte n-gram walk, ``log1p`` counts times the class weights, the softmax at temperature
    sqrt(bytes), its column order, so its figures to the last bit); the weights of the other
    languages are dropped."""

    def __init__(self, ptc, pc, classes, nextmove, row, out) -> None:
        # plain arrays over the memory-mapped files (numpy's memmap class is slower to index)
        self.ptc, self.pc, self.classes = np.asarray(ptc), np.asarray(pc), list(classes)
        if len(set(self.classes)) != len(self.classes):
            raise ValueError("py3langid's model names a language twice among LANGUAGES")
        self.en = self.classes.index("en")
        self.nextmove = np.asarray(nextmove)  # the byte walk's transitions (a DFA)
        self.rowbase = np.asarray(row, np.int64) << 8
        self.out = np.asarray(out, np.int64)  # per state: the n-gram ending there, or -1
        # the same as Python sequences, for walking one long text
        self.nextmove_seq = memoryview(self.nextmove).cast("B").cast(self.nextmove.dtype.char)
        self.rowbase_seq, self.out_seq = self.rowbase.tolist(), self.out.tolist()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, the probability of each of :attr:`classes` (rows sum to 1)."""
        data = [_encode(text) for text in texts]
        doc, feature = self._walk(data)
        width = self.ptc.shape[0]
        pairs, first, counts = np.unique(
            doc * width + feature, return_index=True, return_counts=True
        )
        order = np.lexsort((first, pairs // width))  # by text, then as py3langid: first seen
        doc, feature = pairs[order] // width, pairs[order] % width
        weight = np.log1p(counts[order].astype(np.float32))
        scores = np.zeros((len(data), len(self.classes)), np.float32)
        bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True]) if len(doc) else [0]
        for lo, hi in itertools.pairwise(np.asarray(bounds).tolist()):
            # one product per text, in py3langid's order: its figures to the last bit
            scores[doc[lo]] = weight[lo:hi] @ self.ptc[feature[lo:hi]] + self.pc
        for i, d in enumerate(data):  # py3langid's softmax at temperature sqrt(bytes)
            row = scores[i]
            row *= 1.0 / math.sqrt(len(d) or 1)
            np.exp(row - row.max(), out=row)
            row /= row.sum()
        return scores

    def _walk(self, data: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """Every n-gram found in each text (text number, feature), with repeats, each text's
        in the order of py3langid's byte walk; the walk of all texts made at once (see
        :meth:`_states`)."""
        lengths = np.fromiter(map(len, data), np.int64, len(data))
        if not lengths.sum():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        flat = np.frombuffer(b"".join(data), np.uint8)
        doc = np.repeat(np.arange(len(data)), lengths)
        start = np.repeat(np.cumsum(lengths) - lengths, lengths)  # each byte's text's start
        states = self._states(flat, start)
        if states is None:  # a model with longer n-grams than the window: byte by byte
            states = np.concatenate([self._walk_states(d) for d in data]).astype(np.int64)
        found = self.out[states]
        hit = found >= 0
        return doc[hit], found[hit].astype(np.int64, copy=False)

    def _states(self, flat: np.ndarray, start: np.ndarray) -> np.ndarray | None:
        """The byte walk's state after each byte of the joined texts (each text walked from
        the start state), found for every position at once: walked from the start state over
        the :data:`_WALK_WINDOW` bytes of its text that end there (a state of the walk is a
        suffix of the text read, no longer than the model's longest n-gram), then checked
        against the walk's transitions (each state the move of the one before, a text's
        first bytes walked whole, so every state is the byte walk's); None when the check
        fails."""
        n = len(flat)
        at = np.arange(n)
        state = np.zeros(n, np.int64)
        for k in range(_WALK_WINDOW - 1, -1, -1):
            src = at - k
            inside = src >= start  # the window is cut at the text's start
            moved = self.nextmove[self.rowbase[state] + flat[np.maximum(src, 0)]]
            state = np.where(inside, moved, state)
        prev = np.where(start == at, 0, np.roll(state, 1))
        if not np.array_equal(self.nextmove[self.rowbase[prev] + flat], state):
            return None
        return state

    def _walk_states(self, data: bytes) -> list[int]:
        """The state after each byte of one text, walked byte by byte (py3langid's loop)."""
        nm, rb, state, states = self.nextmove_seq, self.rowbase_seq, 0, []
        for byte in data:
            state = nm[rb[state] + byte]
            states.append(state)
        return states


def _encode(text: str) -> bytes:
    """The bytes py3langid reads (its ``_encode``): lower case when all upper, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def _cache_dir() -> Path:
    """Where the restricted model is kept: $FRAMING_CACHE_DIR, else $XDG_CACHE_HOME/framing,
    else ~/.cache/framing."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "framing"


def _cache_path() -> Path:
    from py3langid import langid

    model = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    stat = model.stat()
    key = f"{_CACHE_FORMAT} {model} {stat.st_size} {stat.st_mtime_ns} {_LANGUAGES_TEXT}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return _cache_dir() / f"py3langid-{digest}"


def _build_arrays() -> dict:
    """The restricted model's arrays from py3langid's own file (LZMA: about 0.8 s)."""
    from py3langid import langid
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, out = load_model(Path(langid.MODEL_DIR) / langid.MODEL_FILE)
    keep = sorted(classes.index(code) for code in LANGUAGES)
    if [classes[i] for i in keep] != list(MODEL_ORDER):
        raise ValueError("py3langid's model does not list its languages alphabetically")
    return {
        "ptc": np.ascontiguousarray(np.asarray(ptc)[:, keep]),  # float16, as py3langid holds it
        "pc": np.asarray(pc, np.float32)[keep],
        "nextmove": np.frombuffer(nextmove, f"u{nextmove.itemsize}"),
        "row": np.frombuffer(row, f"u{row.itemsize}"),
        "out": np.asarray(out, np.int32),
    }


def _write_cache(path: Path, arrays: dict) -> None:
    """The arrays as .npy files in a folder, renamed into place whole (never half written);
    a cache that cannot be written is skipped (the next process builds it again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=path.parent))
        for name in _CACHE_ARRAYS:
            np.save(tmp / f"{name}.npy", arrays[name], allow_pickle=False)
        try:
            tmp.rename(path)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        pass


def _read_cache(path: Path) -> dict | None:
    try:
        return {
            name: np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in _CACHE_ARRAYS
        }
    except (OSError, ValueError):
        return None


def _load_identifier() -> _Identifier:
    """The restricted model, from the cache (memory-mapped: about 0.05 s) or built from
    py3langid's file and cached."""
    path = _cache_path()
    arrays = _read_cache(path) if path.is_dir() else None
    if arrays is None:
        if path.is_dir():  # damaged (a disk error, a hand edit): made again
            shutil.rmtree(path, ignore_errors=True)
        arrays = _build_arrays()
        _write_cache(path, arrays)
    return _Identifier(
        arrays["ptc"],
        np.array(arrays["pc"]),
        MODEL_ORDER,
        arrays["nextmove"],
        arrays["row"],
        arrays["out"],
    )


def language_model() -> _Identifier:
    """py3langid's model over :data:`LANGUAGES`, loaded once per process (a process forked
    after this call has it too)."""
    with _LOCK:
        if not _IDENTIFIER:
            _IDENTIFIER.append(_load_identifier())
        return _IDENTIFIER[0]


def identify_many(texts: Sequence[str]) -> list[tuple[str, float]]:
    """Per text, py3langid's most probable language among :data:`LANGUAGES` and its
    probability of English (scored together)."""
    return [(language, p_en) for language, p_en, _ in _identify_many(texts)]


def _identify_many(texts: Sequence[str]) -> list[tuple[str, float, float]]:
    """:func:`identify_many`, with the most probable language's own probability."""
    if not texts:
        return []
    ident = language_model()
    probs = ident.probabilities(texts)
    best = probs.argmax(axis=1).tolist()
    top = probs.max(axis=1).tolist()
    return [
        (ident.classes[b], float(p), float(t))
        for b, p, t in zip(best, probs[:, ident.en].tolist(), top, strict=True)
    ]


def identify(text: str) -> tuple[str, float]:
    """py3langid's most probable language of ``text`` among :data:`LANGUAGES`, and its
    probability of English."""
    return identify_many([text])[0]


def check_language(text: str) -> LanguageCheck:
    """Whether ``text`` is English, by the rule of this module (on its first 20,000
    characters)."""
    return check_languages([text])[0]


def check_languages(texts: Sequence[str]) -> list[LanguageCheck]:
    """:func:`check_language` of each text; the words of the ASCII texts (most of a feed) are
    counted together, in one pass over the joined texts, the texts the first look leaves
    undecided are asked of the library together, and the library is loaded only when a text
    needs it."""
    out: list[LanguageCheck | None] = [None] * len(texts)
    counts: list[tuple] = [()] * len(texts)
    fast = []
    for i, text in enumerate(texts):
        if text.isascii() and len(text) <= LANGUAGE_SAMPLE_CHARS and "\0" not in text:
            fast.append(i)
        else:
            counts[i] = _counts(text[:LANGUAGE_SAMPLE_CHARS])
    if fast:
        ascii_counts = _ascii_counts([texts[i] for i in fast])
        for i, (n, eng, foreign, only) in zip(fast, ascii_counts, strict=True):
            counts[i] = (1.0, eng, foreign, n, only)
    asked = []
    for i, c in enumerate(counts):
        out[i] = _first_look(*c)
        if out[i] is None:
            asked.append(i)
    samples = [texts[i][:LIBRARY_SAMPLE_CHARS] for i in asked]
    for i, (language, p_en, p_top) in zip(asked, _identify_many(samples), strict=True):
        out[i] = _library_verdict(counts[i][:4], language, p_en, p_top)
    return out  # type: ignore[return-value]


# ASCII text made lower case words: letters and apostrophes kept, anything else a space;
# what _WORD_RE finds there is then what it finds in the text (NUL joins texts)
_ASCII_WORD_TABLE = str.maketrans(
    {i: " " for i in range(1, 128) if not (chr(i).isalpha() or chr(i) == "'")}
)
_ASCII_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")
# per byte of a lower-case ASCII text: the letters and the apostrophe kept, the rest a space
_ASCII_WORD_BYTES = bytes(c if chr(c).islower() and c < 128 or c == 39 else 32 for c in range(256))
if any("'" in w or "’" in w for w in FIRST_LOOK_WORDS | FOREIGN_FUNCTION_WORDS):
    raise AssertionError("the word lists of the first look hold no apostrophe (see _words)")
# per word: its number among the first-look words (1, 2, ...), and 0 for another language's
# function word (no word is both)
_FIRST_LOOK_IDS = {w: k + 1 for k, w in enumerate(sorted(FIRST_LOOK_WORDS))}
_WORD_CODES = {**{w: 0 for w in FOREIGN_FUNCTION_WORDS}, **_FIRST_LOOK_IDS}
_SHARED_IDS = np.array(sorted(_FIRST_LOOK_IDS[w] for w in SHARED_WORDS))


def _ascii_counts(texts: list[str]) -> list[tuple[int, int, int, int]]:
    """Per ASCII text: its words, its different first-look words, its foreign function
    words, its different first-look words that are not :data:`SHARED_WORDS`."""
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
    only = np.bincount(pairs[~np.isin(pairs % width, _SHARED_IDS)] // width, minlength=size)
    return list(zip(n.tolist(), eng.tolist(), foreign.tolist(), only.tolist(), strict=True))


def _counts(sample: str) -> tuple[float, int, int, int, int]:
    """A text's Latin share, different first-look words, foreign function words, words, and
    different first-look words that are not :data:`SHARED_WORDS`."""
    # the ASCII letters counted on the ASCII bytes, the regular expressions run on the other
    # characters only (most of an English text is ASCII): the same counts as on the whole
    ascii_letters = len(sample.encode("ascii", "ignore").translate(None, _ASCII_NOT_LETTERS))
    other = "".join(_NON_ASCII_RE.findall(sample))
    letters = ascii_letters + len(_NOT_LETTER_RE.sub("", other))
    latin = (ascii_letters + len(_NOT_LATIN_RE.sub("", other))) / letters if letters else 0.0
    words = _words(sample.lower(), letters == ascii_letters)
    found = FIRST_LOOK_WORDS.intersection(words)
    foreign = sum(map(FOREIGN_FUNCTION_WORDS.__contains__, words))
    return latin, len(found), foreign, len(words), len(found - SHARED_WORDS)


def _words(lowered: str, ascii_letters_only: bool) -> list[str]:
    """``_WORD_RE``'s words of a lower-case text; when its only letters are ASCII (lower
    case), found on its ASCII bytes: the other characters are then not letters (they split
    words) but for the apostrophe ’, which joins words as ' does (written ', the words found
    are the same but for it, and neither list of words to count holds an apostrophe)."""
    if not ascii_letters_only:
        return _WORD_RE.findall(lowered)
    text = lowered.replace("’", "'").encode("ascii", "replace").translate(_ASCII_WORD_BYTES)
    text = text.decode("ascii")
    return _ASCII_WORD_RE.findall(text) if "'" in text else text.split()


def _first_look(latin: float, eng: int, foreign: int, n: int, only: int) -> LanguageCheck | None:
    """The rule of this module on a text's counts (``only``: its different first-look words
    that are not :data:`SHARED_WORDS`); None when the library must be asked."""
    if n == 0:
        return LanguageCheck(None, None, 0.0, 0, 0, 0, None, "no letters")
    if latin >= 0.5 and n < MIN_WORDS_FOR_LANGUAGE:
        return LanguageCheck(None, None, latin, eng, foreign, n, None, f"only {n} words: too short")
    if latin >= 0.5 and eng >= MIN_ENGLISH_WORDS and only and not foreign:
        return LanguageCheck(
            True, None, latin, eng, foreign, n, None, f"{eng} common English words"
        )
    return None


def _library_verdict(counts: tuple, language: str, p_en: float, p_top: float) -> LanguageCheck:
    """The rule on a text the first look left to py3langid (its top language, P(English),
    P(top language))."""
    latin = counts[0]
    if language == "en" or p_top < MIN_NAMED_PROBABILITY:
        # no language to name: a script none of LANGUAGES is written in (runes, letters in
        # circles), or no language likely; the code says so ("und", undetermined)
        language = "und"
    if latin < 0.5:
        return _foreign(counts, language, p_en, f"{1 - latin:.0%} of its letters are not Latin")
    if p_en < MAX_ENGLISH_PROBABILITY:
        return _foreign(counts, language, p_en, _named(language, p_en, p_top))
    eng, foreign = counts[1], counts[2]
    if language != "und" and p_en < 0.5 and foreign >= max(1, eng):
        # two signals agree: the library's top language is not English, and the text's
        # function words are another language's at least as often as English ones
        reason = f"{_named(language, p_en, p_top)}, with {foreign} of its function words"
        return _foreign(counts, language, p_en, reason)
    return LanguageCheck(True, None, *counts, p_en, f"identified as English ({p_en:.2f})")


def _named(language: str, p_en: float, p_top: float) -> str:
    if language == "und":
        return f"not identified: py3langid finds no language likely (English {p_en:.2f})"
    return f"identified as {language} by py3langid"


def _foreign(counts: tuple, language: str, p_en: float, reason: str) -> LanguageCheck:
    return LanguageCheck(False, language, *counts, p_en, reason)
