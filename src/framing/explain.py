"""Exact explanations: which words drove each score, with character offsets.

**Per-word rule** (exact): a feature's contribution ``coef * value`` is split over its
occurrences in proportion to their weights, and each occurrence's share is split evenly over
the words (tokens) it covers. A bigram gives half of its share to each of its two words; a
character n-gram gives its share to the one word it lies in. Per-word contributions plus the
intercept equal the calibrated logit (to floating-point rounding). The per-feature list
(``HeadScore.features``) is there for those who want the n-grams themselves.

**Offsets** are into the text given: the headline for headline scores, the *body* for body
sentences, so ``text[span.start:span.end]`` is exactly the word shown.

**Quotes**: a word inside a quotation (:func:`framing.text.quote_spans`) is ``quoted``. Each
score comes twice: raw (all the text) and *outlet voice*: the same head on the text with every
quotation blanked out (replaced by spaces, so offsets still hold). The outlet-voice score is
itself an exact explanation; its n-grams join the words either side of a removed quotation.

**Article score** (body, ``loaded`` head): each sentence is scored on its own; the article's
probability is the mean probability of its ``TOP_K`` = 3 most loaded sentences (all of them
when there are fewer), reported beside the share of sentences at or above the threshold and
the sentences ranked by logit. The outlet-voice article score applies the same formula to the
outlet-voice sentence scores, leaving out sentences that are entirely quoted.

**Overall sensationalism** (for sorting and triage, always beside the separate scores): the
mean of the outlet-voice probabilities that are available among clickbait(headline),
loaded(headline) and the article loaded score(body).

**Limits**: a headline longer than ``MAX_HEADLINE_CHARS`` and a body longer than
``MAX_BODY_CHARS`` are truncated at the last space before the limit, with a warning. Text that
:func:`framing.text.check_language` judges not English is scored anyway, with a warning.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .errors import InputError
from .features import FeatureSpace, _lexicon_variants
from .head import Head, sigmoid
from .model import Model
from .text import (
    PUNCT_TOKENS,
    TOKEN_PATTERN,
    LanguageCheck,
    check_language,
    normalize,
    quote_spans,
    split_paragraphs,
    split_sentences,
)

MAX_HEADLINE_CHARS = 2_000
MAX_BODY_CHARS = 2_000_000
TOP_K = 3


# ---- the result ---------------------------------------------------------------------------
class Span(NamedTuple):
    """Character offsets: ``text[start:end]`` is the word (or n-gram) shown."""

    start: int
    end: int

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end}


@dataclass(slots=True)
class Term:
    """One word (token form), quoted or not, and its total contribution over its occurrences."""

    term: str
    contribution: float
    spans: list[Span]
    quoted: bool = False

    def to_dict(self) -> dict:
        return {
            "term": self.term,
            "contribution": self.contribution,
            "spans": [{"start": s.start, "end": s.end} for s in self.spans],
            "quoted": self.quoted,
        }


@dataclass(slots=True)
class FeatureTerm:
    """One feature (n-gram, char n-gram, lexicon feature) and its contribution."""

    feature: str
    contribution: float
    spans: list[Span]

    def to_dict(self) -> dict:
        return {
            "feature": self.feature,
            "contribution": self.contribution,
            "spans": [{"start": s.start, "end": s.end} for s in self.spans],
        }


@dataclass(slots=True)
class HeadScore:
    head: str
    probability: float
    logit: float
    intercept: float
    threshold: float
    label: bool
    terms: list[Term]  # per word, sorted by |contribution|, largest first
    features: list[FeatureTerm] = field(default_factory=list)

    def top(self, k: int = 3, direction: str = "up") -> list[Term]:
        """The ``k`` strongest terms pushing ``up`` (positive) or ``down`` (negative)."""
        sign = 1 if direction == "up" else -1
        picked = [t for t in self.terms if sign * t.contribution > 0]
        return sorted(picked, key=lambda t: -sign * t.contribution)[:k]

    def to_dict(self) -> dict:
        return {
            "head": self.head,
            "probability": self.probability,
            "logit": self.logit,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "label": self.label,
            "terms": [t.to_dict() for t in self.terms],
            "features": [f.to_dict() for f in self.features],
        }


@dataclass(slots=True)
class Sentence:
    """One body sentence: ``body[start:end]``, its paragraph, and its ``loaded`` scores."""

    index: int
    start: int
    end: int
    paragraph: int
    loaded: HeadScore
    quoted: bool = False  # some of its words are inside a quotation
    loaded_outlet: HeadScore | None = None  # only when ``quoted``: the score without quotes

    @property
    def outlet(self) -> HeadScore:
        """The outlet-voice score (the raw score when nothing in the sentence is quoted)."""
        return self.loaded_outlet or self.loaded

    def __getitem__(self, key: str):
        return getattr(self, key)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "quoted": self.quoted,
            "loaded": self.loaded.to_dict(),
            "loaded_outlet": self.loaded_outlet.to_dict() if self.loaded_outlet else None,
        }


@dataclass(slots=True)
class ArticleScore:
    """Article-level ``loaded`` score: mean probability of the top ``top_k`` sentences."""

    probability: float
    label: bool
    threshold: float
    top_k: int
    max_probability: float
    share_above_threshold: float
    n_sentences: int
    ranking: list[int]  # sentence indices, most loaded (highest logit) first

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(slots=True)
class Overall:
    """Mean of the outlet-voice probabilities in ``components`` (for sorting, not a verdict)."""

    score: float
    components: dict[str, float]

    def to_dict(self) -> dict:
        return {"score": self.score, "components": dict(self.components)}


@dataclass(slots=True)
class Explanation:
    headline: str | None
    body: str | None
    clickbait: HeadScore | None = None
    loaded_headline: HeadScore | None = None
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    clickbait_outlet: HeadScore | None = None
    loaded_headline_outlet: HeadScore | None = None
    article: ArticleScore | None = None
    article_outlet: ArticleScore | None = None
    overall: Overall | None = None
    paragraphs: list[Span] = field(default_factory=list)
    headline_quotes: list[Span] = field(default_factory=list)
    body_quotes: list[Span] = field(default_factory=list)
    language: dict[str, LanguageCheck] = field(default_factory=dict)
    truncated: bool = False

    def ranked_sentences(self) -> list[Sentence]:
        """The body's sentences, most loaded first."""
        return [self.sentences[i] for i in self.article.ranking] if self.article else []

    def to_dict(self) -> dict:
        def opt(x):
            return x.to_dict() if x is not None else None

        return {
            "headline": self.headline,
            "body": self.body,
            "clickbait": opt(self.clickbait),
            "loaded_headline": opt(self.loaded_headline),
            "clickbait_outlet": opt(self.clickbait_outlet),
            "loaded_headline_outlet": opt(self.loaded_headline_outlet),
            "article": opt(self.article),
            "article_outlet": opt(self.article_outlet),
            "overall": opt(self.overall),
            "sentences": [s.to_dict() for s in self.sentences],
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "headline_quotes": [q.to_dict() for q in self.headline_quotes],
            "body_quotes": [q.to_dict() for q in self.body_quotes],
            "language": {
                k: {f: getattr(v, f) for f in v.__slots__} for k, v in self.language.items()
            },
            "truncated": self.truncated,
            "warnings": list(self.warnings),
        }


