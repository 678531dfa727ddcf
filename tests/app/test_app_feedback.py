"""Issue 27 in the app (AppTest, shipped model): marks where people read (Analyse, Compare),
the Review page (list, filter, undo, delete, counts, least-sure items, before/after on a
switched model), the sidebar's database (password masked) and a house-style terms upload."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytest.importorskip("streamlit", reason="the app needs `pip install framing[app]`")
pytest.importorskip("sqlalchemy", reason="the feedback store needs `pip install framing[feedback]`")
from streamlit.testing.v1 import AppTest  # noqa: E402

from framing.app.marking import panel_key  # noqa: E402
from framing.cli import main as cli  # noqa: E402
from framing.core.model import save_model  # noqa: E402
from framing.feedback import open_store  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120
HEADLINE = "Shameless despot denies chilling reports"
TERMS = b"barmy | unusual\nfat cats | executives\n"


@pytest.fixture()
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "marks.db"
    monkeypatch.setenv("FRAMING_DB", str(path))
    return path


def _ok(at) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _run(page: str | None = None, headline: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if headline is not None:
        at.text_input(key="headline").set_value(headline).run()
    if page:
        at.sidebar.radio(key="page").set_value(page).run()
    return _ok(at)


def _word_box(at, key: str):
    return at.selectbox(key=f"mark-word-{key}")


def _choose_word(at, key: str, word: str) -> None:
    box = _word_box(at, key)
    labels = box.options  # as shown: "despot (+2.06)"
    index = next(i for i, label in enumerate(labels) if str(label).startswith(f"{word} ("))
    box.set_value(index).run()


def _review_table(at):
    return next(d.value for d in at.dataframe if "answer" in d.value.columns)


def test_mark_a_word_on_analyse_and_see_it_on_review(db):
    at = _run(headline=HEADLINE)
    key = panel_key("headline", "loaded", HEADLINE)
    _choose_word(at, key, "despot")
    at.text_input(key="feedback_user").set_value("ana").run()
    at.text_input(key=f"mark-note-{key}").set_value("house style").run()
    _ok(at.button(key=f"mark-neutral-{key}").click().run())
    assert any("“despot” → not loaded (loaded)" in s.value.replace("\\", "") for s in at.success)
    with open_store(str(db)) as store:
        (mark,) = store.list()
    assert (mark.text, mark.unit, mark.head, mark.word) == (
        HEADLINE,
        "headline",
        "loaded",
        "despot",
    )
    assert mark.answer == "neutral" and mark.user == "ana" and mark.note == "house style"
    assert 0.5 <= mark.score <= 1 and mark.model_hash and "+terms" not in mark.model_hash
    at.sidebar.radio(key="page").set_value("Review").run()
    table = _review_table(_ok(at))
    assert table.loc[0, ["word", "answer", "head", "user"]].tolist() == [
        "despot",
        "not loaded",
        "loaded",
        "ana",
    ]
    words = next(
        d.value
        for d in at.dataframe
        if "not loaded" in d.value.columns
        and "word" in d.value.columns
        and "answer" not in d.value.columns
    )
    assert words.loc[0, ["word", "not loaded"]].tolist() == ["despot", 1]
    before_after = next(d.value for d in at.dataframe if "before" in d.value.columns)
    assert before_after.loc[0, "before"] == pytest.approx(before_after.loc[0, "after"], abs=1e-3)


def test_label_wrong_stores_the_other_label_and_a_sentence_mark_its_offsets(db):
    at = _run(headline=HEADLINE)
    key = panel_key("headline", "loaded", HEADLINE)
    _ok(at.button(key=f"mark-unit-{key}").click().run())
    (box,) = [b for b in at.selectbox if (b.key or "").startswith("sentence-")]
    sentence_keys = [b.key for b in at.button if (b.key or "").startswith("mark-loaded-")]
    chosen = [k for k in sentence_keys if k.removeprefix("mark-loaded-") != key]
    at.button(key=chosen[-1]).click().run()
    with open_store(str(db)) as store:
        sentence, unit = store.list()
    assert unit.start is None and unit.answer == "0" and unit.unit == "headline"
    assert sentence.unit == "sentence" and sentence.answer == "loaded"
    assert sentence.text in at.text_area(key="body").value
    assert sentence.word and sentence.word == sentence.text[sentence.start : sentence.end]


def test_undo_and_delete_on_review(db):
    at = _run(headline=HEADLINE)
    key = panel_key("headline", "loaded", HEADLINE)
    for word in ("despot", "chilling", "denies"):
        _choose_word(at, key, word)
        at.button(key=f"mark-loaded-{key}").click().run()
    at.sidebar.radio(key="page").set_value("Review").run()
    assert _review_table(_ok(at))["word"].tolist() == ["denies", "chilling", "despot"]
    _ok(at.button(key="review_undo").click().run())
    assert _review_table(at)["word"].tolist() == ["chilling", "despot"]
    assert any("Undid mark #3" in i.value.replace("\\", "") for i in at.info)
    ids = _review_table(at)["id"].tolist()
    at.selectbox(key="review_delete_id").set_value(ids[-1]).run()
    _ok(at.button(key="review_delete").click().run())
    assert _review_table(at)["word"].tolist() == ["chilling"]
    with open_store(str(db)) as store:
        assert [m.word for m in store.list()] == ["chilling"]


def test_review_filters_by_head_word_and_user(db):
    at = _run(headline=HEADLINE)
    for head in ("loaded", "clickbait"):
        key = panel_key("headline", head, HEADLINE)
        _choose_word(at, key, "despot")
        at.button(key=f"mark-loaded-{key}").click().run()
    at.text_input(key="feedback_user").set_value("bo").run()
    key = panel_key("headline", "loaded", HEADLINE)
    _choose_word(at, key, "chilling")
    at.button(key=f"mark-neutral-{key}").click().run()
    at.sidebar.radio(key="page").set_value("Review").run()
    assert len(_review_table(_ok(at))) == 3
    at.selectbox(key="review_head").set_value("clickbait").run()
    assert _review_table(at)["head"].tolist() == ["clickbait"]
    at.selectbox(key="review_head").set_value("(any)").run()
    at.text_input(key="review_word").set_value("despot").run()
    assert _review_table(at)["word"].tolist() == ["despot", "despot"]
    at.text_input(key="review_word").set_value("").run()
    at.text_input(key="review_user").set_value("bo").run()
    assert _review_table(at)["word"].tolist() == ["chilling"]
    counts = next(
        d.value for d in at.dataframe if list(d.value.columns) == ["head", "answer", "marks"]
    )
    assert sorted(counts.itertuples(index=False, name=None)) == [
        ("clickbait", "loaded", 1),
        ("loaded", "loaded", 1),
        ("loaded", "neutral", 1),
    ]


def test_mark_on_compare(db):
    at = _run("Compare headlines")
    first = "Council closes two bridges as flood water rises"
    key = panel_key("headline", "loaded", first)
    _ok(at.button(key=f"mark-unit-{key}").click().run())
    with open_store(str(db)) as store:
        (mark,) = store.list()
    assert (mark.text, mark.unit, mark.answer) == (first, "headline", "1")


def test_least_sure_items_are_proposed_one_at_a_time(db, tmp_path):
    src = tmp_path / "in.csv"
    texts = [
        "Council closes two bridges as flood water rises",
        "Shameless despot denies chilling reports",
        "Minister visits factory",
        "Disastrous plan slammed by furious residents",
    ]
    src.write_text("headline\n" + "\n".join(texts) + "\n", encoding="utf-8")
    out = tmp_path / "scored.csv"
    assert cli(["score", str(src), "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    distance = {r["headline"]: abs(float(r["loaded_probability"]) - 0.5) for r in rows}
    order = sorted(texts, key=lambda t: (distance[t], texts.index(t)))
    at = _run("Review")
    at.file_uploader(key="review_upload").upload("scored.csv", out.read_bytes()).run()
    _ok(at)
    assert at.selectbox(key="review_prob_col").value == "loaded_probability"
    assert [c.value for c in at.code] == [order[0]]
    assert any("4 left" in m.value for m in at.markdown)
    _ok(at.button(key="least-sure-1").click().run())
    assert [c.value for c in at.code] == [order[1]]
    _ok(at.button(key="least-sure-skip").click().run())
    assert [c.value for c in at.code] == [order[2]]
    with open_store(str(db)) as store:
        (mark,) = store.list()
    assert (mark.text, mark.answer, mark.start) == (order[0], "1", None)
    assert "row" in mark.note and mark.model_hash


def test_switching_models_shows_scores_before_and_after(db, tmp_path, tiny_model):
    at = _run(headline=HEADLINE)
    key = panel_key("headline", "loaded", HEADLINE)
    at.button(key=f"mark-loaded-{key}").click().run()
    folder = tmp_path / "other_model"
    save_model(tiny_model, folder)
    at.text_input(key="model_dir").set_value(str(folder)).run()
    at.sidebar.radio(key="page").set_value("Review").run()
    table = next(d.value for d in _ok(at).dataframe if "before" in d.value.columns)
    row = table.iloc[0]
    assert row["model then"] != row["model now"]
    expected = float(tiny_model["loaded"].predict_proba([HEADLINE])[0, 0])
    assert row["after"] == pytest.approx(expected, abs=1e-3)
    assert row["change"] == pytest.approx(row["after"] - row["before"], abs=2e-3)


def test_a_database_url_password_is_never_shown(db):
    at = _run("Review")
    url = "postgresql://ana:s3cret-pw@127.0.0.1:1/nowhere"
    at.text_input(key="feedback_db").set_value(url).run()
    shown = " ".join(
        str(e.value) for kind in ("caption", "error", "info", "markdown") for e in at.get(kind)
    ).replace("\\", "")  # Markdown escapes
    assert "s3cret" not in shown and "ana:***@127.0.0.1" in shown
    assert any("cannot be used" in e.value for e in at.error)


def _loaded(at) -> float:
    metric = next(m for m in at.metric if m.label.replace("\\", "") == "Loaded (headline)")
    return float(metric.value.split("·")[0])


def test_a_house_style_upload_scores_and_rewords_at_once(db):
    headline = "Council approves barmy plan for town centre"
    at = _run(headline=headline)
    plain = _loaded(at)
    at.file_uploader(key="terms_upload").upload("house.txt", TERMS).run()
    styled = _loaded(_ok(at))
    assert plain < 0.5 <= styled
    at.toggle(key="suggest_analyse").set_value(True).run()
    assert "unusual" in " ".join(h.proto.body for h in _ok(at).get("html"))
    key = panel_key("headline", "loaded", headline)
    _choose_word(at, key, "barmy")
    at.button(key=f"mark-neutral-{key}").click().run()
    with open_store(str(db)) as store:
        (mark,) = store.list()
    assert "+terms:" in mark.model_hash and mark.score == pytest.approx(styled, abs=0.01)
    at.sidebar.radio(key="page").set_value("Model").run()
    assert any("house.txt, 2 entries" in i.value.replace("\\", "") for i in _ok(at).info)


def test_a_bad_terms_upload_is_one_clear_error(db):
    at = _run()
    at.file_uploader(key="terms_upload").upload("bad.txt", b"barmy\n").run()
    errors = [e.value for e in at.error]
    assert any("line 1" in e and "needs a neutral counterpart" in e for e in errors), errors


def test_undo_without_a_name_takes_this_sessions_mark_not_anothers(db):
    """A shared database: another reader's newer mark is not what "Undo my last mark"
    removes when no name is typed; the newest mark this session stored is."""
    from framing.feedback import Mark

    at = _run(headline=HEADLINE)
    key = panel_key("headline", "loaded", HEADLINE)
    for word in ("despot", "chilling"):
        _choose_word(at, key, word)
        at.button(key=f"mark-loaded-{key}").click().run()
    with open_store(str(db)) as store:  # another reader, elsewhere, marks after them
        store.add(Mark("Markets rallied on Friday", "headline", answer="0", user="bob"))
    at.sidebar.radio(key="page").set_value("Review").run()
    _ok(at.button(key="review_undo").click().run())
    assert any("Undid mark #2" in i.value.replace("\\", "") for i in at.info)
    with open_store(str(db)) as store:
        assert [(m.id, m.user) for m in store.list()] == [(3, "bob"), (1, None)]
    _ok(at.button(key="review_undo").click().run())
    _ok(at.button(key="review_undo").click().run())
    assert any("No mark of this session to undo" in i.value for i in at.info)
    with open_store(str(db)) as store:
        assert [(m.id, m.user) for m in store.list()] == [(3, "bob")]
