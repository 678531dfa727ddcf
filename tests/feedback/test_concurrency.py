"""4 processes writing 500 marks each at once: 2,000 stored, none lost, no error (SQLite in
WAL mode and a real PostgreSQL server)."""

from __future__ import annotations

from feedback.writers import run_writers


def test_four_writers_at_once_lose_nothing(db_url):
    result = run_writers(db_url, processes=4, per_process=500)
    assert result["errors"] == []
    assert result["stored"] == 2000 and result["rows"] == 2000 and result["lost"] == 0
    assert result["ids_distinct"]


def test_writers_opening_a_new_database_at_once_create_it_once(db_url):
    result = run_writers(db_url, processes=4, per_process=10, create=False)
    assert result["errors"] == []
    assert result["stored"] == 40 and result["rows"] == 40
