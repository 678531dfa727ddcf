"""The model artifact: a model's heads as data only, and the loader that validates them.

A model folder holds ``model.npz`` (the artifact) and ``manifest.json`` (its metadata and the
artifact's sha256, see :mod:`framing.core.model`). ``model.npz`` is a zip of ``.npy`` arrays, the
format of :func:`numpy.savez`, that is read with ``numpy.load(..., allow_pickle=False)``:

* ``model.json``: UTF-8 JSON (stored as a ``uint8`` array): ``{"format": "framing-model",
  "format_version": 3, "heads": [...]}``; per head its name, kind, unit, description, labels,
  decision threshold(s) and feature space (n-gram ranges, block weights, normalisation, the
  vocabulary sizes, and the lexicons as ``{lexicon: {phrase: weight}}``);
* per head ``i`` (in the order of ``heads``): ``head{i}.coef`` (labels x features, float32 or
  float64), ``head{i}.intercept`` (labels), ``head{i}.calibration`` (labels x 2: Platt
  ``a, b``), ``head{i}.word_idf`` and ``head{i}.char_idf`` (float64), and
  ``head{i}.word_terms`` / ``head{i}.char_terms``: the vocabulary, its terms in index order
  joined by newlines, as UTF-8 bytes (one array loads far faster than many strings);
* a head of kind ``word_evidence`` (:class:`~framing.core.wordhead.WordHead`: a word model
  over each word's own features, its words' evidence aggregated into the text's logit) also
  has ``head{i}.aggregation``: float64 ``[word_intercept, top_weight, sum_weight, margin,
  mean_weight]``; with a context form (:mod:`framing.core.wordcontext`) also
  ``head{i}.context_coef`` (2 x classes, float64), ``head{i}.context_terms`` (its lemmas,
  newline-joined UTF-8 bytes), ``head{i}.context_class`` (uint8, one class per lemma) and
  ``head{i}.context_stop`` (the skipped words, newline-joined UTF-8 bytes); with word vectors
  (:mod:`framing.core.wordvectors`) ``head{i}.vectors_terms``, ``head{i}.vectors`` (float16)
  and ``head{i}.vectors_coef`` (float64).

Loading cannot run code: no member is unpickled (``allow_pickle=False`` refuses object
arrays, and the JSON is parsed by :func:`framing.strict.loads`), and the heads are built by their
constructors from numbers and strings after every field is checked (types, shapes, dtypes,
finite values, lengths that must agree, the format version, known head kinds and units).
Anything else is refused with one :class:`~framing.errors.ModelError` line.

Models written by earlier versions were pickles (``model.pkl.zlib``);
:func:`framing.core.convert.convert_model` reads one once and writes it in this format.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from framing import strict
from framing.core.features import FeatureSpace
from framing.core.head import MAX_LOGIT, MAX_TEXT_CHARS, Head, head_name_problem
from framing.core.wordcontext import CLASSES, WordContext
from framing.core.wordhead import AGGREGATION, WordHead
from framing.core.wordvectors import WordVectors
from framing.errors import ModelError

__all__ = [
    "ARTIFACT_NAME",
    "FORMAT_VERSION",
    "KINDS",
    "LEGACY_ARTIFACT_NAME",
    "UNITS",
    "dumps",
    "loads",
]

ARTIFACT_NAME = "model.npz"
LEGACY_ARTIFACT_NAME = "model.pkl.zlib"  # format versions 1 and 2: a zlib-compressed pickle
FORMAT = "framing-model"
FORMAT_VERSION = 3
LEGACY_VERSIONS = (1, 2)
# a Head: one calibrated linear model per label; a WordHead: a sentence score made of its
# words' evidence (a word model and its aggregation)
KINDS = ("calibrated_linear", "word_evidence")
UNITS = ("headline", "sentence", "article", "text")
LEXICON_NORMS = ("none", "sqrt")
DESCRIPTION = "model.json"
# on disk and unpacked: the shipped model is 7 MB (12 MB unpacked), one with every head about
# 15 MB; checked from the file's size and the zip's directory before anything is read
MAX_BYTES = 256 << 20
ARRAYS = ("coef", "intercept", "calibration", "word_idf", "char_idf", "word_terms", "char_terms")
CONTEXT_ARRAYS = ("context_coef", "context_terms", "context_class", "context_stop")
VECTOR_ARRAYS = ("vectors_terms", "vectors", "vectors_coef")
CONVERT_COMMAND = "framing convert OLD_DIR NEW_DIR"
_ZIP_MAGIC = b"PK\x03\x04"
_MEMBERS = "|".join((*ARRAYS, *CONTEXT_ARRAYS, *VECTOR_ARRAYS, "aggregation"))
_MEMBER_RE = re.compile(rf"(?:{re.escape(DESCRIPTION)}|head[0-9]{{1,4}}\.(?:{_MEMBERS}))\.npy")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip member dates: the same heads give the same bytes
_HEAD_KEYS = {"name", "kind", "unit", "description", "labels", "threshold", "thresholds", "space"}
_SPACE_KEYS = {
    "word_ngrams",
    "char_ngrams",
    "sublinear_tf",
    "word_weight",
    "char_weight",
    "lexicon_weight",
    "lexicon_norm",
    "shapes",
    "word_vocab_size",
    "char_vocab_size",
    "lexicons",
}


# ---- writing --------------------------------------------------------------------------------
def _terms(vocab: Mapping[str, int]) -> np.ndarray:
    """A vocabulary as UTF-8 bytes of its terms in index order, joined by newlines."""
    terms = [""] * len(vocab)
    for term, j in vocab.items():
        terms[j] = term
    if any("\n" in t for t in terms):
        raise ValueError("a vocabulary term contains a newline")
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _lexicons(space: FeatureSpace) -> dict[str, dict[str, float]]:
    """The space's lexicons, ``{name: {phrase: weight}}`` (empty lexicons kept)."""
    return space.lexicons()


