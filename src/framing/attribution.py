"""Exact contributions for a batch of texts: the project's one scoring and attribution engine.

Everything that scores text goes through here: :meth:`framing.head.Head.logits` (via
:func:`encode`), :func:`framing.explain.explain` (headlines, body sentences, outlet voice),
the batch scorer behind ``framing score`` and the app. The reference definition of the
features is :meth:`FeatureSpace.analyze`; tests check that this engine finds exactly the same
features and values.

* :func:`tokenize_batch` tokenises texts once with the project's one tokenizer
  (:data:`framing.text.TOKEN_PATTERN`); tokens are kept as integer ids of distinct forms.
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

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .features import SHAPE_ALLCAPS, Encoded, FeatureSpace, _lexicon_variants
from .text import _TOKEN_RE, PUNCT_TOKENS, normalize

if TYPE_CHECKING:
    from .head import Head

_CACHE_LIMIT = 300_000  # distinct words kept per feature space before the cache is cleared
_EMPTY = np.zeros(0, dtype=np.int64)


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
    """Tokenise ``texts`` with the project's one tokenizer (see :mod:`framing.text`)."""
    raw_ids: dict[str, int] = {}  # original token spelling -> raw id
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for d, text in enumerate(texts):
        n = len(ids)
        for m in _TOKEN_RE.finditer(text):
            ids.append(raw_ids.setdefault(m.group(), len(raw_ids)))
            s, e = m.span()
            starts.append(s)
            ends.append(e)
        counts[d] = len(ids) - n
    form_index: dict[str, int] = {}
    raw_to_form = np.empty(len(raw_ids), dtype=np.int64)
    raw_caps = np.empty(len(raw_ids), dtype=bool)
    for r, tok in enumerate(raw_ids):
        raw_to_form[r] = form_index.setdefault(normalize(tok), len(form_index))
        raw_caps[r] = _is_allcaps(tok)
    raw = np.asarray(ids, dtype=np.int64)
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return TokenBatch(
        n_docs=len(texts),
        ptr=ptr,
        form_id=raw_to_form[raw],
        forms=list(form_index),
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
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
        chars: list[int] = []
        if sp.char_ngrams and form not in PUNCT_TOKENS:
            cmin, cmax = sp.char_ngrams
            vocab = sp.char_vocab
            off = sp.offsets["char"]
            padded = f" {form} "
            size = len(padded)
            chars = [
                off + vocab[g]
                for n in range(cmin, min(cmax, size) + 1)
                for i in range(size - n + 1)
                if (g := padded[i : i + n]) in vocab
            ]
        lex: list[tuple[int, float]] = []
        for variant in _lexicon_variants(form) if sp.lex_entries else ():
            found = sp.lex_entries.get(variant)
            if found:
                off = sp.offsets["lex"]
                lex = [(off + sp.lex_vocab[name], weight) for name, weight in found]
                break
        return uni, chars, lex

    def _entries(self, forms: list[str]):
        """Per form of ``forms``: n-gram word id, unigram, char and lexicon hits (CSR)."""
        if self._last[0] is forms:  # batches derived with select/regroup share the list
            return self._last[1]
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        gid = np.fromiter((self._gid.get(f, -1) for f in forms), dtype=np.int64, count=len(forms))
        uni = np.empty(len(forms), dtype=np.int64)
        cptr = np.zeros(len(forms) + 1, dtype=np.int64)
        lptr = np.zeros(len(forms) + 1, dtype=np.int64)
        cidx: list[int] = []
        lidx: list[int] = []
        lwt: list[float] = []
        for f, form in enumerate(forms):
            entry = cache.get(form)
            if entry is None:
                entry = cache[form] = self._word_entry(form)
            uni[f] = entry[0]
            cidx.extend(entry[1])
            cptr[f + 1] = len(cidx)
            for j, w in entry[2]:
                lidx.append(j)
                lwt.append(w)
            lptr[f + 1] = len(lidx)
        out = (
            gid,
            uni,
            cptr,
            np.asarray(cidx, dtype=np.int64),
            lptr,
            np.asarray(lidx, dtype=np.int64),
            np.asarray(lwt, dtype=np.float64),
        )
        self._last = (forms, out)
        return out

    def hits(self, tb: TokenBatch) -> Hits:
        """Every vocabulary hit of ``tb``: the same multiset as :meth:`FeatureSpace.analyze`
        followed by :meth:`FeatureSpace.lookup`, text by text."""
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
        if sp.char_ngrams and len(cidx):  # character n-grams inside each word
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


def attribute(head: Head, tb: TokenBatch, label: int = 0) -> Attribution:
    """Logits and exact per-token contributions of ``head`` (label ``label``) on ``tb``."""
    sp = head.space
    coef = head.coef[label]
    intercept = float(head.intercept[label])
    occ = encoder(sp).hits(tb)
    n = tb.n_docs
    total_tokens = len(tb.form_id)
    if len(occ.feat) == 0:
        z = np.zeros(0)
        return Attribution(
            np.full(n, intercept),
            intercept,
            np.zeros(total_tokens),
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
    width = occ.hi - occ.lo
    if (width == 1).all():
        per_token = np.bincount(occ.lo, weights=occ_contrib, minlength=total_tokens)
    else:
        step = np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
        tok_idx = np.repeat(occ.lo, width) + step
        per_token = np.bincount(
            tok_idx, weights=np.repeat(occ_contrib / width, width), minlength=total_tokens
        )
    return Attribution(logit, intercept, per_token, occ, udoc, ufeat, value, contrib, inverse)


# ---- the top words of each text ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TopTerm:
    term: str
    contribution: float
    spans: list[tuple[int, int]]


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
    chosen = order[(rank < k) & (sums[order] != 0)]
    if len(chosen) == 0:
        return out
    is_chosen = np.zeros(len(ukey), dtype=bool)
    is_chosen[chosen] = True
    toks = np.flatnonzero(is_chosen[inv])
    spans: dict[int, list[tuple[int, int]]] = {}
    for u, s, e in zip(
        inv[toks].tolist(), tb.starts[toks].tolist(), tb.ends[toks].tolist(), strict=True
    ):
        spans.setdefault(u, []).append((s, e))
    forms = tb.forms
    for u, d, f, c in zip(
        chosen.tolist(),
        udoc[chosen].tolist(),
        (ukey[chosen] % n_forms).tolist(),
        sums[chosen].tolist(),
        strict=True,
    ):
        out[d].append(TopTerm(forms[f], c, spans[u]))
    return out
