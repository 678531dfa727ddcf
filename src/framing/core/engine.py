"""Exact contributions for a batch of texts: the project's one scoring and attribution engine.

Everything that scores text goes through here: :meth:`framing.core.head.Head.logits` (via
:func:`encode`), :func:`framing.explain.explain` (headlines, body sentences, outlet voice),
the batch scorer behind ``framing score`` and the app. The reference definition of the
features is :meth:`FeatureSpace.analyze`; tests check that this engine finds exactly the same
features and values.

* :func:`tokenize_batch` tokenises texts once with the project's one tokenizer
  (:data:`framing.core.text.TOKEN_PATTERN`); tokens are kept as integer ids of distinct forms.
* :class:`Encoder` (one per feature space, cached: :func:`encoder`) finds the vocabulary hits.
  The per-word work (its unigram, its character n-grams, its lexicon entries) is done once per
  distinct word and cached; multi-word n-grams and lexicon phrases are matched as integer keys
  with one sorted search per n.
* :func:`attribute` turns hits into feature values with :meth:`FeatureSpace._values` (the
  TF-IDF arithmetic) and splits each feature's contribution ``coef * value`` by the documented
  rule: over its occurrences in proportion to their weights, then evenly over the tokens each
  occurrence covers. Per-token contributions plus the intercept equal the logit.

Only arrays are built here; turning them into result objects is the caller's business
(:mod:`framing.explain` builds every term, :mod:`framing.batch` only the top ``k``).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, repeat
from operator import is_not, itemgetter
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from framing.core.features import SHAPE_ALLCAPS, Encoded, FeatureSpace, _lexicon_variants
from framing.core.text import PUNCT_TOKENS, TOKEN_PATTERN, normalize

if TYPE_CHECKING:
    from framing.core.head import Head

_CACHE_LIMIT = 300_000  # distinct words kept per feature space before the cache is cleared
_EMPTY = np.zeros(0, dtype=np.int64)
_NOT_NONE = partial(is_not, None)
_KEY_BITS = 62  # packed sort keys stay below 2**_KEY_BITS
_CHUNK_TOKENS = 8_192  # tokens per run of texts in attribute()
_SPLIT_RE = re.compile(f"({TOKEN_PATTERN})")


# ---- tokens -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of a batch of texts, flattened: text ``d`` owns tokens ``ptr[d]:ptr[d+1]``."""

    n_docs: int
    ptr: np.ndarray  # (n_docs + 1,)
    form_id: np.ndarray  # per token: index into ``forms``
    forms: list[str]  # distinct token forms (shared by batches derived with ``select``)
    starts: np.ndarray  # per token: character offsets into its text
    ends: np.ndarray
    allcaps: np.ndarray  # per token: the original spelling is ALL CAPS (>= 2 letters)

    @property
    def n_tokens(self) -> np.ndarray:
        return np.diff(self.ptr)

    @property
    def doc(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_docs), self.n_tokens)

    def select(self, keep: np.ndarray, docs: np.ndarray) -> TokenBatch:
        """The tokens in the mask ``keep`` of the texts ``docs`` (renumbered 0..len(docs)-1)."""
        docs = np.asarray(docs, dtype=np.int64)
        remap = np.full(self.n_docs, -1, dtype=np.int64)
        remap[docs] = np.arange(len(docs))
        doc = remap[self.doc]
        idx = np.flatnonzero(keep & (doc >= 0))
        ptr = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(np.bincount(doc[idx], minlength=len(docs)), out=ptr[1:])
        return TokenBatch(
            len(docs),
            ptr,
            self.form_id[idx],
            self.forms,
            self.starts[idx],
            self.ends[idx],
            self.allcaps[idx],
        )

    def docs(self, a: int, b: int) -> TokenBatch:
        """Texts ``a:b`` (renumbered from 0); their tokens are contiguous, so these are views."""
        lo, hi = int(self.ptr[a]), int(self.ptr[b])
        return TokenBatch(
            b - a,
            self.ptr[a : b + 1] - lo,
            self.form_id[lo:hi],
            self.forms,
            self.starts[lo:hi],
            self.ends[lo:hi],
            self.allcaps[lo:hi],
        )

    def regroup(self, owner: np.ndarray, bounds: np.ndarray) -> TokenBatch:
        """The same tokens grouped into new texts (segments), e.g. the sentences of bodies.

        Segment ``k`` is ``bounds[k] = (start, end)`` in the offsets of text ``owner[k]``;
        segments are sorted by text then offset, disjoint, and every token must lie inside
        one segment of its text (else ``RuntimeError``: the segmentation is broken).
        """
        owner = np.asarray(owner, dtype=np.int64)
        bounds = np.asarray(bounds, dtype=np.int64).reshape(-1, 2)
        big = int(max(self.ends.max(initial=0), bounds.max(initial=0))) + 1
        seg_key = owner * big + bounds[:, 0]
        k = np.searchsorted(seg_key, self.doc * big + self.starts, side="right") - 1
        kk = np.maximum(k, 0)
        if len(k) and (
            (k < 0).any() or (owner[kk] != self.doc).any() or (self.ends > bounds[kk, 1]).any()
        ):
            raise RuntimeError("a token lies outside every segment: the segmentation is broken")
        ptr = np.zeros(len(bounds) + 1, dtype=np.int64)
        np.cumsum(np.bincount(k, minlength=len(bounds)), out=ptr[1:])
        return TokenBatch(
            len(bounds), ptr, self.form_id, self.forms, self.starts, self.ends, self.allcaps
        )


