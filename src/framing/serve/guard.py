"""The request body checked before the application parses it: at most ``max_bytes``
(413 otherwise, also when ``Content-Length`` says so up front) and UTF-8 text (400
otherwise), each refused with one JSON line ``{"error": "..."}``.

A plain ASGI middleware: the body is read once, checked, and handed on whole.
"""

from __future__ import annotations

from framing import strict

__all__ = ["BodyGuard", "error_body"]

_METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}


def error_body(message: str) -> bytes:
    """The JSON every refusal of the API carries: ``{"error": message}``."""
    return strict.dumps({"error": message}).encode("utf-8")


async def _reply(send, status: int, message: str) -> None:
    body = error_body(message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyGuard:
    """ASGI middleware bounding and checking request bodies (see the module docs)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self, size: int) -> str:
        return (
            f"request body over {self.max_bytes:,} bytes ({size:,}): send fewer or shorter "
            "items per request (framing serve --max-request-bytes)"
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in _METHODS_WITH_BODY:
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _reply(send, 413, self._too_large(declared))
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            part = message.get("body", b"")
            size += len(part)
            if size > self.max_bytes:
                await _reply(send, 413, self._too_large(size))
                return
            chunks.append(part)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = body[exc.start : exc.start + 1].hex()
            await _reply(
                send,
                400,
                f"the request body is not UTF-8 (byte 0x{bad} at offset {exc.start}): "
                "send JSON encoded as UTF-8",
            )
            return
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
