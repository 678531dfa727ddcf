"""The data-only model artifact (``model.npz``): loading never runs code, every field is
validated, every head kind round-trips exactly, and old pickled models convert."""

from __future__ import annotations

import copyreg
import hashlib
import io
import json
import pickle
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import CLICKBAIT, LOADED, NEUTRAL, NEWS

from framing import ModelError, explain, load_model
from framing.core.artifact import (
    ARTIFACT_NAME,
    LEGACY_ARTIFACT_NAME,
    dumps,
    loads,
)
from framing.core.convert import ConvertWarning, convert_model
from framing.core.features import FeatureSpace
from framing.core.model import MANIFEST_NAME, Model, resolve_model_path, save_model
from framing.training.binary.fit import Recipe, Record, fit_head
from framing.training.multilabel.fit import fit_multilabel_head

TEXTS = [
    "You won't believe what the despot did next!",
    "Parliament passes budget after lengthy debate",
    "The SHAM trial was a shameful farce, critics said",
    "Patriots must defend our great nation from this weird trick",
    "",
    "Officials released the figures for the third quarter",
]


# ---- helpers -----------------------------------------------------------------------------------
def write_folder(folder: Path, data: bytes, name: str = ARTIFACT_NAME, **manifest) -> Path:
    """A model folder whose manifest matches ``data`` (so the sha256 check passes)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    manifest = {"note": "test", **manifest}
    manifest["artifact"] = {"file": name, "sha256": hashlib.sha256(data).hexdigest()}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest))
    return folder


def unpack(data: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """The description and arrays of artifact bytes."""
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return json.loads(arrays.pop("model.json").tobytes()), arrays


def pack(description: dict, arrays: dict[str, np.ndarray], **savez) -> bytes:
    buf = io.BytesIO()
    text = json.dumps(description)  # allow_nan: a NaN weight is written as the literal NaN
    np.savez(buf, **{"model.json": np.frombuffer(text.encode(), np.uint8)}, **arrays, **savez)
    return buf.getvalue()


def one_line_error(folder) -> str:
    with pytest.raises(ModelError) as info:
        load_model(folder)
    message = str(info.value)
    assert "\n" not in message and len(message) < 600, message
    return message


class WritesAFile:
    """Unpickling this runs code: it writes ``target``."""

    def __init__(self, target: Path):
        self.target = str(target)

    def __reduce__(self):
        return (exec, (f"open({self.target!r}, 'w').write('ran')",))


def evil_pickle(target: Path) -> bytes:
    payload = {"format_version": 2, "heads": {"clickbait": WritesAFile(target)}}
    data = pickle.dumps(payload, protocol=5)
    probe = target.with_name("probe.txt")  # the payload is real: plain unpickling runs it
    pickle.loads(pickle.dumps(WritesAFile(probe)))
    assert probe.read_text() == "ran"
    return data


def assert_same_heads(a: Model, b: Model) -> None:
    assert list(a.heads) == list(b.heads)
    for name, x in a.heads.items():
        y = b.heads[name]
        for attr in ("coef", "intercept", "calibration"):
            u, v = getattr(x, attr), getattr(y, attr)
            assert u.dtype == v.dtype and np.array_equal(u, v), (name, attr)
        assert (x.thresholds is None) == (y.thresholds is None)
        np.testing.assert_array_equal(x.label_thresholds(), y.label_thresholds())
        for attr in ("name", "labels", "threshold", "unit", "description"):
            assert getattr(x, attr) == getattr(y, attr), (name, attr)
        s, t = x.space, y.space
        for attr in (
            "word_ngrams", "char_ngrams", "sublinear_tf", "word_weight", "char_weight",
            "lexicon_weight", "lexicon_norm", "shapes", "word_vocab", "char_vocab",
            "lexicon_names", "lex_vocab", "lex_entries", "lex_max_len", "offsets", "n_features",
        ):  # fmt: skip
            assert getattr(s, attr) == getattr(t, attr), (name, attr)
        np.testing.assert_array_equal(s.word_idf, t.word_idf)
        np.testing.assert_array_equal(s.char_idf, t.char_idf)
        # the same scores, exactly
        np.testing.assert_array_equal(x.logits(TEXTS), y.logits(TEXTS))


# ---- heads of every kind -----------------------------------------------------------------------
def _multi_data(copies: int = 4):
    fear = ["They will flood our towns and destroy everything", "Terror is coming for you"]
    flag = ["Patriots must defend our great nation", "Stand up for our flag and our country"]
    texts, rows = [], []
    for i in range(copies):
        for group, label in ((fear, 0), (flag, 1), (LOADED, 2), (NEUTRAL, None)):
            for t in group:
                texts.append(f"{t} {i}")
                rows.append([float(label == k) for k in range(3)])
    return texts, np.array(rows), [f"g{i % 6}" for i in range(len(texts))]


@pytest.fixture(scope="module")
def every_kind(tiny_model) -> Model:
    """Binary heads (the tiny model's), a graded head (sqrt lexicon norm, no char n-grams, an
    empty lexicon), a multi-label head (float32 weights, per-label thresholds) and a user
    multi-class head (one-hot labels, one shared threshold)."""
    graded = [Record(t, 0.9 - 0.1 * (i % 3)) for i, t in enumerate(CLICKBAIT + LOADED)]
    graded += [Record(t, 0.1 + 0.1 * (i % 3)) for i, t in enumerate(NEWS + NEUTRAL)]
    graded_recipe = Recipe(
        features={
            "word_ngrams": (1, 3),
            "char_ngrams": None,
            "min_df": 1,
            "lexicon_norm": "sqrt",
            "lexicons": {"hype": {"shock": 1.0, "weird trick": 2.0}, "empty": {}},
        },
        calibration_folds=2,
    )
    texts, Y, groups = _multi_data()
    recipe = Recipe(
        features={"word_ngrams": (1, 2), "char_ngrams": (2, 4), "min_df": 1, "shapes": False},
        C=2.0,
        calibration_folds=3,
        dual=True,
    )
    labels = ["fear", "flag", "loaded"]
    multi = fit_multilabel_head(
        "technique", texts, Y, recipe, labels=labels, groups=groups, unit="sentence",
        description="persuasion techniques", compact=True,
    )  # fmt: skip
    onehot = Y.copy()
    onehot[onehot.sum(axis=1) == 0, 2] = 1.0  # multi-class: exactly one label per row
    user = fit_multilabel_head(
        "partisan", texts, onehot, recipe, labels=labels, groups=groups, thresholds="micro",
        description="user multiclass head", compact=True,
    )  # fmt: skip
    heads = {
        **tiny_model.heads,
        "graded": fit_head("graded", graded, graded_recipe, unit="article", description="é ✓"),
        "technique": multi,
        "partisan": user,
    }
    return Model(heads, {"note": "every kind"})


def test_every_head_kind_round_trips_exactly(every_kind, tmp_path):
    assert every_kind["technique"].coef.dtype == np.float32
    assert every_kind["technique"].thresholds is not None
    assert every_kind["graded"].space.char_ngrams is None
    assert "empty" in every_kind["graded"].space.lexicon_names
    save_model(every_kind, tmp_path)
    loaded = load_model(tmp_path)
    assert_same_heads(every_kind, loaded)
    assert loaded.manifest["note"] == "every kind"
    assert loaded.manifest["artifact"]["file"] == ARTIFACT_NAME
    assert loaded.manifest["format_version"] == 3
    # explain() of the binary heads: the same numbers
    for text in TEXTS[:4]:
        assert explain(text, model=loaded).to_dict() == explain(text, model=every_kind).to_dict()


def test_the_same_heads_give_the_same_bytes(every_kind):
    data = dumps(every_kind.heads)
    assert dumps(every_kind.heads) == data
    assert dumps(loads(data)) == data


def test_loading_never_unpickles(tmp_path, tiny_model, monkeypatch):
    save_model(tiny_model, tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("pickle was used while loading a model")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    assert set(load_model(tmp_path).heads) == {"clickbait", "loaded"}
    assert set(load_model().heads) >= {"clickbait", "loaded"}


# ---- code in a model folder is never run --------------------------------------------------------
@pytest.mark.parametrize("name", [LEGACY_ARTIFACT_NAME, ARTIFACT_NAME])
@pytest.mark.parametrize("compress", [True, False])
def test_a_pickle_that_runs_code_is_refused_and_not_run(tmp_path, name, compress):
    target = tmp_path / "pwned.txt"
    data = evil_pickle(target)
    folder = write_folder(tmp_path / "model", zlib.compress(data) if compress else data, name)
    message = one_line_error(folder)
    assert "pickle" in message or "not a framing model artifact" in message
    assert not target.exists()


def test_an_object_array_inside_the_npz_is_refused_and_not_run(tmp_path, tiny_model):
    target = tmp_path / "pwned.txt"
    description, arrays = unpack(dumps(tiny_model.heads))
    arrays["head0.coef"] = np.array([WritesAFile(target)], dtype=object)
    folder = write_folder(tmp_path / "model", pack(description, arrays, allow_pickle=True))
    assert "allow_pickle" in one_line_error(folder)
    assert not target.exists()


def test_convert_refuses_a_pickle_that_runs_code(tmp_path):
    target = tmp_path / "pwned.txt"
    folder = write_folder(
        tmp_path / "old", zlib.compress(evil_pickle(target)), LEGACY_ARTIFACT_NAME
    )
    with pytest.warns(ConvertWarning), pytest.raises(ModelError, match="refused builtins.exec"):
        convert_model(folder, tmp_path / "new")
    assert not target.exists()
    assert not (tmp_path / "new" / ARTIFACT_NAME).exists()


# ---- invalid artifacts: one clear line each -----------------------------------------------------
def test_truncated_artifact_is_refused(tmp_path, tiny_model):
    data = dumps(tiny_model.heads)
    for cut in (len(data) // 2, len(data) - 30, 10):
        message = one_line_error(write_folder(tmp_path / f"cut{cut}", data[:cut]))
        assert "truncated" in message or "not a zip" in message, message


def test_not_a_zip_and_no_description(tmp_path, tiny_model):
    assert "not a zip" in one_line_error(write_folder(tmp_path / "a", b"hello, world"))
    _, arrays = unpack(dumps(tiny_model.heads))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    assert "no model.json" in one_line_error(write_folder(tmp_path / "b", buf.getvalue()))


def test_forged_sizes_are_refused_before_reading(tmp_path, tiny_model, monkeypatch):
    """A .npy header declaring more data than its member holds, or a zip that would unpack
    to more than the limit, is refused before any array is allocated."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("model.json.npy", header.getvalue() + bytes(100))
    message = one_line_error(write_folder(tmp_path / "a", buf.getvalue()))
    assert "declares shape (1000000000000,)" in message
    import framing.core.artifact

    data = dumps(tiny_model.heads)
    monkeypatch.setattr(framing.core.artifact, "MAX_BYTES", len(data) + 1)
    message = one_line_error(write_folder(tmp_path / "b", data))
    assert f"would unpack to {unpacked(data):,} bytes, over the limit of {len(data) + 1:,}" in (
        message
    )


def unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(m.file_size for m in zf.infolist())


def _declare(data: bytes, member: str, size: int) -> bytes:
    """``data`` (a zip) with ``member``'s unpacked size declared as ``size`` in its local
    header and the central directory (its bytes unchanged)."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature + b"")
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[at + offset : at + offset + 4] = size.to_bytes(4, "little")
                break
            at = out.find(signature, at + 4)
    return bytes(out)


def test_sizes_are_checked_before_anything_is_read(tmp_path, tiny_model, monkeypatch):
    """Issue 25: a 6 GB sparse model.npz was read whole, and a member of 1 GB unpacked, before
    being refused. The file's size and the sizes the zip declares are checked first: no byte
    of an artifact over the limit is read, and no member of one that would unpack past it."""
    data = dumps(tiny_model.heads)
    folder = write_folder(tmp_path / "sparse", data)
    with open(folder / ARTIFACT_NAME, "r+b") as fh:
        fh.truncate(6 << 30)  # sparse: takes no disk
    reads = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or b"")
    message = one_line_error(folder)
    assert f"is {6 << 30:,} bytes, over the {256 << 20:,}" in message and not reads
    monkeypatch.undo()

    big = _declare(data, "head0.coef.npy", 1 << 30)  # 1 GB, were it unpacked
    loaded = []
    monkeypatch.setattr(np, "load", lambda *a, **k: loaded.append(a))
    message = one_line_error(write_folder(tmp_path / "member", big))
    assert f"would unpack to {unpacked(big):,} bytes, over the limit of {256 << 20:,}" in message
    assert unpacked(big) > 1 << 30 and not loaded


def _head0(d):
    return d["heads"][0]


def _set(path: str, value):
    """A change of the description: ``path`` is dotted keys below head 0."""

    def change(d, arrays):
        *keys, last = path.split(".")
        obj = _head0(d)
        for k in keys:
            obj = obj[k]
        obj[last] = value

    return change


def _array(key: str, make):
    def change(d, arrays):
        arrays[key] = make(arrays[key])

    return change


def _drop_member(d, arrays):
    del arrays["head0.char_idf"]


def _extra_member(d, arrays):
    arrays["head0.secret"] = np.zeros(3)


def _version(d, arrays):
    d["format_version"] = 99


def _drop_field(d, arrays):
    del _head0(d)["space"]["shapes"]


def _unknown_field(d, arrays):
    _head0(d)["code"] = "import os"


def _lexicon(name, phrase, weight):
    def change(d, arrays):
        _head0(d)["space"]["lexicons"][name] = {phrase: weight}

    return change


def _duplicate_head(d, arrays):
    d["heads"][1]["name"] = d["heads"][0]["name"]


def _vocab_terms(d, arrays):  # one term fewer than the vocabulary size
    terms = arrays["head0.word_terms"].tobytes().decode().split("\n")[:-1]
    arrays["head0.word_terms"] = np.frombuffer("\n".join(terms).encode(), np.uint8)


def _repeated_term(d, arrays):
    terms = arrays["head0.word_terms"].tobytes().decode().split("\n")
    terms[1] = terms[0]
    arrays["head0.word_terms"] = np.frombuffer("\n".join(terms).encode(), np.uint8)


def _vocab_size(d, arrays):  # vocabulary size and idf agree with each other, not with coef
    n = _head0(d)["space"]["word_vocab_size"] - 1
    _vocab_terms(d, arrays)
    arrays["head0.word_idf"] = arrays["head0.word_idf"][:n]
    _head0(d)["space"]["word_vocab_size"] = n


def _nan_at(index):
    def make(a):
        a = a.copy()
        a.flat[index] = np.nan
        return a

    return make


INVALID = {
    "coef shape": (_array("head0.coef", lambda a: a[:, :-1]), "coef has shape"),
    "coef 1-d": (_array("head0.coef", lambda a: a[0]), "coef has shape"),
    "coef ints": (_array("head0.coef", lambda a: a.astype(np.int64)), "coef has dtype int64"),
    "coef strings": (_array("head0.coef", lambda a: a.astype("U8")), "coef has dtype <U8"),
    "coef NaN": (_array("head0.coef", _nan_at(5)), "coef holds NaN"),
    "coef inf": (_array("head0.coef", lambda a: np.full_like(a, np.inf)), "or infinite"),
    "intercept NaN": (_array("head0.intercept", _nan_at(0)), "intercept holds NaN"),
    "calibration shape": (_array("head0.calibration", lambda a: a[:, :1]), "calibration has"),
    "idf length": (_array("head0.word_idf", lambda a: a[:-1]), "word_idf has shape"),
    "idf NaN": (_array("head0.char_idf", _nan_at(0)), "char_idf holds NaN"),
    "vocab/idf length": (_vocab_terms, "word_terms holds"),
    "vocab size": (_vocab_size, "coef has shape"),
    "repeated term": (_repeated_term, "repeated terms"),
    "terms not bytes": (_array("head0.char_terms", lambda a: a.astype(np.int32)), "char_terms"),
    "terms not UTF-8": (
        _array("head0.word_terms", lambda a: np.r_[a, 255].astype(np.uint8)),
        "UTF-8",
    ),
    "missing member": (_drop_member, "missing"),
    "unknown member": (_extra_member, "unknown members"),
    "format version": (_version, "format version 99"),
    "kind": (_set("kind", "neural_net"), "kind is 'neural_net'; known: calibrated_linear"),
    "unit": (_set("unit", "paragraph"), "unit is 'paragraph'"),
    "labels type": (_set("labels", "clickbait"), "labels is 'clickbait'"),
    "labels count": (_set("labels", ["a", "b"]), "coef has shape"),
    "threshold type": (_set("threshold", "0.5"), "threshold is '0.5'"),
    "threshold range": (_set("threshold", 7), "not in [0, 1]"),
    "thresholds length": (_set("thresholds", [0.5, 0.5]), "not one number per label"),
    "name": (_set("name", ""), "not a non-empty string"),
    "ngrams": (_set("space.word_ngrams", [2, 1]), "word_ngrams is [2, 1]"),
    "ngrams type": (_set("space.char_ngrams", "2-5"), "char_ngrams is '2-5'"),
    "flag type": (_set("space.sublinear_tf", "yes"), "sublinear_tf is 'yes'"),
    "weight type": (_set("space.word_weight", None), "word_weight is None"),
    "weight NaN": (_set("space.char_weight", float("nan")), "NaN"),
    "norm": (_set("space.lexicon_norm", "l1"), "lexicon_norm is 'l1'"),
    "vocab size type": (_set("space.char_vocab_size", -1), "char_vocab_size is -1"),
    "missing field": (_drop_field, "lacks shapes"),
    "unknown field": (_unknown_field, "unknown fields code"),
    "lexicon NaN": (_lexicon("hype", "shock", float("nan")), "NaN"),
    "lexicon negative": (_lexicon("hype", "shock", -1.0), "positive finite"),
    "lexicon zero": (_lexicon("hype", "shock", 0), "positive finite"),
    "lexicon huge": (_lexicon("hype", "shock", 10**400), "beyond the float range"),
    "lexicon string": (_lexicon("hype", "shock", "1.0"), "not a number"),
    "lexicon not a table": (_set("space.lexicons", ["hype"]), "lexicons is a list"),
    "lexicon name": (_lexicon("shape:allcaps", "x", 1.0), "lexicon named 'shape:allcaps'"),
    "two heads, one name": (_duplicate_head, "two heads are named"),
    # issue 25: the name rule of `framing train` (columns that would collide), at load
    "name body_": (_set("name", "body_loaded"), "names starting with body_ or ending in _outlet"),
    "name _outlet": (_set("name", "clickbait_outlet"), "starting with body_ or ending in _outlet"),
    "name characters": (_set("name", "Click Bait"), "use a lower-case letter"),
    # issue 25: huge finite weights would overflow scores to inf/NaN
    "huge coef": (_array("head0.coef", lambda a: np.full_like(a, 3e38)), "over the bound of 1e+09"),
    "huge intercept": (_array("head0.intercept", lambda a: a + 1e300), "could give a logit of"),
    "huge lexicon weight": (_lexicon("hype", "shock", 1e300), "over the bound"),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_fields_are_refused_with_one_clear_line(tmp_path, tiny_model, case):
    change, needle = INVALID[case]
    description, arrays = unpack(dumps(tiny_model.heads))
    change(description, arrays)
    message = one_line_error(write_folder(tmp_path, pack(description, arrays)))
    assert needle in message, message
    assert str(tmp_path / ARTIFACT_NAME) in message


def test_an_unchanged_repack_loads(tmp_path, tiny_model):
    """The invalid cases above differ from a valid artifact only by their change."""
    description, arrays = unpack(dumps(tiny_model.heads))
    assert_same_heads(tiny_model, load_model(write_folder(tmp_path, pack(description, arrays))))


def test_description_that_is_not_json(tmp_path, tiny_model):
    _, arrays = unpack(dumps(tiny_model.heads))
    buf = io.BytesIO()
    np.savez(buf, **{"model.json": np.frombuffer(b"{not json", np.uint8)}, **arrays)
    assert "not valid UTF-8 JSON" in one_line_error(write_folder(tmp_path, buf.getvalue()))


# ---- models written by earlier versions ---------------------------------------------------------
def _compact_state(space: FeatureSpace) -> dict:
    """A space's pickled state as format 2 stored it (vocabularies as joined terms)."""
    state = dict(vars(space))
    for key in ("word_vocab", "char_vocab"):
        vocab = state.pop(key)
        state[f"_{key}_terms"] = "\n".join(sorted(vocab, key=vocab.get))
        state[f"_{key}_size"] = len(vocab)
    return state


