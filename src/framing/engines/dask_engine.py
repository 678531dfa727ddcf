"""Scoring on a Dask cluster: the same scores as ``framing score``, partition by partition.

    from framing.engines.dask_engine import score_dataframe
    scored = score_dataframe("s3://bucket/archive/*.parquet", headline_col="title")
    scored.to_parquet("s3://bucket/scored/")          # or any other Dask DataFrame operation

Needs the optional extra: ``pip install "framing[dask]"`` (dask[dataframe], distributed and
pyarrow); ``dask`` is imported only when :func:`score_dataframe` is called.

How it stays the same as the local CLI: each partition's rows go through the one batch path,
:func:`framing.batch.run_chunks` with a :class:`framing.batch.Scorer` (the code ``framing
score`` runs), in chunks of ``chunk_size`` rows. CSV, TSV, JSONL and text files are read with
:func:`framing.tables.read_chunks` (one partition per file), so undecodable bytes and malformed
JSON lines become row errors exactly as locally; Parquet is read by ``dask.dataframe``.

How the model travels: the model is written once on the client in its data-only artifact
form (the bytes of ``model.npz``, :mod:`framing.core.artifact`, plus the manifest as JSON) into
one graph key that every partition task depends on. Dask sends that key to a worker when the
worker's first partition needs it, not with every partition. A worker normally gets one
copy; near the end of a run Dask's active memory manager may drop a worker's spare copy, and
if one more partition then lands there the worker fetches the key again. Unpacking a copy
keeps only the bytes: the model is built once per process (cached by the shipment's key, a
sha256 of those bytes) by the validated loader :func:`framing.core.artifact.loads`, which
never unpickles. :data:`WORKER_STATS` counts, per process, the
shipments unpacked, the models built and the partitions scored, so this can be checked with
``client.run``.
"""

from __future__ import annotations

import collections
import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath

from framing import strict, tables
from framing.batch import (
    ChunkSink,
    RunSummary,
    ScoreOptions,
    Scorer,
    check_new_columns,
    columns_for,
    resolve_columns,
    run_chunks,
)
from framing.batch.output import open_writer
from framing.core import artifact
from framing.core.columns import ERROR, column_dtype
from framing.core.model import Model, load_model
from framing.errors import InputError
from framing.tables.formats import format_of
from framing.tables.read import ReadStats, Row, chunked, read_chunks

__all__ = [
    "WORKER_STATS",
    "input_columns",
    "read_dataframe",
    "require_dask",
    "reset_worker_state",
    "score_dataframe",
    "write_partitions",
]

INSTALL_HINT = 'the Dask engine needs dask and distributed: pip install "framing[dask]"'
READ_ERROR = "__framing_read_error__"  # internal: a text file's per-row read error

# Per worker process: how many shipments were unpacked, models built and partitions scored.
WORKER_STATS: collections.Counter = collections.Counter()
_MODELS: dict[str, Model] = {}
_SCORERS: dict[tuple, Scorer] = {}


def require_dask():
    """``dask`` and ``dask.dataframe``, or an :class:`InputError` saying how to install them."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise InputError(f"{INSTALL_HINT} ({exc})") from None
    return dask, dd


class Shipment:
    """The model as data: its artifact bytes and its manifest as JSON, built into a model at
    most once per process (by its key, their sha256).

    Unpacking a shipment (on the scheduler, which unpickles the graph, or on a worker) keeps
    the bytes only; the model is built when a partition is first scored in that process.
    """

    def __init__(self, key: str, blob: bytes, manifest: bytes):
        self.key = key
        self.blob = blob
        self.manifest = manifest

    @classmethod
    def of(cls, model: Model) -> Shipment:
        blob = artifact.dumps(model.heads, compresslevel=1)
        # plain data; workers do not read the manifest, so a stray non-JSON value is shown as text
        manifest = strict.dumps(model.manifest, sort_keys=True, default=str).encode("utf-8")
        key = hashlib.sha256(hashlib.sha256(blob).digest() + manifest).hexdigest()
        return cls(key, blob, manifest)

    def __reduce__(self):
        return _unpack, (self.key, self.blob, self.manifest)

    def model(self) -> Model:
        model = _MODELS.get(self.key)
        if model is None:
            if len(_MODELS) >= 4:
                _MODELS.clear()
            heads = artifact.loads(self.blob, source="the model shipped to this worker")
            model = _MODELS[self.key] = Model(heads, strict.loads(self.manifest))
            WORKER_STATS["models_built"] += 1
        return model


def reset_worker_state() -> None:
    """Forget this process's counters, models and scorers (tests start each run clean)."""
    WORKER_STATS.clear()
    _MODELS.clear()
    _SCORERS.clear()


