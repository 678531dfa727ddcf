"""One `framing: error:` line (exit 2) instead of a traceback, a quiet end on a closed pipe,
no raw control character from user text on the terminal, and the output file's edge cases."""

import copy
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO
from conftest import run_cli as run

from framing.cli import main
from framing.core.model import Model, save_model
from framing.tables.write import atomic_output

# what may reach a terminal: printable text, newlines ending lines, and spaces
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
NASTY = "Evil\x1b]0;pwned\x07\x1b[2J\r\nclickbait: probability 0.000 \x9b31m \u202e\u2028 \x00\x08"


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("framing: error:"), err
    assert not RAW_CONTROL.search(err[0])
    return err[0]


@pytest.fixture
def headlines(tmp_path):
    src = tmp_path / "h.csv"
    src.write_text("id,headline\n1,Budget passes\n2,You won't believe it\n")
    return src


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chunk-size", "0"], "--chunk-size must be at least 1"),
        (["--chunk-size", "-5"], "--chunk-size must be at least 1"),
        (["--chunk-chars", "0"], "--chunk-chars must be at least 1"),
        (["--max-chars", "-1"], "--max-chars must be at least 1"),
        (["--max-chars", "0"], "--max-chars must be at least 1"),
        (["--encoding", "bogus"], "unknown encoding"),
        (["--headline-col", NASTY], "no column"),
        (["--top-k", "-1"], "--top-k"),
        (["--workers", "0"], "--workers"),
    ],
)
def test_bad_score_options_are_one_line(model_dir, headlines, capsys, args, message):
    assert run(model_dir, "score", headlines, *args) == 2
    assert message in one_error_line(capsys)


@pytest.mark.parametrize(
    "manifest",
    ["[]", '{"artifact": []}', '{"artifact": {"sha256": 5}}', '"x"', "not json", "{}", "\xff"],
)
@pytest.mark.parametrize("command", [["info"], ["explain", "hello there"], ["score", "-"]])
def test_a_manifest_of_the_wrong_shape_is_one_line(tmp_path, tiny_model, capsys, manifest, command):
    save_model(tiny_model, tmp_path)
    (tmp_path / "manifest.json").write_bytes(manifest.encode("utf-8", "surrogateescape"))
    assert main(["--model", str(tmp_path), *command]) == 2
    assert "manifest" in one_error_line(capsys)


def test_info_reads_any_manifest_that_loads(tmp_path, tiny_model, capsys):
    """A manifest whose fields have the shapes framing reads loads, whatever their values;
    one of the wrong shape is refused at load with one line (issue 25: it crashed commands)."""
    save_model(Model(tiny_model.heads, {"libraries": {"numpy": 2}}), tmp_path)
    data = json.loads((tmp_path / "manifest.json").read_text())
    data["metrics"] = {"a/b": {"ours": {"accuracy": "high", "mse": None}}, "c": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(data))
    assert main(["--model", str(tmp_path), "info"]) == 0
    assert "accuracy 'high'" in capsys.readouterr().out
    for field, value in (("metrics", ["not", "a", "dict"]), ("libraries", "x"), ("c", 3)):
        bad = dict(data)
        if field == "c":
            bad["metrics"] = {**data["metrics"], "c": value}
        else:
            bad[field] = value
        (tmp_path / "manifest.json").write_text(json.dumps(bad))
        assert main(["--model", str(tmp_path), "info"]) == 2
        assert "is not a valid manifest" in one_error_line(capsys)


def test_memory_error_and_unexpected_errors_are_one_line(model_dir, headlines, capsys, monkeypatch):
    import framing.cli.score as score_command

    def boom(*_):
        raise MemoryError()

    monkeypatch.setattr(score_command, "load_cli_model", boom)
    assert run(model_dir, "score", headlines) == 2
    assert "out of memory" in one_error_line(capsys)

    def bug(*_):
        raise KeyError("oops")

    monkeypatch.setattr(score_command, "load_cli_model", bug)
    assert run(model_dir, "score", headlines) == 2
    line = one_error_line(capsys)
    assert "unexpected KeyError" in line and "FRAMING_TRACEBACK" in line


