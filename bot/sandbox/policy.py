"""The confinement every snippet runs under: what the zygote preloads, the limits, the syscall filter,
and the steps that apply them to a freshly forked child (see docs/ARCHITECTURE.md, "The sandbox")."""
from __future__ import annotations

import os
import signal

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
NOBODY = 65534


def cpu_limit(timeout: float) -> int:
    """CPU seconds a child may use when its run has `timeout` seconds of wall time."""
    return int(timeout) + 2


def _isolate_fds(keep: tuple[int, ...]) -> None:
    """Point 0/1/2 at /dev/null and close every other descriptor except those in `keep` (all above 2)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


def _set_rlimits(cpu_limit: int, as_limit: int) -> None:
    """Lower CPU, memory, file, descriptor, process and core-dump limits."""
    import resource as r

    for res, soft, hard in ((r.RLIMIT_CPU, cpu_limit, cpu_limit + 1), (r.RLIMIT_AS, as_limit, as_limit),
                            (r.RLIMIT_FSIZE, 0, 0), (r.RLIMIT_NOFILE, 32, 32), (r.RLIMIT_NPROC, 0, 0),
                            (r.RLIMIT_CORE, 0, 0)):
        current = r.getrlimit(res)[1]
        if current != r.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        r.setrlimit(res, (soft, hard))


def _drop_root() -> None:
    """As root, become nobody: root ignores RLIMIT_NPROC and may signal or write anything."""
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def _die_with_parent(zygote: int) -> None:
    """Have the kernel SIGKILL this child when the zygote dies (after setuid, which clears the setting)."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(1, ctypes.c_ulong(signal.SIGKILL)) != 0:  # PR_SET_PDEATHSIG
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != zygote:  # it died before the prctl
        os._exit(71)


def _load_seccomp() -> None:
    """Install the syscall filter: no exec, fork, network, file opens, fs changes or foreign signals."""
    import pyseccomp as sc

    f = sc.SyscallFilter(sc.ALLOW)
    f.set_attr(sc.Attr.ACT_BADARCH, sc.KILL_PROCESS)  # i386/x32 entry points kill the child
    for name in DENY_EPERM:
        if sc.resolve_syscall(sc.Arch.NATIVE, name) >= 0:
            f.add_rule(sc.ERRNO(1), name)
    for nr in (sc.resolve_syscall(sc.Arch.NATIVE, "clone3"), *NEWER_SYSCALLS):
        f.add_rule(sc.ERRNO(38), nr)  # ENOSYS: glibc falls back from clone3 to clone
    pid = os.getpid()
    f.add_rule(sc.ERRNO(1), "clone", sc.Arg(0, sc.MASKED_EQ, 0x10000, 0))  # only CLONE_THREAD clones
    f.add_rule(sc.ERRNO(1), "kill", sc.Arg(0, sc.NE, pid))
    f.add_rule(sc.ERRNO(1), "tgkill", sc.Arg(0, sc.NE, pid))
    f.add_rule(sc.ERRNO(1), "prlimit64", sc.Arg(2, sc.NE, 0))  # reading limits is fine, raising is not
    for cmd in (1031, 8, 15):  # F_SETPIPE_SZ, F_SETOWN, F_SETOWN_EX
        f.add_rule(sc.ERRNO(1), "fcntl", sc.Arg(1, sc.EQ, cmd))
    f.load()


def confine(keep: tuple[int, ...], cpu: int, as_limit: int, zygote: int) -> list[str]:
    """Apply every protection to this child, keeping only the `keep` descriptors; return what failed."""
    steps = (("setsid", os.setsid), ("fd isolation", lambda: _isolate_fds(keep)),
             ("rlimits", lambda: _set_rlimits(cpu, as_limit)), ("privilege drop", _drop_root),
             ("parent-death signal", lambda: _die_with_parent(zygote)), ("seccomp", _load_seccomp))
    missing = []
    for name, step in steps:
        try:
            step()
        except Exception as e:  # noqa: BLE001 - reported, and fatal unless allow_unprotected
            missing.append(f"{name} ({type(e).__name__}: {e})")
    return missing