def _unpack(key: str, blob: bytes, manifest: bytes) -> Shipment:
    WORKER_STATS["shipments_unpacked"] += 1
    return Shipment(key, blob, manifest)


def scorer_for(shipment: Shipment, options: ScoreOptions) -> Scorer:
    key = (shipment.key, options)
    scorer = _SCORERS.get(key)
    if scorer is None:
        if len(_SCORERS) > 8:
            _SCORERS.clear()
        scorer = _SCORERS[key] = Scorer(shipment.model(), options)
    return scorer


def _python_value(value):
    """A pandas/numpy cell as the plain Python value the local readers would give."""
    if value is None or isinstance(value, (str, bytes, list, dict)):
        return value
    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, (tuple, set)) and pd.isna(value):
        return None
    return value


def _score_frame(scored: dict, columns: Sequence[str], index):
    import pandas as pd

    data = {}
    dtypes = {"float64": "Float64", "int64": "Int64", "string": pd.StringDtype("pyarrow")}
    for c in columns:  # the column specification's types, nullable
        data[c] = pd.array(scored[c], dtype=dtypes[column_dtype(c)])
    return pd.DataFrame(data, index=index)


def _score_partition(pdf, shipment: Shipment, options: ScoreOptions):
    """One partition: input columns (minus the internal read-error column) + score columns."""
    import pandas as pd

    scorer = scorer_for(shipment, options)
    text_cols = [c for c in (options.headline_col, options.body_col) if c]
    values = {c: [_python_value(v) for v in pdf[c].tolist()] for c in text_cols}
    read_errors = _cell_values(pdf[READ_ERROR]) if READ_ERROR in pdf.columns else None
    n = len(pdf)
    rows = [
        Row(
            {c: values[c][i] for c in text_cols},
            (read_errors[i] or None) if read_errors is not None else None,
            i + 1,
        )
        for i in range(n)
    ]
    scored: dict[str, list] = {c: [] for c in scorer.columns}

    def keep_scores(merged: dict[str, list]) -> None:  # the input columns stay in ``pdf``
        for c in scorer.columns:
            scored[c].extend(merged[c])

    chunks = chunked(rows, options.chunk_size, options.chunk_chars)
    run_chunks(chunks, scorer, ChunkSink(keep_scores, "columns"), input_columns=text_cols)
    WORKER_STATS["partitions_scored"] += 1
    WORKER_STATS["rows_scored"] += n
    inputs = pdf.drop(columns=[READ_ERROR]) if read_errors is not None else pdf
    return pd.concat([inputs, _score_frame(scored, scorer.columns, pdf.index)], axis=1)


# ---- reading files ------------------------------------------------------------------------------
def _expand(paths, storage_options: dict | None) -> list[str]:
    """Files named by a path, a folder, a glob or a list of them (local or fsspec URLs)."""
    import fsspec

    items = (
        [paths]
        if isinstance(paths, (str, PurePosixPath)) or hasattr(paths, "__fspath__")
        else paths
    )
    found: list[str] = []
    for item in items:
        item = str(item)
        try:
            fs, _, expanded = fsspec.core.get_fs_token_paths(item, storage_options=storage_options)
        except ImportError as exc:  # e.g. s3:// without s3fs
            raise InputError(
                f"cannot read {item}: {exc} (on the client and every worker)"
            ) from None
        except ValueError as exc:
            raise InputError(f"cannot read {item}: {exc}") from None
        if len(expanded) == 1 and fs.isdir(expanded[0]):
            expanded = sorted(
                p for p in fs.find(expanded[0]) if not PurePosixPath(p).name.startswith((".", "_"))
            )
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        prefix = "" if protocol in ("file", "local") else f"{protocol}://"
        found += [p if "://" in p or not prefix else prefix + p for p in sorted(expanded)]
    if not found:
        raise InputError(f"no files match {paths!r}")
    return found


