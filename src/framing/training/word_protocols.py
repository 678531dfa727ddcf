"""The loaded head's protocols for a word-evidence head (:mod:`framing.training.words`).

The same protocols, folds and seeds as the sentence-level head
(:mod:`framing.training.binary.protocols`), with the plain baseline measured in the same run:

* BABE SG2, 5-fold stratified CV (seed 0): sentence AUC and macro F1 at 0.5; the marked
  words: top-1 (the sentence's largest contribution is a word the experts marked) and term
  R-precision. The word model of fold ``k`` trains on every mark except fold ``k``'s; the
  aggregation that scores fold ``k`` is fitted on the other folds' out-of-fold word logits.
* PTC train -> dev: line AUC (Loaded_Language) and span recall (top 3 words).
* Held-out list entries: 5 folds by entry (seed 0); the word model of a fold trains without
  its entries (the list lexicon, the WordNet links derived from the list, the swap-in pairs)
  and is scored on swap-in pairs built around them from texts it never saw. The
  aggregation weights are those of the full run (fitted on BABE out-of-fold logits).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from framing.core.features import lexicon_variants
from framing.core.text import token_spans
from framing.core.tokens import tokenize_batch
from framing.core.wordcontext import GATE_LEXICON
from framing.training import recipes, swapin, wordnet, words
from framing.training.binary import protocols
from framing.training.binary.datasets import dedup_key
from framing.training.binary.fit import Record

__all__ = [
    "babe_cv",
    "fold_mark_sets",
    "heldout_entries",
    "loaded_at_neutral_share",
    "mark_agreement",
    "mark_sets",
    "ptc_dev",
    "word_lexicons",
]


# the lexicons whose single words may be loaded in one sense and literal in another
LOADED_LEXICONS = (
    "loaded_terms",
    "recasens_bias",
    "hyperbolic",
    "babe_bias_words",
    "vader_negative",
    "mpqa_strong_negative",
    "huliu_negative",
)


def word_lexicons(
    base: dict, wordnet_dir: Path | None, held_out=(), *, literal_gate=False, gloss=False
) -> dict:
    """The word model's lexicons: ``base`` without the held-out list entries, plus (with
    ``wordnet_dir``) WordNet synonyms of the list (``wordnet_list``) and of MPQA's strongly
    subjective words (``wordnet_strongsubj``); with ``literal_gate``, the words of the loaded
    lexicons that have a literal sense (the context form's gate, ``wordnet_literal``); with
    ``gloss``, the words whose WordNet glosses use a strongly subjective word, a negative
    one or a list entry (``gloss_strongsubj``, ``gloss_negative``, ``gloss_list``:
    :func:`framing.training.wordnet.gloss_lexicon`)."""
    lex = recipes.without_entries(base, held_out)
    if wordnet_dir is not None and gloss:
        strong = set(lex.get("mpqa_strong_negative", {})) | set(lex.get("mpqa_strong_positive", {}))
        neg = set(lex.get("huliu_negative", {})) | set(lex.get("mpqa_strong_negative", {}))
        lex["gloss_strongsubj"] = wordnet.gloss_lexicon(wordnet_dir, strong)
        lex["gloss_negative"] = wordnet.gloss_lexicon(wordnet_dir, neg)
        lex["gloss_list"] = wordnet.gloss_lexicon(wordnet_dir, lex["loaded_terms"])
    if wordnet_dir is not None:
        lex["wordnet_list"] = wordnet.synonym_lexicon(wordnet_dir, lex["loaded_terms"])
        strong = set(lex.get("mpqa_strong_negative", {})) | set(lex.get("mpqa_strong_positive", {}))
        lex["wordnet_strongsubj"] = wordnet.synonym_lexicon(wordnet_dir, strong)
        if literal_gate:
            loaded = {
                w
                for name, entries in lex.items()
                if name in LOADED_LEXICONS or name.startswith("empath_")
                for w in entries
            }
            lex[GATE_LEXICON] = wordnet.literal_lexicon(wordnet_dir, loaded)
    return lex


def train_pairs(pools_train: dict, held_out=()) -> list:
    """Swap-in pairs of every list entry except ``held_out`` over the training pools."""
    chosen = [e for e in swapin.entries() if e.key not in set(held_out)]
    n_replace, n_insert = recipes.CONTRAST_PAIRS
    return swapin.build_pairs(chosen, pools_train, n_replace=n_replace, n_insert=n_insert, seed=1)


def neutral_texts(pools_train: dict) -> list[str]:
    return [t for texts in pools_train.values() for t in texts]


def mark_sets(data: dict, babe, ptc, neutral, pairs, recipe, *, exclude_texts=()) -> list:
    """The word marks of :func:`framing.training.words.mark_sets_of`, plus the extra marks
    of ``data["extra_marks"]`` when given (:class:`framing.training.word_marks.ExtraMarks`:
    SemEval-2023 spans on the lines of ``ptc``, MBIC marks of sentences not in
    ``exclude_texts``)."""
    sets = words.mark_sets_of(
        babe, ptc, neutral, pairs, recipe=recipe, wordnet_dir=data.get("wordnet")
    )
    extra = data.get("extra_marks")
    return sets if extra is None else extra.sets(sets, ptc, exclude_texts)


def _contribs(head, texts):
    """Per text: word -> its total contribution, and per text the form of its top word."""
    tb = tokenize_batch(list(texts))
    att = head.attribute(tb)
    out = [defaultdict(float) for _ in texts]
    for d, f, c in zip(tb.doc.tolist(), tb.form_id.tolist(), att.per_token.tolist(), strict=True):
        out[d][tb.forms[f]] += c
    return out


def fold_mark_sets(data: dict, train_idx, test_idx, neutral, pairs, recipe) -> list:
    """The word marks of a BABE CV fold: BABE's training-fold sentences, PTC train, and the
    extra marks (:func:`mark_sets`) of every sentence not in the test fold (MBIC shares
    BABE's sentences: a test sentence's crowd marks would leak its marked words)."""
    babe = data["babe"]
    return mark_sets(
        data,
        [babe[i] for i in train_idx],
        data["ptc_train"],
        neutral,
        pairs,
        recipe,
        exclude_texts=[babe[i].text for i in test_idx],
    )


def babe_cv(data: dict, recipe: words.WordRecipe, lex: dict, n_jobs: int = 1) -> dict:
    """BABE SG2 5-fold CV of the word head (see the module docs); also returns the
    out-of-fold word logits (``oof``) the shipped head's aggregation is fitted on."""
    from joblib import Parallel, delayed

    babe = data["babe"]
    folds = protocols._stratified(babe)
    recipe = replace(recipe, lexicons=lex)
    pairs = train_pairs(data["pools"]["train"])
    neutral = neutral_texts(data["pools"]["train"])

    def one(tr, te):
        sets = fold_mark_sets(data, tr, te, neutral, pairs, recipe)
        return words.fit_word_model(sets, recipe)

    models = Parallel(n_jobs=n_jobs)(delayed(one)(tr, te) for tr, te in folds)
    texts = [r.text for r in babe]
    y = np.array([r.target for r in babe])
    tb = tokenize_batch(texts)
    z = np.zeros(len(tb.form_id))
    is_word = np.zeros(len(tb.form_id), dtype=bool)
    doc = tb.doc
    for (_, te), (space, coef, b) in zip(folds, models, strict=True):
        zz, ww, _ = words.word_logits_of(space, coef, b, texts, recipe)
        mask = np.isin(doc, te)
        z[mask], is_word[mask] = zz[mask], ww[mask]
    sums = words.sentence_sums(z, is_word, tb.ptr, recipe.margin)
    logits = np.zeros(len(babe))
    for (tr, te), (space, coef, b) in zip(folds, models, strict=True):
        agg = words.fit_aggregation(sums[tr], y[tr], terms=recipe.terms)
        head = words.word_head_of(space, coef, b, agg, recipe.margin, recipe=recipe)
        logits[te] = head.logits([texts[i] for i in te])[:, 0]
        for i, c in zip(te, _contribs(head, [texts[i] for i in te]), strict=True):
            data.setdefault("_contribs", {})[int(i)] = c
    contribs = [data["_contribs"][i] for i in range(len(babe))]
    data.pop("_contribs")
    proba = 1.0 / (1.0 + np.exp(-logits))
    golds = [
        protocols._gold_words(r.meta.get("biased_words", [])) if r.target >= 0.5 else set()
        for r in babe
    ]
    plain, plain_contribs = protocols._plain_oof(babe, folds)
    ours = {
        **protocols.binary_metrics(proba, y),
        "term_r_precision": protocols.r_precision(contribs, golds),
        "top1": _top1(contribs, golds),
    }
    plain_m = {
        **protocols.binary_metrics(plain, y),
        "term_r_precision": protocols.r_precision(plain_contribs, golds),
        "top1": _top1(plain_contribs, golds),
    }
    return {"ours": ours, "plain": plain_m, "oof": (z, is_word, tb.ptr, y)}


def _top1(contribs, golds) -> float:
    hits = [max(c, key=c.get) in g for c, g in zip(contribs, golds, strict=True) if g and c]
    return float(np.mean(hits)) if hits else float("nan")


def ptc_dev(data: dict, head) -> dict:
    """PTC train -> dev: line AUC and span recall of ``head`` (fitted without PTC dev),
    beside the plain baseline trained on PTC train."""
    from sklearn.metrics import roc_auc_score

    dev = data["ptc_dev"]
    y = np.array([r.meta["loaded_language"] for r in dev])
    ours = head.predict_proba([r.text for r in dev])[:, 0]
    recall, n_spans = protocols.span_recall(head, dev)
    plain, (vec, clf, _) = protocols.plain_fit_predict(data["ptc_train"], dev)
    return {
        "ours": {"n": len(y), "roc_auc": float(roc_auc_score(y, ours)), "span_recall": recall},
        "plain": {
            "n": len(y),
            "roc_auc": float(roc_auc_score(y, plain)),
            "span_recall": protocols._plain_span_recall(vec, clf, dev),
        },
        "span_recall_gold_spans": n_spans,
    }


def heldout_entries(
    data: dict,
    recipe: words.WordRecipe,
    base_lex: dict,
    wordnet_dir,
    agg: tuple,
    *,
    n_folds: int = 5,
    seed: int = 0,
    n_jobs: int = 1,
    gloss: bool = False,
) -> dict:
    """The held-out entry protocol of a word head (see the module docs; ``gloss``: the
    WordNet gloss lexicons, :func:`word_lexicons`)."""
    from joblib import Parallel, delayed

    entries = swapin.entries()
    by_key = {e.key: e for e in entries}
    folds = swapin.entry_folds([e.key for e in entries], n_folds, seed)
    train_texts = {r.text.lower() for r in data["babe"] + data["ptc_train"]}
    extra = data.get("extra_marks")
    marked = extra.texts() if extra is not None else set()  # normalised (dedup_key)
    pools = {
        k: [t for t in v if t.lower() not in train_texts and dedup_key(t) not in marked]
        for k, v in data["pools"]["test"].items()
    }
    neutral = neutral_texts(data["pools"]["train"])

    def one(held):
        lex = word_lexicons(
            base_lex, wordnet_dir, held, literal_gate=recipe.literal_gate, gloss=gloss
        )
        rec = replace(recipe, lexicons=lex)
        trained = train_pairs(data["pools"]["train"], held)
        sets = mark_sets(data, data["babe"], data["ptc_train"], neutral, trained, rec)
        space, coef, b = words.fit_word_model(sets, rec)
        head = words.word_head_of(space, coef, b, agg, recipe.margin, recipe=rec)
        pairs = swapin.build_pairs([by_key[k] for k in held], pools, seed=seed)
        p_l = head.predict_proba([p.loaded for p in pairs])[:, 0]
        p_n = head.predict_proba([p.neutral for p in pairs])[:, 0]
        tops = [
            protocols._top_positive_forms(c) for c in _contribs(head, [p.loaded for p in pairs])
        ]
        return pairs, p_l, p_n, tops, (space, coef, b)

    results = Parallel(n_jobs=n_jobs)(delayed(one)(held) for held in folds)
    pairs = [p for r in results for p in r[0]]
    p_l = np.concatenate([r[1] for r in results])
    p_n = np.concatenate([r[2] for r in results])
    tops = [t for r in results for t in r[3]]
    plain_p_l, (vec, clf, Xt) = protocols.plain_fit_predict(
        data["babe"], [Record(p.loaded, 1.0) for p in pairs]
    )
    plain_p_n, _ = protocols.plain_fit_predict(
        data["babe"], [Record(p.neutral, 0.0) for p in pairs]
    )
    plain_tops = [
        protocols._top_positive_forms(c) for c in protocols.plain_word_contributions(vec, clf, Xt)
    ]
    missed = sorted(
        {p.entry for p, pl in zip(pairs, p_l, strict=True) if p.kind == "replace" and pl < 0.5}
    )
    return {
        # the best any threshold does: loaded twins flagged where 93% of neutral twins stay clear
        "loaded_at_neutral_0.93": loaded_at_neutral_share(p_l, p_n, 0.93),
        "mark_agreement": mark_agreement(
            data["babe"] + data["ptc_train"],
            [e.key for e in entries],
            missed,
        ),
        "ours": protocols.pair_report(pairs, p_l, p_n, tops),
        "plain": protocols.pair_report(pairs, plain_p_l, plain_p_n, plain_tops),
        "n_pairs": len(pairs),
        "missed_entries": missed,
        "_scores": (pairs, p_l, p_n),
        "_models": [(held, r[4]) for held, r in zip(folds, results, strict=True)],
    }


def loaded_at_neutral_share(p_loaded, p_neutral, share: float) -> float:
    """The share of loaded twins above the threshold that keeps ``share`` of the
    neutral twins below it (their ``share`` quantile): what a recalibrated threshold could
    reach at that neutral figure."""
    t = float(np.quantile(np.asarray(p_neutral, dtype=np.float64), share))
    return float((np.asarray(p_loaded) > t).mean())


def mark_agreement(records, entries, missed) -> dict:
    """How often the word marks of ``records`` (annotated spans of their positive records)
    mark the single-word list ``entries`` (a word counts for an entry as the lexicon feature
    matches it: "regimes" for ``regime``): for the ``missed`` entries (held out, their loaded
    twin under 0.5) and the others, the entries, their uses in the records, the uses inside a
    mark, and the marked share; and the entries the records never use."""
    single = [e for e in entries if " " not in e]
    uses = dict.fromkeys(single, 0)
    marked = dict.fromkeys(single, 0)
    for r in records:
        spans = tuple(r.spans) if r.target >= 0.5 else ()
        forms, starts, ends = token_spans(r.text)
        for form, s, e in zip(forms, starts, ends, strict=True):
            for key in {v for v in lexicon_variants(form) if v in uses}:
                uses[key] += 1
                marked[key] += any(s < b and e > a for a, b in spans)
    missed = set(missed)
    out = {}
    for name, group in (
        ("missed", [e for e in single if e in missed]),
        ("carried", [e for e in single if e not in missed]),
    ):
        n_uses = sum(uses[e] for e in group)
        n_marked = sum(marked[e] for e in group)
        out[name] = {
            "entries": len(group),
            "uses": n_uses,
            "marked": n_marked,
            "marked_share": n_marked / n_uses if n_uses else None,
            "never_used": sum(uses[e] == 0 for e in group),
        }
    return out


def words_of(text: str) -> list[str]:
    return token_spans(text)[0]


def fixture_figures(
    head, senses, tabloid, neutral_by_length: dict, list_words, other_words, *, senses_heldout=()
):
    """The written test sets (``tests/loaded_fixtures.py``) scored by ``head`` at its
    threshold: senses (literal < t, loaded >= t; the dev set ``senses`` and the held-out set
    ``senses_heldout``), tabloid (sensational >= t, sober < t),
    length (each word inserted in every neutral sentence of each length: share >= t; the
    untouched sentences of each length: share >= t)."""
    t = head.threshold

    def p(texts):
        return head.predict_proba(list(texts))[:, 0]

    out: dict = {}
    for key, pairs in (("senses", senses), ("senses_heldout", senses_heldout)):
        if not pairs:
            continue
        lit, loaded = p(s[1] for s in pairs), p(s[2] for s in pairs)
        out[f"{key}_n"] = len(pairs)
        out[f"{key}_literal_lt"] = float((lit < t).mean())
        out[f"{key}_loaded_ge"] = float((loaded >= t).mean())
        # the pair ordered right whatever the threshold: the sense read, not only the word
        out[f"{key}_loaded_above_literal"] = float((loaded > lit).mean())
    out |= {
        "tabloid_n": len(tabloid),
        "tabloid_sensational_ge": float((p(s[0] for s in tabloid) >= t).mean()),
        "tabloid_sober_lt": float((p(s[1] for s in tabloid) < t).mean()),
    }
    for n, sentences in neutral_by_length.items():
        out[f"untouched_{n}_flagged"] = float((p(sentences) >= t).mean())
        for name, group in (("list", list_words), ("other", other_words)):
            texts = [_inserted(w, s) for w in group for s in sentences]
            out[f"{name}_words_{n}_flagged"] = float((p(texts) >= t).mean())
    return out


def _inserted(word: str, sentence: str) -> str:
    first, rest = sentence.split(" ", 1)
    return f"{first} {word} {rest}"
