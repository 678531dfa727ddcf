"""Shared fixtures: a tiny model trained on inline data, and the public data when present.

The training layer (and so scikit-learn) is imported only by the fixtures that fit a model,
not by every test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from framing.core.model import Model, save_model

if TYPE_CHECKING:
    from framing.training.binary.fit import Recipe

REPO = Path(__file__).resolve().parents[1]

CLICKBAIT = [
    "You won't believe what this dog did next",
    "17 things only 90s kids will remember",
    "This one weird trick will change your life",
    "Which Disney princess are you?",
    "Here's why everyone is talking about this video",
    "You need to see these 21 photos right now!",
    "What happened next will shock you",
    "These celebrities look unrecognisable today",
]
NEWS = [
    "Parliament passes budget after lengthy debate",
    "Central bank holds interest rates steady",
    "Flooding closes roads across northern region",
    "Court rules on appeal in fraud case",
    "Government announces new rail investment",
    "Trade talks resume between the two countries",
    "Election officials certify the results",
    "Company reports higher quarterly profit",
]
LOADED = [
    "The despot shamelessly denied the chilling reports",
    "The radical mob stormed the hermit nation's embassy",
    "A disastrous, corrupt regime crushed dissent",
    "The sham trial was a shameful farce",
]
NEUTRAL = [
    "The minister said the report would be published on Monday",
    "The committee met to discuss the proposal",
    "Officials released the figures for the third quarter",
    "The council approved the plan by a vote of six to three",
]


def tiny_recipe(**features) -> Recipe:
    from framing.training.binary.fit import Recipe

    base = {
        "word_ngrams": (1, 2),
        "char_ngrams": (2, 4),
        "min_df": 1,
        "lexicons": {"hype": {"shock": 1.0, "weird trick": 2.0, "right now": 0.5}},
    }
    return Recipe(features={**base, **features}, C=2.0, calibration_folds=2)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, tiny_model) -> str:
    """The tiny model saved in a folder of its own (the path, as the CLI takes it)."""
    d = tmp_path_factory.mktemp("model")
    save_model(tiny_model, d)
    return str(d)


def run_cli(model_dir: str, *args) -> int:
    """``framing --model MODEL_DIR ARGS...`` in this process; its exit code."""
    from framing.cli import main

    return main(["--model", model_dir, *map(str, args)])


@pytest.fixture(scope="session")
def tiny_model() -> Model:
    from framing.training.binary.fit import Record, fit_head

    cb = [Record(t, 1.0) for t in CLICKBAIT] + [Record(t, 0.0) for t in NEWS]
    ld = [Record(t, 1.0) for t in LOADED * 2] + [Record(t, 0.0) for t in NEUTRAL * 2]
    ld = [Record(r.text, r.target, group=str(i)) for i, r in enumerate(ld)]
    heads = {
        "clickbait": fit_head("clickbait", cb, tiny_recipe(), unit="headline"),
        "loaded": fit_head("loaded", ld, tiny_recipe(), unit="sentence"),
    }
    return Model(heads, {"note": "tiny test model"})


def _data_dir() -> Path | None:
    env = os.environ.get("FRAMING_DATA_DIR")
    candidates = [Path(env)] if env else [REPO.parent / "shared" / "data"]
    for c in candidates:
        if (c / "babe").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = _data_dir()
    if d is None:
        pytest.skip("needs the public data (../shared/data or $FRAMING_DATA_DIR); absent here")
    return d


# ---- a tiny model with a technique head and its reliability record --------------------------
TECHNIQUE_ARTICLE = (
    "The committee met on Monday. Patriots must defend our great nation, he said.\n\n"
    "They will flood our towns and destroy everything we love. The council approved the plan."
)


@pytest.fixture(scope="session")
def measured(tiny_model) -> Model:
    """The tiny model plus a ``technique`` head (labels ``fear``, ``flag``) whose manifest
    records ``fear`` as reliable (precision 0.8 on 30 detections) and ``flag`` as
    low-confidence (0.3 on 12)."""
    import numpy as np

    from framing.explanation.reliability import reliability_record
    from framing.training.binary.fit import Recipe
    from framing.training.multilabel.fit import fit_multilabel_head

    fear = ["They will flood our towns and destroy everything we love", "Terror is coming for you"]
    flag = ["Patriots must defend our great nation", "Stand up for our flag and our country"]
    neutral = [
        "The committee met on Monday",
        "Figures were published for the third quarter",
        "The council approved the plan",
        "Officials said talks would resume",
    ]
    texts, rows = [], []
    for i in range(4):
        texts += [f"{t} {i}" for t in fear + flag + neutral]
        rows += [[1, 0]] * len(fear) + [[0, 1]] * len(flag) + [[0, 0]] * len(neutral)
    recipe = Recipe(
        features={"word_ngrams": (1, 2), "char_ngrams": (2, 4), "min_df": 1, "shapes": False},
        C=2.0,
        calibration_folds=3,
        dual=True,
    )
    labels = ["fear", "flag"]
    groups = [f"g{i % 6}" for i in range(len(texts))]
    head = fit_multilabel_head(
        "technique", texts, np.array(rows, float), recipe, labels=labels, groups=groups
    )
    per_label = {
        "fear": {"precision": 0.8, "recall": 0.4, "n_pos": 40, "n_detected": 30},
        "flag": {"precision": 0.3, "recall": 0.2, "n_pos": 25, "n_detected": 12},
    }
    record = reliability_record(per_label, labels, protocol="tiny", rule="tiny rule")
    info = {"technique": {"labels": labels, "reliability": record}}
    return Model({**tiny_model.heads, "technique": head}, {"heads_info": info})


@pytest.fixture(scope="session", autouse=True)
def language_cache(tmp_path_factory):
    """The language model's cache (framing.core.language) in a temporary folder, not the
    user's ~/.cache, unless $FRAMING_CACHE_DIR says where."""
    if os.environ.get("FRAMING_CACHE_DIR"):
        yield
        return
    os.environ["FRAMING_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    del os.environ["FRAMING_CACHE_DIR"]
