"""Training a word-evidence head (:class:`framing.core.wordhead.WordHead`) from word marks.

**Word marks** are words labelled loaded (1) or not (0) inside real texts:

* BABE SG2: the words the experts marked in Biased sentences (1) against the other words of
  those sentences and every word of Non-biased ones (0); Biased sentences without marks are
  left out (their loaded word is unknown);
* PTC train: words inside Loaded_Language / Name_Calling spans (1) against the other words of
  its lines (0);
* the list's swap-in pairs (:mod:`framing.training.swapin`): the entry put into a real neutral
  text (1) and the other words of that text (0); the **counterpart it replaced is left out**:
  it is a neutral word, not evidence against loadedness. Every other pair is encoded without
  the list's own lexicon feature, so that what the pairs teach also reaches the word's other
  features (its n-grams, the general lexicons, WordNet links);
* neutral text (Anno-lexical sentences labelled 0, news headlines): every word 0.

A word's features depend only on its form and capitals, so the rows are aggregated per
(form, capitals, list feature hidden, label) with summed weights: the same logistic
regression as one row per token, on a few tens of thousands of rows.

The **aggregation** (``top_weight``, ``sum_weight``, ``intercept``) is a logistic regression
of sentence labels on the two sums of :func:`framing.core.wordhead.aggregate`, over word
logits that did not see those sentences' marks (out-of-fold): its own Platt scaling.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from framing.core.encoder import encode_tokens
from framing.core.features import SHAPE_ALLCAPS, FeatureSpace
from framing.core.tokens import TokenBatch, tokenize_batch
from framing.core.wordcontext import CLASSES, GATE_LEXICON, WordContext
from framing.core.wordhead import WordHead, aggregate, gate_rows
from framing.core.wordvectors import WordVectors
from framing.training.binary.fit import TextVectorizer

__all__ = [
    "MarkSet",
    "WordRecipe",
    "fit_aggregation",
    "fit_word_head",
    "fit_word_model",
    "mark_sets_of",
    "sentence_sums",
]

HIDDEN = "loaded_terms"  # the lexicon hidden on every other swap-in pair
_STOP = frozenset(ENGLISH_STOP_WORDS)


@dataclass(frozen=True)
class WordRecipe:
    """How the word model and its aggregation are trained (apart from the data)."""

    lexicons: dict = field(default_factory=dict)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_word_features: int = 40_000
    max_char_features: int = 60_000
    C: float = 0.5
    positive_weight: float = 3.0  # positives' weight relative to negatives (class balance)
    margin: float = 2.0
    # the aggregation's terms (TERMS). Measured (BABE 5-fold CV; held-out entries, 1,703
    # pairs): the mean word probability lifts BABE AUC 0.773 -> 0.795 but lets neutral twins
    # over 0.5 (neutral < 0.5 0.918 -> 0.733, loaded >= neutral q95 0.584 -> 0.430)
    terms: tuple[str, ...] = ("top", "sum")
    # per source (measured, BABE 5-fold CV, seed 0: BABE marks at weight 2 rather than 1 give
    # sentence AUC 0.805 / macro F1 0.733 / term R-precision 0.613 / marked-word top-1 0.700,
    # against 0.795 / 0.720 / 0.607 / 0.687)
    weights: dict = field(
        default_factory=lambda: {
            "babe": 2.0,
            "ptc": 0.5,
            "neutral": 0.5,
            "swapin": 2.0,
            "literal": 1.0,
            "news_literal": 0.5,
        }
    )
    # labelled sense contrasts (issue 24): literal uses of words that are marked loaded
    # somewhere, as negatives of that word alone: WordNet's examples and glosses of its
    # literal senses (framing.training.wordnet.literal_uses), and its uses in the neutral texts
    literal_wordnet: bool = False
    literal_news: bool = False
    # swap-in pairs that put an entry at a random place ("insert") are kept only for the
    # entries whose neutral wording is to leave them out (intensifiers, sneers) when False
    all_inserts: bool = True
    # the context form (framing.core.wordcontext): 0 = none; else the scale of its features
    context_scale: float = 0.0
    context_classes: dict = field(default_factory=dict)
    # gate the context on the words with a literal sense (the lexicon wordnet_literal:
    # framing.training.wordnet.literal_lexicon) rather than on any lexicon
    literal_gate: bool = False
    # word knowledge (framing.core.wordvectors): distributional vectors of a vocabulary
    # (vector_terms; vector_matrix: words x dims, float16), their features at vector_scale
    vector_scale: float = 0.0
    vector_terms: tuple = ()
    vector_matrix: object = None
    # the share of each row's weight given to a copy without the word's identity feature
    # (:func:`_with_identity_hidden`): 0 = none
    hide_word: float = 0.0

    def describe(self) -> dict:
        skip = ("lexicons", "context_classes", "vector_terms", "vector_matrix")
        out = {k: v for k, v in self.__dict__.items() if k not in skip}
        out["context_classes"] = len(self.context_classes)
        if self.vector_matrix is not None:
            out["vectors"] = list(np.shape(self.vector_matrix))
        out["lexicons"] = {k: len(v) for k, v in self.lexicons.items()}
        return out


@dataclass
class MarkSet:
    """Texts whose words are marked: ``positive[i]`` and ``skip[i]`` hold character spans of
    text ``i`` (words inside ``positive`` are 1, inside ``skip`` left out, the others 0);
    ``hide[i]``: encode text ``i``'s words without the list's lexicon feature."""

    source: str
    texts: list[str]
    positive: list[tuple]
    skip: list[tuple] = field(default_factory=list)
    hide: list[bool] = field(default_factory=list)
    weight: float = 1.0
    only: list[tuple] = field(default_factory=list)  # when given: only words inside count


def _inside(starts, ends, spans) -> np.ndarray:
    out = np.zeros(len(starts), dtype=bool)
    for a, b in spans:
        out |= (starts < b) & (ends > a)
    return out


def token_rows(marks: MarkSet, recipe: WordRecipe):
    """Per word token of ``marks`` (tokens with a letter): (form, capitals, hidden, label,
    weight) as arrays; forms as strings."""
    tb = tokenize_batch(marks.texts)
    n_tok = len(tb.form_id)
    label = np.zeros(n_tok, dtype=bool)
    keep = np.ones(n_tok, dtype=bool)
    stop = np.array([f in _STOP for f in tb.forms], dtype=bool)
    for d in range(tb.n_docs):
        a, b = int(tb.ptr[d]), int(tb.ptr[d + 1])
        if marks.positive[d]:
            inside = _inside(tb.starts[a:b], tb.ends[a:b], marks.positive[d])
            # a stop word inside a marked span ("a bunch of thugs") is neither evidence
            # for nor against: left out
            label[a:b] = inside & ~stop[tb.form_id[a:b]]
            keep[a:b] &= ~(inside & stop[tb.form_id[a:b]])
        if marks.skip and marks.skip[d]:
            keep[a:b] &= ~_inside(tb.starts[a:b], tb.ends[a:b], marks.skip[d])
        if marks.only:
            keep[a:b] &= _inside(tb.starts[a:b], tb.ends[a:b], marks.only[d])
    is_word = np.array([any(c.isalpha() for c in f) for f in tb.forms], dtype=bool)
    keep &= is_word[tb.form_id] if n_tok else keep
    hide = np.repeat(np.asarray(marks.hide or [False] * tb.n_docs, dtype=bool), tb.n_tokens)
    w = recipe.weights.get(marks.source, 1.0) * marks.weight
    weight = np.where(label, w * recipe.positive_weight, w)
    forms = np.array(tb.forms, dtype=object)[tb.form_id] if n_tok else np.zeros(0, dtype=object)
    if recipe.context_scale:
        probe = WordContext(recipe.context_classes, np.zeros((2, len(CLASSES))), _STOP)
        prev, nxt = probe.neighbours(tb)
    else:
        prev = nxt = np.zeros(n_tok, dtype=np.int64)
    return (
        forms[keep],
        tb.allcaps[keep],
        hide[keep],
        label[keep],
        weight[keep],
        prev[keep],
        nxt[keep],
    )


def _form_batch(forms: Sequence[str], caps: np.ndarray | None = None) -> TokenBatch:
    n = len(forms)
    return TokenBatch(
        n,
        np.arange(n + 1, dtype=np.int64),
        np.arange(n, dtype=np.int64),
        list(forms),
        np.zeros(n, dtype=np.int64),
        np.array([len(f) for f in forms], dtype=np.int64),
        np.zeros(n, dtype=bool) if caps is None else caps,
    )


def _design(space: FeatureSpace, forms, caps, hide, prev=None, nxt=None, scale=0.0, recipe=None):
    """The feature rows of (form, capitals, hidden) triples; with ``recipe``'s word vectors,
    followed by their columns (:func:`vector_block`); with ``scale``, then by the context
    columns (2 x len(CLASSES): previous / next content word's class, ``scale`` on the words
    that hold lexicon evidence)."""
    from scipy.sparse import csr_matrix, hstack, vstack

    rows = []
    hidden = (
        space.with_lexicons({**_lexicons(space), HIDDEN: {}})
        if HIDDEN in space.lexicon_names
        else space
    )
    for sp, mask in ((space, ~hide), (hidden, hide)):
        idx = np.flatnonzero(mask)
        if len(idx):
            X = encode_tokens(sp, _form_batch([forms[i] for i in idx])).to_scipy().tolil()
            if space.shapes:
                j = space.offsets["lex"] + space.lex_vocab[SHAPE_ALLCAPS]
                for r in np.flatnonzero(caps[idx]):
                    X[r, j] = space.lexicon_weight
            rows.append((idx, X.tocsr()))
    order = np.concatenate([idx for idx, _ in rows])
    X = vstack([X for _, X in rows]).tocsr()
    inv = np.empty(len(order), dtype=np.int64)
    inv[order] = np.arange(len(order))
    X = csr_matrix(X[inv])
    blocks = [X]
    if recipe is not None and recipe.vector_scale:
        blocks.append(csr_matrix(vector_block(recipe, forms)))
    if not scale:
        return hstack(blocks).tocsr() if len(blocks) > 1 else X
    r = np.flatnonzero(gate_rows(space, X))
    k = len(CLASSES)
    ctx = csr_matrix(
        (
            np.full(2 * len(r), scale),
            (np.concatenate([r, r]), np.concatenate([prev[r], k + nxt[r]])),
        ),
        shape=(X.shape[0], 2 * k),
    )
    return hstack([*blocks, ctx]).tocsr()


def _vectors(recipe: WordRecipe, coef=None) -> WordVectors:
    dims = np.shape(recipe.vector_matrix)[1]
    return WordVectors(
        recipe.vector_terms, recipe.vector_matrix, np.zeros(dims) if coef is None else coef
    )


def vector_block(recipe: WordRecipe, forms) -> np.ndarray:
    """The word-vector columns of ``forms``: ``vector_scale`` x the form's vector (zeros
    outside the vocabulary), looked up as the head looks it up."""
    vec = _vectors(recipe)
    rows = vec.rows(list(forms))
    out = np.zeros((len(rows), vec.vectors.shape[1]))
    hit = rows >= 0
    out[hit] = vec.vectors[rows[hit]].astype(np.float64) * recipe.vector_scale
    return out


def _lexicons(space: FeatureSpace) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {name: {} for name in space.lexicon_names}
    for phrase, found in space.lex_entries.items():
        for name, weight in found:
            out[name][phrase] = weight
    return out


def fit_word_model(mark_sets: Sequence[MarkSet], recipe: WordRecipe, space=None, seed: int = 0):
    """The word model on ``mark_sets``: (feature space, coef, intercept). The space is fitted
    on the texts of the mark sets unless given."""
    from sklearn.linear_model import LogisticRegression

    if space is None:
        texts = [t for m in mark_sets for t in m.texts]
        space = (
            TextVectorizer(
                word_ngrams=(1, 1),
                char_ngrams=recipe.char_ngrams,
                min_df=recipe.min_df,
                max_word_features=recipe.max_word_features,
                max_char_features=recipe.max_char_features,
                sublinear_tf=True,
                lexicon_weight=1.0,
                lexicons=recipe.lexicons,
                shapes=True,
            )
            .fit(texts)
            .space_
        )
    parts = [token_rows(m, recipe) for m in mark_sets]
    forms = np.concatenate([p[0] for p in parts])
    caps, hide, label, weight, prev, nxt = (
        np.concatenate([p[k] for p in parts]) for k in range(1, 7)
    )
    # one row per distinct (form, capitals, hidden, label, context), its weights summed
    keys: dict[tuple, int] = {}
    cols = (forms, caps, hide, label, prev, nxt)
    idx = np.fromiter(
        (keys.setdefault(k, len(keys)) for k in zip(*(c.tolist() for c in cols), strict=True)),
        dtype=np.int64,
        count=len(forms),
    )
    w = np.bincount(idx, weights=weight, minlength=len(keys))
    uniq = list(keys)
    X = _design(
        space,
        [k[0] for k in uniq],
        np.array([k[1] for k in uniq], dtype=bool),
        np.array([k[2] for k in uniq], dtype=bool),
        np.array([k[4] for k in uniq], dtype=np.int64),
        np.array([k[5] for k in uniq], dtype=np.int64),
        recipe.context_scale,
        recipe,
    )
    y = np.array([k[3] for k in uniq], dtype=np.int64)
    clf = LogisticRegression(
        C=recipe.C, solver="liblinear", tol=1e-4, max_iter=2000, random_state=seed
    )
    if recipe.hide_word:
        X, y, w = _with_identity_hidden(space, X, y, w, recipe.hide_word)
    clf.fit(X, y, sample_weight=w)
    return space, clf.coef_[0].astype(np.float64), float(clf.intercept_[0])


def _with_identity_hidden(space: FeatureSpace, X, y, w, share: float):
    """Every row twice: as it is at ``1 - share`` of its weight, and without the word's own
    identity feature (the word block) at ``share``: the rest of the word's evidence (its
    n-grams, lexicons, vectors) must then carry the label, as it must for a word the marks
    never show."""
    from scipy.sparse import diags, vstack

    keep = np.ones(X.shape[1])
    keep[space.offsets["word"] : space.offsets["char"]] = 0.0
    hidden = (X @ diags(keep)).tocsr()
    hidden.eliminate_zeros()
    return (
        vstack([X, hidden]).tocsr(),
        np.concatenate([y, y]),
        np.concatenate([w * (1 - share), w * share]),
    )


def sentence_sums(z: np.ndarray, is_word: np.ndarray, ptr: np.ndarray, margin: float):
    """Per text: ``softplus(z_top)``, ``sum softplus(z - margin)`` and the mean word
    probability (the three terms the aggregation weighs; see
    :func:`framing.core.wordhead.aggregate`)."""
    cols = []
    for weights in ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)):
        logit, _ = aggregate(
            z,
            is_word,
            ptr,
            intercept=0.0,
            top_weight=weights[0],
            sum_weight=weights[1],
            margin=margin,
            mean_weight=weights[2],
        )
        cols.append(logit)
    return np.column_stack(cols)


TERMS = ("top", "sum", "mean")  # the columns of sentence_sums


def fit_aggregation(
    sums: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray | None = None,
    terms: Sequence[str] = TERMS,
) -> tuple[float, float, float, float]:
    """(top_weight, sum_weight, mean_weight, intercept): a logistic regression of the
    targets on the columns ``terms`` of :func:`sentence_sums` (the others weigh 0), the
    weights kept non-negative (a column whose weight comes out negative is left out and the
    others refitted)."""
    from sklearn.linear_model import LogisticRegression

    weights = np.ones(len(targets)) if weights is None else weights
    targets = (np.asarray(targets) >= 0.5).astype(np.int64)
    cols = [TERMS.index(t) for t in terms]
    while True:
        clf = LogisticRegression(C=1e4, solver="lbfgs", max_iter=2000)
        clf.fit(sums[:, cols], targets, sample_weight=weights)
        coef = clf.coef_[0]
        if (coef >= 0).all() or len(cols) == 1:
            break
        cols = [c for c, v in zip(cols, coef, strict=True) if v > 0] or [cols[int(np.argmax(coef))]]
    out = np.zeros(len(TERMS))
    out[cols] = np.maximum(coef, 0.0)
    return float(out[0]), float(out[1]), float(out[2]), float(clf.intercept_[0])


def word_head_of(
    space, coef, word_intercept, agg, margin, *, name="loaded", description="", recipe=None
):
    """A :class:`WordHead` from a word model and aggregation weights (as
    :func:`fit_aggregation` gives them). ``coef`` longer than the space: its last
    2 x len(CLASSES) values are the context columns of ``recipe``'s context form, and with
    ``recipe``'s word vectors the dims before them are the vectors' weights."""
    top_weight, sum_weight, mean_weight, intercept = agg
    context = vectors = None
    n = space.n_features
    if recipe is not None and recipe.vector_scale:
        dims = np.shape(recipe.vector_matrix)[1]
        vectors = _vectors(recipe, np.asarray(coef[n : n + dims]) * recipe.vector_scale)
        coef = np.concatenate([coef[:n], coef[n + dims :]])
    if len(coef) > n:
        ctx = np.asarray(coef[n:]).reshape(2, len(CLASSES)) * recipe.context_scale
        context = WordContext(recipe.context_classes, ctx, _STOP)
        coef = coef[:n]
    return WordHead(
        context=context,
        vectors=vectors,
        name=name,
        space=space,
        coef=coef[None, :].astype(np.float32),
        intercept=[intercept],
        labels=[name],
        calibration=[[1.0, 0.0]],
        unit="text",
        description=description,
        word_intercept=word_intercept,
        top_weight=top_weight,
        sum_weight=sum_weight,
        margin=margin,
        mean_weight=mean_weight,
    )


def word_logits_of(space, coef, word_intercept, texts: Sequence[str], recipe=None):
    """Per token of ``texts``: its word logit and whether it is a word; and the batch."""
    probe = word_head_of(space, coef, word_intercept, (0.0, 0.0, 0.0, 0.0), 0.0, recipe=recipe)
    tb = tokenize_batch(list(texts))
    z, is_word = probe.word_logits(tb)
    return z, is_word, tb


def fit_word_head(mark_sets, recipe: WordRecipe, agg_texts, agg_targets, agg_oof_z=None, **kw):
    """A word-evidence head: the word model on ``mark_sets``, the aggregation on the texts
    ``agg_texts`` (their word logits ``agg_oof_z`` = (z, is_word, ptr) when given, e.g. out of
    fold; else the word model's own)."""
    space, coef, b = fit_word_model(mark_sets, recipe)
    if agg_oof_z is None:
        z, is_word, tb = word_logits_of(space, coef, b, agg_texts, recipe)
        agg_oof_z = (z, is_word, tb.ptr)
    sums = sentence_sums(*agg_oof_z, recipe.margin)
    agg = fit_aggregation(sums, np.asarray(agg_targets))
    return word_head_of(space, coef, b, agg, recipe.margin, recipe=recipe, **kw)


def mark_sets_of(
    babe, ptc_train, neutral_texts, pairs, *, hide_every: int = 2, recipe=None, wordnet_dir=None
) -> list[MarkSet]:
    """The word marks of BABE records, PTC train records, neutral texts and swap-in pairs
    (:class:`framing.training.swapin.Pair`, whose neutral text shows the counterpart); with
    ``recipe``'s sense contrasts, the literal uses of the words marked loaded (see
    :func:`literal_sets`)."""
    if recipe is not None and not recipe.all_inserts:
        from framing.training import swapin

        drop = {e.key for e in swapin.entries() if e.drop}
        pairs = [p for p in pairs if p.kind == "replace" or p.entry in drop]
    babe_rows = [r for r in babe if r.target < 0.5 or r.spans]
    sets = [
        MarkSet(
            "babe",
            [r.text for r in babe_rows],
            [r.spans if r.target >= 0.5 else () for r in babe_rows],
        ),
        MarkSet(
            "ptc",
            [r.text for r in ptc_train],
            [
                tuple(r.meta.get("span_recall_gold") or ()) if r.target >= 0.5 else ()
                for r in ptc_train
            ],
        ),
        MarkSet("neutral", list(neutral_texts), [()] * len(neutral_texts)),
    ]
    if pairs:
        sets.append(
            MarkSet(
                "swapin",
                [p.loaded for p in pairs],
                [(p.span,) for p in pairs],
                hide=[i % hide_every == 0 for i in range(len(pairs))],
            )
        )
    if recipe is not None and (recipe.literal_wordnet or recipe.literal_news):
        sets += literal_sets(sets, recipe, neutral_texts, wordnet_dir)
    return sets


def marked_forms(
    sets: Sequence[MarkSet], recipe: WordRecipe, *, min_count: int = 3, min_share: float = 0.25
) -> set[str]:
    """The lower-case forms labelled loaded at least ``min_count`` times in ``sets``, in at
    least ``min_share`` of their uses there (a word the marks call loaded, not one that
    happens to sit inside a marked span)."""
    pos: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    for m in sets:
        forms, _, _, label, *_ = token_rows(m, replace(recipe, context_scale=0.0))
        for f, y in zip(forms.tolist(), label.tolist(), strict=True):
            f = f.lower()
            seen[f] += 1
            pos[f] += y
    return {f for f, n in pos.items() if n >= min_count and n >= min_share * seen[f]}


def literal_sets(sets, recipe: WordRecipe, neutral_texts, wordnet_dir) -> list[MarkSet]:
    """Negatives of the words marked loaded in ``sets``, each word alone in a text that uses
    it literally: WordNet's examples and glosses of its literal senses (``literal``), and
    its uses in the neutral texts (``news_literal``: labelled not loaded by their source)."""
    import re

    marked = [m for m in sets if m.source in ("babe", "ptc", "swapin")]
    forms = {f for f in marked_forms(marked, recipe) if f not in _STOP and len(f) > 2}
    forms |= set(recipe.lexicons.get(GATE_LEXICON, {}))
    out = []
    if recipe.literal_wordnet and wordnet_dir is not None:
        from pathlib import Path

        from framing.training import wordnet

        uses = wordnet.literal_uses(Path(wordnet_dir), forms)
        out.append(
            MarkSet("literal", [t for t, _ in uses], [()] * len(uses), only=[(s,) for _, s in uses])
        )
    if recipe.literal_news:
        word = re.compile(r"[^\W\d_][\w'-]*")
        texts, only = [], []
        for t in neutral_texts:
            spans = tuple(m.span() for m in word.finditer(t) if m.group().lower() in forms)
            if spans:
                texts.append(t)
                only.append(spans)
        out.append(MarkSet("news_literal", texts, [()] * len(texts), only=only))
    return out
