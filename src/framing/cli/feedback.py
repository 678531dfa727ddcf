"""``framing feedback``: readers' corrections (marks) in the feedback database.

    framing feedback add "Despot slams talks" --word despot --label loaded
    framing feedback add "Despot slams talks" --label 0          # the whole headline
    framing feedback list --head loaded --limit 20
    framing feedback stats
    framing feedback delete 12
    framing feedback undo                # your newest mark ($FRAMING_USER, else your login)
    framing feedback export -o marks.csv                        # .csv .tsv .jsonl .parquet
    framing feedback import marks.csv

``--db PATH_OR_URL`` on each (else ``$FRAMING_DB``, else the per-user default file); see
docs/feedback.md. Database URLs are printed with their password masked.
"""

from __future__ import annotations

import argparse
import sys

from framing.cli.common import printable, safe_json
from framing.errors import InputError
from framing.feedback import (
    UNIT_ANSWERS,
    UNITS,
    USER_ENV_VAR,
    WORD_ANSWERS,
    Mark,
    current_user,
    find_word,
    open_store,
    read_marks_report,
    write_marks,
)

__all__ = ["add_parser", "render_marks", "run"]

DEFAULT_LIMIT = 50
TEXT_WIDTH = 70
MAX_LISTED_PROBLEMS = 20


def _subparsers(p, db):
    sub = p.add_subparsers(dest="feedback_command", required=True, metavar="SUBCOMMAND")
    add = sub.add_parser(
        "add",
        parents=[db],
        help="store a mark: a word (--word, --label loaded|neutral) or the whole unit "
        "(--label 1|0)",
    )
    add.add_argument("text", metavar="TEXT", help="the headline or sentence, as it was scored")
    add.add_argument("--word", help="the word to mark (its first whole-word occurrence)")
    add.add_argument("--start", type=int, help="the character offset of the occurrence of --word")
    add.add_argument(
        "--label",
        required=True,
        help="with --word: loaded or neutral; without: 1 or 0, the unit's right label",
    )
    add.add_argument("--head", default="loaded", help="the head the mark is about (default loaded)")
    add.add_argument("--unit", choices=UNITS, default="headline", help="default headline")
    add.add_argument(
        "--user",
        help=f"who marks it (default: ${USER_ENV_VAR}, else your login name; '' stores none)",
    )
    add.add_argument("--note", help="a note")
    add.add_argument("--model-hash", help="the model's hash when marked")
    add.add_argument("--score", type=float, help="the model's probability when marked")
    lst = sub.add_parser("list", parents=[db], help="the marks, newest first")
    for flag in ("--head", "--word", "--user"):
        lst.add_argument(flag, help=f"only the marks of this {flag[2:]}")
    lst.add_argument("--unit", choices=UNITS, help="only the marks of this unit")
    lst.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"at most N (default {DEFAULT_LIMIT}; 0: all)",
    )
    lst.add_argument("--json", action="store_true", help="print the marks as a JSON array")
    stats = sub.add_parser("stats", parents=[db], help="counts of marks per head and per word")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    delete = sub.add_parser("delete", parents=[db], help="delete a mark by its id")
    delete.add_argument("id", type=int, metavar="ID")
    undo = sub.add_parser(
        "undo", parents=[db], help="delete your newest mark (--any: the newest of anyone)"
    )
    whose = undo.add_mutually_exclusive_group()
    whose.add_argument(
        "--user", help=f"the newest mark of this user (default: ${USER_ENV_VAR}, else your login)"
    )
    whose.add_argument(
        "--any", action="store_true", help="the newest mark of anyone (a shared database!)"
    )
    export = sub.add_parser("export", parents=[db], help="write the marks to a file")
    export.add_argument("-o", "--output", required=True, help="FILE: .csv .tsv .jsonl .parquet")
    export.add_argument("--output-format", choices=("csv", "tsv", "jsonl", "parquet"))
    for flag in ("--head", "--user"):
        export.add_argument(flag, help=f"only the marks of this {flag[2:]}")
    imp = sub.add_parser("import", parents=[db], help="store the marks of a file (from export)")
    imp.add_argument("input", metavar="FILE", help=".csv .tsv .jsonl .parquet")
    imp.add_argument("--format", choices=("csv", "tsv", "jsonl", "parquet"))
    imp.add_argument("--encoding", default="utf-8", help="of a CSV/TSV/JSONL file (default utf-8)")
    imp.add_argument(
        "--skip-bad",
        action="store_true",
        help="store the good rows and list the bad ones (default: store nothing if any is bad)",
    )


