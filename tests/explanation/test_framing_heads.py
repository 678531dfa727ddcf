"""Multi-label heads (technique, frame, users' categorical labels): fitting, thresholds,
exact per-label explanations, sentence offsets, adapters and a smoke run on real data."""

from __future__ import annotations

import csv
import io
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.core.head import Head
from framing.core.model import Model, save_model
from framing.core.ranking import strongest
from framing.core.text import normalize as normalize_form
from framing.core.tokens import tokenize_batch
from framing.errors import DataError, InputError, ModelError
from framing.explanation.build import explain
from framing.explanation.labels import explain_labels
from framing.explanation.techniques import explain_frames, explain_techniques
from framing.training.binary.fit import Recipe
from framing.training.inventory import (
    FRAMES,
    FROM_2020,
    FROM_2023,
    TECHNIQUE_SOURCES,
    map_technique,
)
from framing.training.multilabel import datasets as label_datasets
from framing.training.multilabel.fit import (
    best_f1_threshold,
    fit_multilabel_head,
    fit_multilabel_head_oof,
    group_folds,
)

REPO = Path(__file__).resolve().parents[2]

FEAR = ["They will flood our towns and destroy everything we love", "Terror is coming for you"]
FLAG = ["Patriots must defend our great nation", "Stand up for our flag and our country"]
LOADED = ["The corrupt despot shamelessly lied", "A disgraceful sham of a trial"]
NEUTRAL = [
    "The committee met on Monday",
    "Figures were published for the third quarter",
    "The council approved the plan",
    "Officials said talks would resume",
]
LABELS = ["fear", "flag", "loaded"]


def _tiny_data(copies: int = 4):
    texts, rows = [], []
    for i in range(copies):
        for t in FEAR:
            texts.append(f"{t} {i}")
            rows.append([1, 0, 0])
        for t in FLAG:
            texts.append(f"{t} {i}")
            rows.append([0, 1, 0])
        for t in LOADED:
            texts.append(f"{t} {i}")
            rows.append([0, 0, 1])
        texts.append(f"The corrupt despot will destroy our great nation {i}")
        rows.append([1, 1, 1])
        for t in NEUTRAL:
            texts.append(f"{t} {i}")
            rows.append([0, 0, 0])
    groups = [f"g{i % 6}" for i in range(len(texts))]
    return texts, np.array(rows, dtype=float), groups


def _recipe(**kw) -> Recipe:
    feats = {"word_ngrams": (1, 2), "char_ngrams": (2, 4), "min_df": 1, "shapes": False}
    return Recipe(features=feats, C=2.0, calibration_folds=3, dual=True, **kw)


@pytest.fixture(scope="module")
def multi_head() -> Head:
    texts, Y, groups = _tiny_data()
    return fit_multilabel_head("technique", texts, Y, _recipe(), labels=LABELS, groups=groups)


@pytest.fixture(scope="module")
def framing_model(multi_head) -> Model:
    texts, Y, groups = _tiny_data()
    frame = fit_multilabel_head(
        "frame", texts, Y, _recipe(), labels=["Security", "Political", "Morality"], groups=groups
    )
    return Model({"technique": multi_head, "frame": frame}, {"note": "tiny"})


# ---- fitting -----------------------------------------------------------------------------------
def test_multilabel_head_shapes_and_probabilities(multi_head):
    assert multi_head.coef.shape == (3, multi_head.space.n_features)
    assert multi_head.intercept.shape == (3,)
    assert multi_head.calibration.shape == (3, 2)
    p = multi_head.predict_proba(["Patriots must defend our flag", "The council met"])
    assert p.shape == (2, 3)
    assert p[0, 1] > p[1, 1]


