"""A model: named heads plus the manifest that describes them; saving, verifying and loading.

The artifact is a zlib-compressed pickle (protocol 5). Unpickling runs code, so load only
model files you trust (the shipped one, or one you trained yourself). ``load_model``
refuses an artifact whose sha256 does not match the manifest beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import zlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from framing.core.head import Head
from framing.errors import ModelError

ARTIFACT_NAME = "model.pkl.zlib"
MANIFEST_NAME = "manifest.json"
MODEL_ENV = "FRAMING_MODEL"
FORMAT_VERSION = 2
# Version 1 stored vocabularies as dicts; version 2 as compact strings (fast to load).
READABLE_VERSIONS = (1, 2)


# Artifacts pickled before the package was split into layers name the old modules.
_MOVED = {"framing.head": "framing.core.head", "framing.features": "framing.core.features"}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        return super().find_class(_MOVED.get(module, module), name)


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources"


class Model:
    """The heads of one artifact, e.g. ``model.heads["clickbait"]``, and its manifest."""

    def __init__(self, heads: Mapping[str, Head], manifest: dict | None = None):
        self.heads = dict(heads)
        self.manifest = dict(manifest or {})

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
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(model: Model, directory: str | os.PathLike) -> Path:
    """Write ``model.pkl.zlib`` and ``manifest.json`` (with the artifact's sha256) into a folder."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    artifact = directory / ARTIFACT_NAME
    payload = {"format_version": FORMAT_VERSION, "heads": model.heads}
    artifact.write_bytes(zlib.compress(pickle.dumps(payload, protocol=5), 6))
    manifest = dict(model.manifest)
    manifest["format_version"] = FORMAT_VERSION
    manifest["artifact"] = {
        "file": ARTIFACT_NAME,
        "sha256": sha256_of(artifact),
        "bytes": artifact.stat().st_size,
    }
    manifest["heads"] = sorted(model.heads)
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return artifact


def resolve_model_path(path: str | os.PathLike | None = None) -> Path:
    """The artifact to load: ``path``, else ``$FRAMING_MODEL``, else the shipped model."""
    chosen = path or os.environ.get(MODEL_ENV) or default_model_dir()
    chosen = Path(chosen)
    return chosen / ARTIFACT_NAME if chosen.is_dir() else chosen


def load_model(path: str | os.PathLike | None = None) -> Model:
    """Load and verify a model (the shipped default when ``path`` and $FRAMING_MODEL are unset).

    ``path`` may be the artifact or the folder holding it; ``manifest.json`` must sit beside it.
    """
    artifact = resolve_model_path(path)
    manifest_path = artifact.with_name(MANIFEST_NAME)
    if not artifact.is_file():
        raise ModelError(
            f"no model artifact at {artifact}; pass a model folder or file with --model / "
            f"${MODEL_ENV}, or retrain with `python training/train.py`"
        )
    if not manifest_path.is_file():
        raise ModelError(
            f"no {MANIFEST_NAME} beside {artifact}; a model is loaded only with its manifest"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
        expected = manifest["artifact"]["sha256"]
    except (ValueError, KeyError) as exc:
        raise ModelError(f"{manifest_path} is not a valid manifest ({exc})") from None
    actual = sha256_of(artifact)
    if actual != expected:
        raise ModelError(
            f"{artifact} does not match its manifest (sha256 {actual[:12]}... != "
            f"{expected[:12]}...): the file was changed or corrupted; retrain or reinstall it"
        )
    try:
        payload = _Unpickler(io.BytesIO(zlib.decompress(artifact.read_bytes()))).load()
    except (zlib.error, pickle.UnpicklingError, EOFError) as exc:
        raise ModelError(f"{artifact} is not a framing model artifact ({exc})") from None
    version = payload.get("format_version") if isinstance(payload, dict) else None
    if version not in READABLE_VERSIONS:
        raise ModelError(
            f"{artifact} has format version {version}; this framing reads versions "
            f"{READABLE_VERSIONS}: retrain it with this version"
        )
    return Model(payload["heads"], manifest)


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The model of ``$FRAMING_MODEL``, else the shipped one, loaded once per process."""
    return load_model()