def _read_text_file(path: str, fmt: str, encoding: str, columns: list[str], storage_options):
    """One text file read with the local CLI's reader; read errors kept per row."""
    import fsspec
    import pandas as pd

    with fsspec.open(path, "rb", **(storage_options or {})) as binary:
        stats = ReadStats()
        rows = [
            r for chunk in read_chunks(binary, fmt, encoding=encoding, stats=stats) for r in chunk
        ]
    if fmt in ("csv", "tsv") and stats.columns and stats.columns != columns:
        raise InputError(
            f"{path} has columns {stats.columns}, but the first file has {columns}; "
            "give files with the same header"
        )
    expected = set(columns)
    for r in rows:
        extra = [k for k in r.fields if k not in expected]
        if extra:
            raise InputError(
                f"{path} line {r.line} has keys {extra} that the first file's first rows do not "
                "have, so they would be lost; list every key in the first rows (or build the "
                "Dask DataFrame yourself and pass it)"
            )
    # a missing key is "", as in the local CLI's output (framing.batch.scorer.merge)
    data = {c: pd.array([r.fields.get(c, "") for r in rows], dtype=object) for c in columns}
    data[READ_ERROR] = pd.array([r.error for r in rows], dtype=object)
    return pd.DataFrame(data)


def _read_files(paths: list[str], fmt: str, encoding: str, storage_options):
    import fsspec
    import pandas as pd

    dask, dd = require_dask()
    with fsspec.open(paths[0], "rb", **(storage_options or {})) as binary:
        stats = ReadStats()
        next(read_chunks(binary, fmt, encoding=encoding, chunk_size=5_000, stats=stats), None)
    columns = list(stats.columns)
    if len(set(columns)) != len(columns) or READ_ERROR in columns:
        raise InputError(f"{paths[0]} has repeated or reserved column names: {columns}")
    meta = pd.DataFrame({c: pd.array([], dtype=object) for c in [*columns, READ_ERROR]})
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(
            _read_text_file,
            paths,
            fmt=fmt,
            encoding=encoding,
            columns=columns,
            storage_options=storage_options,
            meta=meta,
            enforce_metadata=False,
        )


def read_dataframe(
    data,
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    storage_options: dict | None = None,
):
    """A lazy Dask DataFrame of files to score.

    Args:
        data: a Dask DataFrame (returned as it is), or a path, folder, glob or list of them
            (local or an fsspec URL such as ``s3://bucket/feed/*.parquet``) of Parquet, CSV,
            TSV, JSONL or text files.
        format: the files' format (default: the first file's extension).
        encoding: of text files.
        storage_options: passed to fsspec.

    Returns:
        The DataFrame. Text files are read with the local CLI's reader (one partition per
        file), so undecodable bytes and malformed JSON lines become row errors as locally.
    """
    _, dd = require_dask()
    if isinstance(data, dd.DataFrame):
        return data
    paths = _expand(data, storage_options)
    fmt = format_of(paths[0], format)
    if fmt == "parquet":
        return dd.read_parquet(paths, storage_options=storage_options)
    return _read_files(paths, fmt, encoding, storage_options)


def input_columns(ddf) -> list[str]:
    """The columns of a DataFrame from :func:`read_dataframe`, as the output keeps them."""
    return [str(c) for c in ddf.columns if c != READ_ERROR]


def score_dataframe(
    data,
    options: ScoreOptions | None = None,
    *,
    id_col: str | None = None,
    model: Model | str | None = None,
    format: str | None = None,
    encoding: str = "utf-8",
    storage_options: dict | None = None,
    **settings,
):
    """A lazy Dask DataFrame: ``data``'s columns plus the score columns of ``framing score``.

    Args:
        data: what :func:`read_dataframe` reads (a Dask DataFrame, or paths, folders, globs).
        options: what to score and how, as for the local batch path
            (:class:`~framing.batch.ScoreOptions`: the text columns, default headline/title
            and body/text; ``top_k``, ``threshold``, ``max_chars``, ``frames``,
            ``techniques``; ``chunk_size`` and ``chunk_chars``: the rows scored at a time
            inside a partition).
        id_col: as in ``framing score``.
        model: a :class:`~framing.core.model.Model`, a model path, or None for
            ``$FRAMING_MODEL`` / the shipped model.
        format: see :func:`read_dataframe`.
        encoding: see :func:`read_dataframe`.
        storage_options: see :func:`read_dataframe`.
        settings: fields of :class:`~framing.batch.ScoreOptions` given one by one
            (``headline_col="title"``, ``top_k=1``, ...); they replace those of ``options``.

    Returns:
        The scored DataFrame. Every row comes out, in order; a row that cannot be scored has
        empty scores and its reason in ``error``.
    """
    dask, _ = require_dask()
    options = replace(options or ScoreOptions(), **settings)
    ddf = read_dataframe(data, format=format, encoding=encoding, storage_options=storage_options)
    if not isinstance(model, Model):
        model = load_model(model)
    columns = input_columns(ddf)
    head, body = resolve_columns(columns, options.headline_col, options.body_col, id_col)
    options = replace(options, headline_col=head, body_col=body)
    out_cols = columns_for(model, options)
    check_new_columns(columns, out_cols)
    import pandas as pd

    meta_in = ddf._meta.drop(columns=[READ_ERROR], errors="ignore")
    meta = pd.concat(
        [meta_in, _score_frame({c: [] for c in out_cols}, out_cols, meta_in.index)], axis=1
    )
    packed = Shipment.of(model)
    shipment = dask.delayed(packed, name=f"framing-model-{packed.key[:20]}")
    with dask.config.set({"dataframe.convert-string": False}):
        return ddf.map_partitions(
            _score_partition,
            shipment,
            options,
            meta=meta,
            enforce_metadata=False,
        )


