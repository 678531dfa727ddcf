"""``framing suggest TEXT [--json]``: neutral wording for the loaded words of a headline or
an article, with the scores before and after (:func:`framing.suggest`)."""

from __future__ import annotations

from collections.abc import Sequence

from framing.cli.common import printable, read_text, safe_json, use_color
from framing.cli.terms import add_terms, load_cli_model
from framing.errors import InputError
from framing.rewording import Suggestion, suggest

__all__ = ["add_parser", "render_suggestion", "run"]


def add_parser(sub, common) -> None:
    """The ``suggest`` command's options."""
    p = sub.add_parser(
        "suggest",
        parents=[common],
        help="neutral wording for the loaded words of a text, rescored",
        description="Neutral wording for the loaded words of a headline or an article: each "
        "replacement with its alternatives, and the scores before and after. A word with a "
        "common literal sense ('the door slammed', 'toxic waste', 'an army's invasion') is "
        "replaced only where the sentence shows its loaded sense (said of people, or of what "
        "they say or do); elsewhere its alternatives are listed under 'left as they are', "
        "not applied.",
    )
    p.add_argument("text", help="a headline or an article body (- reads it from stdin)")
    p.add_argument(
        "--kind",
        choices=("auto", "headline", "body"),
        default="auto",
        help="read TEXT as a headline or a body (default: a headline when it is one sentence)",
    )
    p.add_argument("--json", action="store_true", help="print every number as JSON")
    add_terms(p)
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing suggest``; the exit code."""
    text = read_text("-", "the text") if args.text == "-" else args.text
    if not text.strip():
        raise InputError("nothing to reword: give a non-empty TEXT (or - to read stdin)")
    result = suggest(text, model=load_cli_model(args), kind=args.kind)
    if args.json:
        print(safe_json(result.to_dict(), indent=2))
        return 0
    color = use_color(args.color)
    print(render_suggestion(result, color=color))
    return 0


def _marked(text: str, spans: Sequence[tuple[int, int]], open_: str, close: str) -> str:
    parts = []
    pos = 0
    for a, b in spans:
        parts.append(printable(text[pos:a]))
        if b > a:  # a span left out leaves no mark in the text after
            parts.append(open_ + printable(text[a:b]) + close)
        pos = max(pos, b)
    parts.append(printable(text[pos:]))
    return "".join(parts)


def _fmt_scores(scores: dict[str, float]) -> str:
    return printable("  ".join(f"{k} {v:.3f}" for k, v in scores.items())) or "(no scores)"


def render_suggestion(s: Suggestion, *, color: bool = False) -> str:
    """Human-readable terminal text of a :class:`Suggestion`: the scores before and after,
    the text before (``-``, replaced words in ``[-...-]``) and after (``+``, replacements in
    ``{+...+}``), each replacement with the other alternatives, and the loaded words left as
    they are. A body shows only the sentences that changed. Control characters are
    escaped (:func:`framing.cli.common.printable`); ``color`` marks with ANSI colours
    instead of brackets (red struck through, green bold).
    """
    if color:
        old = ("\x1b[31;9m", "\x1b[0m")
        new = ("\x1b[32;1m", "\x1b[0m")
    else:
        old = ("[-", "-]")
        new = ("{+", "+}")
    lines = [
        f"{s.kind}: before  {_fmt_scores(s.before)}",
        f"{s.kind}: after   {_fmt_scores(s.after)}",
    ]
    reps = s.replacements
    if s.kind == "headline" or not s.sentences:
        blocks = [(0, len(s.text), 0, len(s.rewritten), None)]
    else:
        blocks = [
            (x.start, x.end, x.rewritten_start, x.rewritten_end, x)
            for x in s.sentences
            if x.changed
        ]
    for a, b, ra, rb, sent in blocks:
        inside = [r for r in reps if r.start < b and r.end > a]
        lines.append("")
        if sent is not None:
            lines.append(f"sentence at {a}-{b}: loaded {sent.before:.3f} -> {sent.after:.3f}")
        before_spans = [(max(r.start, a) - a, min(r.end, b) - a) for r in inside]
        after_spans = [
            (max(r.rewritten_start, ra) - ra, min(r.rewritten_end, rb) - ra) for r in inside
        ]
        lines.append("- " + _marked(s.text[a:b], before_spans, *old))
        lines.append("+ " + _marked(s.rewritten[ra:rb], after_spans, *new))
    if reps:
        lines.append("")
        lines.append(f"{len(reps)} replacement{'s' if len(reps) != 1 else ''}:")
        for r in reps:
            shown = repr(r.replacement) if r.replacement.strip() else "(left out)"
            change = _change(s, r.start, r.end)
            lines.append(
                f"  {r.start}-{r.end} {printable(repr(r.original))} -> {printable(shown)}; "
                f"alternatives: {printable(_alternatives(r.alternatives))}; the word added "
                f"{r.contribution:+.3f} to the logit; {change}"
            )
    else:
        lines.append("")
        unlisted = [k for k in s.skipped if k.reason.startswith("no neutral wording")]
        if unlisted:
            words = ", ".join(dict.fromkeys(printable(repr(k.original)) for k in unlisted))
            lines.append(f"no neutral wording for {words}")
        elif s.skipped:
            lines.append("no word replaced: each loaded word found is left as it is (below)")
        else:
            lines.append("no loaded word to replace")
    if s.skipped:
        lines.append("")
        lines.append("left as they are:")
        for k in s.skipped:
            offered = f" (alternatives: {_alternatives(k.alternatives)})" if k.alternatives else ""
            lines.append(
                f"  {k.start}-{k.end} {printable(repr(k.original))}: "
                f"{printable(k.reason + offered)}"
            )
    lines += [f"warning: {printable(w)}" for w in s.warnings]
    return "\n".join(lines)


def _alternatives(alternatives: Sequence[str]) -> str:
    return ", ".join(repr(x) if x.strip() else "(leave it out)" for x in alternatives)


def _change(s: Suggestion, start: int, end: int) -> str:
    """The loaded score of the headline, or of the sentence, holding ``text[start:end]``,
    before and after the rewording."""
    if s.kind == "headline" or not s.sentences:
        before, after = s.before.get("loaded"), s.after.get("loaded")
        where = "headline"
    else:
        sentence = next(x for x in s.sentences if x.start <= start and end <= x.end)
        before, after, where = sentence.before, sentence.after, "sentence"
    if before is None or after is None:
        return "no loaded score"
    return f"loaded of its {where} {before:.3f} -> {after:.3f} (with every change)"