# ---- tokens of many documents at once --------------------------------------------------------
@dataclass(slots=True)
class _Tokens:
    """Tokens of ``n_docs`` documents, concatenated (``doc`` is non-decreasing)."""

    forms: list[str]
    originals: list[str]
    starts: np.ndarray
    ends: np.ndarray
    doc: np.ndarray
    quoted: np.ndarray
    n_docs: int

    def select(self, keep: np.ndarray, docs: np.ndarray) -> _Tokens:
        """The tokens in ``keep`` of the documents ``docs`` (renumbered 0..len(docs)-1)."""
        remap = np.full(self.n_docs, -1, dtype=np.int64)
        remap[docs] = np.arange(len(docs))
        keep = keep & (remap[self.doc] >= 0)
        idx = np.flatnonzero(keep)
        return _Tokens(
            [self.forms[i] for i in idx],
            [self.originals[i] for i in idx],
            self.starts[idx],
            self.ends[idx],
            remap[self.doc[idx]],
            self.quoted[idx],
            len(docs),
        )


def _in_spans(starts: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each offset lies inside one of the sorted, disjoint ``spans``."""
    if not spans or len(starts) == 0:
        return np.zeros(len(starts), dtype=bool)
    lo = np.array([s for s, _ in spans], dtype=np.int64)
    hi = np.array([e for _, e in spans], dtype=np.int64)
    k = np.searchsorted(lo, starts, side="right") - 1
    return (k >= 0) & (starts < hi[np.maximum(k, 0)])


_TOKEN_RE = re.compile(TOKEN_PATTERN)  # the tokenizer's own pattern (framing.text)


def _tokens(texts: Sequence[str], quotes: Sequence[list[tuple[int, int]]]) -> _Tokens:
    """Tokens of each text, as :func:`framing.text.token_spans` finds them (forms memoised)."""
    forms: list[str] = []
    originals: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    counts = []
    quoted = []
    memo: dict[str, str] = {}
    for text, spans in zip(texts, quotes, strict=True):
        n_before = len(starts)
        for m in _TOKEN_RE.finditer(text):
            original = m.group()
            form = memo.get(original)
            if form is None:
                form = memo[original] = normalize(original)
            forms.append(form)
            originals.append(original)
            starts.append(m.start())
            ends.append(m.end())
        counts.append(len(starts) - n_before)
        quoted.append(_in_spans(np.asarray(starts[n_before:], dtype=np.int64), spans))
    doc = np.repeat(np.arange(len(texts)), counts)
    q = np.concatenate(quoted) if quoted else np.zeros(0, dtype=bool)
    return _Tokens(
        forms,
        originals,
        np.asarray(starts, dtype=np.int64),
        np.asarray(ends, dtype=np.int64),
        doc,
        q,
        len(texts),
    )


def _segment_tokens(text: str, segments, quotes) -> _Tokens:
    """Tokens of ``text`` numbered by the segment (sentence) holding them; body offsets."""
    toks = _tokens([text], [quotes])
    seg_lo = np.array([s for s, _ in segments], dtype=np.int64)
    seg_hi = np.array([e for _, e in segments], dtype=np.int64)
    k = np.searchsorted(seg_lo, toks.starts, side="right") - 1
    if len(k) and ((k < 0).any() or (toks.ends > seg_hi[np.maximum(k, 0)]).any()):
        raise AssertionError("a token lies outside every sentence: sentence splitting is broken")
    toks.doc = k.astype(np.int64)
    toks.n_docs = len(segments)
    return toks


# ---- the vectorised attribution -------------------------------------------------------------
@dataclass(slots=True)
class _FormInfo:
    word: int  # unigram feature (global index) or -1
    chars: np.ndarray  # char n-gram features (global indices, with repeats, in order)
    lex: tuple  # ((lexicon feature global index, weight), ...) for the token alone


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CACHE_LIMIT = 300_000
_NO_CHARS = np.zeros(0, dtype=np.int64)


def _form_info(space: FeatureSpace, cache: dict, form: str) -> _FormInfo:
    info = cache.get(form)
    if info is not None:
        return info
    word = space.word_vocab.get(form, -1) if space.word_ngrams[0] <= 1 else -1
    chars = _NO_CHARS
    if space.char_ngrams and form not in PUNCT_TOKENS:
        cmin, cmax = space.char_ngrams
        vocab = space.char_vocab
        padded = f" {form} "
        size = len(padded)
        hits = [
            vocab[g]
            for n in range(cmin, min(cmax, size) + 1)
            for j in range(size - n + 1)
            if (g := padded[j : j + n]) in vocab
        ]
        if hits:
            chars = np.asarray(hits, dtype=np.int64) + space.offsets["char"]
    lex: tuple = ()
    if space.lex_entries:
        for variant in _lexicon_variants(form):
            found = space.lex_entries.get(variant)
            if found:
                off = space.offsets["lex"]
                lex = tuple((off + space.lex_vocab[name], w) for name, w in found)
                break
    info = _FormInfo(word + space.offsets["word"] if word >= 0 else -1, chars, lex)
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[form] = info
    return info


_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _feature_names(space: FeatureSpace) -> np.ndarray:
    names = _NAMES.get(space)
    if names is None:
        names = _NAMES[space] = space.feature_names()
    return names


@dataclass(slots=True)
class _Attribution:
    logits: np.ndarray  # per document
    per_token: np.ndarray  # per token
    feat: np.ndarray  # per vocabulary-hit occurrence: global feature index
    lo: np.ndarray  # first token covered
    hi: np.ndarray  # one past the last token covered
    udoc: np.ndarray  # per (document, feature) entry
    ufeat: np.ndarray
    contrib: np.ndarray  # per (document, feature) entry
    inverse: np.ndarray  # occurrence -> entry


def _is_caps(original: str) -> bool:
    return len(original) >= 2 and original.isupper() and original.isalpha()


def _attribute(head: Head, toks: _Tokens) -> _Attribution:
    """Exact per-token contributions of a binary head for every document in ``toks``.

    The same features, values and split rule as :meth:`FeatureSpace.attribute`, computed for
    all documents together (features of a word are looked up once per word form).
    """
    space = head.space
    coef = head.coef[0]
    cache = _CACHE.setdefault(space, {})
    forms = toks.forms
    n_tok = len(forms)
    doc = toks.doc
    uid_of: dict[str, int] = {}
    uid = np.fromiter((uid_of.setdefault(f, len(uid_of)) for f in forms), np.int64, n_tok)
    infos = [_form_info(space, cache, f) for f in uid_of]
    feats, los, his = [], [], []
    positions = np.arange(n_tok, dtype=np.int64)
    nmin, nmax = space.word_ngrams
    # word unigrams
    if nmin <= 1 and n_tok:
        word_u = np.fromiter((i.word for i in infos), np.int64, len(infos))[uid]
        hit = word_u >= 0
        feats.append(word_u[hit])
        los.append(positions[hit])
        his.append(positions[hit] + 1)
    # word n-grams (n >= 2) within a document
    vocab = space.word_vocab
    woff = space.offsets["word"]
    for n in range(max(nmin, 2), nmax + 1):
        if n_tok < n:
            break
        valid = np.flatnonzero(doc[: n_tok - n + 1] == doc[n - 1 :])
        if n == 2:
            names = (f"{forms[i]} {forms[i + 1]}" for i in valid.tolist())
        else:
            names = (" ".join(forms[i : i + n]) for i in valid.tolist())
        idx = np.fromiter((vocab.get(g, -1) for g in names), np.int64, len(valid))
        hit = idx >= 0
        feats.append(idx[hit] + woff)
        los.append(valid[hit])
        his.append(valid[hit] + n)
    # character n-grams of each word
    if space.char_ngrams and n_tok:
        lens_u = np.fromiter((len(i.chars) for i in infos), np.int64, len(infos))
        all_chars = np.concatenate([i.chars for i in infos] + [_NO_CHARS])
        first_u = np.concatenate([[0], np.cumsum(lens_u)[:-1]])
        lens = lens_u[uid]
        total = int(lens.sum())
        if total:
            owner = np.repeat(positions, lens)
            within = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
            feats.append(all_chars[first_u[uid][owner] + within])
            los.append(owner)
            his.append(owner + 1)
    n_plain = sum(len(f) for f in feats)
    # lexicon and shape features: the longest phrase match at a position wins, else the
    # token's own lexicon entries (looked up once per form); ALL CAPS shape per token
    lex_f, lex_w, lex_lo, lex_hi = [], [], [], []
    if (space.lex_entries or space.shapes) and n_tok:
        entries = space.lex_entries
        max_len = space.lex_max_len
        firsts = {p.split(" ", 1)[0] for p in entries if " " in p} if max_len > 1 else set()
        phrase_at: dict[int, tuple] = {}
        if firsts:
            ends_at = np.searchsorted(doc, doc, side="right").tolist()
            off = space.offsets["lex"]
            for i in (i for i, f in enumerate(forms) if f in firsts):
                for n in range(max_len, 1, -1):
                    if i + n <= ends_at[i]:
                        hit = entries.get(" ".join(forms[i : i + n]))
                        if hit:
                            found = tuple((off + space.lex_vocab[nm], w) for nm, w in hit)
                            phrase_at[i] = (found, n)
                            break
        n_lex_u = np.fromiter((len(i.lex) for i in infos), np.int64, len(infos))
        counts = n_lex_u[uid]
        if phrase_at:
            counts[list(phrase_at)] = 0
        if counts.any():
            lex_u = [i.lex for i in infos]
            owner = np.repeat(positions, counts)
            pairs = [fw for i in np.flatnonzero(counts).tolist() for fw in lex_u[uid[i]]]
            lex_f.append(np.fromiter((f for f, _ in pairs), np.int64, len(pairs)))
            lex_w.append(np.fromiter((w for _, w in pairs), np.float64, len(pairs)))
            lex_lo.append(owner)
            lex_hi.append(owner + 1)
        for i, (found, n) in phrase_at.items():
            lex_f.append(np.array([f for f, _ in found], dtype=np.int64))
            lex_w.append(np.array([w for _, w in found], dtype=np.float64))
            lex_lo.append(np.full(len(found), i, dtype=np.int64))
            lex_hi.append(np.full(len(found), i + n, dtype=np.int64))
        if space.shapes:
            shape = space.offsets["lex"] + space.lex_vocab["shape:allcaps"]
            memo: dict[str, bool] = {}
            caps = np.fromiter(
                (memo[o] if o in memo else memo.setdefault(o, _is_caps(o)) for o in toks.originals),
                bool,
                n_tok,
            )
            where = positions[caps]
            lex_f.append(np.full(len(where), shape, dtype=np.int64))
            lex_w.append(np.ones(len(where)))
            lex_lo.append(where)
            lex_hi.append(where + 1)
    feat = np.concatenate(feats + lex_f + [_NO_CHARS]).astype(np.int64, copy=False)
    weight = np.concatenate([np.ones(n_plain)] + lex_w + [np.zeros(0)])
    lo = np.concatenate(los + lex_lo + [_NO_CHARS]).astype(np.int64, copy=False)
    hi = np.concatenate(his + lex_hi + [_NO_CHARS]).astype(np.int64, copy=False)
    intercept = float(head.intercept[0])
    if len(feat) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return _Attribution(
            np.full(toks.n_docs, intercept),
            np.zeros(n_tok),
            empty,
            empty,
            empty,
            empty,
            empty,
            np.zeros(0),
            empty,
        )
    occ_doc = doc[lo]
    n_tokens = np.bincount(doc, minlength=toks.n_docs).astype(np.float64)
    udoc, ufeat, value, inverse, mass = space._values(occ_doc, feat, weight, toks.n_docs, n_tokens)
    contrib = coef[ufeat] * value
    share = np.divide(weight, mass[inverse], out=np.zeros_like(weight), where=mass[inverse] != 0)
    occ_contrib = contrib[inverse] * share
    width = hi - lo
    owner = np.repeat(np.arange(len(feat)), width)
    token = lo[owner] + (np.arange(len(owner)) - np.repeat(np.cumsum(width) - width, width))
    per_token = np.bincount(token, weights=(occ_contrib / width)[owner], minlength=n_tok)
    logits = intercept + np.bincount(udoc, weights=contrib, minlength=toks.n_docs)
    return _Attribution(logits, per_token, feat, lo, hi, udoc, ufeat, contrib, inverse)


def _head_scores(head: Head, toks: _Tokens, *, with_features: bool) -> list[HeadScore]:
    """One exact :class:`HeadScore` per document of ``toks``."""
    att = _attribute(head, toks)
    n_docs = toks.n_docs
    intercept = float(head.intercept[0])
    terms_of: list[list[Term]] = [[] for _ in range(n_docs)]
    n_tok = len(toks.forms)
    if n_tok:
        uid_of: dict[str, int] = {}
        uid = np.fromiter((uid_of.setdefault(f, len(uid_of)) for f in toks.forms), np.int64, n_tok)
        names = list(uid_of)
        key = (toks.doc * len(names) + uid) * 2 + toks.quoted
        ukey, first, inv = np.unique(key, return_index=True, return_inverse=True)
        total = np.bincount(inv, weights=att.per_token, minlength=len(ukey))
        members = np.argsort(inv, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(inv, minlength=len(ukey)))])
        kdoc = toks.doc[first]
        order = np.lexsort((-np.abs(total), kdoc))
        span_of = list(map(Span, toks.starts.tolist(), toks.ends.tolist()))
        spans_sorted = [span_of[t] for t in members.tolist()]
        bounds_l = bounds.tolist()
        quoted_l = toks.quoted[first].tolist()
        uid_l = uid[first].tolist()
        total_l = total.tolist()
        kdoc_l = kdoc.tolist()
        for k in order.tolist():
            spans = spans_sorted[bounds_l[k] : bounds_l[k + 1]]
            terms_of[kdoc_l[k]].append(Term(names[uid_l[k]], total_l[k], spans, quoted_l[k]))
    features_of: list[list[FeatureTerm]] = [[] for _ in range(n_docs)]
    if with_features and len(att.feat):
        feature_names = _feature_names(head.space)
        starts = toks.starts
        ends = toks.ends
        occ_start = starts[att.lo].tolist()
        occ_end = ends[att.hi - 1].tolist()
        spans_of: list[list[Span]] = [[] for _ in range(len(att.ufeat))]
        for e, s, t in zip(att.inverse.tolist(), occ_start, occ_end, strict=True):
            spans_of[e].append(Span(s, t))
        order = np.lexsort((-np.abs(att.contrib), att.udoc))
        for e in order.tolist():
            features_of[int(att.udoc[e])].append(
                FeatureTerm(str(feature_names[att.ufeat[e]]), float(att.contrib[e]), spans_of[e])
            )
    probs = sigmoid(att.logits)
    return [
        HeadScore(
            head=head.name,
            probability=float(probs[d]),
            logit=float(att.logits[d]),
            intercept=intercept,
            threshold=head.threshold,
            label=bool(probs[d] >= head.threshold),
            terms=terms_of[d],
            features=features_of[d],
        )
        for d in range(n_docs)
    ]


# ---- public functions -------------------------------------------------------------------------
def explain_text(
    head: Head, text: str, *, with_features: bool = True, quotes: bool = True
) -> HeadScore:
    """Exact per-word and per-feature contributions of a binary head on one text.

    Words inside quotations are marked ``quoted`` (unless ``quotes=False``); the score is the
    raw one (quoted words included).
    """
    spans = quote_spans(text) if quotes else []
    return _head_scores(head, _tokens([text], [spans]), with_features=with_features)[0]


def _truncate(text: str, limit: int, what: str, warnings: list[str]) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", max(0, limit - 1000), limit)
    cut = cut if cut > 0 else limit
    warnings.append(
        f"{what} has {len(text):,} characters, over the limit of {limit:,}: only its first "
        f"{cut:,} characters were explained"
    )
    return text[:cut], True


def _language_warning(what: str, check: LanguageCheck, warnings: list[str]) -> None:
    if check.english is False:
        warnings.append(
            f"{what} may not be English ({check.reason}); the model was trained on English "
            "text, so its scores may mean little here"
        )


def _article_score(scores: list[HeadScore], indices: list[int], head: Head) -> ArticleScore:
    probs = np.array([s.probability for s in scores])
    logits = np.array([s.logit for s in scores])
    k = min(TOP_K, len(scores))
    top = np.sort(probs)[::-1][:k]
    prob = float(top.mean())
    ranking = [indices[i] for i in np.argsort(-logits, kind="stable").tolist()]
    return ArticleScore(
        probability=prob,
        label=prob >= head.threshold,
        threshold=head.threshold,
        top_k=k,
        max_probability=float(probs.max()),
        share_above_threshold=float((probs >= head.threshold).mean()),
        n_sentences=len(scores),
        ranking=ranking,
    )


def _headline_part(model: Model, headlines: Sequence[str], results, *, features: bool):
    """Raw and outlet-voice scores of every head for many headlines at once."""
    quotes = [quote_spans(h) for h in headlines]
    toks = _tokens(headlines, quotes)
    all_docs = np.arange(len(headlines))
    outlet = toks.select(~toks.quoted, all_docs)
    for res, q in zip(results, quotes, strict=True):
        res.headline_quotes = [Span(a, b) for a, b in q]
    for name, raw_attr, outlet_attr in (
        ("clickbait", "clickbait", "clickbait_outlet"),
        ("loaded", "loaded_headline", "loaded_headline_outlet"),
    ):
        if name not in model.heads:
            continue
        head = model[name]
        raw = _head_scores(head, toks, with_features=features)
        out = _head_scores(head, outlet, with_features=features)
        for res, r, o in zip(results, raw, out, strict=True):
            setattr(res, raw_attr, r)
            setattr(res, outlet_attr, o)


def _body_part(model: Model, res: Explanation, body: str, *, sentence_features: bool) -> None:
    paragraphs = split_paragraphs(body)
    sentences = split_sentences(body, paragraphs)
    quotes = quote_spans(body, paragraphs)
    res.paragraphs = [Span(a, b) for a, b in paragraphs]
    res.body_quotes = [Span(a, b) for a, b in quotes]
    if "loaded" not in model.heads:
        res.warnings.append("this model has no 'loaded' head: the body was not scored")
        return
    if not sentences:
        res.warnings.append("the body has no text to score")
        return
    head = model["loaded"]
    toks = _segment_tokens(body, sentences, quotes)
    raw = _head_scores(head, toks, with_features=sentence_features)
    n = len(sentences)
    n_quoted = np.bincount(toks.doc[toks.quoted], minlength=n)
    n_words = np.bincount(toks.doc, minlength=n)
    with_quotes = np.flatnonzero(n_quoted > 0)
    outlet = _head_scores(
        head, toks.select(~toks.quoted, with_quotes), with_features=sentence_features
    )
    outlet_of = dict(zip(with_quotes.tolist(), outlet, strict=True))
    p_lo = np.array([a for a, _ in paragraphs])
    para = (np.searchsorted(p_lo, [a for a, _ in sentences], side="right") - 1).tolist()
    res.sentences = [
        Sentence(i, a, b, para[i], raw[i], i in outlet_of, outlet_of.get(i))
        for i, (a, b) in enumerate(sentences)
    ]
    res.article = _article_score(raw, list(range(n)), head)
    # outlet voice: sentences with at least one word outside quotations
    voiced = [i for i in range(n) if n_words[i] == 0 or n_quoted[i] < n_words[i]]
    if voiced:
        scores = [res.sentences[i].outlet for i in voiced]
        res.article_outlet = _article_score(scores, voiced, head)
    else:
        res.warnings.append("every word of the body is quoted: no outlet-voice article score")


def _overall(res: Explanation) -> None:
    components = {}
    if res.clickbait_outlet is not None:
        components["clickbait_headline"] = res.clickbait_outlet.probability
    if res.loaded_headline_outlet is not None:
        components["loaded_headline"] = res.loaded_headline_outlet.probability
    if res.article_outlet is not None:
        components["loaded_body"] = res.article_outlet.probability
    if components:
        res.overall = Overall(float(np.mean(list(components.values()))), components)


def _check_input(value, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InputError(f"{what} must be a string (or None), not {type(value).__name__}")


def _resolve(model: Model | None) -> Model:
    from .scoring import _default_model

    return model or _default_model()


def explain(
    headline: str | None = None,
    body: str | None = None,
    *,
    model: Model | None = None,
    features: bool = True,
    sentence_features: bool = False,
) -> Explanation:
    """Explain a headline and/or an article body with the model's heads (see module docs).

    ``features`` adds the per-feature lists to the headline scores; ``sentence_features`` to
    each body sentence's scores too (larger output).
    """
    _check_input(headline, "headline")
    _check_input(body, "body")
    if headline is None and body is None:
        raise InputError("explain() needs a headline, a body or both")
    model = _resolve(model)
    res = Explanation(headline=headline, body=body)
    if headline is not None:
        headline, res.truncated = _truncate(
            headline, MAX_HEADLINE_CHARS, "the headline", res.warnings
        )
        res.headline = headline
        res.language["headline"] = check_language(headline)
        _language_warning("the headline", res.language["headline"], res.warnings)
        _headline_part(model, [headline], [res], features=features)
    if body is not None:
        body, cut = _truncate(body, MAX_BODY_CHARS, "the body", res.warnings)
        res.body = body
        res.truncated = res.truncated or cut
        res.language["body"] = check_language(body)
        _language_warning("the body", res.language["body"], res.warnings)
        _body_part(model, res, body, sentence_features=sentence_features)
    _overall(res)
    return res


def explain_many(
    headlines,
    bodies: Sequence[str | None] | None = None,
    *,
    model: Model | None = None,
    features: bool = False,
) -> list:
    """Explain many headlines (and optional bodies) in one batched pass; input order kept.

    The headlines of all items are tokenised, featurised and attributed together (one
    vectorised pass per head), which is much faster than one :func:`explain` call each.
    Results equal :func:`explain`'s item by item (``features`` defaults to off here).
    For compatibility, ``explain_many(head, texts)`` returns one raw :class:`HeadScore` per text.
    """
    if isinstance(headlines, Head):
        texts = list(bodies or [])
        for i, t in enumerate(texts):
            _check_input(t, f"text {i}")
        toks = _tokens(texts, [quote_spans(t) for t in texts])
        return _head_scores(headlines, toks, with_features=features)
    if isinstance(headlines, str):
        raise InputError("explain_many() takes a list of headlines, not one string")
    headlines = list(headlines)
    bodies = [None] * len(headlines) if bodies is None else list(bodies)
    if len(bodies) != len(headlines):
        raise InputError(f"{len(headlines)} headlines but {len(bodies)} bodies: give one each")
    model = _resolve(model)
    results = []
    for i, (h, b) in enumerate(zip(headlines, bodies, strict=True)):
        _check_input(h, f"headline {i}")
        _check_input(b, f"body {i}")
        if h is None and b is None:
            raise InputError(f"item {i} has neither a headline nor a body")
        results.append(Explanation(headline=h, body=b))
    with_headline = [i for i, h in enumerate(headlines) if h is not None]
    texts = []
    for i in with_headline:
        res = results[i]
        text, res.truncated = _truncate(
            res.headline, MAX_HEADLINE_CHARS, "the headline", res.warnings
        )
        res.headline = text
        res.language["headline"] = check_language(text)
        _language_warning("the headline", res.language["headline"], res.warnings)
        texts.append(text)
    if texts:
        _headline_part(model, texts, [results[i] for i in with_headline], features=features)
    for res in results:
        if res.body is not None:
            body, cut = _truncate(res.body, MAX_BODY_CHARS, "the body", res.warnings)
            res.body = body
            res.truncated = res.truncated or cut
            res.language["body"] = check_language(body)
            _language_warning("the body", res.language["body"], res.warnings)
            _body_part(model, res, body, sentence_features=False)
        _overall(res)
    return results


__all__ = [
    "ArticleScore",
    "Explanation",
    "FeatureTerm",
    "HeadScore",
    "MAX_BODY_CHARS",
    "MAX_HEADLINE_CHARS",
    "Overall",
    "Sentence",
    "Span",
    "Term",
    "explain",
    "explain_many",
    "explain_text",
]
