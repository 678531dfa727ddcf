"""Training: users' label files, the training script, and a smoke run on the real data."""

import subprocess
import sys

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import DataError, load_model
from framing.training.binary.datasets import read_user_file, resolve_data_dir


def csv_bytes(rows, header="text,label"):
    return (header + "\n" + "\n".join(rows) + "\n").encode()


GOOD = [f'"shocking outrage number {i}",1' for i in range(15)] + [
    f'"council meeting minutes {i}",0' for i in range(15)
]


def test_user_file_reads_and_grades():
    records, _ = read_user_file(csv_bytes(GOOD + ['"graded one",0.7']), "labels.csv")
    assert len(records) == 31
    assert records[-1].target == 0.7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes(GOOD, header="headline,label"), "no column 'text'"),
        (csv_bytes(GOOD[:-1] + ['"x",maybe']), "must be numbers"),
        (csv_bytes(GOOD[:-1] + ['"x",3']), r"must be in \[0, 1\]"),
        (csv_bytes([f'"same {i}",1' for i in range(30)]), "same class"),
        (csv_bytes(GOOD[:5] + GOOD[-5:]), "at least 20"),
        (b"", "no rows"),
    ],
)
def test_user_file_errors_say_what_to_fix(data, message):
    with pytest.raises(DataError, match=message):
        read_user_file(data, "labels.csv")


def test_jsonl_user_file_bad_line():
    with pytest.raises(DataError, match="line 2: malformed JSON line"):
        read_user_file(b'{"text": "a", "label": 1}\n{oops\n', "labels.jsonl")


def test_missing_data_dir_names_option_and_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMING_DATA_DIR", raising=False)
    with pytest.raises(DataError, match="--data-dir.*FRAMING_DATA_DIR"):
        resolve_data_dir(tmp_path / "nothing-here")


def test_train_script_on_user_labels(tmp_path):
    src = tmp_path / "mine.csv"
    src.write_bytes(csv_bytes(GOOD))
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "training" / "train.py"),
            "--user-data",
            str(src),
            "--head",
            "mine",
            "--out",
            str(tmp_path / "model"),
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    model = load_model(tmp_path / "model")
    assert "mine" in model.heads and "clickbait" in model.heads
    p = model["mine"].predict_proba(["shocking outrage", "council minutes"])[:, 0]
    assert p[0] > p[1]
    assert "mine/user_cv" in model.manifest["metrics"]


def test_train_script_reports_one_class_file(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes(csv_bytes([f'"same {i}",1' for i in range(30)]))
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "training" / "train.py"),
            "--user-data",
            str(src),
            "--head",
            "x",
            "--out",
            str(tmp_path / "m"),
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.strip().startswith("train: error:") and "same class" in out.stderr


@pytest.mark.slow
def test_smoke_training_on_a_sample_of_the_real_data(data_dir, tmp_path):
    from framing.training.binary import card, runs

    model, manifest = runs.train_default_model(data_dir, sample=300, n_jobs=1, log=lambda _: None)
    for key in (
        "clickbait/stop_clickbait_cv",
        "clickbait/webis17_cv",
        "loaded/babe_cv",
        "loaded/ptc_dev",
        "loaded/anno_outlets",
        "loaded/heldout_entries",
    ):
        ours, plain = manifest["metrics"][key]["ours"], manifest["metrics"][key]["plain"]
        assert ours["n"] == plain["n"] > 0
    assert 0.5 < manifest["metrics"]["clickbait/stop_clickbait_cv"]["ours"]["accuracy"] <= 1.0
    runs.write_model(model, tmp_path)
    reloaded = load_model(tmp_path)
    assert set(reloaded.heads) == {"clickbait", "loaded"}
    text = card.render(reloaded)
    assert "| protocol | test n |" in text and "Known false-positive patterns" in text
    assert "VADER" in text and "Empath" in text and "loaded_terms.txt" in text
    assert "Anno-lexical" in text and "MPQA" in text and "Hu & Liu" in text
    assert "What a `loaded` probability of 0.5 means" in text
    heldout = manifest["metrics"]["loaded/heldout_entries"]
    assert 0 < heldout["coverage_of_heldout_entries"]["any_other_lexicon"] <= 1
    assert manifest["data_fingerprints"]


_WORDS = ["the", "despot", "Slams", "it's", "17", "!", "?", "don't", "left-wing", "a", "é"]


@given(
    st.lists(st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join), min_size=1, max_size=12),
    st.sampled_from([((1, 2), (2, 5)), ((1, 3), (1, 5)), ((1, 1), None), ((2, 3), (3, 4))]),
)
@settings(max_examples=60, deadline=None)
def test_fast_document_frequencies_equal_the_reference(texts, ngrams):
    """The vectorised document frequencies used for fitting match the reference definition."""
    from framing.core.features import document_frequencies
    from framing.training.binary.fit import fast_document_frequencies

    params = {
        "word_ngrams": ngrams[0],
        "char_ngrams": ngrams[1],
        "sublinear_tf": True,
        "word_weight": 1.0,
        "char_weight": 1.0,
        "lexicon_weight": 1.0,
        "lexicon_norm": "none",
        "lexicons": {},
        "shapes": True,
    }
    assert fast_document_frequencies(params, texts) == document_frequencies(params, texts)
