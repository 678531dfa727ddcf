"""Marks: the validation rule, finding a word, where the database is, and password masking."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framing.errors import InputError
from framing.feedback import (
    Mark,
    check_mark,
    default_db_path,
    find_word,
    mark_problem,
    mask_url,
    resolve_location,
)
from framing.feedback.io import guard_cell, unguard_cell

TEXT = "North Korean despot slams talks"


def word(start, end, answer="loaded", **kw):
    return Mark(TEXT, "headline", start=start, end=end, answer=answer, **kw)


@pytest.mark.parametrize(
    ("mark", "problem"),
    [
        (word(13, 19), None),
        (word(0, 12), None),  # two words: "North Korean"
        (Mark(TEXT, "sentence", answer="1"), None),
        (word(13, 18), "not on a word"),
        (word(12, 19), "not on a word"),
        (word(13, 99), "not inside the text"),
        (word(-1, 5), "not inside the text"),
        (word(19, 13), "not inside the text"),
        (word(13, None), "give both start and end"),
        (word(13, 19, answer="1"), "answer of a word mark is one of loaded, neutral"),
        (Mark(TEXT, "headline", answer="loaded"), "whole-unit mark is one of 1, 0"),
        (Mark(TEXT, "paragraph", answer="1"), "unit must be one of headline, sentence"),
        (Mark(TEXT, "headline", head="Bad Head", answer="1"), "head name 'Bad Head'"),
        (Mark(TEXT, "headline", head="body_loaded", answer="1"), "body_"),
        (Mark("   ", "headline", answer="1"), "the text is empty"),
        (Mark("a\ud800b", "headline", answer="1"), "lone surrogate"),
        (Mark("a\x00b", "headline", answer="1"), "NUL"),
        (Mark(TEXT, "headline", answer="1", note="x\x00"), "NUL"),
        (Mark(TEXT, "headline", answer="1", score=1.5), "probability between 0 and 1"),
        (Mark(TEXT, "headline", answer="1", score=float("nan")), "probability"),
        (Mark(TEXT, "headline", answer="1", user="u" * 201), "over the limit of 200"),
        (Mark(TEXT, "headline", answer="1", created_at="yesterday"), "ISO-8601"),
        (Mark("x " * 1_000_001, "headline", answer="1"), "over the limit of 2,000,000"),
        (Mark(TEXT, "headline", start=True, end=5, answer="loaded"), "whole number"),
    ],
)
def test_the_validation_rule(mark, problem):
    found = mark_problem(mark)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
        with pytest.raises(InputError, match="cannot store the mark"):
            check_mark(mark)


def test_check_mark_normalises_empty_fields():
    mark = check_mark(word(13, 19, user="", note="", model_hash="", score=1))
    assert (mark.user, mark.note, mark.model_hash) == (None, None, None)
    assert mark.score == 1.0 and isinstance(mark.score, float)
    assert mark.word == "despot" and mark.is_word


def test_find_word_whole_words_case_and_start():
    text = "Art party: the art of the party, ART"
    assert find_word(text, "art") == (15, 18)
    assert find_word(text, "ART") == (33, 36)
    assert find_word(text, "party") == (4, 9)
    assert find_word(text, "party", start=26) == (26, 31)
    assert find_word("Despot slams", "despot") == (0, 6)  # another case when none matches
    with pytest.raises(InputError, match="starts at 4, 26: pass one of these to --start"):
        find_word(text, "party", start=5)
    with pytest.raises(InputError, match="not a whole word"):
        find_word(text, "ar")
    with pytest.raises(InputError, match="empty"):
        find_word(text, " ")


@given(st.text(min_size=1, max_size=60), st.data())
def test_a_found_word_is_always_a_valid_mark(text, data):
    from framing.core.text import token_spans

    forms, starts, ends = token_spans(text)
    if not forms or "\x00" in text or mark_problem(Mark(text, "headline", answer="1")):
        return
    i = data.draw(st.integers(0, len(forms) - 1))
    spelling = text[starts[i] : ends[i]]
    if spelling in ("!", "?"):
        with pytest.raises(InputError, match="not a word"):
            find_word(text, spelling)
        return
    start, end = find_word(text, spelling)
    assert start <= starts[i]  # the first occurrence
    assert text[start:end] == spelling or text[start:end].lower() == spelling.lower()
    assert mark_problem(Mark(text, "headline", start=start, end=end, answer="neutral")) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ann:hunter2@db.example:5432/marks",
        "postgresql+psycopg://ann:hunter2@db/marks?sslmode=require",
        "postgresql://ann:hun@ter2@db/marks",  # an unquoted @ in the password
        "postgresql://ann@db/marks?password=hunter2&sslmode=require",
        "could not connect to postgres://x:hunter2@h/d: refused",
        "host=db user=ann password=hunter2 dbname=marks",
    ],
)
def test_mask_url_hides_every_password(url):
    masked = mask_url(url)
    assert "hunter2" not in masked and "ter2" not in masked and "***" in masked


@given(
    user=st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True),
    password=st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1),
    host=st.from_regex(r"[a-z][a-z0-9.\-]{0,20}", fullmatch=True),
)
def test_mask_url_on_any_password(user, password, host):
    for shown in (quote(password, safe=""), password):
        url = f"postgresql://{user}:{shown}@{host}:5432/db"
        if "@" in password and shown == password and "/" in password.split("@")[-1]:
            continue  # an unquoted "@.../" is ambiguous for any URL parser
        assert mask_url(url) == f"postgresql://{user}:***@{host}:5432/db"


def test_the_location_from_argument_env_and_default(tmp_path, monkeypatch):
    monkeypatch.delenv("FRAMING_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = resolve_location(None)
    assert default.path == tmp_path / "xdg" / "framing" / "feedback.sqlite3"
    assert default.source == "default" and default_db_path() == default.path
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    assert default_db_path() == Path.home() / ".local" / "share" / "framing" / "feedback.sqlite3"
    monkeypatch.setenv("FRAMING_DB", str(tmp_path / "env.db"))
    env = resolve_location(None)
    assert env.path == tmp_path / "env.db" and env.source == "$FRAMING_DB"
    assert resolve_location(tmp_path / "a.db").path == tmp_path / "a.db"
    assert resolve_location(f"sqlite:///{tmp_path}/b.db").path == tmp_path / "b.db"
    pg = resolve_location("postgres://u:pw@h/d")
    assert pg.backend == "postgresql" and pg.url.startswith("postgresql+psycopg://")
    assert pg.display == "postgresql://u:***@h/d"
    with pytest.raises(InputError, match="unsupported feedback database mysql://u:\\*\\*\\*@h"):
        resolve_location("mysql://u:secret@h/d")
    with pytest.raises(InputError, match="is a folder"):
        resolve_location(tmp_path)
    with pytest.raises(InputError, match="give a file"):
        resolve_location("sqlite://")


def test_the_default_file_and_its_folder_are_created_on_first_use(tmp_path, monkeypatch):
    from framing.feedback import open_store

    monkeypatch.delenv("FRAMING_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    with open_store() as store:
        store.add(word(13, 19))
    assert (tmp_path / "xdg" / "framing" / "feedback.sqlite3").is_file()
    with pytest.raises(InputError, match="folder .* does not exist"):
        open_store(tmp_path / "missing" / "x.db")


@given(st.text())
def test_the_csv_guard_is_undone_exactly(value):
    assert unguard_cell(guard_cell(value)) == value


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+2", "'=1+2"), ("'=1+2", "''=1+2"), ("-3.5", "-3.5"), ("'x", "'x"), ("@a", "'@a")],
)
def test_the_csv_guard_examples(value, cell):
    assert guard_cell(value) == cell


def test_marks_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        word(13, 19).text = "x"


def test_a_hand_written_file_is_read_with_words_found_and_times_converted(tmp_path):
    from framing.feedback import read_marks, read_marks_report

    src = tmp_path / "hand.jsonl"
    src.write_text(
        '{"text": "The despot spoke", "word": "despot", "answer": "loaded",'
        ' "created_at": "2026-12-07T09:01:02+01:00"}\n'
        '{"text": "The despot spoke", "answer": 1, "unit": "sentence", "head": "clickbait"}\n'
        '{"text": "The despot spoke", "answer": 1, "created_at": "2026-12-07T08:01:02"}\n'
        '{"text": "The despot spoke", "start": 4, "end": 10, "word": "spoke", "answer": "loaded"}\n'
    )
    marks, problems = read_marks_report(src)
    assert [(m.word, m.answer, m.unit, m.head) for m in marks] == [
        ("despot", "loaded", "headline", "loaded"),
        (None, "1", "sentence", "clickbait"),
    ]
    assert marks[0].created_at == "2026-12-07T08:01:02.000000+00:00"
    assert problems[0].startswith("line 3: created_at") and "no time zone" in problems[0]
    assert problems[1].startswith("line 4: word 'spoke' is not text[4:10] ('despot')")
    with pytest.raises(InputError, match="2 row\\(s\\) are not marks: line 3"):
        read_marks(src)
