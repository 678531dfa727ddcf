"""What a trained head may be called, where a model may be written, and what a replaced head
leaves behind.

A head's name becomes column names (``{name}_probability``, ``{name}_label``,
``{name}_terms``, ``{name}_outlet_probability``, and ``body_{name}_...`` on the body), manifest
keys and lines of ``framing info``, so it is checked before any training starts:

* characters: a lower-case letter, then lower-case letters, digits or ``_``; at most 40;
* not ``body_...`` nor ``..._outlet``: their columns would be those of another head
  (``body_loaded_probability`` is the ``loaded`` head on the body; ``x_outlet_probability``
  is head ``x`` in outlet voice), so one would overwrite the other;
* not ``technique`` or ``frame``: the framing heads' names, read as such by ``--frames``,
  ``--techniques`` and ``explain()`` (train them with ``training/train_framing.py``);
* not a head the base model already has (the shipped ``clickbait`` and ``loaded`` included),
  unless replacing it is asked for (``--replace``); the replaced head's figures (metrics,
  recipe, sizes, head info) are then removed from the manifest, so ``framing info`` does not
  show the old head's evaluation beside the new head.
"""

from __future__ import annotations

from pathlib import Path

from framing.core.artifact import ARTIFACT_NAME, LEGACY_ARTIFACT_NAME
from framing.core.head import HEAD_NAME_RULE, head_name_problem
from framing.core.model import MANIFEST_NAME, Model
from framing.errors import InputError

__all__ = [
    "HEAD_NAME_RULE",
    "RESERVED_HEAD_NAMES",
    "check_head_name",
    "check_output_folder",
    "forget_head",
]

RESERVED_HEAD_NAMES = ("technique", "frame")
_PER_HEAD_KEYS = ("heads_info", "recipes", "training_sizes")


def check_head_name(name: str, base: Model | None = None, *, replace: bool = False) -> None:
    """An :class:`InputError` saying what is wrong with ``name`` as a new head of ``base``
    (see the module's rules); ``replace`` allows a head ``base`` already has."""
    problem = head_name_problem(name)  # the rule load_model applies too
    if problem is not None:
        raise InputError(problem)
    if name in RESERVED_HEAD_NAMES:
        raise InputError(
            f"head name {name!r} is reserved for the framing heads "
            "(training/train_framing.py); choose another name"
        )
    if base is not None and name in base.heads and not replace:
        raise InputError(
            f"the base model already has a head {name!r}; pass --replace to replace it "
            "(its figures are then dropped from the manifest), or choose another name"
        )


def check_output_folder(out: str | Path, *, force: bool = False) -> None:
    """An :class:`InputError` when ``out`` already holds a model and ``force`` is not set."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    held = [n for n in (ARTIFACT_NAME, MANIFEST_NAME, LEGACY_ARTIFACT_NAME) if (out / n).exists()]
    if held and not force:
        raise InputError(
            f"--out {out} already holds a model ({', '.join(held)}); pass --force to "
            "overwrite it, or choose another folder"
        )


def forget_head(manifest: dict, name: str) -> dict:
    """A copy of ``manifest`` without the figures of head ``name`` (its metrics, recipe,
    training sizes and head info), recording it under ``replaced_heads``."""
    out = dict(manifest)
    metrics = out.get("metrics")
    if isinstance(metrics, dict):
        out["metrics"] = {k: v for k, v in metrics.items() if not k.startswith(f"{name}/")}
    for key in _PER_HEAD_KEYS:
        if isinstance(out.get(key), dict):
            out[key] = {k: v for k, v in out[key].items() if k != name}
    out["replaced_heads"] = sorted({*out.get("replaced_heads", []), name})
    return out
