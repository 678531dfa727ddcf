"""``framing score INPUT [-o OUTPUT]``: every row of a file scored, in order, nothing lost.

A thin layer over the one batch path (:func:`framing.batch.run_chunks`): it opens the input
and the output, picks the scorer (this process, or ``--workers N`` processes) and reports.
``--engine dask`` is :mod:`framing.cli.score_dask`.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import time
from dataclasses import replace
from itertools import chain
from pathlib import Path

from framing import strict, tables
from framing.batch import (
    ProcessScorer,
    ScoreOptions,
    Scorer,
    check_new_columns,
    columns_for,
    resolve_columns,
    run_chunks,
)
from framing.batch.options import (
    CHUNK_CHARS,
    CHUNK_SIZE,
    MAX_CHARS,
    ROW_CHARS_PER_MAX_CHARS,
)
from framing.batch.output import open_writer
from framing.cli import score_html
from framing.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_STRICT,
    NamedOutput,
    open_input,
    printable,
    use_color,
)
from framing.cli.score_html import is_pages
from framing.cli.table import TableWriter
from framing.cli.terms import add_terms, load_cli_model
from framing.core.columns import headline_heads
from framing.errors import InputError, OptionError

__all__ = [
    "add_parser",
    "run",
    "score_options",
]


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated()


def _add_limits(p) -> None:
    """The reading, chunking and output-safety options of ``score``."""
    p.add_argument("--encoding", default="utf-8", help="input encoding (default utf-8, BOM ok)")
    p.add_argument(
        "--max-chars",
        type=int,
        default=MAX_CHARS,
        help="longer texts are row errors, and rows (lines, records) of over "
        f"{ROW_CHARS_PER_MAX_CHARS} times as many characters are not read (default {MAX_CHARS})",
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=CHUNK_SIZE,
        help=f"at most this many rows per chunk (default {CHUNK_SIZE})",
    )
    p.add_argument(
        "--chunk-chars",
        type=int,
        default=CHUNK_CHARS,
        help=f"a chunk ends once its rows hold this many characters (default {CHUNK_CHARS}: "
        "peak memory under 500 MB a worker at the default limits)",
    )
    p.add_argument(
        "--no-formula-guard",
        action="store_true",
        help="do not prefix formula-like CSV cells with '",
    )


def add_parser(sub, common) -> None:
    """The ``score`` command's options."""
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
        choices=tables.FORMATS,
        help="input format (default: from the extension; txt for stdin)",
    )
    p.add_argument(
        "--output-format",
        choices=(*tables.OUTPUT_FORMATS, "table"),
        help="output format (default: from the extension; on a terminal a readable table; "
        "for other stdout the input's); table: one readable line per row",
    )
    p.add_argument("--headline-col", help="headline column (default: headline or title)")
    p.add_argument("--body-col", help="article body column (default: body or text)")
    p.add_argument("--id-col", help="id column, used to name rows in messages")
    p.add_argument(
        "--html-col",
        help="a column of web pages (HTML): their headline and main text are extracted into "
        'page_headline and page_body and scored (needs pip install "framing[html]"); INPUT '
        "may also be an .html file or a folder of them",
    )
    p.add_argument("--threshold", type=float, help="label threshold (default: each head's, 0.5)")
    p.add_argument(
        "--top-k", type=int, default=3, help="terms per head and row (default 3; 0: none)"
    )
    p.add_argument(
        "--heads",
        type=lambda v: [h.strip() for h in v.split(",") if h.strip()],
        help="score only these binary heads, comma-separated (e.g. clickbait; default: every "
        "one); the others' work is skipped, and overall_score needs every head it counts",
    )
    _add_technique_and_frame_flags(p)
    p.add_argument(
        "--workers",
        type=int,
        help="processes (default 1; with --engine dask and no --scheduler: local Dask workers, "
        "default one per core)",
    )
    _add_limits(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit with 1 when a row could not be scored or the input drew a warning (an "
        "unclosed quote, dropped keys); the output is written all the same",
    )
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
    add_terms(p)
    p.set_defaults(func=run)


def _add_technique_and_frame_flags(p) -> None:
    """``--frames``, ``--techniques`` and ``--all-techniques``."""
    p.add_argument(
        "--frames",
        action="store_true",
        help="add frame_top and frames (JSON) from the model's 'frame' head (headline + body)",
    )
    p.add_argument(
        "--techniques",
        action="store_true",
        help="add techniques (JSON: the body's most frequent persuasion techniques, by "
        "sentence) from the model's 'technique' head; only the techniques measured reliable "
        "(precision >= 0.5 on PTC dev)",
    )
    p.add_argument(
        "--all-techniques",
        action="store_true",
        help="with --techniques: count every technique, and add techniques_low_confidence "
        "(JSON list of the low-confidence ones among them)",
    )


def _formats(args) -> tuple[str, str]:
    pages = is_pages(args.input) and not args.format
    if pages or args.html_col:  # web pages: their headline and body extracted and scored
        args.headline_col = args.headline_col or score_html.HEADLINE
        args.body_col = args.body_col or score_html.BODY
    in_fmt = "html" if pages else "txt" if args.input == "-" and not args.format else None
    in_fmt = in_fmt or tables.format_of(args.input, args.format)
    if args.output_format == "table" and args.output != "-":
        raise InputError("--output-format table is for reading on screen; drop -o")
    if args.output == "-" and (
        args.output_format == "table" or (args.output_format is None and sys.stdout.isatty())
    ):
        return in_fmt, "table"
    if args.output == "-":
        out_fmt = args.output_format or (in_fmt if in_fmt in ("csv", "tsv", "jsonl") else "csv")
        return in_fmt, tables.format_of("-", out_fmt, output=True)
    out_fmt = tables.format_of(args.output, args.output_format, output=True)
    if args.input != "-" and Path(args.output).resolve() == Path(args.input).resolve():
        raise InputError("the output path is the input file; write to another file")
    return in_fmt, out_fmt


def _table_writer(fh, columns, out_cols, options: ScoreOptions, args) -> TableWriter:
    return TableWriter(
        fh,
        columns,
        text_col=options.headline_col or options.body_col,
        heads=headline_heads(out_cols),
        body=options.body_col is not None,
        id_col=args.id_col,
        color=use_color(),
    )


def score_options(args) -> ScoreOptions:
    """The command line's options as the library's :class:`~framing.batch.ScoreOptions`,
    checked there; an error names the flags (``--max-chars``, not ``max_chars``)."""
    try:
        return ScoreOptions(
            headline_col=args.headline_col,
            body_col=args.body_col,
            top_k=args.top_k,
            heads=args.heads,
            threshold=args.threshold,
            max_chars=args.max_chars,
            frames=args.frames,
            techniques=args.techniques,
            all_techniques=args.all_techniques,
            chunk_size=args.chunk_size,
            chunk_chars=args.chunk_chars,
            workers=1 if args.workers is None else args.workers,  # dask: None, one per core
        )
    except OptionError as exc:
        raise exc.as_flags() from None


@contextlib.contextmanager
def _output(path: str, fmt: str):
    """The file object the writer writes: stdout (text or binary), or an atomic file."""
    binary = fmt == "parquet"
    if path != "-":
        with tables.atomic_output(path, binary=binary) as fh:
            yield NamedOutput(fh, path)
        return
    sys.stdout.flush()
    if binary:
        yield NamedOutput(sys.stdout.buffer, "stdout")
        return
    stream = io.TextIOWrapper(
        sys.stdout.buffer,
        encoding="utf-8",
        errors=strict.ENCODE_ERRORS,
        newline="",
        write_through=False,
    )
    try:
        yield NamedOutput(stream, "stdout")
        NamedOutput(stream, "stdout").flush()  # a full disk is an error, not a silent loss
    finally:
        with contextlib.suppress(ValueError, OSError):
            stream.flush()
        stream.detach()


def _progress(args, size, binary):
    """A tqdm bar on stderr (only on a terminal, without -q) and the callback that moves it."""
    from tqdm import tqdm

    bar = tqdm(
        total=size,
        unit="B" if size else " rows",
        unit_scale=True,
        disable=args.quiet or not sys.stderr.isatty(),
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
    )

    def on_chunk(summary) -> None:
        on_chunk.rows = summary.rows
        if bar.disable:
            return
        try:
            done = binary.tell() if size else summary.rows
        except (OSError, ValueError):  # the reader closed the file after its last row
            done = size or summary.rows
        bar.update(max(done - bar.n, 0))
        bar.set_postfix_str(f"{summary.rows:,} rows", refresh=False)

    on_chunk.rows = 0
    return bar, on_chunk


def _plan(args, model, stats: tables.ReadStats, options: ScoreOptions):
    """The input columns, the scoring options (their text columns found) and the columns
    scoring adds."""
    columns = list(stats.columns) or [args.headline_col or "headline"]
    headline_col, body_col = resolve_columns(columns, args.headline_col, args.body_col, args.id_col)
    options = replace(options, headline_col=headline_col, body_col=body_col)
    out_cols = columns_for(model, options)
    check_new_columns(columns, out_cols)
    return columns, options, out_cols


def _write_all(args, chunks, scorer, columns, out_cols, out_fmt, on_chunk, types):
    """Score and write every chunk into the output; the run's summary."""
    with _output(args.output, out_fmt) as fh:
        if out_fmt == "table":
            writer = _table_writer(fh, columns + out_cols, out_cols, scorer.options, args)
        else:
            writer = open_writer(
                out_fmt,
                fh,
                columns + out_cols,
                columns,
                guard=not args.no_formula_guard,
                input_types=types,
            )
        # the writer says what it takes: CSV/TSV text is rendered where each chunk is
        # scored (in the workers, with several)
        summary = run_chunks(
            chunks, scorer, writer, input_columns=columns, id_col=args.id_col, on_chunk=on_chunk
        )
        writer.close()
    return summary


def _chunks(args, options: ScoreOptions, binary, in_fmt: str, stats):
    """The input's chunks of rows (web pages: :mod:`framing.cli.score_html`)."""
    max_row = options.max_row_chars
    if in_fmt == "html":
        return score_html.page_chunks(args.input, options.chunk_size, max_row, stats)
    chunks = tables.read_chunks(
        binary,
        in_fmt,
        encoding=args.encoding,
        chunk_size=options.chunk_size,
        chunk_chars=options.chunk_chars,
        max_row_chars=max_row,
        stats=stats,
    )
    if args.html_col:
        return score_html.html_column(chunks, args.html_col, max_row, stats)
    return chunks


def run(args) -> int:
    """Run ``framing score`` (``args`` from the parser); the exit code."""
    t0 = time.perf_counter()
    options = score_options(args)
    if args.engine == "dask" and (args.html_col or is_pages(args.input, folders=False)):
        raise InputError("--engine dask reads tables, not web pages: drop --engine dask")
    if args.engine == "dask":
        from framing.cli.score_dask import run as run_dask

        return run_dask(args, options, t0)
    if args.scheduler:
        raise InputError("--scheduler is for --engine dask")
    in_fmt, out_fmt = _formats(args)
    model = load_cli_model(args)
    pages = in_fmt == "html"
    opener, size = (contextlib.nullcontext(None), None) if pages else open_input(args.input)
    with opener as binary:
        stats = tables.ReadStats()
        chunks = _chunks(args, options, binary, in_fmt, stats)
        first = next(chunks, None)
        columns, options, out_cols = _plan(args, model, stats, options)
        if options.workers == 1:
            scorer = Scorer(model, options)
        else:
            scorer = ProcessScorer(args.model, options, options.workers, model)
        bar, on_chunk = _progress(args, size, binary)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            everything = chain([first] if first else [], chunks)
            summary = _write_all(
                args, everything, scorer, columns, out_cols, out_fmt, on_chunk, stats.types
            )
        except (KeyboardInterrupt, _Terminated):
            bar.close()
            where = "" if args.output == "-" else f"; {args.output} was not written"
            print(
                f"framing: interrupted after {on_chunk.rows:,} rows{printable(where)}",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
        finally:
            signal.signal(signal.SIGTERM, previous)
    bar.close()
    _report(args, summary, stats, out_fmt, out_cols, time.perf_counter() - t0)
    return strict_exit(args, summary, stats)


def strict_exit(args, summary, stats=None) -> int:
    """The exit code of a completed run: 0, or with ``--strict`` 1 when a row has an error or
    the input drew a warning."""
    warned = stats is not None and (stats.warnings or stats.late_columns)
    return EXIT_STRICT if args.strict and (summary.errors or warned) else 0


def _report(args, summary, stats, out_fmt: str, out_cols, elapsed: float) -> None:
    """The summary on stderr (not with -q), and what was lost (always, even with -q)."""
    if not args.quiet:
        where = "stdout" if args.output == "-" else args.output
        print(f"framing: {summary.describe(elapsed)}; wrote {printable(where)}", file=sys.stderr)
        for line in summary.first_errors:
            print(f"framing:   {printable(line)}", file=sys.stderr)
    for warning in stats.warnings:  # about the input as a whole: shown even with -q
        print(f"framing: warning: {printable(warning)}", file=sys.stderr)
    late = stats.late_columns
    clash = [c for c in late if c in out_cols]
    dropped = clash if out_fmt == "jsonl" else late
    if dropped:
        print(
            f"framing: warning: {len(dropped)} JSONL key(s) first seen after the first chunk "
            f"of a stream were dropped from the output: {printable(_names(dropped))}"
            + (f" ({printable(_names(clash))}: named like score columns)" if clash else "")
            + "; read the input from a file (its keys are all read first), or write JSONL",
            file=sys.stderr,
        )
    elif late and not args.quiet:
        print(
            f"framing: note: JSONL keys first seen after the first chunk ({_names(late)}) "
            "are kept in the JSONL output",
            file=sys.stderr,
        )


def _names(names, shown: int = 10) -> str:
    more = f", and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(repr(n) for n in names[:shown]) + more
