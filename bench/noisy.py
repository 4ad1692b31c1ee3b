"""Noisy neighbours: sessions sending snippets that loop until the run's 5 s time limit while others ask.

Run: .venv/bin/python -m bench.noisy [--loopers 6 --askers 10 --questions 5]
Starts its own `autograd-kb chat` on a free 127.0.0.1 port; asks first with no loops (quiet), then with the
loopers running (noisy), and prints the askers' latency in both as JSON. Budget: a looping neighbour delays an
answer by at most one run's time limit.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.load import ASK, RUN, Outcome, call, chat_server, question_pool, run_sessions, session, summarize

LOOP = "while True:\n    pass\n"


def looper(url: str, loops: int, stop: float, deadline: float) -> list[Outcome]:
    """One session sending looping snippets in turn until `stop`; each must end in the sandbox's timeout."""
    from gradio_client import Client

    client, outcomes = Client(url, verbose=False, download_files=False), []
    try:
        for _ in range(loops):
            if time.monotonic() >= stop:
                break
            outcome, _ = call(client, RUN, (LOOP,), lambda reply: None if "timed out" in reply else reply[:120],
                              deadline)
            outcomes.append(outcome)
            if outcome.status == "busy":
                time.sleep(1.0)
    finally:
        client.close()
    return outcomes


def noisy_test(data_dir: Path, *, loopers: int = 6, askers: int = 10, questions: int = 5,
               time_limit: float = 300.0) -> dict:
    """Askers alone, then askers beside loopers, on one server; their latencies and the loops' outcomes."""
    import threading

    pool = question_pool()
    jobs = [(ASK, [pool[(a * questions + i) % len(pool)] for i in range(questions)]) for a in range(askers)]
    log = Path(tempfile.gettempdir()) / "autograd-kb-noisy.log"
    with chat_server(data_dir, max_queue=32, log=log) as (url, _):
        deadline = time.monotonic() + time_limit
        session(url, ASK, pool[:1], deadline)  # warm up
        quiet = summarize(run_sessions(url, jobs, deadline), 0.0)["ask"]
        loops: list[Outcome] = []
        stop = time.monotonic() + 5.0 * (questions + 2)  # loops run through all of the askers' questions
        threads = [threading.Thread(target=lambda: loops.extend(looper(url, questions + 2, stop, deadline)),
                                    daemon=True)
                   for _ in range(loopers)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # every looper has a loop running or waiting
        noisy = summarize(run_sessions(url, jobs, deadline), 0.0)["ask"]
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0) + 30)
    counts = {s: sum(o.status == s for o in loops) for s in ("ok", "busy", "failed")}
    counts["failures"] = sorted({o.detail for o in loops if o.status == "failed"})[:3]
    return {"loopers": loopers, "askers": askers, "questions_per_asker": questions, "quiet": quiet, "noisy": noisy,
            "loops": counts}


def table_rows(result: dict) -> list[tuple[str, str, str]]:
    """The benchmark table's row: askers' p95 beside looping neighbours, against no neighbours."""
    quiet, noisy = result["quiet"]["latency_ms"], result["noisy"]["latency_ms"]
    return [(f"noisy neighbours: {result['askers']} askers beside {result['loopers']} sessions of 5 s loops",
             f"askers' p95 {noisy['p95']:.0f} ms (quiet {quiet['p95']:.0f} ms; +{noisy['p95'] - quiet['p95']:.0f} "
             f"ms); asks failed {result['noisy']['failed']}, busy {result['noisy']['busy']}",
             "≤ +5000 ms (one run's limit)")]


def main() -> None:
    """Run the scenario at the size given on the command line and print its figures as JSON."""
    from bench.run import ensure_index

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "autograd-kb-bench")
    parser.add_argument("--loopers", type=int, default=6)
    parser.add_argument("--askers", type=int, default=10)
    parser.add_argument("--questions", type=int, default=5, help="Questions per asker, quiet and noisy.")
    args = parser.parse_args()
    ensure_index(args.data_dir)
    print(json.dumps(noisy_test(args.data_dir, loopers=args.loopers, askers=args.askers, questions=args.questions),
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
