"""The model card: rendered from a model and its manifest by every training run."""

from __future__ import annotations

from framing.core.model import Model
from framing.training.multilabel.card import label_terms, technique_and_frame_sections

__all__ = [
    "DATA_LICENCES",
    "PROTOCOLS",
    "evaluation_table",
    "render",
    "user_head_card",
]

DATA_LICENCES = [
    ("Stop Clickbait (Chakraborty et al., ASONAM 2016)", "clickbait", "MIT (repository licence)"),
    (
        "Webis-Clickbait-17 validation split (Potthast et al., COLING 2018)",
        "clickbait",
        "reported CC BY 4.0",
    ),
    ("BABE SG2 (Spinde et al., Findings of EMNLP 2021)", "loaded", "AGPL-3.0 (repository licence)"),
    (
        "PTC SemEval-2020 Task 11 train+dev (Da San Martino et al., 2019/2020)",
        "loaded, technique",
        "no licence stated; research use",
    ),
    (
        "SemEval-2023 Task 3 English: subtask 2 training articles, subtask 3 dev lines "
        "(Piskorski et al., 2023)",
        "frame, technique",
        "no licence stated; research use",
    ),
    (
        "Recasens et al. 2013 bias lexicon (ACL 2013)",
        "loaded (lexicon feature)",
        "no licence stated",
    ),
    (
        "Stop Clickbait hyperbolic words / common phrases",
        "clickbait, loaded (lexicon features)",
        "MIT (repository licence)",
    ),
    ("BABE bias-word lexicon (Spinde et al. 2021)", "loaded (lexicon feature)", "AGPL-3.0"),
    (
        "VADER valence lexicon (Hutto & Gilbert, ICWSM 2014), from the vaderSentiment package",
        "clickbait, loaded (lexicon features)",
        "MIT",
    ),
    (
        "Empath categories (Fast, Chen & Bernstein, CHI 2016), from the empath package",
        "loaded (lexicon features)",
        "MIT",
    ),
    (
        "framing's own loaded-terms list (src/framing/resources/loaded_terms.txt)",
        "loaded (lexicon feature; swap-in contrast examples from its neutral counterparts)",
        "this project's licence",
    ),
    (
        "Anno-lexical (Horych et al., Findings of NAACL 2025): a seeded sample of its train "
        "split (LLM-ensemble labels)",
        "loaded (training sentences at a small weight; its label-0 sentences are base texts of "
        "contrast examples)",
        "MIT (repository); CC BY-NC-ND 4.0 (the authors' dataset card)",
    ),
    (
        "MPQA subjectivity clues (Wilson, Wiebe & Hoffmann, HLT/EMNLP 2005)",
        "loaded (lexicon features)",
        "none stated in the copy used; GNU GPL at the MPQA site",
    ),
    (
        "Hu & Liu opinion lexicon (KDD 2004)",
        "loaded (lexicon features)",
        "CC BY 4.0",
    ),
    (
        "Stop Clickbait news headlines (label 0), half of them by a hash of the text",
        "loaded (base texts of contrast examples)",
        "MIT (repository licence)",
    ),
]

PROTOCOLS = {
    "clickbait/stop_clickbait_cv": (
        "Stop Clickbait, 5-fold stratified CV (shuffle, seed 0); training folds + all Webis-17",
        ["accuracy", "macro_f1", "roc_auc"],
    ),
    "clickbait/webis17_cv": (
        "Webis-17, 5-fold CV (shuffle, seed 0, duplicate texts merged); training folds + all "
        "Stop Clickbait; MSE vs truthMean, AUC vs truthClass",
        ["mse", "roc_auc", "accuracy"],
    ),
    "loaded/babe_cv": (
        "BABE SG2, 5-fold stratified CV (shuffle, seed 0); training folds + all PTC",
        ["macro_f1", "accuracy", "roc_auc", "term_r_precision"],
    ),
    "loaded/ptc_dev": (
        "PTC train (+ all BABE) -> dev, line contains Loaded_Language (ROC AUC); span recall: "
        "share of gold Loaded_Language / Name_Calling dev spans holding one of their line's "
        "top-3 positive words",
        ["roc_auc", "span_recall"],
    ),
    "loaded/heldout_entries": (
        "held-out lexicon entries: loaded_terms.txt split into 5 folds by entry (seed 0); a head "
        "trained without a fold's entries (lexicon and contrast examples) scores swap-in pairs "
        "built around them (real neutral texts it never trained on: Stop Clickbait news "
        "headlines, Anno-lexical dev/test label-0 sentences) with a counterpart replaced by the "
        "entry; insert: the entry put at a random place of any such text. Plain baseline "
        "trained on BABE",
        [
            "loaded_ge_0.5",
            "neutral_lt_0.5",
            "loaded_gt_neutral",
            "top2",
            "loaded_ge_neutral_q95",
            "replace_headline/loaded_ge_0.5",
            "replace_sentence/loaded_ge_0.5",
            "insert/loaded_ge_0.5",
            "insert/neutral_lt_0.5",
            "insert/top2",
        ],
    ),
    "loaded/anno_outlets": (
        "Anno-lexical test split, outlets disjoint from training (20% of outlets, seed 0): "
        "trained with Anno-lexical (other outlets) vs without it; LLM labels. Plain baseline "
        "trained on the same Anno-lexical sentences",
        ["macro_f1", "macro_f1_without_anno", "roc_auc", "roc_auc_without_anno"],
    ),
}


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def evaluation_table(metrics: dict) -> str:
    """The Markdown evaluation table of a manifest's ``metrics``: ours beside the plain baseline."""
    lines = ["| protocol | test n | metric | framing | plain baseline |", "|---|---|---|---|---|"]
    for key, (desc, keys) in PROTOCOLS.items():
        m = metrics.get(key)
        if not m:
            continue
        for k in keys:
            if k in m["ours"]:
                lines.append(
                    f"| {key}: {desc} | {m['ours'].get('n', '')} | {k} | {_fmt(m['ours'][k])} | "
                    f"{_fmt(m['plain'].get(k, float('nan')))} |"
                )
    return "\n".join(lines)