def _is_allcaps(original: str) -> bool:
    return len(original) >= 2 and original.isupper() and original.isalpha()


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Tokenise ``texts`` with the project's one tokenizer (see :mod:`framing.text`).

    ``re.split`` with the token pattern as its one group gives the gaps and the tokens of a
    text in order; their lengths give every offset at once (no Python work per token)."""
    pieces: list[str] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for d, text in enumerate(texts):
        parts = _SPLIT_RE.split(text)  # gap, token, gap, ..., token, gap
        counts[d] = len(parts) // 2
        pieces += parts[:-1]  # without the last gap: tokens sit at odd indices of ``pieces``
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    n_pieces = 2 * counts
    cum = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum(lengths, out=cum[1:])
    # each text's own offsets start at 0
    ends = cum[1:] - np.repeat(cum[np.cumsum(n_pieces) - n_pieces], n_pieces)
    token_ends = ends[1::2]
    token_starts = token_ends - lengths[1::2]
    tokens = pieces[1::2]
    distinct = dict.fromkeys(tokens)
    raw_index = dict(zip(distinct, range(len(distinct)), strict=True))
    raw = np.fromiter(map(raw_index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
    form_index: dict[str, int] = {}
    raw_to_form = np.empty(len(raw_index), dtype=np.int64)
    raw_caps = np.empty(len(raw_index), dtype=bool)
    for r, tok in enumerate(raw_index):
        raw_to_form[r] = form_index.setdefault(normalize(tok), len(form_index))
        raw_caps[r] = _is_allcaps(tok)
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return TokenBatch(
        n_docs=len(texts),
        ptr=ptr,
        form_id=raw_to_form[raw],
        forms=list(form_index),
        starts=token_starts,
        ends=token_ends,
        allcaps=raw_caps[raw],
    )


# ---- vocabulary hits ----------------------------------------------------------------------------
def _gather(ptr: np.ndarray, values: np.ndarray, which: np.ndarray):
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


class Encoder:
    """Finds the vocabulary hits of token batches in one :class:`FeatureSpace`.

    Holds per-word caches; get the shared one of a space with :func:`encoder`."""

    def __init__(self, space: FeatureSpace):
        self.space = space
        self._cache: dict[str, tuple] = {}
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
            key = key * self._M + np.where(g >= 0, g, 0)
        pos, key = pos[ok], key[ok]
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
            # indices within the char block (the block offset is added in _entries)
            chars = tuple(filter(_NOT_NONE, map(sp.char_vocab.get, grams)))
        lex: tuple[tuple[int, float], ...] = ()
        for variant in _lexicon_variants(form) if sp.lex_entries else ():
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
            out = self._slice_cache[size] = tuple(
                slice(i, i + n)
                for n in range(cmin, min(cmax, size) + 1)
                for i in range(size - n + 1)
            )
        return out

    def _entries(self, forms: list[str]):
        """Per form of ``forms``: n-gram word id, unigram, char and lexicon hits (CSR)."""
        if self._last[0] is forms:  # batches derived with select/regroup share the list
            return self._last[1]
        if not self._tables_built:
            self._build_tables()
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        n = len(forms)
        gid = np.fromiter(map(self._gid.get, forms, repeat(-1, n)), dtype=np.int64, count=n)
        entries = list(map(cache.get, forms))
        for f in [f for f, e in enumerate(entries) if e is None]:
            entries[f] = cache[forms[f]] = self._word_entry(forms[f])
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
        out = (gid, uni, cptr, cidx, lptr, pairs[:, 0].astype(np.int64), pairs[:, 1].copy())
        self._last = (forms, out)
        return out

    def hits(self, tb: TokenBatch, chars: bool = True) -> Hits:
        """Every vocabulary hit of ``tb``: the same multiset as :meth:`FeatureSpace.analyze`
        followed by :meth:`FeatureSpace.lookup`, text by text (without the character
        n-grams if ``chars`` is false)."""
        sp = self.space
        if not self._tables_built:
            self._build_tables()
        gid, uni, cptr, cidx, lptr, lidx, lwt = self._entries(tb.forms)
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
            feat, owner = _gather(cptr, cidx, tb.form_id)
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
            if len(lidx):
                feat, owner = _gather(lptr, lidx, tb.form_id[single_tok])
                wts, _ = _gather(lptr, lwt, tb.form_id[single_tok])
                t = single_tok[owner]
                parts.append((doc_of_tok[t], feat, wts, t, t + 1))
            if sp.shapes:
                t = tok[tb.allcaps]
                parts.append((doc_of_tok[t], np.full(len(t), self._shape_idx), None, t, t + 1))
        if not parts:
            return Hits(_EMPTY, _EMPTY, np.zeros(0), _EMPTY, _EMPTY)
        return Hits(
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]).astype(np.int64, copy=False),
            np.concatenate([np.ones(len(p[1])) if p[2] is None else p[2] for p in parts]),
            np.concatenate([p[3] for p in parts]),
            np.concatenate([p[4] for p in parts]),
        )


_ENCODERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def encoder(space: FeatureSpace) -> Encoder:
    """The shared :class:`Encoder` of ``space`` (per process; never pickled with the space)."""
    enc = _ENCODERS.get(space)
    if enc is None:
        enc = _ENCODERS[space] = Encoder(space)
    return enc


# ---- values and contributions -----------------------------------------------------------------
def _empty_encoded(n: int, n_features: int) -> Encoded:
    return Encoded(np.zeros(n + 1, dtype=np.int64), _EMPTY, np.zeros(0), n_features)


def _csr(udoc, ufeat, value, n: int, n_features: int) -> Encoded:
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
    udoc, ufeat, value, _, _ = space._values(occ.doc, occ.feat, occ.weight, tb.n_docs, n_tokens)
    return _csr(udoc, ufeat, value, tb.n_docs, space.n_features)


def encode(space: FeatureSpace, texts: Sequence[str]) -> Encoded:
    """The feature matrix of ``texts`` as CSR arrays (rows in input order)."""
    return encode_tokens(space, tokenize_batch(texts))


@dataclass(frozen=True, slots=True)
class Attribution:
    """One head (one label) on a token batch: logits and exact contributions.

    ``per_token[t]`` is token ``t``'s share by the per-word rule; per text,
    ``per_token`` sums (plus the intercept) to ``logit``. Entries are the (text, feature)
    pairs with their contribution ``coef * value``; ``inverse`` maps each occurrence of
    ``hits`` to its entry.
    """

    logit: np.ndarray  # (n_docs,)
    intercept: float
    per_token: np.ndarray  # (n_tokens,)
    hits: Hits
    udoc: np.ndarray
    ufeat: np.ndarray
    value: np.ndarray
    contrib: np.ndarray
    inverse: np.ndarray

    def encoded(self, n_features: int) -> Encoded:
        return _csr(self.udoc, self.ufeat, self.value, len(self.logit), n_features)


def attribute(head: Head, tb: TokenBatch, label: int = 0, *, entries: bool = True) -> Attribution:
    """Logits and exact per-token contributions of ``head`` (label ``label``) on ``tb``.

    With ``entries=False`` only ``logit`` and ``per_token`` are wanted: the character
    n-grams are then attributed without listing their (text, feature) entries
    (:func:`_char_tokens`), which is several times faster on long texts; ``hits`` and the
    entry arrays then cover the other features only.

    With entries, large batches are done in runs of whole texts of about ``_CHUNK_TOKENS``
    tokens (the arithmetic is per text, so the result is the same; smaller arrays stay in
    cache)."""
    if not entries or len(tb.form_id) <= _CHUNK_TOKENS:
        return _attribute(head, tb, label, entries)
    bounds = [0]
    while bounds[-1] < tb.n_docs:
        a = bounds[-1]
        b = int(np.searchsorted(tb.ptr, tb.ptr[a] + _CHUNK_TOKENS, side="right")) - 1
        bounds.append(min(max(b, a + 1), tb.n_docs))
    parts = [
        _attribute(head, tb.docs(a, b), label, entries)
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return _concat(parts, [int(tb.ptr[a]) for a in bounds[:-1]], bounds[:-1])


def _concat(parts: list[Attribution], tok_base: list[int], doc_base: list[int]) -> Attribution:
    """One :class:`Attribution` from those of consecutive runs of texts."""
    entry_base = np.cumsum([0] + [len(p.ufeat) for p in parts])[:-1].tolist()

    def cat(get, base=None):
        arrays = [get(p) for p in parts]
        if base is not None:
            arrays = [x + o for x, o in zip(arrays, base, strict=True)]
        return np.concatenate(arrays)

    hits = Hits(
        cat(lambda p: p.hits.doc, doc_base),
        cat(lambda p: p.hits.feat),
        cat(lambda p: p.hits.weight),
        cat(lambda p: p.hits.lo, tok_base),
        cat(lambda p: p.hits.hi, tok_base),
    )
    return Attribution(
        cat(lambda p: p.logit),
        parts[0].intercept,
        cat(lambda p: p.per_token),
        hits,
        cat(lambda p: p.udoc, doc_base),
        cat(lambda p: p.ufeat),
        cat(lambda p: p.value),
        cat(lambda p: p.contrib),
        cat(lambda p: p.inverse, entry_base),
    )


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every token of the ranges ``[lo, hi)``, and the range each one comes from."""
    width = hi - lo
    owner = np.repeat(np.arange(len(lo)), width)
    start = np.cumsum(width) - width
    return lo[owner] + (np.arange(int(width.sum())) - start[owner]), owner


