"""The project's benchmark: sandbox vs `python -c`, warm answers by stage, cold start, `--help`, input errors,
load, noise, scale, and what each retrieval part costs.

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

from bench import ablation
from bench.load import load_test, table_rows
from bench.noisy import noisy_test
from bench.noisy import table_rows as noisy_rows
from bench.sandbox_bench import p50_p95, time_fresh, time_zygote
from bench.scale import measure

ROOT = Path(__file__).resolve().parent
CLI = [sys.executable, "-m", "bot.faces.cli"]


def time_command(args: list[str], runs: int = 5) -> float:
    """Median seconds of `autograd-kb ARGS` in a fresh process (its exit code is not checked: errors count)."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(CLI + args, capture_output=True)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def time_cold_answer(data_dir: Path) -> float:
    """Seconds from a fresh process to the first answer printed (index, model, sandbox all cold)."""
    start = time.perf_counter()
    subprocess.run(CLI + ["--data-dir", str(data_dir), "ask", "--json", "grad_fn 是什么"],
                   capture_output=True, check=True)
    return time.perf_counter() - start


def time_warm_answers(data_dir: Path, rounds: int = 3) -> dict:
    """p50/p95 of answering every question of the dev and docs sets (retrieve + run + verify), by stage."""
    from bot.answer.bot import Bot
    from bot.sandbox.client import Sandbox
    from eval.evaluate import DEFAULT_SETS, load_sets

    questions = [q.text for q in load_sets(list(DEFAULT_SETS))]
    stages: dict[str, list[float]] = {"retrieve": [], "run": [], "total": []}
    with Sandbox() as box:
        bot = Bot(data_dir, sandbox=box)
        bot.answer(questions[0])  # warm-up: model, jieba, caches
        for _ in range(rounds):
            for q in questions:
                for stage, ms in bot.answer(q).timings_ms.items():
                    stages[stage].append(ms)
    return {stage: dict(zip(("p50", "p95"), p50_p95(v))) for stage, v in stages.items()}


def time_build(chunks: int = 1000) -> dict:
    """Chunks per second of a fresh build with `chunks` extra Q&As, then an unchanged rebuild."""
    from bench.scale import base_corpus

    texts, _ = base_corpus()
    folder = Path(tempfile.mkdtemp(prefix="agkb-build-"))
    (folder / "docs").mkdir()
    body = "".join(f"## autograd question {i}: backward grad_fn\n\n{texts[i]}\n\n" for i in range(chunks))
    (folder / "docs" / "synthetic.md").write_text(body)
    argv = CLI + ["--data-dir", str(folder / "data"), "build", "--no-verify", "--add", str(folder / "docs")]
    start = time.perf_counter()
    out = subprocess.run(argv, capture_output=True, check=True, text=True).stdout
    fresh = time.perf_counter() - start
    built = int(next(line for line in out.splitlines() if line.startswith("chunks: ")).split()[1])
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return {"records": chunks + 17, "chunks": built, "build_s": fresh, "chunks_per_s": built / fresh,
            "unchanged_rebuild_s": time.perf_counter() - start}


def ensure_index(data_dir: Path) -> None:
    """Build the bundled index into `data_dir` if it is not there."""
    subprocess.run(CLI + ["--data-dir", str(data_dir), "build", "--no-verify"], capture_output=True, check=True)