def _describe(head: Head) -> dict[str, Any]:
    space = head.space
    return {
        "name": head.name,
        "kind": head.kind,
        "unit": head.unit,
        "description": head.description,
        "labels": list(head.labels),
        "threshold": float(head.threshold),
        "thresholds": None if head.thresholds is None else head.thresholds.tolist(),
        "space": {
            "word_ngrams": [int(n) for n in space.word_ngrams],
            "char_ngrams": [int(n) for n in space.char_ngrams] if space.char_ngrams else None,
            "sublinear_tf": bool(space.sublinear_tf),
            "word_weight": space.word_weight,
            "char_weight": space.char_weight,
            "lexicon_weight": space.lexicon_weight,
            "lexicon_norm": space.lexicon_norm,
            "shapes": bool(space.shapes),
            "word_vocab_size": len(space.word_vocab),
            "char_vocab_size": len(space.char_vocab),
            "lexicons": _lexicons(space),
        },
    }


def dumps(heads: Mapping[str, Head], compresslevel: int = 6) -> bytes:
    """The artifact bytes (``model.npz``) of ``heads``.

    Parameters
    ----------
    heads
        The model's heads, keyed by their names (``Model.heads``).
    compresslevel
        zlib level of the zip members (6 for files; the Dask shipment uses 1).

    Returns
    -------
    bytes
        A zip of ``.npy`` arrays, the same bytes for the same heads.
    """
    arrays: dict[str, np.ndarray] = {}
    described = []
    for i, (key, head) in enumerate(heads.items()):
        if key != head.name:
            raise ValueError(f"head {head.name!r} is stored under the key {key!r}")
        described.append(_describe(head))
        space = head.space
        arrays[f"head{i}.coef"] = head.coef
        arrays[f"head{i}.intercept"] = head.intercept
        arrays[f"head{i}.calibration"] = head.calibration
        arrays[f"head{i}.word_idf"] = space.word_idf
        arrays[f"head{i}.char_idf"] = space.char_idf
        arrays[f"head{i}.word_terms"] = _terms(space.word_vocab)
        arrays[f"head{i}.char_terms"] = _terms(space.char_vocab)
        if isinstance(head, WordHead):
            arrays[f"head{i}.aggregation"] = head.aggregation()
            if head.context is not None:
                ctx = head.context
                lemmas = sorted(ctx.classes)
                arrays[f"head{i}.context_coef"] = ctx.coef
                arrays[f"head{i}.context_terms"] = _terms({t: j for j, t in enumerate(lemmas)})
                arrays[f"head{i}.context_class"] = np.array(
                    [ctx.classes[t] for t in lemmas], dtype=np.uint8
                )
                stop = sorted(ctx.stop)
                arrays[f"head{i}.context_stop"] = _terms({t: j for j, t in enumerate(stop)})
            if head.vectors is not None:
                vec = head.vectors
                arrays[f"head{i}.vectors_terms"] = _terms({t: j for j, t in enumerate(vec.terms)})
                arrays[f"head{i}.vectors"] = vec.vectors
                arrays[f"head{i}.vectors_coef"] = vec.coef
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "heads": described}
    text = strict.dumps(payload, ensure_ascii=False)
    members = {DESCRIPTION: np.frombuffer(text.encode("utf-8"), dtype=np.uint8), **arrays}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, array in members.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, member.getvalue(), compresslevel=compresslevel)
    return buf.getvalue()


