"""Latency of a small autograd snippet: through the sandbox zygote vs a fresh `python -c` importing torch.

Run: .venv/bin/python -m bench.sandbox_bench [zygote_runs] [fresh_runs]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runnable as a plain script

from bot.sandbox.client import Sandbox  # noqa: E402

SNIPPET = "import torch\nx=torch.tensor([2.0],requires_grad=True)\ny=x**2+3*x+1\ny.backward()\nprint(x.grad)"
EXPECTED = "tensor([7.])\n"


def p50_p95(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (linear interpolation) of samples."""
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94]


def time_zygote(runs: int) -> tuple[float, list[float]]:
    """Zygote start-up seconds, and per-run milliseconds of SNIPPET through Sandbox.run."""
    start = time.perf_counter()
    with Sandbox() as sb:
        startup = time.perf_counter() - start
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            result = sb.run(SNIPPET)
            samples.append((time.perf_counter() - t) * 1000)
            assert result.ok and result.stdout == EXPECTED, result
    return startup, samples


def time_fresh(runs: int) -> list[float]:
    """Per-run milliseconds of SNIPPET in a fresh `python -c` (the naive way, no confinement)."""
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", SNIPPET], capture_output=True, text=True, check=True).stdout
        samples.append((time.perf_counter() - t) * 1000)
        assert out == EXPECTED, out
    return samples


def main(argv: list[str]) -> None:
    """Print p50/p95 for both ways and the ratio of their medians."""
    zygote_runs = int(argv[0]) if argv else 50
    fresh_runs = int(argv[1]) if len(argv) > 1 else 5
    startup, zygote = time_zygote(zygote_runs)
    fresh = time_fresh(fresh_runs)
    (z50, z95), (f50, f95) = p50_p95(zygote), p50_p95(fresh)
    print(f"zygote start-up (once):        {startup * 1000:8.0f} ms")
    print(f"zygote fork+run  ({zygote_runs:>3} runs):  p50 {z50:8.1f} ms   p95 {z95:8.1f} ms")
    print(f"fresh python -c  ({fresh_runs:>3} runs):  p50 {f50:8.1f} ms   p95 {f95:8.1f} ms")
    print(f"speed-up (p50 fresh / p50 zygote): {f50 / z50:.0f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