def plot(rows: list[dict], path: Path) -> None:
    """Query latency against corpus size, exact vs HNSW vs BM25."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["chunks"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label in (("flat_query_ms", "FAISS exact"), ("hnsw_query_ms", "FAISS HNSW"),
                       ("bm25s_query_ms", "BM25 (bm25s, weighted)")):
        ax.plot(sizes, [r[key] for r in rows], marker="o", label=label)
    naive = [r for r in rows if "rank_bm25_query_ms" in r]
    ax.plot([r["chunks"] for r in naive], [r["rank_bm25_query_ms"] for r in naive], marker="x",
            label="rank_bm25 (naive)")
    ax.axhline(30, color="grey", linestyle="--", label="budget 30 ms")
    ax.set(xscale="log", yscale="log", xlabel="chunks", ylabel="ms per query (p50, 1 thread)",
           title="Query latency by size")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    """Run every measurement once and write bench/results.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "autograd-kb-bench")
    parser.add_argument("--full", action="store_true", help="Also measure 1,000,000 chunks (slow).")
    args = parser.parse_args()
    ensure_index(args.data_dir)
    startup, zygote = time_zygote(50)
    fresh = time_fresh(5)
    results = {
        "help_s": time_command(["--help"]),
        "input_error_s": {"empty question": time_command(["ask", ""]),
                          "100 KB question": time_command(["ask", "x" * 100_000]),
                          "no index": time_command(["--data-dir", str(args.data_dir / "none"), "ask", "x"])},
        "cold_first_answer_s": time_cold_answer(args.data_dir),
        "warm_answer_ms": time_warm_answers(args.data_dir),
        "sandbox": {"zygote_startup_ms": startup * 1000, "zygote_ms": dict(zip(("p50", "p95"), p50_p95(zygote))),
                    "python_c_ms": dict(zip(("p50", "p95"), p50_p95(fresh)))},
    }
    results["build"] = time_build()
    results["load"] = load_test(args.data_dir, clients=50, questions_per_client=20, snippet_clients=10)
    results["noisy"] = noisy_test(args.data_dir)
    results["retrieval_costs"] = ablation.measure(args.data_dir)
    print("corpus sizes:", flush=True)
    results["scale"] = measure([1_000, 10_000, 100_000] + ([1_000_000] if args.full else []))
    sandbox = results["sandbox"]
    sandbox["speedup_p50"] = sandbox["python_c_ms"]["p50"] / sandbox["zygote_ms"]["p50"]
    (ROOT / "results.json").write_text(json.dumps(results, indent=2))
    plot(results["scale"], ROOT / "scale.png")
    warm = results["warm_answer_ms"]
    rows = [("autograd-kb --help", f"{results['help_s']:.2f} s", "≤ 0.3 s"),
            *[(f"input error: {name}", f"{seconds:.2f} s", "≤ 0.3 s")
              for name, seconds in results["input_error_s"].items()],
            ("first answer, cold process", f"{results['cold_first_answer_s']:.2f} s", "≤ 6 s"),
            ("warm answer p50 / p95", f"{warm['total']['p50']:.0f} / {warm['total']['p95']:.0f} ms", "≤ 50 / 150 ms"),
            ("  retrieve p50 / p95", f"{warm['retrieve']['p50']:.0f} / {warm['retrieve']['p95']:.0f} ms", ""),
            ("  run + verify p50 / p95", f"{warm['run']['p50']:.0f} / {warm['run']['p95']:.0f} ms", ""),
            ("sandbox run p50 (zygote)", f"{results['sandbox']['zygote_ms']['p50']:.1f} ms", "≤ 25 ms"),
            ("fresh python -c p50", f"{results['sandbox']['python_c_ms']['p50']:.0f} ms", ""),
            ("zygote speed-up", f"{results['sandbox']['speedup_p50']:.0f}×", ""),
            (f"index build ({results['build']['chunks']:,} chunks, fresh process)",
             f"{results['build']['chunks_per_s']:.0f} chunks/s", "≥ 100"),
            ("unchanged rebuild (fresh process)", f"{results['build']['unchanged_rebuild_s']:.2f} s",
             "< 1 s + start-up")]
    for row in results["scale"]:
        naive = f", rank_bm25 {row['rank_bm25_query_ms']:.0f} ms" if "rank_bm25_query_ms" in row else ""
        mb = lambda key: f"{row[key] / 2**20:,.0f}"  # noqa: E731
        rows.append((f"query at {row['chunks']:,} chunks",
                     f"exact {row['flat_query_ms']:.1f} ms, HNSW {row['hnsw_query_ms']:.2f} ms "
                     f"(recall@10 {row['hnsw_recall@10']:.3f}), BM25 {row['bm25s_query_ms']:.1f} ms "
                     f"(recall@10 {row['bm25_recall@10']:.3f}){naive}; MB exact {mb('flat_bytes')} / "
                     f"HNSW {mb('hnsw_bytes')} / BM25 {mb('bm25_bytes')}", "≤ 30 ms"))
    rows += table_rows(results["load"]) + noisy_rows(results["noisy"])
    rows += ablation.table_rows(results["retrieval_costs"])
    print("| measure | value | budget |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