# ---- writing partitioned output (the CLI's `--engine dask`) -------------------------------------
def _cell_values(series) -> list:
    return [_python_value(v) for v in series.tolist()]


def _write_partition(pdf, path, fmt, input_columns, guard, id_col, storage_options) -> RunSummary:
    """Write one scored partition with the local CLI's writers; its row and error counts."""
    import fsspec

    columns = [str(c) for c in pdf.columns]
    inputs = [c for c in columns if c in set(input_columns)]
    data = [_cell_values(pdf[c]) for c in pdf.columns]
    types = None
    if fmt == "parquet":  # the input's typed (not object) columns keep their types
        pa = tables.pyarrow_module()
        typed = [c for c in pdf.columns if pdf[c].dtype != object and str(c) in inputs]
        schema = pa.Schema.from_pandas(pdf[typed], preserve_index=False)
        types = {str(c): schema.field(str(c)).type for c in typed}
        opened = fsspec.open(path, "wb", **(storage_options or {}))
    else:
        opened = fsspec.open(
            path,
            "w",
            encoding="utf-8",
            errors=strict.ENCODE_ERRORS,
            newline="",
            **(storage_options or {}),
        )
    with opened as fh:
        writer = open_writer(fmt, fh, columns, inputs, guard=guard, input_types=types)
        rows = [dict(zip(columns, cells, strict=True)) for cells in zip(*data, strict=True)]
        tables.write_rows(writer, rows)
        writer.close()
    errors = pdf[ERROR]
    bad = errors.notna() & (errors != "")
    summary = RunSummary(rows=len(pdf), errors=int(bad.sum()))
    for pos in bad.to_numpy().nonzero()[0][:3].tolist():
        where = (
            f"{id_col}={_python_value(pdf[id_col].iloc[pos])!r}"
            if id_col
            else f"{PurePosixPath(path).name} row {pos + 1}"
        )
        summary.first_errors.append(f"{where}: {errors.iloc[pos]}")
    return summary


def write_partitions(
    ddf, directory: str, fmt: str, input_columns, *, guard=True, id_col=None, storage_options=None
) -> tuple[list[str], RunSummary]:
    """Compute ``ddf`` into ``directory``/part-NNNNN.EXT, one file per partition, in order,
    with the local CLI's writers (formula guard included).

    Returns:
        The file names written and the run's :class:`~framing.batch.RunSummary` (rows,
        errors, the first few errors).
    """
    dask, _ = require_dask()
    n = ddf.npartitions
    width = max(5, len(str(n - 1)))
    ext = {"csv": "csv", "tsv": "tsv", "jsonl": "jsonl", "parquet": "parquet"}[fmt]
    names = [f"part-{i:0{width}d}.{ext}" for i in range(n)]
    write = dask.delayed(_write_partition, pure=False)
    tasks = [
        write(
            part,
            f"{directory.rstrip('/')}/{name}",
            fmt,
            input_columns,
            guard,
            id_col,
            storage_options,
        )
        for part, name in zip(ddf.to_delayed(), names, strict=True)
    ]
    summary = RunSummary()
    for part in dask.compute(*tasks):
        summary.merge(part)
    return names, summary
