"""Golden files: ``framing score`` and ``explain()`` of 300 rows we wrote, byte for byte.

Refactors and speed work must keep these outputs identical. A change that is meant to change
them (a retrained model, a new column) regenerates them with
``python tests/golden/regenerate.py`` and says so in its commit.
"""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("golden_regenerate", GOLDEN / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_framing_score_output_is_unchanged(tmp_path, fmt):
    regenerate = _regenerate_module()
    produced = regenerate.score_bytes(tmp_path / f"out.{fmt}", fmt)
    expected = (GOLDEN / f"score.{fmt}").read_bytes()
    assert produced.count(b"\n") == expected.count(b"\n")
    assert produced == expected, f"framing score output changed ({fmt})"


def test_explain_output_is_unchanged():
    regenerate = _regenerate_module()
    produced = regenerate.explain_lines()
    expected = gzip.decompress((GOLDEN / "explain.jsonl.gz").read_bytes()).decode("utf-8")
    produced_lines, expected_lines = produced.splitlines(), expected.splitlines()
    assert len(produced_lines) == len(expected_lines) == 60
    for i, (a, b) in enumerate(zip(produced_lines, expected_lines, strict=True)):
        assert a == b, f"explain() output of golden item {i} changed"


def test_golden_input_has_every_kind_of_row():
    import csv

    with open(GOLDEN / "input.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    assert any(not r["headline"] and r["body"] for r in rows)
    assert any(r["headline"] and not r["body"] for r in rows)
    assert any(not r["headline"] and not r["body"] for r in rows)
