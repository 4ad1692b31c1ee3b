"""Run untrusted torch snippets in forked children of a long-lived, torch-preloaded zygote process."""
from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox.policy import PROBE, cpu_limit
from bot.sandbox.result import RunResult, child_outcome
from bot.sandbox.wire import MAX_CODE_BYTES, RESULT_CAP, read_all, recv_message, send_message, write_all

START_TIMEOUT = 180.0  # importing torch and friends on a cold disk can be slow
REPLY_GRACE = 10.0  # seconds the zygote gets on top of a run's time limit before it is presumed hung


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


@dataclass
class Spare:
    """The client's ends of a prepared child's pipes (code in, result out), and the terms it was confined on."""

    code: int
    result: int
    timeout: float
    strict: bool


class Sandbox:
    """Runs snippets in seccomp- and rlimit-confined children forked from a torch-preloaded zygote.

    Each run gets two fresh pipes: the child reads its code from one and writes its result to the other, and
    only this client holds their other ends. The zygote is told a time limit, forks (ahead of the run: the
    child confines itself, then waits for its code) and reaps — it never sees a snippet or its output, so no
    later child can find them in the memory it inherits.
    """

    def __init__(self, *, timeout: float = 5.0, allow_unprotected: bool = False) -> None:
        self.timeout = _check_timeout(timeout)
        self.allow_unprotected = allow_unprotected
        self._proc: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._spare: Spare | None = None  # the client's ends of the next run's prepared child
        self._spare_pid: int | None = None
        self._answers: dict[str, dict] = {}
        self._pid: int | None = None
        self._lock = threading.RLock()

    @property
    def pid(self) -> int | None:
        """Process id of the running zygote, or None."""
        return self._pid

    @property
    def spare_pid(self) -> int | None:
        """Process id of the child forked and confined for the next run, once the zygote has said, or None."""
        return self._spare_pid

    def start(self) -> None:
        """Start the zygote (idempotent); raise SandboxUnavailable if a protection cannot be applied."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._stop()
            try:
                self._spawn_zygote()
                probe = self._roundtrip(PROBE, 30.0, strict=False)
            except (OSError, EOFError, TimeoutError, ValueError, _ZygoteLost) as e:
                self._stop(kill=True)
                raise SandboxUnavailable(f"sandbox zygote failed to start: {e}") from e
            missing = probe["missing"] or ([] if probe["ok"] else [f"seccomp (probe: {probe['error']})"])
            if missing:
                problem = "missing sandbox protection: " + "; ".join(missing)
                if not self.allow_unprotected:
                    self._stop()
                    raise SandboxUnavailable(problem)
                warnings.warn(f"{problem}; running unprotected as requested", RuntimeWarning, stacklevel=2)

    def _spawn_zygote(self) -> None:
        root = Path(__file__).resolve().parents[2]
        env = {"PYTHONPATH": str(root), "PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
               "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        with theirs:
            self._proc = subprocess.Popen([sys.executable, "-P", "-m", "bot.sandbox.zygote"], stdin=theirs,
                                          stdout=subprocess.DEVNULL, env=env, cwd="/",
                                          start_new_session=True)  # no terminal signals (Ctrl-C)
        hello, _ = recv_message(ours, time.monotonic() + START_TIMEOUT)
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
                    reply = self._roundtrip(code, limit, strict=not self.allow_unprotected)
                    break
                except _ZygoteLost as e:
                    self._stop(kill=True)
                    lost = e
            else:
                return RunResult.failure(f"sandbox failed after a restart: {lost}")
        try:
            return RunResult.from_dict(reply)
        except (KeyError, TypeError, ValueError) as e:
            return RunResult.failure(f"malformed result from sandbox: {type(e).__name__}: {e}")

    def _prepare(self, timeout: float, strict: bool) -> None:
        """Have the zygote fork and confine the next run's child on two new pipes, ahead of its code."""
        self._drop_spare()
        code_in, code_out = os.pipe()
        result_in, result_out = os.pipe()
        try:
            send_message(self._control, {"prepare": timeout, "strict": strict}, (code_in, result_out))
        except BaseException:
            os.close(code_out)
            os.close(result_in)
            raise
        finally:
            os.close(code_in)
            os.close(result_out)
        self._spare = Spare(code_out, result_in, timeout, strict)

    def _await(self, kind: str, deadline: float) -> dict:
        """The zygote's next answer of this kind ("status" or "prepared"), keeping one of the other that came first."""
        while kind not in self._answers:
            answer, _ = recv_message(self._control, deadline)
            if "error" in answer:
                raise _ZygoteLost(f"zygote refused: {answer['error']}")
            self._answers["status" if "status" in answer else "prepared"] = answer
        return self._answers.pop(kind)

    def _drop_spare(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            os.close(spare.code)
            os.close(spare.result)

    def _roundtrip(self, code: str, timeout: float, *, strict: bool) -> dict:
        """Start the prepared child, send it the code, read its result, and hear from the zygote how it ended."""
        start = time.monotonic()
        deadline = start + timeout + REPLY_GRACE
        try:
            if self._spare is None or (self._spare.timeout, self._spare.strict) != (timeout, strict):
                self._prepare(timeout, strict)
            child, self._spare = self._spare, None
            try:
                send_message(self._control, {"go": True})
                try:
                    write_all(child.code, code.encode("utf-8"), deadline)
                except BrokenPipeError:  # the child ended before reading it (its outcome says why)
                    pass
                os.close(child.code)
                child.code = -1
                self._prepare(self.timeout, not self.allow_unprotected)  # the next child forks while this one runs
                payload = read_all(child.result, RESULT_CAP, deadline)
            finally:
                for fd in (child.code, child.result):  # a child still writing past the cap gets EPIPE
                    if fd >= 0:
                        os.close(fd)
            ended = self._await("status", deadline)
            self._spare_pid = self._await("prepared", deadline)["prepared"]
        except (OSError, EOFError, TimeoutError, ValueError) as e:
            raise _ZygoteLost(f"zygote lost ({type(e).__name__}: {e})") from e
        reason = (f"timed out after {timeout:.1f} s" if ended["timed_out"] else
                  f"output truncated: result exceeded {RESULT_CAP} bytes" if len(payload) > RESULT_CAP else None)
        result = child_outcome(payload, ended["status"], ended["cpu"], cpu_limit(timeout), reason)
        result["elapsed_ms"] = (time.monotonic() - start) * 1000
        return result

    def _stop(self, kill: bool = False) -> None:
        self._drop_spare()
        proc, control = self._proc, self._control
        self._proc, self._control, self._pid, self._spare_pid, self._answers = None, None, None, None, {}
        if control is not None:
            control.close()  # a healthy zygote exits when its control socket closes
        if proc is None:
            return
        if kill:
            proc.kill()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """Stop the zygote; a later run() starts a new one."""
        with self._lock:
            self._stop()

    @contextmanager
    def lease(self, session: str = "", *, lane: str = "ask") -> Iterator[Sandbox]:
        """Lend this sandbox to one holder at a time (the interface of `pool.SandboxPool.lease`)."""
        with self._lock:
            yield self

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
