"""Tokens with character offsets: the one tokenisation that features and explanations share.

A token is a run of word characters, optionally joined by apostrophes or hyphens
("don't", "O'Brien", "left-wing"), or a lone "!" or "?". Its *form* (the string that
features are built from) is the token lowercased, with the typographic apostrophe made
straight and every digit replaced by "0" ("17" and "23" are the same listicle number).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

__all__ = [
    "ABBREVIATIONS",
    "PUNCT_TOKENS",
    "TOKEN_PATTERN",
    "Token",
    "blank_spans",
    "merge_spans",
    "normalize",
    "quote_spans",
    "quote_spans_many",
    "split_paragraphs",
    "split_sentences",
    "token_spans",
    "tokenize",
]

TOKEN_PATTERN = r"\w+(?:['’\-]\w+)*|[!?]"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_DIGIT_RE = re.compile(r"\d")
PUNCT_TOKENS = frozenset({"!", "?"})


def normalize(token: str) -> str:
    """Return the feature form of one token's original text."""
    form = token.lower()
    if "’" in form:
        form = form.replace("’", "'")
    if _DIGIT_RE.search(form):
        form = _DIGIT_RE.sub("0", form)
    return form


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: its form as written and its character offsets ``[start, end)``."""

    form: str
    start: int
    end: int


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """Forms, start offsets and end offsets of the tokens of ``text`` (parallel lists)."""
    forms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN_RE.finditer(text):
        forms.append(normalize(match.group()))
        starts.append(match.start())
        ends.append(match.end())
    return forms, starts, ends


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``; ``text[t.start:t.end]`` is the original spelling of ``t``."""
    return [Token(f, s, e) for f, s, e in zip(*token_spans(text), strict=True)]


# ---- paragraphs and sentences ----------------------------------------------------------------
# Paragraphs are separated by a blank line; a text with no blank line but with line breaks is
# split at every line break (one paragraph per line, as most scraped article text is laid out).
_BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_RE = re.compile(r"\n\s*")
# A sentence may end at . ! ? or an ellipsis, followed by closing quotes or brackets, then space.
_END_RE = re.compile(r"(?:\.\.\.|…|[.!?])+[\"'”’»›)\]]*(?=\s)")
_LAST_WORD_RE = re.compile(r"(\S+)$")
_ACRONYM_RE = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]$")
_ABBREVIATIONS_TEXT = """mr mrs ms dr prof sr jr st rev hon gen sen rep gov pres lt col capt sgt
maj cmdr adm supt det insp cpl pvt fr mt ft vs etc al approx dept est inc ltd corp co bros vol
pp fig jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e a.m p.m"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph, whitespace trimmed; ``text[start:end]`` is it."""
    sep = _BLANK_LINE_RE if _BLANK_LINE_RE.search(text) else _LINE_RE
    out: list[tuple[int, int]] = []
    pos = 0
    for m in sep.finditer(text):
        span = _strip(text, pos, m.start())
        if span:
            out.append(span)
        pos = m.end()
    span = _strip(text, pos, len(text))
    if span:
        out.append(span)
    return out


def _is_boundary(text: str, mark: re.Match, limit: int) -> bool:
    """Whether the end mark ``mark`` closes a sentence (the next sentence starts before limit)."""
    nxt = mark.end()
    while nxt < limit and text[nxt].isspace():
        nxt += 1
    if nxt >= limit:
        return False
    following = text[nxt]
    if following.islower() or following in ",;:":
        return False  # "e.g. the", "U.S. officials", "Really?" he asked, "wait... what"
    marks = mark.group()
    if marks != ".":
        return True  # ! ? ellipsis or closing quotes before a capital
    word = _LAST_WORD_RE.search(text, max(0, mark.start() - 40), mark.start())
    if word is None:
        return True
    before = word.group(1).lstrip("\"'“‘«‹([")
    if before.lower() in ABBREVIATIONS:
        return False  # Mr. Smith, Dr. Jones, Jan. 5
    return not _ACRONYM_RE.match(before)  # J. K. Rowling, the U.S. Senate


def split_sentences(text: str, paragraphs: list[tuple[int, int]] | None = None):
    """``(start, end)`` of each sentence, never crossing a paragraph; whitespace trimmed.

    Every non-space character of ``text`` lies in exactly one sentence. A sentence ends at
    ``.``, ``!``, ``?`` or an ellipsis (with any closing quotes or brackets after it) when
    followed by space and a character that is not lower case; a single ``.`` after a known
    abbreviation (Mr., Dr., Jan., e.g.) or an initial or acronym (J., U.S.) does not end one.
    Decimal numbers (3.5) never contain the space a boundary needs.
    """
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    out: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs:
        pos = p_start
        for mark in _END_RE.finditer(text, p_start, p_end):
            if _is_boundary(text, mark, p_end):
                span = _strip(text, pos, mark.end())
                if span:
                    out.append(span)
                pos = mark.end()
        span = _strip(text, pos, p_end)
        if span:
            out.append(span)
    return out