def test_thresholds_are_chosen_on_training_folds_only():
    texts, Y, groups = _tiny_data()
    head, oof = fit_multilabel_head_oof(
        "t", texts, Y, _recipe(), labels=LABELS, groups=groups, thresholds="f1"
    )
    expected = [best_f1_threshold(oof[:, k], Y[:, k]) for k in range(3)]
    np.testing.assert_allclose(head.label_thresholds(), expected)
    # out-of-fold: a row's probability comes from a model that did not see its group
    folds = group_folds(groups, 3, 0)
    for tr, te in folds:
        assert not {groups[i] for i in tr} & {groups[i] for i in te}
    shared, _ = fit_multilabel_head_oof(
        "t", texts, Y, _recipe(), labels=LABELS, groups=groups, thresholds="micro"
    )
    th = shared.label_thresholds()
    assert np.all(th == th[0])
    np.testing.assert_allclose(th[0], best_f1_threshold(oof.ravel(), Y.ravel()))
    fixed = fit_multilabel_head("t", texts, Y, _recipe(), labels=LABELS, thresholds=0.3)
    np.testing.assert_allclose(fixed.label_thresholds(), 0.3)


def test_multilabel_errors():
    texts, Y, groups = _tiny_data()
    with pytest.raises(ValueError, match="shape"):
        fit_multilabel_head("t", texts, Y[:, :2], _recipe(), labels=LABELS)
    Y2 = Y.copy()
    Y2[:, 0] = 0
    Y2[0, 0] = 1
    with pytest.raises(ValueError, match="too few: fear"):
        fit_multilabel_head("t", texts, Y2, _recipe(), labels=LABELS, groups=groups)
    with pytest.raises(ValueError, match="thresholds"):
        fit_multilabel_head("t", texts, Y, _recipe(), labels=LABELS, thresholds="best")


def test_compact_head_stays_exact():
    texts, Y, groups = _tiny_data()
    head = fit_multilabel_head("t", texts, Y, _recipe(), labels=LABELS, groups=groups, compact=True)
    assert head.coef.dtype == np.float32
    text = "The corrupt despot will destroy our great nation"
    for k in range(3):
        att = head.attribute(tokenize_batch([text]), label=k)
        assert att.per_token.sum() + head.intercept[k] == pytest.approx(
            head.logits([text])[0, k], abs=1e-9
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=30),
    st.data(),
)
def test_best_f1_threshold_is_optimal(proba, data):
    proba = np.array(proba)
    y = np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(proba), max_size=len(proba))))
    t = best_f1_threshold(proba, y)
    if y.sum() == 0:
        assert t == 0.5
        return

    def f1(th):
        pred = proba >= th
        tp = (pred & (y == 1)).sum()
        return 2 * tp / (pred.sum() + y.sum())

    best = max(f1(th) for th in np.unique(proba))
    assert f1(t) == pytest.approx(best)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), min_size=5, max_size=40), st.integers(2, 4))
def test_group_folds_partition_rows_by_group(groups, k):
    if len(set(groups)) < k:
        with pytest.raises(ValueError):
            group_folds(groups, k)
        return
    folds = group_folds(groups, k, seed=0)
    seen = np.concatenate([te for _, te in folds])
    assert sorted(seen.tolist()) == list(range(len(groups)))
    for tr, te in folds:
        assert not {groups[i] for i in tr} & {groups[i] for i in te}


def test_head_without_thresholds_uses_threshold(multi_head):
    state = dict(multi_head.__dict__)
    state.pop("thresholds")
    old = Head.__new__(Head)
    old.__dict__.update(state)  # as a head pickled before ``thresholds`` existed
    np.testing.assert_allclose(old.label_thresholds(), [0.5, 0.5, 0.5])
    again = pickle.loads(pickle.dumps(multi_head))
    np.testing.assert_allclose(again.label_thresholds(), multi_head.label_thresholds())


