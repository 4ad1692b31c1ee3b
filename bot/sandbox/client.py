"""Run untrusted torch snippets in forked children of a long-lived, torch-preloaded zygote process."""
from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

from bot.sandbox.result import RunResult
from bot.sandbox.wire import MAX_CODE_BYTES, REPLY_CAP, RESULT_CAP, recv_frame, send_frame

START_TIMEOUT = 180.0  # importing torch and friends on a cold disk can be slow
REPLY_GRACE = 10.0  # seconds the zygote gets on top of a run's timeout before it is presumed hung


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start, or cannot apply a required protection."""


class _ZygoteLost(Exception):
    """The zygote died or stopped answering."""


def _check_code(code: object) -> str | None:
    """Return why code cannot be run, or None if it is acceptable."""
    if not isinstance(code, str):
        return f"code must be a str, not {type(code).__name__}"
    if "\x00" in code:
        return "code contains NUL bytes"
    try:
        size = len(code.encode("utf-8"))
    except UnicodeEncodeError:
        return "code is not valid Unicode text (lone surrogates)"
    if size > MAX_CODE_BYTES:
        return f"code too large: {size} bytes (limit {MAX_CODE_BYTES})"
    return None


def _check_timeout(timeout: float) -> float:
    if not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or not 0 < timeout <= 600:
        raise ValueError(f"timeout must be a number of seconds in (0, 600], got {timeout!r}")
    return float(timeout)


class Sandbox:
    """Runs snippets in seccomp- and rlimit-confined children forked from a torch-preloaded zygote."""

    def __init__(self, *, timeout: float = 5.0, allow_unprotected: bool = False) -> None:
        self.timeout = _check_timeout(timeout)
        self.allow_unprotected = allow_unprotected
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None
        self._lock = threading.RLock()

    @property
    def pid(self) -> int | None:
        """Process id of the running zygote, or None."""
        return self._pid

    def start(self) -> None:
        """Start the zygote (idempotent); raise SandboxUnavailable if a protection cannot be applied."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._stop()
            root = Path(__file__).resolve().parents[2]
            env = {"PYTHONPATH": str(root), "PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
                   "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
            flags = ["--allow-unprotected"] if self.allow_unprotected else []
            argv = [sys.executable, "-P", "-m", "bot.sandbox.zygote", *flags]
            try:
                self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd="/",
                                              start_new_session=True)  # no terminal signals (Ctrl-C)
                hello = recv_frame(self._proc.stdout.fileno(), RESULT_CAP, time.monotonic() + START_TIMEOUT)
            except (OSError, EOFError, TimeoutError, ValueError) as e:
                self._stop()
                raise SandboxUnavailable(f"sandbox zygote failed to start: {e}") from e
            if hello["missing"]:
                problem = "missing sandbox protection: " + "; ".join(hello["missing"])
                if not self.allow_unprotected:
                    self._stop()
                    raise SandboxUnavailable(problem)
                warnings.warn(f"{problem}; running unprotected as requested", RuntimeWarning, stacklevel=2)
            self._pid = int(hello["pid"])

    def run(self, code: str, *, timeout: float | None = None) -> RunResult:
        """Run code in a fresh confined child and report its outcome, output and tensors."""
        problem = _check_code(code)
        if problem is not None:
            return RunResult.failure(problem)
        limit = self.timeout if timeout is None else _check_timeout(timeout)
        with self._lock:
            for _ in range(2):  # a lost zygote is restarted once
                self.start()
                try:
                    return self._roundtrip(code, limit)
                except _ZygoteLost as e:
                    self._stop(kill=True)
                    lost = e
            return RunResult.failure(f"sandbox failed after a restart: {lost}")

    def _roundtrip(self, code: str, timeout: float) -> RunResult:
        assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
        try:
            send_frame(self._proc.stdin.fileno(), {"code": code, "timeout": timeout})
            reply = recv_frame(self._proc.stdout.fileno(), REPLY_CAP, time.monotonic() + timeout + REPLY_GRACE)
        except (OSError, EOFError, TimeoutError, ValueError) as e:
            raise _ZygoteLost(f"zygote lost ({type(e).__name__}: {e})") from e
        try:
            return RunResult.from_dict(reply)
        except (KeyError, TypeError, ValueError) as e:
            return RunResult.failure(f"malformed result from sandbox: {type(e).__name__}: {e}")

    def _stop(self, kill: bool = False) -> None:
        proc, self._proc, self._pid = self._proc, None, None
        if proc is None:
            return
        if kill:
            proc.kill()
        proc.stdin.close()  # a healthy zygote exits on EOF
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()

    def close(self) -> None:
        """Stop the zygote; a later run() starts a new one."""
        with self._lock:
            self._stop()

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
