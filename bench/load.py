"""A bounded load test of the web chat: concurrent gradio_client sessions asking questions and running snippets.

Run: .venv/bin/python -m bench.load [--clients 50 --questions 20 --snippet-clients 10 --max-queue 32]
Starts its own `autograd-kb chat` on a free 127.0.0.1 port, stops by itself, prints the figures as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.procs import processes, settled_snapshot, snapshot

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ASK, RUN = "/ask", "/run"  # the api names of the Ask button and the code panel's Run button (bot/faces/web.py)
BUSY_PAUSE = 0.5  # seconds a client waits after a "queue is full" reply before its next request
SNIPPETS = (  # (program computing y from x = [a], dy/dx at a)
    ("y = (x ** 2 + 3 * x).sum()", lambda a: 2 * a + 3),
    ("y = (x ** 3).sum()", lambda a: 3 * a * a),
    ("y = (5 * x - x ** 2).sum()", lambda a: 5 - 2 * a),
)


@dataclass(frozen=True)
class Outcome:
    """One request: which endpoint, ok / busy / failed / not sent, seconds to its final reply, why it failed."""

    endpoint: str
    status: str
    seconds: float = 0.0
    detail: str = ""


def question_pool() -> list[str]:
    """The web chat's example questions followed by the dev set's questions."""
    from bot.faces.web import example_questions
    from eval.evaluate import load_set

    return example_questions() + [q.text for q in load_set()]


def snippet(seed: int) -> tuple[str, str]:
    """A small gradient program unique to `seed`, and the grad-table row the run must show for x."""
    program, grad = SNIPPETS[seed % len(SNIPPETS)]
    code = ("import torch\n"
            f"x = torch.tensor([{seed}.0], dtype=torch.float64, requires_grad=True)\n{program}\n"
            "y.backward()\nprint(x.grad)\n")
    return code, f"| `x` | [1] | True | True | — | `[{float(grad(seed))!r}]` |"


def text_of(message: dict) -> str:
    """The text of one chat message (Gradio 6 sends content as a list of parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content or [] if isinstance(part, dict))


def answer_problem(question: str, history: list) -> str | None:
    """Why a finished Ask reply is wrong, or None: it must echo the question and end in an answer or abstention."""
    from bot.faces.wording import is_decline, is_in_progress

    if len(history) < 2 or text_of(history[-2]) != question:
        return "the reply does not hold this client's question"
    text = text_of(history[-1])
    if is_in_progress(text):
        return f"the final reply is still in progress: {text[:80]!r}"
    if text.startswith("### ") and "📄" in text:
        return None
    if is_decline(text):
        return None
    return f"neither an answer nor an abstention: {text[:80]!r}"


def run_problem(reply: str, row: str) -> str | None:
    """Why a finished Run reply is wrong, or None: it must have run and show this snippet's gradient."""
    if not reply.startswith("**✅ ran**"):
        return f"the snippet did not run: {reply[:120]!r}"
    return None if row in reply else f"the grad table lacks {row!r}"


def call(client, endpoint: str, args: tuple, check: Callable, deadline: float) -> tuple[Outcome, object]:
    """Send one request and classify the reply; a full queue is a clean busy reply, anything else wrong fails."""
    from gradio_client.utils import QueueError

    start = time.monotonic()
    job = client.submit(*args, api_name=endpoint)
    try:
        result = job.result(timeout=max(deadline - start, 0.1))
    except QueueError:
        return Outcome(endpoint, "busy", time.monotonic() - start), None
    except FutureTimeout:
        job.cancel()
        return Outcome(endpoint, "failed", time.monotonic() - start, "no reply before the time limit"), None
    except Exception as exc:  # noqa: BLE001 - every other error is a failed answer, reported with its text
        return Outcome(endpoint, "failed", time.monotonic() - start, f"{type(exc).__name__}: {exc}"), None
    if busy_reply(result):
        return Outcome(endpoint, "busy", time.monotonic() - start), None
    problem = check(result)
    return Outcome(endpoint, "failed" if problem else "ok", time.monotonic() - start, problem or ""), result


