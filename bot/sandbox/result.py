"""Result types of a sandboxed snippet run, the check that a child's result has their shape, and the reading
of how a child ended."""
from __future__ import annotations

import json
import os
import re
import signal
from dataclasses import asdict, dataclass
from typing import Any

from bot.sandbox.policy import MAX_NDIM

Nested = list | float | int | bool | None
TARGETS = [(re.compile(r"^type\((?P<name>[A-Za-z_]\w*)\.grad_fn\)$"), "grad_fn"),  # what a claim can be about
           (re.compile(r"^(?P<name>[A-Za-z_]\w*)\.grad$"), "grad"), (re.compile(r"^(?P<name>[A-Za-z_]\w*)$"), "value")]


@dataclass(frozen=True)
class TensorInfo:
    """A torch.Tensor found in the snippet's namespace after it ran."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    value: Nested  # None when numel > 64
    requires_grad: bool
    is_leaf: bool
    grad: Nested
    grad_fn: str | None


@dataclass(frozen=True)
class RunResult:
    """Outcome of one snippet run."""

    ok: bool
    stdout: str
    error: str | None
    error_line: int | None
    tensors: tuple[TensorInfo, ...]
    elapsed_ms: float

    @property
    def grads(self) -> dict[str, Nested]:
        """Map tensor name to its .grad (nested list) for tensors that have one."""
        return {t.name: t.grad for t in self.tensors if t.grad is not None}

    def tensor(self, name: str) -> TensorInfo | None:
        """Return the captured tensor called `name`, if any."""
        return next((t for t in self.tensors if t.name == name), None)

    def read(self, target: str) -> tuple[Nested | str, str | None]:
        """The value the run left under a claim target (`x.grad`, `type(c.grad_fn)`, a tensor's name), or None
        and why not."""
        for pattern, field in TARGETS:
            match = pattern.match(target)
            if not match:
                continue
            name = match.group("name")
            tensor = self.tensor(name)
            if tensor is None:
                return None, f"the snippet leaves no tensor named {name}"
            value = getattr(tensor, field)
            if value is None:
                return None, {"grad": f"{name}.grad is None after the run", "grad_fn": f"{name} has no grad_fn",
                              "value": f"{name} is too large to compare"}[field]
            return value, None
        return None, f"cannot read {target} from the run"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (NaN/inf stay floats; json.dumps emits them)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunResult:
        """Build a RunResult from the dict form used on the wire (inverse of to_dict)."""
        tensors = tuple(
            TensorInfo(
                name=str(t["name"]), shape=tuple(int(n) for n in t["shape"]), dtype=str(t["dtype"]),
                value=t["value"], requires_grad=bool(t["requires_grad"]), is_leaf=bool(t["is_leaf"]),
                grad=t["grad"], grad_fn=None if t["grad_fn"] is None else str(t["grad_fn"]),
            )
            for t in d.get("tensors", ())
        )
        line = d.get("error_line")
        error = d.get("error")
        return cls(
            ok=bool(d["ok"]), stdout=str(d.get("stdout", "")),
            error=None if error is None else str(error), error_line=None if line is None else int(line),
            tensors=tensors, elapsed_ms=float(d.get("elapsed_ms", 0.0)),
        )

    @classmethod
    def failure(cls, error: str, elapsed_ms: float = 0.0) -> RunResult:
        """Return a failed result carrying only an error message."""
        return cls(ok=False, stdout="", error=error, error_line=None, tensors=(), elapsed_ms=elapsed_ms)


_RESULT_FIELDS = {"ok": bool, "stdout": str, "error": (str, type(None)), "error_line": (int, type(None)),
                  "tensors": list, "missing": list}
_TENSOR_FIELDS = {"name": str, "shape": list, "dtype": str, "value": object, "requires_grad": bool,
                  "is_leaf": bool, "grad": object, "grad_fn": (str, type(None))}


def _typed(d: object, fields: dict[str, Any]) -> bool:
    return isinstance(d, dict) and d.keys() == fields.keys() and all(isinstance(d[k], t) for k, t in fields.items())


def _nested(v: object, depth: int) -> bool:
    """True if v is a number (int64-sized) or a list of such, nested at most depth deep."""
    if isinstance(v, list):
        return depth > 0 and all(_nested(x, depth - 1) for x in v)
    return isinstance(v, float) or (isinstance(v, int) and -(1 << 64) < v < 1 << 64)


def well_formed(result: object) -> bool:
    """True if a child's result has the shape the zygote's child code writes (a snippet can forge it)."""
    return (_typed(result, _RESULT_FIELDS) and all(isinstance(m, str) for m in result["missing"])
            and all(_typed(t, _TENSOR_FIELDS) and all(_nested(n, 0) and n >= 0 for n in t["shape"])
                    and all(v is None or _nested(v, MAX_NDIM + 1) for v in (t["value"], t["grad"]))
                    for t in result["tensors"]))


def _death(status: int, cpu: float, cpu_limit: int) -> str | None:
    """Why a child that was killed by a signal died, or None if it exited."""
    if not os.WIFSIGNALED(status):
        return None
    sig = os.WTERMSIG(status)
    if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= cpu_limit):
        return f"CPU time limit exceeded ({cpu:.1f} s)"
    if sig == signal.SIGKILL:
        return "killed by SIGKILL (likely out of memory)"
    if sig == signal.SIGSYS:
        return f"killed by signal {sig} (SIGSYS): forbidden system call"
    return f"killed by signal {sig} ({signal.Signals(sig).name})"


def child_outcome(payload: bytes, status: int, cpu: float, cpu_limit: int, reason: str | None) -> dict:
    """Turn what a child left behind (its result pipe's bytes, exit status, CPU time) into a result dict."""
    reason = reason or _death(status, cpu, cpu_limit)
    if reason is None and payload:
        try:
            result = json.loads(payload)
        except (ValueError, RecursionError):  # a snippet can write anything to its result pipe
            result = None
        if well_formed(result):
            return result
        reason = "malformed result from the child"
    if reason is None:
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
        reason = f"child exited with status {code} without a result"
    return {"ok": False, "stdout": "", "error": reason, "error_line": None, "tensors": [], "missing": []}