def _reliability(rows: list[dict]) -> str:
    out = ["| predicted bin | n | mean predicted | observed |", "|---|---|---|---|"]
    out += [
        f"| {r['bin']} | {r['n']} | {r['mean_predicted']:.3f} | {r['observed']:.3f} |" for r in rows
    ]
    return "\n".join(out)


def _share(metrics: dict, key: str, name: str) -> str:
    v = metrics.get(key, {}).get("ours", {}).get(name)
    return f"{v:.0%}" if isinstance(v, float) else "(not measured in this run)"


def _what_half_means(metrics: dict) -> list[str]:
    """The card's statement of what a `loaded` probability of 0.5 means, with this run's
    measured rates of texts at or above it."""
    h, a = "loaded/heldout_entries", "loaded/anno_outlets"
    return [
        "## What a `loaded` probability of 0.5 means",
        "The `loaded` head is Platt-calibrated on out-of-fold scores of BABE, whose expert-"
        "labelled news sentences are half biased: a probability p means that, among BABE-like "
        "sentences scored p, about a share p were judged biased by the experts (see the "
        "reliability table below). 0.5 is the point where the wording's evidence of loaded "
        "language balances that of neutral wording in such a half-and-half sample; it is not "
        "the chance that a random headline or sentence is loaded, which is far lower in "
        "ordinary news. A lexicon match adds the same to the logit whatever the length of the "
        "text, and the head is trained so that one word of its loaded-terms list lifts a "
        "neutral headline over 0.5 (in a 40-word sentence it may stop short of it), while "
        "topic words and names do not. Measured in this run, on texts no training row holds: "
        f"{_share(metrics, h, 'replace_headline/neutral_lt_0.5')} of real news headlines "
        "holding a neutral counterpart of a list entry stay below 0.5, "
        f"and {_share(metrics, h, 'replace_headline/loaded_ge_0.5')} reach it once a loaded "
        "entry the model never saw in its list replaces that word "
        f"({_share(metrics, h, 'replace_sentence/neutral_lt_0.5')} and "
        f"{_share(metrics, h, 'replace_sentence/loaded_ge_0.5')} for news sentences); of "
        "Anno-lexical test sentences from outlets outside training, "
        f"{_share(metrics, a, 'flagged_label0')} of those its LLM annotators judged neutral and "
        f"{_share(metrics, a, 'flagged_label1')} of those they judged lexically biased reach "
        '0.5. Read 0.5 as "this wording would be marked loaded about as often as not", and '
        "the highlighted words as the reason.",
        "",
    ]


