"""The application: one model, five routes, every refusal one JSON line ``{"error": ...}``.

=================  ==========================================================================
``POST /v1/score``    items (headline and/or body) -> ``{"columns", "rows"}``: the columns
                      ``framing score`` adds (:class:`framing.batch.Scorer`), JSON columns
                      (terms, warnings, frames, techniques) as JSON values; an item's ``id``
                      comes back in its row
``POST /v1/explain``  ``explain(headline, body).to_dict()``
``POST /v1/suggest``  ``suggest(text).to_dict()``
``GET /v1/model``     the heads and the manifest
``GET /healthz``      ``{"status": "ok"}``
=================  ==========================================================================

Limits (:class:`Limits`): the request body (413, see :mod:`framing.serve.guard`), the items
of one request (413) and the characters of one text (413); wrong types, unknown keys,
malformed JSON and empty texts are 422 (400 for a body that is not UTF-8). With a token every
``/v1`` route wants ``Authorization: Bearer TOKEN`` (401 otherwise).

The model's word tables are shared and grow as words are seen, so one request at a time uses
the model (a lock); the routes run in the server's thread pool, so ``/healthz`` answers while
a long article is explained. ``--workers N`` runs N such processes.
"""

from __future__ import annotations

import gc
import hmac
import math
import os
import threading
from dataclasses import asdict, dataclass

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from framing import strict
from framing.batch import MAX_CHARS, ScoreOptions, Scorer
from framing.batch.scorer import prepare_cells
from framing.core.columns import is_json
from framing.core.house_style import read_house_style, with_house_style
from framing.core.model import Model, as_model, resolve_model_path
from framing.errors import FramingError
from framing.explanation import explain
from framing.explanation.results import gc_paused
from framing.rewording import suggest
from framing.serve.guard import BodyGuard, error_body
from framing.serve.schemas import ExplainRequest, ScoreRequest, SuggestRequest

try:
    import orjson
except ImportError:  # the serve extra has it; without it the JSON is written as text
    orjson = None

__all__ = [
    "ApiError",
    "Limits",
    "app_from_env",
    "create_app",
    "score_items",
    "score_json",
    "score_json_text",
]

LIMITS_ENV = "FRAMING_SERVE_LIMITS"
TOKEN_ENV = "FRAMING_TOKEN"
TERMS_ENV = "FRAMING_SERVE_TERMS"  # `framing serve --terms FILE`: the list, read by each worker


@dataclass(frozen=True)
class Limits:
    """What one request may hold."""

    max_request_bytes: int = 10_000_000
    max_items: int = 1_000
    max_chars: int = MAX_CHARS  # one headline, body or text (``framing score --max-chars``)


class ApiError(Exception):
    """A refusal: its HTTP status and one line saying why and what to do."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _dumps(data) -> bytes:
    """JSON of ``data`` (:func:`framing.strict.dumps_bytes`: orjson when installed)."""
    return strict.dumps_bytes(data)


def _json(data, status: int = 200) -> Response:
    body = data if isinstance(data, bytes) else _dumps(data)
    return Response(body, status_code=status, media_type="application/json")


def _check_chars(text: str | None, what: str, limits: Limits) -> None:
    if text is not None and len(text) > limits.max_chars:
        raise ApiError(
            413,
            f"{what} is {len(text):,} characters, over the limit of {limits.max_chars:,} "
            "(framing serve --max-chars)",
        )


def score_items(model: Model, request: ScoreRequest, max_chars: int) -> bytes:
    """The JSON of ``/v1/score``, ``{"columns", "rows"}``: the batch path's columns for the
    items, the text columns being those some item has (as a table with those columns); an
    item's ``id`` first in its row when given."""
    items = request.items
    has_headline = any(it.headline is not None for it in items)
    has_body = any(it.body is not None for it in items)
    options = ScoreOptions(
        headline_col="headline" if has_headline else None,
        body_col="body" if has_body else None,
        top_k=request.top_k,
        threshold=request.threshold,
        max_chars=max_chars,
        frames=request.frames,
        techniques=request.techniques,
        all_techniques=request.all_techniques,
        heads=request.heads,
        outlet_voice=request.outlet_voice,
        check_language=request.check_language,
    )
    scorer = Scorer(model, options)
    texts = prepare_cells(
        [it.headline for it in items] if has_headline else None,
        [it.body for it in items] if has_body else None,
        [None] * len(items),
        options.headline_col,
        options.body_col,
        max_chars,
    )
    scored = scorer.score_texts(*texts)
    return score_json(scored, [it.id for it in items])


