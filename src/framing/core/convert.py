"""Models written by earlier framing versions (pickles) converted to the data-only format.

:func:`convert_model` is the only place that still unpickles a model, once, for a model the
user trusts (``framing convert OLD_DIR NEW_DIR``); :func:`framing.core.model.load_model`
never does.
"""

from __future__ import annotations

import importlib
import io
import os
import pickle
import shutil
import warnings
import zlib
from pathlib import Path

import numpy as np

from framing import strict
from framing.core.artifact import ARTIFACT_NAME, LEGACY_ARTIFACT_NAME, LEGACY_VERSIONS
from framing.core.features import SHAPE_ALLCAPS, FeatureSpace
from framing.core.head import Head
from framing.core.model import MANIFEST_NAME, Model, load_model, save_model, sha256_of
from framing.errors import ModelError

__all__ = ["ConvertWarning", "convert_model"]


class ConvertWarning(UserWarning):
    """Issued by :func:`convert_model`: it unpickles an old artifact once."""


class _LegacyObject:
    """Receives a pickled ``Head`` or ``FeatureSpace``'s attributes; has no behaviour."""


def _numpy_global(name: str):
    for module in ("numpy._core.numeric", "numpy._core.multiarray", "numpy.core.numeric"):
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise pickle.UnpicklingError(f"numpy has no {name}")


class _LegacyUnpickler(pickle.Unpickler):
    """Admits only what a framing model pickle holds: its two classes (as inert records)
    and numpy's array and dtype constructors."""

    _FRAMING = {
        ("framing.core.head", "Head"),  # before the package was split into layers
        ("framing.core.features", "FeatureSpace"),
        ("framing.core.head", "Head"),
        ("framing.core.features", "FeatureSpace"),
    }
    _NUMPY = {"_frombuffer", "_reconstruct", "scalar"}

    def find_class(self, module: str, name: str):
        if (module, name) in self._FRAMING:
            return _LegacyObject
        if module == "numpy" and name in ("dtype", "ndarray"):
            return getattr(np, name)
        if module.startswith(("numpy.core.", "numpy._core.")) and name in self._NUMPY:
            return _numpy_global(name)
        raise pickle.UnpicklingError(f"refused {module}.{name}: not part of a framing model")


def _legacy_vocab(state: dict, key: str) -> dict[str, int]:
    if key in state:  # format 1: the dict itself
        return dict(state[key])
    size = state[f"_{key}_size"]  # format 2: the terms joined by newlines
    terms = state[f"_{key}_terms"].split("\n") if size else []
    return dict(zip(terms, range(size), strict=True))


def _legacy_head(obj) -> Head:
    state = vars(obj)
    sp = vars(state["space"])
    names = sp.get("lexicon_names") or [n for n in sp["lex_vocab"] if n != SHAPE_ALLCAPS]
    lexicons: dict[str, dict[str, float]] = {name: {} for name in names}
    for phrase, found in sp["lex_entries"].items():
        for name, weight in found:
            lexicons[name][phrase] = weight
    space = FeatureSpace(
        word_ngrams=sp["word_ngrams"],
        char_ngrams=sp["char_ngrams"],
        sublinear_tf=sp["sublinear_tf"],
        word_weight=sp["word_weight"],
        char_weight=sp["char_weight"],
        lexicon_weight=sp["lexicon_weight"],
        lexicon_norm=sp["lexicon_norm"],
        lexicons=lexicons,
        shapes=sp["shapes"],
        word_vocab=_legacy_vocab(sp, "word_vocab"),
        word_idf=sp["word_idf"],
        char_vocab=_legacy_vocab(sp, "char_vocab"),
        char_idf=sp["char_idf"],
    )
    return Head(
        name=state["name"],
        space=space,
        coef=state["coef"],
        intercept=state["intercept"],
        labels=state["labels"],
        calibration=state["calibration"],
        threshold=state.get("threshold", 0.5),
        thresholds=state.get("thresholds"),
        unit=state.get("unit", "text"),
        description=state.get("description", ""),
    )


