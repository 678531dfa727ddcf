"""A real ``framing serve`` process on a free port of 127.0.0.1, stopped by its pid."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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
