"""What the commands share: where the data lives and how the bot is loaded."""
from __future__ import annotations

from pathlib import Path

import click


def data_dir_of(ctx: click.Context) -> Path:
    """The data directory: --data-dir, $AUTOGRAD_KB_HOME, or the default."""
    from kb.settings import data_dir

    return ctx.obj.get("data_dir") or data_dir()


def load_bot(ctx: click.Context, *, sandbox: bool = True):
    """Load the index and model while the sandbox's zygote imports torch alongside, or fail clearly."""
    import threading

    from bot.answer import Bot
    from bot.sandbox import Sandbox, SandboxUnavailable
    from kb.store import IndexUnavailable

    box = Sandbox() if sandbox else None
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
        bot = Bot(data_dir_of(ctx), sandbox=box)
        bot.warm_up()
    except IndexUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if starter:
            starter.join()
    if errors:
        raise click.ClickException(str(errors[0]))
    return bot