def busy_reply(result) -> bool:
    """True for the chat's "busy, try again in N s" reply (a run's text, or an ask's last chat message)."""
    from bot.faces.wording import BUSY

    text = result if isinstance(result, str) else text_of(result[0][-1]) if result and result[0] else ""
    return text.startswith(BUSY)


def request(endpoint: str, item, history: list) -> tuple[tuple, Callable]:
    """The arguments of one request (a question, or a snippet's seed) and the check of its reply."""
    if endpoint == ASK:
        return (item, history, "all"), lambda result: answer_problem(item, result[0])
    code, row = snippet(item)
    return (code,), lambda reply: run_problem(reply, row)


def session(url: str, endpoint: str, items: list, deadline: float, *,
            ready: threading.Barrier | None = None) -> list[Outcome]:
    """One browser-like session sending its items to `endpoint` in turn, carrying its chat history; with `ready`,
    it sends its first item only when every session of the barrier has connected."""
    from gradio_client import Client

    client, history, outcomes = Client(url, verbose=False, download_files=False), [], []
    try:
        if ready is not None:
            try:
                ready.wait(timeout=max(deadline - time.monotonic(), 0))
            except threading.BrokenBarrierError:  # another session could not connect: start anyway
                pass
        for item in items:
            if time.monotonic() >= deadline:
                outcomes.append(Outcome(endpoint, "not sent"))
                continue
            outcome, result = call(client, endpoint, *request(endpoint, item, history), deadline)
            outcomes.append(outcome)
            if outcome.status == "busy":
                time.sleep(BUSY_PAUSE)
            elif outcome.status == "ok" and endpoint == ASK:
                history = result[0]
    finally:
        client.close()
    return outcomes


def latency_ms(outcomes: list[Outcome]) -> dict | None:
    """p50/p95 milliseconds to the final reply over the ok outcomes."""
    from bench.sandbox_bench import p50_p95

    samples = [o.seconds * 1000 for o in outcomes if o.status == "ok"]
    if not samples:
        return None
    p50, p95 = p50_p95(samples * 2 if len(samples) == 1 else samples)
    return {"p50": round(p50, 1), "p95": round(p95, 1)}


def summarize(outcomes: list[Outcome], wall: float) -> dict:
    """Counts by status and latency, per endpoint and overall, and the first failures' reasons."""
    def part(selected: list[Outcome]) -> dict:
        counts = {s: sum(o.status == s for o in selected) for s in ("ok", "busy", "failed", "not sent")}
        return {**counts, "latency_ms": latency_ms(selected)}

    return {"wall_s": round(wall, 1), **part(outcomes),
            "ask": part([o for o in outcomes if o.endpoint == ASK]),
            "run": part([o for o in outcomes if o.endpoint == RUN]),
            "failures": [f"{o.endpoint}: {o.detail}" for o in outcomes if o.status == "failed"][:10]}


