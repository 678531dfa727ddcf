"""The Streamlit app, page by page, through streamlit.testing.v1.AppTest (shipped model)."""

from __future__ import annotations

import copy
import html as htmllib
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("streamlit", reason="the app needs `pip install framing[app]`")
from streamlit.testing.v1 import AppTest  # noqa: E402

from framing import load_model  # noqa: E402
from framing.app import data as data_mod  # noqa: E402
from framing.app import render  # noqa: E402
from framing.batch import ScoreOptions, Scorer  # noqa: E402
from framing.core.model import save_model  # noqa: E402

REPO = Path(__file__).resolve().parents[2]

TIMEOUT = 120  # generous: the first run loads the model on a shared 2-core machine


def _run(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _prob(metric) -> float:
    value = float(metric.value.split("·")[0])
    assert 0.0 <= value <= 1.0
    return value


_ESCAPED = re.compile(r"\\(.)")


def _shown(markdown: str) -> str:
    """The characters a Markdown renderer shows for ``markdown`` whose only markup is
    backslash escapes (what the app's ``as_text`` writes)."""
    return _ESCAPED.sub(r"\1", markdown)


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _metrics(at) -> dict[str, float]:
    return {_shown(m.label): _prob(m) for m in at.metric}


BODY = ("Loaded (article)",)


def _body_score(scores: dict[str, float]) -> float:
    (label,) = [k for k in scores if k in BODY]
    return scores[label]


MARK = re.compile(r'<mark [^>]*title="([^"]*)"[^>]*>([^<]*)</mark>')


def _assert_marks_sit_on_their_words(html: str) -> None:
    """Every highlighted stretch is the word its hover text names (offsets line up)."""
    marks = MARK.findall(html)
    assert len(marks) > 20
    for title, shown in marks:
        term = re.sub(r": [+-][0-9.]+ to the logit.*$", "", htmllib.unescape(title))
        assert htmllib.unescape(shown) == term, (title, shown)  # the text's own word


# ---- Analyse --------------------------------------------------------------------------------
def test_analyse_example_scores_and_highlights():
    at = _run()
    scores = _metrics(at)
    assert {"Clickbait (headline)", "Loaded (headline)"} <= set(scores)
    _body_score(scores)  # exactly one article-level loaded score
    html = _html(at)
    assert 'class="fr-term fr-up' in html and 'class="fr-term fr-down' in html
    assert "to the logit" in html  # exact contribution on hover
    assert len(at.get("vega_lite_chart")) >= 2  # headline and sentence waterfalls
    _assert_marks_sit_on_their_words(html)
    sentence_table = next(d.value for d in at.dataframe if "sentence" in d.value.columns)
    probs = sentence_table["loaded"].tolist()
    assert probs == sorted(probs, reverse=True) and len(probs) >= 5


def test_analyse_changing_the_headline_changes_the_scores():
    at = _run()
    before = _metrics(at)
    at.text_input(key="headline").set_value("Central bank holds interest rates steady").run()
    assert not at.exception
    after = _metrics(at)
    assert after["Clickbait (headline)"] != before["Clickbait (headline)"]
    assert _body_score(after) == _body_score(before)
    at.text_area(key="body").set_value("The committee met on Monday to discuss the plan.").run()
    assert _body_score(_metrics(at)) != _body_score(after)


def _sentence_box(at):
    (box,) = [b for b in at.selectbox if (b.key or "").startswith("sentence-")]
    return box


def test_analyse_selecting_a_sentence_shows_its_words():
    at = _run()
    box = _sentence_box(at)
    last = len(box.options) - 1
    box.set_value(last).run()
    assert not at.exception
    assert any(f"sentence #{last + 1}" in _shown(e.label) for e in at.expander)


def test_analyse_sentence_selector_follows_a_new_article():
    """After a new article is pasted, the selector lists the new article's sentences only
    (its label and the chart below it are of the same, new sentence)."""
    at = _run()
    _sentence_box(at).set_value(2).run()
    new = "The despot slammed the chilling report. Officials met on Monday."
    at.text_area(key="body").set_value(new).run()
    assert not at.exception
    box = _sentence_box(at)
    assert len(box.options) == 2
    assert all(label.split(") ", 1)[1] in new for label in box.options)
    assert box.value == 0
    assert any("sentence #1" in _shown(e.label) for e in at.expander)


def test_analyse_highlights_the_words_that_matter_by_default():
    """By default the article view marks each sentence's strongest words, not every word."""

    def article_marks(at) -> list:
        (block,) = [
            h.proto.body
            for h in at.get("html")
            if "basement" in h.proto.body and "Heavy" in h.proto.body
        ]
        return MARK.findall(block)

    at = _run()
    marked = article_marks(at)
    words = {w.lower() for _, w in marked}
    assert marked and not {"the", "of", "and", "a"} & words
    at.sidebar.radio(key="highlight_mode").set_value("every word").run()
    assert len(article_marks(at)) > 2 * len(marked)


def test_analyse_suggests_neutral_wording():
    at = _run()
    at.text_input(key="headline").set_value("North Korean despot slams talks").run()
    at.toggle(key="suggest_analyse").set_value(True).run()
    assert not at.exception
    html = _html(at)
    assert '<del class="fr-old">despot</del>' in html
    assert '<ins class="fr-new">leader</ins>' in html
    assert any("loaded" in m.value and "→" in m.value for m in at.markdown)


def test_analyse_empty_input_says_what_to_do():
    at = _run()
    at.text_input(key="headline").set_value("").run()
    at.text_area(key="body").set_value("   ").run()
    assert not at.exception
    assert not at.metric
    assert any("Type a headline" in i.value for i in at.info)


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_analyse_escapes_html_injection(payload):
    at = _run()
    at.text_input(key="headline").set_value(f"{payload} shocking").run()
    at.text_area(key="body").set_value(f"They said {payload} was shocking.").run()
    assert not at.exception
    html = _html(at)
    assert "<script" not in html and "<img" not in html
    # with the app's own highlight tags removed, the payload is there as escaped characters
    plain = re.sub(r"</?mark[^>]*>", "", html)
    assert payload.replace("<", "&lt;").replace(">", "&gt;") in plain
    assert plain.count("&lt;") >= 2  # in the headline and in the article


# ---- Compare ---------------------------------------------------------------------------------
def test_compare_sorts_candidates_and_reacts_to_edits():
    at = _run("Compare headlines")
    table = next(d.value for d in at.dataframe if "headline" in d.value.columns)
    assert len(table) == 3
    assert table["clickbait"].tolist() == sorted(table["clickbait"])
    at.radio(key="sort_by").set_value("loaded").run()
    table = next(d.value for d in at.dataframe if "headline" in d.value.columns)
    assert table["loaded"].tolist() == sorted(table["loaded"])
    before = dict(zip(table["headline"], table["clickbait"], strict=True))
    at.text_area(key="candidates").set_value(
        "17 photos you need to see right now\nParliament passes the budget"
    ).run()
    table = next(d.value for d in at.dataframe if "headline" in d.value.columns)
    assert set(table["headline"]) == {
        "17 photos you need to see right now",
        "Parliament passes the budget",
    }
    assert set(table["clickbait"]) != set(before.values())
    assert "fr-term" in _html(at)


def test_compare_needs_two_to_five_headlines():
    at = _run("Compare headlines")
    at.text_area(key="candidates").set_value("Only one headline").run()
    assert any("at least two" in i.value for i in at.info)
    at.text_area(key="candidates").set_value("\n".join(f"Headline {i}" for i in range(6))).run()
    assert any("at most five" in e.value for e in at.error)


# ---- Score a file ----------------------------------------------------------------------------
ROWS = [
    {"id": "a", "headline": "You won't believe these 17 photos", "outlet": "Viral"},
    {"id": "b", "headline": "Central bank holds interest rates steady", "outlet": "Wire"},
    {"id": "c", "headline": "", "outlet": "Wire"},
    {"id": "d", "headline": "Parliament passes budget after debate", "outlet": "Wire"},
]


def _csv() -> bytes:
    return pd.DataFrame(ROWS).to_csv(index=False).encode()


def _jsonl() -> bytes:
    return "".join(json.dumps(r) + "\n" for r in ROWS).encode()


def _parquet() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame(ROWS).to_parquet(buf, index=False)
    return buf.getvalue()


def _read(data: bytes, suffix: str) -> pd.DataFrame:
    if suffix == "csv":
        return pd.read_csv(io.BytesIO(data), keep_default_na=False)
    if suffix == "jsonl":
        return pd.read_json(io.BytesIO(data), lines=True)
    return pd.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize(
    ("suffix", "make"), [("csv", _csv), ("jsonl", _jsonl), ("parquet", _parquet)]
)
def test_file_uploads_scores_and_downloads_in_the_same_format(suffix, make):
    at = _run("Score a file")
    at.file_uploader(key="upload").upload(f"feed.{suffix}", make()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="text_col").value == "headline"
    assert at.selectbox(key="group_col").value == "outlet"
    assert any("Scored 3 of 4 rows" in s.value for s in at.success)
    assert any("1 rows could not be scored" in w.value for w in at.warning)
    scored = next(d.value for d in at.dataframe if "clickbait_probability" in d.value.columns)
    assert list(scored["id"]) == ["a", "b", "c", "d"]  # every row, in input order
    assert scored.loc[2, "error"].startswith("empty text")
    assert scored.loc[0, "clickbait_probability"] > scored.loc[1, "clickbait_probability"]
    assert json.loads(scored.loc[0, "clickbait_terms"])[0]["term"]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # histogram and per-outlet box plot
    button = at.get("download_button")[0]
    assert button.proto.label == "Download the scored file"


def _score(data: bytes, name: str, headline_col, body_col=None):
    table, rows = data_mod.read_table(data, name)
    model = load_model()
    options = data_mod.app_options(model, headline_col, body_col)
    return data_mod.score_table(rows, table.columns, model, options)


def test_file_download_round_trips():
    for suffix, make in (("csv", _csv), ("jsonl", _jsonl), ("parquet", _parquet)):
        scored = _score(make(), f"x.{suffix}", "headline")
        data, _ = data_mod.write_table(scored, f"x.{suffix}")
        back = _read(data, suffix)
        assert list(back["id"]) == ["a", "b", "c", "d"]
        assert [e[:10] for e in back["error"].fillna("")] == ["", "", "empty text", ""]
        assert pd.to_numeric(back["clickbait_probability"], errors="coerce").notna().sum() == 3


def test_file_scores_equal_framing_score(tmp_path):
    """The page and `framing score` give the same columns and values for the same input."""
    from framing.cli import main

    rows = [
        {
            "id": 1,
            "title": 'Minister calls plan a "disgrace"',
            "body": 'He lied. "A sham," she said.',
        },
        {"id": 2, "title": "", "body": ""},
        {"id": 3, "title": "You won't believe this", "body": "The council met on Monday."},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    model = load_model()
    # the page adds frames and techniques whenever the model has those heads
    flags = {"frames": "frame" in model.heads, "techniques": "technique" in model.heads}
    extra = [f"--{k}" for k, on in flags.items() if on]
    assert main(["score", str(src), "-o", str(tmp_path / "out.jsonl"), "-q", *extra]) == 0
    cli = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    page = _score(src.read_bytes(), "in.jsonl", "title", "body").frame()
    opts = ScoreOptions(headline_col="title", body_col="body", **flags)
    scorer = Scorer(model, opts)
    assert list(page.columns) == ["id", "title", "body", *scorer.columns]
    assert set(page.columns) == set(cli[0])  # the JSONL writer puts embedded JSON last

    def plain(column, value):
        if isinstance(value, float) and value != value:
            return None
        embedded = column.endswith("_terms") or column in {"frames", "techniques"}
        return json.loads(value) if embedded and value else value

    for want, got in zip(cli, page.to_dict(orient="records"), strict=True):
        assert want == {k: plain(k, v) for k, v in got.items()}


def test_csv_download_defuses_spreadsheet_formulas():
    upload = pd.DataFrame({"headline": ['=HYPERLINK("http://x")', "-3.5", "Plain"]})
    scored = _score(upload.to_csv(index=False).encode(), "x.csv", "headline")
    back = _read(data_mod.write_table(scored, "x.csv")[0], "csv")
    assert back["headline"].tolist() == ['\'=HYPERLINK("http://x")', "-3.5", "Plain"]
    jsonl = _read(data_mod.write_table(scored, "x.jsonl")[0], "jsonl")
    assert jsonl["headline"].tolist()[0] == '=HYPERLINK("http://x")'


def test_file_without_text_column_is_refused_with_a_message():
    at = _run("Score a file")
    at.file_uploader(key="upload").upload("numbers.csv", b"a,b\n1,2\n3,4\n").run()
    assert not at.exception
    assert any("no column of text" in e.value for e in at.error)


def test_file_unreadable_is_refused_with_a_message():
    at = _run("Score a file")
    at.file_uploader(key="upload").upload("broken.parquet", b"not a parquet file").run()
    assert not at.exception
    assert any("could not read broken.parquet" in _shown(e.value) for e in at.error)


LINK = "[click](http://evil.example) ![x](http://evil.example/x.png) <b>:red[x]</b>"
# the markup characters of LINK, each escaped with a backslash
ESCAPED_LINK = re.sub(r"([\[\]()<>!:./])", r"\\\1", LINK)


def test_file_and_column_names_are_shown_as_text_not_markdown():
    """Names from the upload reach st.error with every Markdown character escaped: the
    page shows them as those characters, and no link or image forms (before: as Markdown)."""
    at = _run("Score a file")
    at.file_uploader(key="upload").upload(f"{LINK}.csv", f"{LINK},b\n1,2\n".encode()).run()
    assert not at.exception
    (error,) = at.error
    assert "no column of text" in error.value
    assert error.value.count(ESCAPED_LINK) == 2  # the file's name and its column's
    assert LINK not in error.value
    at = _run("Score a file")
    at.file_uploader(key="upload").upload(f"{LINK}.parquet", b"not a parquet file").run()
    (error,) = at.error
    assert f"could not read {LINK}.parquet" in _shown(error.value)
    assert f"{ESCAPED_LINK}\\.parquet" in error.value


def test_file_in_utf16_is_refused_as_the_command_line_refuses_it():
    """Before: "Scored 2 of 2 rows" of NUL-interleaved text and a phantom row."""
    at = _run("Score a file")
    data = "headline\nMinister slams plan\nCouncil approves budget\n".encode("utf-16")
    at.file_uploader(key="upload").upload("feed.csv", data).run()
    assert not at.exception
    (error,) = at.error
    assert "could not read feed.csv: the input is UTF-16 text" in _shown(error.value)
    assert not at.success and not at.get("download_button")


def test_file_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setenv("FRAMING_APP_MAX_MB", "0.0001")
    at = _run("Score a file")
    at.file_uploader(key="upload").upload("feed.csv", _csv()).run()
    assert not at.exception
    assert any("over the 0.0001 MB limit" in e.value for e in at.error)
    assert not at.get("download_button")


# ---- Model -----------------------------------------------------------------------------------
def test_model_page_shows_terms_and_searches_weights():
    at = _run("Model")
    tables = [d.value for d in at.dataframe]
    assert sum(list(t.columns) == ["feature", "weight"] for t in tables) >= 4  # 2 heads x 2 ways
    at.text_input(key="weight_query").set_value("regime").run()
    assert not at.exception
    hits = [d.value for d in at.dataframe if "feature" in d.value.columns]
    assert any(t["feature"].str.contains("regime").all() and len(t) for t in hits)
    at.text_input(key="weight_query").set_value("zzqxqzz").run()
    assert any("contains 'zzqxqzz'" in _shown(i.value) for i in at.info)
    assert any(s.value == "Model card" for s in at.subheader)


def test_model_page_evaluation_table_and_reliability_plot(tiny_model, tmp_path, monkeypatch):
    metrics = {
        "loaded/babe_cv": {
            "ours": {"n": 16, "macro_f1": 0.8, "roc_auc": 0.9},
            "plain": {"n": 16, "macro_f1": 0.7, "roc_auc": 0.8},
            "reliability": [
                {"bin": "0.0-0.1", "n": 8, "mean_predicted": 0.05, "observed": 0.1},
                {"bin": "0.9-1.0", "n": 8, "mean_predicted": 0.95, "observed": 0.9},
            ],
        }
    }
    tiny_model.manifest["metrics"] = metrics
    try:
        save_model(tiny_model, tmp_path)
    finally:
        tiny_model.manifest.pop("metrics")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path))
    at = _run("Model")
    table = next(d.value for d in at.dataframe if "protocol" in d.value.columns)
    assert set(table["metric"]) == {"macro_f1", "roc_auc"}
    assert table.loc[table["metric"] == "macro_f1", "plain baseline"].item() == 0.7
    assert len(at.get("vega_lite_chart")) == 1
    assert any("No MODEL_CARD.md" in i.value for i in at.info)


