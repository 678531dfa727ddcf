"""The feedback store, each test on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.strategies import marks
from framing.errors import FramingError, InputError
from framing.feedback import Mark, check_mark, open_store, read_marks, write_marks
from framing.feedback.store import SCHEMA_VERSION, VERSION_TABLE, StoreError

HEADLINE = "North Korean despot slams talks"


def word_mark(text=HEADLINE, word="despot", answer="loaded", **kw) -> Mark:
    start = text.index(word)
    return Mark(text, "headline", start=start, end=start + len(word), answer=answer, **kw)


def _same(stored: Mark, given: Mark) -> bool:
    expected = check_mark(given)
    return dataclasses.replace(stored, id=None, created_at=None) == dataclasses.replace(
        expected, id=None, created_at=None
    )


def test_add_list_get_newest_first(db_url):
    with open_store(db_url) as store:
        first = store.add(word_mark(user="ann", score=0.25, model_hash="abc"))
        second = store.add(Mark(HEADLINE, "sentence", answer="0", note="not news"))
        assert second > first
        listed = store.list()
        assert [m.id for m in listed] == [second, first]
        assert listed[1].word == "despot" and listed[1].user == "ann"
        assert listed[1].score == 0.25 and listed[1].model_hash == "abc"
        assert listed[0].start is None and listed[0].note == "not news"
        assert store.get(first) == listed[1]
        assert store.get(10_000) is None
        assert store.count() == 2
        created = listed[1].created_at
        assert created.endswith("+00:00") and "T" in created


def test_filters_and_limit(db_url):
    with open_store(db_url) as store:
        store.add(word_mark(user="ann"))
        store.add(word_mark(word="slams", answer="neutral", user="bob"))
        store.add(word_mark(word="slams", answer="neutral", user="bob").__class__(
            "Despot flees", "headline", head="clickbait", start=0, end=6, answer="loaded"
        ))  # fmt: skip
        assert [m.word for m in store.list(word="DESPOT")] == ["Despot", "despot"]
        assert [m.user for m in store.list(user="bob")] == ["bob"]
        assert [m.head for m in store.list(head="clickbait")] == ["clickbait"]
        assert len(store.list(limit=2)) == 2
        assert [m.id for m in store.list(oldest_first=True)] == sorted(m.id for m in store.list())


def test_delete_and_undo(db_url):
    with open_store(db_url) as store:
        a = store.add(word_mark(user="ann"))
        b = store.add(word_mark(user="bob"))
        c = store.add(word_mark(user="ann", answer="neutral"))
        assert store.delete(b) is True
        assert store.delete(b) is False
        undone = store.undo_last(user="bob")
        assert undone is None
        undone = store.undo_last()
        assert undone.id == c and undone.answer == "neutral"
        assert [m.id for m in store.list()] == [a]
        assert store.undo_last(user="ann").id == a
        assert store.undo_last() is None


def test_stats_count_per_head_and_word(db_url):
    with open_store(db_url) as store:
        store.add_many(
            [
                word_mark(),
                word_mark(text="The DESPOT spoke", word="DESPOT"),
                word_mark(word="slams", answer="neutral"),
                Mark(HEADLINE, "headline", answer="1"),
            ]
        )
        stats = store.stats()
    assert stats["total"] == 4
    assert stats["per_head"] == {"loaded": {"1": 1, "loaded": 2, "neutral": 1}}
    assert stats["per_word"] == {
        ("loaded", "despot"): {"loaded": 2},
        ("loaded", "slams"): {"neutral": 1},
    }


def test_a_bad_mark_is_refused_and_nothing_of_the_batch_is_stored(db_url):
    with open_store(db_url) as store:
        bad = Mark(HEADLINE, "headline", start=0, end=3, answer="loaded")  # "Nor"
        with pytest.raises(InputError, match="not on a word"):
            store.add_many([word_mark(), bad])
        assert store.count() == 0


def test_the_schema_is_created_once_and_reopened(db_url):
    with open_store(db_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.add(word_mark())
    with open_store(db_url) as store:
        assert store.count() == 1
        assert store.schema_version() == SCHEMA_VERSION


def test_a_newer_schema_is_refused(db_url):
    import sqlalchemy as sa

    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version = 99"))
    with pytest.raises(StoreError, match="schema version 99, newer .* upgrade framing"):
        open_store(db_url)


def test_an_older_schema_is_upgraded_step_by_step(db_url, monkeypatch):
    import sqlalchemy as sa

    from framing.feedback import store as store_module

    with open_store(db_url) as store:
        store.add(word_mark())

    def add_column(conn):
        conn.execute(sa.text("ALTER TABLE feedback_marks ADD COLUMN source VARCHAR(20)"))
        conn.execute(sa.text("UPDATE feedback_marks SET source = 'v1'"))

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, add_column)
    with open_store(db_url) as store:
        assert store.schema_version() == 2
        assert store.count() == 1
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT source FROM feedback_marks")).scalar() == "v1"
    with open_store(db_url) as store:  # upgraded once
        assert store.schema_version() == 2


def test_a_table_not_made_by_framing_is_refused(db_url):
    import sqlalchemy as sa

    from framing.feedback.store import migrate

    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE {VERSION_TABLE}"))
        with pytest.raises(StoreError, match="not made by framing"):
            migrate(conn)


def test_the_display_never_shows_the_password(db_url):
    with open_store(db_url) as store:
        assert "s3cr3t" not in store.display and "s3cr3t" not in repr(store)
        if "postgresql" in db_url:
            assert ":***@" in store.display


def test_a_wrong_password_is_a_clear_error_without_the_password(pg_url):
    url = pg_url.replace("s3cr3t", "wrongpass")
    with pytest.raises(FramingError) as info:
        open_store(url)
    message = str(info.value)
    assert "wrongpass" not in message and "Pa55" not in message
    assert "password" in message and "***" in message


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(marks(), min_size=1, max_size=5))
def test_any_unicode_mark_round_trips_through_the_store(module_db_url, batch):
    with open_store(module_db_url) as store:
        ids = store.add_many(batch)
        for mark_id, mark in zip(ids, batch, strict=True):
            stored = store.get(mark_id)
            assert _same(stored, mark), (stored, mark)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batch=st.lists(marks(), min_size=1, max_size=5),
    fmt=st.sampled_from(["csv", "tsv", "jsonl", "parquet"]),
)
def test_any_unicode_mark_round_trips_through_export_and_import(
    module_db_url, tmp_path_factory, batch, fmt
):
    path = tmp_path_factory.mktemp("export") / f"marks.{fmt}"
    with open_store(module_db_url) as store:
        ids = store.add_many(batch)
        stored = [store.get(i) for i in ids]
        write_marks(stored, path)
        back = read_marks(path)
        assert [dataclasses.replace(m, id=None) for m in stored] == back
        new_ids = store.add_many(back)
        again = [store.get(i) for i in new_ids]
    assert [dataclasses.replace(m, id=None) for m in again] == back
