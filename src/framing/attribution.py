"""Batched scoring with exact per-word attribution: many texts at once, vectorised with numpy.

:meth:`FeatureSpace.encode` and :meth:`FeatureSpace.attribute` analyse one text at a time.
For feeds of millions of rows this module computes the same numbers for a whole batch:

* texts are tokenised once (the same regex, :data:`framing.text.TOKEN_PATTERN`) and shared
  by every head;
* the per-word work (normalising a token, its character n-grams, its lexicon matches) is
  done once per distinct word and cached, so a batch costs little more than its n-gram
  lookups;
* feature values come from :meth:`FeatureSpace._values` (the same TF-IDF arithmetic), and
  each feature's contribution ``coef * value`` is split by the documented rule (over its
  occurrences by weight, then evenly over the tokens each covers), so per-word sums equal
  :func:`framing.explain.explain_text`'s terms up to floating-point rounding.

Only the top ``k`` words per text are turned into Python objects (term, contribution,
character spans): the rest stays in arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .features import SHAPE_ALLCAPS, Encoded, FeatureSpace, _lexicon_variants
from .head import Head
from .text import _TOKEN_RE, PUNCT_TOKENS, normalize

_CACHE_LIMIT = 100_000  # distinct words kept per cache before it is cleared (bounded memory)


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of a batch of texts, flattened: token ``t`` belongs to text ``doc[t]``."""

    n_docs: int
    ptr: np.ndarray  # (n_docs + 1,) first token of each text
    form_id: np.ndarray  # per token: index into ``forms``
    forms: list[str]  # distinct token forms of the batch
    starts: np.ndarray  # per token: character offsets into its text
    ends: np.ndarray
    allcaps: np.ndarray  # per token: the original spelling is ALL CAPS (>= 2 letters)

    @property
    def n_tokens(self) -> np.ndarray:
        return np.diff(self.ptr)

    @property
    def doc(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_docs), self.n_tokens)


def _is_allcaps(original: str) -> bool:
    return len(original) >= 2 and original.isupper() and original.isalpha()


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Tokenise ``texts`` with the project's one tokenizer (see :mod:`framing.text`)."""
    raw_ids: dict[str, int] = {}  # original token spelling -> raw id
    raw_list: list[str] = []
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for d, text in enumerate(texts):
        n = 0
        for m in _TOKEN_RE.finditer(text):
            tok = m.group()
            rid = raw_ids.get(tok)
            if rid is None:
                rid = raw_ids[tok] = len(raw_list)
                raw_list.append(tok)
            ids.append(rid)
            s, e = m.span()
            starts.append(s)
            ends.append(e)
            n += 1
        counts[d] = n
    form_index: dict[str, int] = {}
    forms: list[str] = []
    raw_to_form = np.empty(len(raw_list), dtype=np.int64)
    raw_caps = np.empty(len(raw_list), dtype=bool)
    for r, tok in enumerate(raw_list):
        form = normalize(tok)
        f = form_index.get(form)
        if f is None:
            f = form_index[form] = len(forms)
            forms.append(form)
        raw_to_form[r] = f
        raw_caps[r] = _is_allcaps(tok)
    raw = np.asarray(ids, dtype=np.int64)
    ptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return TokenBatch(
        n_docs=len(texts),
        ptr=ptr,
        form_id=raw_to_form[raw] if len(raw) else raw,
        forms=forms,
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
        allcaps=raw_caps[raw] if len(raw) else np.zeros(0, dtype=bool),
    )


def _gather(ptr: np.ndarray, values: np.ndarray, which: np.ndarray):
    """Concatenate ``values[ptr[w]:ptr[w+1]]`` for each ``w`` in ``which``; also its owner."""
    lens = ptr[which + 1] - ptr[which]
    total = int(lens.sum())
    owner = np.repeat(np.arange(len(which)), lens)
    first = np.repeat(ptr[which] - (np.cumsum(lens) - lens), lens)
    return values[first + np.arange(total)], owner


@dataclass(frozen=True, slots=True)
class BatchOccurrences:
    """Vocabulary hits of a batch: per occurrence its text, feature, weight, token range."""

    doc: np.ndarray
    feat: np.ndarray
    weight: np.ndarray
    lo: np.ndarray  # global token index (into the TokenBatch) of the first token covered
    hi: np.ndarray  # one past the last


