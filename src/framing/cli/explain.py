"""``framing explain TEXT [--body ...]``: one headline (and article) explained word by word.

Every head the model has is shown (:func:`framing.explanation.heads.head_roles`), users'
heads too. Text from the user is printed through :func:`framing.cli.common.printable`, so
escape sequences and line breaks in it cannot reach the terminal raw.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap

from framing.cli.common import paint, printable, read_text, safe_json, use_color
from framing.cli.terms import add_terms, load_cli_model
from framing.errors import InputError
from framing.explanation import explain
from framing.explanation.heads import head_roles

__all__ = ["add_parser", "render_head", "render_text", "run"]


HELP = """Explain one headline (and optionally its article) word by word.

Prints each head's probability and its label at the head's threshold, the words that pushed
the score up and down, and with a body the article score, its most loaded sentences (each
with its score, words and techniques) and the article's frames."""


def add_parser(sub, common) -> None:
    """The ``explain`` command's options."""
    p = sub.add_parser(
        "explain",
        parents=[common],
        help="explain one headline (and body)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "text", nargs="?", help="the headline (- reads it from stdin; with --html: optional)"
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--body", help="article body text")
    g.add_argument("--body-file", help="file holding the article body (UTF-8)")
    g.add_argument(
        "--html",
        metavar="FILE",
        help="a saved web page: its headline (og:title, h1, title) and main text are explained "
        '(needs pip install "framing[html]")',
    )
    p.add_argument(
        "--html-out",
        metavar="FILE",
        help="also write the explanation as one standalone HTML page (highlighted, no script)",
    )
    p.add_argument("--json", action="store_true", help="print every number as JSON")
    p.add_argument("--top", type=int, default=5, help="words shown each way (default 5)")
    p.add_argument(
        "--sentences",
        type=int,
        default=3,
        metavar="N",
        help="with a body: the N most loaded sentences shown (default 3; 0 shows none)",
    )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument(
        "--all-techniques",
        action="store_true",
        help="show every persuasion technique, not only those measured reliable (precision "
        ">= 0.5 on PTC dev); the others are marked low confidence",
    )
    add_terms(p)
    p.set_defaults(func=run)


FOOTNOTE = (
    "(the numbers after words are their contributions in logits, the log-odds behind a "
    "probability: probability = 1 / (1 + e^-(intercept + the sum of the contributions)), so "
    "+1 raises the odds 2.7 times; [a:b] are the word's character offsets in the text)"
)


NBSP = "\u00a0"


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def wrapped(first: str, text: str, indent: str) -> list[str]:
    """``first`` + ``text`` wrapped to the terminal's width, the next lines indented (a
    no-break space, as between a word and its number, keeps its two sides together)."""
    lines = textwrap.wrap(
        first + text,
        _width(),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]
    return [line.replace(NBSP, " ") for line in lines]


def _words(text: str, terms, code: str, color: bool, offsets: bool = True) -> str:
    parts = []
    for t in terms:
        shown = printable(", ".join(dict.fromkeys(text[s.start : s.end] for s in t.spans[:3])))
        spans = NBSP + NBSP.join(f"[{s.start}:{s.end}]" for s in t.spans[:3]) if offsets else ""
        own = "" if getattr(t, "probability", None) is None else f" (word p {t.probability:.2f})"
        parts.append(f"{paint(shown, code, color)}{NBSP}{t.contribution:+.3f}{own}{spans}")
    return "; ".join(parts)


def render_head(label: str, hs, text: str, k: int, color: bool, not_scored=None) -> list[str]:
    """Lines for one head's score: probability, label, and its strongest words each way.

    ``not_scored`` (such as "language fr": the text judged not English): no label is given,
    as ``framing score`` leaves it empty."""
    verdict = f"label {'yes' if hs.label else 'no'} at threshold {hs.threshold:.2f}"
    if not_scored:
        verdict = f"not scored: {not_scored}"
    lines = [f"{paint(printable(label), '1', color)}: probability {hs.probability:.3f} ({verdict})"]
    for direction, code, name in (("up", "31", "pushing up"), ("down", "32", "pushing down")):
        top = hs.top(k, direction)
        if top:
            lines += wrapped(f"  {name}: ", _words(text, top, code, color), "    ")
    return lines


LOW = " (low confidence)"


def _technique_lines(result, color: bool) -> list[str]:
    """The techniques counted by sentence; the low-confidence ones marked, or, when hidden,
    said to be hidden."""
    low = set(result.low_confidence_techniques or ())
    found = (
        ", ".join(f"{k}{LOW if k in low else ''} ({v})" for k, v in result.techniques.items())
        or "none"
    )
    lines = wrapped(f"{paint('techniques', '1', color)} (sentences): ", printable(found), "  ")
    if low and result.technique_mode == "reliable":
        lines += wrapped(
            "  ",
            f"({len(low)} low-confidence techniques (precision under 0.5 on PTC dev, or too "
            "few detections to tell) are not shown; --all-techniques shows them, marked low "
            "confidence)",
            "  ",
        )
    return lines


def _sentence_lines(result, n: int, top: int, color: bool) -> list[str]:
    """The ``n`` most loaded sentences of the body, each with its probability, its words
    pushing up and its techniques; the sentence wrapped, never cut."""
    ranked = result.ranked_sentences()
    if n <= 0 or not ranked:
        return []
    shown = ranked[:n]
    more = "" if len(shown) == len(ranked) else "; --sentences N shows more"
    lines = [f"{paint('most loaded sentences', '1', color)} ({len(shown)} of {len(ranked)}{more}):"]
    low = set(result.low_confidence_techniques or ())
    for rank, s in enumerate(shown, 1):
        hs = s.loaded
        text = printable(" ".join(result.body[s.start : s.end].split()))
        label = "yes" if hs.label else "no" if hs.label is not None else "not scored"
        lines += wrapped(f"  {rank}. {hs.probability:.3f} ({label}) ", text, "     ")
        words = _words(result.body, hs.top(top, "up"), "31", color, offsets=False)
        if words:
            lines += wrapped("     words: ", words, "       ")
        if s.techniques is not None:
            names = [t + (LOW if t in low else "") for t in s.detected_techniques]
            lines += wrapped("     techniques: ", printable(", ".join(names) or "none"), "       ")
    return lines


def _frame_lines(frames, color: bool) -> list[str]:
    """The frames shown (at or above their thresholds, with content words behind them),
    or why none is."""
    title = f"{paint('frames', '1', color)}: "
    if frames.note:
        return wrapped("", printable(frames.note), "  ")
    shown = frames.shown
    if not shown:
        return [title + "none at its threshold with content words behind it"]
    text = "; ".join(
        f"{f.label} {f.probability:.2f} ({', '.join(t.term for t in f.top(3))})" for f in shown
    )
    return wrapped(title, printable(text), "  ")


def render_text(result, model, text: str | None, top: int, color: bool, sentences: int = 3) -> str:
    """The human-readable explanation ``framing explain`` prints."""
    lines: list[str] = []
    roles = head_roles(model)
    shown_words = False
    if text and text.strip():
        lines += wrapped("headline: ", printable(result.headline or text), "  ")
        language = result.language.get("headline")
        not_scored = (
            f"language {language.language}" if language and language.english is False else None
        )
        for role in roles:
            hs = result.result(role.name).headline
            if hs is not None:
                lines += render_head(role.name, hs, result.headline or text, top, color, not_scored)
                shown_words = True
    for role in roles:
        article = result.result(role.name).article
        if article is not None:
            label = "not scored" if article.label is None else "yes" if article.label else "no"
            lines += wrapped(
                f"{paint(f'article ({printable(role.name)})', '1', color)}: ",
                f"probability {article.probability:.3f} ({label}; mean of the top "
                f"{article.top_k} of {article.n_sentences} sentences; "
                f"{article.share_above_threshold:.0%} at or above {article.threshold:.2f})",
                "  ",
            )
    lines += _sentence_lines(result, sentences, top, color)
    for role in roles:
        labels = result.result(role.name).labels
        if labels:
            shown = [x for x in labels if x.decision]
            found = ", ".join(f"{x.label} {x.probability:.2f}" for x in shown) or "none"
            lines.append(f"{paint(printable(role.name), '1', color)}: {printable(found)}")
    if result.overall is not None:
        lines.append(f"{paint('overall', '1', color)}: {result.overall.score:.3f} (for sorting)")
    elif result.not_scored:
        lines.append(f"{paint('overall', '1', color)}: not scored: {result.not_scored}")
    if result.techniques is not None:
        lines += _technique_lines(result, color)
    if result.frames is not None:
        lines += _frame_lines(result.frames, color)
    for w in result.warnings:
        lines += wrapped("warning: ", printable(w), "  ")
    for head, warnings in (model.manifest.get("head_warnings") or {}).items():
        for w in warnings if head in model.heads else ():
            lines += wrapped("warning: ", printable(f"trained on your labels: {w}"), "  ")
    if shown_words or (sentences > 0 and result.sentences):
        lines += wrapped("", FOOTNOTE, "")
    return "\n".join(lines)


def _body(args) -> str | None:
    return read_text(args.body_file, "the body file") if args.body_file else args.body


def _texts(args) -> tuple[str | None, str | None]:
    """The headline and body to explain: from the arguments, or extracted from --html."""
    text = read_text("-", "the headline") if args.text == "-" else args.text
    if args.html:
        from framing.web import read_page

        page = read_page(args.html)
        return (text or page.headline or None), (page.body or None)
    if text is None:
        raise InputError("give the headline TEXT (or --html FILE)")
    return text, _body(args)


def run(args) -> int:
    """Run ``framing explain``; the exit code."""
    text, body = _texts(args)
    if not (text and text.strip()) and not (body and body.strip()):
        if args.html:
            raise InputError(f"nothing to explain: no headline or main text found in {args.html}")
        raise InputError("nothing to explain: give a non-empty TEXT (or --body / --body-file)")
    model = load_cli_model(args)
    result = explain(
        headline=text or None, body=body, model=model, all_techniques=args.all_techniques
    )
    if args.html_out:
        from framing.app.export import write_page

        write_page(args.html_out, result, source=args.html)
    if args.json:
        print(safe_json(result.to_dict(), indent=2))
        return 0
    color = use_color(args.color)
    if args.sentences < 0:
        raise InputError("--sentences must be 0 or more")
    print(render_text(result, model, text, args.top, color, args.sentences))
    return 0
