"""Streamlit pieces the pages share: the cached model, escaped HTML, labels, the waterfall
chart and one head's words."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from framing.app import render
from framing.core.model import Model, load_model

__all__ = [
    "BAR_TERMS",
    "label_text",
    "feature_names",
    "get_model",
    "show_head",
    "show_html",
    "waterfall_chart",
]

BAR_TERMS = 10


@st.cache_resource(show_spinner="Loading the model...")
def get_model(path: str | None) -> Model:
    """The model, loaded and verified once per process (keyed by $FRAMING_MODEL)."""
    return load_model(path)


@st.cache_resource
def feature_names(path: str | None, head: str) -> list[str]:
    """The feature names of one head (for the weight search), computed once."""
    return [str(n) for n in get_model(path)[head].feature_names()]


def show_html(fragment: str) -> None:
    """Render HTML built by :mod:`framing.app.render` (user text inside it is escaped)."""
    st.html(render.CSS + fragment)


def label_text(score) -> str:
    """A score's probability and the model's label at its threshold, e.g. ``0.73 · yes``
    (the label ``framing explain`` gives)."""
    return f"{score.probability:.2f} · {render.verdict(score.label)}"


def waterfall_chart(score, title: str, text: str | None = None) -> alt.Chart:
    """Bars from the intercept through the largest contributions to the logit."""
    rows = pd.DataFrame(render.waterfall_rows(score, k=BAR_TERMS, text=text))
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


def show_head(score, text: str, title: str, offset: int = 0) -> None:
    """One head's score on a text: every word highlighted, the waterfall and the word table."""
    marks = render.marks_from_terms(score.terms, offset)
    show_html(render.highlight_html(text, marks, min_abs=0.0))
    words = _shifted(text, offset)
    st.altair_chart(waterfall_chart(score, title, words), width="stretch")
    with st.expander(render.as_text(f"All words and their contributions ({title})")):
        rows = render.term_rows(score, text=words)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _shifted(text: str, offset: int) -> str:
    """``text`` placed where the term spans point (spans + ``offset`` index ``text``)."""
    return " " * -offset + text if offset < 0 else text[offset:]
