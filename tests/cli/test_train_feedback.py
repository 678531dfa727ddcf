"""`framing train --feedback FILE`: readers' marks folded into a head, on a small synthetic
dataset (a user's labelled file), and the same option of training/train.py."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from framing.core.model import load_model
from framing.training.feedback import load_marks, marks_fingerprint, word_contribution

LOADED = [
    "The despot shamelessly denied the chilling reports",
    "The radical mob stormed the embassy",
    "A disastrous, corrupt regime crushed dissent",
    "The sham trial was a shameful farce",
    "Spineless officials caved to the thuggish gang",
]
NEUTRAL = [
    "The minister said the report would be published on Monday",
    "The committee met to discuss the proposal",
    "Officials released the figures for the third quarter",
    "The council approved the plan by a vote of six to three",
    "The museum opens a new gallery in the spring",
]
PLACES = ["in the north", "on Tuesday", "last year", "in the capital", "this week", "again"]


@pytest.fixture
def synthetic(tmp_path, monkeypatch):
    """A labelled file of 60 rows and 10 word marks (5 per answer, distinct times)."""
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "labels.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        for p in PLACES:
            w.writerows([(f"{t} {p}", 1) for t in LOADED] + [(f"{t} {p}", 0) for t in NEUTRAL])
    marks = []
    words = [("barmy", "loaded"), ("daft", "loaded"), ("naff", "loaded"), ("potty", "loaded"),
             ("dodgy", "loaded"), ("regime", "neutral"), ("radical", "neutral"),
             ("farce", "neutral"), ("mob", "neutral"), ("corrupt", "neutral")]  # fmt: skip
    for i, (word, answer) in enumerate(words):
        text = f"Critics said the {word} plan was discussed at length"
        s = text.index(word)
        marks.append({"text": text, "unit": "sentence", "head": "loaded", "start": s,
                      "end": s + len(word), "answer": answer,
                      "created_at": f"2026-12-0{1 + i % 9}T0{i % 10}:00:00+00:00",
                      "id": i + 1})  # fmt: skip
    marks.append({"text": "Ads for the clinic", "unit": "headline", "head": "clickbait",
                  "answer": "0", "created_at": "2026-12-09T00:00:00+00:00"})  # fmt: skip
    path = tmp_path / "marks.jsonl"
    path.write_text("\n".join(json.dumps(m) for m in marks) + "\n", encoding="utf-8")
    return data, path


def _train(model_dir, out, data, marks, *extra):
    return run_cli(
        model_dir, "train", "--out", out, "--user-data", data, "--head", "loaded",
        "--feedback", marks, "--jobs", "1", *extra,
    )  # fmt: skip


def test_train_feedback_file(tmp_path, model_dir, synthetic, capsys):
    data, marks_path = synthetic
    out = tmp_path / "with-marks"
    assert _train(model_dir, out, data, marks_path) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "computing the training design" in err
    model = load_model(out)
    info = model.manifest["feedback"]
    marks = [m for m in load_marks(str(marks_path)) if m.head == "loaded"]
    assert info["fingerprint"] == marks_fingerprint(marks)
    assert (info["n_marks"], info["n_heldout"], info["ignored"]) == (10, 2, 1)
    assert set(model.heads) == set(load_model(model_dir).heads)
    card = (out / "MODEL_CARD.md").read_text()
    assert f"## Trained with 10 corrections from {marks_path} at " in card
    assert "| word | 2 |" in card
    # the marked words moved the marked way in a text the marks never held
    before, after = load_model(model_dir).heads["loaded"], model.heads["loaded"]
    for m in marks:
        word = m.text[m.start : m.end]
        other = f"Nobody expected the {word} result this morning"
        s = other.index(word)
        c0 = word_contribution(before, other, s, s + len(word))
        c1 = word_contribution(after, other, s, s + len(word))
        assert (c1 > c0) if m.answer == "loaded" else (c1 < c0), (word, c0, c1)
    # a second run reads the design from the cache
    out2 = tmp_path / "again"
    assert _train(model_dir, out2, data, marks_path, "--feedback-word-weight", "5") == 0
    assert "read from the cache" in capsys.readouterr().err
    assert load_model(out2).manifest["feedback"]["word_weight"] == 5.0


def test_train_feedback_errors(tmp_path, model_dir, synthetic, capsys):
    data, marks_path = synthetic
    out = tmp_path / "m"
    assert _train(model_dir, out, data, tmp_path / "none.jsonl") == 2
    assert "no such marks file" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "abc", "start": 1, "end": 9, "answer": "loaded"}) + "\n")
    assert _train(model_dir, out, data, bad) == 2
    assert "are not marks: line 1:" in capsys.readouterr().err
    assert _train(model_dir, out, data, marks_path, "--feedback-word-weight", "0") == 2
    assert "positive number" in capsys.readouterr().err
    other = tmp_path / "other.jsonl"
    other.write_text(
        json.dumps({"text": "x", "unit": "headline", "head": "clickbait", "answer": "1"}) + "\n"
    )
    assert _train(model_dir, out, data, other) == 2
    assert "no marks about the 'loaded' head" in capsys.readouterr().err


def test_training_script_takes_feedback(tmp_path, model_dir, synthetic):
    data, marks_path = synthetic
    out = tmp_path / "script"
    cmd = [sys.executable, str(REPO / "training" / "train.py"), "--out", str(out),
           "--user-data", str(data), "--head", "loaded", "--feedback", str(marks_path),
           "--base-model", model_dir, "--jobs", "1", "--feedback-holdout", "0"]  # fmt: skip
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    info = load_model(out).manifest["feedback"]
    assert info["n_heldout"] == 0 and info["holdout_share"] == 0.0
    assert "No marks held out" in Path(out / "MODEL_CARD.md").read_text()


def test_train_feedback_from_a_store(tmp_path, model_dir, synthetic, capsys):
    """The marks read from a feedback database (SQLite by path and by URL) give the same
    fingerprint as the file they were imported from."""
    from framing.feedback import open_store, read_marks

    data, marks_path = synthetic
    db = tmp_path / "marks.db"
    with open_store(str(db)) as store:
        store.add_many(read_marks(marks_path))
    for i, source in enumerate((str(db), f"sqlite:///{db}")):
        out = tmp_path / f"from-db-{i}"
        assert _train(model_dir, out, data, source) == 0, capsys.readouterr().err
        info = load_model(out).manifest["feedback"]
        expected = [m for m in load_marks(str(marks_path)) if m.head == "loaded"]
        assert info["fingerprint"] == marks_fingerprint(expected)
        assert info["source"] == source
