"""Every `framing` command and format, stdin/stdout, exit codes, nothing lost, workers, kills."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli as run

from framing.cli import main


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("framing: error:"), err
    return err[0]


HEADLINES = [
    "You won't believe this weird trick",
    '=HYPERLINK("http://x")',
    "Parliament passes budget",
    "The despot shamelessly denied the chilling reports",
]


def write_csv(path, rows, header=("id", "headline")):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_score_csv_to_csv_keeps_columns_and_adds_scores(tmp_path, model_dir, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(src, [(i, h) for i, h in enumerate(HEADLINES)])
    assert run(model_dir, "score", src, "-o", out, "--top-k", "2") == 0
    rows = read_csv(out.read_text())
    assert [r["id"] for r in rows] == ["0", "1", "2", "3"]
    assert rows[1]["headline"].startswith("'=HYPERLINK")  # formula neutralised
    for r in rows:
        terms = json.loads(r["clickbait_terms"])
        assert len(terms) <= 2 and r["error"] == ""
        for t in terms:
            assert {"term", "contribution", "spans"} <= set(t)
        assert 0 <= float(r["clickbait_probability"]) <= 1
        assert r["clickbait_label"] in ("0", "1") and float(r["overall_score"]) >= 0
    head = HEADLINES[0]
    t = json.loads(rows[0]["clickbait_terms"])[0]
    assert head[t["spans"][0][0] : t["spans"][0][1]].lower().replace("’", "'") == t["term"]
    assert "4 rows read, 4 scored, 0 with errors" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "parquet", "txt"])
def test_each_input_and_output_format(tmp_path, model_dir, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    src = tmp_path / f"in.{fmt}"
    if fmt == "tsv":
        src.write_text("headline\tid\n" + "".join(f"{h}\t{i}\n" for i, h in enumerate(HEADLINES)))
    elif fmt == "jsonl":
        src.write_text(
            "".join(json.dumps({"title": h, "id": i}) + "\n" for i, h in enumerate(HEADLINES))
        )
    elif fmt == "txt":
        src.write_text("\n".join(HEADLINES) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"headline": HEADLINES, "id": list(range(4))}), src)
    out = tmp_path / f"out.{'jsonl' if fmt != 'jsonl' else 'parquet'}"
    if fmt == "jsonl":
        pytest.importorskip("pyarrow")
    assert run(model_dir, "score", src, "-o", out, "-q") == 0
    if out.suffix == ".jsonl":
        rows = [json.loads(x) for x in out.read_text().splitlines()]
        assert isinstance(rows[0]["clickbait_terms"], list)
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 4 and all(r["error"] in (None, "") for r in rows)
    assert all(0 <= r["clickbait_probability"] <= 1 for r in rows)


def test_stdin_to_stdout(model_dir, monkeypatch, capsys):
    data = b"headline,id\nYou won't believe it,1\n,2\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run(model_dir, "score", "-", "--format", "csv") == 0
    captured = capsys.readouterr()
    rows = read_csv(captured.out)
    assert [r["id"] for r in rows] == ["1", "2"] and rows[1]["error"].startswith("empty text")
    assert "1 with errors" in captured.err


def test_body_column_and_both(tmp_path, model_dir):
    src, out = tmp_path / "a.jsonl", tmp_path / "o.jsonl"
    src.write_text(
        json.dumps(
            {"headline": "Shock as regime falls", "body": "The despot fled. Crowds cheered."}
        )
        + "\n"
        + json.dumps({"headline": "", "body": "The committee met."})
        + "\n"
    )
    assert run(model_dir, "score", src, "-o", out, "-q") == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rows[0]["body_loaded_probability"] is not None
    assert rows[1]["clickbait_probability"] is None and rows[1]["body_loaded_probability"]
    t = rows[0]["body_loaded_terms"][0]
    s, e = t["spans"][0]
    assert "The despot fled. Crowds cheered."[s:e].lower() == t["term"]


def test_nothing_lost_with_mixed_bad_rows(tmp_path, model_dir, capsys):
    src, out = tmp_path / "mixed.jsonl", tmp_path / "o.csv"
    lines = [
        b'{"headline": "good one"}',
        b"{broken json",
        b'{"headline": ""}',
        b'{"headline": "bad \xff bytes"}',
        b'"just a string"',
        b'{"headline": "' + b"x" * 50 + b'"}',
        b'{"headline": ["not", "text"]}',
        b'{"headline": "another good one"}',
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    assert run(model_dir, "score", src, "-o", out, "--max-chars", "40", "--chunk-size", "3") == 0
    rows = read_csv(out.read_text())
    assert len(rows) == len(lines)
    errors = [r["error"] for r in rows]
    assert errors[0] == "" and errors[-1] == ""
    assert errors[1].startswith("malformed JSON")
    assert errors[2].startswith("empty text")
    assert "undecodable" in errors[3]
    assert "not an object" in errors[4]
    assert "too long" in errors[5]
    assert "not text" in errors[6]
    assert "8 rows read, 2 scored, 6 with errors" in capsys.readouterr().err


def test_workers_give_identical_output(tmp_path, model_dir):
    src = tmp_path / "many.txt"
    src.write_text("\n".join(f"{HEADLINES[i % 4]} {i}" if i % 7 else "" for i in range(300)) + "\n")
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}.csv"
        assert (
            run(
                model_dir, "score", src, "-o", out, "--workers", workers, "--chunk-size", "17", "-q"
            )
            == 0
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") == 301


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["score", "{tmp}/missing.csv"], "no such file"),
        (["score", "{tmp}/cols.csv"], "columns are: 'a', 'b'"),
        (["score", "{tmp}/cols.csv", "--headline-col", "zz"], "no column 'zz'"),
        (
            ["score", "{tmp}/cols.csv", "-o", "{tmp}/nodir/out.csv", "--headline-col", "a"],
            "does not exist",
        ),
        (["score", "{tmp}/cols.data"], "--format"),
        (
            ["score", "{tmp}/cols.csv", "-o", "{tmp}/out.xyz", "--headline-col", "a"],
            "--output-format",
        ),
        (["score", "{tmp}/empty.csv"], "empty"),
        (["score", "{tmp}/cols.csv", "--workers", "0"], "--workers"),
        (["explain", "  "], "nothing to explain"),
        (["evaluate", "--data", "{tmp}/cols.csv", "--head", "clickbait"], "no column 'text'"),
        (["evaluate", "--data", "{tmp}/lab.csv", "--head", "nope"], "no head 'nope'"),
        (["evaluate", "--data", "{tmp}/badlab.csv", "--head", "clickbait"], "not a number"),
        (["train", "--out", "{tmp}/m", "--user-data", "{tmp}/lab.csv"], "--head"),
        (
            [
                "train",
                "--out",
                "{tmp}/m",
                "--user-data",
                "{tmp}/lab.csv",
                "--head",
                "h",
                "--name-penalty",
                "0",
            ],
            "(0, 1]",
        ),
        (["train", "--out", "{tmp}/m", "--name-penalty", "0.3"], "--user-data heads only"),
    ],
)
def test_fatal_errors_are_one_line_and_exit_2(tmp_path, model_dir, capsys, args, needle):
    (tmp_path / "cols.csv").write_text("a,b\n1,2\n")
    (tmp_path / "cols.data").write_text("a,b\n1,2\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "lab.csv").write_text("text,label\nhello,1\n")
    (tmp_path / "badlab.csv").write_text("text,label\nhello,yes\n")
    argv = [a.format(tmp=tmp_path) for a in args]
    assert run(model_dir, *argv) == 2
    assert needle in one_error_line(capsys)


def test_bad_model_is_a_clear_error(tmp_path, capsys):
    assert main(["--model", str(tmp_path / "nope"), "info"]) == 2
    assert "no model artifact" in one_error_line(capsys)


def test_explain_text_and_json(model_dir, capsys):
    assert run(model_dir, "explain", "You won't believe this weird trick", "--color", "always") == 0
    out = capsys.readouterr().out
    assert "clickbait\033[0m: probability" in out and "pushing up" in out and "\033[31m" in out
    assert run(model_dir, "explain", "You won't believe it", "--color", "never") == 0
    assert "\033[" not in capsys.readouterr().out
    assert (
        run(
            model_dir,
            "explain",
            "The despot fled",
            "--body",
            "The regime crushed dissent.",
            "--json",
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["clickbait"]["probability"] > 0
    assert data.get("article") or data.get("body_loaded")


def test_info_plain_and_json(model_dir, capsys):
    assert run(model_dir, "info") == 0
    out = capsys.readouterr().out
    assert "clickbait: unit headline" in out
    assert run(model_dir, "info", "--json") == 0
    assert json.loads(capsys.readouterr().out)["manifest"]["note"] == "tiny test model"


def test_evaluate_on_a_labelled_file(tmp_path, model_dir, capsys):
    from conftest import CLICKBAIT, NEWS

    src = tmp_path / "lab.csv"
    write_csv(src, [(t, 1) for t in CLICKBAIT] + [(t, 0) for t in NEWS], header=("text", "label"))
    assert run(model_dir, "evaluate", "--data", src, "--head", "clickbait", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metrics"]["n"] == 16 and 0 <= data["metrics"]["roc_auc"] <= 1
    assert sum(r["n"] for r in data["reliability"]) == 16
    assert run(model_dir, "evaluate", "--data", src, "--head", "clickbait") == 0
    assert "roc_auc" in capsys.readouterr().out


def test_train_a_user_head(tmp_path, model_dir, capsys):
    from conftest import LOADED, NEUTRAL

    src = tmp_path / "mine.csv"
    rows = [(f"{t} {i}", 1) for i in range(3) for t in LOADED] + [
        (f"{t} {i}", 0) for i in range(3) for t in NEUTRAL
    ]
    write_csv(src, rows, header=("text", "label"))
    out = tmp_path / "m2"
    code = run(
        model_dir, "train", "--out", out, "--user-data", src, "--head", "slant", "--jobs", "1"
    )
    assert code == 0, capsys.readouterr().err
    from framing.core.model import load_model

    model = load_model(out)
    assert "slant" in model.heads
    assert model.manifest["recipes"]["slant"]["name_penalty"] is None
    code = run(
        model_dir, "train", "--out", out, "--user-data", src, "--head", "slant2", "--jobs", "1",
        "--name-penalty", "0.3", "--force",  # --out already holds the first model
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert load_model(out).manifest["recipes"]["slant2"]["name_penalty"] == 0.3


def _wait_for_tmp(folder, proc, timeout=60.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if any(p.name.endswith(".tmp") for p in folder.iterdir()) or proc.poll() is not None:
            return
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_never_leaves_a_partial_output(tmp_path, model_dir, sig, workers):
    src = tmp_path / "big.txt"
    src.write_text(("You won't believe this weird trick number 7\n" * 50_000) * 4)
    out = tmp_path / "out" / "scored.csv"
    out.parent.mkdir()
    if sig == signal.SIGTERM:
        out.write_text("old result\n")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "framing", "--model", model_dir, "score", str(src)]
    proc = subprocess.Popen(
        cmd + ["-o", str(out), "--workers", str(workers)], stderr=subprocess.PIPE, env=env
    )
    _wait_for_tmp(out.parent, proc)
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    children = _children(proc.pid)
    assert len(children) >= (workers if workers > 1 else 0)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(map(_running, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, children)), "worker processes outlived the run"
    if sig == signal.SIGKILL:
        assert not out.exists()
    else:
        assert proc.returncode == 130
        assert out.read_text() == "old result\n"
        assert [p.name for p in out.parent.iterdir()] == ["scored.csv"]  # temp file removed
        assert b"was not written" in proc.stderr.read()


LONG_SENTENCE = (
    "The sham trial of the opposition leader, which critics across the region called a "
    "shameful farce staged by the despot's radical allies, ended on Tuesday afternoon."
)


def test_explain_with_a_body_lists_the_most_loaded_sentences(model_dir, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    body = " ".join([LONG_SENTENCE, "The committee met.", "Officials said it was ready.", "Ok."])
    assert run(model_dir, "explain", "A headline", "--body", body, "--color", "never") == 0
    out = capsys.readouterr().out
    listing = out.split("most loaded sentences (3 of 4; --sentences N shows more):\n")[1]
    assert listing.startswith("  1. ") and "\n  2. " in listing and "\n  3. " in listing
    assert "\n  4. " not in listing and "words: " in listing
    # the long sentence is wrapped, never cut: all its words are there, no line is too long
    assert " ".join(LONG_SENTENCE.split()) in " ".join(out.split())
    assert max(map(len, out.splitlines())) <= 80
    assert out.count("log-odds") == 1  # "logit" explained once
    assert run(model_dir, "explain", "A headline", "--body", body, "--sentences", "1") == 0
    out = capsys.readouterr().out
    assert "most loaded sentences (1 of 4" in out and "\n  2. " not in out
    assert run(model_dir, "explain", "A headline", "--body", body, "--sentences", "9") == 0
    assert "most loaded sentences (4 of 4):" in capsys.readouterr().out


def test_explain_of_a_headline_alone_lists_no_sentences(model_dir, capsys):
    assert run(model_dir, "explain", "Government announces new budget for rural schools") == 0
    assert "most loaded sentences" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", [[], ["score"], ["explain"], ["suggest"], ["info"], ["train"], ["evaluate"]]
)
def test_help_texts_are_written_for_users(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = capsys.readouterr().out
    for markup in ("``", ":func:", ":class:", ":mod:", "to_dict", "thin layer"):
        assert markup not in out