# ---- explanations ------------------------------------------------------------------------------
@pytest.mark.parametrize("top_terms", [None, 2])
def test_explain_labels_is_exact_per_label(multi_head, top_terms):
    text = "The corrupt despot will destroy our great nation, shamelessly!"
    result = explain_labels(multi_head, text, top_terms=top_terms)
    logits = multi_head.logits([text])[0]
    assert {s.label for s in result.labels} == set(LABELS)
    for s in result.labels:
        k = LABELS.index(s.label)
        total = s.intercept + sum(t.contribution for t in s.terms) + s.rest
        assert total == pytest.approx(logits[k], abs=1e-9)
        assert s.logit == pytest.approx(logits[k], abs=1e-9)
        assert s.decision == (s.probability >= multi_head.label_thresholds()[k])
        per_token = multi_head.attribute(tokenize_batch([text]), label=k).per_token
        assert sum(t.contribution for t in s.terms) + s.rest == pytest.approx(per_token.sum())
        for t in s.terms:
            for sp in t.spans:
                assert text[sp.start : sp.end].lower() == t.term
        if top_terms is None:
            assert s.rest == pytest.approx(0.0, abs=1e-12)
        else:
            assert len(s.terms) <= top_terms
    probs = [s.probability for s in result.labels]
    assert probs == sorted(probs, reverse=True)


def test_explain_techniques_offsets_point_into_the_text(framing_model):
    text = (
        "Patriots must defend our great nation!  The committee met on Monday.\n\n"
        "“They will flood our towns,” he said. The corrupt despot shamelessly lied."
    )
    result = explain_techniques(framing_model, text, top_labels=2, top_terms=3)
    assert len(result.sentences) == 4
    for s in result.sentences:
        assert text[s.start : s.end] == s.text
        assert 2 <= len(s.techniques) <= 3
        for lab in s.techniques:
            for t in lab.terms:
                for sp in t.spans:
                    assert s.start <= sp.start < sp.end <= s.end
                    assert text[sp.start : sp.end].lower() == t.term
    assert "flag" in result.sentences[0].detected
    assert set(result.counts()) <= set(LABELS)
    json.dumps(result.to_dict())
    quick = explain_techniques(framing_model, text, with_terms=False, top_labels=None)
    for a, b in zip(quick.sentences, result.sentences, strict=True):
        pa = {x.label: x.probability for x in a.techniques}
        for x in b.techniques:
            assert pa[x.label] == pytest.approx(x.probability)


def test_explain_frames(framing_model):
    article = "Patriots must defend our great nation. The corrupt despot shamelessly lied."
    result = explain_frames(framing_model, article, top_terms=4)
    assert len(result.frames) == 3
    assert set(result.detected) <= set(result.profile())
    for f in result.frames:
        for t in f.terms:
            assert all(article[sp.start : sp.end].lower() == t.term for sp in t.spans)
    json.dumps(result.to_dict())
    with pytest.raises(InputError):
        explain_frames(framing_model, "   ")
    with pytest.raises(InputError):
        explain_techniques(framing_model, None)
    with pytest.raises(ModelError, match="no head 'frame'"):
        explain_frames(Model({}, {}), "An article")


@pytest.mark.parametrize("top_terms", [1, 3, None])
def test_frame_evidence_is_content_words_and_stays_exact(framing_model, top_terms):
    from framing.core.wordlists import is_content_word

    article = "Patriots must defend our great nation, as the 17 corrupt despots won't stop it."
    result = explain_frames(framing_model, article, top_terms=top_terms)
    full = {
        f.label: f for f in explain_labels(framing_model["frame"], article, top_terms=None).labels
    }
    for f in result.frames:
        assert all(is_content_word(t.term) for t in f.terms)
        assert top_terms is None or len(f.terms) <= top_terms
        words = sum(t.contribution for t in f.terms)
        assert f.intercept + words + f.function_words + f.rest == pytest.approx(f.logit, abs=1e-9)
        dropped = [t for t in full[f.label].terms if not is_content_word(t.term)]
        assert {t.term for t in dropped} >= {"as", "the", "won't", "0"} & {
            t.term for t in full[f.label].terms
        }
        assert f.function_words == pytest.approx(sum(t.contribution for t in dropped), abs=1e-12)
    assert all(f.decision and f.top(1) for f in result.shown)


