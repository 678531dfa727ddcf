"""The Dask engine gives exactly the local `framing score` result, row for row, on a real cluster.

One LocalCluster with 2 worker processes serves the module's tests (started once: a cluster
takes seconds to start on a busy machine). dask and distributed come with the `dev` extra.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time

import pytest

from framing.cli import main
from framing.errors import InputError


def worker_stats() -> dict:
    """Run on a worker (client.run): its counters of shipments, models and partitions."""
    from framing.engines.dask_engine import WORKER_STATS

    return dict(WORKER_STATS)


pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

GOOD = [
    "You won't believe this weird trick",
    "Parliament passes budget",
    "The despot shamelessly denied the chilling reports",
    "17 things only 90s kids will remember",
    '=HYPERLINK("http://x")',
    "Le gouvernement annonce un nouveau budget pour les écoles",  # not English: not scored
]


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,  # no dashboard; its HTTP health routes on a free port:
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=40,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def headline_of(i: int):
    """Mostly real headlines; every 7th row empty, null or blank, one too long: row errors."""
    bad = {0: None, 1: "", 2: "   ", 3: "x" * 300}
    if i % 7 == 0:
        return bad[(i // 7) % 4]
    return f"{GOOD[i % len(GOOD)]} {i}"


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("parquet")
    start = 0
    for f, n in enumerate((40, 25, 60)):  # uneven files, several row groups each
        ids = list(range(start, start + n))
        table = pa.table(
            {
                "id": ids,
                "headline": [headline_of(i) for i in ids],
                "body": [None if i % 3 else f"The regime crushed dissent. Row {i}." for i in ids],
            }
        )
        pq.write_table(table, d / f"feed-{f}.parquet", row_group_size=16)
        start += n
    return d


def local_rows(model_dir, files, tmp_path, *extra) -> list[dict]:
    """The local CLI's output for each file in turn (Parquet output), as plain rows."""
    rows = []
    for i, f in enumerate(files):
        out = tmp_path / f"local-{i}.parquet"
        assert main(["--model", model_dir, "score", str(f), "-o", str(out), "-q", *extra]) == 0
        rows += pq.read_table(out).to_pylist()
    return rows


def part_rows(out_dir) -> list[dict]:
    parts = sorted(out_dir.iterdir())
    assert parts and all(p.name.startswith("part-") for p in parts)
    return [r for p in parts for r in pq.read_table(p).to_pylist()]


def cold_workers(client) -> float:
    """Empty each worker's counters and model caches (the cluster is shared by the module's
    tests, and an earlier one may have scored with the same model); the time, for
    :func:`assert_model_shipped_once_per_worker`."""

    def clear():
        from framing.engines.dask_engine import reset_worker_state

        reset_worker_state()

    client.run(clear)
    return time.time()


def assert_model_shipped_once_per_worker(client, since: float, partitions: int):
    """Every partition scored once; each worker that scored built the model exactly once (the
    others never); and each worker unpickled the shipment once per copy Dask gave it, never
    once per partition.

    A worker normally gets one copy. Near the end of a run Dask's active memory manager
    (on by default) may drop a worker's spare copy; if one more partition then lands on that
    worker, it fetches the key again. So a copy beyond the first must follow such a drop
    (both read from the worker's own transition log)."""

    def copies(dask_worker, since):
        received = dropped = 0
        for event in dask_worker.state.log:  # tuples: (key, what, ..., timestamp) and others
            if event[-1] >= since and "framing-model-" in str(event[0]):
                received += event[1] == "put-in-memory"  # computed here or fetched
                dropped += event[1] == "remove-replica"
        return received, dropped

    stats = client.run(worker_stats)
    got = client.run(copies, since=since)
    assert sum(s.get("partitions_scored", 0) for s in stats.values()) == partitions, stats
    for worker, s in stats.items():
        received, dropped = got[worker]
        assert s.get("models_built", 0) == (1 if s.get("partitions_scored") else 0), stats
        assert s.get("shipments_unpacked", 0) == received <= 1 + dropped, (stats, got)


