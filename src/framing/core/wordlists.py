"""Word lists shipped with the package, read as lexicons: ``resources/loaded_terms.txt``.

A lexicon maps a phrase (token forms joined by a space, at most three) to a weight. The
loaded-terms list also gives each entry its neutral alternatives (``term | alternative;
...``), which :mod:`framing.rewording` offers in its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from framing.core.language import ENGLISH_FUNCTION_WORDS
from framing.core.text import token_spans

__all__ = [
    "DROP",
    "FUNCTION_WORDS",
    "is_content_word",
    "MAX_TERM_CHARS",
    "RESOURCES",
    "SENSE_CLASSES",
    "TermListError",
    "from_lines",
    "loaded_term_alternatives",
    "loaded_term_senses",
    "loaded_terms",
    "parse_terms",
    "phrase",
    "word_list",
]

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


# English function words (articles, pronouns, auxiliaries, prepositions, conjunctions and
# their contractions): words that carry grammar, not a topic
_MORE_FUNCTION_WORDS = """i me him himself herself itself themselves ourselves yours hers ours
theirs whom whose do does did doing done am being having so then very all any some no nor only
own same such too each few both other off again further once here where while during before
above below between through under until against because may might must shall upon yet s t
don't won't can't isn't aren't wasn't weren't didn't doesn't hasn't haven't hadn't wouldn't
couldn't shouldn't it's that's there's he's she's i'm you're we're they're i've you've we've
they've i'll you'll we'll they'll i'd you'd let's via per us one get got"""
FUNCTION_WORDS = ENGLISH_FUNCTION_WORDS | frozenset(_MORE_FUNCTION_WORDS.split())


def is_content_word(form: str) -> bool:
    """Whether a token form is a content word: it has a letter and is not one of
    :data:`FUNCTION_WORDS` (numbers and "the", "won't", "as" are not)."""
    return form not in FUNCTION_WORDS and any(map(str.isalpha, form))


def phrase(text: str) -> str:
    """The lexicon key of a word or phrase: its token forms joined by a space."""
    return " ".join(token_spans(text)[0])


def from_lines(lines: Iterable[str], weight: float = 1.0, max_words: int = 3) -> dict[str, float]:
    """A lexicon from word-list lines: ``#`` comments and blank lines skipped, and anything
    after a ``|`` (the neutral alternatives of ``loaded_terms.txt``) left out."""
    out = {}
    for line in lines:
        line = line.split("|", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        key = phrase(line)
        if key and key.count(" ") < max_words:
            out[key] = weight
    return out


def word_list(path: Path) -> dict[str, float]:
    """A lexicon (weight 1) from a word-list file (see :func:`from_lines`)."""
    return from_lines(Path(path).read_text(encoding="utf-8").splitlines())


def loaded_terms() -> dict[str, float]:
    """framing's own documented list of loaded terms and epithets."""
    return word_list(RESOURCES / "loaded_terms.txt")


DROP = "<drop>"


SENSE_CLASSES = ("loaded", "name", "intensifier", "quality", "claim", "action", "event", "person")


class TermListError(ValueError):
    """A line of a loaded-terms list breaks the list's format (see :func:`parse_terms`)."""


# what an alternative may not hold: control characters and the marks that reorder text
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_TERM_CHARS = 1000  # a field of a line


def _term_entry(line: str, where: str, need_sense: bool) -> tuple[str, list[str], str]:
    """One entry line: (lexicon key, alternatives, sense class); a :class:`TermListError`
    that says what to write when the line breaks the format."""
    entry, *fields = (f.strip() for f in line.split("|"))
    if len(fields) > 2:
        raise TermListError(
            f"{where}: more than three fields; write 'term | alt; alt | sense class'"
        )
    if _UNSAFE_RE.search(line) or max(len(f) for f in (entry, *fields)) > MAX_TERM_CHARS:
        raise TermListError(
            f"{where}: a control character, or a field over {MAX_TERM_CHARS} characters"
        )
    key = phrase(entry)
    if not any(map(is_content_word, key.split(" "))) or key.count(" ") >= 3:
        raise TermListError(
            f"{where}: the term must be one to three words, one of them a content word "
            f"(not only 'the', 'and', numbers...): {entry!r}"
        )
    alternatives = [a.strip() for a in fields[0].split(";") if a.strip()] if fields else []
    bad = [a for a in alternatives if a != DROP and not any(map(str.isalpha, a))]
    if not alternatives or bad:
        raise TermListError(
            f"{where}: {entry!r} needs a neutral counterpart with a letter after '|' "
            f"('{entry} | neutral word', or '{entry} | {DROP}' to leave it out)"
        )
    sense = fields[1] if len(fields) > 1 else ("" if need_sense else "loaded")
    if sense not in SENSE_CLASSES:
        raise TermListError(
            f"{where}: the third field is a sense class, one of {', '.join(SENSE_CLASSES)} "
            f"(leave it out for 'loaded': always reworded) ({line.strip()!r})"
        )
    return key, alternatives, sense


def parse_terms(
    lines: Iterable[str], source: str, *, need_sense: bool = False
) -> list[tuple[str, list[str], str]]:
    """The entries of a loaded-terms list (``loaded_terms.txt``, or a user's house-style list
    in the same format): (lexicon key, alternatives, sense class) per entry, in order.

    The one validation of both: ``#`` comments and blank lines skipped; each other line is
    ``term | alternative; ... [| sense class]``, the term one to three words,
    one of them a content word (:func:`is_content_word`), at least one alternative
    (``<drop>``: leave the word out), no control characters, each field at most 1,000
    characters, no term listed twice; the sense class one of :data:`SENSE_CLASSES` (required
    when ``need_sense``, as in the shipped list; a user's list may leave it out: ``loaded``,
    always reworded). A broken line raises :class:`TermListError` naming
    ``source`` and the line number.
    """
    out, seen = [], {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.strip().startswith("#"):
            continue
        where = f"{source}, line {number}"
        key, alternatives, sense = _term_entry(line, where, need_sense)
        if key in seen:
            raise TermListError(f"{where}: {key!r} is listed twice (first on line {seen[key]})")
        seen[key] = number
        out.append((key, alternatives, sense))
    return out


def _entries() -> list[tuple[str, list[str], str]]:
    """The entries of ``loaded_terms.txt``: (lexicon key, alternatives, sense class)."""
    path = RESOURCES / "loaded_terms.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return parse_terms(lines, "loaded_terms.txt", need_sense=True)


def loaded_term_alternatives() -> dict[str, list[str]]:
    """Each entry of ``loaded_terms.txt`` (its lexicon key) -> its neutral alternatives, in
    the file's order; ``DROP`` means leaving the word out is the neutral wording."""
    return {key: alternatives for key, alternatives, _ in _entries()}


def loaded_term_senses() -> dict[str, str]:
    """Each entry of ``loaded_terms.txt`` (its lexicon key) -> its sense class (the file's
    third field, one of :data:`SENSE_CLASSES`; the file's header says what each means)."""
    return {key: sense for key, _, sense in _entries()}