def test_no_frame_on_a_headline_alone(full_model):
    res = explain("Hospital opens new cancer treatment wing", model=full_model)
    assert res.frames.frames == [] and res.frames.detected == []
    assert res.frames.note.startswith("frames need the article text")
    assert explain("Hospital opens a wing", ARTICLE, model=full_model).frames.note is None


# ---- inventory and users' labels ---------------------------------------------------------------
def test_inventory_maps_both_years():
    assert map_technique("Flag-Waving", 2020) == map_technique("Flag_Waving", 2023) == "Flag_Waving"
    assert map_technique("Straw_Man", 2023) == "Whataboutism/Straw_Man/Red_Herring"
    assert map_technique("Appeal_to_Hypocrisy", 2023) is None
    assert set(FROM_2020.values()) == set(FROM_2023.values()) == set(TECHNIQUE_SOURCES)
    assert len(FRAMES) == 14


def _csv(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["text", "label"])
    w.writerows(rows)
    return buf.getvalue().encode()


def test_read_user_labels_multiclass_and_multilabel():
    rows = [
        (f"headline about guns {i}", "Politics" if i % 2 else "Mental_health") for i in range(30)
    ]
    out, labels, log = label_datasets.read_user_labels(_csv(rows), "f.csv", kind="multiclass")
    assert labels == ["Mental_health", "Politics"] and len(out) == 30
    ml = [(f"text {i}", "a,b" if i % 3 == 0 else ("a" if i % 3 == 1 else "")) for i in range(30)]
    out, labels, _ = label_datasets.read_user_labels(_csv(ml), "f.csv", kind="multilabel")
    assert labels == ["a", "b"]
    assert out[0].labels == {"a", "b"} and out[2].labels == frozenset()


@pytest.mark.parametrize(
    "rows, kind, message",
    [
        ([(f"t {i}", "x") for i in range(10)], "multiclass", "at least 20"),
        ([(f"t {i}", "x") for i in range(30)], "multiclass", "one label only"),
        ([(f"t {i}", "x" if i else "") for i in range(30)], "multiclass", "row 1 has no label"),
        ([(f"t {i}", "x" if i > 2 else "y") for i in range(30)], "multiclass", "fewer than 5"),
        ([(f"t {i}", "x,y") for i in range(30)], "multilabel", "on every row"),
    ],
)
def test_read_user_labels_errors(rows, kind, message):
    with pytest.raises(DataError, match=message):
        label_datasets.read_user_labels(_csv(rows), "f.csv", kind=kind)


def test_read_user_labels_missing_column():
    with pytest.raises(DataError, match="no column 'frame'"):
        label_datasets.read_user_labels(_csv([("a", "b")]), "f.csv", label_col="frame")


def test_prepare_gvfc_rows():
    sys.path.insert(0, str(REPO / "training"))
    try:
        from prepare_gvfc import gvfc_rows
    finally:
        sys.path.pop(0)
    rows = [
        {"news_title": " A ", "Q1 Relevant": "1", "Q3 Theme1": "3", "Q3 Theme2": "2"},
        {"news_title": "B", "Q1 Relevant": "2", "Q3 Theme1": "99", "Q3 Theme2": "99"},
        {"news_title": "C", "Q1 Relevant": "1", "Q3 Theme1": "99", "Q3 Theme2": "99"},
    ]
    assert gvfc_rows(rows) == [("A", "Politics")]
    assert gvfc_rows(rows, multilabel=True) == [("A", "Politics,Gun_control_regulation")]


def test_learned_lexicons_are_cross_fitted_by_group():
    texts, Y, groups = _tiny_data()
    calls = []

    def learn(indices):
        calls.append(set(np.asarray(indices).tolist()))
        # a lexicon of the words of the training rows' "loaded" texts
        words = {w.lower(): 1.0 for i in indices if Y[i, 2] for w in texts[i].split()[:3]}
        return {"rate_loaded": words}

    head = fit_multilabel_head(
        "technique", texts, Y, _recipe(), labels=LABELS, groups=groups, learn=learn
    )
    assert "rate_loaded" in head.space.lexicon_names
    assert calls[0] == set(range(len(texts)))  # the stored lexicon: all rows
    every = set(range(len(texts)))
    held_out = [every - c for c in calls[1:]]
    assert sorted(i for rows in held_out for i in rows) == sorted(every)  # each row once
    for learned_from, rows in zip(calls[1:], held_out, strict=True):
        own = {groups[i] for i in rows}  # encoded with lexicons learned without their groups
        assert all(groups[j] not in own for j in learned_from)