class BatchEncoder:
    """Encodes token batches in one :class:`FeatureSpace`, caching per-word work."""

    def __init__(self, space: FeatureSpace):
        self.space = space
        self._cache: dict[str, tuple] = {}
        self._shape_idx = (
            space.offsets["lex"] + space.lex_vocab[SHAPE_ALLCAPS] if space.shapes else -1
        )
        self._tables_built = False

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
        for term, _ in word_multi:
            for w in term.split(" "):
                gid.setdefault(w, len(gid))
        for phrase, _ in lex_multi:
            for w in phrase.split(" "):
                gid.setdefault(w, len(gid))
        self._gid = gid
        self._M = len(gid) + 1
        if self._M**3 >= 2**62:
            raise ValueError("too many distinct words in n-gram entries for integer keys")
        self._word_tables = self._table([(t, sp.offsets["word"] + j) for t, j in word_multi])
        self._lex_tables = self._table(lex_multi)
        self._tables_built = True

    def _key_of(self, ids: list[int]) -> int:
        key = 0
        for i in ids:
            key = key * self._M + i
        return key

    def _table(self, entries) -> dict[int, tuple[np.ndarray, list]]:
        """Per n: sorted integer keys and the value of each key."""
        by_n: dict[int, list] = {}
        for term, value in entries:
            words = term.split(" ")
            by_n.setdefault(len(words), []).append(
                (self._key_of([self._gid[w] for w in words]), value)
            )
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
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        pos = np.arange(n_tok - n + 1)
        # the n-gram must lie inside one text
        end_of_doc = np.repeat(tb.ptr[1:], tb.n_tokens)[: n_tok - n + 1]
        ok = pos + n <= end_of_doc
        key = np.zeros(n_tok - n + 1, dtype=np.int64)
        for k in range(n):
            g = gids[k : n_tok - n + 1 + k]
            ok &= g >= 0
            key = key * self._M + np.where(g >= 0, g, 0)
        pos, key = pos[ok], key[ok]
        row = np.searchsorted(keys_sorted, key)
        row = np.minimum(row, len(keys_sorted) - 1)
        hit = keys_sorted[row] == key
        return pos[hit], row[hit]

    # per distinct word: (unigram feature or -1, char features, lexicon single-word matches)
    def _word_entry(self, form: str) -> tuple:
        sp = self.space
        uni = -1
        if sp.word_ngrams[0] == 1:
            j = sp.word_vocab.get(form)
            if j is not None:
                uni = sp.offsets["word"] + j
        chars: list[int] = []
        if sp.char_ngrams and form not in PUNCT_TOKENS:
            cmin, cmax = sp.char_ngrams
            padded = f" {form} "
            size = len(padded)
            vocab = sp.char_vocab
            off = sp.offsets["char"]
            for n in range(cmin, min(cmax, size) + 1):
                for i in range(size - n + 1):
                    j = vocab.get(padded[i : i + n])
                    if j is not None:
                        chars.append(off + j)
        lex: list[tuple[int, float]] = []
        for variant in _lexicon_variants(form):
            found = sp.lex_entries.get(variant)
            if found:
                off = sp.offsets["lex"]
                lex = [(off + sp.lex_vocab[name], weight) for name, weight in found]
                break
        return uni, chars, lex

    def _entries(self, forms: list[str]):
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
        return (
            gid,
            uni,
            cptr,
            np.asarray(cidx, dtype=np.int64),
            lptr,
            np.asarray(lidx, dtype=np.int64),
            np.asarray(lwt, dtype=np.float64),
        )

    def occurrences(self, tb: TokenBatch) -> BatchOccurrences:
        sp = self.space
        if not self._tables_built:
            self._build_tables()
        gid, uni, cptr, cidx, lptr, lidx, lwt = self._entries(tb.forms)
        doc_of_tok = tb.doc
        n_tok_total = len(tb.form_id)
        tok = np.arange(n_tok_total, dtype=np.int64)
        parts_doc, parts_feat, parts_w, parts_lo, parts_hi = [], [], [], [], []

        def add(doc, feat, weight, lo, hi):
            parts_doc.append(doc)
            parts_feat.append(feat)
            parts_w.append(weight)
            parts_lo.append(lo)
            parts_hi.append(hi)

        # word n-grams
        nmin, nmax = sp.word_ngrams
        if nmin == 1 and n_tok_total:
            hit = uni[tb.form_id]
            keep = hit >= 0
            add(doc_of_tok[keep], hit[keep], np.ones(int(keep.sum())), tok[keep], tok[keep] + 1)
        if nmax >= 2 and n_tok_total:
            tok_gid = gid[tb.form_id]
            for n in range(max(nmin, 2), nmax + 1):
                if n not in self._word_tables:
                    continue
                table = self._word_tables[n]
                pos, row = self._ngram_hits(tb, tok_gid, n, table)
                feats = np.asarray(table[1], dtype=np.int64)[row]
                add(doc_of_tok[pos], feats, np.ones(len(pos)), pos, pos + n)
        # character n-grams inside each word
        if sp.char_ngrams and len(cidx):
            feat, owner = _gather(cptr, cidx, tb.form_id)
            t = tok[owner]
            add(doc_of_tok[t], feat, np.ones(len(feat)), t, t + 1)
        # lexicon phrases (longest match at a position wins) and word shapes
        if (sp.lex_entries or sp.shapes) and n_tok_total:
            multi_pos: list[int] = []
            multi_feat: list[int] = []
            multi_w: list[float] = []
            multi_n: list[int] = []
            if self._lex_tables:
                tok_gid = gid[tb.form_id]
                taken = np.zeros(n_tok_total, dtype=bool)
                for n in range(sp.lex_max_len, 1, -1):  # the longest match at a position wins
                    if n not in self._lex_tables:
                        continue
                    table = self._lex_tables[n]
                    pos, row = self._ngram_hits(tb, tok_gid, n, table)
                    fresh = ~taken[pos]
                    pos, row = pos[fresh], row[fresh]
                    taken[pos] = True
                    for p, r in zip(pos.tolist(), row.tolist(), strict=True):
                        for j, w in table[1][r]:
                            multi_pos.append(p)
                            multi_feat.append(j)
                            multi_w.append(w)
                            multi_n.append(n)
            single_tok = tok
            if multi_pos:
                blocked = np.zeros(n_tok_total, dtype=bool)
                blocked[multi_pos] = True
                single_tok = tok[~blocked]
                mp = np.asarray(multi_pos, dtype=np.int64)
                add(
                    doc_of_tok[mp],
                    np.asarray(multi_feat, dtype=np.int64),
                    np.asarray(multi_w, dtype=np.float64),
                    mp,
                    mp + np.asarray(multi_n, dtype=np.int64),
                )
            if len(lidx):
                feat, owner = _gather(lptr, lidx, tb.form_id[single_tok])
                wts, _ = _gather(lptr, lwt, tb.form_id[single_tok])
                t = single_tok[owner]
                add(doc_of_tok[t], feat, wts, t, t + 1)
            if sp.shapes:
                t = tok[tb.allcaps]
                add(doc_of_tok[t], np.full(len(t), self._shape_idx), np.ones(len(t)), t, t + 1)
        if not parts_doc:
            z = np.zeros(0, dtype=np.int64)
            return BatchOccurrences(z, z, np.zeros(0), z, z)
        return BatchOccurrences(
            np.concatenate(parts_doc),
            np.concatenate(parts_feat),
            np.concatenate(parts_w).astype(np.float64),
            np.concatenate(parts_lo),
            np.concatenate(parts_hi),
        )