def _read_legacy(artifact: Path) -> dict[str, Head]:
    """The heads of a format 1 or 2 artifact (a zlib-compressed pickle)."""
    try:
        raw = zlib.decompress(artifact.read_bytes())
        payload = _LegacyUnpickler(io.BytesIO(raw)).load()
    except (zlib.error, pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
        raise ModelError(f"{artifact} cannot be converted: {exc}") from None
    version = payload.get("format_version") if isinstance(payload, dict) else None
    if version not in LEGACY_VERSIONS or not isinstance(payload.get("heads"), dict):
        raise ModelError(
            f"{artifact} cannot be converted: it is not a framing model of format "
            f"{' or '.join(map(str, LEGACY_VERSIONS))}"
        )
    try:
        return {name: _legacy_head(obj) for name, obj in payload["heads"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"{artifact} cannot be converted: a head lacks or mangles {exc}") from None


def convert_model(old_dir: str | os.PathLike, new_dir: str | os.PathLike):
    """Convert a model folder written by an earlier framing (a pickle) to this format.

    Reads ``OLD_DIR/model.pkl.zlib`` once, after checking its sha256 against the manifest
    beside it, and writes ``NEW_DIR/model.npz`` and ``NEW_DIR/manifest.json`` (the old
    manifest's metadata, with the new artifact's hash, and ``converted_from``); a
    ``MODEL_CARD.md`` is copied. Reading the old file unpickles it (through an unpickler that
    admits only numpy arrays and framing's two model classes), so it warns with
    :class:`ConvertWarning`: only convert models you trust. The result is loaded back with
    :func:`framing.core.model.load_model`, which never unpickles.

    Parameters
    ----------
    old_dir
        The old model folder (or its ``model.pkl.zlib``).
    new_dir
        The folder to write; created if missing, and must not already hold a model.

    Returns
    -------
    framing.core.model.Model
        The converted model, as loaded from ``new_dir``.

    Raises
    ------
    ModelError
        No old artifact or manifest, a hash mismatch, an artifact that is not a framing
        model, or ``new_dir`` is ``old_dir`` or already holds a model.
    """
    old = Path(old_dir)
    artifact = old / LEGACY_ARTIFACT_NAME if old.is_dir() else old
    if not artifact.is_file():
        raise ModelError(f"no {LEGACY_ARTIFACT_NAME} in {old}: nothing to convert")
    manifest_path = artifact.with_name(MANIFEST_NAME)
    try:
        manifest = strict.loads(manifest_path.read_text())
        expected = manifest["artifact"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{manifest_path} is missing or not a valid manifest ({exc})") from None
    actual = sha256_of(artifact)
    if actual != expected:
        raise ModelError(
            f"{artifact} does not match its manifest (sha256 {actual[:12]}... != "
            f"{str(expected)[:12]}...): the file was changed or corrupted; not converted"
        )
    new = Path(new_dir)
    if new.resolve() == artifact.parent.resolve():
        raise ModelError(f"write the converted model to another folder than {old}")
    if (new / MANIFEST_NAME).exists() or (new / ARTIFACT_NAME).exists():
        raise ModelError(f"{new} already holds a model; choose a new or empty folder")
    warnings.warn(
        f"converting {artifact}: reading it unpickles it once, which can run code; "
        "only convert models you trust (the converted model loads without unpickling)",
        ConvertWarning,
        stacklevel=2,
    )
    heads = _read_legacy(artifact)
    manifest.pop("artifact", None)
    manifest["converted_from"] = {
        "file": artifact.name,
        "sha256": actual,
        "format_version": manifest.get("format_version"),
    }
    save_model(Model(heads, manifest), new)
    card = artifact.with_name("MODEL_CARD.md")
    if card.is_file():
        shutil.copyfile(card, new / "MODEL_CARD.md")
    return load_model(new)
