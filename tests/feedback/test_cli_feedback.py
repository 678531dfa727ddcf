"""``framing feedback``: each subcommand, on a SQLite file and on a real PostgreSQL server."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from framing.cli.main import main
from framing.feedback import open_store

TEXT = "North Korean despot slams talks"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def feedback(db, *args) -> int:
    return main(["feedback", *args, "--db", str(db)])


def test_add_list_stats_undo_delete(db_url, capsys):
    assert (
        feedback(db_url, "add", TEXT, "--word", "despot", "--label", "loaded", "--user", "ann") == 0
    )
    assert "stored mark 1: loaded 'despot', head loaded by ann" in capsys.readouterr().out
    assert feedback(db_url, "add", TEXT, "--word", "Slams", "--label", "neutral") == 0
    assert feedback(db_url, "add", TEXT, "--label", "0", "--unit", "sentence", "--note", "x") == 0
    capsys.readouterr()
    assert feedback(db_url, "list") == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "CREATED", "(UTC)"]
    assert [line.split()[0] for line in lines[1:]] == ["3", "2", "1"]
    assert "3 mark(s) of 3" in err
    assert feedback(db_url, "list", "--word", "DESPOT", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["word"], m["user"], m["start"], m["end"]) for m in listed] == [
        ("despot", "ann", 13, 19)
    ]
    assert feedback(db_url, "stats", "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 3
    assert stats["per_head"] == {"loaded": {"0": 1, "loaded": 1, "neutral": 1}}
    assert {"head": "loaded", "word": "slams", "answers": {"neutral": 1}} in stats["per_word"]
    assert feedback(db_url, "stats") == 0
    assert "loaded: loaded 1, neutral 1, label 0: 1" in capsys.readouterr().out
    assert feedback(db_url, "undo") == 0
    assert "undid mark 3: label 0 (whole sentence)" in capsys.readouterr().out
    assert feedback(db_url, "delete", "1") == 0
    assert feedback(db_url, "delete", "1") == 2
    assert "no mark 1 in" in capsys.readouterr().err
    assert feedback(db_url, "list", "--json") == 0
    assert [m["id"] for m in json.loads(capsys.readouterr().out)] == [2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--word", "art", "--label", "loaded"], "is not a whole word"),
        (["--word", "despot", "--label", "1"], "--label of a word is loaded or neutral"),
        (["--label", "loaded"], "--label of a whole headline is 1 or 0"),
        (["--start", "3", "--label", "1"], "give --word too"),
        (["--word", "despot", "--start", "3", "--label", "loaded"], "starts at 13"),
        (["--label", "1", "--head", "Loaded!"], "head name 'Loaded!'"),
        (["--label", "1", "--score", "2"], "probability between 0 and 1"),
    ],
)
def test_add_refuses_bad_marks_with_what_to_do(tmp_path, capsys, args, message):
    assert feedback(tmp_path / "m.db", "add", TEXT, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error:") and message in err
    with open_store(tmp_path / "m.db") as store:
        assert store.count() == 0


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_export_then_import_round_trips(db_url, tmp_path, capsys, suffix):
    nasty = '=HYPERLINK("http://x") despot \x1b[31m\u202e and\r\nmore'
    assert feedback(db_url, "add", nasty, "--word", "despot", "--label", "neutral") == 0
    assert feedback(db_url, "add", "-1 despot", "--label", "1", "--note", "@note\t") == 0
    assert (
        feedback(db_url, "add", TEXT, "--word", "talks", "--label", "loaded", "--score", "0.1") == 0
    )
    out = tmp_path / f"marks{suffix}"
    assert feedback(db_url, "export", "-o", str(out)) == 0
    assert "exported 3 mark(s)" in capsys.readouterr().out
    if suffix in (".csv", ".tsv"):
        raw = out.read_text(encoding="utf-8")
        assert "'=HYPERLINK" in raw and "'@note" in raw  # formula-guarded
    with open_store(db_url) as store:
        before = [m for m in store.list(oldest_first=True)]
    other = tmp_path / "other.db"
    assert feedback(other, "import", str(out)) == 0
    assert "imported 3 mark(s)" in capsys.readouterr().out
    assert feedback(other, "import", str(out)) == 0
    assert "imported 0 mark(s) into" in capsys.readouterr().out  # already there
    with open_store(other) as store:
        after = store.list(oldest_first=True)
    strip = [(m.text, m.start, m.end, m.answer, m.note, m.score, m.created_at) for m in before]
    assert strip == [
        (m.text, m.start, m.end, m.answer, m.note, m.score, m.created_at) for m in after
    ]
    assert after[0].text == nasty


def test_import_refuses_a_file_with_bad_rows_unless_told(tmp_path, capsys):
    src = tmp_path / "hand.csv"
    src.write_text(
        "text,word,answer,head\n"
        "The despot spoke,despot,loaded,loaded\n"
        "The despot spoke,tyrant,loaded,loaded\n"
        "The despot spoke,,2,loaded\n"
    )
    db = tmp_path / "m.db"
    assert feedback(db, "import", str(src)) == 2
    err = capsys.readouterr().err
    assert "line 3: the word 'tyrant' is not a whole word" in err
    assert "line 4: the answer of a whole-unit mark is one of 1, 0, not '2'" in err
    assert "nothing was imported" in err
    assert feedback(db, "import", str(src), "--skip-bad") == 0
    assert "imported 1 mark(s)" in capsys.readouterr().out
    with open_store(db) as store:
        assert [m.word for m in store.list()] == ["despot"]


def test_odd_databases_and_files_get_clear_errors(tmp_path, capsys):
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n")
    assert feedback(table, "list") == 2
    assert "file is not a database); give a SQLite file made by framing" in capsys.readouterr().err
    db = tmp_path / "m.db"
    assert feedback(db, "import", str(table)) == 2
    assert "has no column text and answer" in capsys.readouterr().err
    assert feedback(tmp_path / "no" / "m.db", "list") == 2
    assert "folder" in capsys.readouterr().err
    assert main(["feedback", "--db", str(db), "add", TEXT, "--label", "1"]) == 0  # --db first
    assert main(["feedback", "--db", str(db), "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out.split("\n", 1)[1])) == 1


def test_human_output_escapes_control_characters(tmp_path, capsys):
    nasty = "Despot \x1b[2J\x07 wins\u202e"
    db = tmp_path / "m.db"
    assert (
        feedback(db, "add", nasty, "--word", "Despot", "--label", "loaded", "--user", "\x1b]0;x")
        == 0
    )
    for args in (["list"], ["stats"], ["undo"], ["list", "--json"]):
        feedback(db, "add", nasty, "--label", "1", "--note", "\x1b[31m")
        assert feedback(db, *args) == 0
        out, err = capsys.readouterr()
        assert not RAW_CONTROL.search(out.replace("\n", "")), args
        assert not RAW_CONTROL.search(err.replace("\n", "")), args


def test_the_password_of_a_url_is_never_printed(pg_url, capsys, monkeypatch):
    bad = pg_url.replace("s3cr3t", "wrongpass")
    assert main(["feedback", "list", "--db", bad]) == 2
    err = capsys.readouterr().err
    assert "wrongpass" not in err and "***" in err and "password" in err
    assert feedback(pg_url, "stats") == 0
    out = capsys.readouterr().out
    assert "s3cr3t" not in out and ":***@127.0.0.1" in out
    monkeypatch.setenv("FRAMING_DB", pg_url)
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "feedback database: postgresql://framing_test:***@127.0.0.1" in out
    assert "s3cr3t" not in out and "Pa55" not in out


def test_framing_db_and_the_console_script(tmp_path):
    env = {"FRAMING_DB": str(tmp_path / "env.db"), "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    run = subprocess.run(
        [sys.executable, "-m", "framing", "feedback", "add", TEXT, "--label", "1"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "env.db").is_file()


def test_undo_removes_your_newest_mark_not_someone_elses(db_url, capsys, monkeypatch):
    """On a shared database, ``undo`` takes the newest mark of the current user
    ($FRAMING_USER, else the login name), says whose; ``--any`` the newest of anyone."""
    monkeypatch.setenv("FRAMING_USER", "ann")
    assert feedback(db_url, "add", TEXT, "--word", "despot", "--label", "loaded") == 0
    assert "head loaded by ann" in capsys.readouterr().out  # the current user is stored
    assert feedback(db_url, "add", TEXT, "--label", "1", "--user", "bob") == 0
    assert feedback(db_url, "add", TEXT, "--label", "0", "--user", "") == 0  # no user
    capsys.readouterr()
    assert feedback(db_url, "undo") == 0
    assert "undid mark 1: loaded 'despot', head loaded by ann" in capsys.readouterr().out
    assert feedback(db_url, "undo") == 0
    out = capsys.readouterr().out
    assert "no mark by ann to undo" in out and "2 mark(s) by others" in out and "--any" in out
    assert feedback(db_url, "undo", "--user", "bob") == 0
    assert "undid mark 2: label 1 (whole headline), head loaded by bob" in capsys.readouterr().out
    assert feedback(db_url, "undo", "--any") == 0
    assert "undid mark 3" in (out := capsys.readouterr().out) and "without a user" in out
    assert feedback(db_url, "undo", "--any") == 0
    assert "no mark to undo" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # one or the other
        feedback(db_url, "undo", "--any", "--user", "bob")


def test_undo_without_a_known_user_asks_whose(tmp_path, capsys, monkeypatch):
    import getpass

    def no_login():
        raise OSError("no login name")

    monkeypatch.delenv("FRAMING_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", no_login)
    db = tmp_path / "m.db"
    assert feedback(db, "add", TEXT, "--label", "1") == 0
    assert feedback(db, "undo") == 2
    assert "give --user NAME (or set $FRAMING_USER), or --any" in capsys.readouterr().err
    assert feedback(db, "undo", "--any") == 0


def _marks_file(tmp_path):
    db = tmp_path / "ro" / "m.db"
    db.parent.mkdir()
    assert feedback(db, "add", TEXT, "--word", "despot", "--label", "loaded") == 0
    assert feedback(db, "add", TEXT, "--label", "0", "--user", "bob") == 0
    db.chmod(0o444)
    return db


def test_a_read_only_database_file_is_read_and_never_written(tmp_path, capsys):
    db = _marks_file(tmp_path)
    before = db.read_bytes()
    capsys.readouterr()
    for args in (["list"], ["stats"], ["export", "-o", str(tmp_path / "out.jsonl")]):
        assert feedback(db, *args) == 0, capsys.readouterr().err
    assert "2 mark(s) of 2" in capsys.readouterr().err
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2
    (tmp_path / "in.jsonl").write_text((tmp_path / "out.jsonl").read_text())
    for args in (
        ["add", TEXT, "--label", "1"],
        ["undo", "--any"],
        ["delete", "1"],
        ["import", str(tmp_path / "in.jsonl")],
    ):
        assert feedback(db, *args) == 2, args
        err = capsys.readouterr().err
        assert f"the database file is read-only: {db}; copy it" in err and "--db" in err, err
    assert db.read_bytes() == before  # even root, who could, did not write it
    assert sorted(p.name for p in db.parent.iterdir()) == ["m.db"]  # nothing created beside it
    with open_store(db) as store:
        assert store.read_only and store.count() == 2


def _without_root_powers() -> list[str]:
    """A command prefix under which the file modes bind (root: without the capabilities that
    override them, via setpriv); skips when that cannot be had."""
    import os
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes would not bind")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop the capabilities here")
    return prefix


def test_read_commands_work_where_the_system_refuses_writes(tmp_path):
    """The file and its folder read-only for the process (as for any user but the owner):
    ``list`` reads the marks, ``add`` says what to do."""
    import os

    prefix = _without_root_powers()
    db = _marks_file(tmp_path)
    db.parent.chmod(0o555)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    try:
        for args, code, expect in (
            (["list", "--json"], 0, '"word": "despot"'),
            (["add", TEXT, "--label", "1"], 2, "the database file is read-only"),
        ):
            run = subprocess.run(
                [*prefix, sys.executable, "-m", "framing", "feedback", *args, "--db", str(db)],
                capture_output=True, text=True, env=env, timeout=120,
            )  # fmt: skip
            assert run.returncode == code, run.stderr
            assert expect in run.stdout + run.stderr
    finally:
        db.parent.chmod(0o755)