@dataclass(frozen=True, slots=True)
class BatchScores:
    """One head on a batch: calibrated logits and each token's exact contribution."""

    logit: np.ndarray  # (n_docs,)
    per_token: np.ndarray  # (n_tokens,) aligned with the TokenBatch
    encoded: Encoded


def score_batch(head: Head, encoder: BatchEncoder, tb: TokenBatch, label: int = 0) -> BatchScores:
    """Logits and per-token contributions of ``head`` (label ``label``) on a token batch."""
    sp = head.space
    coef = head.coef[label]
    occ = encoder.occurrences(tb)
    n = tb.n_docs
    n_tokens = tb.n_tokens.astype(np.float64)
    total_tokens = len(tb.form_id)
    if len(occ.feat) == 0:
        empty = np.zeros(0, dtype=np.int64)
        enc = Encoded(np.zeros(n + 1, dtype=np.int64), empty, np.zeros(0), sp.n_features)
        return BatchScores(np.full(n, head.intercept[label]), np.zeros(total_tokens), enc)
    udoc, ufeat, value, inverse, mass = sp._values(occ.doc, occ.feat, occ.weight, n, n_tokens)
    feature_contrib = coef[ufeat] * value
    logit = np.bincount(udoc, weights=feature_contrib, minlength=n) + head.intercept[label]
    share = np.divide(
        occ.weight, mass[inverse], out=np.zeros_like(occ.weight), where=mass[inverse] != 0
    )
    occ_contrib = feature_contrib[inverse] * share
    width = occ.hi - occ.lo
    step = np.arange(int(width.sum())) - np.repeat(np.cumsum(width) - width, width)
    tok_idx = np.repeat(occ.lo, width) + step
    per_token = np.bincount(
        tok_idx, weights=np.repeat(occ_contrib / width, width), minlength=total_tokens
    )
    keep = value != 0
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(udoc[keep], minlength=n), out=indptr[1:])
    enc = Encoded(indptr, ufeat[keep].astype(np.int64), value[keep], sp.n_features)
    return BatchScores(logit, per_token, enc)


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
    group_start = np.searchsorted(sdoc, sdoc, side="left")
    rank = np.arange(len(order)) - group_start
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