def _attribute(head: Head, tb: TokenBatch, label: int, entries: bool = True) -> Attribution:
    sp = head.space
    coef = head.coef[label]
    intercept = float(head.intercept[label])
    fast_chars = not entries and bool(sp.char_ngrams)
    occ = encoder(sp).hits(tb, chars=not fast_chars)
    n = tb.n_docs
    total_tokens = len(tb.form_id)
    char_tok = _char_tokens(head, tb, coef[None, :])[:, 0] if fast_chars else None
    if len(occ.feat) == 0:
        z = np.zeros(0)
        per_token = np.zeros(total_tokens) if char_tok is None else char_tok
        return Attribution(
            np.bincount(tb.doc, weights=per_token, minlength=n) + intercept,
            intercept,
            per_token,
            occ,
            _EMPTY,
            _EMPTY,
            z,
            z,
            _EMPTY,
        )
    n_tokens = tb.n_tokens.astype(np.float64)
    udoc, ufeat, value, inverse, mass = sp._values(occ.doc, occ.feat, occ.weight, n, n_tokens)
    contrib = coef[ufeat] * value
    logit = np.bincount(udoc, weights=contrib, minlength=n) + intercept
    m = mass[inverse]
    occ_contrib = contrib[inverse] * np.divide(
        occ.weight, m, out=np.zeros_like(occ.weight), where=m != 0
    )
    wide = np.flatnonzero(occ.hi - occ.lo > 1)  # multi-word n-grams and phrases
    if len(wide) == 0:
        per_token = np.bincount(occ.lo, weights=occ_contrib, minlength=total_tokens)
    else:
        one = np.ones(len(occ.lo), dtype=bool)
        one[wide] = False
        per_token = np.bincount(occ.lo[one], weights=occ_contrib[one], minlength=total_tokens)
        per_token = per_token.astype(np.float64, copy=False)  # (int64 when there are none)
        tok_idx, owner = _ranges(occ.lo[wide], occ.hi[wide])
        share = occ_contrib[wide] / (occ.hi[wide] - occ.lo[wide])
        per_token += np.bincount(tok_idx, weights=share[owner], minlength=total_tokens)
    if char_tok is not None:
        per_token += char_tok
        logit += np.bincount(tb.doc, weights=char_tok, minlength=n)
    return Attribution(logit, intercept, per_token, occ, udoc, ufeat, value, contrib, inverse)


