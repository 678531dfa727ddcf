"""``framing serve`` as a client meets it: a real server process on a free port of
127.0.0.1 (stopped by its pid), and httpx.

Responses are compared with the library in this process (``explain().to_dict()``,
``suggest().to_dict()``) and with ``framing score``'s JSONL output on the same items.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from framing import explain, load_model, suggest
from framing.cli import main

httpx = pytest.importorskip("httpx", reason='httpx is missing: pip install "framing[serve]"')

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running ``framing serve``: its base URL and process."""

    def __init__(self, *args: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "framing", "serve", "--port", str(self.port), *args]
        full_env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        full_env.pop("FRAMING_TOKEN", None)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._wait()

    def _wait(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode("utf-8", "replace")
                raise RuntimeError(f"framing serve ended ({self.proc.returncode}): {out}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("framing serve did not answer within 60 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # by its pid: uvicorn stops its workers on SIGTERM
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


def need_serve_packages() -> None:
    for name in ("fastapi", "uvicorn", "httpx"):
        pytest.importorskip(name, reason=f'{name} is missing: pip install "framing[serve]"')


@pytest.fixture(scope="module")
def server():
    need_serve_packages()
    srv = Server("--max-items", "50", "--max-chars", "5000", "--max-request-bytes", "200000")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def start_server():
    """Start more servers (``start_server(*args, env=...)``); all stopped at the end."""
    need_serve_packages()
    started: list[Server] = []

    def start(*args: str, env: dict | None = None) -> Server:
        started.append(Server(*args, env=env))
        return started[-1]

    try:
        yield start
    finally:
        for srv in started:
            srv.stop()


ITEMS = [
    {"headline": "You won't believe what this despot did next", "body": None},
    {"headline": "Central bank holds rates", "body": "The despot lied.\n\nIt was chilling."},
    {"headline": None, "body": 'He called it "a shameful farce". Officials said little.'},
    {"headline": "", "body": ""},
    {"headline": "Élection : le président parle", "body": None},
]


def _roundtrip(data):
    return json.loads(json.dumps(data))


def test_healthz_and_docs(server):
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = httpx.get(server.url + "/openapi.json").json()
    assert {"/v1/score", "/v1/explain", "/v1/suggest", "/v1/model", "/healthz"} <= set(
        spec["paths"]
    )


def test_score_gives_the_batch_path_columns_and_values(server, tmp_path):
    items = [{**it, "id": i} for i, it in enumerate(ITEMS)]
    r = httpx.post(server.url + "/v1/score", json={"items": items})
    assert r.status_code == 200, r.text
    got = r.json()
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(
        "".join(
            json.dumps({"headline": it["headline"] or "", "body": it["body"] or ""}) + "\n"
            for it in ITEMS
        ),
        encoding="utf-8",
    )
    assert main(["score", str(src), "-o", str(out), "-q"]) == 0
    expected = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(got["rows"]) == len(expected)
    for i, (row, exp) in enumerate(zip(got["rows"], expected, strict=True)):
        assert row.pop("id") == i
        assert row == {c: exp[c] for c in got["columns"]}
    assert got["rows"][3]["error"].startswith("empty text")
    assert set(got["columns"]) == set(expected[0]) - {"headline", "body"}


def test_score_of_headlines_only_has_the_headline_columns(server):
    got = httpx.post(server.url + "/v1/score", json={"items": [{"headline": "Rates held"}]})
    assert not any(c.startswith("body_") for c in got.json()["columns"])


def test_a_client_asks_for_one_head_and_pays_for_one(server):
    items = [{"headline": it["headline"], "body": it["body"]} for it in ITEMS]
    full = httpx.post(server.url + "/v1/score", json={"items": items}).json()
    light = {"heads": ["clickbait"], "top_k": 0, "outlet_voice": False, "check_language": False}
    r = httpx.post(server.url + "/v1/score", json={"items": items, **light})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["columns"] == ["clickbait_probability", "clickbait_label", "warnings", "error"]
    for row, whole in zip(got["rows"], full["rows"], strict=True):
        assert row["clickbait_probability"] == whole["clickbait_probability"]
    # the French headline: labelled without the language check, withheld with it
    assert full["rows"][4]["clickbait_label"] is None
    assert got["rows"][4]["clickbait_label"] in (0, 1)
    spec = httpx.get(server.url + "/openapi.json").json()
    fields = spec["components"]["schemas"]["ScoreRequest"]["properties"]
    assert {"heads", "outlet_voice", "check_language"} <= set(fields)
    assert "clickbait" in json.dumps(fields["heads"])
    for heads, reason in (([], "heads: List should have at least 1 item"), (["frame"], "'frame'")):
        r = httpx.post(server.url + "/v1/score", json={"items": items, "heads": heads})
        assert r.status_code == 422 and reason in r.json()["error"], r.text


def test_explain_and_suggest_are_the_library_json(server):
    model = load_model()
    body = "The despot lied.\n\nREAD MORE: Ten chilling photos\n\nIt was chilling."
    payload = {"headline": "Despot slams talks", "body": body}
    r = httpx.post(server.url + "/v1/explain", json=payload)
    assert r.status_code == 200
    assert r.json() == _roundtrip(explain("Despot slams talks", body, model=model).to_dict())
    r = httpx.post(server.url + "/v1/suggest", json={"text": "Despot slams talks"})
    assert r.json() == _roundtrip(suggest("Despot slams talks", model).to_dict())
    info = httpx.get(server.url + "/v1/model").json()
    assert set(info["heads"]) == set(model.heads)
    assert info["manifest"] == _roundtrip(model.manifest)


BAD = [
    ("oversized body", dict(content=b'{"items": [' + b" " * 300_000 + b"]}"), 413, "bytes"),
    ("too many items", dict(json={"items": [{"headline": "a"}] * 51}), 413, "items"),
    ("text too long", dict(json={"items": [{"headline": "a " * 3000}]}), 413, "characters"),
    ("malformed JSON", dict(content=b'{"items": [', headers={}), 400, "not valid JSON"),
    ("not UTF-8", dict(content=b'{"items": [{"headline": "\xff\xfe"}]}'), 400, "UTF-8"),
    ("wrong type", dict(json={"items": [{"headline": 3}]}), 422, "items.0.headline"),
    ("unknown key", dict(json={"items": [{"headlnie": "a"}]}), 422, "headlnie"),
    ("not a list", dict(json={"items": "a headline"}), 422, "items"),
    ("top_k out of range", dict(json={"items": [], "top_k": -1}), 422, "top_k"),
]


@pytest.mark.parametrize(("case", "request_args", "status", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_requests_get_a_4xx_with_a_reason_and_the_server_keeps_serving(
    server, case, request_args, status, reason
):
    args = dict(request_args)
    if "content" in args:
        args["headers"] = {"content-type": "application/json"}
    r = httpx.post(server.url + "/v1/score", **args)
    assert r.status_code == status, r.text
    message = r.json()["error"]
    assert reason in message and "\n" not in message
    ok = httpx.post(server.url + "/v1/score", json={"items": [{"headline": "Rates held"}]})
    assert ok.status_code == 200 and ok.json()["rows"][0]["error"] is None


def test_other_refusals(server):
    r = httpx.post(server.url + "/v1/explain", json={"headline": "  "})
    assert r.status_code == 422 and "nothing to explain" in r.json()["error"]
    r = httpx.post(server.url + "/v1/explain", content=b'{"headline": "a"}')
    assert r.status_code == 415 and "application/json" in r.json()["error"]
    r = httpx.post(server.url + "/v1/suggest", json={"text": "x", "kind": "poem"})
    assert r.status_code == 422 and r.json()["error"].startswith("kind:")
    assert httpx.get(server.url + "/v1/nothing").status_code == 404
    assert httpx.get(server.url + "/healthz").status_code == 200


def test_token_and_workers(start_server):
    srv = start_server("--workers", "2", env={"FRAMING_TOKEN": "s3cret"})
    payload = {"items": [{"headline": "Rates held"}]}
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "s3cret"}):
        r = httpx.post(srv.url + "/v1/score", json=payload, headers=headers)
        assert r.status_code == 401 and "Bearer" in r.json()["error"]
    assert httpx.get(srv.url + "/healthz").status_code == 200  # open: for load balancers
    good = {"authorization": "Bearer s3cret"}
    with httpx.Client(headers=good) as client:
        rows = [client.post(srv.url + "/v1/score", json=payload).json() for _ in range(6)]
    assert all(r == rows[0] for r in rows)


def test_binds_localhost_by_default_and_a_bad_model_is_one_line(capsys, tmp_path):
    from framing.cli.main import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert main(["--model", str(tmp_path / "none"), "serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error:") and err.count("\n") == 1


def test_the_model_comes_from_framing_model_as_elsewhere(start_server, model_dir, tiny_model):
    srv = start_server(env={"FRAMING_MODEL": model_dir})
    info = httpx.get(srv.url + "/v1/model").json()
    assert set(info["heads"]) == set(tiny_model.heads)
    r = httpx.post(srv.url + "/v1/explain", json={"headline": "This one weird trick"})
    assert r.json() == _roundtrip(explain("This one weird trick", model=tiny_model).to_dict())


def test_concurrent_clients_each_get_their_own_answer(server):
    """8 clients at once, every payload different: each response is the one for its request."""
    from concurrent.futures import ThreadPoolExecutor

    words = ["despot", "council", "shocking", "budget", "talks", "regime", "flood", "you"]
    payloads = [
        {"items": [{"headline": f"{w} {v} report {i}", "id": i}]}
        for i, (w, v) in enumerate((a, b) for a in words for b in words)
    ]
    with httpx.Client() as one:
        expected = [one.post(server.url + "/v1/score", json=p).json() for p in payloads]

    def ask(k: int) -> bool:
        with httpx.Client() as client:
            return all(
                client.post(server.url + "/v1/score", json=payloads[i]).json() == expected[i]
                for i in range(k, len(payloads), 8)
            )

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(ask, range(8)))
    assert len({json.dumps(e["rows"][0]) for e in expected}) == len(payloads)


def test_terms_reach_every_worker_and_a_bad_list_is_one_line(start_server, tmp_path, capsys):
    """Issue 27: `framing serve --terms FILE` scores with the house-style list."""
    terms = tmp_path / "house.txt"
    terms.write_text("barmy | unusual\n", encoding="utf-8")
    headline = "Council approves barmy plan for town centre"
    srv = start_server("--terms", str(terms))
    r = httpx.post(srv.url + "/v1/suggest", json={"text": headline}, timeout=120)
    assert r.json()["rewritten"] == "Council approves unusual plan for town centre"
    (terms.parent / "bad.txt").write_text("barmy\n", encoding="utf-8")
    assert main(["serve", "--terms", str(terms.parent / "bad.txt")]) == 2
    err = capsys.readouterr().err
    assert "needs a neutral counterpart" in err and err.count("\n") == 1