# ---- reading --------------------------------------------------------------------------------
class _Invalid(Exception):
    """A field of the artifact is wrong (``str(exc)`` says which and how)."""


def _show(value) -> str:
    """``repr(value)``, cut short: an error message stays one readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value, where: str) -> float:
    try:
        number = float(value) if _is_number(value) else math.nan
    except OverflowError:  # an integer beyond the float range
        number = math.inf
    if not math.isfinite(number):
        raise _Invalid(f"{where} is {_show(value)}, not a finite number")
    return number


def _text(value, where: str, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value):
        raise _Invalid(f"{where} is {_show(value)}, not a {'' if empty else 'non-empty '}string")
    return value


def _flag(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{where} is {_show(value)}, not true or false")
    return value


def _count(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Invalid(f"{where} is {_show(value)}, not a count")
    return value


def _choice(value, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices or not isinstance(value, str):
        raise _Invalid(f"{where} is {_show(value)}; known: {', '.join(choices)}")
    return value


def _ngrams(value, where: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        or not 1 <= value[0] <= value[1] <= 50
    ):
        raise _Invalid(f"{where} is {_show(value)}, not [min, max] with 1 <= min <= max <= 50")
    return (value[0], value[1])


def _probability(value, where: str) -> float:
    p = _finite(value, where)
    if not 0.0 <= p <= 1.0:
        raise _Invalid(f"{where} is {_show(value)}, not in [0, 1]")
    return p


def _keys(obj, where: str, expected: set[str]) -> dict:
    if not isinstance(obj, dict):
        raise _Invalid(f"{where} is a {type(obj).__name__}, not an object")
    missing, unknown = sorted(expected - set(obj)), sorted(set(obj) - expected)
    if missing:
        raise _Invalid(f"{where} lacks {', '.join(missing)}")
    if unknown:
        raise _Invalid(f"{where} has unknown fields {', '.join(unknown)}")
    return obj


def _float_array(array: np.ndarray, where: str, shape: tuple[int, ...], *, f32: bool = False):
    """A float array of ``shape`` with finite values (float32 kept when ``f32``)."""
    if array.dtype.kind != "f" or array.dtype.itemsize not in (4, 8):
        raise _Invalid(f"{where} has dtype {array.dtype}, not float32 or float64")
    if array.shape != shape:
        raise _Invalid(f"{where} has shape {array.shape}, expected {shape}")
    if not np.isfinite(array).all():
        raise _Invalid(f"{where} holds NaN or infinite values")
    keep = np.float32 if f32 and array.dtype.itemsize == 4 else np.float64
    return np.ascontiguousarray(array, dtype=keep)


def _vocabulary(array: np.ndarray, size: int, where: str) -> dict[str, int]:
    if array.dtype != np.uint8 or array.ndim != 1:
        raise _Invalid(f"{where} has dtype {array.dtype} and shape {array.shape}, not uint8 bytes")
    try:
        joined = array.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Invalid(f"{where} is not UTF-8 ({exc})") from None
    terms = joined.split("\n") if size else []
    if size == 0 and joined:
        raise _Invalid(f"{where} holds terms but the vocabulary size is 0")
    if len(terms) != size:
        raise _Invalid(f"{where} holds {len(terms)} terms, but the vocabulary size is {size}")
    vocab = dict(zip(terms, range(size), strict=True))
    if len(vocab) != size or "" in vocab:
        raise _Invalid(f"{where} holds empty or repeated terms")
    return vocab


def _lexicon_table(value, where: str) -> dict[str, dict[str, float]]:
    if not isinstance(value, dict):
        raise _Invalid(f"{where} is a {type(value).__name__}, not an object")
    out: dict[str, dict[str, float]] = {}
    for name, entries in value.items():
        if not name or name.startswith("shape:"):
            raise _Invalid(f"{where} has a lexicon named {_show(name)}")
        if not isinstance(entries, dict):
            raise _Invalid(f"{where}[{_show(name)}] is a {type(entries).__name__}, not an object")
        # checked in bulk (tens of thousands of entries): numbers, finite, positive
        weights = list(entries.values())
        if not {type(w) for w in weights} <= {int, float}:
            bad = next(w for w in weights if type(w) not in (int, float))
            raise _Invalid(f"{where}[{_show(name)}] has the weight {_show(bad)}, not a number")
        try:
            values = np.asarray(weights, dtype=np.float64)
        except OverflowError:
            raise _Invalid(f"{where}[{_show(name)}] has a weight beyond the float range") from None
        if not (np.isfinite(values) & (values > 0)).all():
            bad = weights[int(np.argmin(np.isfinite(values) & (values > 0)))]
            raise _Invalid(
                f"{where}[{_show(name)}] has the weight {_show(bad)}; "
                "weights are positive finite numbers"
            )
        if "" in entries or "\n".join(entries).count("\n") != max(len(entries) - 1, 0):
            raise _Invalid(f"{where}[{_show(name)}] has an empty phrase or one with a line break")
        out[name] = entries
    return out


def _space(spec, arrays: dict[str, np.ndarray], prefix: str, where: str) -> FeatureSpace:
    spec = _keys(spec, f"{where} space", _SPACE_KEYS)
    s = f"{where} space"
    word_size = _count(spec["word_vocab_size"], f"{s}.word_vocab_size")
    char_size = _count(spec["char_vocab_size"], f"{s}.char_vocab_size")
    char_ngrams = spec["char_ngrams"]
    return FeatureSpace(
        word_ngrams=_ngrams(spec["word_ngrams"], f"{s}.word_ngrams"),
        char_ngrams=None if char_ngrams is None else _ngrams(char_ngrams, f"{s}.char_ngrams"),
        sublinear_tf=_flag(spec["sublinear_tf"], f"{s}.sublinear_tf"),
        word_weight=_finite(spec["word_weight"], f"{s}.word_weight"),
        char_weight=_finite(spec["char_weight"], f"{s}.char_weight"),
        lexicon_weight=_finite(spec["lexicon_weight"], f"{s}.lexicon_weight"),
        lexicon_norm=_choice(spec["lexicon_norm"], f"{s}.lexicon_norm", LEXICON_NORMS),
        lexicons=_lexicon_table(spec["lexicons"], f"{s}.lexicons"),
        shapes=_flag(spec["shapes"], f"{s}.shapes"),
        word_vocab=_vocabulary(arrays[prefix + "word_terms"], word_size, f"{where} word_terms"),
        word_idf=_float_array(arrays[prefix + "word_idf"], f"{where} word_idf", (word_size,)),
        char_vocab=_vocabulary(arrays[prefix + "char_terms"], char_size, f"{where} char_terms"),
        char_idf=_float_array(arrays[prefix + "char_idf"], f"{where} char_idf", (char_size,)),
    )


def _context(arrays: dict[str, np.ndarray], prefix: str, where: str) -> WordContext:
    """A word-evidence head's context form (see the module docs)."""
    coef = _float_array(arrays[prefix + "context_coef"], f"{where} context_coef", (2, len(CLASSES)))
    classes = arrays[prefix + "context_class"]
    if classes.dtype != np.uint8 or classes.ndim != 1:
        raise _Invalid(f"{where} context_class has dtype {classes.dtype}, not uint8")
    if len(classes) and int(classes.max()) >= len(CLASSES):
        raise _Invalid(f"{where} context_class holds a class beyond {len(CLASSES) - 1}")
    lemmas = _vocabulary(arrays[prefix + "context_terms"], len(classes), f"{where} context_terms")
    stop_bytes = arrays[prefix + "context_stop"]
    n_stop = stop_bytes.tobytes().count(b"\n") + 1 if len(stop_bytes) else 0
    stop = _vocabulary(stop_bytes, n_stop, f"{where} context_stop")
    return WordContext(dict(zip(lemmas, classes.tolist(), strict=True)), coef, frozenset(stop))


