"""Retraining from readers' corrections, end to end (``framing train --feedback``).

The ``loaded`` head is refitted with the marks folded in (:mod:`framing.training.feedback`)
from its cached training design (:mod:`framing.training.design_cache`): the fast path reads
the design and the Platt scaling fitted on it, and fits the logistic regression once with
the marks (and once more without the held-out ones, to evaluate). The other heads come from
the base model unchanged. Unless told not to, the shared protocols are run before and after
(:mod:`framing.training.feedback_protocols`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from framing.core.model import Model, load_model
from framing.errors import InputError
from framing.feedback import mask_url
from framing.training import feedback, recipes
from framing.training.binary import datasets
from framing.training.binary.runs import Log, _stderr_log, default_data, write_model
from framing.training.design import (
    Design,
    Linear,
    calibrated_head,
    fast_model,
    fit_design,
    head_design,
    platt_scaling,
    raw_model,
)
from framing.training.design_cache import (
    design_key,
    load_design,
    recall_files,
    remember_files,
    store_design,
)

__all__ = [
    "Cached",
    "FeedbackOptions",
    "corrections",
    "loaded_design",
    "options_from",
    "printable_source",
    "refit",
    "retrain_with_feedback",
    "run_feedback",
    "user_design",
]


class FeedbackOptions:
    """How marks enter a head: word and unit weights, the hold-out share, recalibration,
    and whether loaded-terms entries the marks contradict leave the head's list
    (``correct_list``, :func:`framing.training.feedback.corrected_entries`)."""

    def __init__(
        self,
        word_weight: float = feedback.WORD_WEIGHT,
        unit_weight: float = feedback.UNIT_WEIGHT,
        holdout: float = feedback.HOLDOUT_SHARE,
        full_refit: bool = False,
        correct_list: bool = True,
    ):
        for name, v in (("word", word_weight), ("unit", unit_weight)):
            if not v > 0:
                raise InputError(f"--feedback-{name}-weight {v}: give a positive number")
        self.word_weight = float(word_weight)
        self.unit_weight = float(unit_weight)
        self.holdout = float(holdout)
        self.full_refit = full_refit
        self.correct_list = correct_list


def corrections(cached: Cached, marks, opts: FeedbackOptions) -> dict[str, tuple[int, int]]:
    """The entries of the head's loaded-terms list the marks correct (none when the head
    has no such list or ``opts.correct_list`` is off)."""
    terms = cached.design.space.lexicons().get(feedback.TERMS_LEXICON, {})
    if not opts.correct_list or not terms:
        return {}
    return feedback.corrected_entries(marks, terms, head=cached.design.name)


def _cached(key: str, name: str, build, log: Log) -> Cached:
    hit = load_design(key, name)
    if hit is not None and hit[1] is not None and hit[2] is not None:
        log(f"training design of {name!r} read from the cache ({key[:12]})")
        return Cached(*hit)
    t = time.perf_counter()
    log(f"computing the training design of {name!r} (cached afterwards) ...")
    design = build()
    platt = platt_scaling(design)
    start = raw_model(design)
    start = Linear(start.coef_[0], start.intercept_[0])
    store_design(key, design, platt, start)
    log(f"  design, its Platt scaling and its optimum computed in {time.perf_counter() - t:.0f} s")
    return Cached(design, platt, start)


@dataclass
class Cached:
    """A head's training design, the Platt scaling fitted on it and its uncalibrated optimum."""

    design: Design
    platt: tuple[float, float]
    start: Linear


