"""Writes the 20 saved news pages of the extraction tests and benchmark (run once; the pages
are committed): ``pages/NN.html`` and ``pages/NN.json`` (the headline and the article's
paragraphs, the known text).

Five site layouts (a tabloid, a broadsheet, a local paper, a wire service, a live blog), four
articles each. Every page has the boilerplate of real news sites: navigation, a cookie
banner, share buttons, teasers inside the article ("READ MORE:", "Don't miss" link lists), a
newsletter box, related and most-read link lists, comments and a footer. The article text is
made here from sentence patterns (no text of any site is copied).

    python tests/web/make_pages.py
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "pages"

PEOPLE = [
    "the finance minister",
    "the mayor",
    "a council spokeswoman",
    "the health secretary",
    "the chief constable",
    "the opposition leader",
    "union officials",
    "the head teacher",
    "the company's chief executive",
    "local residents",
    "the transport minister",
    "environmental campaigners",
    "the hospital trust",
    "the prime minister's office",
]
THINGS = [
    "the budget",
    "the rail line",
    "the new hospital wing",
    "the housing plan",
    "the flood defences",
    "the school merger",
    "the wind farm",
    "the pay offer",
    "the bypass",
    "the recycling scheme",
    "the bus contract",
    "the tax proposal",
]
PLACES = [
    "Northfield",
    "the harbour district",
    "Eastbridge",
    "the county",
    "Millford",
    "the city centre",
    "Westmoor",
    "the valley",
    "Kingsport",
    "the northern towns",
]
MONTHS = ["January", "March", "May", "June", "September", "November"]
VERBS = [
    "delayed",
    "approved",
    "criticised",
    "defended",
    "scrapped",
    "revised",
    "welcomed",
    "questioned",
]
LOADED = ["shameful", "disastrous", "outrageous", "chilling", "reckless", "scandalous"]

PATTERNS = [
    "{P} said {T} would be {V} by {M}, after weeks of talks in {L}.",
    "Figures published on Tuesday show that {N} per cent of households in {L} were affected.",
    "\u201cWe have listened carefully, and we will not rush this decision,\u201d {P} said.",
    "Critics called the handling of {T} {A}, saying families in {L} had been ignored.",
    "The plan, first set out in {M}, would cost about {N} million pounds over five years.",
    "{P} told reporters that the delay was {A} and that an inquiry should follow.",
    "A report by the audit office found that {T} had run {N} per cent over its original cost.",
    "Residents of {L} gathered outside the town hall on Saturday to demand answers.",
    "{P} declined to comment on the claims but said a statement would follow in {M}.",
    "Officials expect the first phase to open in {M}, though earlier dates have slipped.",
    "The decision follows a consultation in which {N} people responded, most of them from {L}.",
    "In a letter seen by this newspaper, {P} warned that {T} could be {V} again.",
    "Opposition members said the government had been {A} in its approach to {T}.",
    "Engineers said the work in {L} was more complex than first thought.",
    "It is the third time since {M} that {T} has been {V}.",
    "{P} insisted the project remained good value and would bring jobs to {L}.",
]
HEADLINES = [
    "{T} {V} as row over costs grows in {L}",
    "Anger in {L} after {T} is {V} again",
    "{P} under pressure over {A} handling of {T}",
    "Inquiry call as {T} runs {N} per cent over budget",
]


def _fill(pattern: str, rng: random.Random) -> str:
    text = pattern.format(
        P=rng.choice(PEOPLE),
        T=rng.choice(THINGS),
        L=rng.choice(PLACES),
        M=rng.choice(MONTHS),
        V=rng.choice(VERBS),
        A=rng.choice(LOADED),
        N=rng.randint(3, 95),
    )
    return text[0].upper() + text[1:]


def article(rng: random.Random) -> tuple[str, list[str]]:
    headline = _fill(rng.choice(HEADLINES), rng)
    paragraphs = [
        " ".join(_fill(rng.choice(PATTERNS), rng) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(6, 10))
    ]
    return headline, paragraphs


def teaser(rng: random.Random) -> str:
    return _fill(rng.choice(HEADLINES), rng)


def links(rng: random.Random, n: int) -> str:
    return "".join(
        f'<li><a href="/news/{rng.randint(1000, 9999)}">{html.escape(teaser(rng))}</a></li>'
        for _ in range(n)
    )


NAV = (
    '<nav class="main-nav"><ul>'
    + "".join(
        f'<li><a href="/{s.lower()}">{s}</a></li>'
        for s in ["News", "Politics", "Sport", "Business", "Health", "Opinion", "Weather", "Travel"]
    )
    + "</ul></nav>"
)
COOKIES = (
    '<div id="cookie-banner" class="consent"><p>We use cookies to give you the best '
    "experience on our website. By clicking Accept you agree to our use of cookies and "
    "our privacy policy.</p><button>Accept all</button><button>Manage settings</button>"
    "</div>"
)
SHARE = (
    '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
    '<a href="#">Email</a></div>'
)
NEWSLETTER = (
    '<div class="newsletter"><h3>Sign up to our daily newsletter</h3><p>The top '
    'stories sent to your inbox every morning.</p><form><input type="email">'
    "<button>Subscribe</button></form></div>"
)
FOOTER = (
    '<footer><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact'
    '</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li>'
    "</ul><p>\u00a9 2026 The Daily Example. All rights reserved.</p></footer>"
)


def comments(rng: random.Random, n: int) -> str:
    items = "".join(
        f'<li class="comment"><span class="author">reader{rng.randint(10, 999)}</span>'
        f"<p>{html.escape(_fill(rng.choice(PATTERNS), rng))} Typical.</p></li>"
        for _ in range(n)
    )
    return (
        f'<section id="comments" class="comments"><h2>Comments ({n})</h2><ul>{items}</ul></section>'
    )


def body_with_teasers(paragraphs: list[str], rng: random.Random, style: str) -> str:
    out = []
    for i, p in enumerate(paragraphs):
        out.append(f"<p>{html.escape(p)}</p>")
        if i == 1:
            out.append(
                f'<p class="read-more"><strong>READ MORE:</strong> <a href="/n/1">'
                f"{html.escape(teaser(rng))}</a></p>"
            )
        if i == 3 and style in ("tabloid", "local"):
            out.append(f'<div class="dont-miss"><h4>Don\'t miss</h4><ul>{links(rng, 3)}</ul></div>')
        if i == 4 and style == "tabloid":
            out.append('<div class="ad"><p>Advertisement</p></div>')
    return "\n".join(out)


def page(style: str, headline: str, paragraphs: list[str], rng: random.Random) -> str:
    h = html.escape(headline)
    meta = (
        f'<meta charset="utf-8"><title>{h} | The Daily Example</title>'
        f'<meta property="og:title" content="{h}">'
        if style != "wire"
        else f'<meta charset="utf-8"><title>{h} - Example Wire</title>'
    )
    body = body_with_teasers(paragraphs, rng, style)
    related = f'<aside class="related"><h3>Related stories</h3><ul>{links(rng, 4)}</ul></aside>'
    most_read = f'<aside class="most-read"><h3>Most read</h3><ol>{links(rng, 5)}</ol></aside>'
    byline = (
        f'<p class="byline">By Sam Example, Political Reporter | {rng.randint(1, 28)} May 2026</p>'
    )
    if style == "tabloid":
        main = (
            f'<header><a class="logo" href="/">The Daily Example</a>{NAV}</header>{COOKIES}'
            f'<main><article><h1>{h}</h1>{byline}{SHARE}<div class="article-body">{body}'
            f"</div>{NEWSLETTER}</article>{most_read}{comments(rng, 4)}</main>{FOOTER}"
        )
    elif style == "broadsheet":
        main = (
            f'<div class="masthead"><h1 class="site-title">The Example Times</h1>{NAV}</div>'
            f'<div class="wrapper"><article class="story"><header><h1 class="headline">{h}'
            f'</h1>{byline}</header><section class="story-body">{body}</section>'
            f"{SHARE}</article>{related}{NEWSLETTER}</div>{comments(rng, 3)}{FOOTER}{COOKIES}"
        )
    elif style == "local":
        main = (
            f'<div id="top">{NAV}</div><div id="content"><div class="col-main">'
            f'<h1>{h}</h1><div class="meta">{byline}</div><div class="text">{body}</div>'
            f'</div><div class="col-side">{most_read}{related}</div></div>'
            f"{comments(rng, 5)}{NEWSLETTER}{FOOTER}{COOKIES}"
        )
    elif style == "wire":
        main = (
            f'{NAV}<main><h1>{h}</h1><div class="dateline">{byline}</div>{body}'
            f'<p class="credit">Editing by the Example Wire desk</p></main>{related}{FOOTER}'
        )
    else:  # live blog
        main = (
            f"{COOKIES}<header>{NAV}</header><main><article><h1>{h}</h1>"
            f'<div class="live-meta">{byline}{SHARE}</div><div class="post">{body}</div>'
            f"</article>{NEWSLETTER}{most_read}</main>{comments(rng, 6)}{FOOTER}"
        )
    return f'<!DOCTYPE html><html lang="en"><head>{meta}</head><body>{main}</body></html>\n'


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(29)
    styles = ["tabloid", "broadsheet", "local", "wire", "live"]
    for n in range(20):
        style = styles[n % 5]
        headline, paragraphs = article(rng)
        (OUT / f"{n:02d}.html").write_text(page(style, headline, paragraphs, rng), encoding="utf-8")
        known = {"style": style, "headline": headline, "paragraphs": paragraphs}
        (OUT / f"{n:02d}.json").write_text(json.dumps(known, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
