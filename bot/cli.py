"""The `autograd-kb` command line: build, ask, run, chat, eval."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _data_dir(ctx: click.Context) -> Path:
    from kb.settings import data_dir

    return ctx.obj.get("data_dir") or data_dir()


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
      autograd-kb build --source ~/my-notes
      autograd-kb ask "x 的梯度值为什么是 tensor([7.])?"
    """
    ctx.obj = {"data_dir": data_dir}


@main.command()
@click.option("--source", "sources", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Extra folder of .txt / .md / .html Q&A documents (repeatable).")
@click.option("--model", envvar="AUTOGRAD_KB_MODEL", default=None,
              help="sentence-transformers model path or name [env AUTOGRAD_KB_MODEL; default: bundled all-MiniLM-L6-v2].")
@click.option("--force", is_flag=True, help="Re-embed everything, even unchanged chunks.")
@click.option("-v", "--verbose", is_flag=True, help="List every dropped record and why.")
@click.pass_context
def build(ctx: click.Context, sources: tuple[Path, ...], model: str | None, force: bool,
          verbose: bool) -> None:
    """Build or refresh the index (incremental by content hash; atomic).

    \b
    Examples:
      autograd-kb build
      autograd-kb build --source ./docs/faq --model /models/multilingual-MiniLM
    """
    from kb.build import BuildLocked, build_index
    from kb.settings import model_name

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="embedding chunks", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        result = build_index(data_dir=_data_dir(ctx), model=model or model_name(),
                             sources=list(sources), force=force, progress=progress)
    except (BuildLocked, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for line in result.report.lines():
        click.echo(line)
    if verbose:
        for source, question, reason in result.report.drops:
            click.echo(f"  dropped [{reason}] {source}: {question}")
    if result.up_to_date:
        click.echo(f"index is up to date ({result.seconds:.2f} s)")
    else:
        click.echo(f"embedded {result.embedded}, reused {result.reused}; "
                   f"index written to {result.path} in {result.seconds:.2f} s")


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", default=3, show_default=True, help="How many entries to show.")
@click.pass_context
def ask(ctx: click.Context, question: str, top_k: int) -> None:
    """Answer one QUESTION from the knowledge base.

    \b
    Example:
      autograd-kb ask "how do I get a Jacobian with torch.autograd.grad?"
    """
    from bot.retrieve import Retriever
    from kb.index import Index
    from kb.store import IndexUnavailable

    try:
        retriever = Retriever(Index.load(_data_dir(ctx)))
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    for i, hit in enumerate(retriever.search(question, k=top_k)[0], 1):
        sources = "; ".join(s.cite() for s in hit.chunk.sources)
        click.echo(click.style(f"[{i}] {hit.chunk.question}", bold=True) + f"  ({hit.score:.3f})")
        click.echo(hit.chunk.text)
        click.echo(click.style(f"    sources: {sources}", dim=True))
        click.echo()


if __name__ == "__main__":
    main()
