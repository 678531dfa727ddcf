"""``framing info``: the model, its heads, manifest and figures."""

from __future__ import annotations

from framing.cli.common import printable, safe_json
from framing.core.model import SUMMARY_METRICS, load_model, resolve_model_path
from framing.errors import InputError
from framing.feedback import resolve_location

__all__ = ["add_parser", "feedback_database", "run"]


def add_parser(sub, common) -> None:
    """The ``info`` command's options."""
    p = sub.add_parser("info", parents=[common], help="the model, its manifest and figures")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=run)


def _dict(value) -> dict:
    """``value`` when it is a dict, else empty (a manifest edited by hand may hold anything)."""
    return value if isinstance(value, dict) else {}


def _figure(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.3f}"
    return repr(value)


def _headline_metrics(manifest: dict) -> list[str]:
    out = []
    for name, m in sorted(_dict(manifest.get("metrics")).items()):
        ours, plain = _dict(_dict(m).get("ours")), _dict(_dict(m).get("plain"))
        figs = []
        for k in SUMMARY_METRICS:
            if k in ours:
                fig = f"{k} {_figure(ours[k])}"
                if k in plain:
                    fig += f" (plain {_figure(plain[k])})"
                figs.append(fig)
        n = ours.get("n")
        out.append(f"  {name}: {', '.join(figs)}" + (f"  [n={n}]" if n else ""))
    return out


def feedback_database() -> str:
    """Where ``framing feedback`` keeps marks, password masked (the database is not opened)."""
    try:
        location = resolve_location(None)
    except InputError as exc:
        return f"unusable: {exc}"
    return f"{location.display} ({location.source})"


def run(args) -> int:
    """Run ``framing info``; the exit code."""
    path = resolve_model_path(args.model)
    model = load_model(args.model)
    m = model.manifest
    if args.json:
        doc = {"path": str(path), "manifest": m, "feedback_database": feedback_database()}
        print(safe_json(doc, indent=2, sort_keys=True, default=str))
        return 0
    art = _dict(m.get("artifact"))
    size = art.get("bytes", 0)
    size = f"{size:,}" if isinstance(size, int) else repr(size)
    lines = [
        f"model: {path}",
        f"artifact: {size} bytes, sha256 {str(art.get('sha256', '?'))[:16]}..., "
        f"format {m.get('format_version')}",
        "heads:",
    ]
    warned = _dict(m.get("head_warnings"))
    for name, h in model.heads.items():
        lines.append(
            f"  {name}: unit {h.unit}, {h.space.n_features:,} features, threshold "
            f"{h.threshold:.2f}" + (f" - {h.description}" if h.description else "")
        )
        lines += [f"    warning: {w}" for w in warned.get(name, ()) if isinstance(w, str)]
    libs = _dict(m.get("libraries"))
    if libs:
        lines.append("trained with: " + ", ".join(f"{k} {v}" for k, v in sorted(libs.items())))
    metrics = _headline_metrics(m)
    if metrics:
        lines.append("evaluation (see MODEL_CARD.md for protocols):")
        lines += metrics
    card = path.with_name("MODEL_CARD.md")
    if card.is_file():
        lines.append(f"model card: {card}")
    lines.append(f"feedback database: {feedback_database()}")
    print("\n".join(printable(line) for line in lines))
    return 0