def loaded_design(data_dir: Path, *, sample: int | None = None, log: Log = _stderr_log):
    """The shipped ``loaded`` head's design (as
    :func:`framing.training.binary.runs.train_default_model` fits it), its Platt scaling
    and optimum (:class:`Cached`), from the cache when its data files and code match; and a
    function returning the data (read once, when first asked: a cached design needs only
    the files' fingerprints)."""
    data: dict = {}

    def get_data():
        if "d" not in data:
            data["d"] = default_data(data_dir, sample)
        return data["d"]

    tag = f"loaded|{Path(data_dir).resolve()}|{sample}"
    files = recall_files(tag)
    if files is not None:
        key = design_key("loaded", datasets.fingerprint(files), recipes.SEED, {"sample": sample})
        hit = load_design(key, "loaded")
        if hit is not None and hit[1] is not None and hit[2] is not None:
            log(f"training design of 'loaded' read from the cache ({key[:12]})")
            return Cached(*hit), get_data
    d = get_data()
    remember_files(tag, d.files)
    key = design_key("loaded", datasets.fingerprint(d.files), recipes.SEED, {"sample": sample})

    def build():
        return head_design(
            "loaded",
            d.babe + d.ptc_train + d.ptc_dev + d.anno,
            recipes.loaded_recipe(d.ld_lex),
            seed=recipes.SEED,
            augment=recipes.loaded_contrast(d.pools["train"]),
            learn=recipes.loaded_learn,
        )

    return _cached(key, "loaded", build, log), get_data


def user_design(path: Path, head: str, *, text_col="text", label_col="label", log=_stderr_log):
    """The design of a head trained on a user's labelled file (as ``--user-data``)."""
    path = Path(path)
    records = datasets.read_user_path(path, text_col, label_col, log)
    recipe = recipes.user_recipe()
    fp = {path.name: datasets.fingerprint([path])[f"{path.parent.name}/{path.name}"]}
    extra = {"cols": [text_col, label_col], "recipe": recipe.describe()}
    key = design_key(head, fp, recipes.SEED, extra)
    return _cached(key, head, lambda: head_design(head, records, recipe, seed=0), log)


def refit(cached: Cached, marks, opts: FeedbackOptions, base_head=None):
    """The head of ``cached`` with ``marks`` folded in: the fast refit (the weights of the
    marks' features, from the cached optimum; the cached Platt scaling),
    or with ``opts.full_refit`` every weight and the Platt scaling fitted cold (four fits,
    what :func:`framing.training.binary.fit.fit_head` gives with the marks as training rows).
    The head's loaded-terms list is the list as corrected by the marks (:func:`corrections`:
    an entry they contradict leaves the lexicon; every weight keeps its meaning)."""
    design = cached.design
    rows = feedback.mark_rows(
        design, marks, word_weight=opts.word_weight, unit_weight=opts.unit_weight
    )
    kw = {
        "unit": base_head.unit if base_head else "text",
        "description": base_head.description if base_head else "",
    }
    if opts.full_refit:
        head = fit_design(design, rows, **kw)
    else:
        clf = fast_model(design, rows, cached.start) if len(rows) else cached.start
        head = calibrated_head(design, clf, cached.platt, **kw)
    corrected = corrections(cached, marks, opts)
    return head.with_space(feedback.corrected_space(head.space, corrected)) if corrected else head


