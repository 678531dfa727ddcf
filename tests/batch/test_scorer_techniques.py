"""``framing score --techniques``: only reliable techniques unless ``all_techniques``, which
adds the column naming the low-confidence ones."""

from __future__ import annotations

import json

import pytest
from conftest import TECHNIQUE_ARTICLE

from framing.batch import ScoreOptions, Scorer, output_columns
from framing.errors import InputError


def test_score_counts_reliable_techniques_unless_asked(measured):
    rows = (["Stand up for our flag"], [TECHNIQUE_ARTICLE], [None])
    default = Scorer(measured, ScoreOptions(body_col="body", techniques=True)).score_texts(*rows)
    assert "fear" in json.loads(default["techniques"][0])
    assert "flag" not in json.loads(default["techniques"][0])
    assert "techniques_low_confidence" not in default
    opts = ScoreOptions(body_col="body", techniques=True, all_techniques=True)
    every = Scorer(measured, opts).score_texts(*rows)
    assert json.loads(every["techniques"][0])["flag"] >= 1
    assert json.loads(every["techniques_low_confidence"][0]) == ["flag"]


def test_all_techniques_adds_one_column_and_needs_techniques(measured):
    cols = output_columns(measured, None, "body", 3, techniques=True)
    every = output_columns(measured, None, "body", 3, techniques=True, all_techniques=True)
    assert every == [*cols[:-2], "techniques_low_confidence", "warnings", "error"]
    with pytest.raises(InputError, match="all_techniques goes with techniques"):
        ScoreOptions(body_col="body", all_techniques=True)