def _encoded(name: str, values: list) -> list[str]:
    """Each value of a scored column as JSON text: the JSON columns (terms, warnings,
    frames, techniques) embedded as they are, as ``framing score``'s JSONL output does."""
    if is_json(name):
        return [v if v else "null" for v in values]
    if any(isinstance(v, str) for v in values):
        return [strict.dumps(v, ensure_ascii=False) for v in values]
    return strict.dumps(values, separators=(",", ":"))[1:-1].split(",") if values else []


def _finite(values: list) -> bool:
    return all(math.isfinite(v) for v in values if type(v) is float)


def score_json(scored: dict, ids: list) -> bytes:
    """``{"columns": [...], "rows": [{column: value}, ...]}``: by orjson when it is installed
    and every number is finite (the JSON columns embedded as they are, as fragments), else
    written from the columns as text (non-finite numbers as :mod:`framing.strict` writes
    them)."""
    names = list(scored)
    json_cols = {c for c in names if is_json(c)}
    if orjson is not None and all(_finite(scored[c]) for c in names if c not in json_cols):
        columns = [
            [orjson.Fragment(v) if v else None for v in scored[c]] if c in json_cols else scored[c]
            for c in names
        ]
        rows = []
        for ident, cells in zip(ids, zip(*columns, strict=True), strict=True):
            row = {"id": ident} if ident is not None else {}  # the id first in its row
            row.update(zip(names, cells, strict=True))
            rows.append(row)
        try:
            return strict.dumps_bytes({"columns": names, "rows": rows})
        except TypeError:  # orjson.JSONEncodeError: an id beyond 64 bits
            pass
    return score_json_text(scored, ids)


def score_json_text(scored: dict, ids: list) -> bytes:
    """:func:`score_json` written as text from the columns (no dict per row)."""
    names = list(scored)
    keys = [strict.dumps(c) + ":" for c in names]
    columns = [_encoded(c, scored[c]) for c in names]
    rows = []
    for ident, cells in zip(ids, zip(*columns, strict=True), strict=True):
        body = ",".join(k + v for k, v in zip(keys, cells, strict=True))
        if ident is not None:
            body = '"id":' + strict.dumps(ident, ensure_ascii=False) + "," + body
        rows.append("{" + body + "}")
    text = '{"columns":' + strict.dumps(names) + ',"rows":[' + ",".join(rows) + "]}"
    return text.encode("utf-8")


def _model_info(model: Model, path: str) -> dict:
    heads = {
        name: {
            "unit": h.unit,
            "labels": list(h.labels),
            "threshold": h.threshold,
            "n_features": h.space.n_features,
            "description": h.description,
        }
        for name, h in model.heads.items()
    }
    return {"path": path, "heads": heads, "manifest": model.manifest}


