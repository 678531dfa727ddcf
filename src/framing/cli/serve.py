"""``framing serve``: the HTTP API (:mod:`framing.serve`) on uvicorn.

Binds 127.0.0.1 unless ``--host`` says otherwise; ``--token`` (or ``$FRAMING_TOKEN``) asks
every ``/v1`` request for ``Authorization: Bearer TOKEN``; ``--workers N`` runs N processes.
The model is loaded (and checked) here first, so a bad ``--model`` is one error line.
"""

from __future__ import annotations

import os

from framing.batch import MAX_CHARS
from framing.cli.terms import add_terms, load_cli_model
from framing.core.model import resolve_model_path
from framing.errors import InputError, OptionError, require_at_least

__all__ = ["add_parser", "run"]


def add_parser(sub, common) -> None:
    """The ``serve`` command's options."""
    p = sub.add_parser("serve", parents=[common], help="an HTTP API (docs at /docs)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--token", help="bearer token the /v1 routes ask for ($FRAMING_TOKEN)")
    p.add_argument(
        "--max-request-bytes", type=int, default=10_000_000, help="request body (default 10 MB)"
    )
    p.add_argument("--max-items", type=int, default=1_000, help="items per /v1/score request")
    p.add_argument(
        "--max-chars",
        type=int,
        default=MAX_CHARS,
        help=f"characters of one text (default {MAX_CHARS})",
    )
    p.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug", "trace"),
        help="uvicorn's log level (default warning; info logs every request)",
    )
    add_terms(p)
    p.set_defaults(func=run)


def run(args) -> int:
    """Run ``framing serve`` until interrupted; the exit code."""
    try:
        import uvicorn

        from framing.serve.api import LIMITS_ENV, TERMS_ENV, TOKEN_ENV, Limits, limits_json
    except ImportError as exc:
        raise InputError(
            f"framing serve needs FastAPI and uvicorn ({exc.name} is missing): "
            'pip install "framing[serve]"'
        ) from None
    try:
        for name in ("workers", "max_request_bytes", "max_items", "max_chars"):
            require_at_least(name, getattr(args, name))
    except OptionError as exc:
        raise exc.as_flags() from None
    if not 0 <= args.port <= 65535:
        raise InputError("--port must be between 0 and 65535")
    load_cli_model(args)  # a bad model or terms list is one error line, before any worker
    os.environ["FRAMING_MODEL"] = str(resolve_model_path(args.model))
    if args.terms:
        os.environ[TERMS_ENV] = os.path.abspath(args.terms)
    token = args.token or os.environ.get(TOKEN_ENV)
    if token:
        os.environ[TOKEN_ENV] = token
    limits = Limits(args.max_request_bytes, args.max_items, args.max_chars)
    os.environ[LIMITS_ENV] = limits_json(limits)
    uvicorn.run(
        "framing.serve.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        # a line per request only when the level shows it (no logging call per request else)
        access_log=args.log_level in ("info", "debug", "trace"),
    )
    return 0