def add_parser(sub, common) -> None:
    """The ``feedback`` command and its subcommands."""
    p = sub.add_parser(
        "feedback",
        help="readers' corrections: add, list, stats, delete, undo, export, import",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db_help = (
        "a SQLite file or postgresql://USER:PASSWORD@HOST/DB (default: $FRAMING_DB, else the "
        "per-user default file)"
    )
    p.add_argument("--db", metavar="PATH_OR_URL", help=db_help)
    db = argparse.ArgumentParser(add_help=False)  # --db after the subcommand too
    db.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=db_help)
    _subparsers(p, db)
    p.set_defaults(func=run)


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _describe(mark: Mark) -> str:
    what = (
        f"{mark.answer} {mark.word!r}"
        if mark.is_word
        else f"label {mark.answer} (whole {mark.unit})"
    )
    who = f" by {mark.user}" if mark.user else ""
    return printable(f"mark {mark.id}: {what}, head {mark.head}{who}, in {_short(mark.text)!r}")


def _add(store, args) -> int:
    start = end = None
    if args.word is not None:
        if args.label not in WORD_ANSWERS:
            raise InputError(f"--label of a word is loaded or neutral, not {args.label!r}")
        start, end = find_word(args.text, args.word, args.start)
    elif args.start is not None:
        raise InputError("--start picks an occurrence of --word: give --word too")
    elif args.label not in UNIT_ANSWERS:
        raise InputError(
            f"--label of a whole {args.unit} is 1 or 0, not {args.label!r} (a word's label, "
            "loaded or neutral, goes with --word WORD)"
        )
    mark = Mark(
        text=args.text,
        unit=args.unit,
        head=args.head,
        start=start,
        end=end,
        answer=args.label,
        model_hash=args.model_hash,
        score=args.score,
        user=current_user() if args.user is None else args.user,
        note=args.note,
    )
    mark_id = store.add(mark)
    print(f"stored {_describe(store.get(mark_id) or mark)}")
    return 0