def _head(spec, arrays: dict[str, np.ndarray], i: int) -> Head:
    where = f"heads[{i}]"
    if isinstance(spec, dict) and isinstance(spec.get("name"), str):
        where = f"head {_show(spec['name'])}"
    spec = _keys(spec, where, _HEAD_KEYS)
    name = _text(spec["name"], f"{where} name", empty=False)
    problem = head_name_problem(name)  # the rule of `framing train`: no colliding columns
    if problem is not None:
        raise _Invalid(problem)
    kind = _choice(spec["kind"], f"{where} kind", KINDS)
    labels = spec["labels"]
    if (
        not isinstance(labels, list)
        or not labels
        or not all(isinstance(x, str) and x for x in labels)
        or len(set(labels)) != len(labels)
    ):
        raise _Invalid(
            f"{where} labels is {_show(labels)}, not a list of distinct non-empty strings"
        )
    thresholds = spec["thresholds"]
    if thresholds is not None:
        if not isinstance(thresholds, list) or len(thresholds) != len(labels):
            raise _Invalid(f"{where} thresholds is {_show(thresholds)}, not one number per label")
        thresholds = [_probability(t, f"{where} thresholds") for t in thresholds]
    prefix = f"head{i}."
    space = _space(spec["space"], arrays, prefix, where)
    n = len(labels)
    coef = _float_array(arrays[prefix + "coef"], f"{where} coef", (n, space.n_features), f32=True)
    extra: dict[str, float] = {}
    cls = Head
    if kind == "word_evidence":
        if n != 1:
            raise _Invalid(f"{where} is a word-evidence head with {n} labels; it has one")
        values = _float_array(
            arrays[prefix + "aggregation"], f"{where} aggregation", (len(AGGREGATION),)
        )
        extra = dict(zip(AGGREGATION, values.tolist(), strict=True))
        if prefix + "context_coef" in arrays:
            extra["context"] = _context(arrays, prefix, where)
        if prefix + "vectors_coef" in arrays:
            vec = arrays[prefix + "vectors"]
            if vec.dtype != np.float16 or vec.ndim != 2:
                raise _Invalid(f"{where} vectors has dtype {vec.dtype}, not 2-d float16")
            terms = _vocabulary(arrays[prefix + "vectors_terms"], len(vec), f"{where} vectors")
            vcoef = _float_array(arrays[prefix + "vectors_coef"], where, (vec.shape[1],))
            extra["vectors"] = WordVectors(list(terms), vec, vcoef)
        cls = WordHead
    head = cls(
        **extra,
        name=name,
        space=space,
        coef=coef,
        intercept=_float_array(arrays[prefix + "intercept"], f"{where} intercept", (n,)),
        labels=labels,
        calibration=_float_array(arrays[prefix + "calibration"], f"{where} calibration", (n, 2)),
        threshold=_probability(spec["threshold"], f"{where} threshold"),
        thresholds=thresholds,
        unit=_choice(spec["unit"], f"{where} unit", UNITS),
        description=_text(spec["description"], f"{where} description"),
    )
    bound = float(np.max(head.logit_bound()))
    if not bound <= MAX_LOGIT:  # NaN too
        raise _Invalid(
            f"{where} weights could give a logit of {bound:.3g} on a text of "
            f"{MAX_TEXT_CHARS:,} characters, over the bound of {MAX_LOGIT:.0e} (scores would "
            "overflow to infinity or NaN)"
        )
    return head


