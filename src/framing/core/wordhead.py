"""A word-evidence head: a sentence score made of its words' own evidence, exactly explained.

A :class:`WordHead` holds a *word model*: one linear model over each word's own features
(its form, the character n-grams inside it, its lexicon memberships, its shape), in a
:class:`~framing.core.features.FeatureSpace` applied to the word alone. Word ``t`` of a text
gets the logit ``z_t = coef @ x_t + word_intercept``; ``sigmoid(z_t)`` is the word's own
loaded probability. Tokens without a letter (punctuation, numbers) carry no evidence.

The text's calibrated logit is built from the words' logits only::

    logit = intercept + sum_t c_t
    c_t   = sum_weight * softplus(z_t - margin)
          + [t is the top word] * top_weight * softplus(z_t)
          + mean_weight * sigmoid(z_t) / n_words

where the top word is the first word with the largest ``z_t`` (none in a text without a
word) and ``n_words`` the number of words of the text. Each word's contribution ``c_t`` is a
function of its own evidence (and, for the mean term, of how many words share the text),
and the contributions plus the intercept equal the logit (to floating-point rounding): the
same exactness as the linear heads. The top term makes one strong word carry a short and a
long text alike; the sum of the margins' excess lets several loaded words add up while
ordinary words (``z_t`` well below ``margin``) add almost nothing; the mean of the words'
probabilities reads how much of the text leans loaded (it does not grow with length).
``top_weight``, ``sum_weight``, ``mean_weight`` and ``intercept`` are fitted on the
calibrated logit scale (a logistic regression over the three terms, which is its own Platt
scaling); ``calibration`` keeps ``(1, 0)`` for the record.

A word's evidence depends only on its form and whether it is written in capitals, so it is
computed once per distinct form of a batch (and kept in a per-head cache).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from framing.core.budget import CACHE_BYTES, str_bytes
from framing.core.encoder import Hits
from framing.core.engine import Attribution, attribute
from framing.core.features import SHAPE_ALLCAPS, FeatureSpace
from framing.core.head import Head
from framing.core.shared import SharedPass
from framing.core.tokens import TokenBatch, tokenize_batch
from framing.core.wordcontext import GATE_LEXICON, WordContext
from framing.core.wordvectors import WordVectors

__all__ = ["AGGREGATION", "WordHead", "aggregate", "softplus"]

# the aggregation parameters, in the order they are stored
AGGREGATION = ("word_intercept", "top_weight", "sum_weight", "margin", "mean_weight")
_LETTER = re.compile(r"[^\W\d_]")
_EMPTY = np.zeros(0, dtype=np.int64)
_ENTRY_VALUE_BYTES = 80  # a cached (float, bool) tuple beside its key (framing.core.budget)


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` without overflow."""
    return np.logaddexp(0.0, np.asarray(z, dtype=np.float64))


