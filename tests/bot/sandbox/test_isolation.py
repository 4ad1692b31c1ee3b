"""No run can observe another: a snippet that reads all its readable memory finds nothing of an earlier run.

The attack (issue 15): run A leaves a secret in its code and its output; run B, forked later, copies every
readable page it has into a pipe (no file access needed) and searches them. Run B is given the zygote's
memory map read from /proc by this test (an attacker could guess it; giving it makes the attack stronger).
The positive control: the same scan must find a marker that run B itself holds, so a broken scan cannot pass.
"""
from __future__ import annotations

import secrets

import pytest

from bot.sandbox.client import Sandbox

XOR = 0x5A  # the snippet carries needles XOR-ed, so its own code text cannot match them

SCANNER = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
libc.write.restype = ctypes.c_ssize_t
libc.sbrk.restype = ctypes.c_void_p
PAGE = 4096

def plain(hexed):
    return bytes(b ^ {xor} for b in bytes.fromhex(hexed))

def data_address(b):
    return id(b) + b.__sizeof__() - len(b) - 1

secret, marker = plain("{secret}"), plain("{marker}")
marker_text = marker.decode() + ""  # the marker, held the way a snippet holds its strings
skip = {{data_address(secret), data_address(marker)}}
regions = {regions}
regions = [(lo, max(hi, libc.sbrk(0)) if heap else hi) for lo, hi, heap in regions]
buf = bytearray(PAGE * 2)
view = memoryview(buf)
own = ctypes.addressof(ctypes.c_char.from_buffer(buf))
r, w = os.pipe()
found = {{"pages": 0, "secret": 0, "marker": 0}}
for lo, hi in regions:
    kept = 0  # bytes carried over from the previous page, so a needle across a page boundary is seen
    for addr in range(lo, hi, PAGE):
        if own - PAGE < addr < own + len(buf) or libc.write(w, addr, PAGE) != PAGE:
            kept = 0
            continue
        got = os.readv(r, [view[kept:kept + PAGE]])
        found["pages"] += 1
        end = kept + got
        for name, needle in (("secret", secret), ("marker", marker)):
            at = buf.find(needle, 0, end)
            while at >= 0:
                found[name] += addr - kept + at not in skip
                at = buf.find(needle, at + 1, end)
        kept = min(64, end)
        view[:kept] = view[end - kept:end]
print(" ".join(f"{{k}} {{v}}" for k, v in found.items()))
"""


def readable_regions(pid: int) -> list[tuple[int, int, bool]]:
    """The readable, private regions of a process's memory map: (start, end, is the brk heap)."""
    regions = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            name = fields[5] if len(fields) > 5 else ""
            if fields[1].startswith("r") and name not in ("[vvar]", "[vsyscall]", "[vdso]") and hi - lo < 1 << 31:
                regions.append((lo, hi, name == "[heap]"))
    return regions


def xored(text: str) -> str:
    return bytes(b ^ XOR for b in text.encode()).hex()


def scan(box: Sandbox, secret: str, marker: str) -> dict[str, int]:
    """Run the scanner in a fresh child of `box`; return its page count and the needles it found."""
    code = SCANNER.format(xor=XOR, secret=xored(secret), marker=xored(marker), regions=readable_regions(box.pid))
    run = box.run(code, timeout=60.0)
    assert run.ok, run.error
    words = run.stdout.split()
    return dict(zip(words[::2], map(int, words[1::2])))


@pytest.fixture(scope="module")
def box():
    with Sandbox(timeout=5.0) as sandbox:
        yield sandbox


def test_a_later_run_cannot_read_an_earlier_runs_code_or_output(box):
    secret = "AGKB-" + secrets.token_hex(12)
    earlier = box.run(f"s = {secret[:8]!r} + {secret[8:]!r}\nprint(s * 3)\nsecret_code = {secret!r}\n")
    assert earlier.ok and secret in earlier.stdout
    found = scan(box, secret, "MARK-" + secrets.token_hex(12))
    assert found["pages"] > 1000  # it read the heap and the libraries, not a handful of pages
    assert found["marker"] >= 1, f"the scan cannot find what it holds itself: {found}"
    assert found["secret"] == 0, f"run B read run A's secret from memory: {found}"
