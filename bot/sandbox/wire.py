"""What crosses the sandbox's boundaries: control messages (with pipe ends) between the client and the zygote,
and each child's own two pipes — code in, result out — that the zygote never reads."""
from __future__ import annotations

import json
import os
import select
import socket
import time
from typing import Any

MAX_CODE_BYTES = 256 * 1024
RESULT_CAP = 1 << 20  # bytes of JSON a child may send back
MESSAGE_CAP = 4096  # a control message is a small JSON object


def _wait(fd: int, deadline: float | None, *, write: bool = False) -> None:
    """Block until fd is ready, or raise TimeoutError at the deadline."""
    if deadline is None:
        return
    remaining = max(deadline - time.monotonic(), 0)
    ready = select.select([], [fd], [], remaining) if write else select.select([fd], [], [], remaining)
    if not any(ready):
        raise TimeoutError("no reply in time")


def send_message(sock: socket.socket, obj: Any, fds: tuple[int, ...] = ()) -> None:
    """Send one JSON control message over a SOCK_SEQPACKET socket, with file descriptors attached."""
    socket.send_fds(sock, [json.dumps(obj).encode()], list(fds))


def recv_message(sock: socket.socket, deadline: float | None = None) -> tuple[Any, list[int]]:
    """Receive one control message and the descriptors sent with it; EOFError when the peer has gone."""
    _wait(sock.fileno(), deadline)
    data, fds, flags, _ = socket.recv_fds(sock, MESSAGE_CAP, 2)
    if not data:
        raise EOFError("control socket closed")
    if flags & socket.MSG_TRUNC:
        raise ValueError(f"control message exceeds {MESSAGE_CAP} bytes")
    return json.loads(data), fds


def write_all(fd: int, data: bytes, deadline: float | None = None) -> None:
    """Write all of data to a pipe; BrokenPipeError if its reader has gone."""
    view = memoryview(data)
    while view:
        _wait(fd, deadline, write=True)
        view = view[os.write(fd, view):]


def read_all(fd: int, cap: int, deadline: float | None = None) -> bytes:
    """Read a pipe until EOF, or until more than cap bytes have come (then cap + 1 bytes are returned)."""
    buf = bytearray()
    while len(buf) <= cap:
        _wait(fd, deadline)
        chunk = os.read(fd, min(1 << 16, cap + 1 - len(buf)))
        if not chunk:
            break
        buf += chunk
    return bytes(buf)
