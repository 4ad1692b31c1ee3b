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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port.")
@click.option("--max-queue", default=32, show_default=True, type=click.IntRange(1, 10_000),
              help="Requests that may wait; beyond this people are told to try again.")
@origin_option("What the chat answers from at first (people can switch it in the page).")
@click.pass_context
def chat(ctx: click.Context, host: str, port: int, max_queue: int, origin: str) -> None:
    """Serve the web chat (Gradio) on HOST:PORT.

    \b
    Example:
      autograd-kb chat --port 7860    # then open http://127.0.0.1:7860
    """
    from bot.faces.web import serve

    bot = load_bot(ctx)
    store = open_feedback(ctx)
    click.echo(f"autograd-kb chat on http://{host}:{port}  (Ctrl-C stops it)")
    try:
        serve(bot, store, host=host, port=port, max_queue=max_queue, origin=origin)
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