def test_cli_dask_engine_equals_local_scoring_row_for_row(
    client, model_dir, parquet_dir, tmp_path, capsys
):
    files = sorted(parquet_dir.glob("*.parquet"))
    extra = ["--max-chars", "200"]
    want = local_rows(model_dir, files, tmp_path, *extra)
    capsys.readouterr()
    since = cold_workers(client)
    out = tmp_path / "scored"
    code = main(
        [
            "--model",
            model_dir,
            "score",
            "--engine",
            "dask",
            "--scheduler",
            client.scheduler.address,
            str(parquet_dir / "*.parquet"),
            "-o",
            str(out),
            *extra,
        ]
    )
    assert code == 0
    got = part_rows(out)
    assert len(got) == len(want) == 125
    assert got == want  # every row, in order, every column, identical values
    french = [r for r in got if (r["headline"] or "").startswith("Le gouvernement")]
    assert french and all(
        r["overall_score"] is None
        and r["clickbait_label"] is None
        and "not scored: language fr" in r["warnings"]
        for r in french
    )
    errors = [r["error"] for r in got if r["error"]]
    # rows without text in headline or body, and rows with a 300-character headline
    expected = [i for i in range(125) if i % 7 == 0 and (i % 3 or (i // 7) % 4 == 3)]
    assert [r["id"] for r in got if r["error"]] == expected
    assert any("too long" in e for e in errors)
    assert any(e.startswith("empty text") for e in errors)
    assert all(
        r["body_loaded_probability"] is not None for r in got if r["id"] % 3 == 0 and not r["error"]
    )
    err = capsys.readouterr().err
    n = len(expected)
    assert f"125 rows read, {125 - n} scored, {n} with errors" in err and "2 Dask workers" in err
    # the model went to each worker once, not once per partition
    assert_model_shipped_once_per_worker(client, since, partitions=len(files))


def test_score_dataframe_on_a_dask_dataframe_equals_local(
    client, tiny_model, model_dir, parquet_dir, tmp_path
):
    import dask.dataframe as dd

    from framing.engines.dask_engine import score_dataframe

    files = sorted(parquet_dir.glob("*.parquet"))
    want = local_rows(model_dir, files, tmp_path, "--top-k", "1", "--threshold", "0.3")
    ddf = dd.read_parquet([str(f) for f in files]).repartition(npartitions=10)
    scored = score_dataframe(ddf, model=tiny_model, top_k=1, threshold=0.3)
    assert list(scored.columns) == list(want[0])
    since = cold_workers(client)
    frame = scored.compute()
    got = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
    assert got == want
    # 10 partitions on 2 workers: the model went to each worker once, not once per partition
    assert_model_shipped_once_per_worker(client, since, partitions=10)


def test_a_shipment_received_again_does_not_rebuild_the_model(tiny_model, monkeypatch):
    """What keeps a worker that Dask sends the shipment twice from building the model twice."""
    import collections
    import pickle

    from framing.batch import ScoreOptions
    from framing.engines import dask_engine as fdask

    for name, empty in (("WORKER_STATS", collections.Counter()), ("_MODELS", {}), ("_SCORERS", {})):
        monkeypatch.setattr(fdask, name, empty)
    sent = pickle.dumps(fdask.Shipment.of(tiny_model))
    options = ScoreOptions(headline_col="headline", top_k=1)
    first, again = (pickle.loads(sent) for _ in range(2))  # two copies, as Dask may send
    assert fdask.scorer_for(first, options) is fdask.scorer_for(again, options)
    assert first.model() is again.model()
    assert fdask.WORKER_STATS == {"shipments_unpacked": 2, "models_built": 1}


def test_text_files_are_read_with_the_local_reader(client, model_dir, tmp_path, capsys):
    """CSV and JSONL inputs keep their bad rows (undecodable bytes, malformed JSON) as errors."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_bytes(
        b'{"title": "You won\'t believe it", "id": 1}\nnot json\n[1]\n'
        b'{"title": "bad \xff byte", "id": 2}\n{"title": "Budget passes", "id": 3}\n'
    )
    (src / "b.jsonl").write_text('{"title": "The despot fled", "id": 4}\n\n')
    want = []
    for f in sorted(src.iterdir()):
        out = tmp_path / f"{f.stem}.jsonl"
        assert main(["--model", model_dir, "score", str(f), "-o", str(out), "-q"]) == 0
        want += [json.loads(x) for x in out.read_text().splitlines()]
    out = tmp_path / "scored"
    args = ["--model", model_dir, "score", "--engine", "dask", "--scheduler"]
    args += [client.scheduler.address, str(src / "*.jsonl"), "-o", str(out)]
    assert main([*args, "--output-format", "jsonl", "-q"]) == 0
    got = [json.loads(x) for p in sorted(out.iterdir()) for x in p.read_text().splitlines()]
    assert got == want and len(got) == 7
    assert [bool(r["error"]) for r in got] == [False, True, True, True, False, False, True]


def test_cli_starts_its_own_local_cluster_and_writes_csv(model_dir, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for f in range(2):
        with open(src / f"part{f}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "headline"])
            w.writerows((f * 10 + i, headline_of(f * 10 + i)) for i in range(10))
    want = ""
    for f in sorted(src.iterdir()):
        out = tmp_path / f"{f.stem}.csv"
        assert main(["--model", model_dir, "score", str(f), "-o", str(out), "-q"]) == 0
        want += out.read_text() if not want else out.read_text().split("\n", 1)[1]
    out = tmp_path / "scored"
    code = main(
        ["--model", model_dir, "score", "--engine", "dask", "--workers", "1", str(src)]
        + ["-o", str(out), "--output-format", "csv"]
    )
    assert code == 0
    parts = sorted(out.iterdir())
    got = parts[0].read_text() + "".join(p.read_text().split("\n", 1)[1] for p in parts[1:])
    assert got == want  # byte for byte, formula guard included
    assert "'=HYPERLINK" in got
    assert "20 rows read" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_dask_errors_are_one_clear_line(model_dir, tmp_path, capsys):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "x").write_text("keep me")
    base = ["--model", model_dir, "score", "--engine", "dask"]
    assert main([*base, str(tmp_path / "*.parquet"), "-o", str(out)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert main([*base, "-", "-o", str(tmp_path / "o")]) == 2
    assert "reads files" in capsys.readouterr().err
    assert main([*base, "x.csv"]) == 2
    assert "-o OUTPUT_DIR" in capsys.readouterr().err
    assert (out / "x").read_text() == "keep me"


def test_no_matching_files_is_a_clear_error(tmp_path):
    from framing.engines.dask_engine import score_dataframe

    with pytest.raises(InputError, match="no files match"):
        score_dataframe(str(tmp_path / "*.parquet"))


def test_clear_error_when_dask_is_not_installed(model_dir, tmp_path, monkeypatch, capsys):
    for name in list(sys.modules):
        if name == "dask" or name.startswith(("dask.", "distributed")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask` now raises ImportError
    monkeypatch.setitem(sys.modules, "distributed", None)
    from framing.engines.dask_engine import score_dataframe

    with pytest.raises(InputError, match=r'pip install "framing\[dask\]"'):
        score_dataframe(str(tmp_path / "x.parquet"))
    argv = ["--model", model_dir, "score", "--engine", "dask", "in", "-o", str(tmp_path / "o")]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'pip install "framing[dask]"' in err[0]


def test_local_cli_does_not_import_dask(tmp_path):
    src = tmp_path / "h.txt"
    src.write_text("Parliament passes budget\n")
    code = (
        "import sys, framing.cli as c; c.main(['score', sys.argv[1], '-q']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(src)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


# dask's Parquet reader (2026.8) calls DataFrame.reset_index(inplace=True), which pandas 3.1
# deprecates; that is dask's to change. Only this in-process (sync) test sees the warning.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_fsspec_urls_are_read(tiny_model, fmt):
    """An fsspec URL (here memory://, which lives in this process: sync scheduler) is read."""
    import fsspec

    from framing.engines.dask_engine import score_dataframe

    fs = fsspec.filesystem("memory")
    for f in range(2):
        with fs.open(f"/framing-test/feed-{f}.{fmt}", "wb") as fh:
            if fmt == "parquet":
                pq.write_table(pa.table({"headline": [GOOD[f], None]}), fh)
            else:
                fh.write(json.dumps({"headline": GOOD[f]}).encode() + b"\nnot json\n")
    try:
        scored = score_dataframe(f"memory://framing-test/*.{fmt}", model=tiny_model)
        frame = scored.compute(scheduler="sync")
    finally:
        fs.rm("/framing-test", recursive=True)
    assert frame["headline"].tolist()[::2] == GOOD[:2]
    assert frame["error"].isna().tolist() == [True, False, True, False]
    assert frame["clickbait_probability"].notna().tolist() == [True, False, True, False]


def test_bad_input_of_issue_25_is_row_errors_as_locally(client, model_dir, tmp_path):
    """A lone surrogate escape, a line nested 100,000 deep, 1e400 and an unclosed CSV quote:
    the Dask job completes with the local CLI's rows (they failed the whole job before)."""
    src = tmp_path / "in"
    src.mkdir()
    deep = "[" * 100_000 + "]" * 100_000
    (src / "a.jsonl").write_text(
        '{"title": "You won\'t believe it", "id": 1, "n": 1e400}\n'
        '{"title": "bad \\ud800 x", "id": 2, "n": 0}\n'
        f'{{"title": "deep", "id": 3, "n": {deep}}}\n'
    )
    (src / "b.csv").write_text('title,id\nBudget passes,4\n"never closed,5\nCourt rules,6\n')
    for pattern, n_rows in (("*.jsonl", 3), ("*.csv", 2)):
        want = local_rows(model_dir, sorted(src.glob(pattern)), tmp_path)
        out = tmp_path / f"scored-{pattern[2:]}"
        args = ["--model", model_dir, "score", "--engine", "dask", "--scheduler"]
        args += [client.scheduler.address, str(src / pattern), "-o", str(out), "-q"]
        assert main(args) == 0
        got = part_rows(out)
        assert got == want and len(got) == n_rows
    jsonl = local_rows(model_dir, [src / "a.jsonl"], tmp_path)
    assert [r["n"] for r in jsonl] == ["1e400", "0", ""]
    assert "lone surrogate" in jsonl[1]["error"] and jsonl[1]["title"] == "bad \ufffd x"
    assert jsonl[2]["error"].startswith("JSON line nested more than 200 levels deep")
    csv_rows = local_rows(model_dir, [src / "b.csv"], tmp_path)
    assert csv_rows[1]["error"].startswith("unclosed quote: a quoted field opened on line 3")


def test_a_dask_dataframe_with_a_lone_surrogate_is_row_errors(client, tiny_model, tmp_path):
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from framing.engines.dask_engine import score_dataframe, write_partitions

    frame = pd.DataFrame(
        {"headline": ["Budget passes", "bad \ud800 x", "Court rules"], "id": ["a", "b\udc80", "c"]},
        dtype=object,
    )
    with dask.config.set({"dataframe.convert-string": False}):  # pyarrow refuses surrogates
        ddf = dd.from_pandas(frame, npartitions=2)
    scored = score_dataframe(ddf, model=tiny_model, top_k=1)
    got = scored.compute()
    assert list(got["error"].isna()) == [True, False, True]
    assert "lone surrogate" in got["error"].iloc[1]
    out = tmp_path / "parts"
    out.mkdir()
    for fmt in ("jsonl", "csv", "parquet"):  # the id column's surrogate: written as U+FFFD
        names, summary = write_partitions(scored, str(out), fmt, ["headline", "id"])
        assert summary.rows == 3 and summary.errors == 1


def test_frames_and_techniques_on_dask_equal_local(client, parquet_dir, tmp_path):
    """The Dask engine takes the local path's options whole: frames and techniques too."""
    from framing.batch import ScoreOptions
    from framing.core.model import load_model
    from framing.engines.dask_engine import score_dataframe

    files = sorted(parquet_dir.glob("*.parquet"))[:2]
    flags = ["--frames", "--techniques", "--all-techniques", "--top-k", "2"]
    want = []
    for i, f in enumerate(files):
        out = tmp_path / f"local-{i}.parquet"
        assert main(["score", str(f), "-o", str(out), "-q", *flags]) == 0
        want += pq.read_table(out).to_pylist()
    options = ScoreOptions(frames=True, techniques=True, all_techniques=True, top_k=2)
    scored = score_dataframe([str(f) for f in files], options, model=load_model())
    assert {"frame_top", "frames", "techniques"} <= set(scored.columns)
    got = pa.Table.from_pandas(scored.compute(), preserve_index=False).to_pylist()
    assert got == want
