"""Run untrusted torch snippets in forked children of a long-lived, torch-preloaded zygote process."""
from __future__ import annotations

import json
import math
import os
import select
import struct
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from bot.types import RunResult

MAX_CODE_BYTES = 256 * 1024
RESULT_CAP = 1 << 20  # bytes of JSON a child may send back
REPLY_CAP = 8 * RESULT_CAP  # the zygote re-encodes that JSON, and \uXXXX escapes can grow it 6-fold
START_TIMEOUT = 180.0  # importing torch and friends on a cold disk can be slow
REPLY_GRACE = 10.0  # seconds the zygote gets on top of a run's timeout before it is presumed hung

# Confinement policy, applied by bot.zygote to every child.
STDOUT_CAP = 64 * 1024  # characters of print() output kept
MAX_NUMEL = 64  # larger tensors are reported without values
MAX_NDIM = 32  # so are tensors with more dimensions (values nest one list per dimension)
AS_HEADROOM = 3 << 29  # 1.5 GiB of address space on top of the warmed-up zygote
# Imported by the zygote; children can import nothing else (no file may be opened).
PRELOAD = (
    "math", "cmath", "random", "itertools", "functools", "collections", "operator", "copy",
    "dataclasses", "typing", "statistics", "fractions", "decimal", "time", "warnings", "linecache",
    "resource", "numpy", "numpy.random", "numpy.fft", "numpy.linalg", "numpy.testing",
    "torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.optim", "torch.optim.lr_scheduler",
    "torch.autograd", "torch.autograd.functional", "torch.autograd.forward_ad", "torch.autograd.graph",
    "torch.func", "torch.linalg", "torch.fft", "torch.special", "torch.distributions", "torch.testing",
    "torch.utils.checkpoint", "torch.utils.serialization", "torch._dynamo", "torch._functorch.make_functional",
    "torch._decomp.decompositions_for_jvp", "torch._subclasses.schema_check_mode", "torch.profiler._cupti_monitor",
)
# Checked once at start-up: a confined child must not be able to open even "/" for reading.
PROBE = ("import os\ntry:\n    os.open('/', os.O_RDONLY)\nexcept PermissionError:\n    pass\n"
         "else:\n    raise SystemExit('open() is not blocked')\n")
# Syscalls failing with EPERM (default: allow). Also: clone without CLONE_THREAD, kill/tgkill of other
# processes, raising rlimits, F_SETPIPE_SZ and F_SETOWN(_EX) (SIGIO to another process) fail; clone3 and
# NEWER_SYSCALLS give ENOSYS; other ABIs kill. SysV/POSIX IPC would reach the host's world-accessible objects.
DENY_EPERM = """
execve execveat fork vfork socket socketpair connect bind listen accept accept4
open openat openat2 creat open_by_handle_at name_to_handle_at
stat lstat newfstatat statx statfs access faccessat faccessat2 readlink readlinkat chdir
getxattr lgetxattr listxattr llistxattr
unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir link linkat symlink symlinkat mknod mknodat
chmod fchmod fchmodat chown fchown lchown fchownat truncate utime utimes utimensat futimesat
setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr
mount umount2 pivot_root chroot fsopen fsmount fsconfig fspick move_mount open_tree mount_setattr
ptrace process_vm_readv process_vm_writev kcmp pidfd_open pidfd_getfd pidfd_send_signal
tkill rt_sigqueueinfo rt_tgsigqueueinfo
setuid setgid setreuid setregid setresuid setresgid setgroups setfsuid setfsgid capset unshare setns
reboot kexec_load kexec_file_load init_module finit_module delete_module swapon swapoff acct quotactl
sethostname setdomainname settimeofday clock_settime clock_adjtime adjtimex iopl ioperm syslog vhangup
bpf perf_event_open userfaultfd keyctl add_key request_key personality setrlimit
setpriority sched_setscheduler sched_setparam sched_setattr sched_setaffinity ioprio_set
migrate_pages move_pages
io_uring_setup io_uring_enter io_uring_register fanotify_init inotify_init inotify_init1
shmget shmat shmctl msgget msgsnd msgrcv msgctl semget semop semtimedop semctl mq_open mq_unlink
""".split()
NEWER_SYSCALLS = range(451, 600)  # newer than this denylist: unknown risk
_HEADER = struct.Struct(">I")


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start, or cannot apply a required protection."""


class _ZygoteLost(Exception):
    """The zygote died or stopped answering."""


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
            root = Path(__file__).resolve().parent.parent
            env = {"PYTHONPATH": str(root), "PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONNOUSERSITE": "1",
                   "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
            flags = ["--allow-unprotected"] if self.allow_unprotected else []
            argv = [sys.executable, "-P", "-m", "bot.zygote", *flags]
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