def _intro(model: Model) -> list[str]:
    parts = [
        "# Model card: framing default model",
        "",
        "Generated by `python training/train.py` from the data; do not edit by hand.",
        "",
        "## What it is",
        "Each head is TF-IDF features (word n-grams, character n-grams inside words, lexicon "
        "features) and one logistic regression per label, Platt-scaled on out-of-fold logits so "
        "that the calibrated logit is still an exact sum of per-feature contributions plus an "
        "intercept.",
        "Each lexicon is one feature whose weight is learnt; a match is attributed to the "
        "words it matched. The `loaded` head also learns two rationale-rate lexicons from the "
        "annotations (share of a word's occurrences that annotators marked: BABE biased words, "
        "PTC loaded-technique spans); its training rows are cross-fitted (each row's lexicon "
        "values come from the other four of five groups). Its lexicon features are not "
        "normalised by text length (a match adds the same to the logit in a headline and in a "
        "long sentence), and it is trained with swap-in contrast examples: real neutral "
        "headlines and sentences with a term of framing's loaded-terms list put in (the "
        "neutral text a negative, its loaded twin a positive), encoded without the loaded-"
        "terms feature so that what they teach reaches words outside the list (MPQA, Hu & "
        "Liu, VADER lexicons; word and character n-grams).",
        "",
    ]
    for name, head in model.heads.items():
        if not head.is_binary:
            parts.append(
                f"- `{name}` ({head.unit}): {head.description}. {head.space.n_features:,} "
                f"features, {len(head.labels)} labels, each with its own threshold and Platt "
                "scaling (chosen on out-of-fold predictions of the training data)."
            )
            continue
        parts.append(
            f"- `{name}` ({head.unit}): {head.description}. {head.space.n_features:,} features, "
            f"threshold {head.threshold}, Platt (a, b) = "
            f"({head.calibration[0, 0]:.3f}, {head.calibration[0, 1]:.3f})."
        )
    return parts


def _use_and_data(m: dict) -> list[str]:
    parts: list[str] = []
    parts += [
        "",
        "## Intended use",
        "Triage and study of news wording: ranking headlines by clickbait style, pointing an "
        "editor or researcher at loaded words, teaching media literacy. Scores are evidence "
        "about *wording*, to be read with the highlighted words, not verdicts.",
        "",
        *_what_half_means(m.get("metrics", {})),
        "## Misuse to avoid",
        "- Judging an outlet's or a person's truthfulness or politics from these scores: the "
        "heads measure style and word choice, not accuracy or intent.",
        "- Automated moderation or ranking without a person reading the explanation.",
        "- Non-English text, or genres far from news (the scores are not meaningful there).",
        "",
        "## Training data and licences",
        "| dataset | used for | licence |",
        "|---|---|---|",
    ]
    parts += [f"| {a} | {b} | {c} |" for a, b, c in DATA_LICENCES]
    parts += ["", "Data hygiene:", ""]
    parts += [f"- {line}" for line in m.get("data_log", [])]
    parts += ["", "Training sizes: `" + str(m.get("training_sizes", {})) + "`", ""]
    return parts


def _evaluation(metrics: dict) -> list[str]:
    parts: list[str] = []
    parts += ["## Evaluation", ""]
    if metrics:
        parts += [evaluation_table(metrics), ""]
        parts += [
            "Plain baseline: TF-IDF word 1-2 grams (sublinear tf, min_df 2) + LogisticRegression, "
            "on the same folds in the same run. Stop Clickbait labels follow the publisher, so "
            "its accuracy partly measures house style. The Webis-17 figures are cross-validation "
            "on the validation split, not the official test split (the 2017 challenge's best "
            "test MSE, 0.033, was on that other split: Potthast et al. 2018).",
            "",
        ]
        for key, title in (
            ("clickbait/webis17_cv", "clickbait on Webis-17 (vs truthMean)"),
            ("loaded/babe_cv", "loaded on BABE"),
        ):
            if metrics.get(key, {}).get("reliability"):
                parts += [
                    f"### Calibration: {title}, out-of-fold",
                    "",
                    _reliability(metrics[key]["reliability"]),
                    "",
                ]
    else:
        parts += ["This artifact was trained without evaluation (`--skip-eval`).", ""]
    return parts


def _strongest_terms(model: Model) -> list[str]:
    parts: list[str] = []
    parts += ["## Strongest terms", ""]
    for name, head in model.heads.items():
        if not head.is_binary:
            parts += [f"### `{name}` (the strongest words pushing each label up)", ""]
            parts += label_terms(model, name) + [""]
            continue
        pos, neg = head.top_features(k=30)
        parts += [
            f"### `{name}`",
            "",
            "Pushing up: " + ", ".join(f"`{t}` ({w:+.2f})" for t, w in pos),
            "",
            "Pushing down: " + ", ".join(f"`{t}` ({w:+.2f})" for t, w in neg),
            "",
        ]
    return parts


def _counterparts_pushing_down(model: Model, k: int = 30) -> str:
    """The neutral counterparts of loaded_terms.txt among the ``loaded`` head's ``k``
    strongest features pushing down, as Markdown."""
    from framing.training import swapin

    head = model.heads.get("loaded")
    if head is None or not head.is_binary:
        return "none: no loaded head"
    counterparts = {a.lower() for e in swapin.entries() for a in e.alternatives}
    _, neg = head.top_features(k=k)
    found = [f"`{t}`" for t, _ in neg if t in counterparts]
    return (
        f"{len(found)} of the {k} strongest pushing down are counterparts: " + ", ".join(found)
        if found
        else f"none among the {k} strongest pushing down"
    )


