"""Training designs kept on disk between runs, keyed by what they were computed from.

The folder is ``$FRAMING_CACHE_DIR/designs``, else ``~/.cache/framing/designs``. A design is
stored as one ``.npz`` (arrays only, nothing unpickled; the feature space inside a model
artifact, validated on load like any model). The key is a sha256 of the data files'
fingerprints, the recipe, the seed, the head and the framing version, so a changed data
file, recipe or release computes afresh. The cache is bounded: at most
:data:`MAX_ENTRIES` designs and :data:`MAX_BYTES` bytes, the least recently used go first.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from framing import strict
from framing.core.artifact import dumps, loads
from framing.core.head import Head
from framing.errors import FramingError
from framing.training.binary.fit import Recipe
from framing.training.design import Design, Linear, Rows

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "cache_dir",
    "code_fingerprint",
    "design_key",
    "load_design",
    "recall_files",
    "remember_files",
    "store_design",
]

MAX_ENTRIES = 2
MAX_BYTES = 2 * 1024**3
_FIT_FIELDS = ("C", "class_weight", "calibration_folds", "max_iter", "dual", "tol")


def cache_dir() -> Path:
    """``$FRAMING_CACHE_DIR/designs``, else ``~/.cache/framing/designs``."""
    root = os.environ.get("FRAMING_CACHE_DIR") or Path.home() / ".cache" / "framing"
    return Path(root) / "designs"


def code_fingerprint() -> str:
    """sha256 over the source of the code a design is computed by (``framing.core`` and
    ``framing.training``): a changed recipe, lexicon rule or encoder computes afresh."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for folder in ("core", "training"):
        for path in sorted((root / folder).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def design_key(name: str, fingerprints: dict, seed: int, extra: dict) -> str:
    """The cache key of a design: sha256 over everything it was computed from (its data
    files' fingerprints, the seed, ``extra`` and the code, :func:`code_fingerprint`)."""
    from framing import __version__

    blob = strict.dumps(
        {
            "name": name,
            "data": fingerprints,
            "seed": seed,
            "framing": __version__,
            "code": code_fingerprint(),
            **extra,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _put_rows(arrays: dict, prefix: str, rows: Rows) -> None:
    X = rows.X.tocsr()
    arrays[f"{prefix}_data"] = X.data
    arrays[f"{prefix}_indices"] = X.indices
    arrays[f"{prefix}_indptr"] = X.indptr
    arrays[f"{prefix}_shape"] = np.array(X.shape)
    arrays[f"{prefix}_targets"] = rows.targets
    arrays[f"{prefix}_weights"] = rows.weights


def _get_rows(z, prefix: str) -> Rows:
    X = csr_matrix(
        (z[f"{prefix}_data"], z[f"{prefix}_indices"], z[f"{prefix}_indptr"]),
        shape=tuple(z[f"{prefix}_shape"]),
    )
    return Rows(X, z[f"{prefix}_targets"], z[f"{prefix}_weights"])


def store_design(
    key: str,
    design: Design,
    platt: tuple[float, float] | None = None,
    start: Linear | None = None,
) -> Path:
    """Write ``design`` under ``key``, with (if given) the Platt scaling fitted on it and its
    uncalibrated optimum ``start`` (where the fast refit starts)."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    holder = Head(
        name=design.name,
        space=design.space,
        coef=np.zeros(design.space.n_features),
        intercept=np.zeros(1),
        labels=[design.name],
        calibration=np.array([[1.0, 0.0]]),
    )
    arrays: dict = {
        "space": np.frombuffer(dumps({design.name: holder}), dtype=np.uint8),
        "scale": np.asarray(design.scale, dtype=np.float64),
        "groups": design.groups.astype(str),
        "calib": design.calib,
        "seed": np.array(design.seed),
        "platt": np.array(platt if platt else [np.nan, np.nan], dtype=np.float64),
        "start": np.zeros(0)
        if start is None
        else np.concatenate([start.coef_[0], start.intercept_]),
        "recipe": np.array(strict.dumps({k: getattr(design.recipe, k) for k in _FIT_FIELDS})),
    }
    _put_rows(arrays, "base", design.base)
    _put_rows(arrays, "added", design.added)
    path = folder / f"{key}.npz"
    tmp = folder / f".{key}.tmp.npz"
    np.savez(tmp, **arrays)
    tmp.replace(path)
    _bound(folder, keep=path)
    return path


def load_design(key: str, name: str):
    """``(design, platt, start)`` stored under ``key`` (``platt`` and ``start`` ``None``
    when not stored), or ``None`` (not cached, or unreadable: it is then removed and
    computed afresh)."""
    path = cache_dir() / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            space = loads(z["space"].tobytes(), str(path))[name].space
            fit = strict.loads(str(z["recipe"]))
            scale = z["scale"]
            design = Design(
                name=name,
                recipe=replace(Recipe(), **fit),
                space=space,
                base=_get_rows(z, "base"),
                added=_get_rows(z, "added"),
                scale=float(scale) if scale.ndim == 0 else scale,
                groups=z["groups"],
                calib=z["calib"],
                seed=int(z["seed"]),
            )
            platt = tuple(float(v) for v in z["platt"])
            theta = z["start"] if "start" in z.files else np.zeros(0)
    except (OSError, ValueError, KeyError, FramingError):  # damaged, or written by another layout
        path.unlink(missing_ok=True)
        return None
    os.utime(path)  # most recently used
    start = Linear(theta[:-1], theta[-1]) if len(theta) else None
    return design, (None if np.isnan(platt[0]) else platt), start


def recall_files(tag: str) -> list[Path] | None:
    """The data files a design tagged ``tag`` was computed from, as :func:`remember_files`
    noted them (``None``: not noted, or one is gone): a cached design is then found by the
    files' fingerprints without reading the data."""
    try:
        index = strict.loads((cache_dir() / "files.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = index.get(tag) if isinstance(index, dict) else None
    if not isinstance(files, list) or not all(Path(str(f)).is_file() for f in files):
        return None
    return [Path(str(f)) for f in files]


def remember_files(tag: str, files) -> None:
    """Note the data files of the design tagged ``tag`` (see :func:`recall_files`)."""
    path = cache_dir() / "files.json"
    try:
        index = strict.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    index = {**(index if isinstance(index, dict) else {}), tag: [str(f) for f in files]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(strict.dumps(index, indent=1), encoding="utf-8")
    tmp.replace(path)


def _bound(folder: Path, keep: Path) -> None:
    """Remove the least recently used designs beyond the entry and byte bounds."""
    files = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for i, p in enumerate(files):
        total += p.stat().st_size
        if p != keep and (i >= MAX_ENTRIES or total > MAX_BYTES):
            p.unlink(missing_ok=True)
