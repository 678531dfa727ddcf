"""Benchmark of the feedback store: prints figures (never asserts them).

    python benchmarks/bench_feedback_store.py [--processes 4] [--marks 500] [--backend both]

Issue 27's check "4 processes writing 500 marks each at once, SQLite and PostgreSQL: 2,000
stored, none lost, no error": ``--processes`` processes each store ``--marks`` word marks,
one transaction per mark (``store.add``), all starting at the same moment, into

* a new SQLite file (WAL mode, ``synchronous=NORMAL``, as ``framing feedback`` opens it), and
* a new database on a throwaway PostgreSQL server started for the run (the tests' helper,
  tests/feedback/pg_cluster.py: a cluster in a temporary folder on a free port of 127.0.0.1,
  fsync on, stopped by its process id at the end).

Printed per backend: marks stored (distinct marks found afterwards), lost, errors, and the
seconds from the common start to the last writer's end (the interpreters' start-up left
out), with marks/s. PostgreSQL is skipped, with the reason, when its programs are missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from feedback.pg_cluster import Cluster, find_bindir  # noqa: E402
from feedback.writers import run_writers  # noqa: E402


def _report(name: str, result: dict, expected: int) -> None:
    seconds = result["seconds"]
    print(
        f"{name:<11} stored {result['stored']:,}/{expected:,}  lost {result['lost']:,}  "
        f"errors {len(result['errors']):,}  rows {result['rows']:,}  "
        f"{seconds:.2f} s  ({result['rows'] / seconds:,.0f} marks/s)"
    )
    for error in result["errors"][:5]:
        print(f"    error: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--marks", type=int, default=500, help="marks per process")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    args = parser.parse_args()
    expected = args.processes * args.marks
    print(f"{args.processes} processes x {args.marks} marks at once, one transaction per mark")
    if args.backend in ("both", "sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            result = run_writers(str(Path(folder) / "marks.sqlite3"), args.processes, args.marks)
        _report("SQLite", result, expected)
    if args.backend in ("both", "postgresql"):
        bindir = find_bindir()
        if bindir is None:
            print("PostgreSQL  skipped: no initdb/postgres found (install Debian's postgresql)")
            return 0
        with Cluster(bindir, fsync=True) as cluster:
            url = cluster.create_database()
            result = run_writers(url, args.processes, args.marks)
        _report(f"PostgreSQL {bindir.parent.name}", result, expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
