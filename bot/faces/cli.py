"""The `autograd-kb` command line: build, ask, run, chat, eval."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.faces.cli_common import data_dir_of, load_bot, origin_option


@click.group()
@click.version_option(package_name="autograd-kb")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="AUTOGRAD_KB_HOME",
              help="Where the index lives [env AUTOGRAD_KB_HOME; default ~/.local/share/autograd-kb].")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None) -> None:
    """Answer PyTorch autograd questions, and run code to prove the answers.

    \b
    Examples:
      autograd-kb build
      autograd-kb build --add ~/my-notes
      autograd-kb ask --source torch-docs "how do I register a gradient hook?"
      autograd-kb ask "x 的梯度值为什么是 tensor([7.])?"
    """
    ctx.obj = {"data_dir": data_dir}


@main.command()
@click.option("--add", "folders", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra folder of .txt / .md / .html Q&A documents (repeatable).")
@click.option("--model", envvar="AUTOGRAD_KB_MODEL", default=None,
              help="sentence-transformers model path or name "
                   "[env AUTOGRAD_KB_MODEL; default: bundled all-MiniLM-L6-v2].")
@click.option("--force", is_flag=True, help="Re-embed everything, even unchanged chunks.")
@click.option("-v", "--verbose", is_flag=True, help="List every dropped record and why.")
@click.option("--verify/--no-verify", default=True, show_default=True,
              help="Run every answer's snippet in the sandbox and count the verdicts.")
@click.pass_context
def build(ctx: click.Context, folders: tuple[Path, ...], model: str | None, force: bool,
          verbose: bool, verify: bool) -> None:
    """Build or refresh the index: the bundled pages, the installed torch's autograd docs and any
    --add folders (incremental by content hash; atomic).

    \b
    Examples:
      autograd-kb build
      autograd-kb build --add ./docs/faq --model /models/multilingual-MiniLM
    """
    from bot.faces.progress import Spinner
    from kb.index.build import BuildError, build_index
    from kb.settings import model_name

    with Spinner("reading the documents and the torch docs") as spinner:
        def progress(done: int, total: int) -> None:
            spinner.step(f"embedding passages {done}/{total}" if done < total else "writing the index")

        try:
            result = build_index(data_dir=data_dir_of(ctx), model=model or model_name(), folders=list(folders),
                                 force=force, progress=progress)
        except (BuildError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
    for line in result.report.lines():
        click.echo(line)
    if verbose:
        for citation, question, reason in result.report.drops:
            click.echo(f"  dropped [{reason}] {citation}: {question}")
    if result.up_to_date:
        click.echo(f"index is up to date ({result.seconds:.2f} s)")
    else:
        click.echo(f"passages: {result.embedded} embedded, {result.reused} reused; "
                   f"index written to {result.path} in {result.seconds:.2f} s")
    if verify:
        _verify_all(data_dir_of(ctx))


def _verify_all(data_dir: Path) -> None:
    """Print snippet and verdict counts over the whole knowledge base."""
    from bot.faces.progress import Spinner
    from bot.sandbox.client import Sandbox, SandboxUnavailable
    from bot.verify.audit import audit
    from kb.index.search import Index

    try:
        with Spinner("running every snippet in the sandbox"), Sandbox() as box:
            result = audit(Index.load(data_dir).chunks, box)
    except SandboxUnavailable as exc:
        click.echo(f"verification skipped: {exc}")
        return
    for line in result.lines():
        click.echo(line)


def _read_questions(stream) -> list[str | bytes]:
    """One question per line of stdin; lines that are not UTF-8 stay bytes and get an error."""
    out = []
    for raw in stream.read().split(b"\n"):
        try:
            out.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError:
            out.append(raw)
    return out[:-1] if out and out[-1] == "" else out


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", default=3, show_default=True, type=click.IntRange(1, 50),
              help="How many entries to retrieve (the best answers; the rest are related).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the JSON object of docs/ARCHITECTURE.md (one per line with `-`).")
@click.option("--no-run", is_flag=True, help="Retrieve only; do not run the snippet.")
@origin_option("Answer from the Q&A pages, the installed torch's docs, or both.")
@click.pass_context
def ask(ctx: click.Context, question: str, top_k: int, as_json: bool, no_run: bool, origin: str) -> None:
    """Answer QUESTION from the knowledge base and run its snippet to check quoted values.

    QUESTION `-` reads one question per line from stdin (model and sandbox load once).

    \b
    Examples:
      autograd-kb ask "x 的梯度值为什么是 tensor([7.])?"
      autograd-kb ask --json "how do I get a Jacobian with torch.autograd.grad?"
      printf 'grad_fn 是什么\\nwhat is a leaf tensor\\n' | autograd-kb ask - --json
      autograd-kb ask --source torch-docs "what does retain_graph do?"
    """
    import json

    from bot.answer.question import BadQuestion, validate_question
    from bot.faces.contract import answer_json
    from bot.faces.progress import Spinner
    from bot.faces.terminal import answer_text

    batch = question == "-"
    try:
        questions = _read_questions(sys.stdin.buffer) if batch else [validate_question(question)]
        if not questions:
            raise click.ClickException("no questions on stdin (give one per line)")
        bot = load_bot(ctx, sandbox=not no_run, warm=None if batch else questions[0])
    except (BadQuestion, click.ClickException) as exc:
        if not as_json:
            raise click.ClickException(str(exc)) from None
        click.echo(json.dumps({"error": str(exc), "query": None if batch else question}, ensure_ascii=False))
        ctx.exit(1)
    failed = False
    try:
        for q in questions:
            try:
                if isinstance(q, bytes):
                    raise BadQuestion("the question is not valid UTF-8 text")
                with Spinner("answering"):
                    answer = bot.answer(q, k=top_k, origin=origin)
            except BadQuestion as exc:
                if not batch:
                    raise click.ClickException(str(exc)) from None
                failed = True
                click.echo(json.dumps({"query": q if isinstance(q, str) else None, "error": str(exc)},
                                      ensure_ascii=False) if as_json else f"error: {exc}")
                continue
            if as_json:
                click.echo(json.dumps(answer_json(answer), ensure_ascii=False, allow_nan=False))
            else:
                click.echo(answer_text(answer, colour=sys.stdout.isatty()))
                if batch:
                    click.echo()
    finally:
        if bot.sandbox:
            bot.sandbox.close()
    if failed:
        ctx.exit(1)


@main.command(name="run")
@click.argument("file", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
@click.option("--timeout", default=5.0, show_default=True, type=click.FloatRange(0.1, 60),
              help="Wall-clock limit in seconds.")
@click.option("--allow-unprotected", is_flag=True,
              help="Run even where seccomp/rlimits are unavailable (your own code on your own machine only).")
def run_command(file, as_json: bool, timeout: float, allow_unprotected: bool) -> None:
    """Run a torch snippet (FILE or - for stdin) in the sandbox and report its gradients.

    \b
    Examples:
      autograd-kb run snippet.py
      echo 'import torch; x = torch.ones(2, requires_grad=True); (x * 3).sum().backward()' | autograd-kb run - --json
    """
    import json
    import time

    from bot.faces.contract import run_json
    from bot.faces.progress import Spinner
    from bot.faces.terminal import print_run
    from bot.sandbox.client import Sandbox, SandboxUnavailable
    from bot.sandbox.wire import MAX_CODE_BYTES

    data = file.read(MAX_CODE_BYTES + 1)  # no more: `run /dev/zero` must not read gigabytes
    if len(data) > MAX_CODE_BYTES:
        raise click.ClickException(f"the snippet is larger than {MAX_CODE_BYTES // 1024} KiB")
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError:
        raise click.ClickException("the snippet is not valid UTF-8 text") from None
    if not code.strip():
        raise click.ClickException("the snippet is empty")
    box = Sandbox(timeout=timeout, allow_unprotected=allow_unprotected)
    started = time.perf_counter()
    try:
        with Spinner("starting the sandbox (it imports torch) and running the snippet"):
            result = box.run(code)  # code it refuses (NUL bytes, too large) fails before its zygote starts
    except SandboxUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        box.close()
    start_ms = max(0.0, (time.perf_counter() - started) * 1e3 - result.elapsed_ms)
    if as_json:
        out = run_json(result) | {"start_ms": round(start_ms, 3)}
        out["tensors"] = [t.__dict__ | {"shape": list(t.shape)} for t in result.tensors]
        click.echo(json.dumps(out, ensure_ascii=False, allow_nan=False, default=str))
    else:
        print_run(result, start_ms=start_ms)
    if not result.ok:
        raise SystemExit(1)


@main.command(name="eval")
@click.option("--set", "set_paths", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              help="A JSONL question set; repeat for several [default: the bundled held-out, dev and docs sets].")
@click.option("--split", type=click.Choice(["heldout", "tune", "all"]), default="all", show_default=True,
              help="Which part of split sets to measure: held-out questions (never tuned on) or tuning ones.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write metrics.json, report.md and PNG plots here (one folder per split).")
@origin_option("Search only this origin (questions it cannot answer are left out of retrieval metrics).")
@click.pass_context
def eval_command(ctx: click.Context, set_paths: tuple[Path, ...], split: str, report_dir: Path | None,
                 origin: str) -> None:
    """Measure retrieval (Recall@1/3/5, MRR@10, nDCG@10) and abstention on labelled sets, held-out part first.

    \b
    Examples:
      autograd-kb eval
      autograd-kb eval --split heldout
      autograd-kb eval --set my_questions.jsonl --report build/eval
      autograd-kb eval --source pages
    """
    from bot.faces.progress import Spinner
    from eval.evaluate import DEFAULT_SETS, SPLITS, evaluate_set, load_sets
    from eval.report import ABSTENTION, METRICS, table, write_report

    try:
        queries = load_sets(list(set_paths or DEFAULT_SETS))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    bot = load_bot(ctx, sandbox=False)
    parts = {s: [q for q in queries if q.split == s] for s in SPLITS if split in ("all", s or "all")}
    parts = {s: part for s, part in parts.items() if part}
    if not parts:
        raise click.ClickException(f"no {split} questions in the sets")
    for name, part in parts.items():
        title = {"heldout": "held-out", "tune": "tuning", "": "unsplit"}[name]
        click.echo(f"## {title}: {len(part)} questions" + (" (never tuned on)" if name == "heldout" else ""))
        with Spinner(f"{title}: searching") as spinner:
            result = evaluate_set(bot.retriever, part, bot.policy, origin=origin,
                                  progress=lambda variant: spinner.step(f"{title}: {variant}"))
        click.echo(table(result["variants"], METRICS))
        click.echo(table(result["by_origin"], METRICS))
        click.echo(table({"all": result["abstention"]}, ABSTENTION))
        if report_dir:
            for path in write_report(result, report_dir / (name or "all") if len(parts) > 1 else report_dir):
                click.echo(f"wrote {path}")


from bot.faces.cli_web import chat, feedback  # noqa: E402  (the web commands live beside the others)

main.add_command(chat)
main.add_command(feedback)

if __name__ == "__main__":
    main()
