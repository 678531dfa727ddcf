"""`framing score` on a terminal prints a readable table; files and pipes keep the formats."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from conftest import REPO

from framing.cli.main import main
from framing.cli.table import mark_words

EXAMPLES = REPO / "examples" / "headlines.txt"


def _run_on_a_terminal(args: list[str]) -> str:
    """Run ``python -m framing`` with stdout on a pseudo-terminal; what it printed there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "framing", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.read().decode()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_score_on_a_terminal_prints_a_table():
    out = _run_on_a_terminal(["score", str(EXAMPLES), "-q"])
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["#", "clickbait", "loaded", "overall"]
    assert len(lines) == 1 + len(EXAMPLES.read_text().splitlines())
    # the words behind a yes are marked, and only on rows with a yes
    rows = lines[1:]
    assert any("yes" in row for row in rows)
    for row in rows:
        assert ("[" in row) == ("yes" in row), row
    assert "[chilling]" in out
    assert "clickbait_terms" not in out and '""term""' not in out  # not CSV


def test_a_pipe_or_a_file_keeps_the_machine_format(tmp_path, capsys):
    assert main(["score", str(EXAMPLES), "-q"]) == 0  # stdout captured: not a terminal
    assert capsys.readouterr().out.startswith("headline,clickbait_probability")
    out = tmp_path / "out.csv"
    assert main(["score", str(EXAMPLES), "-o", str(out), "-q"]) == 0
    assert out.read_text().startswith("headline,")


def test_table_can_be_forced_and_escapes_control_characters(tmp_path, capsys):
    src = tmp_path / "odd.csv"
    src.write_text('id,headline\n1,"Plain \x1b]0;owned\x07 despot\rfake"\n2,\n', encoding="utf-8")
    code = main(["score", str(src), "--output-format", "table", "--id-col", "id", "-q"])
    assert code == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "\\x1b]0;owned\\x07" in out
    assert "error: empty text" in out  # an error row shows its reason
    assert len(out.splitlines()) == 3


def test_table_with_a_file_output_is_refused(tmp_path, capsys):
    code = main(["score", str(EXAMPLES), "-o", str(tmp_path / "x.csv"), "--output-format", "table"])
    assert code == 2
    assert "for reading on screen" in capsys.readouterr().err


def test_mark_words_marks_spans_and_keeps_the_rest():
    assert mark_words("a despot met", [(2, 8)], color=False) == "a [despot] met"
    assert mark_words("a\nb", [], color=False) == "a\\nb"


def test_table_says_a_row_is_not_scored_when_not_english(tmp_path, capsys):
    src = tmp_path / "two.csv"
    src.write_text(
        "headline\nLe gouvernement annonce un nouveau budget pour les écoles\n"
        "The despot shamelessly denied the chilling reports\n",
        encoding="utf-8",
    )
    assert main(["score", str(src), "--output-format", "table", "-q"]) == 0
    french, english = capsys.readouterr().out.splitlines()[1:]
    assert "(not scored: language fr) Le gouvernement" in french and " yes " not in french
    assert "not scored" not in english and english.split()[5] != "-"  # its overall score