def test_model_that_fails_to_load_shows_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path / "missing"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert any("Could not load the model" in e.value for e in at.error)


def test_analyse_shows_low_confidence_techniques_only_on_request(measured, tmp_path, monkeypatch):
    """With a technique head, the badges hold the reliable techniques; the toggle adds the
    others, marked low confidence."""
    from conftest import TECHNIQUE_ARTICLE

    save_model(measured, tmp_path / "model")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path / "model"))
    at = _run()
    at.text_area(key="body").set_value(TECHNIQUE_ARTICLE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "(low confidence)" not in _html(at)
    at.toggle(key="all_techniques").set_value(True).run()
    assert not at.exception
    assert "flag (low confidence)" in _html(at)


# ---- web pages in and out ------------------------------------------------------------------
def test_analyse_reads_an_uploaded_web_page_and_offers_the_analysis_as_a_page():
    pytest.importorskip("trafilatura", reason='pip install "framing[html]"')
    from framing.web import read_page

    path = REPO / "tests" / "web" / "pages" / "01.html"
    at = _run()
    at.file_uploader(key="page_upload").upload("story.html", path.read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    page = read_page(path)
    assert at.text_input(key="headline").value == page.headline
    assert at.text_area(key="body").value == page.body
    assert any("boilerplate" in w.value for w in at.warning)  # the READ MORE teaser
    button = next(b for b in at.get("download_button") if "web page" in b.proto.label)
    assert button.proto.label == "Download this analysis as a web page (HTML)"
    at.text_input(key="headline").set_value("Edited headline").run()  # edits are kept
    assert at.text_input(key="headline").value == "Edited headline"


def test_labels_are_the_models_labels_at_its_thresholds():
    from framing import explain, load_model

    at = _run()
    at.text_input(key="headline").set_value("The despot shamelessly denied the reports").run()
    res = explain(at.text_input(key="headline").value, at.text_area(key="body").value)
    shown = {_shown(m.label): m.value.split(" · ")[1] for m in at.metric if " · " in m.value}
    assert shown["Loaded (headline)"] == ("yes" if res.loaded_headline.label else "no") == "yes"
    assert shown["Clickbait (headline)"] == ("yes" if res.clickbait.label else "no")
    assert shown["Loaded (article)"] == ("yes" if res.article.label else "no")
    assert load_model()["loaded"].threshold == res.loaded_headline.threshold
    assert not any("medium" in m.value or "high" in m.value for m in at.metric)


def test_a_headline_not_in_english_is_not_scored():
    at = _run()
    at.text_input(key="headline").set_value("Le gouvernement annonce un nouveau budget").run()
    at.text_area(key="body").set_value("").run()
    assert not at.exception
    values = {_shown(m.label): m.value for m in at.metric}
    assert values["Loaded (headline)"].endswith("· not scored")
    assert values["Overall (for sorting)"] == "not scored: language fr"
    assert any("not scored: language fr" in _shown(w.value) for w in at.warning)


def test_model_page_names_features_for_people_and_shows_each_label():
    from framing import load_model

    at = _run("Model")
    features = [
        str(x) for d in at.dataframe if "feature" in d.value.columns for x in d.value["feature"]
    ]
    assert features and not [f for f in features if f.startswith(("char:", "lex:")) or f == "00"]
    assert any(f.startswith("the word '") for f in features)
    model = load_model()
    multi = [h for h in model.heads.values() if len(h.labels) > 1]
    tabs = {_shown(t.label) for t in at.tabs}
    for head in multi:
        assert set(head.labels) <= tabs


def test_a_head_no_better_than_chance_is_warned_about(tmp_path, monkeypatch, tiny_model):
    manifest = {"head_warnings": {"loaded": ["loaded: cross-validated ROC AUC 0.412, under 0.6"]}}
    save_model(type(tiny_model)(tiny_model.heads, manifest), tmp_path / "m")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path / "m"))
    for page in (None, "Model"):
        at = _run(page)
        assert any("ROC AUC 0.412" in _shown(w.value) for w in at.warning), page


def test_user_given_names_are_shown_as_text_in_every_label(tmp_path, monkeypatch, measured):
    """A label a user trained (a multi-label head's label: free text) and the head names reach
    Streamlit's label arguments (tabs, metrics, expanders, radio options: they render
    Markdown) with their Markdown escaped (before: the Model page's tabs drew it as
    Markdown)."""
    name = "*x* [click](http://evil.example)"
    technique = measured.heads["technique"]
    head = copy.copy(technique)
    head.labels = [name, "flag"]
    save_model(type(measured)({**measured.heads, "technique": head}, {}), tmp_path / "m")
    monkeypatch.setenv("FRAMING_MODEL", str(tmp_path / "m"))
    at = _run("Model")
    tabs = [t.label for t in at.tabs]
    assert re.sub(r"([*\[\]()./:])", r"\\\1", name) in tabs and name not in tabs
    for page in (None, "Compare headlines"):
        at = _run(page)
        labels = [m.label for m in at.metric] + [t.label for t in at.tabs]
        labels += [e.label for e in at.expander]
        labels += [o for r in at.radio if r.key != "page" for o in r.options]
        assert labels
        assert [x for x in labels if x != render.as_text(_shown(x))] == []
