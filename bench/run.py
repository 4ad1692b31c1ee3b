"""The project's benchmark: sandbox vs `python -c`, warm answers by stage, cold start, `--help`.

Run: make bench   (or .venv/bin/python -m bench.run [--data-dir DIR])
Writes bench/results.json and prints a table; every figure comes from this one run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.sandbox_bench import p50_p95, time_fresh, time_zygote

ROOT = Path(__file__).resolve().parent
CLI = [sys.executable, "-m", "bot.cli"]


def time_help(runs: int = 5) -> float:
    """Median seconds of `autograd-kb --help` in a fresh process."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(CLI + ["--help"], capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def time_cold_answer(data_dir: Path) -> float:
    """Seconds from a fresh process to the first answer printed (index, model, sandbox all cold)."""
    start = time.perf_counter()
    subprocess.run(CLI + ["--data-dir", str(data_dir), "ask", "--json", "grad_fn 是什么"],
                   capture_output=True, check=True)
    return time.perf_counter() - start


def time_warm_answers(data_dir: Path, rounds: int = 3) -> dict:
    """p50/p95 of answering every dev question (retrieve + run + verify), by stage."""
    from bot.answer import Bot
    from bot.sandbox import Sandbox
    from eval.evaluate import load_set

    questions = [q.text for q in load_set()]
    stages: dict[str, list[float]] = {"retrieve": [], "run": [], "total": []}
    with Sandbox() as box:
        bot = Bot(data_dir, sandbox=box)
        bot.answer(questions[0])  # warm-up: model, jieba, caches
        for _ in range(rounds):
            for q in questions:
                for stage, ms in bot.answer(q).timings_ms.items():
                    stages[stage].append(ms)
    return {stage: dict(zip(("p50", "p95"), p50_p95(v))) for stage, v in stages.items()}


def ensure_index(data_dir: Path) -> None:
    """Build the bundled index into `data_dir` if it is not there."""
    subprocess.run(CLI + ["--data-dir", str(data_dir), "build", "--no-verify"], capture_output=True, check=True)


def main() -> None:
    """Run every measurement once and write bench/results.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "autograd-kb-bench")
    args = parser.parse_args()
    ensure_index(args.data_dir)
    startup, zygote = time_zygote(50)
    fresh = time_fresh(5)
    results = {
        "help_s": time_help(),
        "cold_first_answer_s": time_cold_answer(args.data_dir),
        "warm_answer_ms": time_warm_answers(args.data_dir),
        "sandbox": {"zygote_startup_ms": startup * 1000, "zygote_ms": dict(zip(("p50", "p95"), p50_p95(zygote))),
                    "python_c_ms": dict(zip(("p50", "p95"), p50_p95(fresh)))},
    }
    results["sandbox"]["speedup_p50"] = results["sandbox"]["python_c_ms"]["p50"] / results["sandbox"]["zygote_ms"]["p50"]
    (ROOT / "results.json").write_text(json.dumps(results, indent=2))
    warm = results["warm_answer_ms"]
    rows = [("autograd-kb --help", f"{results['help_s']:.2f} s", "≤ 0.3 s"),
            ("first answer, cold process", f"{results['cold_first_answer_s']:.2f} s", "≤ 6 s"),
            ("warm answer p50 / p95", f"{warm['total']['p50']:.0f} / {warm['total']['p95']:.0f} ms", "≤ 50 / 150 ms"),
            ("  retrieve p50 / p95", f"{warm['retrieve']['p50']:.0f} / {warm['retrieve']['p95']:.0f} ms", ""),
            ("  run + verify p50 / p95", f"{warm['run']['p50']:.0f} / {warm['run']['p95']:.0f} ms", ""),
            ("sandbox run p50 (zygote)", f"{results['sandbox']['zygote_ms']['p50']:.1f} ms", "≤ 25 ms"),
            ("fresh python -c p50", f"{results['sandbox']['python_c_ms']['p50']:.0f} ms", ""),
            ("zygote speed-up", f"{results['sandbox']['speedup_p50']:.0f}×", "")]
    print("| measure | value | budget |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
