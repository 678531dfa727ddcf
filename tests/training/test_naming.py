"""Training a head cannot silently break a model: names are checked, a model in --out is
not overwritten without --force, and a replaced head leaves no stale figures."""

import pytest

from framing.cli import main
from framing.core.model import load_model, save_model
from framing.errors import InputError
from framing.training.naming import check_head_name, check_output_folder, forget_head


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("body_loaded", "body_"),
        ("body_x", "body_"),
        ("clickbait_outlet", "_outlet"),
        ("technique", "reserved"),
        ("frame", "reserved"),
        ("Partisan", "lower-case"),
        ("my head", "lower-case"),
        ("9lives", "lower-case"),
        ("x" * 41, "lower-case"),
        ("", "lower-case"),
        ("a-b", "lower-case"),
        ("naïve", "lower-case"),
        ("loaded", "--replace"),
        ("clickbait", "--replace"),
    ],
)
def test_bad_head_names_are_refused(tiny_model, name, message):
    with pytest.raises(InputError, match=message):
        check_head_name(name, tiny_model)


def test_good_names_and_an_asked_replacement_pass(tiny_model):
    for name in ("partisan", "my_frames2", "overall", "error", "warnings"):
        check_head_name(name, tiny_model)
    check_head_name("clickbait", tiny_model, replace=True)


def test_a_model_in_out_needs_force(tmp_path, tiny_model):
    check_output_folder(tmp_path / "new")
    check_output_folder(tmp_path)  # an empty folder
    save_model(tiny_model, tmp_path / "m")
    with pytest.raises(InputError, match="--force"):
        check_output_folder(tmp_path / "m")
    check_output_folder(tmp_path / "m", force=True)


def test_forget_head_drops_every_figure_of_the_head():
    manifest = {
        "metrics": {"clickbait/stop_clickbait_cv": {}, "loaded/babe_cv": {}},
        "heads_info": {"clickbait": {}, "loaded": {}},
        "recipes": {"clickbait": {}},
        "training_sizes": {"clickbait": {}},
    }
    out = forget_head(manifest, "clickbait")
    assert list(out["metrics"]) == ["loaded/babe_cv"] and list(out["heads_info"]) == ["loaded"]
    assert out["recipes"] == {} and out["training_sizes"] == {}
    assert out["replaced_heads"] == ["clickbait"]


LABELS = "text,label\n" + "".join(
    f'"shocking outrage number {i}",1\n"council meeting minutes {i}",0\n' for i in range(15)
)