def old_folder(folder: Path, model: Model, version: int) -> Path:
    """A model folder as framing wrote it before this format (a zlib-compressed pickle)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=5)
    if version == 2:
        pickler.dispatch_table = {
            **copyreg.dispatch_table,
            FeatureSpace: lambda s: (copyreg.__newobj__, (FeatureSpace,), _compact_state(s)),
        }
    pickler.dump({"format_version": version, "heads": model.heads})
    folder = write_folder(
        folder, zlib.compress(buf.getvalue(), 6), LEGACY_ARTIFACT_NAME, format_version=version
    )
    (folder / "MODEL_CARD.md").write_text("# card\n")
    return folder


@pytest.mark.parametrize("version", [1, 2])
def test_convert_an_old_model_gives_the_same_scores(tmp_path, every_kind, version):
    old = old_folder(tmp_path / "old", every_kind, version)
    message = one_line_error(old)
    assert "framing convert OLD_DIR NEW_DIR" in message and "pickle" in message
    assert resolve_model_path(old).name == LEGACY_ARTIFACT_NAME
    with pytest.warns(ConvertWarning, match="unpickles it once"):
        converted = convert_model(old, tmp_path / "new")
    assert_same_heads(every_kind, converted)
    assert_same_heads(every_kind, load_model(tmp_path / "new"))
    manifest = converted.manifest
    assert manifest["note"] == "test" and manifest["format_version"] == 3
    assert manifest["converted_from"]["format_version"] == version
    assert (tmp_path / "new" / "MODEL_CARD.md").read_text() == "# card\n"
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "MODEL_CARD.md",
        MANIFEST_NAME,
        ARTIFACT_NAME,
    ]


def test_convert_refuses_what_it_should(tmp_path, tiny_model):
    old = old_folder(tmp_path / "old", tiny_model, 2)
    with pytest.raises(ModelError, match="another folder"):
        convert_model(old, old)
    save_model(tiny_model, tmp_path / "taken")
    with pytest.raises(ModelError, match="already holds a model"):
        convert_model(old, tmp_path / "taken")
    with pytest.raises(ModelError, match="nothing to convert"):
        convert_model(tmp_path / "taken", tmp_path / "new")
    with open(old / LEGACY_ARTIFACT_NAME, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="does not match its manifest"):
        convert_model(old, tmp_path / "new")


def test_saving_replaces_an_old_pickle_in_the_folder(tmp_path, tiny_model):
    old = old_folder(tmp_path / "m", tiny_model, 2)
    save_model(tiny_model, old)
    assert not (old / LEGACY_ARTIFACT_NAME).exists()
    assert resolve_model_path(old).name == ARTIFACT_NAME
    assert_same_heads(tiny_model, load_model(old))


# ---- the shipped model and the Dask shipment -----------------------------------------------------
def test_shipped_model_is_in_this_format():
    path = resolve_model_path()
    assert path.name == ARTIFACT_NAME
    manifest = json.loads(path.with_name(MANIFEST_NAME).read_text())
    assert manifest["format_version"] == 3
    assert manifest["artifact"]["file"] == ARTIFACT_NAME
    assert manifest["artifact"]["bytes"] == path.stat().st_size < 8 * 1024 * 1024
    assert not path.with_name(LEGACY_ARTIFACT_NAME).exists()


def test_dask_shipment_is_data_and_is_validated(tiny_model):
    from framing.engines import dask_engine as fdask

    shipment = fdask.Shipment.of(tiny_model)
    assert shipment.blob.startswith(b"PK")  # the artifact's bytes, not a pickle
    assert fdask.Shipment.of(tiny_model).key == shipment.key
    assert_same_heads(tiny_model, Model(loads(shipment.blob)))
    bad = fdask.Shipment("k" * 64, shipment.blob[:-100], shipment.manifest)
    with pytest.raises(ModelError, match="shipped to this worker"):
        bad.model()


# ---- issue 25: deep nesting, a hand-edited manifest ------------------------------------------
DEEP = "[" * 100_000 + "]" * 100_000


def test_a_deeply_nested_description_is_a_model_error(tmp_path, tiny_model):
    description, arrays = unpack(dumps(tiny_model.heads))
    text = json.dumps(description).replace('"format"', f'"deep": {DEEP}, "format"', 1)
    buf = io.BytesIO()
    np.savez(buf, **{"model.json": np.frombuffer(text.encode(), np.uint8)}, **arrays)
    message = one_line_error(write_folder(tmp_path, buf.getvalue()))
    assert "nested more than 200 levels deep" in message


def test_a_deeply_nested_manifest_is_a_model_error(tmp_path, tiny_model):
    save_model(tiny_model, tmp_path)
    manifest = tmp_path / MANIFEST_NAME
    manifest.write_text(manifest.read_text().replace("{", '{"deep": ' + DEEP + ", ", 1))
    assert "nested more than 200 levels deep" in one_line_error(tmp_path)


HAND_EDITED = {
    "heads_info not an object": ({"heads_info": ["clickbait"]}, "'heads_info' is a list"),
    "a head's info": ({"heads_info": {"technique": "x"}}, "heads_info['technique'] is a string"),
    "reliability": (
        {"heads_info": {"t": {"reliability": {"labels": {"A": {"precision": "high"}}}}}},
        "['labels']['A']['precision'] is a string, not a number",
    ),
    "reliable flag": (
        {"heads_info": {"t": {"reliability": {"labels": {"A": {"reliable": 1}}}}}},
        "['reliable'] is a number, not true or false",
    ),
    "metrics entry": ({"metrics": {"clickbait/x": 0.9}}, "metrics['clickbait/x'] is a number"),
    "metrics ours": ({"metrics": {"p": {"ours": [0.9]}}}, "metrics['p']['ours'] is a list"),
    "metrics curve": ({"metrics": {"p": {"reliability": "x"}}}, "not a list of objects"),
    "libraries": ({"libraries": "numpy"}, "'libraries' is a string"),
}


@pytest.mark.parametrize("case", HAND_EDITED)
def test_a_hand_edited_manifest_is_one_model_error(tmp_path, tiny_model, case):
    fields, needle = HAND_EDITED[case]
    folder = write_folder(tmp_path, dumps(tiny_model.heads), **fields)
    message = one_line_error(folder)
    assert needle in message and "is not a valid manifest" in message, message


def test_a_model_within_the_logit_bound_scores_finite_everywhere(tiny_model):
    from framing.core.head import MAX_LOGIT

    for head in tiny_model.heads.values():
        assert (head.logit_bound() <= MAX_LOGIT).all()
        logits = head.logits(["word " * 5000, "SHAM " * 3000, ""])
        assert np.isfinite(logits).all()
        assert (np.abs(logits) <= head.logit_bound()).all()


def test_the_logit_bound_covers_the_longest_text_scored():
    from framing.core.head import MAX_TEXT_CHARS
    from framing.explanation.guards import MAX_BODY_CHARS, MAX_HEADLINE_CHARS

    assert max(MAX_BODY_CHARS, MAX_HEADLINE_CHARS) <= MAX_TEXT_CHARS
