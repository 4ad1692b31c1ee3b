"""Zygote process: imports torch once, then forks one locked-down, never-reused child per snippet.

Run as ``python -m bot.sandbox.zygote [--allow-unprotected]``; it speaks length-prefixed JSON on stdin/stdout.
"""
from __future__ import annotations

import io
import json
import os
import select
import signal
import sys
import time
from typing import Any

from bot.sandbox.policy import AS_HEADROOM, MAX_NDIM, MAX_NUMEL, PRELOAD, PROBE, STDOUT_CAP, confine
from bot.sandbox.result import well_formed
from bot.sandbox.wire import MAX_CODE_BYTES, RESULT_CAP, recv_frame, send_frame

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


def child_main(code: str, wfd: int, cpu_limit: int, as_limit: int, strict: bool, zygote: int) -> None:
    """Confine this freshly forked child, run the snippet, write the JSON result to wfd and exit."""
    missing = confine(wfd, cpu_limit, as_limit, zygote)
    result: dict[str, Any] = {"ok": False, "stdout": "", "error": None, "error_line": None, "tensors": [],
                              "missing": missing}
    if missing and strict:
        result["error"] = "sandbox protection unavailable: " + "; ".join(missing)
    else:
        _run_snippet(code, result)
    payload = json.dumps(result).encode()
    if len(payload) > RESULT_CAP:
        result["tensors"] = []
        result["stdout"] += f"\n[tensor capture dropped: result exceeded {RESULT_CAP} bytes]"
        payload = json.dumps(result).encode()
    view = memoryview(payload)
    while view:
        view = view[os.write(wfd, view):]
    os._exit(0)


# ---------------------------------------------------------------- inside the zygote


def _drain(fd: int, buf: bytearray) -> bool:
    """Read what is available into buf (at most RESULT_CAP + 1 bytes); return True at EOF."""
    try:
        while len(buf) <= RESULT_CAP:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return True
            buf += chunk[: RESULT_CAP + 1 - len(buf)]
    except BlockingIOError:
        pass
    return False


def _supervise(pid: int, rfd: int, timeout: float) -> tuple[bytes, int, float, str | None]:
    """Collect a child's output until it exits or the deadline passes; then kill its group and reap it."""
    pidfd = os.pidfd_open(pid)
    os.set_blocking(rfd, False)
    deadline = time.monotonic() + timeout
    buf, reason, eof, exited = bytearray(), None, False, False
    try:
        while not exited and len(buf) <= RESULT_CAP:
            ready = select.select([pidfd] + ([] if eof else [rfd]), [], [], max(deadline - time.monotonic(), 0))[0]
            if not ready:
                reason = f"timed out after {timeout:.1f} s"
                break
            if rfd in ready:
                eof = _drain(rfd, buf)
            exited = pidfd in ready
        if exited and not eof:
            _drain(rfd, buf)
        if len(buf) > RESULT_CAP:
            reason = f"output truncated: result exceeded {RESULT_CAP} bytes"
    finally:
        for kill in (os.killpg, os.kill):  # killpg fails if the child has not reached setsid() yet
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _, status, usage = os.wait4(pid, 0)
        os.close(pidfd)
        os.close(rfd)
    return bytes(buf), status, usage.ru_utime + usage.ru_stime, reason


def _verdict(payload: bytes, status: int, cpu: float, cpu_limit: int, reason: str | None) -> dict:
    """Turn what a child left behind into a wire-format result dict."""
    if reason is None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= cpu_limit):
            reason = f"CPU time limit exceeded ({cpu:.1f} s)"
        elif sig == signal.SIGKILL:
            reason = "killed by SIGKILL (likely out of memory)"
        elif sig == signal.SIGSYS:
            reason = f"killed by signal {sig} (SIGSYS): forbidden system call"
        else:
            reason = f"killed by signal {sig} ({signal.Signals(sig).name})"
    if reason is None and payload:
        try:
            result = json.loads(payload)
        except (ValueError, RecursionError):  # a snippet can write anything to the result pipe
            result = None
        if well_formed(result):
            return result
        reason = "malformed result from the child"
    if reason is None:
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
        reason = f"child exited with status {code} without a result"
    return {"ok": False, "stdout": "", "error": reason, "error_line": None, "tensors": []}


def run_child(code: str, timeout: float, as_limit: int, strict: bool) -> dict:
    """Fork a fresh child, run code in it under confinement, and return the result dict."""
    rfd, wfd = os.pipe()
    cpu_limit, zygote, start = int(timeout) + 2, os.getpid(), time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            child_main(code, wfd, cpu_limit, as_limit, strict, zygote)
        finally:
            os._exit(70)
    os.close(wfd)
    payload, status, cpu, reason = _supervise(pid, rfd, timeout)
    result = _verdict(payload, status, cpu, cpu_limit, reason)
    result["elapsed_ms"] = (time.monotonic() - start) * 1000
    return result


def serve(allow_unprotected: bool) -> None:
    """Warm up, report readiness and missing protections, then serve run requests until stdin closes."""
    out = os.dup(1)
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    as_limit = warm_up()
    probe = run_child(PROBE, 30.0, as_limit, strict=False)
    missing = probe.get("missing") or ([] if probe["ok"] else [f"seccomp (probe: {probe['error']})"])
    send_frame(out, {"ready": True, "pid": os.getpid(), "missing": missing})
    while True:
        try:
            req = recv_frame(0, 8 * MAX_CODE_BYTES)  # JSON escapes can grow code 6-fold
        except EOFError:
            return
        send_frame(out, run_child(str(req["code"]), float(req["timeout"]), as_limit, not allow_unprotected))


if __name__ == "__main__":
    serve("--allow-unprotected" in sys.argv[1:])
