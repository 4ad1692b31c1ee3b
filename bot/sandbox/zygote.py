"""Zygote process: imports torch once, then forks one locked-down, never-reused child per snippet.

Run as ``python -m bot.sandbox.zygote`` with a SOCK_SEQPACKET control socket as fd 0.
A request carries two pipe ends and a time limit, never code: the child, forked and confined ahead of its
run, reads its snippet from its own pipe and writes its result to the other, which the client reads. So the
zygote's memory, which every later child inherits, never holds a request's code or result.
"""
from __future__ import annotations

import io
import json
import os
import select
import signal
import socket
import sys
import time
from dataclasses import dataclass
from typing import Any

from bot.sandbox.policy import AS_HEADROOM, MAX_NDIM, MAX_NUMEL, PRELOAD, STDOUT_CAP, confine, cpu_limit
from bot.sandbox.wire import MAX_CODE_BYTES, RESULT_CAP, read_all, recv_message, send_message, write_all

SNIPPET = "<snippet>"


def warm_up() -> int:
    """Import everything snippets may use (no tensor ops); return the child address-space limit in bytes."""
    import gc
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    try:
        import pyseccomp  # noqa: F401  (loads libseccomp now: children cannot open it later)
    except Exception:  # noqa: BLE001 - each child retries the import and reports seccomp as missing
        pass
    torch = sys.modules["torch"]
    torch.set_num_threads(1)
    torch.backends.cpu.get_cpu_capability()  # CPU feature detection reads /sys and /proc: do it before fork
    gc.collect()
    gc.freeze()  # keep the preloaded heap shared copy-on-write with the children
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") + AS_HEADROOM


# ---------------------------------------------------------------- inside the child


class _CappedText(io.StringIO):
    """A text stream that keeps the first `room` characters written to it and counts the rest."""

    def __init__(self, room: int) -> None:
        super().__init__()
        self.room, self.dropped = room, 0

    def write(self, s: str) -> int:
        super().write(s[: self.room])  # raises TypeError for non-str, like sys.stdout
        self.dropped += max(0, len(s) - self.room)
        self.room = max(0, self.room - len(s))
        return len(s)

    def getvalue(self) -> str:
        note = f"\n[output truncated: {self.dropped} more characters]" if self.dropped else ""
        return super().getvalue() + note


def _describe(e: BaseException) -> tuple[str, int | None]:
    """Return 'Type: message' (capped) and the snippet line the exception came from."""
    line = e.lineno if isinstance(e, SyntaxError) and e.filename == SNIPPET else None
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SNIPPET:
            line = tb.tb_lineno
        tb = tb.tb_next
    try:
        msg = e.msg if isinstance(e, SyntaxError) else str(e)
    except Exception:  # noqa: BLE001 - a hostile __str__
        msg = ""
    return (f"{type(e).__name__}: {msg}" if msg else type(e).__name__)[:2000], line


def _plain(t: Any) -> Any:
    """Return a tensor's values as nested lists (complex as [re, im] pairs), or None if large or odd."""
    import torch

    if t is None or t.numel() > MAX_NUMEL or t.dim() > MAX_NDIM:
        return None
    try:
        t = t.detach()
        return (torch.view_as_real(t) if t.is_complex() else t).tolist()
    except Exception:  # noqa: BLE001 - sparse, meta, quantized...
        return None


def _capture(ns: dict) -> list[dict]:
    """Describe every public torch.Tensor (Parameters included) left in the namespace."""
    import warnings

    import torch

    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .grad of a non-leaf warns
        for name, t in list(ns.items()):
            if isinstance(name, str) and not name.startswith("_") and isinstance(t, torch.Tensor):
                fn = t.grad_fn
                found.append({"name": name, "shape": list(t.shape), "dtype": str(t.dtype), "value": _plain(t),
                              "requires_grad": t.requires_grad, "is_leaf": t.is_leaf, "grad": _plain(t.grad),
                              "grad_fn": None if fn is None else type(fn).__name__})
    return found


def _run_snippet(code: str, result: dict) -> None:
    """Execute code in a fresh __main__ namespace, filling result with outcome, output and tensors."""
    import linecache

    out = _CappedText(STDOUT_CAP)
    sys.stdout = sys.stderr = out
    sys.stdin, sys.argv = io.StringIO(), [SNIPPET]
    sys.meta_path[:] = [f for f in sys.meta_path if getattr(f, "__name__", "") in ("BuiltinImporter", "FrozenImporter")]
    linecache.cache[SNIPPET] = (len(code), None, code.splitlines(True), SNIPPET)
    ns: dict[str, Any] = {"__name__": "__main__"}
    try:
        exec(compile(code, SNIPPET, "exec", dont_inherit=True), ns)
    except BaseException as e:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are snippet errors too
        result["error"], result["error_line"] = _describe(e)
    result["ok"], note = result["error"] is None, ""
    try:
        result["tensors"] = _capture(ns)
    except Exception as e:  # noqa: BLE001 - e.g. a hostile Tensor subclass
        note = f"\n[tensor capture failed: {_describe(e)[0]}]"
    result["stdout"] = out.getvalue() + note


