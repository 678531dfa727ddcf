"""``framing explain`` and ``framing score`` with ``--all-techniques``: the low-confidence
techniques are hidden by default (and said to be), shown and labelled on request."""

from __future__ import annotations

import json

from conftest import TECHNIQUE_ARTICLE

from framing.cli import main
from framing.core.model import save_model


def test_explain_marks_low_confidence_techniques(measured, tmp_path, capsys):
    save_model(measured, tmp_path / "m")
    argv = ["--model", str(tmp_path / "m"), "explain", "A headline", "--body", TECHNIQUE_ARTICLE]
    assert main([*argv, "--color", "never"]) == 0
    out = capsys.readouterr().out
    counted = out.split("techniques (sentences):")[1].splitlines()[0]
    assert "fear" in counted and "flag" not in counted
    assert "--all-techniques shows them" in out
    assert main([*argv, "--color", "never", "--all-techniques"]) == 0
    out = capsys.readouterr().out
    assert "flag (low confidence)" in out and "fear (low confidence)" not in out
    assert main([*argv, "--all-techniques", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["technique_mode"] == "all" and d["low_confidence_techniques"] == ["flag"]


def test_score_all_techniques(measured, tmp_path, capsys):
    save_model(measured, tmp_path / "m")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"headline": "A headline", "body": TECHNIQUE_ARTICLE}) + "\n")
    argv = ["--model", str(tmp_path / "m"), "score", str(src), "-q", "--techniques"]
    assert main(argv) == 0
    row = json.loads(capsys.readouterr().out)
    assert "flag" not in row["techniques"] and "techniques_low_confidence" not in row
    assert main([*argv, "--all-techniques"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert "flag" in row["techniques"] and row["techniques_low_confidence"] == ["flag"]
    assert main(argv[:-1] + ["--all-techniques"]) == 2
    assert "--all-techniques goes with --techniques" in capsys.readouterr().err
