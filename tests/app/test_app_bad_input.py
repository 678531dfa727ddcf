"""The app on issue 25's bad input: the upload page keeps every row, scored or with its error
(lone surrogates, deep nesting, an unclosed quote), its downloads are strict JSON, and a
hand-edited manifest is a message, not a crash."""

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from framing.app import data as data_mod  # noqa: E402
from framing.core.model import save_model  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120

JSONL = (
    '{"id": "a", "headline": "You will not believe this trick"}\n'
    '{"id": "b", "headline": "bad \\ud800 x"}\n'
    '{"id": "c", "headline": "deep", "v": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    '{"id": "d", "headline": "Parliament passes the budget", "n": 1e400}\n'
).encode()
CSV = b'id,headline\n1,Budget passes\n2,"never closed\n3,Court rules\n4,Another one\n'


def _upload(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    at.sidebar.radio(key="page").set_value("Score a file").run()
    at.file_uploader(key="upload").upload(name, data).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _scored(at):
    return next(d.value for d in at.dataframe if "clickbait_probability" in d.value.columns)


def test_upload_with_a_lone_surrogate_and_deep_nesting_keeps_every_row():
    at = _upload("feed.jsonl", JSONL)
    assert any("Scored 2 of 4 rows" in s.value for s in at.success)
    scored = _scored(at)
    assert list(scored["error"].isna()) == [True, False, False, True]
    assert "lone surrogate" in scored.loc[1, "error"]
    assert scored.loc[1, "headline"] == "bad \ufffd x"
    assert scored.loc[2, "error"].startswith("JSON line nested more than 200 levels deep")


def test_upload_with_an_unclosed_quote_is_an_error_row_not_a_merged_headline():
    at = _upload("feed.csv", CSV)
    scored = _scored(at)
    assert list(scored["id"]) == ["1", ""]
    assert scored.loc[1, "error"].startswith("unclosed quote: a quoted field opened on line 3")
    assert "Court rules" not in "".join(scored["headline"].fillna(""))


def test_downloads_are_strict_json():
    table, rows = data_mod.read_table(JSONL, "feed.jsonl")
    from framing import load_model

    model = load_model()
    scored = data_mod.score_table(
        rows, table.columns, model, data_mod.app_options(model, "headline")
    )
    data, _ = data_mod.write_table(scored, "feed.jsonl")

    def refuse(name):
        raise ValueError(name)

    lines = [json.loads(line, parse_constant=refuse) for line in data.decode().splitlines()]
    assert [r["id"] for r in lines] == ["a", "b", "", "d"]
    assert lines[3]["n"] == "1e400"


def test_a_hand_edited_manifest_is_a_message(tiny_model, tmp_path, monkeypatch):
    tiny_model.manifest["heads_info"] = {"technique": "x"}
    try:
        save_model(tiny_model, tmp_path)
    finally:
        tiny_model.manifest.pop("heads_info")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # Markdown escapes undone
    assert any("heads_info['technique'] is a string" in x for x in shown)