# ---- real data ---------------------------------------------------------------------------------
@pytest.mark.data
def test_technique_adapters(data_dir):
    ptc, _, _ = label_datasets.load_ptc_techniques(data_dir)
    extra, log, _ = label_datasets.load_semeval2023_techniques(data_dir, "dev")
    assert {r.meta["split"] for r in ptc} == {"train", "dev"}
    names = {lab for r in ptc + extra for lab in r.labels}
    assert names <= set(TECHNIQUE_SOURCES) and "Loaded_Language" in names
    ptc_articles = {r.meta["article_id"] for r in ptc}
    assert not ptc_articles & {r.meta["article_id"] for r in extra}
    assert all(r.text == r.text.strip() and r.text for r in ptc + extra)
    for r in ptc:  # technique spans point into the line and name its techniques
        spans = r.meta["technique_spans"]
        assert set(spans) <= r.labels | {"Bandwagon/Reductio_ad_Hitlerum"}
        assert all(0 <= a < b <= len(r.text) for v in spans.values() for a, b in v)
    assert sum(bool(r.meta["technique_spans"]) for r in ptc) > 4000
    frames, _, _ = label_datasets.load_frames(data_dir)
    assert all(r.labels <= set(FRAMES) for r in frames)
    assert len({r.group for r in frames}) == len(frames)


@pytest.mark.data
@pytest.mark.slow
def test_smoke_technique_protocol_on_real_sample(data_dir):
    from framing.training import recipes
    from framing.training.multilabel import protocols as label_protocols
    from framing.training.multilabel.runs import label_arrays, sample_articles

    train, dev, extra, _, _ = recipes.technique_data(data_dir)
    train, dev = sample_articles(train, 40), sample_articles(dev, 20)
    labels = ["Loaded_Language", "Name_Calling/Labeling", "Doubt"]
    recipe = Recipe(
        features={"word_ngrams": (1, 2), "char_ngrams": None, "min_df": 2},
        dual=True,
        calibration_folds=3,
    )
    res = label_protocols.protocol_technique(
        label_arrays(train, labels), label_arrays(dev, labels)[:2], labels, recipe
    )
    for who in ("ours", "plain", "ours_shared_threshold"):
        assert set(res[who]["per_label"]) == set(labels)
        assert 0 <= res[who]["micro_f1"] <= 1
    assert res["ours"]["per_label"]["Loaded_Language"]["roc_auc"] > 0.55