def retrain_with_feedback(
    marks: Sequence,
    source: str,
    out: Path,
    *,
    base_model: str | None = None,
    cached: Cached,
    data=None,
    opts: FeedbackOptions | None = None,
    evaluate: bool = True,
    n_jobs: int = 2,
    log: Log = _stderr_log,
) -> Model:
    """Refit ``design``'s head with ``marks`` folded in, evaluate (held-out marks; with
    ``data``, the shared protocols) and write the model and its card into ``out``.

    ``data`` is a function returning the public data (:func:`loaded_design`'s), for the
    shared protocols. ``source`` names where the marks came from (shown in the card;
    passwords never reach it: give the printable form). The head before is the base
    model's head of that name, or (a new head) the design's head without marks."""
    from framing.training.binary import card
    from framing.training.feedback_protocols import protocols_before_after

    opts = opts or FeedbackOptions()
    base = load_model(base_model)
    name = cached.design.name
    fs = feedback.split_by_time(marks, head=name, share=opts.holdout)
    if not fs.all:
        raise InputError(f"{source}: no marks about the {name!r} head; nothing to learn from")
    t0 = time.perf_counter()
    before = base.heads.get(name) or refit(cached, [], opts)
    info: dict = {"heldout": {}, "protocols": {}}
    if fs.heldout:
        log(f"fitting {name!r} on {len(fs.train)} marks, {len(fs.heldout)} held out ...")
        evaluation = refit(cached, fs.train, opts, before)
        info["heldout"] = feedback.heldout_figures(before, evaluation, fs.heldout)
    log(f"fitting {name!r} with all {len(fs.all)} marks ...")
    head = refit(cached, fs.all, opts, before)
    refit_s = round(time.perf_counter() - t0, 1)
    if evaluate and data is not None and name == "loaded":
        info["protocols"] = protocols_before_after(data(), fs.all, opts, n_jobs=n_jobs, log=log)
    info.update(
        head=name,
        source=source,
        trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
        n_marks=len(fs.all),
        n_train=len(fs.train),
        n_heldout=len(fs.heldout),
        n_word=sum(m.start is not None for m in fs.all),
        n_unit=sum(m.start is None for m in fs.all),
        ignored=fs.ignored,
        corrected_entries={k: list(v) for k, v in corrections(cached, fs.all, opts).items()},
        fingerprint=fs.fingerprint,
        word_weight=opts.word_weight,
        unit_weight=opts.unit_weight,
        holdout_share=opts.holdout,
        full_refit=opts.full_refit,
        correct_list=opts.correct_list,
        refit_seconds=refit_s,
        fast=not opts.full_refit,
    )
    manifest = dict(base.manifest)
    manifest.pop("artifact", None)
    manifest["feedback"] = info
    model = Model({**base.heads, name: head}, manifest)
    write_model(model, out)
    model = load_model(out)  # the manifest now holds the artifact's hash
    (Path(out) / "MODEL_CARD.md").write_text(card.render(model) + "\n" + card_section(info))
    log(f"refit with the marks in {refit_s} s")
    return model


def card_section(info: dict) -> str:
    """The card section (see :func:`framing.training.feedback.card_section`)."""
    return feedback.card_section(info)


def printable_source(source: str) -> str:
    """``source`` as the card and the log show it: a URL's password replaced by ``***``."""
    return mask_url(str(source))


def options_from(args) -> FeedbackOptions:
    """The :class:`FeedbackOptions` of parsed ``--feedback-*`` options (unset: defaults)."""
    given = {
        "word_weight": args.feedback_word_weight,
        "unit_weight": args.feedback_unit_weight,
        "holdout": args.feedback_holdout,
    }
    return FeedbackOptions(
        **{k: v for k, v in given.items() if v is not None},
        full_refit=args.full_refit,
        correct_list=not getattr(args, "feedback_keep_list", False),
    )


def run_feedback(args, out: Path, *, base_model: str | None, log: Log = _stderr_log) -> Model:
    """``framing train --feedback`` and ``training/train.py --feedback`` (parsed options):
    the ``loaded`` head of the base model, or with ``--user-data`` a head trained on the
    user's file (``--head``), refitted with the marks and written into ``out``."""
    opts = options_from(args)
    marks = feedback.load_marks(args.feedback)
    data = None
    if args.user_data:
        if not args.head:
            raise InputError("--user-data needs --head NAME (the head the marks are about)")
        cached = user_design(
            Path(args.user_data),
            args.head,
            text_col=args.text_col,
            label_col=args.label_col,
            log=log,
        )
    else:
        if args.head and args.head != "loaded":
            raise InputError("--feedback retrains the loaded head (or --head with --user-data)")
        data_dir = datasets.resolve_data_dir(args.data_dir)
        cached, data = loaded_design(data_dir, sample=args.sample, log=log)
    return retrain_with_feedback(
        marks,
        printable_source(args.feedback),
        out,
        base_model=base_model,
        cached=cached,
        data=data,
        opts=opts,
        evaluate=not args.skip_eval,
        n_jobs=args.jobs,
        log=log,
    )