def _char_tokens(head: Head, tb: TokenBatch, coefs: np.ndarray) -> np.ndarray:
    """Per token and label, the exact contribution of its character n-grams (the ``char``
    block): an array ``(n_tokens, n_labels)`` for weights ``coefs`` ``(n_labels, n_features)``.

    The block's value of feature ``j`` in text ``d`` is ``w * tf(c) * idf_j / N_d`` with ``c``
    its count in ``d``, ``N_d`` the block's L2 norm and ``w`` the block weight; each of the
    ``c`` occurrences gets ``coef_j * value / c``. When every count is 1 a token's share is
    ``w * A_f / N_d`` and ``N_d**2 = sum of B_f`` over the text's tokens, with per-form sums
    ``A_f = sum(coef_j * idf_j)`` and ``B_f = sum(idf_j**2)`` over the form's n-grams. So only
    the (text, n-gram) pairs that occur more than once need correcting; they are found with
    one sort of the occurrence keys, and no per-entry arrays are built.
    """
    sp = head.space
    total_tokens = len(tb.form_id)
    n_labels = coefs.shape[0]
    out = np.zeros((total_tokens, n_labels))
    _, _, cptr, cidx, _, _, _ = encoder(sp)._entries(tb.forms)
    if total_tokens == 0 or len(cidx) == 0:
        return out
    off = sp.offsets["char"]
    idf = sp.char_idf[cidx - off]
    form_of = np.repeat(np.arange(len(tb.forms)), np.diff(cptr))
    n_forms = len(tb.forms)
    num = np.empty((total_tokens, n_labels))
    for k in range(n_labels):
        a_form = np.bincount(form_of, weights=coefs[k, cidx] * idf, minlength=n_forms)
        num[:, k] = a_form[tb.form_id]
    b_form = np.bincount(form_of, weights=idf * idf, minlength=n_forms)
    doc = tb.doc
    sq = np.bincount(doc, weights=b_form[tb.form_id], minlength=tb.n_docs)
    # repeated (text, n-gram) pairs: correct the norm and their occurrences' shares. One sort
    # of the keys (text, n-gram) with each occurrence's token (its place in the text) in the
    # low bits finds them and keeps their tokens.
    lens = cptr[tb.form_id + 1] - cptr[tb.form_id]
    feat, _ = _gather(cptr, cidx, tb.form_id)
    local = np.arange(total_tokens) - tb.ptr[doc]
    shift = int(local.max()).bit_length()
    if (tb.n_docs * sp.n_features) << shift >= 1 << _KEY_BITS:  # too long for one key
        return _char_tokens_sorted(sp, tb, coefs, feat, lens, num, sq, out)
    packed = np.repeat(doc * sp.n_features, lens) + feat
    packed <<= shift
    packed |= np.repeat(local, lens)
    packed.sort()
    sk = packed >> shift
    dup = sk[1:] == sk[:-1]
    if dup.any():
        in_pair = np.zeros(len(sk), dtype=bool)  # occurrence of a repeated (text, n-gram)
        in_pair[1:] = dup
        in_pair[:-1] |= dup
        idx = np.flatnonzero(in_pair)
        opens = np.ones(len(idx), dtype=bool)  # first occurrence of its pair
        opens[1:] = ~dup[idx[1:] - 1]
        group = np.cumsum(opens) - 1
        c = np.bincount(group).astype(np.float64)
        g_doc, j = np.divmod(sk[idx[opens]], sp.n_features)
        owner = tb.ptr[g_doc][group] + (packed[idx] & ((1 << shift) - 1))
        _correct(sp, coefs, c, g_doc, j, group, owner, num, sq)
    return _char_finish(sp, tb, num, sq, out)