@pytest.mark.data
@pytest.mark.slow
def test_user_multiclass_head_from_the_command_line(data_dir, tmp_path, tiny_model):
    sys.path.insert(0, str(REPO / "training"))
    try:
        from prepare_gvfc import gvfc_rows
    finally:
        sys.path.pop(0)
    with open(data_dir / "gvfc" / "GVFC_headlines_and_annotations.csv", encoding="utf-8") as fh:
        rows = gvfc_rows(csv.DictReader(fh))
    keep = {"Politics", "Gun_control_regulation", "Public_opinion"}
    rows = [r for r in rows if r[1] in keep][:240]
    (tmp_path / "g.csv").write_bytes(_csv(rows))
    save_model(tiny_model, tmp_path / "base")
    out = tmp_path / "model"
    cmd = [
        sys.executable,
        str(REPO / "training" / "train.py"),
        "--user-data",
        str(tmp_path / "g.csv"),
    ]
    cmd += ["--head", "gvfc", "--label-type", "multiclass", "--out", str(out)]
    cmd += ["--base-model", str(tmp_path / "base")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "arg-max label" in done.stdout
    from framing.core.model import load_model

    model = load_model(out)
    assert set(model.heads) == {"clickbait", "loaded", "gvfc"}
    assert model["gvfc"].labels == sorted(keep)
    assert "gvfc/user_cv" in model.manifest["metrics"]


# ---- surfaces: explain(), framing score, with a model that has the framing heads ------------
@pytest.fixture(scope="module")
def full_model(tiny_model, framing_model) -> Model:
    return Model({**tiny_model.heads, **framing_model.heads}, {"note": "tiny, all heads"})


ARTICLE = (
    "The committee met on Monday. Patriots must defend our great nation, he said.\n\n"
    "They will flood our towns and destroy everything we love. The council approved the plan."
)


def test_explain_gives_techniques_per_sentence_and_frames(full_model):
    from framing import explain

    res = explain("Terror is coming for you", ARTICLE, model=full_model)
    head = full_model["technique"]
    assert len(res.sentences) == 4
    counts = {}
    for s in res.sentences:
        text = ARTICLE[s.start : s.end]
        labels = s.techniques
        assert [t.label for t in labels] == sorted(
            head.labels, key=lambda lab: -head.predict_proba([text])[0, head.labels.index(lab)]
        )
        for t in labels:
            k = head.labels.index(t.label)
            assert t.probability == pytest.approx(head.predict_proba([text])[0, k], abs=1e-9)
            for term in t.terms:
                for span in term.spans:  # offsets into the body
                    assert normalize_form(ARTICLE[span.start : span.end]) == term.term
        for lab in s.detected_techniques:
            counts[lab] = counts.get(lab, 0) + 1
    assert res.techniques == dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    fear = res.sentences[2].techniques[0]
    assert fear.label == "fear" and fear.decision
    # frames read the headline and the body; their offsets point into article_text
    assert res.article_text == "Terror is coming for you\n\n" + ARTICLE
    frames = res.frames
    assert {f.label for f in frames.frames} == {"Security", "Political", "Morality"}
    for f in frames.frames:
        k = full_model["frame"].labels.index(f.label)
        want = full_model["frame"].predict_proba([res.article_text])[0, k]
        assert f.probability == pytest.approx(want, abs=1e-9)
        for term in f.terms:
            for span in term.spans:
                assert normalize_form(res.article_text[span.start : span.end]) == term.term
    d = res.to_dict()
    json.dumps(d)
    assert d["techniques"] == res.techniques
    assert d["frames"]["detected"] == frames.detected
    assert d["sentences"][2]["techniques"][0]["label"] == "fear"


def test_explain_without_framing_heads_has_none(tiny_model):
    from framing import explain

    res = explain("A headline", ARTICLE, model=tiny_model)
    assert res.techniques is None and res.frames is None
    assert res.sentences[0].techniques is None and res.sentences[0].detected_techniques == []
    d = res.to_dict()
    assert d["techniques"] is None and d["frames"] is None
    assert d["sentences"][0]["techniques"] is None


def test_score_adds_frame_and_technique_columns(full_model, tiny_model, tmp_path, capsys):
    from framing.cli import main

    save_model(full_model, tmp_path / "full")
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": 1, "headline": "Terror is coming for you", "body": ARTICLE},
        {"id": 2, "headline": "Patriots must defend our great nation", "body": ""},
        {"id": 3, "headline": "", "body": ""},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    argv = ["--model", str(tmp_path / "full"), "score", str(src), "-o", "-", "-q"]
    assert main([*argv, "--frames", "--techniques"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in out] == [1, 2, 3]  # every row comes out
    assert "technique_probability" not in out[0]  # multi-label heads are not binary columns
    frame = full_model["frame"]
    article = "\n\n".join([rows[0]["headline"], rows[0]["body"]])
    p = frame.predict_proba([article])[0]
    want = {
        lab: round(float(v), 4)
        for lab, v, t in sorted(
            zip(frame.labels, p, frame.label_thresholds(), strict=True), key=lambda x: -x[1]
        )
        if v >= t
    }
    assert out[0]["frames"] == want and out[0]["frame_top"] == (next(iter(want), None))
    # a headline alone: no frame, and a warning saying the frames need the article text
    assert out[1]["frames"] is None and out[1]["frame_top"] is None
    assert any("frames need the article text" in w for w in out[1]["warnings"])
    res = explain(rows[0]["headline"], rows[0]["body"], model=full_model)
    assert out[0]["techniques"] == dict(list(res.techniques.items())[:3])
    assert out[2]["error"] and out[2]["techniques"] is None and out[2]["frames"] is None
    # a model without the heads: one clear error naming the command that builds them
    save_model(tiny_model, tmp_path / "tiny")
    assert main(["--model", str(tmp_path / "tiny"), "score", str(src), "--frames", "-q"]) == 2
    err = capsys.readouterr().err
    assert "no 'frame' head" in err and "train_framing.py" in err


def test_app_shows_techniques_frames_and_their_distributions(full_model, tmp_path, monkeypatch):
    pytest.importorskip("streamlit", reason="the app needs `pip install framing[app]`")
    from streamlit.testing.v1 import AppTest

    save_model(full_model, tmp_path / "full")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path / "full"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.text_input(key="headline").set_value("Terror is coming for you").run()
    at.text_area(key="body").set_value(ARTICLE).run()
    assert not at.exception, [e.value for e in at.exception]
    ranked = next(d.value for d in at.dataframe if "sentence" in d.value.columns)
    fear = ranked[ranked["sentence"].str.startswith("They will flood")]
    assert "fear" in fear["techniques"].item()
    frames = next(d.value for d in at.dataframe if "frame" in d.value.columns)
    res = explain("Terror is coming for you", ARTICLE, model=full_model)
    assert list(frames["frame"]) == [f.label for f in res.frames.frames]
    assert any("Frame profile" in str(c.proto.spec) for c in at.get("vega_lite_chart"))
    assert any("Techniques detected" in c.value for c in at.caption)
    page = "\n".join(h.proto.body for h in at.get("html"))
    assert '<span class="fr-label">fear' in page  # the technique badge after its sentence
    # the file page: frames and techniques per group
    feed = pd.DataFrame(
        {
            "headline": ["Terror is coming for you", "Patriots must defend our great nation"],
            "body": [ARTICLE, "Stand up for our flag and our country."],
            "outlet": ["a", "b"],
        }
    )
    at.sidebar.radio(key="page").set_value("Score a file").run()
    at.file_uploader(key="upload").upload("feed.csv", feed.to_csv(index=False).encode()).run()
    assert not at.exception, [e.value for e in at.exception]
    tables = {d.value.index.name: d.value for d in at.dataframe}
    assert "outlet" in tables
    subheads = [h.value for h in at.subheader]
    assert "Most probable frame per outlet" in subheads
    assert "Technique (sentences) per outlet" in subheads


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80) | st.sampled_from(FEAR + FLAG + LOADED + NEUTRAL), max_size=5))
def test_all_labels_at_once_equal_the_reference(multi_head, texts):
    """attribute_labels gives every label the reference per-token shares and logits."""
    from reference import reference_logit, reference_per_token

    tb = tokenize_batch(texts)
    logits, per_token = multi_head.attribute_labels(tb)
    assert logits.shape == (len(texts), 3) and per_token.shape == (len(tb.form_id), 3)
    for d, text in enumerate(texts):
        for k in range(3):
            got = per_token[tb.ptr[d] : tb.ptr[d + 1], k]
            want = reference_per_token(multi_head, text, label=k)
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
            assert abs(logits[d, k] - reference_logit(multi_head, text, label=k)) < 1e-9


