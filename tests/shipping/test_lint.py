"""ruff lint and format are part of the test suite, so CI enforces them."""

import shutil
import subprocess

import pytest
from conftest import REPO


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    ruff = shutil.which("ruff")
    assert ruff, "ruff is not installed (pip install -e '.[dev]')"
    out = subprocess.run([ruff, *args], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
