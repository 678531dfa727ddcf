"""Only reliable techniques are shown by default: the rule is read from the model's manifest,
the others are there on request and marked low-confidence on every surface."""

from __future__ import annotations

import pytest
from conftest import TECHNIQUE_ARTICLE

from framing.core.model import Model, load_model, save_model
from framing.explanation import explain, explain_techniques
from framing.explanation.reliability import (
    MIN_DETECTIONS,
    LabelReliability,
    label_reliability,
    low_confidence_labels,
    reliability_record,
    shown_labels,
)

LABELS = ["fear", "flag"]
ARTICLE = TECHNIQUE_ARTICLE


def _per_label(fear_precision: float, flag_precision: float) -> dict:
    return {
        "fear": {"precision": fear_precision, "recall": 0.4, "n_pos": 40, "n_detected": 30},
        "flag": {"precision": flag_precision, "recall": 0.2, "n_pos": 25, "n_detected": 12},
    }


@pytest.fixture(scope="module")
def technique_head(measured):
    return measured["technique"]


def test_the_record_says_which_labels_are_reliable():
    record = reliability_record(_per_label(0.5, 0.4999), LABELS, protocol="p", rule="r")
    assert record["labels"]["fear"] == {
        "precision": 0.5,
        "recall": 0.4,
        "support": 40,
        "detected": 30,
        "reliable": True,
    }
    assert record["labels"]["flag"]["reliable"] is False
    assert record["min_precision"] == 0.5 and record["protocol"] == "p"
    # a precision measured on too few detections says nothing: not reliable
    few = {"fear": {"precision": 1.0, "recall": 0.05, "n_pos": 40, "n_detected": 2}}
    assert MIN_DETECTIONS > 2
    few_record = reliability_record(few, ["fear"], protocol="p", rule="r")
    assert few_record["labels"]["fear"]["reliable"] is False
    # a label the protocol did not measure is unmeasured
    assert reliability_record({}, ["fear"], protocol="p", rule="r")["labels"]["fear"] == {
        "precision": None,
        "recall": None,
        "support": None,
        "detected": None,
        "reliable": None,
    }


def test_the_library_reads_the_rule_from_the_manifest(measured, technique_head):
    rel = label_reliability(measured)
    assert list(rel) == technique_head.labels
    assert rel["fear"] == LabelReliability("fear", 0.8, 0.4, 40, 30, True)
    assert rel["flag"].low_confidence and not rel["fear"].low_confidence
    assert low_confidence_labels(measured) == ["flag"]
    order = technique_head.labels
    assert shown_labels(measured).tolist() == [lab != "flag" for lab in order]
    assert shown_labels(measured, all_labels=True).all()
    # no record (a head trained with --skip-eval, or a user's): every label shown, unlabelled
    bare = Model(measured.heads, {})
    assert all(
        r.reliable is None and not r.low_confidence for r in label_reliability(bare).values()
    )
    assert shown_labels(bare).all() and low_confidence_labels(bare) == []


def test_explain_shows_reliable_techniques_and_the_others_on_request(measured):
    res = explain(body=ARTICLE, model=measured)
    patriots = res.sentences[1]
    assert "flag" not in [t.label for t in patriots.techniques]
    assert "flag" not in patriots.detected_techniques and "flag" not in res.techniques
    assert res.technique_mode == "reliable" and res.low_confidence_techniques == ["flag"]
    d = res.to_dict()
    assert d["technique_mode"] == "reliable" and d["low_confidence_techniques"] == ["flag"]
    assert all(not t["low_confidence"] for s in d["sentences"] for t in s["techniques"])
    fear = res.sentences[2]
    assert fear.detected_techniques == ["fear"] and res.techniques["fear"] >= 1

    every = explain(body=ARTICLE, model=measured, all_techniques=True)
    flag = next(t for t in every.sentences[1].techniques if t.label == "flag")
    assert flag.low_confidence and flag.decision
    assert "flag" in every.sentences[1].detected_techniques and every.techniques["flag"] >= 1
    assert every.technique_mode == "all"
    d = every.to_dict()
    labelled = {t["label"]: t["low_confidence"] for t in d["sentences"][1]["techniques"]}
    assert labelled == {"flag": True, "fear": False}
    # the probabilities are the same either way: only what is shown differs
    assert fear.techniques[0].probability == every.sentences[2].techniques[0].probability


def test_explain_techniques_follows_the_rule(measured):
    default = explain_techniques(measured, ARTICLE, top_labels=None)
    assert all(t.label != "flag" for s in default.sentences for t in s.techniques)
    every = explain_techniques(measured, ARTICLE, top_labels=None, all_techniques=True)
    flags = [t for s in every.sentences for t in s.techniques if t.label == "flag"]
    assert flags and all(t.low_confidence for t in flags)


def test_a_model_without_a_technique_head_keeps_its_json(tiny_model):
    d = explain("A headline", ARTICLE, model=tiny_model).to_dict()
    assert "technique_mode" not in d and "low_confidence_techniques" not in d
    assert d["techniques"] is None


def test_the_rule_survives_saving_and_loading(measured, tmp_path):
    save_model(measured, tmp_path / "m")
    assert low_confidence_labels(load_model(tmp_path / "m")) == ["flag"]
