"""A head a user trains shows up on every surface with no code change: explain() and its
JSON, `framing explain --json`, `framing score` columns and the app.

Trains a tiny binary head (`partisan`) on 200 rows we write, added to the shipped model."""

from __future__ import annotations

import csv
import json
import random

import pytest
from conftest import REPO

from framing import explain, load_model
from framing.cli.main import main

SIDES = ["the radical left", "the far right", "woke elites", "MAGA extremists", "the regime"]
VERBS = ["destroys", "attacks", "betrays", "rigs", "ruins"]
THINGS = ["our schools", "the economy", "the election", "family values", "the border"]
PLAIN = [
    "The council published its annual budget on Tuesday",
    "Rail services resume after maintenance on the northern line",
    "The committee met to review the water report",
    "Officials released quarterly employment figures",
    "A new library opens in the town centre next month",
]


def _rows(n: int = 200, seed: int = 0) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        if i % 2:
            text = f"{rng.choice(SIDES)} {rng.choice(VERBS)} {rng.choice(THINGS)}"
            rows.append((text[0].upper() + text[1:], 1))
        else:
            rows.append((f"{rng.choice(PLAIN)} ({rng.randint(1, 999)})", 0))
    return rows


@pytest.fixture(scope="module")
def user_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("user_head")
    labels = folder / "labels.csv"
    with open(labels, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows(_rows())
    out = folder / "model"
    code = main(["train", "--out", str(out), "--user-data", str(labels), "--head", "partisan"])
    assert code == 0
    return out


HEADLINE = "The radical left destroys our schools"
BODY = "Woke elites betray family values. The council met on Tuesday."


def test_user_head_in_explain_and_its_json(user_model):
    model = load_model(user_model)
    assert "partisan" in model.heads
    result = explain(HEADLINE, body=BODY, model=model)
    partisan = result.heads["partisan"]
    assert partisan.headline.probability > 0.5
    assert partisan.article is not None  # unit "text": read on the body's sentences too
    data = result.to_dict()
    assert data["other_heads"]["partisan"]["headline"]["probability"] > 0.5
    assert all("partisan" in s["other_heads"] for s in data["sentences"])


def test_user_head_in_framing_explain(user_model, capsys):
    assert main(["--model", str(user_model), "explain", HEADLINE, "--body", BODY, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "partisan" in data["other_heads"]
    assert main(["--model", str(user_model), "explain", HEADLINE, "--color", "never"]) == 0
    assert "partisan: probability" in capsys.readouterr().out


def test_user_head_in_framing_score(user_model, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(f"headline,body\n{HEADLINE},{BODY}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["--model", str(user_model), "score", str(src), "-o", str(out), "-q"]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    for column in ("partisan_probability", "partisan_label", "body_partisan_probability"):
        assert row[column] != ""
    assert float(row["partisan_probability"]) > 0.5


def test_user_head_in_the_app(user_model, monkeypatch):
    pytest.importorskip("streamlit", reason="the app needs `pip install framing[app]`")
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FRAMING_MODEL", str(user_model))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.text_input(key="headline").set_value(HEADLINE).run()
    assert not at.exception, [e.value for e in at.exception]
    labels = {m.label.replace("\\", "") for m in at.metric}  # labels are escaped Markdown
    assert "Partisan (headline)" in labels and "Partisan (article)" in labels
    tabs = [t.label for t in at.tabs]
    assert "partisan" in tabs