def _judgement_and_reproducibility(m: dict, counterparts: str) -> list[str]:
    return [
        "### Judgement of the strongest terms",
        "",
        "Raw coefficients are not the whole story: lexicon features (`lex:*`) fire on many "
        "words, and character n-grams add up inside a word, so read them with the per-word "
        "explanations. For `loaded`, the words of the project's loaded-terms list, its "
        "feature `lex:loaded_terms` and the learnt rationale-rate lexicon of BABE carry the "
        "largest weights, which is the intended behaviour: the swap-in contrast examples "
        "taught them. The defect: the contrast examples replace neutral counterparts by "
        f"loaded terms, so counterparts learn negative weights ({counterparts}); `said` is "
        "arguably the neutral reporting verb, the others are artifacts, and a sentence using "
        "them reads as less loaded than it is. Topic and actor words"
        " of the training sentences (`trump`, `republicans`, "
        "`democrats`, `climate`) still carry some positive weight, so a neutral political "
        "sentence can score around 0.2-0.35 with those names highlighted. Their features "
        "(word n-grams holding a name-like or one-topic word, and character n-grams in "
        "proportion to how often they fall inside such words) are penalised about 11 times "
        "harder than other features (`framing.training.penalty`); that halved the weight of "
        "`trump` and `pelosi` but does not remove it, because BABE's biased sentences name them so "
        "often. Function words (`the`, `is`, `his`, `as a`) carry weight because longer "
        "sentences are more often biased in BABE. For `clickbait`, the "
        "char 1-gram of the word boundary (`char: `) acts as a word count: short teasers are "
        "what crowd judges call clickbait; numbers, second person and forward reference "
        "(`this`, `these`, `how`, `why`) are the curiosity-gap devices.",
        "",
        "## Known false-positive patterns",
        "- Outlet house style: Title Case, listicle numbers and second-person address push "
        "`clickbait` up even on sober stories (Stop Clickbait labels follow the publisher).",
        "- Quotations: loaded words inside quotes are the quoted speaker's, not the outlet's; "
        "the raw `loaded` score counts them.",
        "- Topic words: words of topics that co-occur with biased sentences in BABE (names, "
        "parties, issues) can carry weight; see the strongest terms above.",
        '- Reporting of extreme events: accurate words for violent events ("killed", '
        '"attack") can read as loaded.',
        "",
        "## Reproducibility",
        f"Seed {m.get('seed')}. Libraries: `{m.get('libraries')}`. Timings (s): "
        f"`{m.get('timings_seconds')}`. The artifact's sha256 is in `manifest.json`.",
        "",
        "The artifact, `model.npz`, holds data only: numpy arrays (weights, intercepts, "
        "calibration, idf, the vocabularies as UTF-8 text) and JSON (the heads' labels, units, "
        "thresholds, feature-space parameters and lexicons, and the format version). "
        "`load_model` reads it without unpickling (`allow_pickle=False`) and validates every "
        "field before building the heads, so loading a model file cannot run code.",
        "",
    ]


def render(model: Model) -> str:
    """The model card (Markdown) of ``model``, from its heads and manifest."""
    m = model.manifest
    parts = _intro(model) + _use_and_data(m) + _evaluation(m.get("metrics", {}))
    parts += technique_and_frame_sections(model) + _strongest_terms(model)
    parts += _judgement_and_reproducibility(m, _counterparts_pushing_down(model))
    return "\n".join(parts)


def user_head_card(model: Model, head: str, source: str) -> str:
    """The card (Markdown) of a model with a head trained on a user's file: the head, its
    cross-validated figures and, first, the warnings when it is no better than chance."""
    m = model.manifest
    cv = (m.get("metrics", {}).get(f"{head}/user_cv") or {}).get("ours", {})
    warnings = m.get("head_warnings", {}).get(head, [])
    lines = [f"# Model card: the `{head}` head", ""]
    if warnings:
        lines += ["**Warning: this head may be no better than chance.**", ""]
        lines += [f"- {w}" for w in warnings] + [""]
    lines += [
        f"The `{head}` head was trained with `framing train` on `{source}` "
        f"({cv.get('n', '?')} rows), beside the heads of the base model "
        f"({', '.join(sorted(h for h in model.heads if h != head))}).",
        "",
        "## Evaluation (5-fold cross-validation on the same file, seed 0)",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    lines += [
        f"| {k} | {_fmt(v)} |"
        for k, v in cv.items()
        if k != "n" and isinstance(v, int | float) and not isinstance(v, bool)
    ]
    lines += ["", "A head needs a cross-validated ROC AUC of at least 0.6 and at least 50"]
    lines += ["examples of each class before its scores mean something."]
    return "\n".join(lines) + "\n"
