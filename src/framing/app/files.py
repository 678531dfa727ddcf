"""The Score a file page: an uploaded table scored with ``framing score``'s batch path."""

from __future__ import annotations

import os

import altair as alt
import pandas as pd
import streamlit as st

from framing.app.data import (
    FILE_TYPES,
    app_options,
    framing_distributions,
    read_table,
    score_table,
    write_table,
)
from framing.app.render import as_text
from framing.batch import resolve_columns
from framing.core.columns import ERROR, OVERALL, column_dtype, score_title
from framing.errors import InputError

__all__ = ["max_upload_mb", "page_file"]


def max_upload_mb() -> float:
    """The upload limit in MB: ``$FRAMING_APP_MAX_MB`` (.streamlit caps it at 50)."""
    return float(os.environ.get("FRAMING_APP_MAX_MB", "50"))


def _has_words(value) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value)


def _columns(df: pd.DataFrame) -> tuple[str | None, str | None, str | None]:
    """The headline, body and group columns the user picks (defaults: ``framing score``'s)."""
    text_cols = [str(c) for c in df.columns if df[c].map(_has_words).any()]
    try:  # the defaults of `framing score`: headline/title and body/text
        guess_head, guess_body = resolve_columns(text_cols)
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
    return headline_col, body_col, None if group_col == none else group_col


def _charts(good: pd.DataFrame, scored_cols: list[str], group_col: str | None) -> None:
    charted = [c for c in scored_cols if column_dtype(c) == "float64" and c != OVERALL]
    col = st.selectbox("Chart the score", [*charted, OVERALL], key="chart_head")
    head = score_title(col)
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
    if group_col is not None and len(good):
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
    tables = framing_distributions(good, group_col)
    if "frame_top" in good.columns and "frame" not in tables:
        st.info(
            "No frame to count: frames need the article text (pick a body column); on a "
            "headline alone they were measured unreliable, and a frame is counted only where "
            "one reaches its threshold."
        )
    for name, table in tables.items():  # frames: rows with a body and a detected frame
        what = "most probable frame" if name == "frame" else "technique (sentences)"
        st.subheader(f"{what.capitalize()} per {as_text(group_col or 'file')}")
        st.dataframe(table, width="stretch")


def _upload():
    limit = max_upload_mb()
    st.caption(
        f"CSV, TSV, JSONL or Parquet, up to {limit:g} MB. Every row is kept; rows "
        "that cannot be scored are listed with the reason."
    )
    uploaded = st.file_uploader("File", type=list(FILE_TYPES), key="upload")
    if uploaded is None:
        st.info("Upload a file with a column of headlines or sentences.")
        return None
    if uploaded.size > limit * 1024 * 1024:
        st.error(
            f"{as_text(uploaded.name)} is {uploaded.size / 1048576:.1f} MB, over the {limit:g} MB "
            "limit: split it, or score it with the `framing` command line."
        )
        return None
    return uploaded


def page_file(model, highlight) -> None:
    """The Score a file page."""
    st.header("Score a file")
    uploaded = _upload()
    if uploaded is None:
        return
    try:
        table, rows = read_table(uploaded.getvalue(), uploaded.name)
    except InputError as exc:
        st.error(as_text(exc))
        return
    df = table.frame()
    if df.empty:
        st.error(f"{as_text(uploaded.name)} has no rows.")
        return
    if not any(df[c].map(_has_words).any() for c in df.columns):
        st.error(
            f"{as_text(uploaded.name)} has no column of text "
            f"(columns: {as_text(', '.join(map(str, df.columns)))}); "
            "add a column with the headlines or sentences to score."
        )
        return
    headline_col, body_col, group_col = _columns(df)
    if headline_col is None and body_col is None:
        st.info("Pick a headline column, a body column or both.")
        return
    every = "technique" in model.heads and st.toggle(
        "Count every technique (low-confidence ones too)", key="file_all_techniques"
    )
    bar = st.progress(0.0, text="scoring")
    scored_table = score_table(
        rows,
        table.columns,
        model,
        app_options(model, headline_col, body_col, all_techniques=bool(every)),
        lambda done, total: bar.progress(done / total, text=f"scoring: {done} of {total} rows"),
    )
    bar.empty()
    scored = scored_table.frame()
    failed = scored[ERROR].fillna("") != ""
    bad, good = scored[failed], scored[~failed]
    st.success(f"Scored {len(good)} of {len(scored)} rows.")
    if len(bad):
        st.warning(f"{len(bad)} rows could not be scored; they are kept in the download.")
        st.dataframe(bad[[c for c in (headline_col, body_col) if c] + [ERROR]], width="stretch")
    st.dataframe(scored, width="stretch", hide_index=True)
    data, mime = write_table(scored_table, uploaded.name)
    st.download_button(
        "Download the scored file",
        data,
        file_name=f"scored-{uploaded.name}",
        mime=mime,
        key="download",
    )
    _charts(good, scored.columns[len(table.columns) :].tolist(), group_col)
