"""What the web chat allows: requests in flight per session, feedback per minute, request size, Host names."""
from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from bot.sandbox.pool import Busy

MAX_BODY_BYTES = 2 << 20  # a request (question, chat history) larger than this is refused before it is parsed
MAX_HISTORY_MESSAGES = 100  # the chat keeps the last 50 question/answer pairs
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class SessionGate:
    """At most `per_session` asks and runs of one session in flight; more is told to wait."""

    def __init__(self, *, per_session: int = 2, retry_after: float = 5.0) -> None:
        self.per_session, self.retry_after = per_session, math.ceil(retry_after)
        self._active: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def admit(self, session: str) -> Iterator[None]:
        """Hold one of the session's places; raise Busy when it has none left."""
        with self._lock:
            if self._active.get(session, 0) >= self.per_session:
                raise Busy(f"you already have {self.per_session} requests running", self.retry_after)
            self._active[session] = self._active.get(session, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._active[session] -= 1
                if not self._active[session]:
                    del self._active[session]


class RateLimit:
    """At most `count` events per session in any `window` seconds (a sliding log, pruned as it goes)."""

    def __init__(self, *, count: int = 20, window: float = 60.0) -> None:
        self.count, self.window = count, window
        self._log: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, session: str) -> bool:
        """Record an event for the session if it is within the limit; say whether it was."""
        now = time.monotonic()
        with self._lock:
            if len(self._log) > 4096:
                self._log = {k: v for k, v in self._log.items() if v and v[-1] > now - self.window}
            recent = [t for t in self._log.get(session, []) if t > now - self.window]
            allowed = len(recent) < self.count
            self._log[session] = recent + [now] if allowed else recent
            return allowed


def host_name(header: str) -> str:
    """The host of a Host header, without its port (`[::1]:7860` -> `::1`)."""
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class GuardedApp:
    """ASGI wrapper: refuse unknown Host names (DNS rebinding), uploads, and request bodies over the limit."""

    def __init__(self, app, *, hosts: tuple[str, ...] = LOOPBACK_HOSTS, max_body: int = MAX_BODY_BYTES) -> None:
        self.app, self.hosts, self.max_body = app, {h.lower() for h in hosts}, max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if "*" not in self.hosts and host_name(headers.get("host", "")).lower() not in self.hosts:
            return await _refuse(scope, receive, send, 421, "unknown Host header")
        if scope["path"].rstrip("/").endswith("/upload"):
            return await _refuse(scope, receive, send, 403, "uploads are off: no part of this chat takes files")
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > self.max_body:
            return await _refuse(scope, receive, send, 413, f"request body over {self.max_body} bytes")
        return await self.app(scope, self._capped(receive), send)

    def _capped(self, receive):
        """A receive that ends the request (as a disconnect) once a chunked body passes the limit."""
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            return {"type": "http.disconnect"} if seen > self.max_body else message

        return capped


async def _refuse(scope, receive, send, status: int, reason: str) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        return await send({"type": "websocket.close", "code": 1008, "reason": reason})
    body = json.dumps({"error": reason}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