def test_explain_command_prints_techniques_and_frames(full_model, tmp_path, capsys):
    from framing.cli import main

    save_model(full_model, tmp_path / "full")
    argv = ["--model", str(tmp_path / "full"), "explain", "Terror is coming for you"]
    assert main([*argv, "--body", ARTICLE, "--color", "never"]) == 0
    out = capsys.readouterr().out
    res = explain("Terror is coming for you", ARTICLE, model=full_model)
    line = next(x for x in out.splitlines() if x.startswith("techniques (sentences):"))
    assert line.endswith(", ".join(f"{k} ({v})" for k, v in res.techniques.items()))
    assert "fear" in out and "They will flood our towns" in out
    frames_line = next(x for x in out.splitlines() if x.startswith("frames:"))
    assert res.frames.frames[0].label in frames_line


def test_label_results_as_dicts_are_their_fields(framing_model):
    # to_dict() is written out field by field (fast on long bodies): the dict asdict() gives,
    # keys in the same order, so the JSON is unchanged
    from dataclasses import asdict

    from framing.explanation.labels import LabelsExplanation

    text = "Patriots must defend our great nation! The corrupt despot shamelessly lied."
    techniques = explain_techniques(framing_model, text, top_labels=None, top_terms=3)
    frames = explain_frames(framing_model, text, top_terms=4)
    labels = LabelsExplanation("frame", text, frames.frames)

    def drop_none_probability(d):
        # a term's "probability" (a word-evidence head's per-word figure) is written only
        # when it has one
        if isinstance(d, dict):
            return {
                k: drop_none_probability(v)
                for k, v in d.items()
                if not (k == "probability" and v is None and "term" in d)
            }
        if isinstance(d, list):
            return [drop_none_probability(v) for v in d]
        return d

    def same(result, extra):
        expected = drop_none_probability({**extra, **asdict(result)})
        assert json.dumps(result.to_dict()) == json.dumps(expected)

    for s in techniques.sentences:
        same(s, {"detected": s.detected})
        for lab in s.techniques:
            same(lab, {})
    same(frames, {"detected": frames.detected})
    same(labels, {"head": "frame", "detected": labels.detected})


