"""Concurrent writers for the tests and the benchmark: processes that each store marks one
transaction at a time, at once, into the same database; what was stored and lost."""

from __future__ import annotations

import multiprocessing
import time

from framing.feedback import Mark, open_store

TEXT = "Writer {w} says the despot slams talks, mark {i}"


def _write(url: str, writer: int, n: int, start_at: float, queue) -> None:
    ids, errors = [], []
    while time.time() < start_at:  # all writers begin together
        time.sleep(0.001)
    try:
        store = open_store(url)
    except Exception as exc:
        queue.put((writer, [], [f"opening: {type(exc).__name__}: {exc}"]))
        return
    with store:
        for i in range(n):
            text = TEXT.format(w=writer, i=i)
            at = text.index("despot")
            mark = Mark(text, "headline", start=at, end=at + 6, answer="loaded", user=f"w{writer}")
            try:
                ids.append(store.add(mark))
            except Exception as exc:  # counted, reported by the caller
                errors.append(f"{type(exc).__name__}: {exc}")
    queue.put((writer, ids, errors))


def run_writers(url: str, processes: int = 4, per_process: int = 500, *, create=True) -> dict:
    """``processes`` processes each storing ``per_process`` marks (one transaction each) at
    once into ``url``; ``stored`` (distinct marks found afterwards), ``lost``, ``errors``,
    ``seconds`` (from the common start to the last writer's end). ``create``: the schema is
    created before the writers start (else each writer's ``open_store`` may create it)."""
    if create:
        with open_store(url):
            pass
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 3.0  # the interpreters' start-up left out of the timing
    procs = [
        ctx.Process(target=_write, args=(url, w, per_process, start_at, queue))
        for w in range(processes)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=600) for _ in procs]
    seconds = time.time() - start_at
    for p in procs:
        p.join(timeout=60)
    errors = [e for _w, _ids, errs in results for e in errs]
    ids = [i for _w, got, _e in results for i in got]
    with open_store(url) as store:
        marks = store.list()
    expected = {TEXT.format(w=w, i=i) for w in range(processes) for i in range(per_process)}
    found = {m.text for m in marks}
    return {
        "stored": len(found & expected),
        "rows": len(marks),
        "lost": len(expected - found),
        "errors": errors,
        "ids_distinct": len(set(ids)) == len(ids) == len(marks),
        "seconds": seconds,
    }