def _correct(sp, coefs, c, g_doc, j, group, owner, num, sq) -> None:
    """Add to ``num`` (per token and label) and ``sq`` (per text) the corrections of the
    repeated (text, n-gram) pairs: ``c`` occurrences each, text ``g_doc``, feature ``j``;
    occurrence ``k`` belongs to pair ``group[k]`` and token ``owner[k]``."""
    idf = sp.char_idf[j - sp.offsets["char"]]
    tf = np.log(c) + 1.0 if sp.sublinear_tf else c
    sq += np.bincount(g_doc, weights=(tf * tf - c) * idf * idf, minlength=len(sq))
    base = idf * (tf / c - 1.0)
    for k in range(coefs.shape[0]):
        ratio = (coefs[k, j] * base)[group]
        num[:, k] += np.bincount(owner, weights=ratio, minlength=len(num))


def _char_tokens_sorted(sp, tb, coefs, feat, lens, num, sq, out) -> np.ndarray:
    """:func:`_char_tokens` for batches too long to pack a token into the sort key."""
    owner = np.repeat(np.arange(len(tb.form_id)), lens)
    key = tb.doc[owner] * sp.n_features + feat
    order = np.argsort(key, kind="stable")
    sk, owner = key[order], owner[order]
    start = np.flatnonzero(np.concatenate([[True], sk[1:] != sk[:-1]]))
    size = np.diff(np.append(start, len(sk)))
    multi = size > 1
    if multi.any():
        in_pair = np.repeat(multi, size)
        group = np.repeat(np.arange(int(multi.sum())), size[multi])
        g_doc, j = np.divmod(sk[start[multi]], sp.n_features)
        c = size[multi].astype(np.float64)
        _correct(sp, coefs, c, g_doc, j, group, owner[in_pair], num, sq)
    return _char_finish(sp, tb, num, sq, out)


