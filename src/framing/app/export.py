"""One standalone HTML page of an explanation: what the Analyse page shows, to save or send.

``framing explain ... --html-out FILE`` and the app's download button write it. The page is
one file: inline CSS (the app's own, :data:`framing.app.render.CSS`, and its colour scale),
no script (a Content-Security-Policy forbids any, and nothing is loaded from elsewhere),
and every piece of text from the input or the model is escaped (:func:`html.escape`). It
holds the scores, the legend, the headline highlighted for each headline head, the article
with the words that matter highlighted as the app does, the boilerplate left out, the
sentences ranked and the warnings.

Pure functions (no Streamlit), like :mod:`framing.app.render`.
"""

from __future__ import annotations

import html
from pathlib import Path

from framing.app import render

__all__ = ["explanation_page", "write_page"]

DEFAULT_HIGHLIGHT = {"mode": "words that matter", "min_abs": 0.05}

PAGE_CSS = """
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem;
  margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left;
  vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.fr-yes { color: #b00; font-weight: 600; } .fr-no { color: #286; }
.fr-not-scored { color: #666; }
.fr-warning { background: #fff4ce; padding: 4px 8px; border-radius: 4px; }
.fr-skipped { color: #666; font-size: 0.9rem; white-space: pre-wrap; }
.fr-footer { color: #666; font-size: 0.85rem; margin-top: 2rem; }
</style>
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _score(p: float | None, label: bool | None) -> str:
    """A probability with the model's label at its threshold (the app's and the CLI's rule)."""
    if p is None:
        return ""
    v = render.verdict(label)
    return f'<span class="fr-{v.replace(" ", "-")}">{p:.3f} ({v})</span>'


def _scores_table(result) -> str:
    rows = []
    for name, r in result.heads.items():
        for where, raw, outlet in (
            ("headline", r.headline, r.headline_outlet),
            ("article", r.article, r.article_outlet),
        ):
            if raw is None:
                continue
            out = _score(outlet.probability, outlet.label) if outlet is not None else ""
            rows.append(
                f"<tr><td>{_e(name)}</td><td>{where}</td>"
                f"<td class=num>{_score(raw.probability, raw.label)}</td>"
                f"<td class=num>{out}</td></tr>"
            )
    if result.overall is not None:
        rows.append(
            f"<tr><td>overall</td><td>for sorting</td><td class=num>"
            f"{result.overall.score:.3f}</td><td></td></tr>"
        )
    return (
        '<table class="fr-scores"><tr><th>score</th><th>on</th><th>probability</th>'
        "<th>outlet voice (quotations left out)</th></tr>" + "".join(rows) + "</table>"
    )


def _headline(result) -> str:
    parts = []
    for name, r in result.heads.items():
        if r.headline is None:
            continue
        marks = render.marks_from_terms(r.headline.terms)
        parts.append(
            f"<h3>{_e(name)}: {r.headline.probability:.3f}</h3>"
            + render.highlight_html(result.headline, marks, min_abs=0.0)
        )
    return "<h2>Headline</h2>" + "".join(parts) if parts else ""


def _article(result, highlight: dict) -> str:
    sentences = [s for s in result.sentences if "loaded" in s.heads]
    if not sentences:
        return ""
    every = highlight.get("mode") == "every word"
    marks = []
    for s in sentences:
        terms = s.loaded.terms if every else render.words_that_matter(s.loaded.terms)
        marks += render.marks_from_terms(terms)
    low = set(result.low_confidence_techniques or ())
    badges = [
        (s.end, ", ".join(f"{t} (low confidence)" if t in low else t for t in techniques))
        for s in sentences
        if (techniques := s.detected_techniques)
    ]
    min_abs = float(highlight.get("min_abs", 0.0)) if every else 0.0
    body = render.highlight_html(result.body, marks, min_abs=min_abs, labels=badges)
    return "<h2>Article: loaded words in place</h2>" + body + _skipped(result)


def _skipped(result) -> str:
    if not result.skipped:
        return ""
    lines = "\n".join(_e(result.body[s.start : s.end]) for s in result.skipped)
    return (
        "<h3>Left out of the article score as boilerplate</h3>"
        f'<div class="fr-skipped">{lines}</div>'
    )


def _ranked(result) -> str:
    ranked = result.ranked_sentences()
    if not ranked:
        return ""
    rows = "".join(
        f"<tr><td class=num>{i}</td>"
        f"<td class=num>{_score(s.loaded.probability, s.loaded.label)}</td>"
        f"<td>{_e(result.body[s.start : s.end])}</td></tr>"
        for i, s in enumerate(ranked, 1)
    )
    return (
        "<h2>Sentences ranked by how loaded they are</h2><table class=fr-ranked>"
        "<tr><th>rank</th><th>loaded</th><th>sentence</th></tr>" + rows + "</table>"
    )


def explanation_page(
    result,
    *,
    highlight: dict | None = None,
    source: str | None = None,
) -> str:
    """The standalone HTML page of ``result`` (a :class:`framing.explanation.Explanation`);
    ``highlight`` the article's highlighting (the app's
    sidebar: ``{"mode": "words that matter" | "every word", "min_abs": float}``), ``source``
    names where the text came from (a file or URL; shown, escaped)."""
    highlight = highlight or DEFAULT_HIGHLIGHT
    title = result.headline or (result.body or "")[:80] or "explanation"
    warnings = "".join(f'<p class="fr-warning">{_e(w)}</p>' for w in result.warnings)
    origin = f"<p>Source: {_e(source)}</p>" if source else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>framing: {_e(title)}</title>",
        render.CSS,
        PAGE_CSS,
        "</head><body>",
        f"<h1>framing: {_e(title)}</h1>",
        origin,
        warnings,
        "<h2>Scores</h2>",
        _scores_table(result),
        render.legend_html(),
        _headline(result),
        _article(result, highlight),
        _ranked(result),
        '<p class="fr-footer">Made by framing: calibrated probabilities with exact per-word '
        "contributions (intercept + contributions = logit). A label is yes when the probability "
        "reaches the head's threshold (0.5 unless the model says otherwise).</p>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def write_page(path: str | Path, result, **options) -> None:
    """Write :func:`explanation_page` to ``path`` (UTF-8)."""
    Path(path).write_text(explanation_page(result, **options), encoding="utf-8")
