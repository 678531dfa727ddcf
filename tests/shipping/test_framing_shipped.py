"""The shipped model has the framing heads (``technique``, ``frame``), their evaluation and
reliability record, and ``explain()`` shows them.

These pass once the shipped model is retrained with ``python training/train.py`` (which
trains the framing heads into it); until then they are expected to fail.
"""

from __future__ import annotations

import json

import pytest

from framing import explain, load_model
from framing.explanation.reliability import MIN_PRECISION, label_reliability
from framing.training import recipes
from framing.training.inventory import FRAMES

HEADLINE = "Patriots rally to defend the nation as the corrupt regime spreads fear"
BODY = (
    "The corrupt regime spread lies and fear. Patriots must stand up for our flag and our "
    "great nation, the senator said.\n\n"
    "Critics called the plan a disgraceful sham that will destroy everything we love. "
    "The council approved the budget on Monday."
)


@pytest.fixture(scope="module")
def shipped():
    return load_model()


def test_the_shipped_model_has_the_framing_heads(shipped):
    assert {"clickbait", "loaded", "technique", "frame"} <= set(shipped.heads)
    assert shipped["technique"].labels == recipes.technique_labels()
    assert shipped["technique"].unit == "sentence"
    assert shipped["frame"].labels == list(FRAMES) and shipped["frame"].unit == "article"


def test_their_figures_and_the_reliability_record_are_in_the_manifest(shipped):
    metrics = shipped.manifest["metrics"]
    for key in ("technique/ptc_dev", "frame/semeval2023_cv"):
        assert metrics[key]["ours"]["n"] > 0 and "per_label" in metrics[key]["ours"]
    rel = label_reliability(shipped)
    assert all(r.reliable is not None for r in rel.values())  # every technique measured
    per = metrics["technique/ptc_dev"]["ours"]["per_label"]
    for label, r in rel.items():
        assert r.precision == pytest.approx(per[label]["precision"], abs=1e-4)
        assert r.support == per[label]["n_pos"]
        if r.reliable:
            assert r.precision >= MIN_PRECISION


def test_explain_json_holds_techniques_and_frames(shipped):
    res = explain(HEADLINE, BODY, model=shipped)
    d = json.loads(json.dumps(res.to_dict()))
    assert d["techniques"] is not None and d["technique_mode"] == "reliable"
    assert d["frames"] is not None
    assert {f["label"] for f in d["frames"]["frames"]} == set(FRAMES)
    low = set(d["low_confidence_techniques"])
    for s in d["sentences"]:
        assert s["techniques"] is not None
        assert not low & {t["label"] for t in s["techniques"]}
        for t in s["techniques"]:
            for term in t["terms"]:
                for start, end in term["spans"]:  # [start, end] pairs in label JSON
                    assert BODY[start:end].strip()
    every = explain(HEADLINE, BODY, model=shipped, all_techniques=True).to_dict()
    shown = {t["label"]: t["low_confidence"] for s in every["sentences"] for t in s["techniques"]}
    assert {k for k, v in shown.items() if v} <= low


def test_the_card_states_the_framing_figures():
    from framing.core.model import default_model_dir

    card = (default_model_dir() / "MODEL_CARD.md").read_text()
    assert "## Persuasion techniques and frames" in card
    assert "### Each technique on PTC dev" in card and "What these figures are not" in card
