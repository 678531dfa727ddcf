"""The edits of one sentence: which loaded words are replaced, by what, and where."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from framing.core.language import ENGLISH_FUNCTION_WORDS
from framing.core.text import token_spans
from framing.core.wordlists import DROP, loaded_term_alternatives
from framing.rewording.results import Skipped
from framing.rewording.senses import literal_sense
from framing.rewording.words import (
    _ARTICLE_BEFORE,
    _ARTICLES,
    _AUXILIARIES,
    _CLAUSE_END,
    _CONJUNCTIONS,
    _DETERMINERS,
    _IRREGULAR_PAST,
    _OPENERS,
    _WORD_RE,
    INTENSIFIERS,
    _adjective_like,
    _bases,
    _capitalise,
    _is_name,
    _is_title_case,
    _match_case,
    _with_article,
    _word_char,
    article_for,
    inflect,
)

__all__ = []


# the reason given for an entry the model's readers corrected (framing.training.feedback)
CORRECTED = (
    "readers marked this word neutral ({} neutral, {} loaded marks) and the model was retrained "
    "without it in the list: its alternatives are offered, not applied"
)


# ---- the lexicon of alternatives -----------------------------------------------------------
@dataclass(frozen=True)
class _Index:
    entries: dict[str, list[str]]
    max_words: int
    first_words: frozenset[str]  # the first words of the entries of several words


@lru_cache(maxsize=4)
def _index(style=None) -> _Index:
    """The shipped list's alternatives, with a house-style list's (a
    :class:`framing.core.house_style.HouseStyle`) over them when given."""
    entries = loaded_term_alternatives()
    if style is not None:
        entries = {**entries, **style.alternatives()}
    first = frozenset(k.split(" ", 1)[0] for k in entries if " " in k)
    return _Index(entries, max(k.count(" ") + 1 for k in entries), first)


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
        # only a word that starts an entry of several words can start a longer match
        longest = min(index.max_words, n_tok - i) if forms[i] in index.first_words else 1
        for n in range(longest, 0, -1):
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
    # the unit's score, read (to fill the two above) only when a loaded word is found in it
    score: Callable[[], Any] | None = None

    def read(self) -> None:
        """Fill ``contributions`` and ``quoted`` from ``score`` (once)."""
        if self.score is not None:
            for t in self.score().terms:
                (self.quoted if t.quoted else self.contributions)[t.term] = t.contribution
            self.score = None


class _Builder:
    def __init__(
        self,
        text: str,
        quotes: list[tuple[int, int]],
        units: list[_Unit],
        style=None,
        corrected: dict | None = None,
    ):
        self.text = text
        self.style = style  # the house-style list in use, or None
        # entries readers' word marks corrected (the model's manifest, feedback section):
        # entry -> (neutral marks, loaded marks); a house-style entry of the same key wins
        own = set(style.alternatives()) if style is not None else set()
        self.corrected = {k: v for k, v in (corrected or {}).items() if k not in own}
        self.quotes = quotes
        self.units = units
        self.edits: list[_Edit] = []
        self.skipped: list[Skipped] = []
        self.lower_text = text.lower()
        self._quote_starts = [a for a, _ in quotes]  # sorted and disjoint
        self._found: dict[str, list[int]] = {}  # a name -> where the text holds it

    def quoted(self, start: int) -> bool:
        k = bisect_right(self._quote_starts, start)
        return k > 0 and start < self.quotes[k - 1][1]

    def run(self) -> None:
        index = _index(self.style)
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
        written = [text[x:y] for x, y in zip(starts, ends, strict=True)]
        for m in _find(forms, index):
            unit.read()
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
            if m.term in self.corrected:
                n_neutral, n_loaded = self.corrected[m.term]
                reason = CORRECTED.format(n_neutral, n_loaded)
                self.skip(a, b, m, contribution, reason, [x for x in m.alternatives if x != DROP])
                continue
            literal = literal_sense(
                m.term,
                forms,
                written,
                m.i,
                m.j,
                title_case=title,
                starts=starts,
                text=text,
                unit_start=unit.start,
                style=self.style,
            )
            if literal is not None:
                reason = f"{literal}: its alternatives are offered, not applied"
                alts = [a for a in m.alternatives if a != DROP] or [""]
                self.skip(a, b, m, contribution, reason, alts)
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
        found = self._found.get(needle)
        if found is None:  # every place, found once per name (not once per use)
            found = self._found[needle] = []
            where = self.lower_text.find(needle)
            while where >= 0:
                found.append(where)
                where = self.lower_text.find(needle, where + 1)
        # a place outside [a, b): the first of all, or the first from b on
        k = bisect_left(found, b)
        return bool(found) and (found[0] + len(needle) <= a or found[0] >= b or k < len(found))

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
            wanted = article_for(first)
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
            wanted = article_for(alternative.split(" ")[0])
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
                wanted = article_for(nxt_word[0])
                if wanted is not None and wanted != art.group(1).lower():
                    old, gap = art.group(1), art.group(2)
                    alternatives = []
                    for alt in e.alternatives:
                        first = _WORD_RE.search(alt) if alt.strip() else None
                        want = article_for(first.group()) if first else wanted
                        alternatives.append(_with_article(old, want or old.lower()) + gap + alt)
                    e.replacement, e.alternatives = alternatives[0], alternatives
                    if by_start.get(old_start := e.start) is e:
                        del by_start[old_start]
                    e.start = art.start(1)
                    by_start[e.start] = e
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
