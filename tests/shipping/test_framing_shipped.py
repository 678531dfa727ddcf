"""Issue 14: the shipped model has the frame and technique heads, and every surface shows them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from framing import explain, load_model
from framing.explanation.reliability import label_reliability

RESOURCES = Path(__file__).resolve().parents[2] / "src" / "framing" / "resources"

ARTICLE = (
    "Ministers announce new border security plan",
    "The government said on Monday that it would spend more on border patrols. "
    "Critics called the plan a shameless attack on the rights of refugees. "
    "The minister said the measures would protect jobs and the economy.",
)


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_the_shipped_model_has_the_four_heads(model):
    assert {"clickbait", "loaded", "technique", "frame"} <= set(model.heads)
    assert len(model.heads["technique"].labels) == 13
    assert len(model.heads["frame"].labels) == 14
    assert model.heads["technique"].unit == "sentence"
    assert model.heads["frame"].unit == "article"


def test_the_artifact_stays_small():
    size = (RESOURCES / "model.npz").stat().st_size
    assert size <= 8 * 1024 * 1024, f"model.npz is {size / 1e6:.1f} MB (goal: 8 MB)"


def test_technique_reliability_is_measured_and_follows_the_rule(model):
    rel = label_reliability(model, "technique").values()
    measured = [r for r in rel if r.reliable is not None]
    assert len(measured) == 13
    for r in measured:
        expected = r.precision >= 0.5 and r.detected >= 10
        assert r.reliable == expected, r
    card = (RESOURCES / "MODEL_CARD.md").read_text(encoding="utf-8")
    for r in measured:
        assert r.label in card


def test_explain_json_holds_frames_and_techniques(model):
    out = explain(ARTICLE[0], body=ARTICLE[1], model=model).to_dict()
    json.dumps(out)  # plain JSON
    assert out["frames"] is not None
    assert len(out["frames"]["frames"]) == 14
    assert out["technique_mode"] == "reliable"
    for s in out["sentences"]:
        assert isinstance(s["techniques"], list)
        for t in s["techniques"]:
            assert t["label"] not in out["low_confidence_techniques"]
    everything = explain(ARTICLE[0], body=ARTICLE[1], model=model, all_techniques=True).to_dict()
    labels = {t["label"] for s in everything["sentences"] for t in s["techniques"]}
    assert len(labels) >= len({t["label"] for s in out["sentences"] for t in s["techniques"]})


def test_framing_score_adds_frames_and_techniques(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("headline,body\n" + f'"{ARTICLE[0]}","{ARTICLE[1]}"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    cmd = [sys.executable, "-m", "framing", "score", str(src), "-o", str(out)]
    subprocess.run([*cmd, "--frames", "--techniques"], check=True, capture_output=True)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 1
    assert rows[0]["frame_top"]
    assert isinstance(json.loads(rows[0]["frames"]), dict)
    assert isinstance(json.loads(rows[0]["techniques"]), dict)


def test_framing_info_shows_a_figure_for_every_protocol(model, capsys):
    from framing.cli import main

    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for name in model.manifest["metrics"]:
        line = next(x for x in out.splitlines() if x.strip().startswith(f"{name}:"))
        assert "(plain" in line or "macro_f1" in line, line
