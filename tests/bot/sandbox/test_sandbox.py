"""The sandbox against benign and hostile snippets: a real zygote and real confined children, no mocks."""
from __future__ import annotations

import math
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from bot.sandbox.client import Sandbox

BENIGN = "import torch\nx = torch.tensor([2.0], requires_grad=True)\ny = x**2 + 3*x + 1\ny.backward()\nprint(x.grad)\n"
SECRET = "AUTOGRAD_KB_TEST_SECRET"


@pytest.fixture(scope="module")
def sb():
    os.environ[SECRET] = "hunter2"  # the zygote must not inherit the caller's environment
    try:
        box = Sandbox(timeout=5.0)
        box.start()
    finally:
        del os.environ[SECRET]
    yield box
    box.close()


@pytest.fixture
def open_dir():
    """A world-writable directory: only the sandbox, not file permissions, keeps the snippet out."""
    path = Path(tempfile.mkdtemp(prefix="agkb-sbx-", dir="/tmp"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path)


def _strays(zygote: int, spare: int | None = None) -> list[int]:
    """Processes a snippet left behind: children of the zygote but its spare, or (as root) our python as nobody."""
    found, exe = [], os.path.realpath(sys.executable)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:  # already gone
            continue
        try:
            orphan = os.getuid() == 0 and fields["Uid"].split()[0] == "65534" and os.readlink(f"/proc/{pid}/exe") == exe
            with open(f"/proc/{int(fields['PPid'])}/cmdline", "rb") as f:
                orphan = orphan and b"bot.sandbox.zygote" not in f.read()  # not a running child of another zygote
        except OSError:  # a zombie has no exe
            orphan = False
        if (int(fields["PPid"]) == zygote or orphan) and int(pid) != spare:
            found.append(int(pid))
    return found


def assert_healthy(sb: Sandbox) -> None:
    """Nothing was left running, and a benign snippet still gives the right gradient."""
    assert _strays(sb.pid, sb.spare_pid) == []
    r = sb.run(BENIGN)
    assert r.ok and r.tensor("x").grad == [7.0], r


# ---------------------------------------------------------------- benign behaviour


def test_benign_gradient_stdout_and_grad_fn(sb):
    r = sb.run(BENIGN)
    assert r.ok and r.error is None and r.error_line is None
    assert r.stdout == "tensor([7.])\n"
    x, y = r.tensor("x"), r.tensor("y")
    assert (x.value, x.grad, x.is_leaf, x.requires_grad, x.grad_fn) == ([2.0], [7.0], True, True, None)
    assert (y.value, y.grad_fn, y.is_leaf, y.shape, y.dtype) == ([11.0], "AddBackward0", False, (1,), "torch.float32")
    assert r.grads == {"x": [7.0]}
    assert r.to_dict()["tensors"][0]["grad"] == [7.0]


def test_error_reports_type_message_and_snippet_line(sb):
    r = sb.run("import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward(); (x * 2).backward()\n")
    assert not r.ok and r.error_line == 3
    assert r.error.startswith("RuntimeError: grad can be implicitly created only for scalar outputs")
    assert r.tensor("x").grad == [1.0, 1.0]  # tensors are captured even when the snippet fails


def test_tensor_capture_details(sb):
    r = sb.run("import torch\nw = torch.nn.Parameter(torch.ones(2))\nz = torch.tensor([float('nan'), float('inf')])\n"
               "big = torch.zeros(100)\n_hidden = torch.ones(1)\ns = torch.tensor(3.5)\n")
    assert r.ok and [t.name for t in r.tensors] == ["w", "z", "big", "s"]
    z = r.tensor("z").value
    assert math.isnan(z[0]) and z[1] == math.inf
    assert r.tensor("big").value is None and r.tensor("big").shape == (100,)
    assert r.tensor("s").value == 3.5 and r.tensor("w").requires_grad


def test_common_autograd_apis_work(sb):
    r = sb.run("import torch\nfrom torch.func import grad, vmap\nfrom torch.autograd.functional import hessian\n"
               "g = grad(lambda t: (t ** 3).sum())(torch.tensor([1.0, 2.0]))\n"
               "h = hessian(lambda t: (t ** 3).sum(), torch.tensor([1.0, 2.0]))\n"
               "v = vmap(torch.sin)(torch.zeros(3))\nimport numpy as np\nprint(np.arange(3).sum())\n")
    assert r.ok, r.error
    assert r.tensor("g").value == [3.0, 12.0] and r.tensor("h").value == [[6.0, 0.0], [0.0, 12.0]]


def test_concurrent_runs_are_serialised_correctly(sb):
    results = []
    def work(k: int) -> None:
        results.append((k, sb.run(f"import torch\nx = torch.tensor({k}.0)")))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted((k, r.tensor("x").value) for k, r in results) == [(k, float(k)) for k in range(6)]


# ---------------------------------------------------------------- input validation


@pytest.mark.parametrize("code, message", [
    ("x = 1\n" * 170_000, "code too large"),  # 1 MB
    ("x = 1\x00", "NUL"),
    (b"x = 1", "must be a str"),
])
def test_invalid_input_is_rejected_cleanly(sb, code, message):
    r = sb.run(code)
    assert not r.ok and message in r.error and r.tensors == ()
    assert_healthy(sb)


def test_deeply_nested_brackets(sb):
    r = sb.run("(" * 10000 + ")" * 10000)
    assert not r.ok and r.error.startswith("SyntaxError") and r.error_line == 1
    assert_healthy(sb)


# ---------------------------------------------------------------- hostile snippets


@pytest.mark.parametrize("code", [
    "print(open('/etc/passwd').read())",
    "import os\nprint(os.read(os.open('/etc/passwd', os.O_RDONLY), 100))",
    "import pathlib\nprint(pathlib.Path('/etc/passwd').read_text())",
    "import numpy as np\nprint(np.fromfile('/etc/passwd', dtype=np.uint8))",
    "import os\nprint(os.listdir('/etc'))",
    "import os\nprint(os.path.exists('/etc/passwd') or 1/0)",
])
def test_files_cannot_be_read_or_listed(sb, code):
    r = sb.run(code)
    assert not r.ok and "root:" not in r.stdout and "passwd" not in r.stdout, r
    assert_healthy(sb)


@pytest.mark.parametrize("code", [
    "open({p!r}, 'w').write('x')",
    "import os\nos.open({p!r}, os.O_WRONLY | os.O_CREAT)",
    "import torch\ntorch.save(torch.ones(1), {p!r})",
    "import os\nos.mkdir({p!r})",
])
def test_files_cannot_be_created(sb, open_dir, code):
    target = open_dir / "pwned"
    r = sb.run(code.format(p=str(target)))
    assert not r.ok
    assert not target.exists()
    assert_healthy(sb)


def test_files_cannot_be_deleted_or_changed(sb, open_dir):
    victim = open_dir / "victim"
    victim.write_text("keep me")
    victim.chmod(0o666)
    for code in ("import os\nos.remove({p!r})", "import os\nos.chmod({p!r}, 0)", "import os\nos.truncate({p!r}, 0)"):
        r = sb.run(code.format(p=str(victim)))
        assert not r.ok and "Permission" in r.error
    assert victim.read_text() == "keep me" and victim.stat().st_mode & 0o777 == 0o666
    assert_healthy(sb)


@pytest.mark.parametrize("code", [
    "import os\nprint(os.system('touch {m}'))",
    "import subprocess\nprint(subprocess.run(['touch', '{m}']).returncode)",
    "import ctypes\nprint(ctypes.CDLL(None).system(b'touch {m}'))",
    "w = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == '_wrap_close'][0]\n"
    "print(w.__init__.__globals__['system']('touch {m}'))",
    "P = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0]\n"
    "print(P(['touch', '{m}']).wait())",
    "import torch\nprint(torch.serialization.os.system('touch {m}'))",
    "import os\nos.execv('/usr/bin/touch', ['touch', '{m}'])",
    "import os\nprint(os.posix_spawn('/usr/bin/touch', ['touch', '{m}'], {{}}))",
])
def test_no_process_can_be_started(sb, open_dir, code):
    marker = open_dir / "marker"
    r = sb.run(code.format(m=marker))
    assert not r.ok or r.stdout.strip() != "0", r  # failed, or the shell reported an error status
    assert not marker.exists()
    assert_healthy(sb)


def test_fork_bomb_is_refused(sb):
    r = sb.run("import os\nwhile True:\n    os.fork()\n")
    assert not r.ok and r.error.startswith("PermissionError") and r.error_line == 3
    assert_healthy(sb)


def test_no_network(sb):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        r = sb.run(f"import socket\ns = socket.socket()\ns.connect(('127.0.0.1', {port}))\ns.sendall(b'hi')")
        assert not r.ok and "Permission" in r.error
        assert select.select([listener], [], [], 0.2)[0] == []  # no connection arrived
    assert_healthy(sb)


def test_other_processes_cannot_be_signalled(sb):
    zygote = sb.pid
    r = sb.run("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    assert not r.ok and r.error.startswith("PermissionError")
    assert sb.pid == zygote  # not restarted: it never died
    assert_healthy(sb)


def test_environment_and_protocol_pipes_are_not_exposed(sb):
    r = sb.run(f"import os\nprint({SECRET!r} in os.environ)\nos.write(1, b'\\0\\0\\0\\5junk')\nprint(os.read(0, 10))")
    assert r.ok and r.stdout == "False\nb''\n"
    assert_healthy(sb)


def test_foreign_syscall_abi_kills_the_child(sb):
    r = sb.run("import ctypes\nctypes.CDLL(None).syscall(0x40000000 | 39)")  # x32 getpid
    assert not r.ok and "SIGSYS" in r.error
    assert_healthy(sb)


@pytest.mark.parametrize("code", [
    "while True:\n    pass",
    "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
    "signal.alarm(1)\nwhile True:\n    pass",
    "import time\ntime.sleep(60)",
])
def test_runaway_snippets_time_out(sb, code):
    r = sb.run(code, timeout=1.0)
    assert not r.ok and r.error == "timed out after 1.0 s" and r.elapsed_ms < 3000
    assert_healthy(sb)


def test_memory_is_capped(sb):
    r = sb.run("import torch\nt = torch.ones(2 ** 33)")
    assert not r.ok and "allocate" in r.error
    r = sb.run("b = bytearray(4 * 2 ** 30)")  # fits in this machine's RAM: only RLIMIT_AS refuses it
    assert not r.ok and r.error == "MemoryError"
    assert_healthy(sb)


def test_huge_output_is_truncated(sb):
    r = sb.run("print('x' * 10 ** 8)\nimport torch\nt = torch.ones(1)")
    assert r.ok and len(r.stdout) < 70_000 and "[output truncated: " in r.stdout
    assert r.tensor("t").value == [1.0]
    assert_healthy(sb)


def test_monkeypatching_does_not_leak_into_the_next_run(sb):
    r = sb.run("import torch, builtins\ntorch.Tensor.backward = lambda self, *a, **k: None\nbuiltins.print = None")
    assert r.ok
    assert_healthy(sb)


def test_zygote_is_restarted_after_dying(sb):
    old = sb.pid
    os.kill(old, signal.SIGKILL)
    assert_healthy(sb)
    assert sb.pid != old


def test_running_child_dies_with_its_zygote(sb):
    old, results = sb.pid, []
    code = f"import os, time\nif os.getppid() == {old}:\n    time.sleep(60)\nx = 1"  # only the first attempt hangs
    runner = threading.Thread(target=lambda: results.append(sb.run(code)))
    runner.start()
    deadline = time.monotonic() + 5
    while len(_strays(old)) < 2 and time.monotonic() < deadline:  # the running child and the next one's spare
        time.sleep(0.01)
    assert len(_strays(old)) == 2, "the child never started"
    os.kill(old, signal.SIGKILL)
    runner.join()
    assert results[0].ok and sb.pid != old  # retried once on a fresh zygote
    assert_healthy(sb)  # as root this also finds an orphaned child that outlived its zygote
