"""``--terms FILE`` on the command line (issue 27): suggest, explain, score, evaluate and info
use a house-style list at once; a bad list is one clear error line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from framing.batch import ScoreOptions, Scorer
from framing.batch.run import ProcessScorer
from framing.cli import main
from framing.core.house_style import read_house_style, with_house_style
from framing.core.model import load_model
from framing.tables import Row

TERMS = "barmy | unusual\nfat cats | executives\n"
HEADLINE = "Council approves barmy plan for town centre"


@pytest.fixture()
def terms(tmp_path):
    path = tmp_path / "house.txt"
    path.write_text(TERMS, encoding="utf-8")
    return str(path)


def test_suggest_rewords_a_house_style_term(terms, capsys):
    assert main(["suggest", HEADLINE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["replacements"] == []
    assert main(["suggest", HEADLINE, "--terms", terms, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rewritten"] == "Council approves unusual plan for town centre"
    assert out["before"]["loaded"] >= 0.5 > out["after"]["loaded"]


def test_explain_shows_the_feature_and_exact_numbers(terms, capsys):
    assert main(["explain", HEADLINE, "--terms", terms, "--json"]) == 0
    head = json.loads(capsys.readouterr().out)["loaded_headline"]
    names = [f["feature"] for f in head["features"]]
    assert "lex:loaded_terms" in names
    total = sum(t["contribution"] for t in head["terms"]) + head["intercept"]
    assert abs(total - head["logit"]) < 1e-9


def test_score_with_terms_in_one_and_in_two_processes(tmp_path, terms, capsys):
    src = tmp_path / "in.csv"
    src.write_text(f"headline\n{HEADLINE}\nThe council met on Tuesday\n", encoding="utf-8")
    probabilities = {}
    for name, extra in (("plain", []), ("one", ["--terms", terms])):
        assert main(["score", str(src), *extra]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        probabilities[name] = [float(r["loaded_probability"]) for r in rows]
    assert main(["score", str(src), "--terms", terms, "--workers", "2", "--chunk-size", "1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [float(r["loaded_probability"]) for r in rows] == probabilities["one"]
    assert probabilities["plain"][0] < 0.5 <= probabilities["one"][0]
    assert probabilities["plain"][1] == probabilities["one"][1]


def test_spawned_workers_get_the_house_style(terms):
    model = with_house_style(load_model(), read_house_style(terms))
    options = ScoreOptions(headline_col="headline")
    chunk = [Row({"headline": HEADLINE}, line=2)]
    scorer = ProcessScorer(None, options, 1, model, start_method="spawn")
    ((_, scored),) = list(scorer.score_many([chunk]))
    here = Scorer(model, options).score(chunk)["loaded_probability"][0]
    plain = Scorer(load_model(), options).score(chunk)["loaded_probability"][0]
    assert scored["loaded_probability"][0] == here > plain


def test_info_names_the_list(terms, capsys):
    assert main(["info", "--terms", terms]) == 0
    out = capsys.readouterr().out
    assert f"house style: {terms} (2 entries, fingerprint " in out
    assert "in the loaded-terms list of: loaded" in out
    assert main(["info", "--terms", terms, "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)["manifest"]
    assert manifest["house_style"]["entries"] == 2


def test_evaluate_takes_terms(tmp_path, terms, capsys):
    data = tmp_path / "labelled.csv"
    data.write_text(f"text,label\n{HEADLINE},1\nThe council met on Tuesday,0\n", "utf-8")
    assert main(["evaluate", "--data", str(data), "--head", "loaded", "--terms", terms]) == 0


@pytest.mark.parametrize(
    "content, says",
    [
        ("barmy\n", "line 1: 'barmy' needs a neutral counterpart"),
        ("# nothing\n", "lists no terms"),
        ("barmy | odd\nbarmy | strange\n", "line 2: 'barmy' is listed twice"),
    ],
)
def test_a_bad_list_is_one_error_line(tmp_path, capsys, content, says):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    for command in (["suggest", HEADLINE], ["explain", HEADLINE], ["info"]):
        assert main([*command, "--terms", str(path)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("framing: error: terms list ")
        assert says in err[0]


def test_a_missing_list_says_so(tmp_path, capsys):
    assert main(["suggest", HEADLINE, "--terms", str(tmp_path / "nope.txt")]) == 2
    assert "no such terms file" in capsys.readouterr().err
