"""Train and evaluate the word-evidence `loaded` head (measured, not the default:
docs/decisions.md; see src/framing/core/wordhead.py and src/framing/training/words.py).

    python training/word_evidence.py                        # evaluate and print the figures
    python training/word_evidence.py --out DIR              # ... and write a model: the
                                                            # shipped model, its `loaded` head
                                                            # replaced by the word head
    python training/word_evidence.py --skip-eval --out DIR  # train only
    python training/word_evidence.py --no-wordnet           # without the WordNet lexicons
    python training/word_evidence.py --mean-term            # + the mean word probability
    python training/word_evidence.py --literal-wordnet --literal-news --placed-swapins \
        --context 0.3                                       # sense contrasts (see --help)
    python training/word_evidence.py --vectors 1.0 --gloss  # word knowledge (see --help)
    python training/word_evidence.py --semeval23-marks 1.0 --mbic-marks 1.0
                                                            # more word marks (see --help)

Protocols (src/framing/training/word_protocols.py): BABE SG2 5-fold CV (seed 0), PTC train ->
dev, held-out list entries (5 folds by entry, seed 0), and the written sets of
tests/loaded_fixtures.py; the plain baseline (TF-IDF word 1-2 + LR) of the same run and the
shipped head's figures (from its manifest, same protocols) beside each. The shipped default
is not changed by this script.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from framing.core.model import Model, load_model, save_model
from framing.core.wordcontext import CLASSES
from framing.core.wordlists import loaded_terms
from framing.training import recipes, word_marks, word_protocols, words
from framing.training.binary import datasets
from framing.training.naming import check_output_folder

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "loaded_fixtures.py"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_data(data_dir: Path, *, anno_lean: bool = False) -> dict:
    babe, ptc_train, ptc_dev, _, _ = recipes.loaded_data(data_dir)
    _, _, _, test_outlets, _, _ = recipes.loaded_anno(data_dir)
    pools, _, _ = recipes.loaded_pools(data_dir, exclude_outlets=test_outlets)
    lex, _ = recipes.loaded_lexicons(data_dir)
    if anno_lean:
        lex.update(recipes.anno_lean(data_dir, babe, exclude_outlets=test_outlets))
    return {"babe": babe, "ptc_train": ptc_train, "ptc_dev": ptc_dev, "pools": pools, "lex": lex}


def fixtures(head) -> dict:
    if not FIXTURES.is_file():
        return {}
    spec = importlib.util.spec_from_file_location("loaded_fixtures", FIXTURES)
    f = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(f)
    single = sorted(k for k in loaded_terms() if " " not in k)
    lengths = {6: f.NEUTRAL_6, 20: f.NEUTRAL_20, 40: f.NEUTRAL_40}
    return word_protocols.fixture_figures(
        head,
        f.SENSES,
        f.TABLOID,
        lengths,
        single,
        f.OTHER_LOADED_WORDS,
        senses_heldout=getattr(f, "SENSES_HELDOUT", ()),
    )


ROWS = [
    ("BABE SG2 5-fold: sentence AUC", "babe_cv", "roc_auc", "loaded/babe_cv"),
    ("BABE SG2 5-fold: macro F1", "babe_cv", "macro_f1", "loaded/babe_cv"),
    ("BABE marked words: top-1", "babe_cv", "top1", None),
    ("BABE marked words: term R-precision", "babe_cv", "term_r_precision", "loaded/babe_cv"),
    ("PTC dev: line AUC", "ptc_dev", "roc_auc", "loaded/ptc_dev"),
    ("PTC dev: span recall", "ptc_dev", "span_recall", "loaded/ptc_dev"),
    ("held-out entries: loaded twin >= 0.5", "heldout", "loaded_ge_0.5", "loaded/heldout_entries"),
    ("held-out entries: neutral twin < 0.5", "heldout", "neutral_lt_0.5", "loaded/heldout_entries"),
    (
        "held-out entries: loaded >= neutral q95",
        "heldout",
        "loaded_ge_neutral_q95",
        "loaded/heldout_entries",
    ),
    ("held-out entries: swapped word in top-2", "heldout", "top2", "loaded/heldout_entries"),
]


def table(metrics: dict, shipped: dict) -> str:
    def f(v):
        return "–" if v is None else f"{v:.3f}"

    lines = ["| protocol | word head | plain | shipped head |", "|---|---|---|---|"]
    for label, key, metric, ship in ROWS:
        m = metrics.get(key)
        if not m:
            continue
        old = shipped.get(ship, {}).get("ours", {}).get(metric) if ship else None
        lines.append(
            f"| {label} | {f(m['ours'].get(metric))} | {f(m['plain'].get(metric))} | {f(old)} |"
        )
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data-dir", help="data folder (default: $FRAMING_DATA_DIR, ../shared/data)")
    p.add_argument("--out", help="write a model folder: the shipped model with this loaded head")
    p.add_argument("--skip-eval", action="store_true", help="train only")
    p.add_argument("--no-heldout", action="store_true", help="skip the held-out entry protocol")
    p.add_argument("--no-wordnet", action="store_true", help="leave the WordNet lexicons out")
    p.add_argument("--force", action="store_true", help="overwrite a non-empty --out folder")
    p.add_argument(
        "--mean-term",
        action="store_true",
        help="add the mean word probability to the aggregation (better BABE AUC, more\n"
        "neutral headlines flagged)",
    )
    p.add_argument(
        "--literal-wordnet",
        action="store_true",
        help="negatives: WordNet's examples and glosses of the literal senses of the words\n"
        "marked loaded (framing.training.wordnet.literal_uses)",
    )
    p.add_argument(
        "--literal-news",
        action="store_true",
        help="negatives: the marked words' uses in the neutral texts, weighted apart",
    )
    p.add_argument(
        "--placed-swapins",
        action="store_true",
        help="swap-in pairs that insert an entry at a random place only for entries whose\n"
        "neutral wording is to drop them (the others: only where a counterpart stood)",
    )
    p.add_argument(
        "--context",
        type=float,
        default=0.0,
        metavar="SCALE",
        help="the context form (framing.core.wordcontext) at this feature scale (0: none)",
    )
    p.add_argument(
        "--literal-gate",
        action="store_true",
        help="gate the context form on the loaded lexicons' words that have a literal\n"
        "WordNet sense (the lexicon wordnet_literal) rather than on any lexicon",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="dev runs: BABE CV and the written sets only (no PTC dev, no held-out entries)",
    )
    p.add_argument(
        "--agg",
        metavar="TOP,SUM,MEAN,B",
        help="dev runs: use this aggregation (as a run printed it) instead of BABE CV's",
    )
    p.add_argument(
        "--vectors",
        type=float,
        default=0.0,
        metavar="SCALE",
        help="word knowledge: distributional word vectors (PPMI + SVD over the data folder's\n"
        "unlabelled text and WordNet's glosses; framing.training.wordvectors) as features\n"
        "of the word at this scale (0: none)",
    )
    p.add_argument(
        "--vectors-exclude",
        default="",
        metavar="SOURCES",
        help="leave these corpus sources out of the vectors (comma-separated, e.g. babe)",
    )
    p.add_argument("--vectors-dims", type=int, default=64, help="vector dimensions (64)")
    p.add_argument("--vectors-words", type=int, default=20_000, help="vocabulary size (20,000)")
    p.add_argument("--vectors-window", type=int, default=4, help="context window (4)")
    p.add_argument("--vectors-min-count", type=int, default=5, help="a word's least count (5)")
    p.add_argument(
        "--gloss",
        action="store_true",
        help="word knowledge: lexicons of the words whose WordNet glosses use a strongly\n"
        "subjective word, a negative one or a list entry (wordnet.gloss_lexicon)",
    )
    p.add_argument(
        "--hide-word",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="train the word model on a copy of its rows without the word's own identity\n"
        "feature at this share of their weight (its other evidence must carry it)",
    )
    p.add_argument(
        "--anno-lean",
        action="store_true",
        help="word knowledge: lexicons of the words that lean towards Anno-lexical's sentences\n"
        "labelled lexically biased or towards its others (recipes.anno_lean)",
    )
    p.add_argument(
        "--semeval23-marks",
        type=float,
        default=0.0,
        metavar="WEIGHT",
        help="more word marks: SemEval-2023 Loaded_Language / Name_Calling spans on the PTC\n"
        "lines (train articles only in evaluation runs; every article for --out) as a mark\n"
        "set of this weight (0: none; framing.training.word_marks)",
    )
    p.add_argument(
        "--semeval23-union",
        action="store_true",
        help="unite the SemEval-2023 spans with PTC-2020's in the ptc mark set instead (at\n"
        "PTC's weight; WEIGHT is then not used)",
    )
    p.add_argument(
        "--mbic-marks",
        type=float,
        default=0.0,
        metavar="WEIGHT",
        help="more word marks: MBIC's crowd-marked words as a mark set of this weight (a BABE\n"
        "test fold's sentences left out in the CV; 0: none)",
    )
    p.add_argument("--json", help="also write the figures to this JSON file")
    return p


def with_vectors(recipe, data_dir: Path, args):
    """``recipe`` with the word vectors of ``args`` (computed from the data folder's text)."""
    from framing.training import wordvectors

    exclude = tuple(s for s in args.vectors_exclude.split(",") if s)
    log(f"word vectors (PPMI + SVD; sources without {exclude or 'none'}) ...")
    docs = wordvectors.corpus(data_dir, exclude=exclude)
    terms, matrix = wordvectors.ppmi_svd(
        docs,
        dims=args.vectors_dims,
        window=args.vectors_window,
        max_words=args.vectors_words,
        min_count=args.vectors_min_count,
    )
    return replace(
        recipe, vector_scale=args.vectors, vector_terms=tuple(terms), vector_matrix=matrix
    )


def extra_marks(data_dir: Path, args, ptc_records) -> word_marks.ExtraMarks | None:
    """The extra word marks of ``args``: SemEval-2023 spans of the articles of
    ``ptc_records`` only, MBIC's crowd marks."""
    if not (args.semeval23_marks or args.semeval23_union or args.mbic_marks):
        return None
    spans, mbic = {}, ()
    if args.semeval23_marks or args.semeval23_union:
        articles = {r.meta["article_id"] for r in ptc_records}
        spans, msg = word_marks.load_semeval23_spans(data_dir, articles)
        log("; ".join(msg))
    if args.mbic_marks:
        rows, msg = word_marks.load_mbic_marks(data_dir)
        mbic = tuple(rows)
        log("; ".join(msg))
    return word_marks.ExtraMarks(
        spans, args.semeval23_marks, args.semeval23_union, mbic, args.mbic_marks
    )


def main(argv=None) -> int:
    p = build_parser()
    args = p.parse_args(argv)
    if args.out:
        check_output_folder(args.out, force=args.force)
    data_dir = datasets.resolve_data_dir(args.data_dir)
    t0 = time.perf_counter()
    data = load_data(data_dir, anno_lean=args.anno_lean)
    wn = None if args.no_wordnet else data_dir / "wordnet"
    lex = word_protocols.word_lexicons(
        data["lex"], wn, literal_gate=args.literal_gate, gloss=args.gloss
    )
    recipe = replace(words.WordRecipe(), lexicons=lex)
    if args.mean_term:
        recipe = replace(recipe, terms=("top", "sum", "mean"))
    recipe = replace(
        recipe,
        literal_wordnet=args.literal_wordnet,
        literal_news=args.literal_news,
        all_inserts=not args.placed_swapins,
        literal_gate=args.literal_gate,
    )
    if args.literal_wordnet or args.context:
        data["wordnet"] = data_dir / "wordnet"
    if args.context:
        from framing.training import wordnet

        classes = wordnet.word_classes(data_dir / "wordnet")
        recipe = replace(recipe, context_scale=args.context, context_classes=classes)
    if args.vectors:
        recipe = with_vectors(recipe, data_dir, args)
    recipe = replace(recipe, hide_word=args.hide_word)
    # evaluation runs: the SemEval-2023 spans of PTC's train articles only (PTC dev unseen)
    data["extra_marks"] = extra_marks(data_dir, args, data["ptc_train"])
    metrics: dict = {}
    if args.agg:  # dev runs: an aggregation measured before, no BABE CV
        agg = tuple(float(v) for v in args.agg.split(","))
        if len(agg) != 4:
            p.error("--agg takes four numbers: top,sum,mean,intercept")
    else:
        log("BABE 5-fold CV (its out-of-fold word logits fit the aggregation) ...")
        cv = word_protocols.babe_cv(data, recipe, lex)
        z, is_word, ptr, y = cv.pop("oof")
        sums = words.sentence_sums(z, is_word, ptr, recipe.margin)
        agg = words.fit_aggregation(sums, y, terms=recipe.terms)
        if not args.skip_eval:
            metrics["babe_cv"] = cv
    neutral = word_protocols.neutral_texts(data["pools"]["train"])
    pairs = word_protocols.train_pairs(data["pools"]["train"])
    if not args.skip_eval:
        log("PTC train -> dev ...")
        sets = word_protocols.mark_sets(
            data, data["babe"], data["ptc_train"], neutral, pairs, recipe
        )
        space, coef, b = words.fit_word_model(sets, recipe)
        head = words.word_head_of(space, coef, b, agg, recipe.margin, recipe=recipe)
        if not args.quick:
            metrics["ptc_dev"] = word_protocols.ptc_dev(data, head)
        metrics["fixtures"] = fixtures(head)
        if head.context is not None:  # what the context form learnt (logit, gated words)
            metrics["context_coef"] = {
                side: dict(zip(CLASSES, (round(v, 3) for v in row), strict=True))
                for side, row in zip(("previous", "next"), head.context.coef.tolist(), strict=True)
            }
        if not args.no_heldout and not args.quick:
            log("held-out entries ...")
            held = word_protocols.heldout_entries(
                data, recipe, data["lex"], wn, agg, gloss=args.gloss
            )
            held.pop("_scores")
            held.pop("_models")
            metrics["heldout"] = held
    if args.out:  # the written model learns from every mark (PTC train and dev)
        log("fitting the word head on every mark (PTC train and dev) ...")
        ptc_all = data["ptc_train"] + data["ptc_dev"]
        data["extra_marks"] = extra_marks(data_dir, args, ptc_all)
        sets = word_protocols.mark_sets(data, data["babe"], ptc_all, neutral, pairs, recipe)
        space, coef, b = words.fit_word_model(sets, recipe)
        head = words.word_head_of(
            space,
            coef,
            b,
            agg,
            recipe.margin,
            description="loaded, emotive or derogatory word choice (word evidence)",
            recipe=recipe,
        )
    names = ("top_weight", "sum_weight", "mean_weight", "intercept")
    metrics["aggregation"] = dict(zip(names, agg, strict=True))
    metrics["minutes"] = round((time.perf_counter() - t0) / 60, 1)
    shipped = load_model()
    print(table(metrics, shipped.manifest.get("metrics", {})))
    print(json.dumps({k: v for k, v in metrics.items() if k not in ROWS}, indent=1, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(metrics, indent=1, default=str) + "\n")
    if args.out:
        manifest = dict(shipped.manifest)
        manifest["metrics"] = {**manifest.get("metrics", {}), "loaded_words": metrics}
        described = recipe.describe()
        if data["extra_marks"] is not None:  # what the extra marks were
            extra = data["extra_marks"]
            described["extra_marks"] = {
                "semeval23": extra.semeval23_weight,
                "semeval23_union": extra.semeval23_union,
                "mbic": extra.mbic_weight,
            }
        manifest.setdefault("recipes", {})["loaded"] = described
        save_model(Model({**shipped.heads, "loaded": head}, manifest), args.out)
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
