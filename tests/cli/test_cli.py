import csv
import io
import shutil
import subprocess
import sys

from framing.cli import main
from framing.core.model import save_model


def test_score_text_file(tmp_path, tiny_model, capsys):
    save_model(tiny_model, tmp_path / "m")
    src = tmp_path / "h.txt"
    src.write_text("You won't believe this weird trick\nParliament passes budget\n")
    assert main(["--model", str(tmp_path / "m"), "score", str(src)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["headline"] for r in rows] == [
        "You won't believe this weird trick",
        "Parliament passes budget",
    ]
    assert float(rows[0]["clickbait_probability"]) > float(rows[1]["clickbait_probability"])


def test_missing_file_is_one_clear_line(tmp_path, tiny_model, capsys):
    save_model(tiny_model, tmp_path / "m")
    assert main(["--model", str(tmp_path / "m"), "score", str(tmp_path / "none.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("framing: error:")


def test_installed_console_script_scores_the_example():
    exe = shutil.which("framing")
    assert exe, "the `framing` console script is not installed (pip install -e .)"
    from conftest import REPO

    out = subprocess.run(
        [exe, "score", str(REPO / "examples" / "headlines.txt")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == len((REPO / "examples" / "headlines.txt").read_text().splitlines())
    assert all(0.0 <= float(r["clickbait_probability"]) <= 1.0 for r in rows)


def test_python_dash_m_works():
    out = subprocess.run(
        [sys.executable, "-m", "framing", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "score" in out.stdout


def test_installed_console_script_help_lists_every_command():
    exe = shutil.which("framing")
    assert exe, "the `framing` console script is not installed (pip install -e .)"
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("score", "explain", "info", "train", "evaluate"):
        assert command in out
    out = subprocess.run([exe, "score", "--help"], capture_output=True, text=True, check=True)
    assert "--workers" in out.stdout and "--headline-col" in out.stdout


def test_the_command_line_starts_without_the_training_libraries():
    """Cold start: `framing score` never imports scikit-learn (only train/evaluate do)."""
    code = (
        "import sys, framing.cli.main; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_score_heads_scores_only_the_heads_named(tmp_path, tiny_model, capsys):
    save_model(tiny_model, tmp_path / "m")
    src = tmp_path / "h.txt"
    src.write_text("You won't believe this weird trick\nParliament passes budget\n")
    base = ["--model", str(tmp_path / "m"), "score", str(src)]
    assert main(base) == 0
    every = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main([*base, "--heads", "clickbait"]) == 0
    one = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert not any(k.startswith("loaded") for k in one[0]) and "overall_score" not in one[0]
    for a, b in zip(every, one, strict=True):  # the same figures as when every head is scored
        assert {k: a[k] for k in b} == b
    assert main([*base, "--heads", "nope"]) == 2
    assert "no head 'nope'" in capsys.readouterr().err
    assert main([*base, "--heads", ","]) == 2
    assert "--heads must name at least one head" in capsys.readouterr().err