def _read_code(fd: int) -> str | None:
    """The snippet the client wrote to this child's own pipe, or None if it is not acceptable text."""
    data = read_all(fd, MAX_CODE_BYTES)
    os.close(fd)
    try:
        return None if len(data) > MAX_CODE_BYTES else data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def child_main(code_fd: int, result_fd: int, cpu: int, as_limit: int, strict: bool, zygote: int) -> None:
    """Confine this freshly forked child, read its snippet, run it, write the JSON result and exit."""
    missing = confine((code_fd, result_fd), cpu, as_limit, zygote)
    result: dict[str, Any] = {"ok": False, "stdout": "", "error": None, "error_line": None, "tensors": [],
                              "missing": missing}
    if missing and strict:
        result["error"] = "sandbox protection unavailable: " + "; ".join(missing)
    elif (code := _read_code(code_fd)) is None:
        result["error"] = "the snippet did not arrive as UTF-8 text within the size limit"
    else:
        _run_snippet(code, result)
    payload = json.dumps(result).encode()
    if len(payload) > RESULT_CAP:
        result["tensors"] = []
        result["stdout"] += f"\n[tensor capture dropped: result exceeded {RESULT_CAP} bytes]"
        payload = json.dumps(result).encode()
    write_all(result_fd, payload)
    os._exit(0)


# ---------------------------------------------------------------- inside the zygote: fork and reap, nothing else


def _kill(pid: int) -> None:
    """SIGKILL a child and its process group (killpg fails if it has not reached setsid() yet)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def prepare(fds: list[int], timeout: float, as_limit: int, strict: bool) -> int:
    """Fork a child that confines itself and then waits on its code pipe; return its pid."""
    code_fd, result_fd = fds
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            child_main(code_fd, result_fd, cpu_limit(timeout), as_limit, strict, zygote)
        finally:
            os._exit(70)
    os.close(code_fd)
    os.close(result_fd)
    return pid


@dataclass
class Running:
    """The child whose code is running: its pid, a pidfd that is readable once it exits, and its deadline."""

    pid: int
    pidfd: int
    deadline: float

    def finish(self) -> dict:
        """Kill the child (if still running) and reap it; report exit status, CPU seconds and a timeout."""
        timed_out = not select.select([self.pidfd], [], [], 0)[0]
        os.close(self.pidfd)
        _kill(self.pid)
        _, status, usage = os.wait4(self.pid, 0)
        return {"status": status, "cpu": usage.ru_utime + usage.ru_stime, "timed_out": timed_out}


def serve() -> None:
    """Warm up, say ready, then prepare and start children as the client asks, until it closes fd 0.

    Requests: {"prepare": timeout, "strict": bool} with the child's two pipe ends forks a spare child (replacing
    an unused one) and answers {"prepared": pid}; {"go": true} starts the spare's clock, and its end is reported
    ({"status", "cpu", "timed_out"}) when it exits or times out. Answers to the two may cross.
    """
    control = socket.socket(fileno=0)
    os.dup2(2, 1)  # stray prints from libraries go to stderr
    as_limit = warm_up()
    send_message(control, {"ready": True, "pid": os.getpid()})
    spare: tuple[int, float] | None = None
    running: Running | None = None
    while True:
        waits = [control.fileno()] + ([running.pidfd] if running else [])
        limit = max(running.deadline - time.monotonic(), 0) if running else None
        ready = select.select(waits, [], [], limit)[0]
        if running and (running.pidfd in ready or time.monotonic() >= running.deadline):
            send_message(control, running.finish())
            running = None
        if control.fileno() not in ready:
            continue
        try:
            request, fds = recv_message(control)
        except EOFError:
            return
        if "prepare" in request and len(fds) == 2:
            if spare is not None:
                _kill(spare[0])
                os.waitpid(spare[0], 0)
            timeout = float(request["prepare"])
            spare = prepare(fds, timeout, as_limit, bool(request["strict"])), timeout
            send_message(control, {"prepared": spare[0]})
        elif request.get("go") and spare is not None and running is None:
            (pid, timeout), spare = spare, None
            running = Running(pid, os.pidfd_open(pid), time.monotonic() + timeout)
        else:
            for fd in fds:
                os.close(fd)
            send_message(control, {"error": f"cannot do {sorted(request)} now"})


if __name__ == "__main__":
    try:
        serve()
    except (BrokenPipeError, ConnectionResetError):  # the client went away first
        pass
