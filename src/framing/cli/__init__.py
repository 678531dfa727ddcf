"""The ``framing`` command: score files, explain a text, show the model, train and protocols.

    framing score headlines.csv -o scored.csv      # CSV, TSV, JSONL, Parquet or .txt; - = stdin
    framing explain "You won't believe what happened next"
    framing info
    framing train --user-data labels.csv --head partisan --out my_model/
    framing evaluate --data labelled.csv --head clickbait

A thin layer: reading and writing is :mod:`framing.io`, scoring :mod:`framing.batch`.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import signal
import sys
import time
from itertools import chain
from pathlib import Path

from framing.errors import FramingError, InputError

EXIT_FATAL = 2
EXIT_INTERRUPTED = 130


# ---- score --------------------------------------------------------------------------------------
class Progress:
    """Rows done, rows/s and ETA on stderr, redrawn in place (only on a terminal)."""

    def __init__(self, enabled: bool, size: int | None, position):
        self.enabled = enabled
        self.size = size
        self.position = position
        self.t0 = time.perf_counter()
        self.last = 0.0

    def update(self, rows: int, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.t0, 1e-9)
        msg = f"\r{rows:,} rows  {rows / elapsed:,.0f} rows/s"
        pos = self.position() if self.position else None
        if self.size and pos is not None and 0 < pos <= self.size and not final:
            frac = pos / self.size
            eta = elapsed * (1 - frac) / max(frac, 1e-9)
            msg += f"  {frac:5.1%}  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        sys.stderr.write(msg.ljust(60) + ("\n" if final else ""))
        sys.stderr.flush()


_WORKER_SCORER = None


def _worker_init(model_path, options) -> None:
    global _WORKER_SCORER
    if _WORKER_SCORER is None:  # with fork the parent's scorer is inherited
        from framing.batch import Scorer
        from framing.core.model import load_model

        _WORKER_SCORER = Scorer(load_model(model_path), options)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # Pool.terminate() stops workers with it


def _worker_score(payload):
    return _WORKER_SCORER.score(*payload)


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated()


def _open_input(path: str):
    if path == "-":
        return contextlib.nullcontext(sys.stdin.buffer), None
    p = Path(path)
    if not p.exists():
        raise InputError(f"no such file: {path}")
    if p.is_dir():
        raise InputError(f"{path} is a folder; give a file")
    return open(p, "rb"), p.stat().st_size  # noqa: SIM115


def _make_writer(fmt, fh, columns, user_columns, guard, raw_json):
    from framing import tables as fio

    if fmt in ("csv", "tsv"):
        return fio.DelimitedWriter(fh, columns, fmt, user_columns, guard)
    if fmt == "jsonl":
        return fio.JsonlWriter(fh, columns, raw_json)
    return fio.ParquetWriter(fh, columns)


def _cmd_score(args) -> int:
    from framing import tables as fio
    from framing.batch import (
        JSON_COLUMNS,
        ScoreOptions,
        Scorer,
        merge,
        output_columns,
        prepare,
        resolve_columns,
    )
    from framing.core.model import load_model

    t0 = time.perf_counter()
    if args.engine == "dask":
        if args.frames or args.techniques:
            raise InputError("--frames and --techniques work with the local engine only")
        return _cmd_score_dask(args, t0)
    if args.scheduler:
        raise InputError("--scheduler is for --engine dask")
    if args.workers is None:
        args.workers = 1
    if args.workers < 1:
        raise InputError("--workers must be at least 1")
    if args.top_k < 0:
        raise InputError("--top-k must be 0 or more")
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise InputError("--threshold must be between 0 and 1")
    in_fmt = "txt" if args.input == "-" and not args.format else None
    in_fmt = in_fmt or fio.format_of(args.input, args.format)
    if args.output == "-":
        out_fmt = args.output_format or (in_fmt if in_fmt in ("csv", "tsv", "jsonl") else "csv")
        out_fmt = fio.format_of("-", out_fmt, output=True)
    else:
        out_fmt = fio.format_of(args.output, args.output_format, output=True)
        if args.input != "-" and Path(args.output).resolve() == Path(args.input).resolve():
            raise InputError("the output path is the input file; write to another file")
    model = load_model(args.model)
    opener, size = _open_input(args.input)
    with opener as binary:
        stats = fio.ReadStats()
        chunks = fio.read_chunks(
            binary, in_fmt, encoding=args.encoding, chunk_size=args.chunk_size, stats=stats
        )
        first = next(chunks, None)
        columns = list(stats.columns) or [args.headline_col or "headline"]
        headline_col, body_col = resolve_columns(
            columns, args.headline_col, args.body_col, args.id_col
        )
        options = ScoreOptions(
            headline_col=headline_col,
            body_col=body_col,
            top_k=args.top_k,
            threshold=args.threshold,
            max_chars=args.max_chars,
            frames=args.frames,
            techniques=args.techniques,
        )
        out_cols = output_columns(
            model,
            headline_col,
            body_col,
            args.top_k,
            frames=args.frames,
            techniques=args.techniques,
        )
        clash = [c for c in out_cols if c in columns]
        if clash:
            raise InputError(
                f"the input already has output column(s) {clash}; rename or drop them "
                "before scoring (e.g. when re-scoring a scored file)"
            )
        all_cols = columns + out_cols
        raw_json = [c for c in out_cols if c.endswith("_terms") or c in JSON_COLUMNS]
        progress = Progress(
            sys.stderr.isatty() and not args.quiet,
            size,
            (lambda: binary.tell()) if size else None,
        )
        counts = {"read": 0, "errors": 0}
        first_errors: list[str] = []

        def scored_chunks(score_fn):
            for chunk in chain([first] if first else [], chunks):
                prepared = prepare(chunk, headline_col, body_col, args.max_chars)
                yield chunk, score_fn(prepared)

        def write_all(writer, results):
            for chunk, scored in results:
                writer.write(merge(chunk, scored, columns))
                counts["read"] += len(chunk)
                for row, err in zip(chunk, scored["error"], strict=True):
                    if err:
                        counts["errors"] += 1
                        if len(first_errors) < 3:
                            ident = (
                                f"{args.id_col}={row.fields.get(args.id_col)!r}"
                                if args.id_col
                                else f"line {row.line}"
                            )
                            first_errors.append(f"{ident}: {err}")
                progress.update(counts["read"])
            writer.close()

        def run(fh):
            writer = _make_writer(
                out_fmt, fh, all_cols, columns, not args.no_formula_guard, raw_json
            )
            if args.workers == 1:
                scorer = Scorer(model, options)
                write_all(writer, scored_chunks(lambda p: scorer.score(*p)))
            else:
                write_all(writer, _parallel(model, options, args, scored_chunks))

        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            if args.output == "-":
                sys.stdout.flush()
                binary_out = out_fmt == "parquet"
                if binary_out:
                    run(sys.stdout.buffer)
                else:
                    stream = io.TextIOWrapper(
                        sys.stdout.buffer, encoding="utf-8", newline="", write_through=False
                    )
                    try:
                        run(stream)
                    finally:
                        with contextlib.suppress(ValueError, OSError):
                            stream.flush()
                        stream.detach()
            else:
                with fio.atomic_output(args.output, binary=out_fmt == "parquet") as fh:
                    run(fh)
        except (KeyboardInterrupt, _Terminated):
            progress.update(counts["read"], final=True)
            where = "" if args.output == "-" else f"; {args.output} was not written"
            print(f"framing: interrupted after {counts['read']:,} rows{where}", file=sys.stderr)
            return EXIT_INTERRUPTED
        finally:
            signal.signal(signal.SIGTERM, previous)
    progress.update(counts["read"], final=True)
    elapsed = time.perf_counter() - t0
    if not args.quiet:
        n, e = counts["read"], counts["errors"]
        where = "stdout" if args.output == "-" else args.output
        print(
            f"framing: {n:,} rows read, {n - e:,} scored, {e:,} with errors (see the error "
            f"column); {elapsed:.1f} s, {n / max(elapsed, 1e-9):,.0f} rows/s; wrote {where}",
            file=sys.stderr,
        )
        for line in first_errors:
            print(f"framing:   {line}", file=sys.stderr)
        if stats.late_columns:
            kept = "they are kept in JSONL output" if out_fmt == "jsonl" else "not in the output"
            print(
                f"framing: warning: keys first seen after the first {args.chunk_size:,} rows "
                f"({', '.join(stats.late_columns[:10])}) are {kept}; "
                "use -o with .jsonl to keep every key",
                file=sys.stderr,
            )
    return 0


def _dask_client(args):
    """A client of the cluster at --scheduler, or of a local cluster sized to this machine."""
    import logging

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
    if n < 1:
        raise InputError("--workers must be at least 1")
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # health routes: any free port
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def _cmd_score_dask(args, t0) -> int:
    """`framing score --engine dask INPUT_GLOB -o OUTPUT_DIR`: partitioned output, in order."""
    import shutil
    import tempfile

    from framing import tables as fio
    from framing.core.model import load_model

    try:
        from framing.engines import dask_engine as fdask

        fdask._dask()
        import distributed  # noqa: F401
    except ImportError as exc:
        raise InputError(
            f'the Dask engine needs dask and distributed: pip install "framing[dask]" ({exc})'
        ) from None
    if args.input == "-":
        raise InputError("--engine dask reads files: give a path, folder or glob, not -")
    if args.output == "-":
        raise InputError("--engine dask writes a folder of files: give -o OUTPUT_DIR")
    suffix = Path(args.output).suffix.lower()
    guessed = fio.EXTENSIONS.get(suffix)
    fmt = args.output_format or (guessed if guessed in fio.OUTPUT_FORMATS else "parquet")
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
    model = load_model(args.model)
    client, cluster = _dask_client(args)
    tmp = None
    try:
        scored, input_columns = fdask._score(
            args.input,
            headline_col=args.headline_col,
            body_col=args.body_col,
            id_col=args.id_col,
            model=model,
            top_k=args.top_k,
            threshold=args.threshold,
            max_chars=args.max_chars,
            chunk_size=args.chunk_size,
            format=args.format,
            encoding=args.encoding,
            storage_options=None,
        )
        where = args.output
        if not remote:  # write beside the target, then rename: never a partial OUTPUT_DIR
            tmp = tempfile.mkdtemp(prefix=f".{target.name}.framing-", dir=target.parent)
            where = tmp
        result = fdask._write_files(
            scored, where, fmt, input_columns, guard=not args.no_formula_guard, id_col=args.id_col
        )
        if tmp is not None:
            if target.exists():
                target.rmdir()
            os.replace(tmp, target)
            tmp = None
        workers = len(client.nthreads())
    except KeyboardInterrupt:
        print(f"framing: interrupted; {args.output} was not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        client.close()
        if cluster is not None:
            cluster.close()
    if not args.quiet:
        n, e = result["rows"], result["errors"]
        elapsed = time.perf_counter() - t0
        print(
            f"framing: {n:,} rows read, {n - e:,} scored, {e:,} with errors (see the error "
            f"column); {elapsed:.1f} s, {n / max(elapsed, 1e-9):,.0f} rows/s; wrote "
            f"{len(result['files'])} {fmt} files to {args.output} ({workers} Dask workers)",
            file=sys.stderr,
        )
        for line in result["first_errors"]:
            print(f"framing:   {line}", file=sys.stderr)
    return 0


def _parallel(model, options, args, scored_chunks):
    """Score chunks in ``args.workers`` processes; results come back in input order."""
    import multiprocessing as mp

    global _WORKER_SCORER
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        from framing.batch import Scorer

        _WORKER_SCORER = Scorer(model, options)
    pool = ctx.Pool(args.workers, initializer=_worker_init, initargs=(args.model, options))
    pending: collections.deque = collections.deque()
    try:
        for chunk, result in scored_chunks(lambda p: pool.apply_async(_worker_score, (p,))):
            pending.append((chunk, result))
            if len(pending) >= 2 * args.workers:
                c, r = pending.popleft()
                yield c, r.get()
        while pending:
            c, r = pending.popleft()
            yield c, r.get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _WORKER_SCORER = None


# ---- explain ------------------------------------------------------------------------------------
def _paint(text: str, code: str, on: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if on else text


def _render_head(label: str, hs, text: str, k: int, color: bool) -> list[str]:
    verdict = "yes" if hs.label else "no"
    lines = [
        f"{_paint(label, '1', color)}: probability {hs.probability:.3f} "
        f"(label {verdict} at threshold {hs.threshold:.2f}; logit {hs.logit:+.3f} = "
        f"intercept {hs.intercept:+.3f} + word contributions)"
    ]
    for direction, code, name in (("up", "31", "pushing up"), ("down", "32", "pushing down")):
        top = hs.top(k, direction)
        if not top:
            continue
        parts = []
        for t in top:
            shown = ", ".join(text[s.start : s.end] for s in t.spans[:3])
            spans = " ".join(f"[{s.start}:{s.end}]" for s in t.spans[:3])
            parts.append(f"{_paint(shown, code, color)} {t.contribution:+.3f} {spans}")
        lines.append(f"  {name}: " + "; ".join(parts))
    return lines


def _cmd_explain(args) -> int:
    from framing.core.model import load_model
    from framing.explanation.build import explain

    text = sys.stdin.read() if args.text == "-" else args.text
    body = args.body
    if args.body_file:
        try:
            body = Path(args.body_file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError(f"no such file: {args.body_file}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{args.body_file} is not UTF-8 text ({exc})") from None
    if not (text and text.strip()) and not (body and body.strip()):
        raise InputError("nothing to explain: give a non-empty TEXT (or --body / --body-file)")
    model = load_model(args.model)
    result = explain(headline=text or None, body=body, model=model)
    article, overall = result.article, result.overall
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    lines: list[str] = []
    if text and text.strip():
        lines.append(f"headline: {text}")
        for label, hs in (("clickbait", result.clickbait), ("loaded", result.loaded_headline)):
            if hs is not None:
                lines += _render_head(label, hs, text, args.top, color)
    if article is not None:
        lines.append(
            f"{_paint('article (loaded)', '1', color)}: probability {article.probability:.3f} "
            f"(mean of the top {article.top_k} of {article.n_sentences} sentences; "
            f"{article.share_above_threshold:.0%} at or above {article.threshold:.2f})"
        )
    if overall is not None:
        lines.append(f"{_paint('overall', '1', color)}: {overall.score:.3f} (for sorting)")
    if result.techniques is not None:
        found = ", ".join(f"{k} ({v})" for k, v in result.techniques.items()) or "none"
        lines.append(f"{_paint('techniques', '1', color)} (sentences): {found}")
        for s in result.ranked_sentences()[: args.top]:
            if s.detected_techniques:
                snippet = " ".join(result.body[s.start : s.end].split())[:70]
                lines.append(f"  {', '.join(s.detected_techniques)}: {snippet}")
    if result.frames is not None:
        shown = [f for f in result.frames.frames if f.decision] or result.frames.frames[:1]
        frames = ", ".join(
            f"{f.label} {f.probability:.2f} ({', '.join(t.term for t in f.top(3))})" for f in shown
        )
        lines.append(f"{_paint('frames', '1', color)}: {frames}")
    for w in result.warnings:
        lines.append(f"warning: {w}")
    print("\n".join(lines))
    return 0


# ---- info ---------------------------------------------------------------------------------------
def _headline_metrics(manifest: dict) -> list[str]:
    keys = ("accuracy", "macro_f1", "mse", "roc_auc", "term_r_precision")
    out = []
    for name, m in sorted(manifest.get("metrics", {}).items()):
        ours, plain = m.get("ours", {}), m.get("plain", {})
        figs = []
        for k in keys:
            if k in ours:
                fig = f"{k} {ours[k]:.3f}"
                if k in plain:
                    fig += f" (plain {plain[k]:.3f})"
                figs.append(fig)
        n = ours.get("n")
        out.append(f"  {name}: {', '.join(figs)}" + (f"  [n={n}]" if n else ""))
    return out


def _cmd_info(args) -> int:
    from framing.core.model import load_model, resolve_model_path

    path = resolve_model_path(args.model)
    model = load_model(args.model)
    m = model.manifest
    if args.json:
        print(json.dumps({"path": str(path), "manifest": m}, indent=2, sort_keys=True))
        return 0
    art = m.get("artifact", {})
    lines = [
        f"model: {path}",
        f"artifact: {art.get('bytes', 0):,} bytes, sha256 {art.get('sha256', '?')[:16]}..., "
        f"format {m.get('format_version')}",
        "heads:",
    ]
    for name, h in model.heads.items():
        lines.append(
            f"  {name}: unit {h.unit}, {h.space.n_features:,} features, threshold "
            f"{h.threshold:.2f}" + (f" - {h.description}" if h.description else "")
        )
    libs = m.get("libraries", {})
    if libs:
        lines.append("trained with: " + ", ".join(f"{k} {v}" for k, v in sorted(libs.items())))
    metrics = _headline_metrics(m)
    if metrics:
        lines.append("evaluation (see MODEL_CARD.md for protocols):")
        lines += metrics
    card = path.with_name("MODEL_CARD.md")
    if card.is_file():
        lines.append(f"model card: {card}")
    print("\n".join(lines))
    return 0


# ---- train / evaluate ---------------------------------------------------------------------------
def _cmd_train(args) -> int:
    from framing.training import datasets, runs

    out = Path(args.out)
    name_penalty = check_name_penalty(args)
    if args.user_data:
        if not args.head:
            raise InputError("--user-data needs --head NAME (the new head's name)")
        runs.retrain_user_file(
            Path(args.user_data),
            args.head,
            out,
            text_col=args.text_col,
            label_col=args.label_col,
            base_model=args.base_model or args.model,
            n_jobs=args.jobs,
            name_penalty=name_penalty,
        )
    else:
        runs.retrain_default(
            datasets.resolve_data_dir(args.data_dir),
            out,
            evaluate_heads=not args.skip_eval,
            sample=args.sample,
            n_jobs=args.jobs,
        )
    print(f"framing: wrote {out}", file=sys.stderr)
    return 0


def _cmd_evaluate(args) -> int:
    from framing import tables as fio
    from framing.batch import labelled_texts
    from framing.core.model import load_model
    from framing.training import protocols

    model = load_model(args.model)
    head = model[args.head]
    fmt = fio.format_of(args.data, args.format)
    opener, _ = _open_input(args.data)
    with opener as binary:
        stats = fio.ReadStats()
        rows = [r for chunk in fio.read_chunks(binary, fmt, stats=stats) for r in chunk]
    path = args.data
    texts, target, empty = labelled_texts(rows, args.text_col, args.label_col, stats.columns)
    if empty:
        print(f"framing: left out {empty} rows with empty text", file=sys.stderr)
    proba = head.predict_proba(texts)[:, 0]
    threshold = head.threshold if args.threshold is None else args.threshold
    metrics = protocols.binary_metrics(proba, target, threshold)
    table = protocols.reliability_table(proba, target)
    if args.json:
        print(
            json.dumps(
                {
                    "head": args.head,
                    "file": str(path),
                    "threshold": threshold,
                    "metrics": metrics,
                    "reliability": table,
                },
                indent=2,
            )
        )
        return 0
    print(f"head {args.head} on {path} ({metrics['n']:,} rows, threshold {threshold:.2f})")
    for k in ("accuracy", "macro_f1", "f1", "roc_auc", "mse"):
        print(f"  {k:<9} {metrics[k]:.4f}")
    print("calibration (mean predicted vs observed rate per probability bin):")
    print(f"  {'bin':<9} {'n':>7} {'predicted':>10} {'observed':>9}")
    for r in table:
        print(f"  {r['bin']:<9} {r['n']:>7} {r['mean_predicted']:>10.3f} {r['observed']:>9.3f}")
    return 0


# ---- parser -------------------------------------------------------------------------------------
def add_training_arguments(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``framing train`` and ``training/train.py``."""
    parser.add_argument(
        "--data-dir", help="data folder (default $FRAMING_DATA_DIR or ../shared/data)"
    )
    parser.add_argument("--skip-eval", action="store_true", help="train without the evaluation")
    parser.add_argument("--sample", type=int, help="at most N rows per dataset (smoke tests)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel folds (default 2)")
    parser.add_argument("--user-data", help="CSV/TSV/JSONL of your own labels (text,label)")
    parser.add_argument("--head", help="name of the head to train from --user-data")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="label")
    parser.add_argument(
        "--name-penalty",
        type=float,
        metavar="S",
        help="with --user-data: penalise the features of names (words capitalised inside\n"
        "sentences) 1/S^2 times harder, S in (0, 1]; e.g. 0.3 (default: no penalty)",
    )