def _char_finish(sp, tb, num, sq, out) -> np.ndarray:
    norm = np.sqrt(sq)[tb.doc][:, None]
    np.divide(num * sp.char_weight, norm, out=out, where=norm > 0)
    return out


def attribute_labels(head: Head, tb: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``(n_texts, n_labels)`` and per-token contributions ``(n_tokens, n_labels)`` of
    every label of ``head``: the hits and feature values are found once, and only the
    weights differ between labels (the per-word rule of :func:`attribute`, label by label;
    the character n-grams as in ``attribute(..., entries=False)``)."""
    sp = head.space
    n, n_tok, n_labels = tb.n_docs, len(tb.form_id), head.coef.shape[0]
    coefs = np.asarray(head.coef, dtype=np.float64)
    logits = np.tile(np.asarray(head.intercept, dtype=np.float64), (n, 1))
    per_token = np.zeros((n_tok, n_labels))
    if sp.char_ngrams:
        per_token += _char_tokens(head, tb, coefs)
    occ = encoder(sp).hits(tb, chars=not sp.char_ngrams)
    if len(occ.feat):
        n_tokens = tb.n_tokens.astype(np.float64)
        udoc, ufeat, value, inverse, mass = sp._values(occ.doc, occ.feat, occ.weight, n, n_tokens)
        m = mass[inverse]
        share = np.divide(occ.weight, m, out=np.zeros_like(occ.weight), where=m != 0)
        tok, owner = _ranges(occ.lo, occ.hi)
        unit = (value[inverse] * share / (occ.hi - occ.lo))[owner]  # per (occurrence, token)
        feat = ufeat[inverse][owner]
        for k in range(n_labels):
            per_token[:, k] += np.bincount(tok, weights=coefs[k, feat] * unit, minlength=n_tok)
    doc = tb.doc
    for k in range(n_labels):
        logits[:, k] += np.bincount(doc, weights=per_token[:, k], minlength=n)
    return logits, per_token


# ---- the top words of each text ---------------------------------------------------------------
class TopTerm(NamedTuple):
    term: str
    contribution: float
    spans: list[tuple[int, int]]


_new_top_term = partial(tuple.__new__, TopTerm)  # TopTerm((term, contribution, spans))


def top_terms(tb: TokenBatch, per_token: np.ndarray, k: int) -> list[list[TopTerm]]:
    """Per text, its ``k`` words with the largest absolute total contribution.

    A word (token form) sums its tokens' contributions, like :class:`framing.explain.Term`;
    ties keep the order of first appearance; words contributing exactly 0 are left out.
    """
    out: list[list[TopTerm]] = [[] for _ in range(tb.n_docs)]
    if k <= 0 or len(tb.form_id) == 0:
        return out
    n_forms = max(len(tb.forms), 1)
    key = tb.doc * n_forms + tb.form_id
    ukey, first, inv = np.unique(key, return_index=True, return_inverse=True)
    sums = np.bincount(inv, weights=per_token, minlength=len(ukey))
    udoc = ukey // n_forms
    order = np.lexsort((first, -np.abs(sums), udoc))
    sdoc = udoc[order]
    rank = np.arange(len(order)) - np.searchsorted(sdoc, sdoc, side="left")
    chosen = order[(rank < k) & (sums[order] != 0)]  # by text, strongest first
    if len(chosen) == 0:
        return out
    # the tokens of each chosen word, in text order
    tokens_of = np.argsort(inv, kind="stable")
    word_ptr = np.zeros(len(ukey) + 1, dtype=np.int64)
    np.cumsum(np.bincount(inv, minlength=len(ukey)), out=word_ptr[1:])
    toks, _ = _gather(word_ptr, tokens_of, chosen)
    pairs = list(zip(tb.starts[toks].tolist(), tb.ends[toks].tolist(), strict=True))
    ends = np.cumsum(word_ptr[chosen + 1] - word_ptr[chosen]).tolist()
    spans = [pairs[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    forms = tb.forms
    names = [forms[f] for f in (ukey[chosen] % n_forms).tolist()]
    terms = list(map(_new_top_term, zip(names, sums[chosen].tolist(), spans, strict=True)))
    docs = udoc[chosen]
    bounds = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1], [True]])).tolist()
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[int(docs[a])] = terms[a:b]
    return out
