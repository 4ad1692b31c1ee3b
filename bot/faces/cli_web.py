"""The web commands: `chat` serves the Gradio app, `feedback --export` dumps what people said."""
from __future__ import annotations

import click

from bot.faces.cli_common import data_dir_of, load_bot, origin_option


def open_feedback(ctx: click.Context):
    """The data directory's feedback store, or a clear error when its file cannot be opened."""
    from bot.faces.feedback import FeedbackStore, FeedbackUnavailable, feedback_path

    try:
        return FeedbackStore(feedback_path(data_dir_of(ctx)))
    except FeedbackUnavailable as exc:
        raise click.ClickException(str(exc)) from None


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:pass` as a pair, or a usage error."""
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise click.BadParameter("expected USER:PASS, both non-empty", param_hint="--auth")
    return user, password


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--max-queue", default=32, show_default=True, type=click.IntRange(1, 10_000),
              help="Requests that may wait; beyond this people are told to try again.")
@click.option("--workers", default=0, type=click.IntRange(0, 64),
              help="Sandbox workers shared by all sessions  [default: one per core]")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A Host name the chat answers to besides loopback (repeatable; '*' for any). "
                   "Needed behind a reverse proxy or on a public address.")
@click.option("--auth", metavar="USER:PASS", envvar="AUTOGRAD_KB_AUTH", show_envvar=True,
              help="Require this login (or set $AUTOGRAD_KB_AUTH).")
@origin_option("What the chat answers from at first (people can switch it in the page).")
@click.pass_context
def chat(ctx: click.Context, host: str, port: int, max_queue: int, workers: int, allowed_hosts: tuple[str, ...],
         auth: str | None, origin: str) -> None:
    """Serve the web chat (Gradio) on HOST:PORT.

    \b
    It answers only to loopback Host names unless --allowed-host adds more,
    and asks for a login when --auth (or $AUTOGRAD_KB_AUTH) is set.

    \b
    Examples:
      autograd-kb chat --port 7860    # then open http://127.0.0.1:7860
      AUTOGRAD_KB_AUTH=me:secret autograd-kb chat --host 0.0.0.0 --allowed-host kb.example.org
    """
    from bot.faces.limits import LOOPBACK_HOSTS
    from bot.faces.web import serve
    from bot.sandbox.pool import default_size

    login = parse_auth(auth)
    bot = load_bot(ctx, workers=workers or default_size(), max_waiting=max_queue)
    store = open_feedback(ctx)
    click.echo(f"autograd-kb chat on http://{host}:{port}  (Ctrl-C stops it)")
    try:
        serve(bot, store, host=host, port=port, max_queue=max_queue, origin=origin, auth=login,
              hosts=LOOPBACK_HOSTS + allowed_hosts)
    finally:
        bot.sandbox.close()
        store.close()


@click.command()
@click.option("--export", "export", is_flag=True, required=True, help="Print every feedback row as JSONL.")
@click.pass_context
def feedback(ctx: click.Context, export: bool) -> None:
    """Export the likes and dislikes given in the web chat.

    \b
    Example:
      autograd-kb feedback --export > feedback.jsonl
    """
    import json

    from bot.faces.feedback import feedback_path

    path = feedback_path(data_dir_of(ctx))
    if not path.exists():
        raise click.ClickException(f"no feedback yet ({path} does not exist)")
    store = open_feedback(ctx)
    for row in store.rows():
        click.echo(json.dumps(row, ensure_ascii=False))
    store.close()
