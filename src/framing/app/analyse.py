"""The Analyse page: a headline and an article, every score, the words behind them, and
neutral wording on request."""

from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from framing.app import render
from framing.app.data import article_sentences, frame_profile, score_summary
from framing.app.marking import mark_panel
from framing.app.suggestions import show_suggestion
from framing.app.webpage import offer_download, read_uploaded_page
from framing.app.widgets import show_head, show_html
from framing.explanation import explain

__all__ = ["EXAMPLE_BODY", "EXAMPLE_HEADLINE", "page_analyse"]

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


OVERALL = render.as_text("Overall (for sorting)")  # labels render Markdown: all as text


def _scores(explanation) -> None:
    summary = score_summary(explanation)
    overall = explanation.overall
    cols = st.columns(len(summary) + 1)
    for col, row in zip(cols, summary, strict=False):
        col.metric(
            render.as_text(row["score"].capitalize()),
            f"{row['raw']:.2f} · {row['label']}",
            help="The probability and the model's label at its threshold "
            f"({row['threshold']:.2f}), as framing explain gives them.",
        )
    if overall is not None:
        cols[-1].metric(
            OVERALL,
            f"{overall.score:.2f}",
            help="Mean of the outlet-voice scores: "
            + ", ".join(f"{render.as_text(k)} {v:.2f}" for k, v in overall.components.items())
            + ". For sorting and triage, not a verdict; read it beside the separate scores.",
        )
    elif explanation.not_scored:
        cols[-1].metric(OVERALL, f"not scored: {explanation.not_scored}")
    if any(r["outlet voice"] is not None for r in summary):
        table = pd.DataFrame(summary)
        st.caption("Outlet voice: the same score with quotations left out.")
        st.dataframe(table.round(3), hide_index=True, width="stretch")


def _headline(explanation, headline: str, model) -> None:
    heads = [(n, r.headline) for n, r in explanation.heads.items() if r.headline is not None]
    if not heads:
        return
    st.subheader("Headline")
    tabs = st.tabs([render.as_text(n) for n, _ in heads])
    for tab, (name, score) in zip(tabs, heads, strict=True):
        with tab:
            shown = explanation.headline or headline
            show_head(score, shown, f"{name} (headline)")
            mark_panel(model, score, shown, "headline", name)


def _marks(sentences, highlight) -> list:
    if highlight["mode"] == "every word":
        terms = [s["loaded"].terms for s in sentences]
    else:
        terms = [render.words_that_matter(s["loaded"].terms) for s in sentences]
    return [m for ts in terms for m in render.marks_from_terms(ts)]


def _ranked_table(ranked, explanation) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "rank": range(1, len(ranked) + 1),
            "loaded": [round(s["loaded"].probability, 3) for s in ranked],
            "label": [render.verdict(s["loaded"].label) for s in ranked],
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
    return table


def _article(explanation, body: str, highlight, model) -> None:
    sentences = article_sentences(explanation, body)
    if not sentences:
        return
    text = explanation.body or body
    st.subheader("Article: loaded words in place")
    low = set(explanation.low_confidence_techniques or ())

    def badge(techniques) -> str:
        return ", ".join(f"{t} (low confidence)" if t in low else t for t in techniques)

    badges = [(s["end"], badge(s["techniques"])) for s in sentences if s["techniques"]]
    min_abs = highlight["min_abs"] if highlight["mode"] == "every word" else 0.0
    show_html(
        render.highlight_html(text, _marks(sentences, highlight), min_abs=min_abs, labels=badges)
    )
    st.subheader("Sentences ranked by how loaded they are")
    ranked = sorted(sentences, key=lambda s: -s["loaded"].probability)
    st.dataframe(_ranked_table(ranked, explanation), hide_index=True, width="stretch")
    # one selector per article: a new article starts with a new list (never the old labels)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    labels = [
        f"#{i + 1} ({s['loaded'].probability:.2f}) {s['text'][:90]}" for i, s in enumerate(ranked)
    ]
    choice = st.selectbox(
        "Show the words of sentence",
        range(len(ranked)),
        format_func=labels.__getitem__,
        key=f"sentence-{digest}",
    )
    chosen = ranked[choice]
    show_head(
        chosen["loaded"],
        chosen["text"],
        f"loaded (sentence #{choice + 1})",
        offset=-chosen["start"],  # body offsets -> offsets into the sentence
    )
    mark_panel(model, chosen["loaded"], chosen["text"], "sentence", "loaded", -chosen["start"])


def _frames(explanation) -> None:
    if explanation.frames is not None and explanation.frames.note:
        st.subheader("Frames of the article")
        st.info(explanation.frames.note)
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
        low = set(explanation.low_confidence_techniques or ())
        st.caption(
            "Techniques detected, by number of sentences: "
            + ", ".join(
                f"{k} ({v}{', low confidence' if k in low else ''})"
                for k, v in explanation.techniques.items()
            )
        )


def page_analyse(model, highlight) -> None:
    """The Analyse page (``highlight``: how the article's words are highlighted)."""
    st.header("Analyse a headline and article")
    read_uploaded_page()
    # the boxes' values live in the session (an uploaded page fills them)
    st.session_state.setdefault("headline", EXAMPLE_HEADLINE)
    st.session_state.setdefault("body", EXAMPLE_BODY)
    headline = st.text_input("Headline", key="headline")
    body = st.text_area("Article", height=240, key="body")
    if not headline.strip() and not body.strip():
        st.info("Type a headline or paste an article to score it.")
        return
    every = "technique" in model.heads and st.toggle(
        "Show every technique (low-confidence ones too)",
        key="all_techniques",
        help="By default only the techniques whose precision on PTC dev is at least 0.5 are "
        "shown; the others are marked low confidence.",
    )
    explanation = explain(
        headline=headline if headline.strip() else None,
        body=body if body.strip() else None,
        model=model,
        all_techniques=bool(every),
    )
    for warning in explanation.warnings:
        st.warning(render.as_text(warning))
    for head, warnings in (model.manifest.get("head_warnings") or {}).items():
        for warning in warnings if head in model.heads else ():
            st.warning(render.as_text(f"The {head} head, trained on your labels: {warning}"))
    _scores(explanation)
    st.html(render.CSS + render.legend_html())
    if st.toggle("Suggest neutral wording", key="suggest_analyse"):
        st.subheader("Neutral wording")
        if headline.strip():
            show_suggestion(model, headline, "headline", "Headline")
        if body.strip():
            show_suggestion(model, body, "body", "Article")
    _headline(explanation, headline, model)
    _article(explanation, body, highlight, model)
    _frames(explanation)
    offer_download(explanation, highlight)