def test_framing_train_checks_before_training(tmp_path, tiny_model, capsys):
    base = tmp_path / "base"
    save_model(tiny_model, base)
    src = tmp_path / "labels.csv"
    src.write_text(LABELS)
    train = ["--model", str(base), "train", "--user-data", str(src), "--jobs", "1"]
    for args, message in (
        (["--head", "body_loaded", "--out", str(tmp_path / "a")], "body_"),
        (["--head", "clickbait", "--out", str(tmp_path / "a")], "--replace"),
        (["--head", "mine", "--out", str(base)], "--force"),
    ):
        assert main([*train, *args]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("framing: error:") and message in err[0]
    assert not (tmp_path / "a").exists()


def test_a_replaced_head_leaves_no_stale_figures(tmp_path, tiny_model, capsys):
    base = tmp_path / "base"
    manifest = {"metrics": {"clickbait/old_cv": {"ours": {"accuracy": 0.123}}}}
    save_model(type(tiny_model)(tiny_model.heads, manifest), base)
    (base / "MODEL_CARD.md").write_text("the old card")
    src = tmp_path / "labels.csv"
    src.write_text(LABELS)
    args = ["--model", str(base), "train", "--user-data", str(src), "--jobs", "1"]
    args += ["--head", "clickbait", "--replace", "--out", str(base), "--force"]
    assert main(args) == 0
    model = load_model(base)
    assert list(model.manifest["metrics"]) == ["clickbait/user_cv"]
    assert model.manifest["replaced_heads"] == ["clickbait"]
    card = (base / "MODEL_CARD.md").read_text()  # the old card described the old model
    assert "the old card" not in card and "the `clickbait` head" in card
    capsys.readouterr()
    assert main(["--model", str(base), "info"]) == 0
    out = capsys.readouterr().out
    assert "0.123" not in out and "clickbait/user_cv" in out


def test_a_head_no_better_than_chance_is_warned_about_and_its_card_says_so(
    tmp_path, tiny_model, capsys
):
    base = tmp_path / "base"
    save_model(tiny_model, base)
    # labels that do not follow the text: the same kind of sentence on both sides
    rows = [
        f'"the council met on day {i} to discuss item {i % 7}",{(i * 7919) % 2}' for i in range(80)
    ]
    src = tmp_path / "labels.csv"
    src.write_text("text,label\n" + "\n".join(rows) + "\n")
    args = ["--model", str(base), "train", "--user-data", str(src), "--jobs", "1"]
    assert main([*args, "--head", "noise", "--out", str(tmp_path / "m")]) == 0
    err = capsys.readouterr().err
    assert "warning: noise:" in err and "fewer than 50 per class" in err
    model = load_model(tmp_path / "m")
    warnings = model.manifest["head_warnings"]["noise"]
    auc = model.manifest["metrics"]["noise/user_cv"]["ours"]["roc_auc"]
    assert ("no better than chance" in " ".join(warnings)) == (auc < 0.6)
    card = (tmp_path / "m" / "MODEL_CARD.md").read_text()
    assert "may be no better than chance" in card and "fewer than 50 per class" in card
    assert main(["--model", str(tmp_path / "m"), "explain", "The council met"]) == 0
    assert "warning: trained on your labels: noise:" in capsys.readouterr().out
    assert main(["--model", str(tmp_path / "m"), "info"]) == 0
    assert "    warning: noise:" in capsys.readouterr().out


def test_a_head_with_enough_separable_examples_is_not_warned_about(tmp_path, tiny_model, capsys):
    base = tmp_path / "base"
    save_model(tiny_model, base)
    rows = [f'"shocking outrage scandal {i}",1\n"council meeting minutes {i}",0' for i in range(60)]
    src = tmp_path / "labels.csv"
    src.write_text("text,label\n" + "\n".join(rows) + "\n")
    args = ["--model", str(base), "train", "--user-data", str(src), "--jobs", "1"]
    assert main([*args, "--head", "outrage", "--out", str(tmp_path / "m")]) == 0
    assert "warning:" not in capsys.readouterr().err
    assert "outrage" not in load_model(tmp_path / "m").manifest["head_warnings"]
    assert "no better than chance" not in (tmp_path / "m" / "MODEL_CARD.md").read_text()


def test_framing_train_has_the_scripts_options(tmp_path, tiny_model, capsys):
    """One front door: `framing train` trains a multi-class head (--label-type), as
    training/train.py does, and reports its cross-validation on stdout."""
    base = tmp_path / "base"
    save_model(tiny_model, base)
    src = tmp_path / "labels.csv"
    kinds = {"sport": "goal match team", "money": "bank market price", "weather": "rain wind sun"}
    src.write_text(
        "text,label\n"
        + "".join(f'"{w} story {i}",{k}\n' for i in range(12) for k, w in kinds.items())
    )
    args = ["--model", str(base), "train", "--user-data", str(src), "--jobs", "1"]
    args += ["--head", "topic", "--label-type", "multiclass", "--out", str(tmp_path / "m")]
    assert main(args) == 0
    assert "arg-max label" in capsys.readouterr().out
    assert load_model(tmp_path / "m")["topic"].labels == sorted(kinds)
    assert main(["train", "--out", str(tmp_path / "n"), "--head", "x"]) == 2
    assert "--head and --replace go with --user-data" in capsys.readouterr().err