def test_sentence_techniques_built_in_blocks_are_each_sentences(tiny_model, multi_head):
    # a long body's sentences get their technique words in blocks (one batch each): the same
    # as explaining each sentence alone, across block boundaries
    from framing.explanation.build import LABEL_BLOCK
    from framing.explanation.techniques import ShownTechniques

    model = Model({**tiny_model.heads, "technique": multi_head}, {"note": "tiny"})
    pieces = [
        "Patriots must defend our great nation!",
        "The committee met on Monday.",
        "The corrupt despot shamelessly lied.",
        "They will flood our towns, he said.",
    ]
    body = " ".join(pieces[i % 4] for i in range(LABEL_BLOCK * 2 + 7))
    result = explain("A headline", body, model=model, all_techniques=True)
    assert len(result.sentences) == LABEL_BLOCK * 2 + 7
    shown = ShownTechniques.of(model, True)
    for s in result.sentences[LABEL_BLOCK - 2 : LABEL_BLOCK + 2] + result.sentences[-3:]:
        alone = explain_labels(multi_head, body[s.start : s.end], top_terms=5, offset=s.start)
        expected = [x.to_dict() for x in shown.keep(alone.labels)]
        got = [x.to_dict() for x in s.techniques]
        assert [d["label"] for d in got] == [d["label"] for d in expected]
        for a, b in zip(got, expected, strict=True):
            assert a["probability"] == pytest.approx(b["probability"], abs=1e-12)
            assert [t["term"] for t in a["terms"]] == [t["term"] for t in b["terms"]]
            assert [t["spans"] for t in a["terms"]] == [t["spans"] for t in b["terms"]]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 1e-300, 3.0]), max_size=40),
    st.one_of(st.none(), st.integers(0, 45)),
)
def test_the_strongest_words_are_the_first_of_a_stable_sort(values, k):
    """A label's top words (found from the candidates only) are exactly the first ``k`` of a
    stable sort by |contribution|: same words, same order, ties in alphabetical order."""
    values = np.array(values, dtype=np.float64)
    want = np.argsort(-np.abs(values), kind="stable")
    want = want if k is None else want[:k]
    np.testing.assert_array_equal(strongest(values, k), want)
