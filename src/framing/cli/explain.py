"""``framing explain TEXT [--body ...]``: one headline (and article) explained word by word.

Every head the model has is shown (:func:`framing.explanation.heads.head_roles`), users'
heads too. Text from the user is printed through :func:`framing.cli.common.printable`, so
escape sequences and line breaks in it cannot reach the terminal raw.
"""

from __future__ import annotations

import os
import sys

from framing.cli.common import paint, printable, read_text, safe_json
from framing.core.model import load_model
from framing.errors import InputError
from framing.explanation import explain
from framing.explanation.heads import head_roles

__all__ = ["add_parser", "render_head", "render_text", "run"]


def add_parser(sub, common) -> None:
    """The ``explain`` command's options."""
    p = sub.add_parser("explain", parents=[common], help="explain one headline (and body)")
    p.add_argument("text", help="the headline (- reads it from stdin)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--body", help="article body text")
    g.add_argument("--body-file", help="file holding the article body (UTF-8)")
    p.add_argument("--json", action="store_true", help="print the JSON of explain()")
    p.add_argument("--top", type=int, default=5, help="terms shown each way (default 5)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument(
        "--all-techniques",
        action="store_true",
        help="show every persuasion technique, not only those measured reliable (precision "
        ">= 0.5 on PTC dev); the others are marked low confidence",
    )
    p.set_defaults(func=run)


def render_head(
    label: str, hs, text: str, k: int, color: bool, english: bool | None = True
) -> list[str]:
    """Lines for one head's score: probability, verdict, and its strongest words each way.

    ``english`` False (the text judged not English): no verdict is given, as ``framing
    score`` leaves the label empty."""
    verdict = "yes" if hs.label else "no"
    verdict = "not given (not English?)" if english is False else verdict
    lines = [
        f"{paint(printable(label), '1', color)}: probability {hs.probability:.3f} "
        f"(label {verdict} at threshold {hs.threshold:.2f}; logit {hs.logit:+.3f} = "
        f"intercept {hs.intercept:+.3f} + word contributions)"
    ]
    for direction, code, name in (("up", "31", "pushing up"), ("down", "32", "pushing down")):
        top = hs.top(k, direction)
        if not top:
            continue
        parts = []
        for t in top:
            shown = printable(", ".join(text[s.start : s.end] for s in t.spans[:3]))
            spans = " ".join(f"[{s.start}:{s.end}]" for s in t.spans[:3])
            parts.append(f"{paint(shown, code, color)} {t.contribution:+.3f} {spans}")
        lines.append(f"  {name}: " + "; ".join(parts))
    return lines


LOW = " (low confidence)"


def _technique_lines(result, top: int, color: bool) -> list[str]:
    """The techniques counted by sentence and those of the most loaded sentences; the
    low-confidence ones marked, or, when hidden, said to be hidden."""
    low = set(result.low_confidence_techniques or ())

    def name(label: str) -> str:
        return label + (LOW if label in low else "")

    found = ", ".join(f"{name(k)} ({v})" for k, v in result.techniques.items()) or "none"
    lines = [f"{paint('techniques', '1', color)} (sentences): {printable(found)}"]
    for s in result.ranked_sentences()[:top]:
        if s.detected_techniques:
            snippet = printable(" ".join(result.body[s.start : s.end].split())[:70])
            names = printable(", ".join(map(name, s.detected_techniques)))
            lines.append(f"  {names}: {snippet}")
    if low and result.technique_mode == "reliable":
        lines.append(
            f"  ({len(low)} low-confidence techniques (precision under 0.5 on PTC dev, or too "
            "few detections to tell) are not shown; "
            "--all-techniques shows them, marked low confidence)"
        )
    return lines


def _framing_lines(result, top: int, color: bool) -> list[str]:
    lines = []
    if result.techniques is not None:
        lines += _technique_lines(result, top, color)
    if result.frames is not None:
        shown = [f for f in result.frames.frames if f.decision] or result.frames.frames[:1]
        frames = ", ".join(
            f"{f.label} {f.probability:.2f} ({', '.join(t.term for t in f.top(3))})" for f in shown
        )
        lines.append(f"{paint('frames', '1', color)}: {printable(frames)}")
    return lines


def render_text(result, model, text: str | None, top: int, color: bool) -> str:
    """The human-readable explanation ``framing explain`` prints."""
    lines: list[str] = []
    roles = head_roles(model)
    if text and text.strip():
        lines.append(f"headline: {printable(result.headline or text)}")
        for role in roles:
            hs = result.result(role.name).headline
            if hs is not None:
                english = getattr(result.language.get("headline"), "english", None)
                lines += render_head(
                    role.name, hs, result.headline or text, top, color, english=english
                )
    for role in roles:
        article = result.result(role.name).article
        if article is not None:
            lines.append(
                f"{paint(f'article ({printable(role.name)})', '1', color)}: probability "
                f"{article.probability:.3f} (mean of the top {article.top_k} of "
                f"{article.n_sentences} sentences; {article.share_above_threshold:.0%} at or "
                f"above {article.threshold:.2f})"
            )
    for role in roles:
        labels = result.result(role.name).labels
        if labels:
            shown = [x for x in labels if x.decision] or labels[:1]
            found = printable(", ".join(f"{x.label} {x.probability:.2f}" for x in shown))
            lines.append(f"{paint(printable(role.name), '1', color)}: {found}")
    if result.overall is not None:
        lines.append(f"{paint('overall', '1', color)}: {result.overall.score:.3f} (for sorting)")
    lines += _framing_lines(result, top, color)
    lines += [f"warning: {printable(w)}" for w in result.warnings]
    return "\n".join(lines)


def _body(args) -> str | None:
    return read_text(args.body_file, "the body file") if args.body_file else args.body


def run(args) -> int:
    """Run ``framing explain``; the exit code."""
    text = read_text("-", "the headline") if args.text == "-" else args.text
    body = _body(args)
    if not (text and text.strip()) and not (body and body.strip()):
        raise InputError("nothing to explain: give a non-empty TEXT (or --body / --body-file)")
    model = load_model(args.model)
    result = explain(
        headline=text or None, body=body, model=model, all_techniques=args.all_techniques
    )
    if args.json:
        print(safe_json(result.to_dict(), indent=2))
        return 0
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    print(render_text(result, model, text, args.top, color))
    return 0
