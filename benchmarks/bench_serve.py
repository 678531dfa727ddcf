"""Benchmark of ``framing serve``: prints figures (never asserts them).

    python benchmarks/bench_serve.py [--workers 1] [--rounds 3] [--batches 12]

Starts a real ``framing serve`` on a free port of 127.0.0.1 (stopped by its pid at the end)
and measures, each against the same work in this process, in one run:

* rows/s of 8 concurrent clients sending batches of 100 headlines to ``/v1/score`` vs the
  batch path in process (``framing.batch.Scorer`` on the same batches, the work
  ``/v1/score`` does) and vs ``framing.score()`` of one head (per round; the median ratio);
  and the same for the one-head request (``ONE_HEAD``: the work ``score()`` does, one
  head's probability and label) vs ``score()`` and vs the batch path with those options,
  its probabilities checked equal to ``score()``'s.
  The clients are threads of this process (the server is another), each with its own
  keep-alive httpx connection; request bodies are encoded before the clock starts (the data
  a client holds) and each response is parsed (orjson) before the next request;
* median latency of ``/v1/explain`` on 1,000-word articles (request sent to response body
  received; also with the client's parse of it) vs ``explain()`` in process and vs
  ``explain().to_dict()`` (the dict the response is), word caches warm on both sides; and
  the same request by a second client, ``http.client`` (reads the body in one call, where
  httpx parses it in chunks in Python): the server's own cost, less the client's;
* 8 concurrent clients x 500 requests (``/v1/score`` of 1-3 headlines and ``/v1/explain``
  of a headline, every payload different): the share of responses equal to the in-process
  result (none lost, none mixed up).

The load is bounded: 8 clients, at most ``--batches`` batches each per round, 4,000 small
requests. Texts come from the public data when present, else synthetic (see
``common.sentence_pool``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import orjson
from common import article, sentence_pool

from framing import explain, load_model, score
from framing.batch import ScoreOptions, Scorer
from framing.batch.scorer import prepare_cells
from framing.serve.api import score_items
from framing.serve.schemas import ScoreRequest

REPO = Path(__file__).resolve().parents[1]
CLIENTS = 8
JSON = {"content-type": "application/json"}


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("FRAMING_TOKEN", None)
    cmd = [sys.executable, "-m", "framing", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd + ["--workers", str(workers)], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("framing serve did not start")


# the request of a client that needs what framing.score() gives: one head's probability
# and label (no terms, no outlet-voice score, no language check)
ONE_HEAD = {"heads": ["clickbait"], "top_k": 0, "outlet_voice": False, "check_language": False}


def in_process_rows(model, batches: list[list[str]], **options) -> float:
    scorer = Scorer(model, ScoreOptions(headline_col="headline", max_chars=100_000, **options))
    t = time.perf_counter()
    for batch in batches:
        scorer.score_texts(
            *prepare_cells(batch, None, [None] * len(batch), "headline", None, 100_000)
        )
    return sum(map(len, batches)) / (time.perf_counter() - t)


def http_rows(url: str, batches: list[list[str]], options: dict | None = None, check=None):
    """Rows/s of 8 clients (threads of this process, one keep-alive connection each) posting
    the batches, request bodies encoded before the clock starts (the data a client holds),
    each response parsed (orjson) before the next request; and, with ``check`` (a function
    of a batch's number and its parsed response giving its rows found right), the total of
    those (responses are not kept: a client holding them all would slow itself down)."""
    extra = options or {}
    payloads = [orjson.dumps({"items": [{"headline": h} for h in b], **extra}) for b in batches]

    def client(c):
        right = 0
        with httpx.Client(timeout=120) as http:
            for k in range(c, len(payloads), CLIENTS):
                r = http.post(url + "/v1/score", content=payloads[k], headers=JSON)
                r.raise_for_status()
                parsed = orjson.loads(r.content)
                if check is not None:
                    right += check(k, parsed)
                # freed before the next request, not kept while it runs: objects that
                # outlive a request set off the client's garbage collector, which then
                # walks the whole of this process (the model, the in-process side's tables)
                del parsed
        return right

    t = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        right = sum(pool.map(client, range(CLIENTS)))
    return sum(map(len, batches)) / (time.perf_counter() - t), right


def score_rows(model, batches: list[list[str]]) -> tuple[float, list]:
    t = time.perf_counter()
    out = [score(batch, head="clickbait", model=model) for batch in batches]
    return sum(map(len, batches)) / (time.perf_counter() - t), out


def same_as(expected: list):
    """``check`` for :func:`http_rows`: a response's rows whose one-head probability is
    score()'s in ``expected`` (to the 6 decimals of the JSON), unmarked."""
    lists = [probs.tolist() for probs in expected]

    def check(k: int, response: dict) -> int:
        return sum(
            abs(row["clickbait_probability"] - p) <= 5e-7 and row["error"] is None
            for row, p in zip(response["rows"], lists[k], strict=True)
        )

    return check


def throughput(url, model, headlines, rounds: int, n_batches: int) -> None:
    """The default request's rounds first (as before the one-head request existed), then the
    one-head request's: the in-process scorer with its options keeps word tables of its own
    in this process, where the clients run, and would slow the default rounds' clients."""
    rng = random.Random(0)
    per_round = CLIENTS * n_batches
    drawn = [[rng.sample(headlines, 100) for _ in range(per_round)] for _ in range(rounds)]
    ratios, score_ratios = [], []
    for r, batches in enumerate(drawn):
        http_rows(url, batches[:CLIENTS])  # warm the server's word tables on other rows too
        in_process_rows(model, batches[:CLIENTS])
        inproc = in_process_rows(model, batches)
        plain, _ = score_rows(model, batches)
        served, _ = http_rows(url, batches)
        ratios.append(served / inproc)
        score_ratios.append(served / plain)
        print(
            f"  round {r + 1}: HTTP {served:,.0f} rows/s, in-process batch path {inproc:,.0f} "
            f"rows/s ({served / inproc:.2f}x), framing.score() one head {plain:,.0f} rows/s "
            f"({served / plain:.2f}x)"
        )
    print(
        f"throughput, {CLIENTS} clients x batches of 100 headlines, the default request (every "
        f"head, terms, outlet voice, language): HTTP / in-process batch path = "
        f"{statistics.median(ratios):.2f}x (median of {rounds}); HTTP / score() = "
        f"{statistics.median(score_ratios):.2f}x  [goal >= 0.7x]"
    )
    one_ratios, one_batch_ratios = [], []
    same = total = 0
    for r, batches in enumerate(drawn):
        in_process_rows(model, batches[:CLIENTS], **ONE_HEAD)
        one_inproc = in_process_rows(model, batches, **ONE_HEAD)
        plain, expected = score_rows(model, batches)
        one, right = http_rows(url, batches, ONE_HEAD, same_as(expected))
        same, total = same + right, total + sum(map(len, batches))
        one_ratios.append(one / plain)
        one_batch_ratios.append(one / one_inproc)
        print(
            f"  round {r + 1}: one head: HTTP {one:,.0f} rows/s, framing.score() one head "
            f"{plain:,.0f} rows/s ({one / plain:.2f}x), in-process batch path with the same "
            f"options {one_inproc:,.0f} rows/s ({one / one_inproc:.2f}x)"
        )
    print(
        f"throughput, the one-head request {orjson.dumps(ONE_HEAD).decode()}: HTTP / score() = "
        f"{statistics.median(one_ratios):.2f}x (median of {rounds})  [goal >= 0.7x]; HTTP / "
        f"in-process batch path = {statistics.median(one_batch_ratios):.2f}x; probabilities "
        f"equal to score()'s: {same}/{total}"
    )


def latency(url, model, bodies: list[str]) -> None:
    headline = "Officials respond to the report"
    http_ms, parsed_ms, raw_ms, lib_ms, dict_ms = [], [], [], [], []
    # a second client: the standard library's, which reads the body in one call (httpx
    # parses it in chunks in Python), to tell the server's cost from this client's
    where = urlsplit(url)
    raw = http.client.HTTPConnection(where.hostname, where.port, timeout=120)
    with httpx.Client(timeout=120) as http_client:
        for warm in (True, False):
            for body in bodies:
                payload = orjson.dumps({"headline": headline, "body": body})
                t = time.perf_counter()
                r = http_client.post(url + "/v1/explain", content=payload, headers=JSON)
                h = time.perf_counter() - t  # the whole response received
                orjson.loads(r.content)
                p = time.perf_counter() - t  # and parsed by the client (orjson)
                t = time.perf_counter()
                raw.request("POST", "/v1/explain", body=payload, headers=JSON)
                same = raw.getresponse().read() == r.content
                c = time.perf_counter() - t
                assert same, "the two clients got different responses"
                t = time.perf_counter()
                res = explain(headline, body, model=model)
                e = time.perf_counter() - t
                res.to_dict()
                d = time.perf_counter() - t
                if not warm:
                    http_ms.append(h * 1e3)
                    parsed_ms.append(p * 1e3)
                    raw_ms.append(c * 1e3)
                    lib_ms.append(e * 1e3)
                    dict_ms.append(d * 1e3)
    raw.close()
    h, p, c, e, d = (statistics.median(x) for x in (http_ms, parsed_ms, raw_ms, lib_ms, dict_ms))
    print(
        f"explain of a 1,000-word article ({len(bodies)} articles, warm): HTTP median {h:.1f} ms, "
        f"explain() {e:.1f} ms ({h / e:.2f}x), explain().to_dict() {d:.1f} ms ({h / d:.2f}x)  "
        f"[goal <= 1.5x]; with the client's parse of the response (orjson) {p:.1f} ms "
        f"({p / e:.2f}x explain()); by http.client (the server's cost) {c:.1f} ms "
        f"({c / e:.2f}x explain())"
    )


def _payloads(headlines: list[str], n: int) -> list[tuple[str, dict]]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        if i % 5 == 4:
            out.append(("/v1/explain", {"headline": rng.choice(headlines)}))
        else:
            items = [{"headline": h, "id": i} for h in rng.sample(headlines, rng.randint(1, 3))]
            out.append(("/v1/score", {"items": items}))
    return out


def equality(url, model, headlines: list[str], per_client: int) -> None:
    payloads = _payloads(headlines, CLIENTS * per_client)
    expected = []
    for route, p in payloads:
        if route == "/v1/score":
            expected.append(json.loads(score_items(model, ScoreRequest.model_validate(p), 100_000)))
        else:
            expected.append(explain(p["headline"], model=model).to_dict())
    expected = [json.loads(json.dumps(e)) for e in expected]

    def client(c):
        same = 0
        with httpx.Client(timeout=120) as http:
            for k in range(c, len(payloads), CLIENTS):
                route, p = payloads[k]
                r = http.post(url + route, json=p)
                same += r.status_code == 200 and r.json() == expected[k]
        return same

    t = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        same = sum(pool.map(client, range(CLIENTS)))
    print(
        f"{CLIENTS} clients x {per_client} requests: {same}/{len(payloads)} responses equal to "
        f"the in-process result ({same / len(payloads):.1%}; {time.perf_counter() - t:.1f} s)  "
        "[goal 100%]"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=1, help="framing serve --workers")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batches", type=int, default=12, help="batches of 100 per client a round")
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--requests", type=int, default=500, help="per client, equality check")
    args = ap.parse_args()
    sentences, headlines = sentence_pool()
    rng = random.Random(2)
    bodies = [article(sentences, 1000, rng) for _ in range(args.articles)]
    model = load_model()
    proc, url = start_server(args.workers)
    try:
        print(f"framing serve --workers {args.workers}; load average {os.getloadavg()[0]:.1f}")
        throughput(url, model, headlines, args.rounds, args.batches)
        latency(url, model, bodies)
        equality(url, model, headlines, args.requests)
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
