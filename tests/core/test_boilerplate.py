"""Boilerplate in pasted article text: one rule (framing.core.boilerplate), read by explain,
framing score and the API alike; offsets never change."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from framing import explain
from framing.batch import ScoreOptions, Scorer
from framing.core.boilerplate import article_paragraphs, blank, boilerplate_spans
from framing.core.text import split_paragraphs

ARTICLE = (
    "The despot shamelessly denied the chilling reports on Monday.",
    "Officials said the talks would resume next week. Read more about the budget in the report.",
    "More than 200 people attended the meeting, the council said.",
    "Watch the full debate on the council website, a spokesman said.",
)
BOILERPLATE = (
    "READ MORE: Ten shocking things you never knew about the despot",
    "Don't miss\nShocking moment a dog rescues its owner\nStar's heartbreak as marriage ends!\n"
    "Inside the hermit kingdom's secret lair",
    "Sign up to our free daily newsletter here",
    "We use cookies to improve your experience. By continuing you accept our use of cookies.",
    "Related: Budget row deepens",
    "• MOST READ",
    "Advertisement",
    "Follow us on Facebook and Twitter",
)


def _page(order: list[int]) -> tuple[str, list[str]]:
    parts = [ARTICLE[0], *[BOILERPLATE[i] for i in order], *ARTICLE[1:]]
    return "\n\n".join(parts), [BOILERPLATE[i] for i in order]


def test_teasers_links_sign_up_and_cookie_lines_are_found_article_lines_kept():
    text, expected = _page(list(range(len(BOILERPLATE))))
    spans = boilerplate_spans(text)
    found = "\n\n".join(text[a:b] for a, b in spans)
    assert found == "\n\n".join(expected)
    for line in ARTICLE:
        start = text.index(line)
        assert not any(a < start + len(line) and start < b for a, b in spans), line


def test_one_line_paragraphs_and_a_link_block_ending_at_an_article_line():
    text = "Trending\nFirst teaser line\nSecond teaser line\nThe article goes on here.\nIt ends."
    spans = boilerplate_spans(text)
    assert [text[a:b] for a, b in spans] == ["Trending\nFirst teaser line\nSecond teaser line"]


def test_explain_leaves_boilerplate_out_of_the_sentences_and_the_article_score():
    text, _ = _page([0, 1, 2, 3])
    result = explain("Despot row", text)
    skipped = [(s.start, s.end) for s in result.skipped]
    assert skipped == boilerplate_spans(text) and result.to_dict()["skipped"]
    assert any("left out of the article score" in w for w in result.warnings)
    for s in result.sentences:
        assert not any(a < s.end and s.start < b for a, b in skipped)
    ranked = [text[s.start : s.end] for s in result.ranked_sentences()]
    assert not any("READ MORE" in s or "Shocking moment" in s for s in ranked)
    # the same scores as the text with the boilerplate blanked out (offsets unchanged)
    plain = explain("Despot row", blank(text, skipped))
    assert result.article.probability == plain.article.probability
    assert [(s.start, s.end) for s in result.sentences] == [
        (s.start, s.end) for s in plain.sentences
    ]
    assert "skipped" not in explain("Despot row", ARTICLE[0]).to_dict()


def test_framing_score_skips_the_same_ranges_and_warns_as_explain(tiny_model):
    text, _ = _page([0, 3, 5])
    scorer = Scorer(tiny_model, ScoreOptions(headline_col="h", body_col="b"))
    out = scorer.score_texts(["Despot row", "Despot row"], [text, ARTICLE[0]], [None, None])
    ex = explain("Despot row", text, model=tiny_model)
    assert out["body_loaded_probability"][0] == round(ex.article.probability, 6)
    assert json.loads(out["warnings"][0]) == ex.warnings
    assert out["warnings"][1] is None


lines = st.sampled_from([*ARTICLE, *BOILERPLATE, "", "  ", "Cookies", "READ", "x. y:"])


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_spans_are_trimmed_disjoint_lines_and_paragraph_pieces_cover_the_rest(parts, sep):
    text = sep.join(parts)
    spans = boilerplate_spans(text)
    assert spans == sorted(spans)
    for (a, b), nxt in zip(spans, [*spans[1:], (len(text) + 1, 0)][: len(spans)], strict=True):
        assert 0 <= a < b <= len(text) and b < nxt[0]
        assert not text[a].isspace() and not text[b - 1].isspace()
    pieces, skipped = article_paragraphs(text, split_paragraphs(text))
    assert skipped == spans
    covered = set()
    for a, b in pieces:
        assert not any(x < b and a < y for x, y in spans)
        covered |= set(range(a, b))
    inside = {i for x, y in spans for i in range(x, y)}
    assert {i for i, c in enumerate(text) if not c.isspace()} - inside <= covered
    assert len(blank(text, spans)) == len(text)


def test_frames_read_neither_teasers_nor_cookie_lines_in_explain_and_score():
    from framing import load_model

    model = load_model()
    text, _ = _page([0, 1, 3])
    result = explain("Council budget row", text, model=model)
    skipped = [(s.start, s.end) for s in result.skipped]
    plain = explain("Council budget row", blank(text, skipped), model=model)
    got = {f.label: f.probability for f in result.frames.frames}
    assert got == {f.label: f.probability for f in plain.frames.frames}
    # no frame word is taken from a skipped range (offsets are into headline + blank line + body)
    shift = len("Council budget row\n\n")
    for frame in result.frames.frames:
        for term in frame.terms:
            for span in term.spans:
                a, b = span.start - shift, span.end - shift
                assert not any(x < b and a < y for x, y in skipped), (frame.label, term.term)
    scorer = Scorer(model, ScoreOptions(headline_col="h", body_col="b", frames=True))
    out = scorer.score_texts(["Council budget row"], [text], [None])
    shown = {f.label: round(f.probability, 4) for f in result.frames.frames if f.decision}
    assert json.loads(out["frames"][0]) == shown
    # the same frames when the body's heads are not scored (boilerplate found for the frames)
    only = ScoreOptions(headline_col="h", body_col="b", frames=True, heads=["clickbait"])
    out = Scorer(model, only).score_texts(["Council budget row"], [text], [None])
    assert json.loads(out["frames"][0]) == shown
