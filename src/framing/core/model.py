"""A model: named heads plus the manifest that describes them; saving, verifying and loading.

A model folder holds ``model.npz``, the heads as data only (arrays, strings and numbers; see
:mod:`framing.core.artifact`), and ``manifest.json`` beside it. ``load_model`` refuses an artifact
whose sha256 does not match the manifest (corruption), then builds the heads from validated
data; it never unpickles, so loading a model cannot run code. Folders written by earlier
versions (``model.pkl.zlib``, a pickle) are refused with the command that converts them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from framing import strict
from framing.core import artifact as _artifact
from framing.core.artifact import (
    ARTIFACT_NAME,
    CONVERT_COMMAND,
    FORMAT_VERSION,
    LEGACY_ARTIFACT_NAME,
)
from framing.core.head import Head
from framing.errors import InputError, ModelError

__all__ = [
    "MANIFEST_NAME",
    "MODEL_ENV",
    "SUMMARY_METRICS",
    "Model",
    "as_model",
    "default_model",
    "default_model_dir",
    "load_model",
    "manifest_problem",
    "resolve_model_path",
    "save_model",
    "sha256_of",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_MAX_BYTES = 16 << 20  # the shipped manifest is 65 KB
MODEL_ENV = "FRAMING_MODEL"
# the manifest's metrics shown in one-line summaries (`framing info`, training logs), in order;
# the last four are the held-out entry protocol's swap-in pair figures
SUMMARY_METRICS = (
    "accuracy",
    "macro_f1",
    "mse",
    "roc_auc",
    "term_r_precision",
    "span_recall",
    "loaded_ge_0.5",
    "neutral_lt_0.5",
    "loaded_gt_neutral",
    "top2",
)


def default_model_dir() -> Path:
    """The folder of the shipped model (``framing/resources``)."""
    return Path(__file__).resolve().parents[1] / "resources"


class Model:
    """The heads of one artifact, e.g. ``model.heads["clickbait"]``, and its manifest.

    Args:
        heads: the heads by name (``model["loaded"]`` is ``model.heads["loaded"]``; an unknown
            name raises :class:`ModelError` listing the heads).
        manifest: the manifest (training data fingerprints, metrics, library versions).
        house_style: the user's list of loaded terms in use
            (:class:`framing.core.house_style.HouseStyle`, set by ``with_house_style``), or None.

    Attributes:
        heads: dict of head name -> :class:`~framing.core.head.Head`.
        manifest: the manifest as a dict.
        house_style: the house-style list in use, or None.
    """

    house_style = None  # a Model pickled before it existed reads None

    def __init__(self, heads: Mapping[str, Head], manifest: dict | None = None, house_style=None):
        self.heads = dict(heads)
        self.manifest = dict(manifest or {})
        self.house_style = house_style

    def __getitem__(self, name: str) -> Head:
        try:
            return self.heads[name]
        except KeyError:
            raise ModelError(
                f"this model has no head {name!r}; it has: {', '.join(self.heads)}"
            ) from None

    def __repr__(self) -> str:
        return f"Model(heads={list(self.heads)})"


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(model: Model, directory: str | os.PathLike) -> Path:
    """Write ``model.npz`` and ``manifest.json`` (with the artifact's sha256) into a folder.

    A ``model.pkl.zlib`` left there by an earlier version is removed: the manifest no longer
    describes it. Returns the artifact's path.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    artifact = directory / ARTIFACT_NAME
    data = _artifact.dumps(model.heads)
    artifact.write_bytes(data)
    manifest = dict(model.manifest)
    manifest["format_version"] = FORMAT_VERSION
    manifest["artifact"] = {
        "file": ARTIFACT_NAME,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    manifest["heads"] = sorted(model.heads)
    (directory / MANIFEST_NAME).write_text(strict.dumps(manifest, indent=2, sort_keys=True) + "\n")
    (directory / LEGACY_ARTIFACT_NAME).unlink(missing_ok=True)
    return artifact


def resolve_model_path(path: str | os.PathLike | None = None) -> Path:
    """The artifact to load: ``path``, else ``$FRAMING_MODEL``, else the shipped model.

    For a folder, its ``model.npz``; a folder holding only an earlier version's
    ``model.pkl.zlib`` resolves to that file (which :func:`load_model` refuses).
    """
    chosen = path or os.environ.get(MODEL_ENV) or default_model_dir()
    chosen = Path(chosen)
    if not chosen.is_dir():
        return chosen
    if not (chosen / ARTIFACT_NAME).exists() and (chosen / LEGACY_ARTIFACT_NAME).exists():
        return chosen / LEGACY_ARTIFACT_NAME
    return chosen / ARTIFACT_NAME


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Load and verify a model (the shipped default when ``path`` and $FRAMING_MODEL are unset).

    ``manifest.json`` must sit beside the artifact, with the artifact's sha256. The heads are
    built from validated data (see :func:`framing.core.artifact.loads`); nothing is unpickled.

    Args:
        path: the artifact (``model.npz``) or the folder holding it; None for
            ``$FRAMING_MODEL`` if set, else the shipped model.

    Returns:
        The :class:`Model`: its heads by name and its manifest.

    Raises:
        ModelError: one line: no artifact or manifest, a hash mismatch, a model written by an
            earlier version (with the command that converts it), or an invalid artifact.
    """
    artifact = resolve_model_path(path)
    manifest_path = artifact.with_name(MANIFEST_NAME)
    if not artifact.is_file():
        raise ModelError(
            f"no model artifact at {artifact}; pass a model folder or file with --model / "
            f"${MODEL_ENV}, or retrain with `python training/train.py`"
        )
    if artifact.name.endswith((".pkl", ".pkl.zlib", ".pickle")):
        raise ModelError(
            f"{artifact} was written by an earlier framing as a pickle, which this version "
            "never loads because unpickling can run code; if you trust it, convert it once "
            f"with `{CONVERT_COMMAND}` (OLD_DIR = {artifact.parent})"
        )
    if not manifest_path.is_file():
        raise ModelError(
            f"no {MANIFEST_NAME} beside {artifact}; a model is loaded only with its manifest"
        )
    for path_, limit in ((manifest_path, MANIFEST_MAX_BYTES), (artifact, _artifact.MAX_BYTES)):
        size = path_.stat().st_size
        if size > limit:  # checked before a byte is read (a sparse file of gigabytes)
            raise ModelError(
                f"{path_} is {size:,} bytes, over the {limit:,} a framing model's "
                f"{path_.name} can be: it is not a framing model; pass the folder of one"
            )
    try:
        manifest = strict.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # not UTF-8, not JSON, nested too deeply
        raise ModelError(f"{manifest_path} is not a valid manifest (JSON: {exc})") from None
    artifact_info = manifest.get("artifact") if isinstance(manifest, dict) else None
    expected = artifact_info.get("sha256") if isinstance(artifact_info, dict) else None
    if not isinstance(expected, str):
        raise ModelError(
            f"{manifest_path} is not a valid manifest: it must be a JSON object whose "
            '"artifact" object holds the artifact\'s "sha256" (as save_model writes it)'
        )
    data = artifact.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ModelError(
            f"{artifact} does not match its manifest (sha256 {actual[:12]}... != "
            f"{str(expected)[:12]}...): the file was changed or corrupted; retrain or reinstall it"
        )
    problem = manifest_problem(manifest)
    if problem is not None:
        raise ModelError(
            f"{manifest_path} is not a valid manifest: {problem}; fix or remove that field "
            "(as save_model writes it), or retrain the model"
        )
    return Model(_artifact.loads(data, source=str(artifact)), manifest)


_KINDS = {str: "string", int: "number", float: "number", bool: "boolean", list: "list"}


def _kind(value) -> str:
    return "null" if value is None else _KINDS.get(type(value), type(value).__name__)


def _object(value, where: str, *, optional: bool = True) -> str | None:
    if (value is None and optional) or isinstance(value, dict):
        return None
    return f"{where} is a {_kind(value)}, not an object"


def _figures(record: dict, where: str, numbers: tuple, flags: tuple = ()) -> str | None:
    for key in numbers:
        v = record.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
            return f"{where}[{key!r}] is a {_kind(v)}, not a number"
    for key in flags:
        v = record.get(key)
        if v is not None and not isinstance(v, bool):
            return f"{where}[{key!r}] is a {_kind(v)}, not true or false"
    return None


def _reliability_problem(record, where: str) -> str | None:
    """The reliability record of a multi-label head (framing.explanation.reliability)."""
    problem = _object(record, where)
    if problem or record is None:
        return problem
    labels = record.get("labels")
    problem = _object(labels, f"{where}['labels']")
    for label, figures in (labels or {}).items():
        at = f"{where}['labels'][{label!r}]"
        problem = problem or _object(figures, at, optional=False)
        numbers = ("precision", "recall", "support", "detected")
        problem = problem or _figures(figures, at, numbers, ("reliable",))
    return problem


def manifest_problem(manifest: dict) -> str | None:
    """What is wrong with the fields of a manifest that framing reads (None when nothing):
    ``heads_info`` (per head an object; its ``reliability`` record), ``metrics`` (per
    protocol an object whose ``ours`` and ``plain`` are objects, ``reliability`` a list of
    objects), ``libraries`` (an object). A hand-edited manifest is refused at load with one
    line, as a model's fields are, instead of failing in a command."""
    for key in ("heads_info", "metrics", "libraries"):
        problem = _object(manifest.get(key), repr(key))
        if problem:
            return problem
    for head, info in (manifest.get("heads_info") or {}).items():
        where = f"heads_info[{head!r}]"
        problem = _object(info, where, optional=False) or _reliability_problem(
            info.get("reliability"), f"{where}['reliability']"
        )
        if problem:
            return problem
    for protocol, figures in (manifest.get("metrics") or {}).items():
        where = f"metrics[{protocol!r}]"
        problem = _object(figures, where, optional=False)
        for part in ("ours", "plain"):
            problem = problem or _object(figures.get(part), f"{where}[{part!r}]")
        curve = None if problem else figures.get("reliability")
        if curve is not None and not (
            isinstance(curve, list) and all(isinstance(b, dict) for b in curve)
        ):
            problem = f"{where}['reliability'] is not a list of objects"
        if problem:
            return problem
    return None


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model of ``$FRAMING_MODEL``, else the shipped one, loaded once per process."""
    return load_model()


_LOADED: dict[tuple, Model] = {}


def as_model(model: Model | str | os.PathLike | None) -> Model:
    """The model a library call uses: a :class:`Model` as it is; ``None`` for the default
    (:func:`default_model`); a path (``str`` or ``os.PathLike``) to a model folder or
    artifact, loaded with :func:`load_model` once (again when its files change). Anything
    else is an :class:`InputError` saying what is expected."""
    if isinstance(model, Model):
        return model
    if model is None:
        return default_model()
    if isinstance(model, str | os.PathLike):
        artifact = resolve_model_path(model)
        try:
            stamp = tuple(
                (p.stat().st_mtime_ns, p.stat().st_size)
                for p in (artifact, artifact.with_name(MANIFEST_NAME))
            )
        except OSError:
            return load_model(model)  # says what is missing
        key = (str(artifact.resolve()), stamp)
        if key not in _LOADED:
            if len(_LOADED) >= 4:
                _LOADED.clear()
            _LOADED[key] = load_model(model)
        return _LOADED[key]
    raise InputError(
        "model must be a framing.Model (from load_model()), the path of a model folder, or "
        f"None for the shipped model; got {type(model).__name__}"
    )
