"""Training the framing heads into the default model: thresholds, parallel label fits, the
reliability record in the manifest, and the card's sections."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core.model import Model, load_model, save_model
from framing.explanation.reliability import low_confidence_labels
from framing.training import recipes
from framing.training.binary import card
from framing.training.binary.fit import Recipe
from framing.training.multilabel import runs as label_runs
from framing.training.multilabel.card import technique_and_frame_sections, technique_and_frame_table
from framing.training.multilabel.fit import best_fbeta_threshold, fit_multilabel_head_oof

TEXTS = [
    "They will flood our towns",
    "Terror is coming for you",
    "Patriots must defend our nation",
    "Stand up for our flag",
    "The committee met on Monday",
    "The council approved the plan",
]


def _data():
    texts, rows = [], []
    for i in range(5):
        texts += [f"{t} {i}" for t in TEXTS]
        rows += [[1, 0], [1, 0], [0, 1], [0, 1], [0, 0], [0, 0]]
    return texts, np.array(rows, float), [f"g{i % 5}" for i in range(len(texts))]


RECIPE = Recipe(
    features={"word_ngrams": (1, 1), "char_ngrams": None, "min_df": 1, "shapes": False},
    calibration_folds=3,
    dual=True,
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=30),
    st.data(),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_best_fbeta_threshold_is_optimal(proba, data, beta):
    proba = np.array(proba)
    y = np.array(data.draw(st.lists(st.booleans(), min_size=len(proba), max_size=len(proba))))
    if not y.any():
        return
    t = best_fbeta_threshold(proba, y, beta)

    def fbeta(cut):
        d = proba >= cut
        tp = (d & y).sum()
        p = tp / d.sum() if d.sum() else 0.0
        r = tp / y.sum()
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0

    best = max(fbeta(c) for c in np.unique(proba))
    assert fbeta(t) == pytest.approx(best)


def test_label_threshold_rule_comes_from_the_recipe_and_threads_change_nothing():
    texts, Y, groups = _data()
    labels = ["fear", "flag"]
    f1, oof = fit_multilabel_head_oof("t", texts, Y, RECIPE, labels=labels, groups=groups)
    precise = Recipe(**{**RECIPE.__dict__, "label_thresholds": "f0.5"})
    f05, _ = fit_multilabel_head_oof("t", texts, Y, precise, labels=labels, groups=groups)
    want = [best_fbeta_threshold(oof[:, k], Y[:, k], 0.5) for k in range(2)]
    np.testing.assert_array_equal(f05.label_thresholds(), want)
    np.testing.assert_array_equal(f05.coef, f1.coef)  # only the thresholds differ
    two, oof2 = fit_multilabel_head_oof(
        "t", texts, Y, RECIPE, labels=labels, groups=groups, n_jobs=2
    )
    np.testing.assert_array_equal(two.coef, f1.coef)
    np.testing.assert_array_equal(two.label_thresholds(), f1.label_thresholds())
    np.testing.assert_array_equal(oof2, oof)
    with pytest.raises(ValueError, match="thresholds="):
        fit_multilabel_head_oof("t", texts, Y, RECIPE, labels=labels, thresholds="best")


def test_the_technique_recipe_chooses_thresholds_for_precision():
    assert recipes.technique_recipe().label_thresholds == "f0.5"
    assert recipes.frame_recipe().label_thresholds == "f1"


def _metrics(labels):
    per = {
        lab: {
            "n_pos": 20,
            "n_detected": 12,
            "roc_auc": 0.8,
            "f1": 0.5,
            "precision": 0.6 if lab == "fear" else 0.2,
            "recall": 0.4,
        }
        for lab in labels
    }
    summary = {"n": 100, "micro_f1": 0.4, "macro_f1": 0.3, "mean_auc": 0.8, "per_label": per}
    return {
        "technique/ptc_dev": {
            "ours": summary,
            "ours_shared_threshold": summary,
            "plain": summary,
            "thresholds": dict.fromkeys(labels, 0.3),
            "protocol": "tiny",
        }
    }


def test_the_reliability_record_reaches_the_saved_manifest(tmp_path, monkeypatch):
    texts, Y, groups = _data()
    labels = ["fear", "flag"]
    monkeypatch.setattr(recipes, "technique_labels", lambda: labels)
    head, _ = fit_multilabel_head_oof(
        "technique", texts, Y, RECIPE, labels=labels, groups=groups, unit="sentence"
    )
    metrics = _metrics(labels)
    record = label_runs.technique_reliability(metrics)
    assert record["labels"]["fear"]["reliable"] and not record["labels"]["flag"]["reliable"]
    assert label_runs.technique_reliability({}) is None
    fragment = {"metrics": metrics, "reliability": {"technique": record}}
    model = label_runs.add_heads(Model({}, {}), {"technique": head}, fragment)
    save_model(model, tmp_path)
    loaded = load_model(tmp_path)
    assert low_confidence_labels(loaded) == ["flag"]
    assert loaded.manifest["heads_info"]["technique"]["reliability"]["labels"]["fear"] == {
        "precision": 0.6,
        "recall": 0.4,
        "support": 20,
        "detected": 12,
        "reliable": True,
    }
    text = card.render(loaded)
    assert "## Persuasion techniques and frames" in text
    assert "| fear | 20 | 0.300 | 12 | 0.600 | 0.400 |" in text
    assert "no (low confidence)" in text and "What these figures are not" in text
    assert "technique" in technique_and_frame_table(metrics)
    # a model without the framing heads has no such section
    assert technique_and_frame_sections(Model({}, {})) == []


@pytest.mark.data
@pytest.mark.slow
def test_smoke_framing_heads_on_a_sample_of_the_real_data(data_dir, tiny_model, tmp_path):
    """The step of the default training run that adds the framing heads, on 60 articles per
    source: evaluated beside the plain baseline, the reliability record written, saved."""
    model = label_runs.add_technique_and_frame_heads(
        tiny_model, data_dir, sample_articles=60, n_jobs=2, log=lambda _: None
    )
    assert {"technique", "frame"} <= set(model.heads)
    metrics = model.manifest["metrics"]
    tech = metrics["technique/ptc_dev"]
    assert tech["ours"]["n"] == tech["plain"]["n"] > 0
    assert "ours_on_title" in metrics["frame/semeval2023_cv"]
    record = model.manifest["heads_info"]["technique"]["reliability"]
    assert set(record["labels"]) == set(recipes.technique_labels())
    save_model(model, tmp_path)
    assert "## Persuasion techniques and frames" in card.render(load_model(tmp_path))


def test_span_rates_equal_one_rationale_rate_per_label():
    from framing.training.binary.fit import Record
    from framing.training.lexicons import rationale_rate
    from framing.training.multilabel.datasets import LabelledText
    from framing.training.span_rates import span_rate_learner

    texts = [
        "The corrupt regime lied again, the corrupt senator said",
        "Patriots defend our flag and our nation",
        "A disgraceful sham: the regime lied",
        "The council met on Monday",
    ]
    spans = [
        {"loaded": ((4, 11), (37, 44)), "name": ((12, 18),)},
        {"flag": ((0, 40),)},
        {"loaded": ((2, 17),), "name": ((23, 29),)},
        {},
    ]
    rows = [
        LabelledText(t, frozenset(s), f"a{i}", "ptc", {"technique_spans": s})
        for i, (t, s) in enumerate(zip(texts, spans, strict=True))
    ]
    rows.append(LabelledText("No spans here", frozenset(), "b", "semeval2023", {}))
    labels = ["loaded", "name", "flag", "doubt"]
    learn = span_rate_learner(rows, labels)
    for indices in ([0, 1, 2, 3, 4], [0, 2], [1, 3]):
        got = learn(indices)
        for label in labels:
            recs = [
                Record(
                    rows[i].text,
                    1.0 if label in rows[i].meta.get("technique_spans", {}) else 0.0,
                    spans=rows[i].meta.get("technique_spans", {}).get(label, ()),
                )
                for i in indices
                if "technique_spans" in rows[i].meta
            ]
            want = rationale_rate(recs)
            assert got[f"rate_{label}"] == want and list(got[f"rate_{label}"]) == list(want)


def test_the_plain_baseline_is_the_same_with_parallel_labels():
    from framing.training.multilabel.protocols import plain_multilabel

    texts, Y, _ = _data()
    Y = np.column_stack([Y, np.zeros(len(Y))])  # a label with one class: a constant
    one, d1 = plain_multilabel(texts, Y, TEXTS)
    two, d2 = plain_multilabel(texts, Y, TEXTS, n_jobs=2)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(d1, d2)
    assert (one[:, 2] == 0).all() and one.shape == (len(TEXTS), 3)
