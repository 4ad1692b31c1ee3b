"""What the commands share: where the data lives and how the bot is loaded."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def origin_option(help_text: str):
    """The `--source pages|torch-docs|all` option: which origin of the knowledge base answers."""
    from kb.types import ORIGIN_CHOICES

    return click.option("--source", "origin", type=click.Choice(ORIGIN_CHOICES), default="all", show_default=True,
                        help=help_text)


def data_dir_of(ctx: click.Context) -> Path:
    """The data directory: --data-dir, $AUTOGRAD_KB_HOME, or the default."""
    from kb.settings import data_dir

    return ctx.obj.get("data_dir") or data_dir()


def require_index(ctx: click.Context) -> None:
    """Fail at once, before anything heavy is imported, when the data directory holds no index; the hint
    names the directory that was given."""
    import shlex

    from kb.settings import CURRENT

    folder = data_dir_of(ctx)
    if not (folder / CURRENT).exists():
        given = f" --data-dir {shlex.quote(str(folder))}" if ctx.obj.get("data_dir") else ""
        raise click.ClickException(f"no index in {folder}; run `autograd-kb{given} build` first")


def load_bot(ctx: click.Context, *, sandbox: bool = True, workers: int = 0, max_waiting: int = 32,
             warm: str | None = None):
    """Load the index and model while the sandbox's zygote imports torch alongside, or fail clearly; a spinner
    on a terminal's stderr says so.

    With `workers`, the bot gets a pool of that many sandboxes to share among web sessions. The model and the
    Chinese tokenizer load meanwhile; given the one question to come (`warm`), only what it needs loads."""
    require_index(ctx)

    from bot.faces.progress import Spinner

    with Spinner("loading the index and the embedding model"):
        bot = _load_bot(ctx, sandbox=sandbox, workers=workers, max_waiting=max_waiting, warm=warm)
    _note_other_model(bot.retriever.model)
    return bot


def _load_bot(ctx: click.Context, *, sandbox: bool, workers: int, max_waiting: int, warm: str | None):
    import threading

    from bot.sandbox.client import Sandbox, SandboxUnavailable
    from bot.sandbox.pool import SandboxPool

    box = (SandboxPool(size=workers, max_waiting=max_waiting) if workers else Sandbox()) if sandbox else None
    errors: list[Exception] = []

    def start() -> None:
        try:
            box.start()
        except SandboxUnavailable as exc:
            errors.append(exc)

    starter = threading.Thread(target=start, daemon=True) if box else None
    if starter:
        starter.start()
    try:
        bot = _load_index(ctx, box, warm=warm)
    finally:
        if starter:
            starter.join()
        if box and (errors or sys.exc_info()[0]):
            box.close()  # its zygote would outlive this command
    if errors:
        raise click.ClickException(str(errors[0]))
    return bot


def _load_index(ctx: click.Context, box, *, warm: str | None):
    """The bot on the data directory's index and its embedding model, or a clear error."""
    from bot.answer.bot import Bot
    from kb.index.store import IndexUnavailable

    try:
        bot = Bot(data_dir_of(ctx), sandbox=box)
        bot.warm_up(*([warm] if warm else []))
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # the index's embedding model cannot be loaded here
        reason = str(exc).splitlines()[0]
        raise click.ClickException(f"{reason} The index in {data_dir_of(ctx)} was built with that model: run "
                                   "`autograd-kb build` to re-embed it with the configured one") from None
    return bot


def _note_other_model(index_model: str) -> None:
    """Say so when the index was embedded with another model than the configured one."""
    from kb.settings import model_name

    if index_model != model_name():
        click.echo(f"note: the index was built with model {index_model!r}, not the configured "
                   f"{model_name()!r}; answering with the index's model (`autograd-kb build` re-embeds)",
                   err=True)
