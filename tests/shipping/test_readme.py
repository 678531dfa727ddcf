"""The README's quick start is two single-line commands, and they stay true."""

import re
import shlex
import shutil
import subprocess

from conftest import REPO


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands():
    cmds = quick_start_commands()
    assert len(cmds) == 2, cmds
    assert cmds[0].startswith("pip install") and "framing score" in cmds[0]
    assert cmds[1].startswith("pip install") and "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command():
    test_cmd = quick_start_commands()[1].split("&&")[-1].strip()
    ci = (REPO / ".ci" / "run").read_text()
    assert test_cmd.replace("python ", "python3 ") in ci or test_cmd in ci


def test_quick_start_main_job_runs_on_the_shipped_model():
    job = quick_start_commands()[0].split("&&")[-1].strip()
    argv = shlex.split(job)
    assert argv[0] == "framing"
    exe = shutil.which("framing")
    assert exe, "the `framing` console script is not installed"
    out = subprocess.run([exe, *argv[1:]], cwd=REPO, capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1 + len((REPO / "examples" / "headlines.txt").read_text().splitlines())


def test_library_example_runs_and_its_comment_holds():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Library", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope: dict = {}
    exec(compile(block, "README.md", "exec"), scope)
    loaded = scope["loaded"]
    assert abs(sum(c for _, c, _ in scope["words"]) + loaded.intercept - loaded.logit) < 1e-9
