"""The README stays short and points into the docs site; the site builds with warnings as
errors; its generated parts (the CLI reference, the evaluation tables) are what the code and
the shipped model say."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

DOCS = REPO / "docs"
README_MAX_LINES = 200
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_files(nav) -> list[str]:
    out = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out += _nav_files(value) if isinstance(value, list) else [value]
    return out


def test_the_readme_is_at_most_200_lines():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_every_relative_link_of_the_readme_resolves_to_a_file():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = [link for link in LINK.findall(readme) if "://" not in link]
    into_docs = [link for link in links if link.startswith("docs/")]
    assert len(into_docs) >= 10, "the README should point into the docs site"
    broken = [link for link in links if not (REPO / link.split("#", 1)[0]).is_file()]
    assert not broken, f"README links to missing files: {broken}"


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    nav = _nav_files(config["nav"])
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if "hooks" not in p.parts)
    assert sorted(nav) == pages


def test_the_cli_reference_is_generated_from_every_parser():
    from framing.cli.main import build_parser

    hook = _load(DOCS / "hooks" / "cli_reference.py", "cli_reference")
    text = hook.render_reference()
    commands = hook._commands(build_parser())
    assert set(commands) >= {"score", "explain", "suggest", "info", "train", "evaluate"}
    for name, parser in commands.items():
        assert f"## framing {name}\n" in text
        for action in parser._actions:
            for flag in action.option_strings:
                assert flag in text, f"framing {name} {flag} missing from the reference"
    assert hook.MARKER in (DOCS / hook.PAGE).read_text(encoding="utf-8")


def test_the_evaluation_page_holds_the_shipped_models_figures():
    """The tables between the markers are what ``training/train.py`` writes from the shipped
    model's manifest, so the page cannot drift from the model."""
    from framing import load_model
    from framing.training.binary import card

    train = _load(REPO / "training" / "train.py", "train_script")
    assert train.EVALUATION_PAGE == DOCS / "evaluation.md"
    page = train.EVALUATION_PAGE.read_text(encoding="utf-8")
    model = load_model()
    expected = {
        (train.START, train.END): card.evaluation_table(model.manifest.get("metrics", {})),
        (train.FRAMING_START, train.FRAMING_END): train.technique_and_frame_figures(model),
    }
    for (start, end), table in expected.items():
        assert table.strip()
        between = page.split(start, 1)[1].split(end, 1)[0]
        assert between.strip() == table.strip(), f"{start} differs from the shipped manifest"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert train.START not in readme and train.FRAMING_START not in readme


def test_the_docs_build_with_warnings_as_errors(tmp_path):
    """``mkdocs build --strict``, as ``.ci/run`` runs it (a few seconds)."""
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI"):
            pytest.fail('mkdocs is not installed: pip install -e ".[docs]"')
        pytest.skip('needs the docs extra (pip install -e ".[docs]"); CI installs it')
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "cli" / "index.html").is_file()