def test_a_closed_pipe_ends_quietly(model_dir, tmp_path):
    src = tmp_path / "many.txt"
    src.write_text("".join(f"You won't believe number {i}\n" for i in range(20_000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "framing", "--model", model_dir, "score", str(src)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert proc.stdout.readline().startswith(b"headline,")
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""


def test_explain_and_suggest_never_print_raw_control_characters(model_dir, capsys):
    for args in (
        ["explain", NASTY, "--body", NASTY + ". " + NASTY],
        ["explain", NASTY, "--json"],
        ["suggest", "The despot " + NASTY],
        ["suggest", "The despot " + NASTY, "--json"],
    ):
        assert run(model_dir, *args) == 0
        out = capsys.readouterr().out
        assert not RAW_CONTROL.search(out), args
        assert "\nclickbait: probability 0.000" not in out  # no faked result line
    run(model_dir, "explain", NASTY, "--json")
    assert json.loads(capsys.readouterr().out)["headline"] == NASTY  # the same JSON value


def test_info_and_summaries_escape_what_they_echo(tmp_path, tiny_model, capsys):
    heads = dict(tiny_model.heads)
    heads["clickbait"] = copy.copy(heads["clickbait"])  # the fixture's head stays as it is
    heads["clickbait"].description = NASTY
    save_model(Model(heads, {"metrics": {NASTY: {"ours": {"accuracy": 0.5}}}}), tmp_path / "m")
    for args in (["info"], ["info", "--json"]):
        assert main(["--model", str(tmp_path / "m"), *args]) == 0
        assert not RAW_CONTROL.search(capsys.readouterr().out)
    src = tmp_path / "in.csv"
    src.write_text(f'id,headline\n"{NASTY}",\n')
    out = tmp_path / "o.csv"
    assert main(["--model", str(tmp_path / "m"), "score", str(src), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert not RAW_CONTROL.search(err.replace("\n", "")) and "1 with errors" in err


def test_read_only_output_is_refused_not_replaced(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    target.chmod(0o444)
    with pytest.raises(Exception, match="read-only"), atomic_output(str(target)) as fh:
        fh.write("new")
    assert target.read_text() == "keep me"


def test_a_killed_run_leaves_a_named_temporary_the_next_run_removes(tmp_path):
    target = tmp_path / "out.csv"
    script = (
        "import os, sys\n"
        "from framing.tables.write import atomic_output\n"
        "with atomic_output(sys.argv[1]) as fh:\n"
        "    fh.write('partial'); fh.flush(); os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-c", script, str(target)], env=env)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and re.fullmatch(r"\.out\.csv\.framing-\d+-.*\.tmp", left[0])
    with atomic_output(str(target)) as fh:
        fh.write("done")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    with atomic_output(os.devnull) as fh:  # a device is written, not replaced
        fh.write("x")
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def _limited(megabytes: int):
    def limit():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    return limit


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("command", ["explain", "suggest"])
def test_an_endless_body_is_read_up_to_the_body_limit(model_dir, command):
    """Issue 25: `--body-file /dev/zero` reached 2.7 GB. A body is read up to the body limit
    of explain()'s guards and no further, with a warning; here under a 1.5 GB address-space
    limit (before: out of memory)."""
    args = ["explain", "Budget passes", "--body-file", "/dev/zero", "--json"]
    if command == "suggest":
        args = ["suggest", "-", "--kind", "body", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "framing", "--model", model_dir, *args],
        stdin=open("/dev/zero", "rb") if command == "suggest" else subprocess.DEVNULL,  # noqa: SIM115
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited(1500),
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert done.returncode == 0, done.stderr
    assert "holds more than 2,000,000 characters, the limit: only its first 2,000,000" in (
        done.stderr
    )
    json.loads(done.stdout)


def test_a_body_file_over_the_limit_is_cut_by_the_guards_rule(model_dir, tmp_path, capsys):
    from framing.explanation.guards import MAX_BODY_CHARS

    words = "Officials released figures. " * (MAX_BODY_CHARS // 28 + 100)
    (tmp_path / "body.txt").write_text(words)
    assert run(model_dir, "explain", "Budget passes", "--body-file", tmp_path / "body.txt") == 0
    err = capsys.readouterr().err
    cut = words.rfind(" ", MAX_BODY_CHARS - 1000, MAX_BODY_CHARS)
    assert (
        f"holds more than {MAX_BODY_CHARS:,} characters, the limit: only its first {cut:,}" in err
    )
