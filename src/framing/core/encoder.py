"""Vocabulary hits of token batches in a feature space, and feature matrices.

:class:`Encoder` (one per feature space, cached: :func:`encoder`) finds the vocabulary hits.
The per-word work (its unigram, its character n-grams, its lexicon entries) is done once per
distinct word and cached; multi-word n-grams and lexicon phrases are matched as integer keys
with one sorted search per n. :func:`encode` turns texts into CSR arrays with
:meth:`framing.core.features.FeatureSpace.values` (the TF-IDF arithmetic).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, repeat
from operator import is_not, itemgetter
from typing import NamedTuple

import numpy as np

from framing.core import budget
from framing.core.features import SHAPE_ALLCAPS, Encoded, FeatureSpace, lexicon_variants
from framing.core.text import PUNCT_TOKENS
from framing.core.tokens import TokenBatch, tokenize_batch

__all__ = ["Encoder", "Hits", "WordEntries", "csr", "encode", "encode_tokens", "encoder", "gather"]

_EMPTY = np.zeros(0, dtype=np.int64)
_SLICES_KEPT = 64  # the n-gram slices of words up to this size are kept
_ENTRY_BYTES = 200  # a word's entry: three tuples and its unigram
_NOT_NONE = partial(is_not, None)


class WordEntries(NamedTuple):
    """Per distinct form of a batch: what the vocabulary holds for it, as arrays.

    ``char_idx[char_ptr[f]:char_ptr[f+1]]`` are form ``f``'s character n-gram features and
    ``lex_idx`` / ``lex_weight`` between ``lex_ptr[f]`` and ``lex_ptr[f+1]`` its lexicon
    entries."""

    gid: np.ndarray  # id of the form among the words of multi-word entries (-1: none)
    unigram: np.ndarray  # its word unigram feature (-1: none)
    char_ptr: np.ndarray
    char_idx: np.ndarray
    lex_ptr: np.ndarray
    lex_idx: np.ndarray
    lex_weight: np.ndarray


def gather(ptr: np.ndarray, values: np.ndarray, which: np.ndarray):
    """Concatenate ``values[ptr[w]:ptr[w+1]]`` for each ``w`` in ``which``; also its owner."""
    lens = ptr[which + 1] - ptr[which]
    total = int(lens.sum())
    owner = np.repeat(np.arange(len(which)), lens)
    first = np.repeat(ptr[which] - (np.cumsum(lens) - lens), lens)
    return values[first + np.arange(total)], owner


@dataclass(frozen=True, slots=True)
class Hits:
    """Vocabulary hits of a batch: per occurrence its text, feature, weight, token range."""

    doc: np.ndarray
    feat: np.ndarray  # global feature index
    weight: np.ndarray
    lo: np.ndarray  # first token covered (index into the TokenBatch)
    hi: np.ndarray  # one past the last token covered


def word_lexicon_parts(
    doc: np.ndarray,
    single_tok: np.ndarray,
    ids: np.ndarray,
    lexicon: tuple[np.ndarray, np.ndarray, np.ndarray],
    allcaps: np.ndarray,
    shape: int,
) -> list[tuple]:
    """The hits of each word's own lexicon entries (``single_tok``: the tokens outside every
    lexicon phrase; ``ids``: per token, its row of ``lexicon`` = (ptr, feature, weight)),
    then of the all-caps shape (feature ``shape``, -1 for none): the last steps of both hit
    finders (:meth:`Encoder.hits`, :meth:`framing.core.shared.SharedPass.hits`)."""
    lptr, lidx, lwt = lexicon
    parts = []
    if len(lidx):
        feat, owner = gather(lptr, lidx, ids[single_tok])
        wts, _ = gather(lptr, lwt, ids[single_tok])
        t = single_tok[owner]
        parts.append((doc[t], feat, wts, t, t + 1))
    if shape >= 0:
        t = np.flatnonzero(allcaps)
        parts.append((doc[t], np.full(len(t), shape), None, t, t + 1))
    return parts


def ngram_keys(tb: TokenBatch, gids: np.ndarray, n: int, base: int):
    """Token positions starting an ``n``-gram inside one text whose tokens all have a gram
    id (``gids``, -1: none), and the n-gram's integer key (its ids in base ``base``): how
    both hit finders look n-grams up."""
    n_tok = len(gids)
    if n_tok < n:
        return _EMPTY, _EMPTY
    pos = np.arange(n_tok - n + 1)
    end_of_doc = np.repeat(tb.ptr[1:], tb.n_tokens)[: n_tok - n + 1]
    ok = pos + n <= end_of_doc  # the n-gram lies inside one text
    key = np.zeros(n_tok - n + 1, dtype=np.int64)
    for k in range(n):
        g = gids[k : n_tok - n + 1 + k]
        ok &= g >= 0
        key = key * base + np.where(g >= 0, g, 0)
    return pos[ok], key[ok]


def join_hits(parts: list[tuple]) -> Hits:
    """:class:`Hits` from parts ``(doc, feat, weight or None for ones, lo, hi)``, in order:
    how both hit finders assemble what they found."""
    if not parts:
        return Hits(_EMPTY, _EMPTY, np.zeros(0), _EMPTY, _EMPTY)
    return Hits(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]).astype(np.int64, copy=False),
        np.concatenate([np.ones(len(p[1])) if p[2] is None else p[2] for p in parts]),
        np.concatenate([p[3] for p in parts]),
        np.concatenate([p[4] for p in parts]),
    )


class Encoder:
    """Finds the vocabulary hits of token batches in one :class:`FeatureSpace`.

    Holds per-word caches; get the shared one of a space with :func:`encoder`."""

    def __init__(self, space: FeatureSpace):
        self.space = space
        self._cache: dict[str, tuple] = {}
        self._cache_bytes = 0  # bounded by framing.core.budget.CACHE_BYTES
        self._slice_cache: dict[int, tuple[slice, ...]] = {}
        self._shape_idx = (
            space.offsets["lex"] + space.lex_vocab[SHAPE_ALLCAPS] if space.shapes else -1
        )
        self._tables_built = False
        self._last: tuple = (None, None)  # (forms list, its per-form arrays)

    def _build_tables(self) -> None:
        """Integer keys for multi-word vocabulary entries and lexicon phrases.

        Every word of such an entry gets an id; an n-word entry becomes the integer
        ``((id1 * M) + id2) * M + id3``, so a batch's n-grams are matched with one sorted
        search instead of a string join and dict lookup per position.
        """
        sp = self.space
        gid: dict[str, int] = {}
        word_multi = [(t, j) for t, j in sp.word_vocab.items() if " " in t]
        lex_multi = []
        lex_off = sp.offsets["lex"]
        for phrase, found in sp.lex_entries.items():
            n = phrase.count(" ") + 1
            if 2 <= n <= sp.lex_max_len:
                lex_multi.append((phrase, [(lex_off + sp.lex_vocab[nm], w) for nm, w in found]))
        for term, _ in word_multi + lex_multi:
            for w in term.split(" "):
                gid.setdefault(w, len(gid))
        self._gid = gid
        self._M = len(gid) + 1
        longest = max([sp.word_ngrams[1], sp.lex_max_len, 1])
        if self._M**longest >= 2**62:
            raise ValueError("too many distinct words in n-gram entries for integer keys")
        word_tables = self._table([(t, sp.offsets["word"] + j) for t, j in word_multi])
        # feature indices as arrays once (not converted from lists on every batch)
        self._word_tables = {
            n: (keys, np.asarray(feats, dtype=np.int64)) for n, (keys, feats) in word_tables.items()
        }
        self._lex_tables = self._table(lex_multi)
        self._tables_built = True

    def _table(self, entries) -> dict[int, tuple[np.ndarray, list]]:
        """Per n: sorted integer keys and the value of each key."""
        by_n: dict[int, list] = {}
        for term, value in entries:
            key = 0
            words = term.split(" ")
            for w in words:
                key = key * self._M + self._gid[w]
            by_n.setdefault(len(words), []).append((key, value))
        out = {}
        for n, pairs in by_n.items():
            pairs.sort(key=lambda kv: kv[0])
            out[n] = (np.asarray([k for k, _ in pairs], dtype=np.int64), [v for _, v in pairs])
        return out

    def _ngram_hits(self, tb: TokenBatch, gids: np.ndarray, n: int, table):
        """Token positions starting an ``n``-gram found in ``table``, and the table rows."""
        keys_sorted, _ = table
        pos, key = ngram_keys(tb, gids, n, self._M)
        if len(keys_sorted) == 0 or len(pos) == 0:
            return _EMPTY, _EMPTY
        row = np.minimum(np.searchsorted(keys_sorted, key), len(keys_sorted) - 1)
        hit = keys_sorted[row] == key
        return pos[hit], row[hit]

    def _word_entry(self, form: str) -> tuple:
        """Per distinct word: (unigram feature or -1, char n-gram features, lexicon entries)."""
        sp = self.space
        uni = -1
        if sp.word_ngrams[0] <= 1:
            j = sp.word_vocab.get(form)
            if j is not None:
                uni = sp.offsets["word"] + j
        chars: tuple[int, ...] = ()
        if sp.char_ngrams and form not in PUNCT_TOKENS:
            padded = f" {form} "
            grams = map(padded.__getitem__, self._slices(len(padded)))
            # indices within the char block (the block offset is added in entries())
            chars = tuple(filter(_NOT_NONE, map(sp.char_vocab.get, grams)))
        lex: tuple[tuple[int, float], ...] = ()
        for variant in lexicon_variants(form) if sp.lex_entries else ():
            found = sp.lex_entries.get(variant)
            if found:
                off = sp.offsets["lex"]
                lex = tuple([(off + sp.lex_vocab[name], weight) for name, weight in found])
                break
        # tuples of numbers only: the cache adds nothing for the garbage collector to scan
        return uni, chars, lex

    def _slices(self, size: int) -> tuple[slice, ...]:
        """The character n-gram slices of a padded word of ``size`` characters, in the order
        of :meth:`FeatureSpace.analyze` (by n, then by position)."""
        out = self._slice_cache.get(size)
        if out is None:
            cmin, cmax = self.space.char_ngrams
            out = tuple(
                slice(i, i + n)
                for n in range(cmin, min(cmax, size) + 1)
                for i in range(size - n + 1)
            )
            if size <= _SLICES_KEPT:
                self._slice_cache[size] = out
        return out

    def entries(self, forms: list[str]) -> WordEntries:
        """Per form of ``forms``: n-gram word id, unigram, char and lexicon hits (CSR)."""
        if self._last[0] is forms:  # batches derived with select/regroup share the list
            return self._last[1]
        if not self._tables_built:
            self._build_tables()
        cache = self._cache
        n = len(forms)
        gid = np.fromiter(map(self._gid.get, forms, repeat(-1, n)), dtype=np.int64, count=n)
        entries = list(map(cache.get, forms))
        missing = [f for f, e in enumerate(entries) if e is None]
        new = [self._word_entry(forms[f]) for f in missing]
        if new:  # the forms, their tuples, and about 36 bytes an int (object and pointer)
            size = budget.str_bytes([forms[f] for f in missing]) + sum(
                _ENTRY_BYTES + 36 * (len(c) + 2 * len(x)) for _, c, x in new
            )
            if self._cache_bytes + size > budget.CACHE_BYTES:
                cache.clear()  # start again with this batch's words
                self._cache_bytes = 0
            self._cache_bytes += size
        for f, entry in zip(missing, new, strict=True):
            entries[f] = cache[forms[f]] = entry
        uni = np.fromiter(map(itemgetter(0), entries), dtype=np.int64, count=n)
        chars = list(map(itemgetter(1), entries))
        cptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, chars), dtype=np.int64, count=n), out=cptr[1:])
        cidx = np.fromiter(chain.from_iterable(chars), dtype=np.int64, count=int(cptr[-1]))
        cidx += self.space.offsets["char"]
        lex = list(map(itemgetter(2), entries))
        lptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, lex), dtype=np.int64, count=n), out=lptr[1:])
        pairs = np.array(list(chain.from_iterable(lex)), dtype=np.float64).reshape(-1, 2)
        out = WordEntries(
            gid, uni, cptr, cidx, lptr, pairs[:, 0].astype(np.int64), pairs[:, 1].copy()
        )
        self._last = (forms, out)
        return out

    def hits(self, tb: TokenBatch, chars: bool = True) -> Hits:
        """Every vocabulary hit of ``tb``: the same multiset as :meth:`FeatureSpace.analyze`
        followed by :meth:`FeatureSpace.lookup`, text by text (without the character
        n-grams if ``chars`` is false)."""
        sp = self.space
        if not self._tables_built:
            self._build_tables()
        gid, uni, cptr, cidx, lptr, lidx, lwt = self.entries(tb.forms)
        doc_of_tok = tb.doc
        n_tok_total = len(tb.form_id)
        tok = np.arange(n_tok_total, dtype=np.int64)
        parts: list[tuple] = []  # (doc, feat, weight or None for ones, lo, hi)

        nmin, nmax = sp.word_ngrams
        if nmin <= 1 and n_tok_total:  # word unigrams
            hit = uni[tb.form_id]
            keep = hit >= 0
            parts.append((doc_of_tok[keep], hit[keep], None, tok[keep], tok[keep] + 1))
        if nmax >= 2 and n_tok_total:  # word n-grams inside one text
            tok_gid = gid[tb.form_id]
            for n in range(max(nmin, 2), nmax + 1):
                if n in self._word_tables:
                    table = self._word_tables[n]
                    pos, row = self._ngram_hits(tb, tok_gid, n, table)
                    feats = table[1][row]
                    parts.append((doc_of_tok[pos], feats, None, pos, pos + n))
        if chars and sp.char_ngrams and len(cidx):  # character n-grams inside each word
            feat, owner = gather(cptr, cidx, tb.form_id)
            parts.append((doc_of_tok[owner], feat, None, owner, owner + 1))
        if (sp.lex_entries or sp.shapes) and n_tok_total:
            # lexicon phrases (the longest match at a position wins), else the word's own
            # lexicon entries; then word shapes
            single_tok = tok
            if self._lex_tables:
                tok_gid = gid[tb.form_id]
                taken = np.zeros(n_tok_total, dtype=bool)
                m_pos, m_feat, m_w, m_n = [], [], [], []
                for n in range(sp.lex_max_len, 1, -1):
                    if n not in self._lex_tables:
                        continue
                    table = self._lex_tables[n]
                    pos, row = self._ngram_hits(tb, tok_gid, n, table)
                    fresh = ~taken[pos]
                    pos, row = pos[fresh], row[fresh]
                    taken[pos] = True
                    for p, r in zip(pos.tolist(), row.tolist(), strict=True):
                        for j, w in table[1][r]:
                            m_pos.append(p)
                            m_feat.append(j)
                            m_w.append(w)
                            m_n.append(n)
                if m_pos:
                    single_tok = tok[~taken]
                    mp = np.asarray(m_pos, dtype=np.int64)
                    parts.append(
                        (
                            doc_of_tok[mp],
                            np.asarray(m_feat, dtype=np.int64),
                            np.asarray(m_w, dtype=np.float64),
                            mp,
                            mp + np.asarray(m_n, dtype=np.int64),
                        )
                    )
            parts += word_lexicon_parts(
                doc_of_tok, single_tok, tb.form_id, (lptr, lidx, lwt), tb.allcaps, self._shape_idx
            )
        return join_hits(parts)


_ENCODERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def encoder(space: FeatureSpace) -> Encoder:
    """The shared :class:`Encoder` of ``space`` (per process; never pickled with the space)."""
    enc = _ENCODERS.get(space)
    if enc is None:
        enc = _ENCODERS[space] = Encoder(space)
    return enc


# ---- feature matrices ----------------------------------------------------------------------
def _empty_encoded(n: int, n_features: int) -> Encoded:
    return Encoded(np.zeros(n + 1, dtype=np.int64), _EMPTY, np.zeros(0), n_features)


def csr(udoc, ufeat, value, n: int, n_features: int) -> Encoded:
    """CSR arrays of ``n`` texts from (text, feature, value) entries sorted by text; zero
    values are left out."""
    keep = value != 0
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(udoc[keep], minlength=n), out=indptr[1:])
    return Encoded(indptr, ufeat[keep].astype(np.int64), value[keep], n_features)


def encode_tokens(space: FeatureSpace, tb: TokenBatch) -> Encoded:
    """The feature matrix of a token batch (rows in batch order)."""
    occ = encoder(space).hits(tb)
    if len(occ.feat) == 0:
        return _empty_encoded(tb.n_docs, space.n_features)
    n_tokens = tb.n_tokens.astype(np.float64)
    udoc, ufeat, value, _, _ = space.values(occ.doc, occ.feat, occ.weight, tb.n_docs, n_tokens)
    return csr(udoc, ufeat, value, tb.n_docs, space.n_features)


def encode(space: FeatureSpace, texts: Sequence[str]) -> Encoded:
    """The feature matrix of ``texts`` as CSR arrays (rows in input order)."""
    return encode_tokens(space, tokenize_batch(texts))