def aggregate(
    z: np.ndarray,
    is_word: np.ndarray,
    ptr: np.ndarray,
    *,
    intercept: float,
    top_weight: float,
    sum_weight: float,
    margin: float,
    mean_weight: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Per text (tokens ``ptr[d]:ptr[d+1]``) the logit, and per token its contribution (see
    the module docs). ``z``: each token's word logit; ``is_word``: the tokens that count."""
    n_docs = len(ptr) - 1
    n_tok = len(z)
    per_token = np.zeros(n_tok)
    if n_tok:
        per_token[is_word] = sum_weight * softplus(z[is_word] - margin)
        doc = np.repeat(np.arange(n_docs), np.diff(ptr))
        # the first word with the largest z of each text: sort by (text, -z, position)
        zw = np.where(is_word, z, -np.inf)
        order = np.lexsort((np.arange(n_tok), -zw, doc))
        first = np.ones(n_tok, dtype=bool)
        first[1:] = doc[order][1:] != doc[order][:-1]
        top = order[first]
        top = top[is_word[top]]
        per_token[top] += top_weight * softplus(z[top])
        if mean_weight:
            n_words = np.bincount(doc[is_word], minlength=n_docs)
            share = mean_weight / np.maximum(n_words, 1)[doc[is_word]]
            per_token[is_word] += share * np.exp(-np.logaddexp(0.0, -z[is_word]))
        logit = np.bincount(doc, weights=per_token, minlength=n_docs) + intercept
    else:
        logit = np.full(n_docs, float(intercept))
    return logit, per_token


class WordHead(Head):
    """A binary head whose score is made of its words' own evidence (see the module docs).

    ``coef`` (1 x features) and ``word_intercept`` are the word model; ``intercept`` (one
    value) and the aggregation weights give the calibrated text logit."""

    kind = "word_evidence"
    joins_shared_pass = False  # its space is read one word at a time, not per text

    def __init__(
        self,
        *,
        word_intercept: float,
        top_weight: float,
        sum_weight: float,
        margin: float,
        mean_weight: float = 0.0,
        context: WordContext | None = None,
        vectors: WordVectors | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.context = context
        self.vectors = vectors  # word knowledge: a dense vector per word (wordvectors)
        if not self.is_binary:
            raise ValueError(f"head {self.name!r}: a word-evidence head has one label")
        self.word_intercept = float(word_intercept)
        self.top_weight = float(top_weight)
        self.sum_weight = float(sum_weight)
        self.margin = float(margin)
        self.mean_weight = float(mean_weight)
        for key in AGGREGATION:
            if not np.isfinite(getattr(self, key)):
                raise ValueError(f"head {self.name!r}: {key} is not a finite number")
        if min(self.top_weight, self.sum_weight, self.mean_weight) < 0:
            raise ValueError(
                f"head {self.name!r}: top_weight, sum_weight and mean_weight must not be negative "
                "(a word's evidence can only raise the score)"
            )
        self.fresh_caches()

    def fresh_caches(self) -> None:
        """Start the per-form evidence cache empty (a copy over another space must not read
        the forms this head scored)."""
        self._cache: dict[str, tuple[float, bool, bool]] = {}
        self._cache_bytes = 0  # framing.core.budget's rule: the cache is bounded by bytes
        self._caps_weight = space_shape_weight(self.space, self.coef[0])

    def _logit_bound(self, max_chars: float) -> np.ndarray:
        """A bound on ``|logit|`` over texts of at most ``max_chars`` characters: each word's
        ``|z|`` is bounded as a linear head's logit on a one-token text (its features are the
        word's own: L2-normalised blocks, each lexicon counted once), and a text has at most
        ``(max_chars + 1) / 2`` words (a letter and a separator each), each adding at most
        ``sum_weight * softplus(z + |margin|)``, one of them the top term, plus the mean term."""
        linear = Head._logit_bound(self, 1.0) - np.abs(self.intercept)
        z = abs(self.word_intercept) + linear
        if self.context is not None:
            z = z + np.abs(self.context.coef).max(axis=1).sum()
        if self.vectors is not None:
            z = z + self.vectors.bound()
        per_word = softplus(z + abs(self.margin))
        weights = self.top_weight + self.sum_weight * (max_chars + 1) / 2
        return np.abs(self.intercept) + weights * per_word + self.mean_weight

    def aggregation(self) -> np.ndarray:
        """The stored aggregation parameters, in the order of :data:`AGGREGATION`."""
        return np.array([getattr(self, k) for k in AGGREGATION], dtype=np.float64)

    # ---- word evidence ---------------------------------------------------------------------
    def _form_evidence(self, forms: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per form: its word logit (without the capitals shape), whether it is a word and
        whether it holds lexicon evidence (the context gate, :mod:`framing.core.wordcontext`)."""
        cache = self._cache
        missing = [f for f in dict.fromkeys(forms) if f not in cache]
        if missing:
            added = str_bytes(missing) + _ENTRY_VALUE_BYTES * len(missing)
            if self._cache_bytes + added > CACHE_BYTES:
                cache.clear()
                self._cache_bytes = 0
            self._cache_bytes += added
            n = len(missing)
            tb = TokenBatch(
                n,
                np.arange(n + 1, dtype=np.int64),
                np.arange(n, dtype=np.int64),
                missing,
                np.zeros(n, dtype=np.int64),
                np.array([len(f) for f in missing], dtype=np.int64),
                np.zeros(n, dtype=bool),
            )
            z = attribute(self.space, self.coef[0], self.word_intercept, tb, entries=False).logit
            if self.vectors is not None:
                z = z + self.vectors.logits(missing)
            z = z.tolist()
            gate = lexicon_gate(self.space, tb).tolist() if self.context else [False] * n
            for f, zf, g in zip(missing, z, gate, strict=True):
                cache[f] = (zf, _LETTER.search(f) is not None, g)
        got = [cache[f] for f in forms]
        return (
            np.fromiter((g[0] for g in got), dtype=np.float64, count=len(got)),
            np.fromiter((g[1] for g in got), dtype=bool, count=len(got)),
            np.fromiter((g[2] for g in got), dtype=bool, count=len(got)),
        )

    def word_logits(self, tb: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
        """Per token of ``tb``: its word logit ``z_t`` and whether it is a word (has a
        letter; the others carry no evidence)."""
        z_form, word_form, gate_form = self._form_evidence(tb.forms)
        z = z_form[tb.form_id] if len(tb.form_id) else np.zeros(0)
        if self._caps_weight and len(z):
            z = z + self._caps_weight * tb.allcaps
        is_word = word_form[tb.form_id] if len(tb.form_id) else np.zeros(0, dtype=bool)
        if self.context is not None and len(z):
            z = z + self.context.logits(tb, gate_form[tb.form_id] & is_word)
        return z, is_word

    # ---- the Head interface ----------------------------------------------------------------
    def attribute(
        self,
        tb: TokenBatch,
        label: int = 0,
        *,
        entries: bool = True,
        via: SharedPass | None = None,
    ) -> Attribution:
        """Logits and exact per-word contributions (``word_logit`` holds each token's own
        word logit). A word-evidence head lists no per-feature entries: its terms are its
        words."""
        if label != 0:
            raise IndexError(f"head {self.name!r} has one label")
        z, is_word = self.word_logits(tb)
        logit, per_token = aggregate(
            z,
            is_word,
            tb.ptr,
            intercept=float(self.intercept[0]),
            top_weight=self.top_weight,
            sum_weight=self.sum_weight,
            margin=self.margin,
            mean_weight=self.mean_weight,
        )
        empty = Hits(_EMPTY, _EMPTY, np.zeros(0), _EMPTY, _EMPTY)
        none = np.zeros(0)
        return Attribution(
            logit,
            float(self.intercept[0]),
            per_token,
            empty,
            _EMPTY,
            _EMPTY,
            none,
            none,
            _EMPTY,
            word_logit=np.where(is_word, z, np.nan),
        )

    def attribute_labels(
        self, tb: TokenBatch, *, via: SharedPass | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        att = self.attribute(tb)
        return att.logit[:, None], att.per_token[:, None]

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return self.attribute(tokenize_batch(list(texts))).logit[:, None]

    def logits_from(self, encoded):
        raise TypeError(
            f"head {self.name!r} scores words, not a text's feature matrix: use logits(texts)"
        )

    def word_probabilities(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """Per text, each word as written and its own loaded probability."""
        tb = tokenize_batch(list(texts))
        z, is_word = self.word_logits(tb)
        p = np.exp(-np.logaddexp(0.0, -z)) if len(z) else z
        out: list[list[tuple[str, float]]] = [[] for _ in texts]
        for d in range(tb.n_docs):
            for t in range(int(tb.ptr[d]), int(tb.ptr[d + 1])):
                if is_word[t]:
                    out[d].append((texts[d][tb.starts[t] : tb.ends[t]], float(p[t])))
        return out


def lexicon_gate(space: FeatureSpace, tb: TokenBatch) -> np.ndarray:
    """Per document of ``tb`` (here: one form each): whether it hits the context gate's
    lexicons (:data:`framing.core.wordcontext.GATE_LEXICON` if the space has it, else any;
    the capitals shape does not count)."""
    from framing.core.encoder import encode_tokens

    X = encode_tokens(space, tb).to_scipy().tocsc()
    return gate_rows(space, X)


def gate_rows(space: FeatureSpace, X) -> np.ndarray:
    """Per row of a feature matrix of ``space``: whether it hits the context gate's lexicons."""
    lo = space.offsets["lex"]
    if GATE_LEXICON in space.lexicon_names:
        j = lo + space.lex_vocab[GATE_LEXICON]
        block = X[:, j : j + 1]
    else:
        block = X[:, lo : lo + len(space.lexicon_names)]
    return np.asarray(block.getnnz(axis=1) > 0).ravel()


def space_shape_weight(space: FeatureSpace, coef: np.ndarray) -> float:
    """What the ALL CAPS shape feature adds to a word's logit (0 without shapes)."""
    if not space.shapes:
        return 0.0
    j = space.offsets["lex"] + space.lex_vocab[SHAPE_ALLCAPS]
    return float(coef[j]) * space.lexicon_weight