def run_sessions(url: str, jobs: list[tuple[str, list]], deadline: float) -> list[Outcome]:
    """Run a session per (endpoint, items) in its own thread, all starting to send together (however long each
    took to connect, so the load arrives at once); a session that crashes fails all its items."""
    outcomes: list[list[Outcome]] = [[] for _ in jobs]
    ready = threading.Barrier(len(jobs))

    def work(i: int, endpoint: str, items: list) -> None:
        try:
            outcomes[i] = session(url, endpoint, items, deadline, ready=ready)
        except Exception as exc:  # noqa: BLE001 - e.g. the client could not connect
            ready.abort()
            outcomes[i] = [Outcome(endpoint, "failed", 0.0, f"session: {type(exc).__name__}: {exc}")] * len(items)

    threads = [threading.Thread(target=work, args=(i, *job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0) + 30)
    return [o for outcome in outcomes for o in outcome]


def run_load(url: str, *, clients: int, questions_per_client: int, snippet_clients: int,
             snippets_per_client: int | None = None, server_pid: int | None = None,
             time_limit: float = 600.0) -> dict:
    """Ask and run concurrently against `url`; with `server_pid`, also RSS before/after and leftover processes."""
    pool, runs = question_pool(), snippets_per_client or questions_per_client
    deadline = time.monotonic() + time_limit
    warm_up = [o.status for o in session(url, ASK, pool[:1], deadline) + session(url, RUN, [1], deadline)]
    before = snapshot(server_pid) if server_pid else None
    jobs = [(ASK, [pool[(c * questions_per_client + i) % len(pool)] for i in range(questions_per_client)])
            for c in range(clients)]
    jobs += [(RUN, [1000 * (c + 1) + i for i in range(runs)]) for c in range(snippet_clients)]
    start = time.monotonic()
    outcomes = run_sessions(url, jobs, deadline)
    result = {"clients": clients, "questions_per_client": questions_per_client, "snippet_clients": snippet_clients,
              "snippets_per_client": runs, "warm_up": warm_up, **summarize(outcomes, time.monotonic() - start)}
    if server_pid:
        result |= {"before": before, "after": settled_snapshot(server_pid)}
    return result


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chat_server(data_dir: Path, *, max_queue: int, log: Path,
                timeout: float = 180.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """`autograd-kb chat` on a free loopback port; yields (url, process) once it accepts connections."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot.faces.cli", "--data-dir", str(data_dir), "chat", "--host",
                                 "127.0.0.1", "--port", str(port), "--max-queue", str(max_queue)],
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the chat server did not start:\n{log.read_text()}") from None
                    time.sleep(0.25)
            yield f"http://127.0.0.1:{port}/", proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def load_test(data_dir: Path, *, max_queue: int = 32, **sizes) -> dict:
    """Start a server, run the load against it, stop it; adds the processes of its sandbox left after it stopped."""
    log = Path(tempfile.gettempdir()) / f"autograd-kb-load-{os.getpid()}.log"
    with chat_server(data_dir, max_queue=max_queue, log=log) as (url, proc):
        zygotes = {p for p, (ppid, _, _) in processes().items() if ppid == proc.pid}
        result = {"max_queue": max_queue, **run_load(url, server_pid=proc.pid, **sizes)}
        zygotes |= {p for p, (ppid, _, _) in processes().items() if ppid == proc.pid}
    deadline = time.monotonic() + 5
    while (left := [p for p, (_, _, sid) in processes().items() if sid in zygotes]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result | {"left_after_stop": left}


def table_rows(result: dict) -> list[tuple[str, str, str]]:
    """The benchmark table's rows for one load test: (measure, value, budget)."""
    before, after, latency = result["before"], result["after"], result["latency_ms"]
    sizes = (f"{result['clients']}×{result['questions_per_client']} asks + "
             f"{result['snippet_clients']}×{result['snippets_per_client']} runs")
    counts = f"ok {result['ok']}, busy {result['busy']}, failed {result['failed']}"
    processes = f"zombies {len(after['zombies'])}, left after stop {len(result['left_after_stop'])}"
    return [(f"web load: {sizes}", f"{counts}; p50 / p95 {latency['p50']:.0f} / {latency['p95']:.0f} ms", "0 failed"),
            ("  server RSS before → after load",
             f"{before['server_rss_mib']:.0f} → {after['server_rss_mib']:.0f} MiB; {processes}", "flat; 0, 0")]


def main() -> None:
    """Run the load test at the size given on the command line and print its figures as JSON."""
    from bench.run import ensure_index

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "autograd-kb-bench")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20, help="Questions per asking client.")
    parser.add_argument("--snippet-clients", type=int, default=10)
    parser.add_argument("--max-queue", type=int, default=32)
    parser.add_argument("--time-limit", type=float, default=600.0, help="Seconds before the load stops itself.")
    args = parser.parse_args()
    ensure_index(args.data_dir)
    result = load_test(args.data_dir, max_queue=args.max_queue, clients=args.clients,
                       questions_per_client=args.questions, snippet_clients=args.snippet_clients,
                       time_limit=args.time_limit)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
