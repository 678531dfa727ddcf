"""Site boilerplate in a pasted article body: teaser and link lines, sign-up and cookie
notices. The one rule that leaves them out of the article score (``explain``, ``framing
score``, the app and the API all read a body through :func:`article_paragraphs`).

A line is boilerplate when it

* starts (after a bullet) with a teaser or link label: "READ MORE", "Read also", "Related",
  "See also", "Watch", "Don't miss", "Most read", "Trending", "Recommended", "You may also
  like", "More on this story", "Continue reading", "Share this", "Advertisement", "Promoted
  stories", ... and the label is followed by a separator (``: | » › > -``), ends the line,
  or is written in capitals (so "Read more about the budget in the report." stays article);
* invites to sign up or subscribe ("Sign up to our newsletter", "Subscribe now", "Follow us
  on", "Download our app");
* is a cookie notice (it names cookies and consent, acceptance, privacy, settings or "we
  use");
* follows a line that is only a label ("Don't miss", "MOST READ") without a blank line
  between, is at most 150 characters and does not end like a sentence (``.``, ``:``, ``;``):
  the list of links under such a heading.

Offsets never change: a skipped line is left out of the paragraphs and sentences that are
scored (the text itself is unchanged) and reported as a skipped range.
"""

from __future__ import annotations

import re

__all__ = ["article_paragraphs", "blank", "boilerplate_spans", "describe_skipped"]

_BULLET = r"[ \t]*(?:[-•*>▶►|·–—]+[ \t]*)?"
_LABELS = (
    r"read (?:more|also|next|this|the full story)|more\b|related(?: articles?| stories| content"
    r"| coverage| links| topics)?|see also|watch(?: now| more| the video| live)?"
    r"|(?:do not|don['’]?t) miss(?: out)?|most (?:read|popular|viewed|shared|commented)"
    r"|trending(?: now| stories)?|recommended(?: for you| stories| reading)?|popular now"
    r"|you (?:may|might) (?:also )?(?:like|enjoy)|more (?:on|from|about) this (?:story|topic)"
    r"|more stories|latest (?:news|stories)|top stories|continue reading|share (?:this|on)"
    r"|advertisement|sponsored(?: content| stories| links)?|promoted(?: stories| content| links)?"
    r"|editor['’]?s picks?|in (?:other|related) news|also read|listen to this article"
)
_LABEL_RE = re.compile(r"^" + _BULLET + r"(?:" + _LABELS + r")\b", re.I | re.M)
_AFTER_LABEL_RE = re.compile(r"[ \t]*(?:$|[:|»›>\-–—]|\()", re.M)
_INVITE_RE = re.compile(
    r"^" + _BULLET + r"(?:(?:sign(?:ing)? up|subscribe|register)\b.{0,80}?\b(?:newsletter|e-?mail"
    r"|inbox|alerts|updates|our|free|here|now|today)|(?:follow|like|join) us (?:on|at)\b"
    r"|download (?:our|the) (?:free )?app\b|(?:get|join) (?:our|the) .{0,40}newsletter"
    r"|click here\b|tap here\b)",
    re.I | re.M,
)
_COOKIE_RE = re.compile(r"\bcookies?\b", re.I)
_CONSENT_RE = re.compile(
    r"\b(?:we use|uses|accept|consent|privacy|settings|preferences|agree|browsing experience"
    r"|personalis|personaliz)",
    re.I,
)
_SENTENCE_END = (".", ":", ";")
_BLOCK_LINE_CHARS = 150


def _line_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _label_lines(text: str) -> dict[tuple[int, int], bool]:
    """Lines starting with a label as the rule reads it: line -> whether it is only a label."""
    out: dict[tuple[int, int], bool] = {}
    for m in _LABEL_RE.finditer(text):
        start, end = _line_at(text, m.start())
        after = _AFTER_LABEL_RE.match(text, m.end())
        label = m.group().strip(" \t-•*>▶►|·–—")
        capitals = label.isupper()
        if after is None and not capitals:
            continue
        rest = text[m.end() : end].strip(" \t:|»›>-–—")
        out[(start, end)] = not rest
    return out


def _block(text: str, end: int) -> list[tuple[int, int]]:
    """The link lines under a label-only line ending at ``end`` (see the module docs)."""
    lines = []
    pos = end + 1
    while pos < len(text):
        stop = text.find("\n", pos)
        stop = len(text) if stop < 0 else stop
        line = text[pos:stop].strip()
        if not line or len(line) > _BLOCK_LINE_CHARS or line.endswith(_SENTENCE_END):
            break
        lines.append((pos, stop))
        pos = stop + 1
    return lines


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the boilerplate in ``text`` (see the module docs): whole lines,
    whitespace trimmed, adjacent ones merged; empty for most article text."""
    lines: set[tuple[int, int]] = set()
    for line, only_label in _label_lines(text).items():
        lines.add(line)
        if only_label:
            lines.update(_block(text, line[1]))
    for m in _INVITE_RE.finditer(text):
        lines.add(_line_at(text, m.start()))
    for m in _COOKIE_RE.finditer(text):
        line = _line_at(text, m.start())
        if line not in lines and _CONSENT_RE.search(text, *line):
            lines.add(line)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(lines):
        span = _trim(text, start, end)
        if span is None:
            continue
        if spans and not text[spans[-1][1] : span[0]].strip():
            spans[-1] = (spans[-1][0], span[1])
        else:
            spans.append(span)
    return spans


def article_paragraphs(
    text: str, paragraphs: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """``paragraphs`` of ``text`` with the boilerplate cut out (each piece whitespace
    trimmed), and the boilerplate spans; the paragraphs as given when there is none."""
    skipped = boilerplate_spans(text)
    if not skipped:
        return paragraphs, skipped
    out: list[tuple[int, int]] = []
    k = 0
    for p_start, p_end in paragraphs:
        pos = p_start
        while k < len(skipped) and skipped[k][1] <= p_start:
            k += 1
        j = k
        while j < len(skipped) and skipped[j][0] < p_end:
            piece = _trim(text, pos, max(pos, skipped[j][0]))
            if piece:
                out.append(piece)
            pos = max(pos, skipped[j][1])
            j += 1
        piece = _trim(text, pos, p_end)
        if piece:
            out.append(piece)
    return out, skipped


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces (line breaks kept): offsets unchanged."""
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def describe_skipped(spans: list[tuple[int, int]]) -> str:
    """The warning that reports skipped boilerplate (``explain`` and ``framing score``)."""
    ranges = ", ".join(f"[{a}:{b}]" for a, b in spans)
    return (
        f"{len(spans)} boilerplate range(s) (teaser, link, sign-up or cookie lines) left out "
        f"of the article score: characters {ranges}"
    )