def render_marks(marks: list[Mark]) -> str:
    """The marks as a table for a terminal (control characters escaped)."""
    header = ("ID", "CREATED (UTC)", "HEAD", "UNIT", "ANSWER", "WORD", "USER", "TEXT")
    rows = [
        (
            str(m.id),
            (m.created_at or "")[:19].replace("T", " "),
            m.head,
            m.unit,
            m.answer,
            _short(m.word or "-", 20),
            _short(m.user or "-", 16),
            _short(m.text),
        )
        for m in marks
    ]
    rows = [tuple(printable(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [
            c.rjust(w) if i == 0 else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def _list(store, args) -> int:
    if args.limit < 0:
        raise InputError(f"--limit must be 0 (all) or more, not {args.limit}")
    marks = store.list(
        head=args.head, word=args.word, user=args.user, limit=args.limit or None, unit=args.unit
    )
    if args.json:
        print(safe_json([m.to_dict() for m in marks], indent=2))
        return 0
    if not marks:
        print(printable(f"no marks in {store.display}"), file=sys.stderr)
        return 0
    print(render_marks(marks))
    shown = f"the newest {len(marks)}" if args.limit and len(marks) == args.limit else len(marks)
    print(printable(f"{shown} mark(s) of {store.count():,} in {store.display}"), file=sys.stderr)
    return 0


def _answers(counts: dict) -> str:
    """Word answers as ``loaded 3``, unit answers as ``label 1: 2``."""
    shown = [f"{a} {counts[a]:,}" for a in WORD_ANSWERS if a in counts]
    shown += [f"label {a}: {counts[a]:,}" for a in UNIT_ANSWERS if a in counts]
    shown += [
        f"{a} {n:,}" for a, n in sorted(counts.items()) if a not in WORD_ANSWERS + UNIT_ANSWERS
    ]
    return ", ".join(shown)


def _stats(store, args) -> int:
    stats = store.stats()
    words = sorted(stats["per_word"].items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if args.json:
        doc = {
            "database": store.display,
            "total": stats["total"],
            "per_head": stats["per_head"],
            "per_word": [{"head": h, "word": w, "answers": a} for (h, w), a in words],
        }
        print(safe_json(doc, indent=2))
        return 0
    lines = [f"{stats['total']:,} mark(s) in {store.display}"]
    if stats["per_head"]:
        lines.append("per head (words marked loaded or neutral; whole units' right label):")
        lines += [f"  {h}: {_answers(a)}" for h, a in stats["per_head"].items()]
    if words:
        lines.append(f"per word (the {min(len(words), 20)} most marked of {len(words):,}):")
        lines += [f"  {h} / {w}: {_answers(a)}" for (h, w), a in words[:20]]
    print("\n".join(printable(line) for line in lines))
    return 0


def _import(store, args) -> int:
    marks, problems = read_marks_report(args.input, fmt=args.format, encoding=args.encoding)
    for problem in problems[:MAX_LISTED_PROBLEMS]:
        print(f"framing: {printable(args.input)}: {printable(problem)}", file=sys.stderr)
    if len(problems) > MAX_LISTED_PROBLEMS:
        more = len(problems) - MAX_LISTED_PROBLEMS
        print(f"framing: ... and {more:,} more bad row(s)", file=sys.stderr)
    if problems and not args.skip_bad:
        raise InputError(
            f"{args.input}: {len(problems):,} row(s) are not marks (listed above); nothing "
            "was imported: fix them, or pass --skip-bad to import the others"
        )
    ids, present = store.import_marks(marks)
    notes = [f"{present:,} already stored"] if present else []
    notes += [f"{len(problems):,} bad row(s) skipped"] if problems else []
    notes = f" ({'; '.join(notes)})" if notes else ""
    print(printable(f"imported {len(ids):,} mark(s) into {store.display}{notes}"))
    return 0


def _undo(store, args) -> int:
    """Delete the newest mark of the user (``--user``, else :func:`current_user`), or of
    anyone with ``--any``; say whose it was."""
    user = None if args.any else (args.user if args.user is not None else current_user())
    if not args.any and not user:
        raise InputError(
            f"whose mark to undo? give --user NAME (or set ${USER_ENV_VAR}), or --any for "
            "the newest mark of anyone"
        )
    mark = store.undo_last(user=user)
    if mark is not None:
        whose = "" if mark.user else " (a mark stored without a user)"
        print(printable(f"undid {_describe(mark)}{whose}"))
        return 0
    if args.any:
        print(printable(f"no mark to undo in {store.display}"))
        return 0
    others = store.count()
    more = (
        f" ({others:,} mark(s) by others or without a user: --any undoes the newest of "
        "anyone, delete ID a given one)"
        if others
        else ""
    )
    print(printable(f"no mark by {user} to undo in {store.display}{more}"))
    return 0


def _run(store, args) -> int:
    command = args.feedback_command
    if command == "add":
        return _add(store, args)
    if command == "list":
        return _list(store, args)
    if command == "stats":
        return _stats(store, args)
    if command == "delete":
        if not store.delete(args.id):
            raise InputError(f"no mark {args.id} in {store.display} (framing feedback list)")
        print(f"deleted mark {args.id}")
        return 0
    if command == "undo":
        return _undo(store, args)
    if command == "export":
        marks = store.list(head=args.head, user=args.user, oldest_first=True)
        n = write_marks(marks, args.output, fmt=args.output_format)
        print(printable(f"exported {n:,} mark(s) to {args.output}"))
        return 0
    return _import(store, args)


def run(args) -> int:
    """Run ``framing feedback SUBCOMMAND``; the exit code."""
    with open_store(args.db) as store:
        return _run(store, args)
