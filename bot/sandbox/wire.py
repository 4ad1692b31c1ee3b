"""The pipe protocol between the client, the zygote and its children: length-prefixed JSON, size-capped."""
from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

MAX_CODE_BYTES = 256 * 1024
RESULT_CAP = 1 << 20  # bytes of JSON a child may send back
REPLY_CAP = 8 * RESULT_CAP  # the zygote re-encodes that JSON, and \uXXXX escapes can grow it 6-fold
_HEADER = struct.Struct(">I")


def send_frame(fd: int, obj: Any) -> None:
    """Write one length-prefixed JSON message to fd."""
    data = json.dumps(obj).encode()
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError("no reply in time")
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError("pipe closed")
        buf += chunk
    return bytes(buf)


def recv_frame(fd: int, limit: int, deadline: float | None = None) -> Any:
    """Read one length-prefixed JSON message; EOFError on a closed pipe, TimeoutError past deadline."""
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if size > limit:
        raise ValueError(f"message of {size} bytes exceeds the {limit}-byte limit")
    return json.loads(_read_exact(fd, size, deadline))