# ---- quotations ---------------------------------------------------------------------------
# Quote marks by family; a closing mark matches the nearest open mark of its family.
_FAMILY = {
    '"': "double",
    "“": "double",
    "”": "double",
    "„": "double",
    "‟": "double",
    "＂": "double",
    "'": "single",
    "‘": "single",
    "’": "single",
    "‚": "single",
    "‛": "single",
    "«": "guillemet",
    "»": "guillemet",
    "‹": "angle",
    "›": "angle",
}
_QUOTE_MARK_RE = re.compile("[" + re.escape("".join(_FAMILY)) + "]")
# An apostrophe the tokenizer keeps inside a token: between two word characters.
_APOSTROPHE_RE = re.compile(r"(?<=\w)['’](?=\w)")
# A quote mark that is not such an apostrophe (a text without one has no quotation).
_FREE_MARK_RE = re.compile(
    "(?=" + _QUOTE_MARK_RE.pattern + ")"  # (a quick test of a mark first: a faster scan)
    "(?:[" + re.escape("".join(m for m in _FAMILY if m not in "'’")) + r"]|(?<!\w)['’]|['’](?!\w))"
)
_OPENING_MARKS = frozenset("“‘„‚‛‟«‹")
_BEFORE_OPEN = frozenset("([{—–-/:") | frozenset(_FAMILY)
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-/…") | frozenset(_FAMILY)
# Unclosed quotes of these families run to the end of their paragraph (the convention for a
# quotation spanning paragraphs); an unclosed single quote is dropped ('90s, 'tis, elisions).
_RUN_ON = frozenset({"double", "guillemet"})


def quote_spans(text: str, paragraphs: list[tuple[int, int]] | None = None):
    """``(start, end)`` of each quotation in ``text``, marks included, nested ones merged.

    Quotes: straight, curly and low-9 double and single marks, guillemets (« », ‹ ›, and the
    reversed » « order). A mark can open when it follows space, an opening bracket or dash, or
    another mark, and precedes a non-space character; it can close when it follows a non-space
    character and precedes space, punctuation, another mark or the end. An apostrophe inside a
    word (don't, O'Brien: any ' or ’ the tokenizer keeps inside a token) is never a quote. A
    closing mark with no open mark of its family is ignored; an unclosed double quote or
    guillemet runs to the end of its paragraph; an unclosed single quote is ignored.
    """
    if _FREE_MARK_RE.search(text) is None:  # most headlines: no mark but apostrophes in words
        return []
    if paragraphs is None:
        paragraphs = split_paragraphs(text)
    inside = {m.start() for m in _APOSTROPHE_RE.finditer(text)}
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs:
        stack: list[tuple[str, int, str]] = []  # (family, position, mark)
        for mark in _QUOTE_MARK_RE.finditer(text, p_start, p_end):
            i = mark.start()
            ch = text[i]
            family = _FAMILY[ch]
            if i in inside:
                continue
            prev = text[i - 1] if i > p_start else " "
            nxt = text[i + 1] if i + 1 < p_end else " "
            can_open = not nxt.isspace() and (prev.isspace() or prev in _BEFORE_OPEN)
            can_close = not prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE)
            if ch == "«" or ch == "‹":  # French spacing: « bon »
                can_open = prev.isspace() or prev in _BEFORE_OPEN
            elif ch == "»" or ch == "›":
                can_close = can_close or (prev.isspace() and (nxt.isspace() or nxt in _AFTER_CLOSE))
            opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == family), None)
            if ch in _OPENING_MARKS and opener is not None and stack[opener][2] in "„‚":
                can_close = True  # German „…“ closes with the English opening mark
            if opener is not None and stack[opener][2] in "»›" and ch in "«‹":
                can_close = True  # reversed guillemets »…«
            if ch in _OPENING_MARKS and not (can_close and opener is not None):
                can_close = False
            if can_close and opener is not None:
                spans.append((stack[opener][1], i + 1))
                del stack[opener:]
            elif can_open:
                stack.append((family, i, ch))
        run_on = next((pos for fam, pos, _ in stack if fam in _RUN_ON), None)
        if run_on is not None:
            spans.append((run_on, p_end))
    return merge_spans(spans)


def quote_spans_many(texts: list[str]) -> list[list[tuple[int, int]]]:
    """:func:`quote_spans` of each of ``texts``; the texts with no quote mark but
    apostrophes inside words (most headlines) are found with one search of them all."""
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    joined = "\n".join(texts)  # a line break is no word character: no match spans two texts
    marks = [m.start() for m in _FREE_MARK_RE.finditer(joined)]
    if marks:
        ends, at = [], -1
        for t in texts:
            at += len(t) + 1
            ends.append(at)  # the position of the line break after each text
        for d in sorted({bisect_left(ends, i) for i in marks}):
            out[d] = quote_spans(texts[d])
    return out


def merge_spans(spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of ``(start, end)`` spans."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def blank_spans(text: str, spans) -> str:
    """``text`` with each span replaced by spaces (same length, so offsets still hold)."""
    parts = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(" " * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
