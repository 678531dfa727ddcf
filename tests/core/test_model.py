import json

import pytest

from framing import ModelError, load_model, score
from framing.core.model import MANIFEST_NAME, save_model


def test_save_load_roundtrip(tmp_path, tiny_model):
    save_model(tiny_model, tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.manifest["artifact"]["sha256"]
    texts = ["You won't believe it", "Budget passes"]
    assert (score(texts, "clickbait", loaded) == score(texts, "clickbait", tiny_model)).all()


def test_tampered_artifact_is_refused(tmp_path, tiny_model):
    artifact = save_model(tiny_model, tmp_path)
    with open(artifact, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_model(tmp_path)


def test_missing_manifest_and_artifact(tmp_path, tiny_model):
    with pytest.raises(ModelError, match="no model artifact"):
        load_model(tmp_path / "nowhere")
    save_model(tiny_model, tmp_path)
    (tmp_path / MANIFEST_NAME).unlink()
    with pytest.raises(ModelError, match="manifest"):
        load_model(tmp_path)


def test_env_variable_selects_model(tmp_path, tiny_model, monkeypatch):
    save_model(tiny_model, tmp_path)
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path))
    assert load_model().manifest["note"] == "tiny test model"


def test_unknown_head_names_the_available_ones(tiny_model):
    with pytest.raises(ModelError, match="clickbait, loaded"):
        tiny_model["frames"]


def test_score_rejects_a_bare_string(tiny_model):
    with pytest.raises(Exception, match="list of texts"):
        score("just one", "clickbait", tiny_model)


def test_shipped_artifact_matches_its_manifest():
    model = load_model()  # verifies the sha256 against manifest.json
    manifest = json.loads(json.dumps(model.manifest))
    assert set(model.heads) >= {"clickbait", "loaded"}
    assert manifest["artifact"]["bytes"] < 8 * 1024 * 1024
    for key in ("libraries", "data_fingerprints", "recipes", "seed"):
        assert key in manifest
