"""``framing score --engine dask INPUT_GLOB -o OUTPUT_DIR``: the batch path on a Dask cluster.

Partitioned output, in input order; the scoring is :mod:`framing.engines.dask_engine`'s (the
same :func:`framing.batch.run_chunks` per partition as the local command).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from framing import tables
from framing.cli.common import EXIT_INTERRUPTED, EXIT_STRICT, printable
from framing.cli.terms import load_cli_model
from framing.errors import InputError

__all__ = ["run"]


def _client(args):
    """A client of the cluster at --scheduler, or of a local cluster sized to this machine."""
    from distributed import Client, LocalCluster

    if args.scheduler:
        if args.workers is not None:
            raise InputError(
                "--workers sizes a local cluster; with --scheduler, the cluster's "
                "own workers are used"
            )
        try:
            return Client(args.scheduler, timeout="10s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"cannot reach the Dask scheduler at {args.scheduler} ({exc}); give its address "
                "as tcp://HOST:8786 and check that it is running"
            ) from None
    from dask.system import CPU_COUNT  # the cores this process may use (cgroup quotas too)

    n = args.workers if args.workers is not None else CPU_COUNT
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # health routes: any free port
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def _engine():
    try:
        from framing.engines import dask_engine

        dask_engine.require_dask()
        import distributed  # noqa: F401
    except ImportError as exc:
        raise InputError(
            f'the Dask engine needs dask and distributed: pip install "framing[dask]" ({exc})'
        ) from None
    return dask_engine


def _target(args) -> tuple[str, bool, Path]:
    """The output format, whether the output is remote, and the local target folder."""
    if args.input == "-":
        raise InputError("--engine dask reads files: give a path, folder or glob, not -")
    if args.output == "-":
        raise InputError("--engine dask writes a folder of files: give -o OUTPUT_DIR")
    guessed = tables.EXTENSIONS.get(Path(args.output).suffix.lower())
    fmt = args.output_format or (guessed if guessed in tables.OUTPUT_FORMATS else "parquet")
    remote = "://" in args.output and not args.output.startswith("file://")
    target = Path(args.output)
    if not remote:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise InputError(
                f"{args.output} exists and is not an empty folder; remove it or "
                "choose another output folder"
            )
        if not target.parent.is_dir():
            raise InputError(f"cannot write {args.output}: folder {target.parent} does not exist")
    return fmt, remote, target


def run(args, options, t0: float) -> int:
    """Run ``framing score --engine dask`` with the checked ``options``
    (:func:`framing.cli.score.score_options`); the exit code."""
    fmt, remote, target = _target(args)
    engine = _engine()
    model = load_cli_model(args)
    client, cluster = _client(args)
    tmp = None
    try:
        data = engine.read_dataframe(args.input, format=args.format, encoding=args.encoding)
        scored = engine.score_dataframe(data, options, id_col=args.id_col, model=model)
        where = args.output
        if not remote:  # write beside the target, then rename: never a partial OUTPUT_DIR
            tmp = tempfile.mkdtemp(prefix=f".{target.name}.framing-", dir=target.parent)
            where = tmp
        files, summary = engine.write_partitions(
            scored,
            where,
            fmt,
            engine.input_columns(data),
            guard=not args.no_formula_guard,
            id_col=args.id_col,
        )
        if tmp is not None:
            if target.exists():
                target.rmdir()
            os.replace(tmp, target)
            tmp = None
        workers = len(client.nthreads())
    except KeyboardInterrupt:
        print(f"framing: interrupted; {printable(args.output)} was not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        client.close()
        if cluster is not None:
            cluster.close()
    if not args.quiet:
        line = summary.describe(time.perf_counter() - t0)
        print(
            f"framing: {line}; wrote {len(files)} {fmt} files to {printable(args.output)} "
            f"({workers} Dask workers)",
            file=sys.stderr,
        )
        for line in summary.first_errors:
            print(f"framing:   {printable(line)}", file=sys.stderr)
    return EXIT_STRICT if args.strict and summary.errors else 0