def check_name_penalty(args) -> float | None:
    """``--name-penalty``, checked: a number in (0, 1], for --user-data heads only."""
    s = args.name_penalty
    if s is None:
        return None
    if not args.user_data:
        raise InputError("--name-penalty applies to --user-data heads only")
    if not 0 < s <= 1:
        raise InputError(f"--name-penalty {s}: give a number in (0, 1], e.g. 0.3")
    return s


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="framing", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    model_help = "model folder or artifact (default: $FRAMING_MODEL, else the shipped model)"
    parser.add_argument("--model", help=model_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", default=argparse.SUPPRESS, help=model_help)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "score",
        parents=[common],
        help="score a file of headlines and/or articles",
        description="Score every row of INPUT; every input row is written, scored or with an "
        "error column saying why.",
    )
    p.add_argument(
        "input", help="CSV, TSV, JSONL, Parquet or .txt (one headline a line); - = stdin"
    )
    p.add_argument("-o", "--output", default="-", help="output file (default - = stdout)")
    p.add_argument(
        "--format",
        choices=("csv", "tsv", "jsonl", "parquet", "txt"),
        help="input format (default: from the extension; txt for stdin)",
    )
    p.add_argument(
        "--output-format",
        choices=("csv", "tsv", "jsonl", "parquet"),
        help="output format (default: from the extension; for stdout the input's)",
    )
    p.add_argument("--headline-col", help="headline column (default: headline or title)")
    p.add_argument("--body-col", help="article body column (default: body or text)")
    p.add_argument("--id-col", help="id column, used to name rows in messages")
    p.add_argument("--threshold", type=float, help="label threshold (default: each head's, 0.5)")
    p.add_argument(
        "--top-k", type=int, default=3, help="terms per head and row (default 3; 0: none)"
    )
    p.add_argument(
        "--frames",
        action="store_true",
        help="add frame_top and frames (JSON) from the model's 'frame' head (headline + body)",
    )
    p.add_argument(
        "--techniques",
        action="store_true",
        help="add techniques (JSON: the body's most frequent persuasion techniques, by "
        "sentence) from the model's 'technique' head",
    )
    p.add_argument(
        "--workers",
        type=int,
        help="processes (default 1; with --engine dask and no --scheduler: local Dask workers, "
        "default one per core)",
    )
    p.add_argument("--encoding", default="utf-8", help="input encoding (default utf-8, BOM ok)")
    p.add_argument(
        "--max-chars",
        type=int,
        default=100_000,
        help="longer texts are row errors (default 100000)",
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=2_000,
        help="rows per chunk (default 2000: peak memory ~280 MB; larger is a little faster)",
    )
    p.add_argument(
        "--no-formula-guard",
        action="store_true",
        help="do not prefix formula-like CSV cells with '",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local (default) or dask: INPUT may be a folder or glob (also s3://... with "
        "s3fs), -o a folder of part files (Parquet unless --output-format); needs "
        'pip install "framing[dask]"',
    )
    p.add_argument(
        "--scheduler",
        help="with --engine dask: address of a running Dask scheduler (tcp://HOST:8786); "
        "default: a local cluster with one worker per core",
    )
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("explain", parents=[common], help="explain one headline (and body)")
    p.add_argument("text", help="the headline (- reads it from stdin)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--body", help="article body text")
    g.add_argument("--body-file", help="file holding the article body (UTF-8)")
    p.add_argument("--json", action="store_true", help="print the JSON of explain()")
    p.add_argument("--top", type=int, default=5, help="terms shown each way (default 5)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser("info", parents=[common], help="the model, its manifest and figures")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("train", parents=[common], help="retrain the model or train your own head")
    p.add_argument("--out", required=True, help="folder to write the model into")
    add_training_arguments(p)
    p.add_argument("--base-model", help="model to add the user head to (default: --model)")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", parents=[common], help="evaluate a head on your labelled file")
    p.add_argument("--data", required=True, help="CSV/TSV/JSONL/Parquet with text and label")
    p.add_argument(
        "--format",
        choices=("csv", "tsv", "jsonl", "parquet"),
        help="format of --data (default: from the extension)",
    )
    p.add_argument("--head", required=True, help="head to evaluate, e.g. clickbait")
    p.add_argument("--text-col", default="text")
    p.add_argument("--label-col", default="label")
    p.add_argument("--threshold", type=float, help="label threshold (default: the head's)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
    except OSError as exc:
        print(
            f"framing: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_FATAL
