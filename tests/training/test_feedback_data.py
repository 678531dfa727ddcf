"""Readers' marks folded into the loaded head trained on the public data (a sample of it):
the design is cached by its data, and the fixture's word marks move their words in the
fixture's held-out texts. Skips with the reason when ../shared/data is absent."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from framing.core.model import load_model
from framing.training import feedback
from framing.training.feedback_runs import (
    FeedbackOptions,
    corrections,
    loaded_design,
    refit,
    retrain_with_feedback,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feedback"


def test_fixture_marks_move_their_words_on_sampled_data(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path))
    lines = []
    cached, _ = loaded_design(data_dir, sample=60, log=lines.append)
    assert any("computing the training design" in line for line in lines)
    again, _ = loaded_design(data_dir, sample=60, log=lines.append)
    assert "read from the cache" in lines[-1] and again.platt == cached.platt
    assert (again.design.base.X != cached.design.base.X).nnz == 0
    np.testing.assert_array_equal(again.start.coef_, cached.start.coef_)

    marks = feedback.load_marks(str(FIXTURES / "word_marks.jsonl"))
    assert len(marks) == 100
    held = [json.loads(x) for x in (FIXTURES / "heldout_texts.jsonl").read_text().splitlines()]
    before = refit(cached, [], FeedbackOptions())
    after = refit(cached, marks, FeedbackOptions())
    moved = []
    for h in held:
        c0 = feedback.word_contribution(before, h["text"], h["start"], h["end"])
        c1 = feedback.word_contribution(after, h["text"], h["start"], h["end"])
        moved.append(c1 > c0 if h["answer"] == "loaded" else c1 < c0)
    assert np.mean(moved) >= 0.95, np.mean(moved)
    # no held-out text is a marked text
    assert not {h["text"] for h in held} & {m.text for m in marks}

    # five words the fixture marks neutral are loaded-terms entries: the marks correct the
    # list, and the model written (and read back) leaves them out and names them in its card
    fixed = {"dire", "invasion", "militant", "regime", "unprecedented"}
    assert set(corrections(cached, marks, FeedbackOptions())) == fixed
    assert not fixed & set(after.space.lexicons()["loaded_terms"])
    out = tmp_path / "model"
    retrain_with_feedback(
        marks, "word_marks.jsonl", out, cached=cached, evaluate=False, log=lambda *_: None
    )
    written = load_model(out)
    terms = written.heads["loaded"].space.lexicons()["loaded_terms"]
    assert not fixed & set(terms) and len(terms) > 200
    assert written.manifest["feedback"]["corrected_entries"]["invasion"] == [2, 0]
    assert "invasion (2 neutral, 0 loaded)" in (out / "MODEL_CARD.md").read_text()