def _one_line(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        ctx = first.get("ctx") or {}
        return 400, f"the request body is not valid JSON ({ctx.get('error', 'malformed')})"
    loc = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or "request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return 422, f"{loc}: {first.get('msg', 'invalid')}{more}"


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return Response(error_body(exc.message), exc.status, media_type="application/json")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and kind != "application/json":
            status, message = (
                415,
                (
                    f"the request's Content-Type is {kind or 'missing'}: send the body as "
                    "JSON with Content-Type: application/json"
                ),
            )
        else:
            status, message = _one_line(exc)
        return Response(error_body(message), status, media_type="application/json")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return Response(
            error_body(str(exc.detail)),
            exc.status_code,
            media_type="application/json",
            headers=getattr(exc, "headers", None),
        )


def _auth(token: str | None):
    expected = f"Bearer {token}".encode() if token else None

    # a coroutine: FastAPI runs a plain function dependency in its thread pool, a hand-off
    # to a thread and back for every request (more than the check itself costs)
    async def check(request: Request) -> None:
        if expected is None:
            return
        given = request.headers.get("authorization", "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            raise ApiError(
                401, "missing or wrong token: send the header Authorization: Bearer TOKEN"
            )

    return check


def create_app(
    model: Model | str | os.PathLike | None = None,
    *,
    token: str | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The API over ``model`` (a :class:`Model`, a model folder, or None for
    ``$FRAMING_MODEL`` / the shipped one); ``token`` guards the ``/v1`` routes."""
    path = "(in memory)" if isinstance(model, Model) else str(resolve_model_path(model))
    model = as_model(model)
    limits = limits or Limits()
    lock = threading.Lock()
    app = FastAPI(
        title="framing",
        summary="Sensational and loaded language in news text, with exact per-word reasons.",
        version="1",
    )
    app.add_middleware(BodyGuard, max_bytes=limits.max_request_bytes)
    _install_errors(app)
    guarded = [Depends(_auth(token))]

    def run(fn, *args) -> bytes:
        """``fn(*args)``, the JSON bytes of a response, made under the model's lock with the
        cyclic garbage collector paused: the many small objects of a result (none in a
        cycle) are made and freed again before it runs, so it never scans them."""
        try:
            with lock, gc_paused():
                return fn(*args)
        except FramingError as exc:
            raise ApiError(422, str(exc)) from None

    @app.get("/healthz", summary="liveness: {'status': 'ok'}")
    def healthz():
        return _json({"status": "ok"})

    @app.get("/v1/model", dependencies=guarded, summary="the model's heads and manifest")
    def model_info():
        return _json(_model_info(model, path))

    @app.post("/v1/score", dependencies=guarded, summary="score items as framing score does")
    def score(request: ScoreRequest):
        if len(request.items) > limits.max_items:
            raise ApiError(
                413,
                f"{len(request.items):,} items, over the limit of {limits.max_items:,} a "
                "request: split them (framing serve --max-items)",
            )
        for i, it in enumerate(request.items):
            _check_chars(it.headline, f"items.{i}.headline", limits)
            _check_chars(it.body, f"items.{i}.body", limits)
        return _json(run(score_items, model, request, limits.max_chars))

    @app.post("/v1/explain", dependencies=guarded, summary="explain(headline, body).to_dict()")
    def explain_route(request: ExplainRequest):
        if not (request.headline or "").strip() and not (request.body or "").strip():
            raise ApiError(422, "nothing to explain: give a non-empty headline and/or body")
        _check_chars(request.headline, "headline", limits)
        _check_chars(request.body, "body", limits)

        def build() -> bytes:
            result = explain(
                request.headline,
                request.body,
                model=model,
                features=request.features,
                sentence_features=request.sentence_features,
                all_techniques=request.all_techniques,
            )
            return _dumps(result.to_dict())

        return _json(run(build))

    @app.post("/v1/suggest", dependencies=guarded, summary="suggest(text).to_dict()")
    def suggest_route(request: SuggestRequest):
        if not request.text.strip():
            raise ApiError(422, "nothing to reword: text is empty")
        _check_chars(request.text, "text", limits)
        return _json(run(lambda: _dumps(suggest(request.text, model, kind=request.kind).to_dict())))

    return app


def app_from_env() -> FastAPI:
    """The application ``framing serve`` starts in each worker process: the model from
    ``$FRAMING_MODEL`` (with the house-style list of ``$FRAMING_SERVE_TERMS``), the token
    from ``$FRAMING_TOKEN``, the limits from ``$FRAMING_SERVE_LIMITS`` (JSON of
    :class:`Limits`)."""
    raw = os.environ.get(LIMITS_ENV)
    limits = Limits(**strict.loads(raw)) if raw else Limits()
    terms = os.environ.get(TERMS_ENV)
    model = with_house_style(as_model(None), read_house_style(terms)) if terms else None
    app = create_app(model, token=os.environ.get(TOKEN_ENV) or None, limits=limits)
    # the model and the server's modules are loaded for good: out of the cyclic garbage
    # collector's view (a full collection would otherwise walk the model's word tables and
    # feature names, about 0.2 s, in the middle of a request)
    gc.freeze()
    return app


def limits_json(limits: Limits) -> str:
    """``$FRAMING_SERVE_LIMITS`` for :func:`app_from_env`."""
    return strict.dumps(asdict(limits))