def _check_sizes(data: bytes) -> None:
    """Refuse, from the zip's directory and the ``.npy`` headers and before unpacking any
    array: members the artifact never holds, a zip that would unpack to more than
    ``MAX_BYTES``, and members that would take more memory than they hold (a forged
    header)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = zf.infolist()
        for member in members:
            if not _MEMBER_RE.fullmatch(member.filename):
                raise ValueError(f"it holds unknown members ({_show(member.filename)})")
        total = sum(m.file_size for m in members)
        if total > MAX_BYTES:
            raise ValueError(f"it would unpack to {total:,} bytes, over the limit of {MAX_BYTES:,}")
        for member in members:
            with zf.open(member) as fh:
                version = np.lib.format.read_magic(fh)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
                elif version == (2, 0):
                    shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
                else:
                    raise ValueError(f"{member.filename} has .npy version {version}")
            if math.prod(shape) * dtype.itemsize > member.file_size:
                raise ValueError(
                    f"{member.filename} declares shape {_show(shape)} of {dtype} but holds "
                    f"{member.file_size:,} bytes"
                )


def _read_members(data: bytes, source: str) -> dict[str, np.ndarray]:
    if not data.startswith(_ZIP_MAGIC):
        hint = "it is not a zip of numpy arrays"
        if data[:1] == b"\x80":  # a pickle's protocol opcode
            hint = "it is a pickle, which framing never loads (unpickling can run code)"
        elif data[:1] == b"\x78":  # a zlib stream: the pickle an earlier framing wrote
            hint = (
                "it looks like a compressed pickle written by an earlier framing, which this "
                f"version never loads (unpickling can run code); if you trust it: {CONVERT_COMMAND}"
            )
        raise ModelError(f"{source} is not a framing model artifact: {hint}")
    try:
        _check_sizes(data)
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            names = list(npz.files)
            if DESCRIPTION not in names:
                raise ModelError(
                    f"{source} is not a framing model artifact: it has no {DESCRIPTION}; "
                    "retrain the model or get a valid copy"
                )
            return {name: npz[name] for name in names}
    except ModelError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as exc:
        raise ModelError(
            f"{source} cannot be read as a framing model artifact ({type(exc).__name__}: "
            f"{exc}); it is truncated, corrupted or not a model: retrain it or get a valid copy"
        ) from None


def loads(data: bytes, source: str = "the model artifact") -> dict[str, Head]:
    """The heads held by artifact bytes, built only after every field has been checked.

    Never unpickles: the arrays are read with ``numpy.load(..., allow_pickle=False)`` and the
    description with :func:`framing.strict.loads`.

    Parameters
    ----------
    data
        The bytes of a ``model.npz`` written by :func:`dumps`.
    source
        What to call the artifact in error messages (its path).

    Returns
    -------
    dict[str, Head]
        The heads, keyed by name, in the stored order.

    Raises
    ------
    ModelError
        One line saying what is wrong: not a zip of arrays, truncated, an unknown format
        version, head kind or unit, a missing, wrongly typed or wrongly shaped field, NaN or
        infinite weights, lengths that do not agree.
    """
    arrays = _read_members(bytes(data), source)
    try:
        raw = arrays.pop(DESCRIPTION)
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise _Invalid(f"{DESCRIPTION} has dtype {raw.dtype}, not uint8 bytes")
        try:
            payload = strict.loads(raw.tobytes().decode("utf-8"))
        except ValueError as exc:  # not UTF-8, not JSON, or nested too deeply
            raise _Invalid(f"{DESCRIPTION} is not valid UTF-8 JSON ({exc})") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise _Invalid(f"{DESCRIPTION} does not describe a framing model")
        version = payload.get("format_version")
        if version != FORMAT_VERSION:
            raise ModelError(
                f"{source} has format version {_show(version)}; this framing reads version "
                f"{FORMAT_VERSION}: upgrade framing, or retrain the model with this version"
            )
        _keys(payload, DESCRIPTION, {"format", "format_version", "heads"})
        specs = payload["heads"]
        if not isinstance(specs, list) or not specs:
            raise _Invalid(f"{DESCRIPTION} lists no heads")
        expected = {f"head{i}.{a}" for i in range(len(specs)) for a in ARRAYS}
        for i, spec in enumerate(specs):
            if isinstance(spec, dict) and spec.get("kind") == "word_evidence":
                expected.add(f"head{i}.aggregation")
                if any(f"head{i}.{a}" in arrays for a in CONTEXT_ARRAYS):
                    expected |= {f"head{i}.{a}" for a in CONTEXT_ARRAYS}
                if any(f"head{i}.{a}" in arrays for a in VECTOR_ARRAYS):
                    expected |= {f"head{i}.{a}" for a in VECTOR_ARRAYS}
        missing, unknown = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        if missing:
            raise _Invalid(f"the arrays {', '.join(missing[:3])} are missing")
        if unknown:
            raise _Invalid(f"unknown members {', '.join(unknown[:3])}")
        heads: dict[str, Head] = {}
        for i, spec in enumerate(specs):
            head = _head(spec, arrays, i)
            if head.name in heads:
                raise _Invalid(f"two heads are named {_show(head.name)}")
            heads[head.name] = head
        return heads
    except _Invalid as exc:
        raise ModelError(
            f"{source} is not a valid framing model: {exc}; retrain it or get a valid copy"
        ) from None
    except ValueError as exc:  # a constructor's own check
        raise ModelError(
            f"{source} is not a valid framing model: {exc}; retrain it or get a valid copy"
        ) from None
