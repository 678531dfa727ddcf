"""`framing score` loses nothing silently: JSONL keys, Parquet chunks, over-long rows."""

import csv
import io
import json
import sys

import pytest
from conftest import run_cli as run

LINES = [
    {"headline": "You won't believe this weird trick", "id": 1},
    {"headline": "Parliament passes budget", "id": 2},
    {"headline": "Court rules on appeal", "id": "three", "new": "kept?", "error": "x"},
]
JSONL = "".join(json.dumps(x) + "\n" for x in LINES)


class Stream(io.BytesIO):
    """A pipe: cannot be read twice."""

    def seekable(self):
        return False


def test_a_jsonl_file_keeps_every_key_whatever_the_chunks(tmp_path, model_dir, capsys):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.csv"
    src.write_text(JSONL.replace(', "error": "x"', ""))
    assert run(model_dir, "score", src, "-o", out, "--chunk-size", 1, "-q") == 0
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["new"] for r in rows] == ["", "", "kept?"]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_keys_dropped_from_a_stream_are_reported_even_with_q(
    tmp_path, model_dir, capsys, monkeypatch, fmt
):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Stream(JSONL.encode())))
    out = tmp_path / f"out.{fmt}"
    args = ["score", "-", "--format", "jsonl", "-o", out, "--chunk-size", 1, "-q"]
    assert run(model_dir, *args) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "dropped" in err and "'error'" in err
    assert ("'new'" in err) == (fmt == "csv")  # JSONL output keeps a late key
    assert len(out.read_text().splitlines()) == (fmt == "csv") + len(LINES)  # every row


def test_parquet_output_with_a_late_error_and_a_type_change(tmp_path, model_dir):
    pq = pytest.importorskip("pyarrow.parquet")
    src, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    lines = [{"headline": "Budget passes", "id": 1}, {"headline": "", "id": {"a": 1}}]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines) + "not json\n")
    assert run(model_dir, "score", src, "-o", out, "--chunk-size", 1, "-q") == 0
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == ["1", '{"a": 1}', ""]
    assert rows[0]["error"] is None and rows[1]["error"].startswith("empty text")
    assert rows[2]["error"].startswith("malformed JSON")


@pytest.mark.parametrize("fmt", ["txt", "csv", "jsonl"])
def test_a_row_over_ten_times_max_chars_is_a_row_error(tmp_path, model_dir, fmt):
    long = "word " * 40  # 200 characters: over 10 x --max-chars 10
    if fmt == "txt":
        text = f"short one\n{long}\nshort two\n"
    elif fmt == "csv":
        text = f'headline\nshort one\n"{long}\n{long}"\nshort two\n'
    else:
        text = "".join(json.dumps({"headline": h}) + "\n" for h in ("short one", long, "short two"))
    src, out = tmp_path / f"in.{fmt}", tmp_path / "out.csv"
    src.write_text(text)
    assert run(model_dir, "score", src, "-o", out, "--max-chars", 10, "-q") == 0
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["headline"] for r in rows] == ["short one", "", "short two"]
    assert rows[1]["error"].startswith("row too long")
    assert rows[0]["error"] == "" and rows[2]["error"] == ""


def test_explain_gives_no_verdict_on_text_judged_not_english(model_dir, capsys):
    assert run(model_dir, "explain", "Вы не поверите что случилось дальше") == 0
    out = capsys.readouterr().out
    assert "(not scored: language ru)" in out and "label yes" not in out and "label no" not in out
    assert "overall: not scored: language ru" in out
    assert run(model_dir, "explain", "You won't believe what the despot did next") == 0
    assert "not scored" not in capsys.readouterr().out
