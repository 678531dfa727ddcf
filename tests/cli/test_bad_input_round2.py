"""`framing` on the bad input of issue 25's second round: every row comes out scored or with
its error, every JSON written is strict, and a bad model or manifest is one error line."""

import csv
import json

import pytest
from conftest import run_cli as run

from framing.core.model import save_model


def _refuse(name):
    raise ValueError(f"not strict JSON: {name}")


def strict_lines(path):
    return [json.loads(line, parse_constant=_refuse) for line in path.read_text().splitlines()]


def read_rows(path):
    if path.suffix == ".csv":
        return list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    if path.suffix == ".jsonl":
        return strict_lines(path)
    pq = pytest.importorskip("pyarrow.parquet")
    return pq.read_table(path).to_pylist()


BAD_LINES = (
    '{"headline": "Budget passes", "id": 1}\n'
    '{"headline": "bad \\ud800 x", "id": 2}\n'
    '{"headline": "deep", "id": 3, "v": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    '{"headline": "Court rules", "id": 4, "n": 1e400}\n'
)


@pytest.mark.parametrize("ext", ["csv", "jsonl", "parquet"])
def test_a_lone_surrogate_and_deep_nesting_are_row_errors(tmp_path, model_dir, capsys, ext):
    src, out = tmp_path / "in.jsonl", tmp_path / f"out.{ext}"
    src.write_text(BAD_LINES)
    assert run(model_dir, "score", src, "-o", out) == 0
    rows = read_rows(out)
    assert len(rows) == 4
    errors = [r["error"] or None for r in rows]
    assert errors[0] is None and errors[3] is None
    assert "lone surrogate '\\ud800'" in errors[1] and rows[1]["headline"] == "bad \ufffd x"
    assert errors[2].startswith("JSON line nested more than 200 levels deep")
    assert "2 with errors" in capsys.readouterr().err


def test_non_finite_input_numbers_are_written_as_their_text(tmp_path, model_dir):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"headline": "Budget passes", "n": 1e400, "m": NaN}\n')
    assert run(model_dir, "score", src, "-o", out, "-q") == 0
    (row,) = strict_lines(out)
    assert row["n"] == "1e400" and row["m"] == "NaN" and row["error"] is None


def test_info_json_is_strict_with_a_nan_metric(tmp_path, tiny_model, capsys):
    save_model(tiny_model, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["metrics"] = {"clickbait/x": {"ours": {"accuracy": float("nan")}}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))  # a bare NaN, by hand
    assert run(str(tmp_path), "info", "--json") == 0
    shown = json.loads(capsys.readouterr().out, parse_constant=_refuse)
    assert shown["manifest"]["metrics"]["clickbait/x"]["ours"]["accuracy"] == "NaN"


def test_an_unclosed_quote_is_an_error_row_a_warning_and_strict_fails(tmp_path, model_dir, capsys):
    lines = [f"{i},Headline number {i} about the budget" for i in range(1, 2001)]
    lines[2] = '3,"never closed'  # line 4 of the file (the header is line 1)
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("id,headline\n" + "\n".join(lines) + "\n")
    assert run(model_dir, "score", src, "-o", out, "-q") == 0
    rows = read_rows(out)
    assert [r["headline"] for r in rows[:2]] == [lines[0][2:], lines[1][2:]]
    assert len(rows) == 3 and rows[2]["headline"] == "" and rows[2]["clickbait_probability"] == ""
    assert rows[2]["error"].startswith("unclosed quote: a quoted field opened on line 4 runs")
    assert "(line 2,001," in rows[2]["error"]
    err = capsys.readouterr().err
    assert err.startswith("framing: warning: unclosed quote: a quoted field opened on line 4")
    assert run(model_dir, "score", src, "-o", out, "-q", "--strict") == 1
    src.write_text("id,headline\n" + "\n".join(lines[:2]) + "\n")
    assert run(model_dir, "score", src, "-o", out, "-q", "--strict") == 0


def _saved(folder, heads, **manifest):
    from framing.core.model import Model

    save_model(Model(heads, manifest), folder)
    return str(folder)


def _renamed(head, name):
    import copy

    head = copy.copy(head)
    head.name = name
    return head


def _one_error_line(capsys, *needles):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("framing: error: "), err
    assert "unexpected" not in err
    for needle in needles:
        assert needle in err, err


def test_a_model_whose_head_names_collide_is_refused(tmp_path, tiny_model, capsys):
    """A hand-made model with a head named body_loaded (its columns are loaded's on the body):
    load_model applies `framing train`'s name rule."""
    heads = dict(tiny_model.heads, body_loaded=_renamed(tiny_model["clickbait"], "body_loaded"))
    model = _saved(tmp_path / "m", heads)
    src = tmp_path / "in.csv"
    src.write_text("headline,body\nBudget passes,Text here.\n")
    assert run(model, "score", src, "-o", tmp_path / "out.csv") == 2
    _one_error_line(capsys, "names starting with body_ or ending in _outlet")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("command", [["explain", "Budget passes"], ["info"]])
def test_a_hand_edited_manifest_is_one_error_line(tmp_path, tiny_model, capsys, command):
    model = _saved(tmp_path / "m", tiny_model.heads, heads_info={"technique": "x"})
    assert run(model, *command) == 2
    _one_error_line(capsys, "is not a valid manifest: heads_info['technique'] is a string")


def test_a_model_whose_scores_would_overflow_is_refused(tmp_path, tiny_model, capsys):
    import copy

    huge = copy.copy(tiny_model["clickbait"])
    huge.coef = huge.coef.astype("float64") * 1e300
    model = _saved(tmp_path / "m", dict(tiny_model.heads, clickbait=huge))
    assert run(model, "explain", "Budget passes", "--json") == 2
    _one_error_line(capsys, "over the bound of 1e+09")


def test_an_os_error_always_names_a_file():
    from argparse import Namespace

    from framing.cli.common import os_error_message

    assert os_error_message(OSError(2, "No such file", "a.csv")) == "No such file: a.csv"
    args = Namespace(input="in.csv", output="-", body_file=None)
    message = os_error_message(OSError(5, "Input/output error"), args)
    assert message == "Input/output error (reading or writing in.csv, stdout)"


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_full_disk_is_an_error_naming_the_output_never_a_silent_loss(
    tmp_path, model_dir, capsys, monkeypatch, fmt
):
    import io
    import sys

    src = tmp_path / "in.csv"
    src.write_text("headline\nBudget passes\n")
    full = open("/dev/full", "wb")  # noqa: SIM115 (stdout for the run)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(full))
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    assert run(model_dir, "score", src, "--output-format", fmt, "-q") == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error: No space left on device") and "stdout" in err, err
    assert run(model_dir, "score", src, "-o", "/dev/full", "--output-format", fmt, "-q") == 2
    assert "/dev/full" in capsys.readouterr().err
