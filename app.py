"""framing in the browser: analyse an article, compare headlines, score a file, inspect the model.

Run with ``streamlit run app.py``. The app is a view: it loads the model once, calls the
library (``framing.explain``; for files ``framing.batch``, the scorer of ``framing score``) and
renders. All user text is shown through ``framing.render``, which HTML-escapes it, or through
Streamlit widgets that never read it as HTML.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

import framing
from framing import batch
from framing.app import render
from framing.core.model import MODEL_ENV, resolve_model_path
from framing.errors import FramingError, InputError
from framing.tables import Row, neutralize_formula

PAGES = ("Analyse", "Compare headlines", "Score a file", "Model")
MAX_UPLOAD_MB = float(os.environ.get("FRAMING_APP_MAX_MB", "50"))  # .streamlit caps it at 50
FILE_TYPES = ("csv", "tsv", "jsonl", "ndjson", "parquet")
BAR_TERMS = 10

EXAMPLE_HEADLINE = "You won't believe how the council handled the chilling flood warnings"
EXAMPLE_BODY = (
    "Heavy rain flooded roads across the northern district on Tuesday, and the council closed "
    "two bridges as a precaution. Officials said the water level would be checked again on "
    "Wednesday morning.\n\n"
    'Residents of the riverside estate were less measured. "This council is a shameless, '
    'incompetent disgrace," said one shop owner, whose basement filled with water overnight.\n\n'
    "The council's leader rejected the criticism and said emergency crews had responded "
    "within an hour. Critics called the response a disastrous failure that left families "
    "stranded.\n\n"
    "A spokesperson for the weather service said more rain was expected later in the week."
)
EXAMPLE_CANDIDATES = (
    "Council closes two bridges as flood water rises\n"
    "You won't believe what the flood did to this town\n"
    "Shameless council leaves families stranded in disastrous flood"
)


# ---- model --------------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Loading the model...")
def get_model(path: str | None) -> framing.Model:
    """The model, loaded and verified once per process (keyed by $FRAMING_MODEL)."""
    return framing.load_model(path)


@st.cache_resource
def feature_names(path: str | None, head: str) -> list[str]:
    return [str(n) for n in get_model(path)[head].feature_names()]


# ---- the article and the uploaded table ----------------------------------------------------------
def article_sentences(explanation, body: str) -> list[dict]:
    """The body's sentences from :func:`framing.explain`: offsets, text, raw ``loaded`` score
    and outlet-voice score. Term spans are offsets into the body (``explanation.body``)."""
    text = explanation.body or body
    return [
        {
            "start": s.start,
            "end": s.end,
            "text": text[s.start : s.end],
            "loaded": s.loaded,
            "outlet": s.outlet,
            "techniques": s.detected_techniques,
        }
        for s in explanation.sentences
    ]


def frame_profile(explanation) -> pd.DataFrame | None:
    """The article's frames (when the model has a ``frame`` head): probability, threshold and
    whether it is detected, most probable first."""
    if explanation.frames is None:
        return None
    return pd.DataFrame(
        [
            {
                "frame": f.label,
                "probability": f.probability,
                "threshold": f.threshold,
                "detected": f.decision,
                "words": ", ".join(t.term for t in f.top(3)),
            }
            for f in explanation.frames.frames
        ]
    )


def framing_distributions(scored: pd.DataFrame, group: str | None) -> dict[str, pd.DataFrame]:
    """Per group (or over all rows), the rows' most probable frame and the techniques of their
    articles: counts from the ``frame_top`` and ``techniques`` columns of ``framing score``."""
    out = {}
    keys = scored[group].astype(str) if group else pd.Series("all rows", index=scored.index)
    if "frame_top" in scored.columns:
        top = scored["frame_top"].dropna()
        if len(top):
            out["frame"] = pd.crosstab(keys[top.index], top).rename_axis(index=group or "")
    if "techniques" in scored.columns:
        rows = []
        for idx, cell in scored["techniques"].dropna().items():
            found = json.loads(cell) if isinstance(cell, str) else cell
            rows += [{"group": keys[idx], "technique": t, "sentences": n} for t, n in found.items()]
        if rows:
            table = pd.DataFrame(rows).pivot_table(
                index="group", columns="technique", values="sentences", aggfunc="sum", fill_value=0
            )
            out["technique"] = table.rename_axis(index=group or "")
    return out


def score_summary(explanation) -> list[dict]:
    """One row per score the page shows: raw and (where the library gives it) outlet voice."""
    rows = []
    for label, raw, outlet in (
        ("clickbait (headline)", explanation.clickbait, "clickbait_outlet"),
        ("loaded (headline)", explanation.loaded_headline, "loaded_headline_outlet"),
    ):
        if raw is not None:
            voice = getattr(explanation, outlet)
            rows.append((label, raw.probability, voice.probability if voice else None))
    article = explanation.article
    if article is not None:
        voice = explanation.article_outlet
        rows.append(("loaded (article)", article.probability, voice.probability if voice else None))
    return [{"score": a, "raw": b, "outlet voice": c} for a, b, c in rows]


def read_table(data: bytes, name: str) -> pd.DataFrame:
    """A table from an uploaded file (CSV, TSV, JSONL or Parquet); all columns kept."""
    suffix = name.lower().rsplit(".", 1)[-1]
    try:
        if suffix in ("csv", "tsv"):
            return pd.read_csv(
                io.BytesIO(data),
                sep="\t" if suffix == "tsv" else ",",
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            )
        if suffix in ("jsonl", "ndjson"):
            return pd.read_json(io.BytesIO(data), lines=True, dtype=False)
        if suffix == "parquet":
            return pd.read_parquet(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"could not read {name} as {suffix.upper()}: {exc}") from None
    except ImportError as exc:
        raise InputError(f"reading {suffix} needs an extra package: {exc}") from None
    raise InputError(f"{name}: unsupported file type; use one of {', '.join(FILE_TYPES)}")


def write_table(df: pd.DataFrame, name: str) -> tuple[bytes, str]:
    """The scored table in the format it came in, and its MIME type.

    CSV and TSV cells that a spreadsheet would run as a formula get a leading ``'``, as in
    ``framing score`` (:func:`framing.io.neutralize_formula`).
    """
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix in ("csv", "tsv"):
        df = df.rename(columns=lambda c: neutralize_formula(c) if isinstance(c, str) else c)
        df = df.map(lambda v: neutralize_formula(v) if isinstance(v, str) else v)
        return df.to_csv(index=False, sep="\t" if suffix == "tsv" else ",").encode(), "text/csv"
    if suffix in ("jsonl", "ndjson"):
        return df.to_json(orient="records", lines=True, force_ascii=False).encode(), (
            "application/x-ndjson"
        )
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue(), "application/vnd.apache.parquet"


def _has_words(value) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value)


def _field(value):
    """A table cell as ``framing.batch`` reads fields: missing values (NaN) are None."""
    if isinstance(value, float) and pd.isna(value):
        return None
    return value


def score_table(
    df: pd.DataFrame,
    model,
    headline_col: str | None,
    body_col: str | None = None,
    progress=None,
    top_k: int = 3,
) -> pd.DataFrame:
    """Score an uploaded table with :mod:`framing.batch`, the scorer behind ``framing score``:
    the same output columns, values and per-row ``error`` (rows are kept, never dropped).
    Input columns and order are kept."""
    options = batch.ScoreOptions(
        headline_col=headline_col,
        body_col=body_col,
        top_k=top_k,
        frames="frame" in model.heads,
        techniques="technique" in model.heads,
    )
    scorer = batch.Scorer(model, options)
    columns = [str(c) for c in df.columns]
    records = df.to_dict(orient="records")
    rows = [
        Row({str(k): _field(v) for k, v in r.items()}, line=i + 1) for i, r in enumerate(records)
    ]
    out: list[dict] = []
    chunk = 500
    for lo in range(0, len(rows), chunk):
        part = rows[lo : lo + chunk]
        texts = batch.prepare(part, headline_col, body_col, options.max_chars)
        out += batch.merge(part, scorer.score(*texts), columns)
        if progress is not None:
            done = lo + len(part)
            progress.progress(done / len(rows), text=f"scoring: {done} of {len(rows)} rows")
    return pd.DataFrame(out, columns=columns + scorer.columns)


# ---- rendering helpers ---------------------------------------------------------------------------
def show_html(fragment: str) -> None:
    """Render HTML built by framing.render (user text inside it is escaped)."""
    st.html(render.CSS + fragment)


def band_label(p: float, edges: tuple[float, float]) -> str:
    return f"{p:.2f} · {render.band(p, *edges)}"


def waterfall_chart(score, title: str) -> alt.Chart:
    rows = pd.DataFrame(render.waterfall_rows(score, k=BAR_TERMS))
    colours = alt.Scale(
        domain=["intercept", "up", "down", "rest"],
        range=["#8c8c8c", "#d62728", "#1f77b4", "#c7c7c7"],
    )
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=alt.SortField("order"), title=None),
            x=alt.X("start:Q", title="contribution to the calibrated logit"),
            x2="end:Q",
            color=alt.Color("kind:N", scale=colours, legend=alt.Legend(title=None)),
            tooltip=[
                alt.Tooltip("label:N", title="bar"),
                alt.Tooltip("contribution:Q", format="+.4f"),
                alt.Tooltip("end:Q", title="running total", format="+.4f"),
            ],
        )
    )
    logit = pd.DataFrame({"logit": [score.logit]})
    rule = alt.Chart(logit).mark_rule(strokeDash=[5, 3]).encode(x="logit:Q")
    caption = f"{title}: bars from the intercept add up to the logit {score.logit:+.3f}"
    return (bars + rule).properties(title=caption, height=alt.Step(22))


def show_head(score, text: str, title: str, min_abs: float, offset: int = 0) -> None:
    marks = render.marks_from_terms(score.terms, offset)
    show_html(render.highlight_html(text, marks, min_abs=min_abs))
    st.altair_chart(waterfall_chart(score, title), width="stretch")
    with st.expander(f"All words and their contributions ({title})"):
        st.dataframe(pd.DataFrame(render.term_rows(score)), hide_index=True, width="stretch")


# ---- pages -------------------------------------------------------------------------------------
def page_analyse(model, edges, min_abs) -> None:
    st.header("Analyse a headline and article")
    headline = st.text_input("Headline", value=EXAMPLE_HEADLINE, key="headline")
    body = st.text_area("Article", value=EXAMPLE_BODY, height=240, key="body")
    if not headline.strip() and not body.strip():
        st.info("Type a headline or paste an article to score it.")
        return
    explanation = framing.explain(
        headline=headline if headline.strip() else None,
        body=body if body.strip() else None,
        model=model,
    )
    for warning in explanation.warnings:
        st.warning(warning)
    sentences = article_sentences(explanation, body)

    summary = score_summary(explanation)
    overall = explanation.overall
    cols = st.columns(len(summary) + (overall is not None))
    for col, row in zip(cols, summary, strict=False):
        col.metric(row["score"].capitalize(), band_label(row["raw"], edges))
    if overall is not None:
        cols[-1].metric(
            "Overall sensationalism",
            band_label(overall.score, edges),
            help="Mean of the outlet-voice scores: "
            + ", ".join(f"{k} {v:.2f}" for k, v in overall.components.items())
            + ". For sorting and triage; read it beside the separate scores.",
        )
    if any(r["outlet voice"] is not None for r in summary):
        table = pd.DataFrame(summary)
        table["band (raw)"] = [render.band(p, *edges) for p in table["raw"]]
        table["band (outlet voice)"] = [
            render.band(p, *edges) if pd.notna(p) else "" for p in table["outlet voice"]
        ]
        st.caption("Outlet voice: the same score with quotations left out.")
        st.dataframe(table.round(3), hide_index=True, width="stretch")
    st.html(render.CSS + render.legend_html())

    if explanation.clickbait is not None or explanation.loaded_headline is not None:
        st.subheader("Headline")
        heads = [
            (name, s)
            for name, s in (
                ("clickbait", explanation.clickbait),
                ("loaded", explanation.loaded_headline),
            )
            if s is not None
        ]
        for tab, (name, score) in zip(st.tabs([n for n, _ in heads]), heads, strict=True):
            with tab:
                show_head(score, headline, f"{name} (headline)", 0.0)

    if sentences:
        st.subheader("Article: loaded words in place")
        marks = [m for s in sentences for m in render.marks_from_terms(s["loaded"].terms)]
        badges = [(s["end"], ", ".join(s["techniques"])) for s in sentences if s["techniques"]]
        show_html(render.highlight_html(body, marks, min_abs=min_abs, labels=badges))
        st.subheader("Sentences ranked by how loaded they are")
        ranked = sorted(sentences, key=lambda s: -s["loaded"].probability)
        table = pd.DataFrame(
            {
                "rank": range(1, len(ranked) + 1),
                "loaded": [round(s["loaded"].probability, 3) for s in ranked],
                "band": [render.band(s["loaded"].probability, *edges) for s in ranked],
                "outlet voice": [
                    round(s["outlet"].probability, 3) if s["outlet"] else None for s in ranked
                ],
                "techniques": [", ".join(s["techniques"]) for s in ranked],
                "sentence": [s["text"] for s in ranked],
            }
        )
        if table["outlet voice"].isna().all():
            table = table.drop(columns="outlet voice")
        if explanation.techniques is None:
            table = table.drop(columns="techniques")
        st.dataframe(table, hide_index=True, width="stretch")
        choice = st.selectbox(
            "Show the words of sentence",
            range(len(ranked)),
            format_func=lambda i: (
                f"#{i + 1} ({ranked[i]['loaded'].probability:.2f}) " + ranked[i]["text"][:90]
            ),
            key="sentence",
        )
        chosen = ranked[choice]
        show_head(
            chosen["loaded"],
            chosen["text"],
            f"loaded (sentence #{choice + 1})",
            0.0,
            offset=-chosen["start"],  # body offsets -> offsets into the sentence
        )

    frames = frame_profile(explanation)
    if frames is not None:
        st.subheader("Frames of the article")
        chart = (
            alt.Chart(frames)
            .mark_bar()
            .encode(
                x=alt.X("probability:Q", scale=alt.Scale(domain=[0, 1])),
                y=alt.Y("frame:N", sort="-x"),
                color=alt.Color("detected:N", title="detected"),
                tooltip=["frame", "probability", "threshold", "words"],
            )
            .properties(title="Frame profile (headline and body)")
        )
        st.altair_chart(chart, width="stretch")
        st.dataframe(frames.round(3), hide_index=True, width="stretch")
    if explanation.techniques:
        st.caption(
            "Techniques detected, by number of sentences: "
            + ", ".join(f"{k} ({v})" for k, v in explanation.techniques.items())
        )


def page_compare(model, edges, min_abs) -> None:
    st.header("Compare candidate headlines")
    raw = st.text_area(
        "Two to five headlines for the same story, one per line",
        value=EXAMPLE_CANDIDATES,
        height=140,
        key="candidates",
    )
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) < 2:
        st.info("Enter at least two headlines, one per line, to compare them.")
        return
    if len(lines) > 5:
        st.error(f"{len(lines)} headlines given: compare at most five at a time.")
        return
    heads = [h for h in ("clickbait", "loaded") if h in model.heads]
    sort_by = st.radio("Sort by", heads, horizontal=True, key="sort_by")
    shown = st.radio("Highlight words for", heads, horizontal=True, key="highlight_head")
    results = [framing.explain(headline=h, model=model) for h in lines]
    key = {"clickbait": "clickbait", "loaded": "loaded_headline"}
    results.sort(key=lambda r: getattr(r, key[sort_by]).probability)
    summary = pd.DataFrame(
        {
            "rank": range(1, len(results) + 1),
            "headline": [r.headline for r in results],
            **{h: [round(getattr(r, key[h]).probability, 3) for r in results] for h in heads},
        }
    )
    st.dataframe(summary, hide_index=True, width="stretch")
    scale = max(
        (abs(t.contribution) for r in results for t in getattr(r, key[shown]).terms), default=0.0
    )
    st.html(render.CSS + render.legend_html())
    for col, (rank, r) in zip(st.columns(len(results)), enumerate(results, 1), strict=True):
        with col:
            st.markdown(f"**#{rank}**")
            for h in heads:
                st.metric(h, band_label(getattr(r, key[h]).probability, edges))
            marks = render.marks_from_terms(getattr(r, key[shown]).terms)
            show_html(render.highlight_html(r.headline, marks, scale=scale))


def page_file(model, edges, min_abs) -> None:
    st.header("Score a file")
    st.caption(
        f"CSV, TSV, JSONL or Parquet, up to {MAX_UPLOAD_MB:g} MB. Every row is kept; rows "
        "that cannot be scored are listed with the reason."
    )
    uploaded = st.file_uploader("File", type=list(FILE_TYPES), key="upload")
    if uploaded is None:
        st.info("Upload a file with a column of headlines or sentences.")
        return
    if uploaded.size > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(
            f"{uploaded.name} is {uploaded.size / 1048576:.1f} MB, over the {MAX_UPLOAD_MB:g} MB "
            "limit: split it, or score it with the `framing` command line."
        )
        return
    try:
        df = read_table(uploaded.getvalue(), uploaded.name)
    except InputError as exc:
        st.error(str(exc))
        return
    if df.empty:
        st.error(f"{uploaded.name} has no rows.")
        return
    text_cols = [str(c) for c in df.columns if df[c].map(_has_words).any()]
    if not text_cols:
        st.error(
            f"{uploaded.name} has no column of text (columns: {', '.join(map(str, df.columns))}); "
            "add a column with the headlines or sentences to score."
        )
        return
    try:  # the defaults of `framing score`: headline/title and body/text
        guess_head, guess_body = batch.resolve_columns(text_cols)
    except InputError:
        guess_head, guess_body = text_cols[0], None
    none = "(none)"
    choices = [none, *text_cols]
    headline_col = st.selectbox(
        "Headline column", choices, index=choices.index(guess_head or none), key="text_col"
    )
    body_col = st.selectbox(
        "Article body column (scored sentence by sentence)",
        choices,
        index=choices.index(guess_body or none),
        key="body_col",
    )
    headline_col = None if headline_col == none else headline_col
    body_col = None if body_col in (none, headline_col) else body_col
    group_options = [none] + [c for c in df.columns if c not in (headline_col, body_col)]
    guess = next((c for c in ("outlet", "source", "publisher") if c in df.columns), none)
    group_col = st.selectbox(
        "Compare groups by", group_options, index=group_options.index(guess), key="group_col"
    )
    if headline_col is None and body_col is None:
        st.info("Pick a headline column, a body column or both.")
        return
    progress = st.progress(0.0, text="scoring")
    scored = score_table(df, model, headline_col, body_col, progress)
    progress.empty()
    failed = scored["error"].fillna("") != ""
    bad, good = scored[failed], scored[~failed]
    st.success(f"Scored {len(good)} of {len(scored)} rows.")
    if len(bad):
        st.warning(f"{len(bad)} rows could not be scored; they are kept in the download.")
        st.dataframe(bad[[c for c in (headline_col, body_col) if c] + ["error"]], width="stretch")
    st.dataframe(scored, width="stretch", hide_index=True)
    data, mime = write_table(scored, uploaded.name)
    st.download_button(
        "Download the scored file",
        data,
        file_name=f"scored-{uploaded.name}",
        mime=mime,
        key="download",
    )
    charted = [c for c in scored.columns[len(df.columns) :] if c.endswith("_probability")]
    col = st.selectbox("Chart the score", [*charted, "overall_score"], key="chart_head")
    head = col.removesuffix("_probability").replace("_", " ")
    good = good.assign(**{col: pd.to_numeric(good[col])})
    hist = (
        alt.Chart(good)
        .mark_bar()
        .encode(
            x=alt.X(f"{col}:Q", bin=alt.Bin(extent=[0, 1], step=0.05), title=f"{head} probability"),
            y=alt.Y("count():Q", title="rows"),
        )
        .properties(title=f"Distribution of {head} scores")
    )
    st.altair_chart(hist, width="stretch")
    if group_col != "(none)" and len(good):
        groups = good.assign(group=good[group_col].astype(str))
        biggest = groups["group"].value_counts().index[:20]
        groups = groups[groups["group"].isin(biggest)]
        box = (
            alt.Chart(groups)
            .mark_boxplot()
            .encode(
                x=alt.X(f"{col}:Q", scale=alt.Scale(domain=[0, 1]), title=f"{head} probability"),
                y=alt.Y("group:N", title=str(group_col), sort="-x"),
            )
            .properties(title=f"{head} by {group_col} (20 largest groups)")
        )
        st.altair_chart(box, width="stretch")
        summary = groups.groupby("group")[col].agg(["count", "mean", "median"]).round(3)
        st.dataframe(summary.sort_values("mean", ascending=False), width="stretch")
    grouped = group_col if group_col != "(none)" else None
    for name, table in framing_distributions(good, grouped).items():
        what = "most probable frame" if name == "frame" else "technique (sentences)"
        st.subheader(f"{what.capitalize()} per {grouped or 'file'}")
        st.dataframe(table, width="stretch")


def page_model(model, edges, min_abs) -> None:
    st.header("The model")
    manifest = model.manifest
    metrics = manifest.get("metrics") or {}
    st.subheader("Evaluation")
    rows = [
        {
            "protocol": key,
            "test n": m.get("ours", {}).get("n"),
            "metric": name,
            "framing": value,
            "plain baseline": m.get("plain", {}).get(name),
        }
        for key, m in sorted(metrics.items())
        for name, value in m.get("ours", {}).items()
        if name != "n"
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info(
            "This model's manifest holds no evaluation figures (it was trained with "
            "--skip-eval); retrain with `python training/train.py` to measure them."
        )
    curves = [
        pd.DataFrame(m["reliability"]).assign(protocol=key)
        for key, m in sorted(metrics.items())
        if m.get("reliability")
    ]
    if curves:
        st.subheader("Calibration (reliability, out-of-fold)")
        data = pd.concat(curves, ignore_index=True)
        diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
            strokeDash=[4, 4], color="#999"
        )
        diagonal = diagonal.encode(x="x:Q", y="y:Q")
        points = (
            alt.Chart(data)
            .mark_line(point=True)
            .encode(
                x=alt.X("mean_predicted:Q", scale=alt.Scale(domain=[0, 1]), title="predicted"),
                y=alt.Y("observed:Q", scale=alt.Scale(domain=[0, 1]), title="observed"),
                color="protocol:N",
                tooltip=["protocol", "bin", "n", "mean_predicted", "observed"],
            )
        )
        st.altair_chart(diagonal + points, width="stretch")

    st.subheader("How the model weighs words")
    query = st.text_input("Search a word or phrase (e.g. regime)", key="weight_query")
    path = os.environ.get(MODEL_ENV)
    for name, head in model.heads.items():
        st.markdown(f"**{name}**: {head.description}")
        if query.strip():
            hits = render.search_weights(feature_names(path, name), head.coef[0], query)
            if hits:
                st.dataframe(pd.DataFrame(hits), hide_index=True, width="stretch")
            else:
                st.info(f"No feature of `{name}` contains {query.strip()!r}.")
        pos, neg = head.top_features(k=20)
        up, down = st.columns(2)
        up.caption("Strongest pushing up")
        up.dataframe(pd.DataFrame(pos, columns=["feature", "weight"]), hide_index=True)
        down.caption("Strongest pushing down")
        down.dataframe(pd.DataFrame(neg, columns=["feature", "weight"]), hide_index=True)

    card = resolve_model_path(path).with_name("MODEL_CARD.md")
    st.subheader("Model card")
    if card.is_file():
        with st.expander("Read the model card", expanded=False):
            st.markdown(card.read_text(encoding="utf-8"))
    else:
        st.info(f"No MODEL_CARD.md beside this model ({Path(card).parent.name}).")


# ---- main --------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="framing", layout="wide")
    page = st.sidebar.radio("Page", PAGES, key="page")
    st.sidebar.markdown("**Score bands**")
    edges = st.sidebar.slider(
        "medium from / high from",
        0.0,
        1.0,
        (0.3, 0.7),
        step=0.05,
        key="bands",
        help="Probabilities below the first value are 'low', at or above the second 'high'.",
    )
    min_abs = st.sidebar.number_input(
        "Highlight article words with |contribution| at least",
        0.0,
        5.0,
        0.05,
        step=0.05,
        key="min_abs",
    )
    try:
        model = get_model(os.environ.get(MODEL_ENV))
    except FramingError as exc:
        st.error(f"Could not load the model: {exc}")
        st.stop()
    {
        "Analyse": page_analyse,
        "Compare headlines": page_compare,
        "Score a file": page_file,
        "Model": page_model,
    }[page](model, tuple(edges), float(min_abs))


if __name__ == "__main__":  # streamlit runs the script as __main__; tests import it
    main()
